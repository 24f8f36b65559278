/*
 * Private to the SQLite backend: connections, the statement cache and
 * column helpers shared by the sqlite_*.c files.
 */
#ifndef BROADSHEET_SQLITE_INT_H
#define BROADSHEET_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "store/store.h"

#define SQ_MAX_STMTS 256

/* One connection with its prepared statements, keyed by the address of the
 * SQL text (every statement is a static string). */
struct sq_conn {
    sqlite3 *db;
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } stmts[SQ_MAX_STMTS];
    size_t nstmts;
    struct sq_conn *next;
};

struct sq_store {
    struct store base;
    char *path;
    pthread_mutex_t write_lock; /* one writer at a time */
    struct sq_conn *writer;
    pthread_mutex_t readers_lock;
    struct sq_conn *readers; /* every reader, for closing */
    pthread_key_t reader_key;
};

struct sq_migration {
    const char *name;
    const char *sql;
};
extern const struct sq_migration sq_migrations[];
extern const size_t sq_nmigrations;

extern const struct store_ops sq_ops;

/* The search's statements, for the unit test of their query plan. */
extern const char sq_sql_search[];
extern const char sq_sql_search_count[];

static inline struct sq_store *
sq(struct store *st)
{
    return (struct sq_store *)st;
}

/* This thread's read-only connection. */
struct sq_conn *sq_reader(struct sq_store *s);
/* The writer, locked, inside BEGIN IMMEDIATE; sq_write_end commits when ok
 * and rolls back otherwise, then unlocks. Returns STORE_OK or the failure. */
struct sq_conn *sq_write_begin(struct sq_store *s);
int sq_write_end(struct sq_store *s, int status);
int sq_read_begin(struct sq_conn *c);
void sq_read_end(struct sq_conn *c);

/* A prepared statement, reset and unbound, ready for binding. */
sqlite3_stmt *sq_stmt(struct sq_conn *c, const char *sql);
/* A lookup by id or by a text key (a slug, a login): by_text with text
 * bound as parameter 1 when text is not NULL, by_id with id otherwise. */
sqlite3_stmt *sq_stmt_by(struct sq_conn *c, const char *by_id, int64_t id, const char *by_text,
                         const char *text);
int sq_exec(sqlite3 *db, const char *sql);
int sq_status(int rc);
/* After a step that looked for one row: STORE_OK for a row, STORE_NOTFOUND
 * for none, or the failure. */
int sq_row_status(int rc);
/* Steps a statement that returns no rows, resets it: STORE_OK or the failure. */
int sq_step_done(sqlite3_stmt *q);
/* Steps a statement whose first column is a count into *n (0 without a
 * row), resets it: STORE_OK or the failure. */
int sq_count(sqlite3_stmt *q, long *n);
/* A zeroed slot at the end of the arena array *arr of *n items of size
 * bytes (capacity *cap; start with *arr NULL, *n and *cap 0), grown by
 * doubling in the arena. */
void *sq_push(struct arena *a, void **arr, size_t *n, size_t *cap, size_t size);

char *sq_text(struct arena *a, sqlite3_stmt *st, int col);
/* Binds s as text, NULL pointer as "" */
void sq_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Binds the ids as a JSON array for json_each(), or NULL when n is 0. */
void sq_bind_ids(sqlite3_stmt *st, int idx, const int64_t *ids, size_t n);

/* Shared loaders (sqlite_misc.c) */
void sq_section_row(struct arena *a, sqlite3_stmt *st, struct store_section *out);
void sq_author_row(struct arena *a, sqlite3_stmt *st, int col, struct store_author *out);
void sq_photo_row(struct arena *a, sqlite3_stmt *st, int col, struct store_photo *out);
void sq_tag_row(struct arena *a, sqlite3_stmt *st, int col, struct store_tag *out);
/* An article status column (sqlite_article.c); draft when unknown. */
enum store_article_status sq_article_status(sqlite3_stmt *st, int col);

/* Table of operations, split by file. */
int sq_section_list(struct store *st, struct arena *a, struct store_section **out, size_t *n);
int sq_section_save(struct store *st, struct store_section *s);
int sq_author_get(struct store *st, int64_t id, const char *slug, struct arena *a,
                  struct store_author *out);
