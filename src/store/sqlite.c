/*
 * The SQLite backend: one writer connection behind a mutex, one read-only
 * connection per thread with its prepared statements kept, WAL with
 * synchronous=FULL so that what was acknowledged survives a crash or a
 * power cut. Opening checks that the file is ours, intact and not newer
 * than this binary before touching it, and applies missing migrations.
 */
#include "store/sqlite_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define APPLICATION_ID 0x42534854 /* "BSHT" */

int
sq_status(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return STORE_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return STORE_BUSY;
    case SQLITE_CONSTRAINT:
        return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY
                   ? STORE_CONFLICT
                   : STORE_INVALID;
    default:
        return STORE_ERROR;
    }
}

int
sq_row_status(int rc)
{
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : sq_status(rc);
}

int
sq_step_done(sqlite3_stmt *q)
{
    int status = sq_status(sqlite3_step(q));
    sqlite3_reset(q);
    return status;
}

int
sq_count(sqlite3_stmt *q, long *n)
{
    int rc = sqlite3_step(q);
    *n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return sq_status(rc);
}

void *
sq_push(struct arena *a, void **arr, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        void *na = arena_alloc(a, ncap * size);
        if (*n)
            memcpy(na, *arr, *n * size);
        *arr = na;
        *cap = ncap;
    }
    void *slot = (char *)*arr + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

sqlite3_stmt *
sq_stmt_by(struct sq_conn *c, const char *by_id, int64_t id, const char *by_text, const char *text)
{
    sqlite3_stmt *q = sq_stmt(c, text ? by_text : by_id);
    if (text)
        sq_bind_text(q, 1, text);
    else
        sqlite3_bind_int64(q, 1, id);
    return q;
}

int
sq_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
    }
    return rc;
}

sqlite3_stmt *
sq_stmt(struct sq_conn *c, const char *sql)
{
    for (size_t i = 0; i < c->nstmts; i++) {
        if (c->stmts[i].sql == sql) {
            sqlite3_stmt *st = c->stmts[i].stmt;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        die("sqlite: cannot prepare statement: %s\n%s", sqlite3_errmsg(c->db), sql);
    if (c->nstmts == SQ_MAX_STMTS)
        die("sqlite: more than %d distinct statements on one connection", SQ_MAX_STMTS);
    c->stmts[c->nstmts].sql = sql;
    c->stmts[c->nstmts].stmt = st;
    c->nstmts++;
    return st;
}

char *
sq_text(struct arena *a, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    return arena_strndup(a, t ? (const char *)t : "", t ? (size_t)n : 0);
}

void
sq_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    sqlite3_bind_text(st, idx, s ? s : "", -1, SQLITE_TRANSIENT);
}

void
sq_bind_ids(sqlite3_stmt *st, int idx, const int64_t *ids, size_t n)
{
    if (n == 0) {
        sqlite3_bind_null(st, idx);
        return;
    }
    struct buf b = BUF_INIT;
    buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_addf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_addch(&b, ']');
    sqlite3_bind_text(st, idx, b.p, (int)b.len, SQLITE_TRANSIENT);
    buf_release(&b);
}

static void
conn_close(struct sq_conn *c)
{
    for (size_t i = 0; i < c->nstmts; i++)
        sqlite3_finalize(c->stmts[i].stmt);
    sqlite3_close_v2(c->db);
    free(c);
}

static struct sq_conn *
conn_open(const char *path, int flags, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database '%s': %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    struct sq_conn *c = xcalloc(1, sizeof(*c));
    c->db = db;
    return c;
}

struct sq_conn *
sq_reader(struct sq_store *s)
{
    struct sq_conn *c = pthread_getspecific(s->reader_key);
    if (c)
        return c;
    char err[256];
    c = conn_open(s->path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, err, sizeof(err));
    if (c == NULL)
        die("%s", err);
    sq_exec(c->db, "PRAGMA query_only=1; PRAGMA cache_size=-16000; PRAGMA mmap_size=268435456;");
    pthread_mutex_lock(&s->readers_lock);
    c->next = s->readers;
    s->readers = c;
    pthread_mutex_unlock(&s->readers_lock);
    pthread_setspecific(s->reader_key, c);
    return c;
}

struct sq_conn *
sq_write_begin(struct sq_store *s)
{
    pthread_mutex_lock(&s->write_lock);
    if (sq_exec(s->writer->db, "BEGIN IMMEDIATE") != SQLITE_OK) {
        pthread_mutex_unlock(&s->write_lock);
        return NULL;
    }
    return s->writer;
}

int
sq_write_end(struct sq_store *s, int status)
{
    if (status == STORE_OK) {
        int rc = sq_exec(s->writer->db, "COMMIT");
        if (rc != SQLITE_OK) {
            status = sq_status(rc);
            sq_exec(s->writer->db, "ROLLBACK");
        }
    } else {
        sq_exec(s->writer->db, "ROLLBACK");
    }
    pthread_mutex_unlock(&s->write_lock);
    return status;
}

int
sq_read_begin(struct sq_conn *c)
{
    return sq_exec(c->db, "BEGIN") == SQLITE_OK ? STORE_OK : STORE_ERROR;
}

void
sq_read_end(struct sq_conn *c)
{
    sq_exec(c->db, "COMMIT");
}

/* --- opening and migrating --- */

static int
pragma_int(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static bool
known_migration(const char *name)
{
    for (size_t i = 0; i < sq_nmigrations; i++)
        if (strcmp(sq_migrations[i].name, name) == 0)
            return true;
    return false;
}

/* Refuses a file that is damaged, another program's, or newer than us. */
static int
check_file(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    long long app = 0, tables = 0;
    int rc = pragma_int(db, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
        rc = SQLITE_CORRUPT;
    sqlite3_finalize(st);
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
        snprintf(err, errlen,
                 "database '%s' is damaged or not a database; it was left untouched "
                 "(restore it from a backup, or move it away to start afresh)",
                 path);
        return -1;
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot read database '%s': %s", path, sqlite3_errstr(rc));
        return -1;
    }
    if (tables > 0 && app != APPLICATION_ID) {
        snprintf(err, errlen, "database '%s' belongs to another program; it was left untouched",
                 path);
        return -1;
    }
    if (tables == 0)
        return 0;
    rc = sqlite3_prepare_v2(db, "SELECT name FROM schema_migrations", -1, &st, NULL);
    int result = 0;
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!known_migration(name)) {
            snprintf(err, errlen,
                     "database '%s' was written by a newer version of Broadsheet (it has "
                     "migration '%s'); run that version or a later one",
                     path, name);
            result = -1;
            break;
        }
    }
    sqlite3_finalize(st);
    return result;
}

