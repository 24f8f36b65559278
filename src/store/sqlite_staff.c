/*
 * Staff in SQLite: accounts, sessions (only a hash of each token is kept),
 * failed sign-ins for throttling, and the audit log.
 */
#include "store/sqlite_int.h"

#include <string.h>

#define USER_COLS                                                                           \
    "id, login, name, role, pwhash, disabled, created_at, coalesce(last_login_at, 0), " \
    "must_change"

static void
user_row(struct arena *a, sqlite3_stmt *st, struct store_user *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->login = sq_text(a, st, 1);
    out->name = sq_text(a, st, 2);
    out->role = sq_text(a, st, 3);
    out->pwhash = sq_text(a, st, 4);
    out->disabled = sqlite3_column_int(st, 5) != 0;
    out->created_at = sqlite3_column_int64(st, 6);
    out->last_login_at = sqlite3_column_int64(st, 7);
    out->must_change = sqlite3_column_int(st, 8) != 0;
}

static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " FROM users WHERE id = ?";
static const char SQL_USER_BY_LOGIN[] = "SELECT " USER_COLS " FROM users WHERE login = ?";
static const char SQL_USER_LIST[] =
    "SELECT " USER_COLS " FROM users ORDER BY disabled, name COLLATE NOCASE, id";

int
sq_user_get(struct store *st, int64_t id, const char *login, struct arena *a,
            struct store_user *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt_by(c, SQL_USER_BY_ID, id, SQL_USER_BY_LOGIN, login);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        user_row(a, s, out);
    sqlite3_reset(s);
    return sq_row_status(rc);
}

int
sq_user_list(struct store *st, struct arena *a, struct store_user **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_USER_LIST);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        user_row(a, s, sq_push(a, (void **)out, n, &cap, sizeof(**out)));
    sqlite3_reset(s);
    return sq_status(rc);
}

static const char SQL_USER_INSERT[] =
    "INSERT INTO users(login, name, role, pwhash, disabled, created_at, must_change)"
    " VALUES (?,?,?,?,?,?,?)";
static const char SQL_USER_UPDATE[] =
    "UPDATE users SET name = ?2, role = ?3, disabled = ?5 WHERE id = ?7";
static const char SQL_SESSIONS_OF_USER[] = "DELETE FROM sessions WHERE user_id = ?";

static int
end_sessions(struct sq_conn *c, int64_t user_id)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_SESSIONS_OF_USER);
    sqlite3_bind_int64(q, 1, user_id);
    return sq_step_done(q);
}

int
sq_user_save(struct store *st, struct store_user *u)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, u->id ? SQL_USER_UPDATE : SQL_USER_INSERT);
    if (u->id == 0) {
        sq_bind_text(q, 1, u->login);
        sq_bind_text(q, 4, u->pwhash);
        if (u->created_at == 0)
            u->created_at = time_now();
        sqlite3_bind_int64(q, 6, u->created_at);
        sqlite3_bind_int(q, 7, u->must_change);
    } else {
        sqlite3_bind_int64(q, 7, u->id);
    }
    sq_bind_text(q, 2, u->name);
    sq_bind_text(q, 3, u->role);
    sqlite3_bind_int(q, 5, u->disabled);
    int status = sq_step_done(q);
    if (status == STORE_OK && u->id == 0)
        u->id = sqlite3_last_insert_rowid(c->db);
    else if (status == STORE_OK && sqlite3_changes(c->db) == 0)
        status = STORE_NOTFOUND;
    if (status == STORE_OK && u->disabled)
        status = end_sessions(c, u->id);
    return sq_write_end(s, status);
}

static const char SQL_USER_PASSWORD[] =
    "UPDATE users SET pwhash = ?, must_change = ? WHERE id = ?";

int
sq_user_password_set(struct store *st, int64_t id, const char *pwhash, bool must_change)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_USER_PASSWORD);
    sq_bind_text(q, 1, pwhash);
    sqlite3_bind_int(q, 2, must_change);
    sqlite3_bind_int64(q, 3, id);
    int status = sq_step_done(q);
    if (status == STORE_OK && sqlite3_changes(c->db) == 0)
        status = STORE_NOTFOUND;
    if (status == STORE_OK)
        status = end_sessions(c, id);
    return sq_write_end(s, status);
}

