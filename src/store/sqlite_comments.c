/*
 * Comments in SQLite: commenters keyed by (provider, subject), reader
 * sessions, sign-in flows, comments with likes and reports, word lists and
 * the moderation log. Every write is one transaction on the writer
 * (WAL, synchronous=FULL): when an operation returns STORE_OK its effect
 * is on disk. comment_add reads the rate counters and inserts in the same
 * transaction, so concurrent posts cannot slip past a limit.
 */
#include "store/sqlite_int.h"

#include <string.h>

static const char *comment_status_names[] = {"visible", "held", "hidden", "rejected", "deleted"};

const char *
store_comment_status_name(enum store_comment_status s)
{
    return (unsigned)s < ARRAY_SIZE(comment_status_names) ? comment_status_names[s] : "held";
}

int
store_comment_status_parse(const char *s, enum store_comment_status *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(comment_status_names); i++) {
        if (s && strcmp(s, comment_status_names[i]) == 0) {
            *out = (enum store_comment_status)i;
            return 0;
        }
    }
    return -1;
}

static void
bind_log(sqlite3_stmt *q, const struct store_modlog *log, int64_t now)
{
    sqlite3_bind_int64(q, 1, log->at ? log->at : now);
    sqlite3_bind_int64(q, 2, log->staff_id);
    sq_bind_text(q, 3, log->staff_name);
    sq_bind_text(q, 4, log->action);
    if (log->comment_id)
        sqlite3_bind_int64(q, 5, log->comment_id);
    if (log->commenter_id)
        sqlite3_bind_int64(q, 6, log->commenter_id);
    sq_bind_text(q, 7, log->detail);
}

static const char SQL_LOG_ADD[] =
    "INSERT INTO moderation_log(at, staff_id, staff_name, action, comment_id, commenter_id, "
    "detail) VALUES (?,?,?,?,?,?,?)";

/* Appends to the moderation log inside the caller's transaction. */
static int
log_add(struct sq_conn *c, const struct store_modlog *log)
{
    if (log == NULL)
        return STORE_OK;
    sqlite3_stmt *q = sq_stmt(c, SQL_LOG_ADD);
    bind_log(q, log, time_now());
    return sq_step_done(q);
}

/* --- commenters --- */

static const char SQL_IDENTITY_FIND[] =
    "SELECT commenter_id FROM commenter_identities WHERE provider = ? AND subject = ?";
static const char SQL_COMMENTER_ADD[] =
    "INSERT INTO commenters(display_name, created_at) VALUES (?, ?)";
static const char SQL_IDENTITY_ADD[] =
    "INSERT INTO commenter_identities(provider, subject, commenter_id, email, created_at) "
    "VALUES (?,?,?,?,?)";

static int
commenter_create(struct sq_conn *c, const char *provider, const char *subject, const char *name,
                 const char *email, int64_t *id)
{
    int64_t now = time_now();
    sqlite3_stmt *q = sq_stmt(c, SQL_COMMENTER_ADD);
    sq_bind_text(q, 1, name);
    sqlite3_bind_int64(q, 2, now);
    int status = sq_step_done(q);
    if (status != STORE_OK)
        return status;
    *id = sqlite3_last_insert_rowid(c->db);
    q = sq_stmt(c, SQL_IDENTITY_ADD);
    sq_bind_text(q, 1, provider);
    sq_bind_text(q, 2, subject);
    sqlite3_bind_int64(q, 3, *id);
    sq_bind_text(q, 4, email);
    sqlite3_bind_int64(q, 5, now);
    status = sq_step_done(q);
    return status;
}

int
sq_commenter_find_or_add(struct sq_conn *c, const char *provider, const char *subject,
                         const char *display_name, const char *email, int64_t *id)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_IDENTITY_FIND);
    sq_bind_text(q, 1, provider);
    sq_bind_text(q, 2, subject);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return STORE_OK;
    if (rc == SQLITE_DONE)
        return commenter_create(c, provider, subject, display_name, email, id);
    return sq_status(rc);
}