static bool
applied(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE name = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

static int
migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "PRAGMA application_id=%d;"
             "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);",
             APPLICATION_ID);
    if (sq_exec(db, sql) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < sq_nmigrations; i++) {
        const struct sq_migration *m = &sq_migrations[i];
        if (applied(db, m->name))
            continue;
        if (sq_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
            goto fail;
        sqlite3_stmt *st = NULL;
        int rc = sq_exec(db, m->sql);
        if (rc == SQLITE_OK)
            rc = sqlite3_prepare_v2(
                db, "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, time_now());
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_OK || sq_exec(db, "COMMIT") != SQLITE_OK) {
            sq_exec(db, "ROLLBACK");
            snprintf(err, errlen, "cannot apply migration '%s' to '%s'", m->name, path);
            return -1;
        }
        log_info("database '%s': applied migration '%s'", path, m->name);
    }
    return 0;
fail:
    snprintf(err, errlen, "cannot prepare database '%s': %s", path, sqlite3_errmsg(db));
    return -1;
}

static void
sq_close(struct store *st)
{
    struct sq_store *s = sq(st);
    if (s == NULL)
        return;
    struct sq_conn *c = s->readers;
    while (c) {
        struct sq_conn *next = c->next;
        conn_close(c);
        c = next;
    }
    if (s->writer) {
        sqlite3_exec(s->writer->db, "PRAGMA optimize", NULL, NULL, NULL);
        conn_close(s->writer);
    }
    pthread_key_delete(s->reader_key);
    pthread_mutex_destroy(&s->write_lock);
    pthread_mutex_destroy(&s->readers_lock);
    free(s->path);
    free(s);
}

struct store *
store_sqlite_open(const char *path, char *err, size_t errlen)
{
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (exists ? 0 : SQLITE_OPEN_CREATE);
    if (exists && !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "database '%s' is not a regular file", path);
        return NULL;
    }
    struct sq_conn *w = conn_open(path, flags, err, errlen);
    if (w == NULL)
        return NULL;
    if (check_file(w->db, path, err, errlen) != 0)
        goto fail;
    long long one = 0;
    if (sq_exec(w->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                       "PRAGMA foreign_keys=ON;") != SQLITE_OK ||
        pragma_int(w->db, "PRAGMA foreign_keys", &one) != SQLITE_OK || one != 1) {
        snprintf(err, errlen, "cannot set up database '%s': %s", path, sqlite3_errmsg(w->db));
        goto fail;
    }
    if (migrate(w->db, path, err, errlen) != 0)
        goto fail;

    struct sq_store *s = xcalloc(1, sizeof(*s));
    s->base.ops = &sq_ops;
    s->base.impl = s;
    s->path = xstrdup(path);
    s->writer = w;
    pthread_mutex_init(&s->write_lock, NULL);
    pthread_mutex_init(&s->readers_lock, NULL);
    if (pthread_key_create(&s->reader_key, NULL) != 0)
        die("pthread_key_create failed");
    return &s->base;