static const char SQL_USER_LOGIN_MARK[] = "UPDATE users SET last_login_at = ? WHERE id = ?";

int
sq_user_login_mark(struct store *st, int64_t id, int64_t at)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_USER_LOGIN_MARK);
    sqlite3_bind_int64(q, 1, at);
    sqlite3_bind_int64(q, 2, id);
    return sq_write_end(s, sq_step_done(q));
}

/* --- sessions --- */

static const char SQL_SESSION_ADD[] =
    "INSERT INTO sessions(token_hash, user_id, created_at, seen_at, addr) VALUES (?,?,?,?,?)";
static const char SQL_SESSION_GET[] =
    "SELECT token_hash, user_id, created_at, seen_at, addr FROM sessions WHERE token_hash = ?";
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET seen_at = ? WHERE token_hash = ?";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE token_hash = ?";
static const char SQL_SESSION_PURGE[] =
    "DELETE FROM sessions WHERE seen_at < ? OR created_at < ?";

int
sq_session_add(struct store *st, const struct store_session *sess)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_SESSION_ADD);
    sq_bind_text(q, 1, sess->token_hash);
    sqlite3_bind_int64(q, 2, sess->user_id);
    sqlite3_bind_int64(q, 3, sess->created_at);
    sqlite3_bind_int64(q, 4, sess->seen_at);
    sq_bind_text(q, 5, sess->addr);
    return sq_write_end(s, sq_step_done(q));
}

int
sq_session_get(struct store *st, const char *token_hash, struct arena *a,
               struct store_session *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_SESSION_GET);
    sq_bind_text(q, 1, token_hash);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->token_hash = sq_text(a, q, 0);
        out->user_id = sqlite3_column_int64(q, 1);
        out->created_at = sqlite3_column_int64(q, 2);
        out->seen_at = sqlite3_column_int64(q, 3);
        out->addr = sq_text(a, q, 4);
    }
    sqlite3_reset(q);
    return sq_row_status(rc);
}

static int
write_one(struct store *st, const char *sql, const char *text, int64_t num, bool num_first)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, sql);
    if (num_first) {
        sqlite3_bind_int64(q, 1, num);
        if (text)
            sq_bind_text(q, 2, text);
    } else {
        sq_bind_text(q, 1, text);
    }
    return sq_write_end(s, sq_step_done(q));
}

int
sq_session_touch(struct store *st, const char *token_hash, int64_t seen_at)
{
    return write_one(st, SQL_SESSION_TOUCH, token_hash, seen_at, true);
}

int
sq_session_delete(struct store *st, const char *token_hash)
{
    return write_one(st, SQL_SESSION_DELETE, token_hash, 0, false);
}

int
sq_session_purge(struct store *st, int64_t idle_before, int64_t created_before)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_SESSION_PURGE);
    sqlite3_bind_int64(q, 1, idle_before);
    sqlite3_bind_int64(q, 2, created_before);
    return sq_write_end(s, sq_step_done(q));
}

/* --- failed sign-ins --- */

static const char SQL_FAIL_ADD[] = "INSERT INTO login_failures(account, addr, at) VALUES (?,?,?)";
static const char SQL_FAIL_PRUNE[] = "DELETE FROM login_failures WHERE at < ?";
static const char SQL_FAIL_BY_ACCOUNT[] =
    "SELECT count(*), coalesce(max(at), 0) FROM login_failures WHERE account = ? AND at >= ?";
static const char SQL_FAIL_BY_ADDR[] =
    "SELECT count(*), coalesce(max(at), 0) FROM login_failures WHERE addr = ? AND at >= ?";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failures WHERE account = ?";

