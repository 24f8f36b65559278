/*
 * Signing in and out, and one's own account. The session cookie is
 * "__Host-bs_session" behind TLS (Secure, Path=/, no Domain) and
 * "bs_session" otherwise; HttpOnly and SameSite=Lax. Every sign-in makes a
 * new session id, so an id planted before sign-in is worth nothing.
 */
#include "newsroom/newsroom_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *
cookie_name(struct http_req *r)
{
    return http_behind_tls(r) ? "__Host-bs_session" : "bs_session";
}

/* Only a newsroom path of this site may follow sign-in. */
static const char *
safe_next(const char *next)
{
    if (next == NULL || strncmp(next, "/newsroom/", 10) != 0 || strstr(next, "//") ||
        strchr(next, '\\') || strlen(next) > 1000)
        return "/newsroom/";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x20)
            return "/newsroom/";
    return next;
}

static int
login_page(struct http_req *r, int status, const char *login, const char *error)
{
    json_t *data = json_pack("{s:s, s:s, s:s}", "title", "Sign in", "login", login ? login : "",
                             "next", safe_next(http_form(r, "next") ? http_form(r, "next")
                                                                    : http_query(r, "next")));
    if (error)
        json_object_set_new(data, "error", json_string(error));
    if (http_query(r, "expired"))
        json_object_set_new(data, "flash",
                            json_string("Your session ended after a period without activity. "
                                        "Sign in again to continue."));
    int rc = newsroom_render(r, NULL, "newsroom/login.html", data);
    return rc == 200 ? status : rc;
}

static int
login_form(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct store_user su;
    const char *token = http_cookie(r, cookie_name(r));
    if (token && auth_session_check(nr_ctx.store, &nr_ctx.auth, token, time_now(), http_arena(r),
                                    &su) == AUTH_SESSION_OK)
        return http_redirect(r, 303, safe_next(http_query(r, "next")));
    return login_page(r, 200, "", NULL);
}

static int
login_refused(struct http_req *r, const struct auth_login *res, const char *login)
{
    char retry[32];
    snprintf(retry, sizeof(retry), "%ld", res->retry_after);
    switch (res->result) {
    case AUTH_BAD_CREDENTIALS:
        return login_page(r, 401, login,
                          "The login name or the password is wrong. Check both and try again.");
    case AUTH_WAIT:
        http_set_header(r, "retry-after", retry);
        return login_page(r, 429, login,
                          arena_printf(http_arena(r),
                                       "Too many failed sign-ins. Wait %ld second%s, then try "
                                       "again.",
                                       res->retry_after, res->retry_after == 1 ? "" : "s"));
    case AUTH_REFUSED:
        http_set_header(r, "retry-after", retry);
        return login_page(r, 429, login,
                          "Sign-in is blocked after too many failed attempts in the last hour. "
                          "Try again later, or ask an administrator to reset your password.");
    default:
        return login_page(r, 503, login, "Signing in is not possible right now. Try again.");
    }
}

/* Sign-in checks the password with Argon2id (a tenth of a second or more):
 * auth_login runs on a worker (http_defer), the answer on the loop. */
struct login_job {
    const char *login;
    char *password; /* wiped by the work */
    const char *addr;
    const char *old_token;
    int64_t now;
    struct arena *a;
    struct auth_login res;
};

static void
login_work(void *p)
{
    struct login_job *j = p;
    auth_login(nr_ctx.store, &nr_ctx.auth, j->login, j->password, j->addr, j->old_token, j->now,
               j->a, &j->res);
    sodium_memzero(j->password, strlen(j->password));
}

static int
login_done(struct http_req *r, void *p)
{
    struct login_job *j = p;
    struct auth_login *res = &j->res;
    if (res->result != AUTH_OK)
        return login_refused(r, res, j->login);
    http_set_cookie(r, cookie_name(r), res->token, 0, HTTP_COOKIE_HTTPONLY);
    http_csrf_rotate(r);
    sodium_memzero(res->token, sizeof(res->token));
    struct staff_user u = {.id = res->user.id,
                           .login = res->user.login,
                           .name = res->user.name,
                           .role = res->user.role};
    newsroom_audit(r, &u, "sign-in", res->user.login, NULL);
    if (res->user.must_change)
        return http_redirect(r, 303, "/newsroom/account?msg=must_change");
    return http_redirect(r, 303, safe_next(http_form(r, "next")));
}

/* Also when the client left before the answer: the token goes. */
static void
login_job_free(void *p)
{
    struct login_job *j = p;
    sodium_memzero(j->res.token, sizeof(j->res.token));
}