int sq_author_list(struct store *st, struct arena *a, struct store_author **out, size_t *n);
int sq_author_save(struct store *st, struct store_author *au);
int sq_tag_get(struct store *st, int64_t id, const char *slug, struct arena *a,
               struct store_tag *out);
int sq_tag_ensure(struct store *st, const char *name, int64_t *id);
int sq_photo_get(struct store *st, int64_t id, struct arena *a, struct store_photo *out);
int sq_photo_save(struct store *st, struct store_photo *p);
int sq_front_get(struct store *st, struct arena *a, int64_t **ids, size_t *n);
int sq_front_set(struct store *st, const int64_t *ids, size_t n);
int sq_correction_add(struct store *st, struct store_correction *c);

int sq_article_get(struct store *st, int64_t id, struct arena *a, struct store_article *out);
int sq_article_list(struct store *st, const struct store_article_query *q, struct arena *a,
                    struct store_article **out, size_t *n);
int sq_article_count(struct store *st, const struct store_article_query *q, long *n);
int sq_article_related(struct store *st, int64_t id, int64_t now, int limit, struct arena *a,
                       struct store_article **out, size_t *n);
int sq_article_save(struct store *st, struct store_article *a);
/* The article and its relations on the writer, inside the caller's transaction. */
int sq_article_write(struct sq_conn *c, struct store_article *a);

/* distribution (sqlite_distribution.c) */
int sq_search_pending(struct store *st, int max, struct arena *a, struct store_search_pending **out,
                      size_t *n);
int sq_search_docs_put(struct store *st, const struct store_search_pending *which,
                       const struct store_search_doc *const *docs, size_t n);
int sq_search_query(struct store *st, const struct store_search_query *q, struct arena *a,
                    struct store_search_hit **out, size_t *n, long *total);
int sq_article_briefs(struct store *st, const struct store_brief_query *q, struct arena *a,
                      struct store_article_brief **out, size_t *n);
int sq_article_brief_count(struct store *st, int64_t now, long *n);
int sq_ingest_item_get(struct store *st, const char *agency, const char *guid, struct arena *a,
                       struct store_ingest_item *out);
int sq_ingest_item_save(struct store *st, struct store_ingest_item *item, struct store_article *art);
int sq_ingest_log_add(struct store *st, struct store_ingest_event *ev);
int sq_ingest_log_list(struct store *st, const char *outcome, int limit, struct arena *a,
                       struct store_ingest_event **out, size_t *n);
int sq_import_map_get(struct store *st, const char *source, const char *kind, const char *source_id,
                      int64_t *target);
int sq_import_map_set(struct store *st, const char *source, const char *kind, const char *source_id,
                      int64_t target);
int sq_import_posts_save(struct store *st, struct store_import_post *posts, size_t n);
int sq_import_comments_save(struct store *st, struct store_import_comment *c, size_t n);

/* comments (sqlite_comments.c) */
/* On the writer, inside the caller's transaction: the commenter of an
 * identity, made when new; a comment as it is (no checks), cm->id set. */
int sq_commenter_find_or_add(struct sq_conn *c, const char *provider, const char *subject,
                             const char *display_name, const char *email, int64_t *id);
int sq_comment_insert(struct sq_conn *c, struct store_comment *cm);
int sq_commenter_signin(struct store *st, const char *provider, const char *subject,
                        const char *display_name, const char *email, int64_t *id);
int sq_commenter_get(struct store *st, int64_t id, struct arena *a, struct store_commenter *out);
int sq_commenter_delete(struct store *st, int64_t id);
int sq_commenter_suspend(struct store *st, int64_t id, int64_t until, const char *reason,
                         const struct store_modlog *log);
int sq_reader_session_add(struct store *st, const char *token_hash, int64_t commenter_id,
                          int64_t expires_at);
int sq_reader_session_get(struct store *st, const char *token_hash, int64_t now,
                          int64_t *commenter_id);
int sq_reader_session_delete(struct store *st, const char *token_hash);
int sq_signin_flow_add(struct store *st, const struct store_signin_flow *f);
int sq_signin_flow_take(struct store *st, const char *state, int64_t oldest, struct arena *a,
                        struct store_signin_flow *out);
int sq_comment_add(struct store *st, struct store_comment *cm, store_comment_check_fn check,
                   void *ctx, int *verdict);