int
sq_commenter_signin(struct store *st, const char *provider, const char *subject,
                    const char *display_name, const char *email, int64_t *id)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    return sq_write_end(s, sq_commenter_find_or_add(c, provider, subject, display_name, email, id));
}

static const char SQL_COMMENTER_GET[] =
    "SELECT c.id, c.display_name, c.created_at, c.deleted_at, c.suspended_until, "
    "c.suspend_reason, coalesce((SELECT provider FROM commenter_identities i "
    "WHERE i.commenter_id = c.id ORDER BY created_at LIMIT 1), '') "
    "FROM commenters c WHERE c.id = ?";

int
sq_commenter_get(struct store *st, int64_t id, struct arena *a, struct store_commenter *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_COMMENTER_GET);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->display_name = sq_text(a, q, 1);
        out->created_at = sqlite3_column_int64(q, 2);
        out->deleted_at = sqlite3_column_int64(q, 3);
        out->suspended_until = sqlite3_column_int64(q, 4);
        out->suspend_reason = sq_text(a, q, 5);
        out->provider = sq_text(a, q, 6);
    }
    sqlite3_reset(q);
    return sq_row_status(rc);
}

static const char *const SQL_COMMENTER_DELETE[] = {
    "DELETE FROM commenter_identities WHERE commenter_id = ?1",
    "DELETE FROM reader_sessions WHERE commenter_id = ?1",
    /* their likes and reports go, and the counters follow */
    "UPDATE comments SET likes = likes - 1 WHERE id IN "
    "(SELECT comment_id FROM comment_likes WHERE commenter_id = ?1)",
    "DELETE FROM comment_likes WHERE commenter_id = ?1",
    "UPDATE comments SET reports = reports - 1 WHERE id IN "
    "(SELECT comment_id FROM comment_reports WHERE commenter_id = ?1)",
    "DELETE FROM comment_reports WHERE commenter_id = ?1",
    "UPDATE comments SET address = '' WHERE commenter_id = ?1",
    "UPDATE commenters SET display_name = '', deleted_at = ?2 WHERE id = ?1 AND deleted_at = 0",
};

int
sq_commenter_delete(struct store *st, int64_t id)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int status = STORE_OK;
    for (size_t i = 0; i < ARRAY_SIZE(SQL_COMMENTER_DELETE) && status == STORE_OK; i++) {
        sqlite3_stmt *q = sq_stmt(c, SQL_COMMENTER_DELETE[i]);
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_bind_parameter_count(q) >= 2)
            sqlite3_bind_int64(q, 2, time_now());
        status = sq_status(sqlite3_step(q));
        if (status == STORE_OK && i + 1 == ARRAY_SIZE(SQL_COMMENTER_DELETE) &&
            sqlite3_changes(c->db) == 0)
            status = STORE_NOTFOUND;
        sqlite3_reset(q);
    }
    return sq_write_end(s, status);
}

static const char SQL_COMMENTER_SUSPEND[] =
    "UPDATE commenters SET suspended_until = ?, suspend_reason = ? WHERE id = ?";

int
sq_commenter_suspend(struct store *st, int64_t id, int64_t until, const char *reason,
                     const struct store_modlog *log)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_COMMENTER_SUSPEND);
    sqlite3_bind_int64(q, 1, until);
    sq_bind_text(q, 2, reason);
    sqlite3_bind_int64(q, 3, id);
    int status = sq_status(sqlite3_step(q));
    if (status == STORE_OK && sqlite3_changes(c->db) == 0)
        status = STORE_NOTFOUND;
    sqlite3_reset(q);
    if (status == STORE_OK)
        status = log_add(c, log);
    return sq_write_end(s, status);
}

/* --- reader sessions and sign-in flows --- */

