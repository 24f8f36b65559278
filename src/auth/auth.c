/*
 * Staff accounts and sessions (see auth.h). Owns no state: everything lives
 * in the store. Threads: any; the Argon2id work runs on the caller's thread
 * (about a tenth of a second with libsodium's interactive limits), which in
 * the server is a worker of the pool (http_defer), never an event loop.
 */
#include "auth/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

void
auth_config_defaults(struct auth_config *c)
{
    c->idle_timeout = 30 * 60;
    c->absolute_timeout = 12 * 3600;
    c->slow_after = 5;
    c->max_failures = 100;
    c->window = 3600;
    c->max_wait = 300;
}

/* libsodium picks its fastest implementations once per process. */
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void
sodium_start(void)
{
    if (sodium_init() < 0)
        die("libsodium cannot start");
}

/* --- roles --- */

const char *const auth_roles[] = {"reporter", "editor", "moderator", "admin", NULL};

static const struct {
    const char *role;
    const char *label;
    unsigned caps;
} role_table[] = {
    {"reporter", "Reporter", AUTH_CAP_WRITE},
    {"editor", "Editor", AUTH_CAP_WRITE | AUTH_CAP_PUBLISH},
    {"moderator", "Moderator", AUTH_CAP_MODERATE},
    {"admin", "Administrator", AUTH_CAP_WRITE | AUTH_CAP_PUBLISH | AUTH_CAP_MODERATE | AUTH_CAP_ADMIN},
};

bool
auth_role_valid(const char *role)
{
    for (size_t i = 0; role && i < ARRAY_SIZE(role_table); i++)
        if (strcmp(role, role_table[i].role) == 0)
            return true;
    return false;
}

unsigned
auth_role_caps(const char *role)
{
    for (size_t i = 0; role && i < ARRAY_SIZE(role_table); i++)
        if (strcmp(role, role_table[i].role) == 0)
            return role_table[i].caps;
    return 0;
}

const char *
auth_role_label(const char *role)
{
    for (size_t i = 0; role && i < ARRAY_SIZE(role_table); i++)
        if (strcmp(role, role_table[i].role) == 0)
            return role_table[i].label;
    return "No role";
}

/* --- passwords --- */

int
auth_password_hash(const char *pw, char out[AUTH_HASH_MAX])
{
    pthread_once(&sodium_once, sodium_start);
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

bool
auth_password_verify(const char *hash, const char *pw)
{
    if (hash == NULL || pw == NULL || strlen(hash) >= AUTH_HASH_MAX)
        return false;
    pthread_once(&sodium_once, sodium_start);
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

const char *
auth_password_problem(const char *pw)
{
    size_t n = strlen(pw);
    long len = text_length(pw, n);
    if (len < 0)
        return "the password is not valid text";
    if (len < AUTH_PASSWORD_MIN)
        return "the password must have at least 10 characters";
    if (len > AUTH_PASSWORD_MAX || n > 4 * AUTH_PASSWORD_MAX)
        return "the password must have at most 200 characters";
    return NULL;
}

void
auth_password_generate(char out[24])
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    size_t k = 0;
    for (int group = 0; group < 4; group++) {
        if (group)
            out[k++] = '-';
        for (int i = 0; i < 5; i++)
            out[k++] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    }
    out[k] = '\0';
}

const char *
auth_login_problem(const char *login)
{
    size_t n = strlen(login);
    if (n == 0)
        return "enter a login name";
    if (n > 64)
        return "the login name must have at most 64 characters";
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return "the login name may hold only letters a-z, digits, '.', '_' and '-'";
    }
    return NULL;
}

/* --- tokens --- */

void
auth_token_new(char out[AUTH_TOKEN_LEN + 1])
{
    random_hex(out, AUTH_TOKEN_LEN / 2);
}

bool
auth_token_wellformed(const char *t)
{
    if (t == NULL || strlen(t) != AUTH_TOKEN_LEN)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

void
auth_token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
    sodium_memzero(h, sizeof(h));
}

/* --- throttling --- */

enum auth_throttle
auth_throttle_decide(const struct auth_config *c, long failures, int64_t last, int64_t now,
                     long *retry_after)
{
    *retry_after = 0;
    if (failures >= c->max_failures) {
        *retry_after = (long)(c->window - (now - last) > 60 ? c->window - (now - last) : 60);
        return AUTH_THROTTLE_REFUSED;
    }
    if (failures < c->slow_after)
        return AUTH_THROTTLE_OK;
    /* 5 s after the first failures past the free ones, doubling, capped */
    long over = failures - c->slow_after;
    long wait = over >= 16 ? c->max_wait : 5L << over;
    if (wait > c->max_wait)
        wait = c->max_wait;
    if (now - last < wait) {
        *retry_after = wait - (long)(now - last);
        return AUTH_THROTTLE_WAIT;
    }
    return AUTH_THROTTLE_OK;
}

/* The key failures are counted under: the login as typed, ASCII-folded and capped. */
static void
account_key(const char *login, char out[65])
{
    size_t i = 0;
    for (; login[i] && i < 64; i++) {
        char c = login[i];
        out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[i] = '\0';
}

static enum auth_result
throttle_check(struct store *st, const struct auth_config *c, const char *account,
               const char *addr, int64_t now, long *retry_after)
{
    long by_account = 0, by_addr = 0;
    int64_t last_account = 0, last_addr = 0;
    if (store_call(st, login_failure_count, account, addr, now - c->window, &by_account,
                   &last_account, &by_addr, &last_addr) != STORE_OK)
        return AUTH_ERROR;
    long wait_account = 0, wait_addr = 0;
    enum auth_throttle ta = auth_throttle_decide(c, by_account, last_account, now, &wait_account);
    enum auth_throttle tb = auth_throttle_decide(c, by_addr, last_addr, now, &wait_addr);
    *retry_after = wait_account > wait_addr ? wait_account : wait_addr;
    if (ta == AUTH_THROTTLE_REFUSED || tb == AUTH_THROTTLE_REFUSED)
        return AUTH_REFUSED;
    if (ta == AUTH_THROTTLE_WAIT || tb == AUTH_THROTTLE_WAIT)
        return AUTH_WAIT;
    return AUTH_OK;
}

/* A hash to verify against when the account does not exist, so that the
 * answer takes as long either way. */
static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
    char pw[24];
    auth_password_generate(pw);
    if (auth_password_hash(pw, dummy_hash) != 0)
        dummy_hash[0] = '\0';
    sodium_memzero(pw, sizeof(pw));
}

