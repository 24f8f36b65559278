/*
 * Distribution in SQLite: the full-text index (FTS5) and its queue, the
 * light article lists of sitemaps, agency copy (items and the intake log)
 * and the memory of imports.
 *
 * The search index: triggers on articles (migration 0004-distribution) put
 * every changed article in search_pending with a rising seq; the search
 * module turns pending articles into plain text and bigrams and writes
 * them back with search_docs_put, which clears a mark only when the
 * article did not change again meanwhile. Visibility is never taken from
 * the index: every query joins the live articles table, so drafts,
 * scheduled and embargoed articles, and unpublished ones never match.
 */
#include "store/sqlite_int.h"

#include <stdlib.h>

#include <string.h>

/* --- the search index --- */

static const char SQL_PENDING[] = "SELECT article_id, seq FROM search_pending ORDER BY seq LIMIT ?";

int
sq_search_pending(struct store *st, int max, struct arena *a, struct store_search_pending **out,
                  size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_PENDING);
    sqlite3_bind_int(s, 1, max > 0 ? max : 100);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_search_pending *p = sq_push(a, (void **)out, n, &cap, sizeof(**out));
        p->article_id = sqlite3_column_int64(s, 0);
        p->seq = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return sq_status(rc);
}

static const char SQL_FTS_DELETE[] = "DELETE FROM search_fts WHERE rowid = ?";
static const char SQL_FTS_INSERT[] =
    "INSERT INTO search_fts(rowid, headline, summary, body, cjk) VALUES (?, ?, ?, ?, ?)";
static const char SQL_PENDING_CLEAR[] =
    "DELETE FROM search_pending WHERE article_id = ? AND seq <= ?";

static int
doc_put(struct sq_conn *c, const struct store_search_pending *p, const struct store_search_doc *d)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_FTS_DELETE);
    sqlite3_bind_int64(q, 1, p->article_id);
    int status = sq_step_done(q);
    if (status == STORE_OK && d) {
        q = sq_stmt(c, SQL_FTS_INSERT);
        sqlite3_bind_int64(q, 1, p->article_id);
        sq_bind_text(q, 2, d->headline);
        sq_bind_text(q, 3, d->summary);
        sq_bind_text(q, 4, d->body);
        sq_bind_text(q, 5, d->cjk);
        status = sq_step_done(q);
    }
    if (status == STORE_OK) {
        q = sq_stmt(c, SQL_PENDING_CLEAR);
        sqlite3_bind_int64(q, 1, p->article_id);
        sqlite3_bind_int64(q, 2, p->seq);
        status = sq_step_done(q);
    }
    return status;
}

int
sq_search_docs_put(struct store *st, const struct store_search_pending *which,
                   const struct store_search_doc *const *docs, size_t n)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int status = STORE_OK;
    for (size_t i = 0; i < n && status == STORE_OK; i++)
        status = doc_put(c, &which[i], docs[i]);
    return sq_write_end(s, status);
}

/* CROSS JOIN keeps the index outside: left to choose, SQLite walks every
 * published article and runs the whole MATCH once for each (a prefix query
 * on 88,000 articles held a loop thread for minutes) */
#define SEARCH_WHERE                                                                               \
    " FROM search_fts CROSS JOIN articles a ON a.id = search_fts.rowid"                            \
    " WHERE search_fts MATCH ?1 AND a.status = 'published' AND a.published_at <= ?2"               \
    " AND (?3 IS NULL OR a.section_id IN (SELECT value FROM json_each(?3))"                        \
    "      OR a.id IN (SELECT article_id FROM article_sections"                                    \
    "                  WHERE section_id IN (SELECT value FROM json_each(?3))))"

const char sq_sql_search[] =
    "SELECT a.id, highlight(search_fts, 0, char(1), char(2)),"
    " snippet(search_fts, 2, char(1), char(2), '\xe2\x80\xa6', 24), search_fts.body" SEARCH_WHERE
    " ORDER BY bm25(search_fts, 8.0, 3.0, 1.0, 1.0), a.published_at DESC, a.id DESC"
    " LIMIT ?4 OFFSET ?5";
const char sq_sql_search_count[] = "SELECT count(*)" SEARCH_WHERE;

static void
bind_search(sqlite3_stmt *s, const struct store_search_query *q)
{
    sq_bind_text(s, 1, q->match);
    sqlite3_bind_int64(s, 2, q->now ? q->now : time_now());
    sq_bind_ids(s, 3, q->section_ids, q->nsection_ids);
}