static const char SQL_SESSION_ADD[] =
    "INSERT INTO reader_sessions(token_hash, commenter_id, created_at, expires_at) "
    "VALUES (?,?,?,?)";
static const char SQL_SESSION_PURGE[] = "DELETE FROM reader_sessions WHERE expires_at < ?";

int
sq_reader_session_add(struct store *st, const char *token_hash, int64_t commenter_id,
                      int64_t expires_at)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int64_t now = time_now();
    sqlite3_stmt *q = sq_stmt(c, SQL_SESSION_PURGE);
    sqlite3_bind_int64(q, 1, now);
    int status = sq_step_done(q);
    if (status == STORE_OK) {
        q = sq_stmt(c, SQL_SESSION_ADD);
        sq_bind_text(q, 1, token_hash);
        sqlite3_bind_int64(q, 2, commenter_id);
        sqlite3_bind_int64(q, 3, now);
        sqlite3_bind_int64(q, 4, expires_at);
        status = sq_step_done(q);
    }
    return sq_write_end(s, status);
}

static const char SQL_SESSION_GET[] =
    "SELECT s.commenter_id FROM reader_sessions s JOIN commenters c ON c.id = s.commenter_id "
    "WHERE s.token_hash = ? AND s.expires_at > ? AND c.deleted_at = 0";

int
sq_reader_session_get(struct store *st, const char *token_hash, int64_t now, int64_t *commenter_id)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_SESSION_GET);
    sq_bind_text(q, 1, token_hash);
    sqlite3_bind_int64(q, 2, now);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *commenter_id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return sq_row_status(rc);
}

static const char SQL_SESSION_DELETE[] = "DELETE FROM reader_sessions WHERE token_hash = ?";

int
sq_reader_session_delete(struct store *st, const char *token_hash)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_SESSION_DELETE);
    sq_bind_text(q, 1, token_hash);
    int status = sq_step_done(q);
    return sq_write_end(s, status);
}

static const char SQL_FLOW_PURGE[] = "DELETE FROM signin_flows WHERE created_at < ?";
static const char SQL_FLOW_ADD[] =
    "INSERT INTO signin_flows(state, provider, verifier, nonce, return_to, created_at) "
    "VALUES (?,?,?,?,?,?)";

int
sq_signin_flow_add(struct store *st, const struct store_signin_flow *f)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_FLOW_ADD);
    sq_bind_text(q, 1, f->state);
    sq_bind_text(q, 2, f->provider);
    sq_bind_text(q, 3, f->verifier);
    sq_bind_text(q, 4, f->nonce);
    sq_bind_text(q, 5, f->return_to);
    sqlite3_bind_int64(q, 6, f->created_at ? f->created_at : time_now());
    int status = sq_step_done(q);
    if (status == STORE_OK) {
        /* flows never completed are dropped after an hour */
        q = sq_stmt(c, SQL_FLOW_PURGE);
        sqlite3_bind_int64(q, 1, (f->created_at ? f->created_at : time_now()) - 3600);
        status = sq_step_done(q);
    }
    return sq_write_end(s, status);
}

static const char SQL_FLOW_TAKE[] =
    "DELETE FROM signin_flows WHERE state = ? "
    "RETURNING state, provider, verifier, nonce, return_to, created_at";

int
sq_signin_flow_take(struct store *st, const char *state, int64_t oldest, struct arena *a,
                    struct store_signin_flow *out)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_FLOW_TAKE);
    sq_bind_text(q, 1, state);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->state = sq_text(a, q, 0);
        out->provider = sq_text(a, q, 1);
        out->verifier = sq_text(a, q, 2);
        out->nonce = sq_text(a, q, 3);
        out->return_to = sq_text(a, q, 4);
        out->created_at = sqlite3_column_int64(q, 5);
        rc = sqlite3_step(q);
        rc = rc == SQLITE_DONE ? SQLITE_ROW : rc;
    }
    sqlite3_reset(q);
    int status = sq_row_status(rc);
    if (status == STORE_OK && out->created_at < oldest)
        status = STORE_NOTFOUND;
    q = sq_stmt(c, SQL_FLOW_PURGE);
    sqlite3_bind_int64(q, 1, oldest);
    sqlite3_step(q);
    sqlite3_reset(q);
    /* a taken flow is gone even when it was too old: commit either way */
    int end = sq_write_end(s, STORE_OK);
    return end == STORE_OK ? status : end;
}