int
auth_session_new(struct store *st, const struct auth_config *c, int64_t user_id, const char *addr,
                 int64_t now, char token[AUTH_TOKEN_LEN + 1])
{
    char hash[65];
    auth_token_new(token);
    auth_token_hash(token, hash);
    struct store_session s = {.token_hash = hash, .user_id = user_id, .created_at = now,
                              .seen_at = now, .addr = (char *)addr};
    store_call(st, session_purge, now - c->idle_timeout, now - c->absolute_timeout);
    int rc = store_call(st, session_add, &s);
    if (rc == STORE_OK)
        store_call(st, user_login_mark, user_id, now);
    return rc;
}

void
auth_login(struct store *st, const struct auth_config *c, const char *login,
           const char *password, const char *addr, const char *old_token, int64_t now,
           struct arena *a, struct auth_login *out)
{
    memset(out, 0, sizeof(*out));
    char account[65];
    account_key(login, account);
    out->result = throttle_check(st, c, account, addr, now, &out->retry_after);
    if (out->result != AUTH_OK)
        return;
    if (old_token && auth_token_wellformed(old_token))
        auth_logout(st, old_token); /* a new id at every sign-in: no fixation */
    int rc = store_call(st, user_get, 0, login, a, &out->user);
    bool found = rc == STORE_OK;
    if (rc != STORE_OK && rc != STORE_NOTFOUND) {
        out->result = AUTH_ERROR;
        return;
    }
    pthread_once(&dummy_once, make_dummy);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool ok = auth_password_verify(found ? out->user.pwhash : dummy_hash, password);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    now += t1.tv_sec - t0.tv_sec; /* the session starts when the slow check ends */
    if (!ok || !found || out->user.disabled) {
        store_call(st, login_failure_add, account, addr, now);
        out->result = AUTH_BAD_CREDENTIALS;
        memset(&out->user, 0, sizeof(out->user));
        return;
    }
    store_call(st, login_failure_clear, account);
    if (auth_session_new(st, c, out->user.id, addr, now, out->token) != STORE_OK)
        out->result = AUTH_ERROR;
}

enum auth_session_state
auth_session_check(struct store *st, const struct auth_config *c, const char *token, int64_t now,
                   struct arena *a, struct store_user *user)
{
    if (!auth_token_wellformed(token))
        return AUTH_SESSION_NONE;
    char hash[65];
    auth_token_hash(token, hash);
    struct store_session s;
    if (store_call(st, session_get, hash, a, &s) != STORE_OK)
        return AUTH_SESSION_NONE;
    if (now - s.seen_at > c->idle_timeout || now - s.created_at > c->absolute_timeout) {
        store_call(st, session_delete, hash);
        return AUTH_SESSION_EXPIRED;
    }
    if (store_call(st, user_get, s.user_id, NULL, a, user) != STORE_OK || user->disabled) {
        store_call(st, session_delete, hash);
        return AUTH_SESSION_NONE;
    }
    /* record activity, but not on every request of a busy page */
    int64_t step = c->idle_timeout / 10 < 60 ? c->idle_timeout / 10 : 60;
    if (now - s.seen_at >= step)
        store_call(st, session_touch, hash, now);
    return AUTH_SESSION_OK;
}

void
auth_logout(struct store *st, const char *token)
{
    if (!auth_token_wellformed(token))
        return;
    char hash[65];
    auth_token_hash(token, hash);
    store_call(st, session_delete, hash);
}

/* --- accounts --- */

int
auth_user_add(struct store *st, const char *login, const char *name, const char *role,
              const char *password, bool one_time, int64_t *id, const char **problem)
{
    *problem = auth_login_problem(login);
    if (*problem == NULL && (name == NULL || name[0] == '\0' || text_length(name, strlen(name)) > 200))
        *problem = "enter the person's name (at most 200 characters)";
    if (*problem == NULL && !auth_role_valid(role))
        *problem = "choose a role: reporter, editor, moderator or admin";
    if (*problem == NULL)
        *problem = auth_password_problem(password);
    if (*problem)
        return STORE_INVALID;
    char hash[AUTH_HASH_MAX];
    if (auth_password_hash(password, hash) != 0)
        return STORE_ERROR;
    struct store_user u = {.login = (char *)login, .name = (char *)name, .role = (char *)role,
                           .pwhash = hash, .must_change = one_time};
    int rc = store_call(st, user_save, &u);
    if (rc == STORE_CONFLICT)
        *problem = "that login name is taken";
    *id = u.id;
    return rc;
}

int
auth_user_password(struct store *st, int64_t id, const char *password, bool one_time,
                   const char **problem)
{
    *problem = auth_password_problem(password);
    if (*problem)
        return STORE_INVALID;
    char hash[AUTH_HASH_MAX];
    if (auth_password_hash(password, hash) != 0)
        return STORE_ERROR;
    return store_call(st, user_password_set, id, hash, one_time);
}
