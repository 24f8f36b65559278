/*
 * auth: password hashing, tokens, session expiry and sign-in throttling,
 * against a real SQLite store in a temporary file, with time moved by hand.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"

static struct store *st;
static char path[64];
static struct auth_config cfg;
static struct arena *a;

static void
setup(void)
{
    log_set_level(LOG_WARN);
    snprintf(path, sizeof(path), "/tmp/bs-auth-test-%d.db", (int)getpid());
    unlink(path);
    char err[256];
    st = store_sqlite_open(path, err, sizeof(err));
    cr_assert_not_null(st, "%s", err);
    auth_config_defaults(&cfg);
    a = arena_new();
    const char *problem = NULL;
    int64_t id;
    cr_assert_eq(auth_user_add(st, "kim", "Kim Ha-neul", "editor", "correct horse battery", false,
                               &id, &problem),
                 STORE_OK, "%s", problem ? problem : "");
}

static void
teardown(void)
{
    arena_free(a);
    store_close(st);
    unlink(path);
    char side[80];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

TestSuite(auth, .init = setup, .fini = teardown);

Test(auth, hash_and_verify)
{
    char h[AUTH_HASH_MAX];
    cr_assert_eq(auth_password_hash("a long enough secret", h), 0);
    cr_assert(strncmp(h, "$argon2id$", 10) == 0, "Argon2id: %s", h);
    cr_assert(auth_password_verify(h, "a long enough secret"));
    cr_assert_not(auth_password_verify(h, "a long enough secreT"));
    cr_assert_not(auth_password_verify(h, ""));
    cr_assert_not(auth_password_verify("not a hash", "a long enough secret"));
    char h2[AUTH_HASH_MAX];
    auth_password_hash("a long enough secret", h2);
    cr_assert_str_neq(h, h2, "salted");
}

Test(auth, password_rules_count_characters)
{
    cr_assert_not_null(auth_password_problem("short"));
    cr_assert_null(auth_password_problem("ten chars!"));
    /* ten Hangul syllables typed decomposed are ten characters, not thirty */
    const char *nfd = "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"; /* 한 as jamo */
    char pw[128] = "";
    for (int i = 0; i < 10; i++)
        strncat(pw, nfd, sizeof(pw) - strlen(pw) - 1);
    cr_assert_null(auth_password_problem(pw));
    pw[strlen(nfd) * 9] = '\0';
    cr_assert_not_null(auth_password_problem(pw));
    char gen[24];
    auth_password_generate(gen);
    cr_assert_eq(strlen(gen), 23);
    cr_assert_null(auth_password_problem(gen));
}

Test(auth, login_names)
{
    cr_assert_null(auth_login_problem("kim.ha-neul_2"));
    cr_assert_not_null(auth_login_problem(""));
    cr_assert_not_null(auth_login_problem("kim ha"));
    cr_assert_not_null(auth_login_problem("kim<script>"));
    const char *problem;
    int64_t id;
    cr_assert_eq(auth_user_add(st, "KIM", "Another Kim", "reporter", "another password", false,
                               &id, &problem),
                 STORE_CONFLICT, "logins are case-insensitive");
    cr_assert_eq(auth_user_add(st, "lee", "Lee", "chief", "another password", false, &id, &problem),
                 STORE_INVALID);
}

Test(auth, tokens_are_random_and_stored_hashed)
{
    char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1], h[65];
    auth_token_new(t1);
    auth_token_new(t2);
    cr_assert(auth_token_wellformed(t1));
    cr_assert_str_neq(t1, t2);
    cr_assert_not(auth_token_wellformed("abc"));
    cr_assert_not(auth_token_wellformed("ABCDEF0123456789ABCDEF0123456789"));
    auth_token_hash(t1, h);
    cr_assert_eq(strlen(h), 64);
    cr_assert_str_neq(h, t1);
    struct auth_login res;
    auth_login(st, &cfg, "kim", "correct horse battery", "127.0.0.1", NULL, 1000, a, &res);
    cr_assert_eq(res.result, AUTH_OK);
    struct store_session s;
    cr_assert_eq(store_call(st, session_get, res.token, a, &s), STORE_NOTFOUND);
    auth_token_hash(res.token, h);
    cr_assert_eq(store_call(st, session_get, h, a, &s), STORE_OK);
}

Test(auth, roles_map_to_capabilities)
{
    cr_assert_eq(auth_role_caps("reporter"), AUTH_CAP_WRITE);
    cr_assert_eq(auth_role_caps("editor"), AUTH_CAP_WRITE | AUTH_CAP_PUBLISH);
    cr_assert_eq(auth_role_caps("moderator"), AUTH_CAP_MODERATE);
    cr_assert(auth_role_caps("admin") & AUTH_CAP_ADMIN);
    cr_assert_eq(auth_role_caps("root"), 0);
    cr_assert_eq(auth_role_caps(NULL), 0);
}