/* --- comments --- */

#define COMMENT_COLS                                                                               \
    "c.id, c.article_id, coalesce(c.parent_id, 0), c.commenter_id, m.display_name, "               \
    "m.deleted_at, c.body, c.status, c.hold_reason, c.address, c.created_at, c.edited_at, "        \
    "c.likes, c.reports, c.idem_key, coalesce(a.headline, '')"
#define COMMENT_FROM                                                                               \
    " FROM comments c JOIN commenters m ON m.id = c.commenter_id"                                  \
    " LEFT JOIN articles a ON a.id = c.article_id"

static void
comment_row(struct arena *a, sqlite3_stmt *q, struct store_comment *out)
{
    out->id = sqlite3_column_int64(q, 0);
    out->article_id = sqlite3_column_int64(q, 1);
    out->parent_id = sqlite3_column_int64(q, 2);
    out->commenter_id = sqlite3_column_int64(q, 3);
    out->author_name = sq_text(a, q, 4);
    out->author_deleted = sqlite3_column_int64(q, 5) != 0;
    out->body = sq_text(a, q, 6);
    enum store_comment_status status = COMMENT_HELD;
    store_comment_status_parse((const char *)sqlite3_column_text(q, 7), &status);
    out->status = status;
    out->hold_reason = sq_text(a, q, 8);
    out->address = sq_text(a, q, 9);
    out->created_at = sqlite3_column_int64(q, 10);
    out->edited_at = sqlite3_column_int64(q, 11);
    out->likes = sqlite3_column_int(q, 12);
    out->reports = sqlite3_column_int(q, 13);
    out->idem_key = sqlite3_column_type(q, 14) == SQLITE_NULL ? NULL : sq_text(a, q, 14);
    out->article_title = sq_text(a, q, 15);
}

static const char SQL_IDEM_FIND[] =
    "SELECT id FROM comments WHERE commenter_id = ? AND idem_key = ?";
static const char SQL_COUNTS[] =
    "SELECT"
    " (SELECT count(*) FROM comments WHERE commenter_id = ?1 AND article_id = ?2),"
    " (SELECT count(*) FROM comments WHERE commenter_id = ?1 AND created_at > ?3 - 86400),"
    " (SELECT coalesce(max(created_at), 0) FROM comments WHERE commenter_id = ?1),"
    " (SELECT coalesce(min(created_at), 0) FROM comments WHERE commenter_id = ?1"
    "    AND created_at > ?3 - 86400),"
    " (SELECT count(*) FROM comments WHERE address = ?4 AND created_at > ?3 - 3600),"
    " (SELECT coalesce(min(created_at), 0) FROM comments WHERE address = ?4"
    "    AND created_at > ?3 - 3600),"
    " suspended_until, deleted_at FROM commenters WHERE id = ?1";
static const char SQL_COMMENT_ADD[] =
    "INSERT INTO comments(article_id, parent_id, commenter_id, body, status, hold_reason, "
    "address, created_at, idem_key) VALUES (?,?,?,?,?,?,?,?,?)";