fail:
    conn_close(w);
    return NULL;
}

void
store_close(struct store *st)
{
    if (st)
        st->ops->close(st);
}

/* A consistent copy while others read and write: SQLite's online backup
 * into a temporary file beside the target, renamed into place when done. */
static int
sq_backup(struct store *st, const char *path)
{
    struct sq_store *s = sq(st);
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid()) >= (int)sizeof(tmp))
        return STORE_INVALID;
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        struct sq_conn *r = sq_reader(s);
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", r->db, "main");
        if (b == NULL) {
            rc = sqlite3_errcode(dst);
        } else {
            do {
                rc = sqlite3_backup_step(b, -1);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                    sqlite3_sleep(50);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            rc = sqlite3_backup_finish(b);
        }
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close_v2(dst);
    if (rc == SQLITE_OK && rename(tmp, path) != 0) {
        log_error("backup: cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
        rc = SQLITE_CANTOPEN;
    }
    if (rc != SQLITE_OK) {
        unlink(tmp);
        log_error("backup: %s", sqlite3_errstr(rc));
        return STORE_ERROR;
    }
    return STORE_OK;
}

const struct store_ops sq_ops = {
    .name = "sqlite",
    .close = sq_close,
    .backup = sq_backup,
    .section_list = sq_section_list,
    .section_save = sq_section_save,
    .author_get = sq_author_get,
    .author_list = sq_author_list,
    .author_save = sq_author_save,
    .tag_get = sq_tag_get,
    .tag_ensure = sq_tag_ensure,
    .photo_get = sq_photo_get,
    .photo_save = sq_photo_save,
    .article_get = sq_article_get,
    .article_list = sq_article_list,
    .article_count = sq_article_count,
    .article_related = sq_article_related,
    .article_save = sq_article_save,
    .front_get = sq_front_get,
    .front_set = sq_front_set,
    .correction_add = sq_correction_add,
    /* distribution */
    .search_pending = sq_search_pending,
    .search_docs_put = sq_search_docs_put,
    .search_query = sq_search_query,
    .article_briefs = sq_article_briefs,
    .article_brief_count = sq_article_brief_count,
    .ingest_item_get = sq_ingest_item_get,
    .ingest_item_save = sq_ingest_item_save,
    .ingest_log_add = sq_ingest_log_add,
    .ingest_log_list = sq_ingest_log_list,
    .import_map_get = sq_import_map_get,
    .import_map_set = sq_import_map_set,
    .import_posts_save = sq_import_posts_save,
    .import_comments_save = sq_import_comments_save,
    /* comments */
    .commenter_signin = sq_commenter_signin,
    .commenter_get = sq_commenter_get,
    .commenter_delete = sq_commenter_delete,
    .commenter_suspend = sq_commenter_suspend,
    .reader_session_add = sq_reader_session_add,
    .reader_session_get = sq_reader_session_get,
    .reader_session_delete = sq_reader_session_delete,
    .signin_flow_add = sq_signin_flow_add,
    .signin_flow_take = sq_signin_flow_take,
    .comment_add = sq_comment_add,
    .comment_get = sq_comment_get,
    .comment_list = sq_comment_list,
    .comment_count = sq_comment_count,
    .comment_edit = sq_comment_edit,
    .comment_set_status = sq_comment_set_status,
    .comment_like = sq_comment_like,
    .comment_report = sq_comment_report,
    .comment_words = sq_comment_words,
    .comment_word_set = sq_comment_word_set,
    .modlog_list = sq_modlog_list,
    /* newsroom */
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_save = sq_user_save,
    .user_password_set = sq_user_password_set,
    .user_login_mark = sq_user_login_mark,
    .session_add = sq_session_add,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .session_purge = sq_session_purge,
    .login_failure_add = sq_login_failure_add,
    .login_failure_count = sq_login_failure_count,
    .login_failure_clear = sq_login_failure_clear,
    .revision_list = sq_revision_list,
    .revision_get = sq_revision_get,
    .audit_add = sq_audit_add,
    .audit_list = sq_audit_list,
    .newsroom_list = sq_newsroom_list,
    .article_publish_due = sq_article_publish_due,
    .article_next_due = sq_article_next_due,
    .correction_list = sq_correction_list,
    .section_delete = sq_section_delete,
    .photo_delete = sq_photo_delete,
};