int sq_comment_get(struct store *st, int64_t id, struct arena *a, struct store_comment *out);
int sq_comment_list(struct store *st, const struct store_comment_query *qr, struct arena *a,
                    struct store_comment **out, size_t *n, long *total);
int sq_comment_count(struct store *st, int64_t article_id, long *n);
int sq_comment_edit(struct store *st, int64_t id, const char *body,
                    enum store_comment_status status, const char *hold_reason, int64_t now);
int sq_comment_set_status(struct store *st, int64_t id, enum store_comment_status status,
                          const char *hold_reason, const struct store_modlog *log);
int sq_comment_like(struct store *st, int64_t comment_id, int64_t commenter_id, bool on,
                    int *likes);
int sq_comment_report(struct store *st, int64_t comment_id, int64_t commenter_id,
                      const char *reason, int threshold, bool *hidden);
int sq_comment_words(struct store *st, struct arena *a, struct store_comment_word **out, size_t *n);
int sq_comment_word_set(struct store *st, const char *word, const char *kind,
                        const struct store_modlog *log);
int sq_modlog_list(struct store *st, int limit, struct arena *a, struct store_modlog **out,
                   size_t *n);

/* --- newsroom (sqlite_newsroom.c, sqlite_staff.c) --- */
#define SQ_ARTICLE_COLS                                                                    \
    "a.id, a.slug, a.headline, a.summary, a.body, a.credit, a.status, a.section_id, "      \
    "a.created_at, a.saved_at, coalesce(a.published_at, 0), coalesce(a.updated_at, 0), " \
    "a.comments_locked, a.version"
/* An article from SQ_ARTICLE_COLS at column 0, and its relations. */
void sq_article_row(struct arena *a, sqlite3_stmt *st, struct store_article *out);
void sq_article_relations(struct sq_conn *c, struct arena *a, struct store_article *art,
                          bool full);
/* Writes the revision of a just-saved article, inside the save's transaction. */
int sq_revision_write(struct sq_conn *c, const struct store_article *a);

int sq_user_get(struct store *st, int64_t id, const char *login, struct arena *a,
                struct store_user *out);
int sq_user_list(struct store *st, struct arena *a, struct store_user **out, size_t *n);
int sq_user_save(struct store *st, struct store_user *u);
int sq_user_password_set(struct store *st, int64_t id, const char *pwhash, bool must_change);
int sq_user_login_mark(struct store *st, int64_t id, int64_t at);
int sq_session_add(struct store *st, const struct store_session *s);
int sq_session_get(struct store *st, const char *token_hash, struct arena *a,
                   struct store_session *out);
int sq_session_touch(struct store *st, const char *token_hash, int64_t seen_at);
int sq_session_delete(struct store *st, const char *token_hash);
int sq_session_purge(struct store *st, int64_t idle_before, int64_t created_before);
int sq_login_failure_add(struct store *st, const char *account, const char *addr, int64_t at);
int sq_login_failure_count(struct store *st, const char *account, const char *addr, int64_t since,
                           long *by_account, int64_t *last_account, long *by_addr,
                           int64_t *last_addr);
int sq_login_failure_clear(struct store *st, const char *account);
int sq_audit_add(struct store *st, struct store_audit *e);
int sq_audit_list(struct store *st, int limit, int offset, struct arena *a,
                  struct store_audit **out, size_t *n, long *total);

int sq_revision_list(struct store *st, int64_t article_id, struct arena *a,
                     struct store_revision **out, size_t *n);
int sq_revision_get(struct store *st, int64_t id, struct arena *a, struct store_revision *out);
int sq_newsroom_list(struct store *st, const struct store_newsroom_query *q, struct arena *a,
                     struct store_newsroom_item **out, size_t *n, long *total);
int sq_article_publish_due(struct store *st, int64_t now, struct arena *a, int64_t **ids,
                           size_t *n);
int sq_article_next_due(struct store *st, int64_t *at);
int sq_correction_list(struct store *st, int64_t now, int limit, int offset, struct arena *a,
                       struct store_correction_item **out, size_t *n, long *total);
int sq_section_delete(struct store *st, int64_t id);
int sq_photo_delete(struct store *st, int64_t id);

#endif