static int
read_counts(struct sq_conn *c, const struct store_comment *cm, struct store_comment_counts *k)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_COUNTS);
    sqlite3_bind_int64(q, 1, cm->commenter_id);
    sqlite3_bind_int64(q, 2, cm->article_id);
    sqlite3_bind_int64(q, 3, cm->created_at);
    sq_bind_text(q, 4, cm->address);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        k->on_article = sqlite3_column_int64(q, 0);
        k->last_day = sqlite3_column_int64(q, 1);
        k->last_at = sqlite3_column_int64(q, 2);
        k->day_first_at = sqlite3_column_int64(q, 3);
        k->address_last_hour = sqlite3_column_int64(q, 4);
        k->address_first_in_hour = sqlite3_column_int64(q, 5);
        k->suspended_until = sqlite3_column_int64(q, 6);
        k->deleted_account = sqlite3_column_int64(q, 7) != 0;
    }
    sqlite3_reset(q);
    return sq_row_status(rc);
}

/* STORE_CONFLICT with c->id set when this form was already stored. */
static int
find_idem(struct sq_conn *c, struct store_comment *cm)
{
    if (cm->idem_key == NULL || cm->idem_key[0] == '\0')
        return STORE_OK;
    sqlite3_stmt *q = sq_stmt(c, SQL_IDEM_FIND);
    sqlite3_bind_int64(q, 1, cm->commenter_id);
    sq_bind_text(q, 2, cm->idem_key);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        cm->id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? STORE_CONFLICT : rc == SQLITE_DONE ? STORE_OK : sq_status(rc);
}

int
sq_comment_insert(struct sq_conn *c, struct store_comment *cm)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_COMMENT_ADD);
    sqlite3_bind_int64(q, 1, cm->article_id);
    if (cm->parent_id)
        sqlite3_bind_int64(q, 2, cm->parent_id);
    sqlite3_bind_int64(q, 3, cm->commenter_id);
    sq_bind_text(q, 4, cm->body);
    sqlite3_bind_text(q, 5, store_comment_status_name(cm->status), -1, SQLITE_STATIC);
    sq_bind_text(q, 6, cm->hold_reason);
    sq_bind_text(q, 7, cm->address);
    sqlite3_bind_int64(q, 8, cm->created_at);
    if (cm->idem_key && cm->idem_key[0])
        sq_bind_text(q, 9, cm->idem_key);
    int status = sq_step_done(q);
    if (status == STORE_OK)
        cm->id = sqlite3_last_insert_rowid(c->db);
    return status;
}

int
sq_comment_add(struct store *st, struct store_comment *cm, store_comment_check_fn check, void *ctx,
               int *verdict)
{
    struct sq_store *s = sq(st);
    *verdict = 0;
    if (cm->created_at == 0)
        cm->created_at = time_now();
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int status = find_idem(c, cm);
    struct store_comment_counts counts = {0};
    if (status == STORE_OK)
        status = read_counts(c, cm, &counts);
    if (status == STORE_OK && check)
        *verdict = check(&counts, ctx);
    if (status == STORE_OK && *verdict != 0)
        status = STORE_INVALID;
    if (status == STORE_OK)
        status = sq_comment_insert(c, cm);
    if (status == STORE_CONFLICT) {
        /* already stored: nothing to write, the earlier commit stands */
        sq_write_end(s, STORE_INVALID);
        return STORE_CONFLICT;
    }
    return sq_write_end(s, status);
}

static const char SQL_COMMENT_GET[] = "SELECT " COMMENT_COLS COMMENT_FROM " WHERE c.id = ?";

int
sq_comment_get(struct store *st, int64_t id, struct arena *a, struct store_comment *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_COMMENT_GET);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        comment_row(a, q, out);
    sqlite3_reset(q);
    return sq_row_status(rc);
}

/* Top-level comments an article shows: visible ones, and hidden or deleted
 * ones that still have a visible reply (shown as a placeholder). */
#define SHOWN_TOP                                                                                  \
    " c.article_id = ?1 AND c.parent_id IS NULL AND (c.status = 'visible' OR EXISTS"               \
    " (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.status = 'visible'))"