int
sq_login_failure_add(struct store *st, const char *account, const char *addr, int64_t at)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_FAIL_PRUNE);
    sqlite3_bind_int64(q, 1, at - 24 * 3600); /* a day of history is plenty */
    int status = sq_step_done(q);
    if (status == STORE_OK) {
        q = sq_stmt(c, SQL_FAIL_ADD);
        sq_bind_text(q, 1, account);
        sq_bind_text(q, 2, addr);
        sqlite3_bind_int64(q, 3, at);
        status = sq_step_done(q);
    }
    return sq_write_end(s, status);
}

static int
count_since(struct sq_conn *c, const char *sql, const char *key, int64_t since, long *n,
            int64_t *last)
{
    sqlite3_stmt *q = sq_stmt(c, sql);
    sq_bind_text(q, 1, key);
    sqlite3_bind_int64(q, 2, since);
    int rc = sqlite3_step(q);
    *n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
    *last = rc == SQLITE_ROW ? sqlite3_column_int64(q, 1) : 0;
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? STORE_OK : sq_status(rc);
}

int
sq_login_failure_count(struct store *st, const char *account, const char *addr, int64_t since,
                       long *by_account, int64_t *last_account, long *by_addr, int64_t *last_addr)
{
    struct sq_conn *c = sq_reader(sq(st));
    int status = count_since(c, SQL_FAIL_BY_ACCOUNT, account, since, by_account, last_account);
    if (status == STORE_OK)
        status = count_since(c, SQL_FAIL_BY_ADDR, addr, since, by_addr, last_addr);
    return status;
}

int
sq_login_failure_clear(struct store *st, const char *account)
{
    return write_one(st, SQL_FAIL_CLEAR, account, 0, false);
}

/* --- the audit log --- */

static const char SQL_AUDIT_ADD[] =
    "INSERT INTO audit_log(at, user_id, login, action, subject, detail, addr)"
    " VALUES (?, nullif(?, 0), ?, ?, ?, ?, ?)";
static const char SQL_AUDIT_LIST[] =
    "SELECT id, at, coalesce(user_id, 0), login, action, subject, detail, addr FROM audit_log"
    " ORDER BY id DESC LIMIT ? OFFSET ?";
static const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit_log";

int
sq_audit_add(struct store *st, struct store_audit *e)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    if (e->at == 0)
        e->at = time_now();
    sqlite3_stmt *q = sq_stmt(c, SQL_AUDIT_ADD);
    sqlite3_bind_int64(q, 1, e->at);
    sqlite3_bind_int64(q, 2, e->user_id);
    sq_bind_text(q, 3, e->login);
    sq_bind_text(q, 4, e->action);
    sq_bind_text(q, 5, e->subject);
    sq_bind_text(q, 6, e->detail);
    sq_bind_text(q, 7, e->addr);
    int status = sq_step_done(q);
    if (status == STORE_OK)
        e->id = sqlite3_last_insert_rowid(c->db);
    return sq_write_end(s, status);
}

int
sq_audit_list(struct store *st, int limit, int offset, struct arena *a, struct store_audit **out,
              size_t *n, long *total)
{
    if (limit <= 0 || limit > 500)
        limit = 100;
    struct sq_conn *c = sq_reader(sq(st));
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *q = sq_stmt(c, SQL_AUDIT_COUNT);
    sq_count(q, total);
    int rc = SQLITE_DONE;
    q = sq_stmt(c, SQL_AUDIT_LIST);
    sqlite3_bind_int(q, 1, limit);
    sqlite3_bind_int(q, 2, offset > 0 ? offset : 0);
    *out = arena_zalloc(a, (size_t)limit * sizeof(**out));
    *n = 0;
    while (*n < (size_t)limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_audit *e = &(*out)[(*n)++];
        e->id = sqlite3_column_int64(q, 0);
        e->at = sqlite3_column_int64(q, 1);
        e->user_id = sqlite3_column_int64(q, 2);
        e->login = sq_text(a, q, 3);
        e->action = sq_text(a, q, 4);
        e->subject = sq_text(a, q, 5);
        e->detail = sq_text(a, q, 6);
        e->addr = sq_text(a, q, 7);
    }
    sqlite3_reset(q);
    sq_read_end(c);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_status(rc);
}