/* An FTS5 expression error is the caller's input, not a broken database. */
static int
search_status(int rc)
{
    return (rc & 0xff) == SQLITE_ERROR ? STORE_INVALID : sq_status(rc);
}

static int
search_count(struct sq_conn *c, const struct store_search_query *q, long *total)
{
    sqlite3_stmt *s = sq_stmt(c, sq_sql_search_count);
    bind_search(s, q);
    int rc = sqlite3_step(s);
    *total = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? STORE_OK : search_status(rc);
}

int
sq_search_query(struct store *st, const struct store_search_query *q, struct arena *a,
                struct store_search_hit **out, size_t *n, long *total)
{
    struct sq_conn *c = sq_reader(sq(st));
    *out = NULL;
    *n = 0;
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    int status = search_count(c, q, total);
    if (status == STORE_OK && *total > 0) {
        sqlite3_stmt *s = sq_stmt(c, sq_sql_search);
        bind_search(s, q);
        sqlite3_bind_int(s, 4, q->limit > 0 && q->limit <= 100 ? q->limit : 10);
        sqlite3_bind_int(s, 5, q->offset > 0 ? q->offset : 0);
        size_t cap = 0;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            struct store_search_hit *h = sq_push(a, (void **)out, n, &cap, sizeof(**out));
            h->article_id = sqlite3_column_int64(s, 0);
            h->headline_marked = sq_text(a, s, 1);
            h->snippet_marked = sq_text(a, s, 2);
            h->body = sq_text(a, s, 3);
        }
        sqlite3_reset(s);
        status = search_status(rc);
    }
    sq_read_end(c);
    return status;
}

/* --- sitemaps --- */

#define BRIEF_COLS "id, slug, headline, section_id, published_at, coalesce(updated_at, 0)"
#define BRIEF_WHERE                                                                                \
    " FROM articles WHERE status = 'published' AND published_at <= ?1 AND published_at >= ?2"
static const char SQL_BRIEFS_OLDEST[] =
    "SELECT " BRIEF_COLS BRIEF_WHERE " ORDER BY id LIMIT ?3 OFFSET ?4";
static const char SQL_BRIEFS_NEWEST[] =
    "SELECT " BRIEF_COLS BRIEF_WHERE " ORDER BY published_at DESC, id DESC LIMIT ?3 OFFSET ?4";
static const char SQL_BRIEF_COUNT[] = "SELECT count(*)" BRIEF_WHERE;

int
sq_article_briefs(struct store *st, const struct store_brief_query *q, struct arena *a,
                  struct store_article_brief **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, q->oldest_first ? SQL_BRIEFS_OLDEST : SQL_BRIEFS_NEWEST);
    sqlite3_bind_int64(s, 1, q->now ? q->now : time_now());
    sqlite3_bind_int64(s, 2, q->since);
    sqlite3_bind_int(s, 3, q->limit > 0 && q->limit <= 50000 ? q->limit : 1000);
    sqlite3_bind_int(s, 4, q->offset > 0 ? q->offset : 0);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_article_brief *b = sq_push(a, (void **)out, n, &cap, sizeof(**out));
        b->id = sqlite3_column_int64(s, 0);
        b->slug = sq_text(a, s, 1);
        b->headline = sq_text(a, s, 2);
        b->section_id = sqlite3_column_int64(s, 3);
        b->published_at = sqlite3_column_int64(s, 4);
        b->updated_at = sqlite3_column_int64(s, 5);
    }
    sqlite3_reset(s);
    return sq_status(rc);
}

int
sq_article_brief_count(struct store *st, int64_t now, long *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_BRIEF_COUNT);
    sqlite3_bind_int64(s, 1, now ? now : time_now());
    sqlite3_bind_int64(s, 2, 0);
    return sq_count(s, n);
}

/* --- agency copy --- */

static const char SQL_ITEM_GET[] =
    "SELECT agency, guid, version, coalesce(article_id, 0), urgency, source, byline, pubstatus,"
    " coalesce(embargo_until, 0), received_at FROM ingest_items WHERE agency = ? AND guid = ?";