static const char SQL_TOP_COUNT[] = "SELECT count(*) FROM comments c WHERE" SHOWN_TOP;
static const char SQL_TOP_NEWEST[] = "SELECT " COMMENT_COLS COMMENT_FROM " WHERE" SHOWN_TOP
                                     " ORDER BY c.created_at DESC, c.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_TOP_OLDEST[] = "SELECT " COMMENT_COLS COMMENT_FROM " WHERE" SHOWN_TOP
                                     " ORDER BY c.created_at, c.id LIMIT ?2 OFFSET ?3";
static const char SQL_TOP_LIKED[] =
    "SELECT " COMMENT_COLS COMMENT_FROM " WHERE" SHOWN_TOP
    " ORDER BY c.likes DESC, c.created_at DESC, c.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_REPLIES[] =
    "SELECT " COMMENT_COLS COMMENT_FROM " WHERE c.parent_id = ? AND c.status = 'visible'"
    " ORDER BY c.created_at, c.id LIMIT 200";
static const char SQL_BY_COMMENTER[] =
    "SELECT " COMMENT_COLS COMMENT_FROM " WHERE c.commenter_id = ?1"
    " ORDER BY c.created_at DESC, c.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_BY_COMMENTER_COUNT[] =
    "SELECT count(*) FROM comments c WHERE c.commenter_id = ?1";
static const char SQL_QUEUE[] =
    "SELECT " COMMENT_COLS COMMENT_FROM " WHERE c.status IN ('held','hidden')"
    " ORDER BY c.reports DESC, c.created_at, c.id LIMIT ?2 OFFSET ?3";
static const char SQL_QUEUE_COUNT[] =
    "SELECT count(*) FROM comments c WHERE c.status IN ('held','hidden') AND ?1 IS NOT NULL";

static void
pick_list_sql(const struct store_comment_query *qr, const char **list, const char **count,
              int64_t *key)
{
    if (qr->queue) {
        *list = SQL_QUEUE;
        *count = SQL_QUEUE_COUNT;
        *key = 0;
    } else if (qr->commenter_id) {
        *list = SQL_BY_COMMENTER;
        *count = SQL_BY_COMMENTER_COUNT;
        *key = qr->commenter_id;
    } else {
        *list = qr->order == COMMENT_OLDEST       ? SQL_TOP_OLDEST
                : qr->order == COMMENT_MOST_LIKED ? SQL_TOP_LIKED
                                                  : SQL_TOP_NEWEST;
        *count = SQL_TOP_COUNT;
        *key = qr->article_id;
    }
}

static int
load_replies(struct sq_conn *c, struct arena *a, struct store_comment **out, size_t *n, size_t *cap,
             size_t ntop)
{
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < ntop && (rc == SQLITE_DONE); i++) {
        sqlite3_stmt *q = sq_stmt(c, SQL_REPLIES);
        sqlite3_bind_int64(q, 1, (*out)[i].id);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW)
            comment_row(a, q, sq_push(a, (void **)out, n, cap, sizeof(**out)));
        sqlite3_reset(q);
    }
    return rc;
}

int
sq_comment_list(struct store *st, const struct store_comment_query *qr, struct arena *a,
                struct store_comment **out, size_t *n, long *total)
{
    struct sq_conn *c = sq_reader(sq(st));
    const char *list_sql, *count_sql;
    int64_t key;
    pick_list_sql(qr, &list_sql, &count_sql, &key);
    *out = NULL;
    *n = 0;
    *total = 0;
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *q = sq_stmt(c, count_sql);
    sqlite3_bind_int64(q, 1, key);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *total = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    size_t cap = 0;
    if (rc == SQLITE_ROW) {
        q = sq_stmt(c, list_sql);
        sqlite3_bind_int64(q, 1, key);
        sqlite3_bind_int(q, 2, qr->limit > 0 ? qr->limit : 20);
        sqlite3_bind_int(q, 3, qr->offset > 0 ? qr->offset : 0);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW)
            comment_row(a, q, sq_push(a, (void **)out, n, &cap, sizeof(**out)));
        sqlite3_reset(q);
    }
    if (rc == SQLITE_DONE && qr->article_id && !qr->queue && !qr->commenter_id)
        rc = load_replies(c, a, out, n, &cap, *n);
    sq_read_end(c);
    return rc == SQLITE_DONE ? STORE_OK : sq_status(rc);
}