static int
login_submit(struct http_req *r, void *ctx)
{
    (void)ctx;
    const char *login = nr_field(r, "login");
    char *password = (char *)nr_field(r, "password");
    if (login[0] == '\0' || password[0] == '\0' || strlen(login) > 200)
        return login_page(r, 422, login, "Enter your login name and your password.");
    struct login_job *j = arena_zalloc(http_arena(r), sizeof(*j));
    j->login = login;
    j->password = password;
    j->addr = http_peer(r);
    j->old_token = http_cookie(r, cookie_name(r));
    j->now = time_now();
    j->a = http_arena(r);
    return http_defer(r, login_work, login_done, login_job_free, j);
}

static int
logout(struct http_req *r, void *ctx)
{
    (void)ctx;
    const char *token = http_cookie(r, cookie_name(r));
    if (token)
        auth_logout(nr_ctx.store, token);
    http_set_cookie(r, cookie_name(r), "", -1, HTTP_COOKIE_HTTPONLY);
    http_csrf_rotate(r);
    http_no_store(r);
    return http_redirect(r, 303, "/newsroom/login?msg=signed_out");
}

/* --- one's own account --- */

static int
account_page(struct http_req *r, const struct staff_user *u, int status, const char *error)
{
    json_t *data = json_pack("{s:s}", "title", "Your account");
    if (error)
        json_object_set_new(data, "error", json_string(error));
    int rc = newsroom_render(r, u, "newsroom/account.html", data);
    return rc == 200 ? status : rc;
}

static int
account(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, 0, &u);
    return st ? st : account_page(r, &u, 200, NULL);
}

/* Changing one's password: two Argon2id runs (check the current one, hash
 * the new one) on a worker; the new session and the answer on the loop. */
struct password_job {
    struct staff_user u;
    const char *pwhash; /* the stored one */
    char *current;      /* wiped by the work, as is fresh */
    char *fresh;
    const char *confirm;
    const char *problem;
};

static void
password_work(void *p)
{
    struct password_job *j = p;
    if (!auth_password_verify(j->pwhash, j->current))
        j->problem = "Your current password is not right.";
    else if (strcmp(j->fresh, j->confirm) != 0)
        j->problem = "The new password and its confirmation differ.";
    else if (strcmp(j->fresh, j->current) == 0)
        j->problem = "Choose a password different from the current one.";
    if (j->problem == NULL &&
        auth_user_password(nr_ctx.store, j->u.id, j->fresh, false, &j->problem) != STORE_OK &&
        !j->problem)
        j->problem = "The password could not be saved. Try again.";
    sodium_memzero(j->current, strlen(j->current));
    sodium_memzero(j->fresh, strlen(j->fresh));
}

static int
password_done(struct http_req *r, void *p)
{
    struct password_job *j = p;
    if (j->problem)
        return account_page(r, &j->u, 422, j->problem);
    /* the change ended every session: this browser gets a fresh one */
    char token[AUTH_TOKEN_LEN + 1];
    if (auth_session_new(nr_ctx.store, &nr_ctx.auth, j->u.id, http_peer(r), time_now(), token) ==
        STORE_OK)
        http_set_cookie(r, cookie_name(r), token, 0, HTTP_COOKIE_HTTPONLY);
    sodium_memzero(token, sizeof(token));
    newsroom_audit(r, &j->u, "password", j->u.login, "changed own password");
    return nr_done(r, "/newsroom/account", "password");
}

static int
account_password(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct password_job *j = arena_zalloc(http_arena(r), sizeof(*j));
    int st = newsroom_guard(r, 0, &j->u);
    if (st)
        return st;
    struct store_user su;
    if (store_call(nr_ctx.store, user_get, j->u.id, NULL, http_arena(r), &su) != STORE_OK)
        return http_error(r, 503, NULL);
    j->pwhash = su.pwhash;
    j->current = (char *)nr_field(r, "current");
    j->fresh = (char *)nr_field(r, "password");
    j->confirm = nr_field(r, "confirm");
    return http_defer(r, password_work, password_done, NULL, j);
}

void
nr_session_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/login", 0, login_form, NULL);
    http_route(srv, HTTP_POST, "/newsroom/login", 0, login_submit, NULL);
    http_route(srv, HTTP_POST, "/newsroom/logout", 0, logout, NULL);
    http_route(srv, HTTP_GET, "/newsroom/account", 0, account, NULL);
    http_route(srv, HTTP_POST, "/newsroom/account/password", 0, account_password, NULL);
}