int
sq_ingest_item_get(struct store *st, const char *agency, const char *guid, struct arena *a,
                   struct store_ingest_item *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_ITEM_GET);
    sq_bind_text(s, 1, agency);
    sq_bind_text(s, 2, guid);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        out->agency = sq_text(a, s, 0);
        out->guid = sq_text(a, s, 1);
        out->version = sqlite3_column_int(s, 2);
        out->article_id = sqlite3_column_int64(s, 3);
        out->urgency = sqlite3_column_int(s, 4);
        out->source = sq_text(a, s, 5);
        out->byline = sq_text(a, s, 6);
        out->pubstatus = sq_text(a, s, 7);
        out->embargo_until = sqlite3_column_int64(s, 8);
        out->received_at = sqlite3_column_int64(s, 9);
    }
    sqlite3_reset(s);
    return sq_row_status(rc);
}

static const char SQL_ART_STATUS[] = "SELECT status FROM articles WHERE id = ?";
static const char SQL_ITEM_PUT[] =
    "INSERT OR REPLACE INTO ingest_items(agency, guid, version, article_id, urgency, source,"
    " byline, pubstatus, embargo_until, received_at)"
    " VALUES (?, ?, ?, nullif(?, 0), ?, ?, ?, ?, nullif(?, 0), ?)";

/* Only a draft (or one marked ready) may be overwritten by the agency. */
static int
still_draft(struct sq_conn *c, int64_t id)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_ART_STATUS);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    int status = STORE_OK;
    if (rc == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(q, 0);
        if (strcmp(s, "draft") != 0 && strcmp(s, "ready") != 0)
            status = STORE_CONFLICT;
    } else {
        status = rc == SQLITE_DONE ? STORE_NOTFOUND : sq_status(rc);
    }
    sqlite3_reset(q);
    return status;
}

static int
item_put(struct sq_conn *c, const struct store_ingest_item *it)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_ITEM_PUT);
    sq_bind_text(q, 1, it->agency);
    sq_bind_text(q, 2, it->guid);
    sqlite3_bind_int(q, 3, it->version);
    sqlite3_bind_int64(q, 4, it->article_id);
    sqlite3_bind_int(q, 5, it->urgency);
    sq_bind_text(q, 6, it->source);
    sq_bind_text(q, 7, it->byline);
    sq_bind_text(q, 8, it->pubstatus && it->pubstatus[0] ? it->pubstatus : "usable");
    sqlite3_bind_int64(q, 9, it->embargo_until);
    sqlite3_bind_int64(q, 10, it->received_at ? it->received_at : time_now());
    return sq_step_done(q);
}

int
sq_ingest_item_save(struct store *st, struct store_ingest_item *item, struct store_article *art)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int64_t old_id = art ? art->id : 0;
    int old_version = art ? art->version : 0;
    int status = STORE_OK;
    if (art && art->id)
        status = still_draft(c, art->id);
    if (status == STORE_OK && art)
        status = sq_article_write(c, art);
    if (status == STORE_OK) {
        if (art)
            item->article_id = art->id;
        status = item_put(c, item);
    }
    status = sq_write_end(s, status);
    if (status != STORE_OK && art) {
        art->id = old_id;
        art->version = old_version;
    }
    return status;
}

static const char SQL_LOG_ADD[] =
    "INSERT INTO ingest_log(at, agency, guid, version, article_id, outcome, file, reason)"
    " VALUES (?, ?, ?, ?, nullif(?, 0), ?, ?, ?)";

int
sq_ingest_log_add(struct store *st, struct store_ingest_event *ev)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    if (ev->at == 0)
        ev->at = time_now();
    sqlite3_stmt *q = sq_stmt(c, SQL_LOG_ADD);
    sqlite3_bind_int64(q, 1, ev->at);
    sq_bind_text(q, 2, ev->agency);
    sq_bind_text(q, 3, ev->guid);
    sqlite3_bind_int(q, 4, ev->version);
    sqlite3_bind_int64(q, 5, ev->article_id);
    sq_bind_text(q, 6, ev->outcome);
    sq_bind_text(q, 7, ev->file);
    sq_bind_text(q, 8, ev->reason);
    int status = sq_status(sqlite3_step(q));
    if (status == STORE_OK)
        ev->id = sqlite3_last_insert_rowid(c->db);
    sqlite3_reset(q);
    return sq_write_end(s, status);
}

static const char SQL_LOG_LIST[] =
    "SELECT id, at, agency, guid, version, coalesce(article_id, 0), outcome, file, reason"
    " FROM ingest_log WHERE (?1 IS NULL OR outcome = ?1) ORDER BY at DESC, id DESC LIMIT ?2";

