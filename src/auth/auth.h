/*
 * auth: staff accounts and their sessions, without any HTTP. Passwords are
 * Argon2id strings (libsodium); a session is a 128-bit random token held by
 * the browser, of which the store keeps only a BLAKE2b hash; sessions end
 * after an idle time and an absolute time. Failed sign-ins are counted per
 * account and per address: after a few, each attempt must wait longer; past
 * a hard limit per hour, sign-in is refused outright. Roles map to
 * capabilities.
 *
 * Everything takes "now" from the caller so tests can move time.
 */
#ifndef BROADSHEET_AUTH_H
#define BROADSHEET_AUTH_H

#include "core/core.h"
#include "store/store.h"

/* Capabilities (the same values as enum staff_cap in newsroom.h). */
#define AUTH_CAP_WRITE 1u
#define AUTH_CAP_PUBLISH 2u
#define AUTH_CAP_MODERATE 4u
#define AUTH_CAP_ADMIN 8u

struct auth_config {
    int64_t idle_timeout;     /* seconds without a request; 30 minutes */
    int64_t absolute_timeout; /* seconds after sign-in; 12 hours */
    int slow_after;           /* failures in the window before waits begin; 5 */
    int max_failures;         /* failures in the window that refuse sign-in; 100 */
    int64_t window;           /* seconds failures are remembered for; one hour */
    int max_wait;             /* the longest wait between attempts, seconds; 300 */
};
void auth_config_defaults(struct auth_config *c);

/* --- roles --- */
/* "reporter", "editor", "moderator", "admin", then NULL */
extern const char *const auth_roles[];
bool auth_role_valid(const char *role);
unsigned auth_role_caps(const char *role);
/* "Reporter" ... for people */
const char *auth_role_label(const char *role);

/* --- passwords --- */
#define AUTH_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define AUTH_PASSWORD_MIN 10
#define AUTH_PASSWORD_MAX 200
/* 0, or -1 when out of memory. The cost is libsodium's "interactive" one. */
int auth_password_hash(const char *pw, char out[AUTH_HASH_MAX]);
bool auth_password_verify(const char *hash, const char *pw);
/* NULL when acceptable, else what to fix, for a person. */
const char *auth_password_problem(const char *pw);
/* A random password that is easy to type: "kq7mx-2fhwp-..."; 24 bytes with NUL. */
void auth_password_generate(char out[24]);
/* NULL when acceptable (1 to 64 of a-z A-Z 0-9 . _ -), else what to fix. */
const char *auth_login_problem(const char *login);

/* --- tokens --- */
#define AUTH_TOKEN_LEN 32 /* hex of 16 random bytes */
void auth_token_new(char out[AUTH_TOKEN_LEN + 1]);
bool auth_token_wellformed(const char *t);
/* hex of BLAKE2b-256 of the token */
void auth_token_hash(const char *token, char out[65]);

/* --- throttling (a pure decision, for tests) --- */
enum auth_throttle { AUTH_THROTTLE_OK, AUTH_THROTTLE_WAIT, AUTH_THROTTLE_REFUSED };
enum auth_throttle auth_throttle_decide(const struct auth_config *c, long failures, int64_t last,
                                        int64_t now, long *retry_after);

/* --- signing in and out --- */
enum auth_result {
    AUTH_OK,
    AUTH_BAD_CREDENTIALS, /* unknown login, wrong password or a disabled account */
    AUTH_WAIT,            /* too many recent failures: try again after retry_after */
    AUTH_REFUSED,         /* the hourly limit is reached */
    AUTH_ERROR,
};
struct auth_login {
    enum auth_result result;
    long retry_after;
    char token[AUTH_TOKEN_LEN + 1]; /* the new session's token, for the cookie */
    struct store_user user;
};
/* Checks the throttles and the password; on success makes a new session
 * (ending old_token's, if any: the id always changes at sign-in). */
void auth_login(struct store *st, const struct auth_config *c, const char *login,
                const char *password, const char *addr, const char *old_token, int64_t now,
                struct arena *a, struct auth_login *out);

enum auth_session_state { AUTH_SESSION_OK, AUTH_SESSION_NONE, AUTH_SESSION_EXPIRED };
/* The signed-in user of a token; expired sessions are removed. */
enum auth_session_state auth_session_check(struct store *st, const struct auth_config *c,
                                           const char *token, int64_t now, struct arena *a,
                                           struct store_user *user);
void auth_logout(struct store *st, const char *token);
/* A new session for a user already proven (after changing one's password). */
int auth_session_new(struct store *st, const struct auth_config *c, int64_t user_id,
                     const char *addr, int64_t now, char token[AUTH_TOKEN_LEN + 1]);

/* --- accounts --- */
/* Creates an account; on failure returns the store status and, when the
 * input is at fault, *problem says what to fix. */
int auth_user_add(struct store *st, const char *login, const char *name, const char *role,
                  const char *password, bool one_time, int64_t *id, const char **problem);
/* Sets a new password (one_time: to be changed at the next sign-in) and
 * ends the user's sessions. */
int auth_user_password(struct store *st, int64_t id, const char *password, bool one_time,
                       const char **problem);

#endif