static const char SQL_VISIBLE_COUNT[] =
    "SELECT count(*) FROM comments WHERE article_id = ? AND status = 'visible'";

int
sq_comment_count(struct store *st, int64_t article_id, long *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_VISIBLE_COUNT);
    sqlite3_bind_int64(q, 1, article_id);
    return sq_count(q, n);
}

static const char SQL_COMMENT_EDIT[] =
    "UPDATE comments SET body = ?, status = ?, hold_reason = ?, edited_at = ? "
    "WHERE id = ? AND status IN ('visible','held')";

int
sq_comment_edit(struct store *st, int64_t id, const char *body, enum store_comment_status status,
                const char *hold_reason, int64_t now)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_COMMENT_EDIT);
    sq_bind_text(q, 1, body);
    sqlite3_bind_text(q, 2, store_comment_status_name(status), -1, SQLITE_STATIC);
    sq_bind_text(q, 3, hold_reason);
    sqlite3_bind_int64(q, 4, now);
    sqlite3_bind_int64(q, 5, id);
    int result = sq_status(sqlite3_step(q));
    if (result == STORE_OK && sqlite3_changes(c->db) == 0)
        result = STORE_NOTFOUND;
    sqlite3_reset(q);
    return sq_write_end(s, result);
}

static const char SQL_COMMENT_STATUS[] =
    "UPDATE comments SET status = ?, hold_reason = ? WHERE id = ?";

int
sq_comment_set_status(struct store *st, int64_t id, enum store_comment_status status,
                      const char *hold_reason, const struct store_modlog *log)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_COMMENT_STATUS);
    sqlite3_bind_text(q, 1, store_comment_status_name(status), -1, SQLITE_STATIC);
    sq_bind_text(q, 2, hold_reason);
    sqlite3_bind_int64(q, 3, id);
    int result = sq_status(sqlite3_step(q));
    if (result == STORE_OK && sqlite3_changes(c->db) == 0)
        result = STORE_NOTFOUND;
    sqlite3_reset(q);
    if (result == STORE_OK)
        result = log_add(c, log);
    return sq_write_end(s, result);
}

static const char SQL_LIKE_ADD[] =
    "INSERT INTO comment_likes(comment_id, commenter_id, created_at) "
    "SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM comments WHERE id = ?1 AND status = 'visible')"
    " ON CONFLICT DO NOTHING";
static const char SQL_LIKE_DEL[] =
    "DELETE FROM comment_likes WHERE comment_id = ?1 AND commenter_id = ?2";
static const char SQL_LIKE_SYNC[] =
    "UPDATE comments SET likes = (SELECT count(*) FROM comment_likes WHERE comment_id = ?1) "
    "WHERE id = ?1 RETURNING likes";

int
sq_comment_like(struct store *st, int64_t comment_id, int64_t commenter_id, bool on, int *likes)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, on ? SQL_LIKE_ADD : SQL_LIKE_DEL);
    sqlite3_bind_int64(q, 1, comment_id);
    sqlite3_bind_int64(q, 2, commenter_id);
    if (on)
        sqlite3_bind_int64(q, 3, time_now());
    int status = sq_step_done(q);
    if (status == STORE_OK) {
        q = sq_stmt(c, SQL_LIKE_SYNC);
        sqlite3_bind_int64(q, 1, comment_id);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            *likes = sqlite3_column_int(q, 0);
        status = sq_row_status(rc);
        sqlite3_reset(q);
    }
    return sq_write_end(s, status);
}

static const char SQL_REPORT_ADD[] =
    "INSERT INTO comment_reports(comment_id, commenter_id, reason, created_at) VALUES (?,?,?,?)";