int
sq_ingest_log_list(struct store *st, const char *outcome, int limit, struct arena *a,
                   struct store_ingest_event **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_LOG_LIST);
    if (outcome)
        sq_bind_text(s, 1, outcome);
    sqlite3_bind_int(s, 2, limit > 0 && limit <= 1000 ? limit : 100);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_ingest_event *e = sq_push(a, (void **)out, n, &cap, sizeof(**out));
        e->id = sqlite3_column_int64(s, 0);
        e->at = sqlite3_column_int64(s, 1);
        e->agency = sq_text(a, s, 2);
        e->guid = sq_text(a, s, 3);
        e->version = sqlite3_column_int(s, 4);
        e->article_id = sqlite3_column_int64(s, 5);
        e->outcome = sq_text(a, s, 6);
        e->file = sq_text(a, s, 7);
        e->reason = sq_text(a, s, 8);
    }
    sqlite3_reset(s);
    return sq_status(rc);
}

/* --- imports --- */

static const char SQL_MAP_GET[] =
    "SELECT target_id FROM import_map WHERE source = ? AND kind = ? AND source_id = ?";
static const char SQL_MAP_SET[] =
    "INSERT OR REPLACE INTO import_map(source, kind, source_id, target_id) VALUES (?, ?, ?, ?)";
static const char SQL_MAP_ADD[] =
    "INSERT OR IGNORE INTO import_map(source, kind, source_id, target_id) VALUES (?, ?, ?, ?)";

static int
map_get(struct sq_conn *c, const char *source, const char *kind, const char *id, int64_t *target)
{
    sqlite3_stmt *s = sq_stmt(c, SQL_MAP_GET);
    sq_bind_text(s, 1, source);
    sq_bind_text(s, 2, kind);
    sq_bind_text(s, 3, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *target = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return sq_row_status(rc);
}

static int
map_put(struct sq_conn *c, const char *sql, const char *source, const char *kind, const char *id,
        int64_t target)
{
    sqlite3_stmt *q = sq_stmt(c, sql);
    sq_bind_text(q, 1, source);
    sq_bind_text(q, 2, kind);
    sq_bind_text(q, 3, id);
    sqlite3_bind_int64(q, 4, target);
    return sq_step_done(q);
}

int
sq_import_map_get(struct store *st, const char *source, const char *kind, const char *source_id,
                  int64_t *target)
{
    return map_get(sq_reader(sq(st)), source, kind, source_id, target);
}

int
sq_import_map_set(struct store *st, const char *source, const char *kind, const char *source_id,
                  int64_t target)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    return sq_write_end(s, map_put(c, SQL_MAP_SET, source, kind, source_id, target));
}

/*
 * Imported comments become comments. Each author gets a commenter of its
 * own per source: the identity ("import:<source>", author_key), never
 * matched to anyone else by e-mail or name. A reply joins the thread of
 * its parent's top-level comment (comments have one level of replies); a
 * reply that comes before its parent waits for a later pass over the
 * batch, and one whose parent never comes (skipped, or in another batch
 * not yet read) stands alone at the top level.
 */
static const char SQL_THREAD_OF[] =
    "SELECT coalesce(parent_id, id) FROM comments WHERE id = ? AND article_id = ?";

static const struct {
    const char *from;
    enum store_comment_status to;
    const char *hold_reason;
} import_statuses[] = {
    {"approved", COMMENT_VISIBLE, ""},
    {"pending", COMMENT_HELD, "imported"},
    {"spam", COMMENT_REJECTED, "imported"},
    {"deleted", COMMENT_DELETED, "imported"},
};

/* The top-level comment a reply joins: STORE_OK with *thread set, or
 * STORE_NOTFOUND while the parent is not stored (yet). */