Test(auth, sessions_expire_idle_and_absolute)
{
    struct auth_login res;
    struct store_user u;
    int64_t t = 100000;
    auth_login(st, &cfg, "kim", "correct horse battery", "127.0.0.1", NULL, t, a, &res);
    cr_assert_eq(res.result, AUTH_OK);
    /* active every 20 minutes: alive for 12 hours, then over */
    for (int64_t now = t; now < t + 12 * 3600; now += 20 * 60)
        cr_assert_eq(auth_session_check(st, &cfg, res.token, now, a, &u), AUTH_SESSION_OK,
                     "at +%lld s", (long long)(now - t));
    cr_assert_eq(auth_session_check(st, &cfg, res.token, t + 12 * 3600 + 60, a, &u),
                 AUTH_SESSION_EXPIRED);
    cr_assert_eq(auth_session_check(st, &cfg, res.token, t + 12 * 3600 + 61, a, &u),
                 AUTH_SESSION_NONE, "removed once expired");
    /* idle: 31 minutes without a request */
    auth_login(st, &cfg, "kim", "correct horse battery", "127.0.0.1", NULL, t, a, &res);
    cr_assert_eq(auth_session_check(st, &cfg, res.token, t + 29 * 60, a, &u), AUTH_SESSION_OK);
    cr_assert_eq(auth_session_check(st, &cfg, res.token, t + 29 * 60 + 31 * 60, a, &u),
                 AUTH_SESSION_EXPIRED);
}

Test(auth, sign_in_rotates_the_session)
{
    struct auth_login first, second;
    struct store_user u;
    auth_login(st, &cfg, "kim", "correct horse battery", "127.0.0.1", NULL, 5000, a, &first);
    auth_login(st, &cfg, "kim", "correct horse battery", "127.0.0.1", first.token, 5001, a,
               &second);
    cr_assert_eq(second.result, AUTH_OK);
    cr_assert_str_neq(first.token, second.token);
    cr_assert_eq(auth_session_check(st, &cfg, first.token, 5002, a, &u), AUTH_SESSION_NONE);
    cr_assert_eq(auth_session_check(st, &cfg, second.token, 5002, a, &u), AUTH_SESSION_OK);
    auth_logout(st, second.token);
    cr_assert_eq(auth_session_check(st, &cfg, second.token, 5003, a, &u), AUTH_SESSION_NONE);
}

Test(auth, throttle_decision)
{
    long wait;
    cr_assert_eq(auth_throttle_decide(&cfg, 4, 1000, 1000, &wait), AUTH_THROTTLE_OK);
    cr_assert_eq(auth_throttle_decide(&cfg, 5, 1000, 1000, &wait), AUTH_THROTTLE_WAIT);
    cr_assert_eq(wait, 5);
    cr_assert_eq(auth_throttle_decide(&cfg, 5, 1000, 1005, &wait), AUTH_THROTTLE_OK);
    cr_assert_eq(auth_throttle_decide(&cfg, 8, 1000, 1003, &wait), AUTH_THROTTLE_WAIT);
    cr_assert_eq(wait, 37, "doubling: 40 s after the eighth failure");
    cr_assert_eq(auth_throttle_decide(&cfg, 60, 1000, 1000 + 299, &wait), AUTH_THROTTLE_WAIT);
    cr_assert_eq(wait, 1, "capped at five minutes");
    cr_assert_eq(auth_throttle_decide(&cfg, 100, 1000, 5000, &wait), AUTH_THROTTLE_REFUSED);
}

Test(auth, sign_in_is_slowed_then_refused)
{
    struct auth_login res;
    int64_t t = 50000;
    for (int i = 0; i < 5; i++) {
        auth_login(st, &cfg, "kim", "wrong", "10.0.0.1", NULL, t, a, &res);
        cr_assert_eq(res.result, AUTH_BAD_CREDENTIALS);
    }
    auth_login(st, &cfg, "kim", "correct horse battery", "10.0.0.1", NULL, t, a, &res);
    cr_assert_eq(res.result, AUTH_WAIT, "even the right password waits");
    cr_assert_gt(res.retry_after, 0);
    auth_login(st, &cfg, "kim", "correct horse battery", "10.0.0.1", NULL, t + 10, a, &res);
    cr_assert_eq(res.result, AUTH_OK);
    /* the hourly limit, with waits switched off */
    cfg.slow_after = 1000;
    for (int i = 0; i < 100; i++) {
        char addr[32];
        snprintf(addr, sizeof(addr), "10.1.0.%d", i);
        auth_login(st, &cfg, "kim", "wrong", addr, NULL, t + 10, a, &res);
        cr_assert_eq(res.result, AUTH_BAD_CREDENTIALS);
    }
    auth_login(st, &cfg, "kim", "correct horse battery", "10.2.0.1", NULL, t + 20, a, &res);
    cr_assert_eq(res.result, AUTH_REFUSED);
    /* an hour later the failures are forgotten */
    auth_login(st, &cfg, "kim", "correct horse battery", "10.2.0.1", NULL, t + 3700, a, &res);
    cr_assert_eq(res.result, AUTH_OK);
}

Test(auth, unknown_and_disabled_accounts_fail_alike)
{
    struct auth_login res;
    auth_login(st, &cfg, "nobody", "correct horse battery", "127.0.0.1", NULL, 7000, a, &res);
    cr_assert_eq(res.result, AUTH_BAD_CREDENTIALS);
    struct store_user u;
    cr_assert_eq(store_call(st, user_get, 0, "kim", a, &u), STORE_OK);
    u.disabled = true;
    cr_assert_eq(store_call(st, user_save, &u), STORE_OK);
    auth_login(st, &cfg, "kim", "correct horse battery", "127.0.0.1", NULL, 7001, a, &res);
    cr_assert_eq(res.result, AUTH_BAD_CREDENTIALS);
}