static const char SQL_REPORT_SYNC[] =
    "UPDATE comments SET reports = (SELECT count(*) FROM comment_reports WHERE comment_id = ?1) "
    "WHERE id = ?1 RETURNING reports, status";
static const char SQL_REPORT_HIDE[] =
    "UPDATE comments SET status = 'hidden', hold_reason = 'reports' "
    "WHERE id = ? AND status = 'visible'";

int
sq_comment_report(struct store *st, int64_t comment_id, int64_t commenter_id, const char *reason,
                  int threshold, bool *hidden)
{
    struct sq_store *s = sq(st);
    *hidden = false;
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_REPORT_ADD);
    sqlite3_bind_int64(q, 1, comment_id);
    sqlite3_bind_int64(q, 2, commenter_id);
    sq_bind_text(q, 3, reason);
    sqlite3_bind_int64(q, 4, time_now());
    int status = sq_step_done(q);
    int reports = 0;
    if (status == STORE_OK) {
        q = sq_stmt(c, SQL_REPORT_SYNC);
        sqlite3_bind_int64(q, 1, comment_id);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            reports = sqlite3_column_int(q, 0);
        status = sq_row_status(rc);
        sqlite3_reset(q);
    }
    if (status == STORE_OK && threshold > 0 && reports >= threshold) {
        q = sq_stmt(c, SQL_REPORT_HIDE);
        sqlite3_bind_int64(q, 1, comment_id);
        status = sq_status(sqlite3_step(q));
        *hidden = status == STORE_OK && sqlite3_changes(c->db) > 0;
        sqlite3_reset(q);
    }
    return sq_write_end(s, status);
}

static const char SQL_WORDS[] = "SELECT word, kind FROM comment_words ORDER BY kind, word";

int
sq_comment_words(struct store *st, struct arena *a, struct store_comment_word **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_WORDS);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_comment_word *w = sq_push(a, (void **)out, n, &cap, sizeof(**out));
        w->word = sq_text(a, q, 0);
        w->kind = sq_text(a, q, 1);
    }
    sqlite3_reset(q);
    return sq_status(rc);
}

static const char SQL_WORD_SET[] = "INSERT INTO comment_words(word, kind) VALUES (?1, ?2) "
                                   "ON CONFLICT(word) DO UPDATE SET kind = excluded.kind";
static const char SQL_WORD_DEL[] = "DELETE FROM comment_words WHERE word = ?1";

int
sq_comment_word_set(struct store *st, const char *word, const char *kind,
                    const struct store_modlog *log)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, kind ? SQL_WORD_SET : SQL_WORD_DEL);
    sq_bind_text(q, 1, word);
    if (kind)
        sq_bind_text(q, 2, kind);
    int status = sq_step_done(q);
    if (status == STORE_OK)
        status = log_add(c, log);
    return sq_write_end(s, status);
}

static const char SQL_LOG_LIST[] =
    "SELECT id, at, staff_id, staff_name, action, coalesce(comment_id, 0), "
    "coalesce(commenter_id, 0), detail FROM moderation_log ORDER BY at DESC, id DESC LIMIT ?";

int
sq_modlog_list(struct store *st, int limit, struct arena *a, struct store_modlog **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_LOG_LIST);
    sqlite3_bind_int(q, 1, limit > 0 ? limit : 50);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_modlog *l = sq_push(a, (void **)out, n, &cap, sizeof(**out));
        l->id = sqlite3_column_int64(q, 0);
        l->at = sqlite3_column_int64(q, 1);
        l->staff_id = sqlite3_column_int64(q, 2);
        l->staff_name = sq_text(a, q, 3);
        l->action = sq_text(a, q, 4);
        l->comment_id = sqlite3_column_int64(q, 5);
        l->commenter_id = sqlite3_column_int64(q, 6);
        l->detail = sq_text(a, q, 7);
    }
    sqlite3_reset(q);
    return sq_status(rc);
}