static int
comment_thread(struct sq_conn *c, const struct store_import_comment *m, int64_t *thread)
{
    int64_t parent = 0;
    int status = map_get(c, m->source, "comment", m->parent_source_id, &parent);
    if (status != STORE_OK)
        return status;
    sqlite3_stmt *q = sq_stmt(c, SQL_THREAD_OF);
    sqlite3_bind_int64(q, 1, parent);
    sqlite3_bind_int64(q, 2, m->article_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *thread = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    /* a parent on another article (an export that moved threads): alone */
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_status(rc);
}

static int
comment_commenter(struct sq_conn *c, const struct store_import_comment *m, int64_t *id)
{
    struct buf provider = BUF_INIT;
    buf_addf(&provider, "import:%s", m->source);
    const char *name = m->author_name && m->author_name[0] ? m->author_name : "Anonymous";
    int status = sq_commenter_find_or_add(c, provider.p, m->author_key, name, "", id);
    buf_release(&provider);
    return status;
}

/* Stores one comment unless it was imported before. With wait, a reply
 * whose parent is not stored yet is left for later (STORE_NOTFOUND). */
static int
comment_put(struct sq_conn *c, struct store_import_comment *m, bool wait)
{
    int64_t known = 0;
    int status = map_get(c, m->source, "comment", m->source_id, &known);
    m->existed = status == STORE_OK;
    if (status != STORE_NOTFOUND)
        return status;
    struct store_comment cm = {.article_id = m->article_id,
                               .body = (char *)m->text,
                               .address = (char *)(m->author_ip ? m->author_ip : ""),
                               .created_at = m->created_at,
                               .hold_reason = (char *)"imported",
                               .status = COMMENT_HELD};
    for (size_t i = 0; i < ARRAY_SIZE(import_statuses); i++) {
        if (m->status && strcmp(m->status, import_statuses[i].from) == 0) {
            cm.status = import_statuses[i].to;
            cm.hold_reason = (char *)import_statuses[i].hold_reason;
        }
    }
    if (m->parent_source_id && m->parent_source_id[0]) {
        status = comment_thread(c, m, &cm.parent_id);
        if (status == STORE_NOTFOUND && !wait)
            status = STORE_OK;
        if (status != STORE_OK)
            return status;
    }
    status = comment_commenter(c, m, &cm.commenter_id);
    if (status == STORE_OK)
        status = sq_comment_insert(c, &cm);
    if (status == STORE_OK)
        status = map_put(c, SQL_MAP_SET, m->source, "comment", m->source_id, cm.id);
    return status;
}

/* Passes over the comments until every reply whose parent is among them
 * found it; what is left goes in at the top level. */
static int
comments_put(struct sq_conn *c, struct store_import_comment *cm, size_t n)
{
    bool *done = xcalloc(n ? n : 1, sizeof(*done));
    size_t left = n;
    bool wait = true;
    int status = STORE_OK;
    while (left > 0 && status == STORE_OK) {
        size_t before = left;
        for (size_t i = 0; i < n && status == STORE_OK; i++) {
            if (done[i])
                continue;
            status = comment_put(c, &cm[i], wait);
            if (status == STORE_NOTFOUND) {
                status = STORE_OK;
                continue;
            }
            done[i] = true;
            left--;
        }
        if (left == before)
            wait = false;
    }
    free(done);
    return status;
}

static int
post_put(struct sq_conn *c, struct store_import_post *p)
{
    int64_t id = 0;
    int status = map_get(c, p->source, "post", p->source_id, &id);
    p->existed = status == STORE_OK;
    if (status == STORE_OK) {
        p->article->id = id;
    } else if (status == STORE_NOTFOUND) {
        p->article->id = 0;
        status = sq_article_write(c, p->article);
        if (status == STORE_OK)
            status = map_put(c, SQL_MAP_SET, p->source, "post", p->source_id, p->article->id);
        /* old addresses and guids name the article for any later import
         * (Disqus threads point at them), so they are kept under "*" */
        if (status == STORE_OK && p->url && p->url[0])
            status = map_put(c, SQL_MAP_ADD, "*", "url", p->url, p->article->id);
        if (status == STORE_OK && p->guid && p->guid[0])
            status = map_put(c, SQL_MAP_ADD, "*", "guid", p->guid, p->article->id);
    }
    for (size_t i = 0; i < p->ncomments; i++)
        p->comments[i].article_id = p->article->id;
    if (status == STORE_OK)
        status = comments_put(c, p->comments, p->ncomments);
    return status;
}

int
sq_import_posts_save(struct store *st, struct store_import_post *posts, size_t n)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int status = STORE_OK;
    for (size_t i = 0; i < n && status == STORE_OK; i++)
        status = post_put(c, &posts[i]);
    return sq_write_end(s, status);
}

int
sq_import_comments_save(struct store *st, struct store_import_comment *cm, size_t n)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    return sq_write_end(s, comments_put(c, cm, n));
}
