/*
 * The newsroom's articles in SQLite: revisions (one per save, written in
 * the save's transaction), lists of any status, scheduled publishing, the
 * corrections list, and deletions that must not leave dangling rows.
 */
#include "store/sqlite_int.h"

#include <string.h>

/* --- revisions --- */

static const char SQL_REV_INSERT[] =
    "INSERT INTO revisions(article_id, version, user_id, note, created_at, slug, headline,"
    " summary, body, status, section_id, authors, tags, photos, sections)"
    " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, coalesce(?12, '[]'),"
    " coalesce(?13, '[]'), coalesce(?14, '[]'), coalesce(?15, '[]'))";

/* Binds the ids found at a stride inside an array of records. */
static void
bind_strided(sqlite3_stmt *q, int idx, const void *base, size_t n, size_t stride)
{
    int64_t ids[256];
    size_t k = 0;
    for (size_t i = 0; i < n && k < ARRAY_SIZE(ids); i++)
        ids[k++] = *(const int64_t *)((const char *)base + i * stride);
    sq_bind_ids(q, idx, ids, k);
}

int
sq_revision_write(struct sq_conn *c, const struct store_article *a)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_REV_INSERT);
    sqlite3_bind_int64(q, 1, a->id);
    sqlite3_bind_int(q, 2, a->version);
    sqlite3_bind_int64(q, 3, a->saved_by);
    sq_bind_text(q, 4, a->save_note);
    sqlite3_bind_int64(q, 5, time_now());
    sq_bind_text(q, 6, a->slug);
    sq_bind_text(q, 7, a->headline);
    sq_bind_text(q, 8, a->summary);
    sq_bind_text(q, 9, a->body);
    sqlite3_bind_text(q, 10, store_article_status_name(a->status), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 11, a->section_id);
    bind_strided(q, 12, a->authors, a->nauthors, sizeof(*a->authors));
    bind_strided(q, 13, a->tags, a->ntags, sizeof(*a->tags));
    bind_strided(q, 14, a->photos, a->nphotos, sizeof(*a->photos));
    sq_bind_ids(q, 15, a->extra_sections, a->nextra_sections);
    return sq_step_done(q);
}

static const char SQL_REV_LIST[] =
    "SELECT r.id, r.article_id, r.version, coalesce(r.user_id, 0), coalesce(u.name, ''), r.note,"
    " r.created_at, r.slug, r.headline, r.summary, '', r.status, r.section_id, r.authors,"
    " r.tags, r.photos, r.sections"
    " FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = ?"
    " ORDER BY r.id DESC LIMIT 500";
static const char SQL_REV_GET[] =
    "SELECT r.id, r.article_id, r.version, coalesce(r.user_id, 0), coalesce(u.name, ''), r.note,"
    " r.created_at, r.slug, r.headline, r.summary, r.body, r.status, r.section_id, r.authors,"
    " r.tags, r.photos, r.sections"
    " FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = ?";

static void
revision_row(struct arena *a, sqlite3_stmt *q, struct store_revision *out)
{
    memset(out, 0, sizeof(*out));
    out->id = sqlite3_column_int64(q, 0);
    out->article_id = sqlite3_column_int64(q, 1);
    out->version = sqlite3_column_int(q, 2);
    out->user_id = sqlite3_column_int64(q, 3);
    out->user_name = sq_text(a, q, 4);
    out->note = sq_text(a, q, 5);
    out->created_at = sqlite3_column_int64(q, 6);
    out->slug = sq_text(a, q, 7);
    out->headline = sq_text(a, q, 8);
    out->summary = sq_text(a, q, 9);
    out->body = sq_text(a, q, 10);
    out->status = sq_article_status(q, 11);
    out->section_id = sqlite3_column_int64(q, 12);
    out->authors = sq_text(a, q, 13);
    out->tags = sq_text(a, q, 14);
    out->photos = sq_text(a, q, 15);
    out->sections = sq_text(a, q, 16);
}

int
sq_revision_list(struct store *st, int64_t article_id, struct arena *a,
                 struct store_revision **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_REV_LIST);
    sqlite3_bind_int64(q, 1, article_id);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        revision_row(a, q, sq_push(a, (void **)out, n, &cap, sizeof(**out)));
    sqlite3_reset(q);
    return sq_status(rc);
}

int
sq_revision_get(struct store *st, int64_t id, struct arena *a, struct store_revision *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_REV_GET);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        revision_row(a, q, out);
    sqlite3_reset(q);
    return sq_row_status(rc);
}

/* --- the newsroom's lists --- */

#define NR_COLS                                                                               \
    "SELECT a.id, a.slug, a.headline, a.summary, '', a.credit, a.status, a.section_id,"       \
    " a.created_at, a.saved_at, coalesce(a.published_at, 0), coalesce(a.updated_at, 0),"     \
    " a.comments_locked, a.version,"                                                          \
    " coalesce((SELECT r.user_id FROM revisions r WHERE r.article_id = a.id"                  \
    "  ORDER BY r.id LIMIT 1), 0),"                                                           \
    " coalesce((SELECT u.name FROM revisions r JOIN users u ON u.id = r.user_id"              \
    "  WHERE r.article_id = a.id ORDER BY r.id LIMIT 1), ''),"                                \
    " coalesce((SELECT r.user_id FROM revisions r WHERE r.article_id = a.id"                  \
    "  ORDER BY r.id DESC LIMIT 1), 0),"                                                      \
    " coalesce((SELECT u.name FROM revisions r JOIN users u ON u.id = r.user_id"              \
    "  WHERE r.article_id = a.id ORDER BY r.id DESC LIMIT 1), '')"
#define NR_WHERE                                                                              \
    " FROM articles a WHERE (?1 = '' OR a.status = ?1)"                                       \
    " AND (?2 = 0 OR a.section_id = ?2"                                                       \
    "      OR a.id IN (SELECT article_id FROM article_sections WHERE section_id = ?2))"       \
    " AND (?3 = 0 OR a.id IN (SELECT article_id FROM article_authors WHERE author_id = ?3))" \
    " AND (?4 = 0 OR (SELECT r.user_id FROM revisions r WHERE r.article_id = a.id"            \
    "      ORDER BY r.id LIMIT 1) = ?4)"                                                      \
    " AND (?5 = '' OR instr(lower(a.headline), lower(?5)) > 0)"
#define NR_PAGE " LIMIT ?6 OFFSET ?7"

static const char SQL_NR_SAVED[] = NR_COLS NR_WHERE " ORDER BY a.saved_at DESC, a.id DESC" NR_PAGE;
static const char SQL_NR_PUBLISHED[] =
    NR_COLS NR_WHERE " ORDER BY a.published_at DESC, a.id DESC" NR_PAGE;
static const char SQL_NR_DUE[] = NR_COLS NR_WHERE " ORDER BY a.published_at, a.id" NR_PAGE;
static const char SQL_NR_COUNT[] = "SELECT count(*)" NR_WHERE;

static void
bind_nr(sqlite3_stmt *q, const struct store_newsroom_query *f)
{
    const char *status = f->status >= 0 ? store_article_status_name(f->status) : "";
    sqlite3_bind_text(q, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, f->section_id);
    sqlite3_bind_int64(q, 3, f->author_id);
    sqlite3_bind_int64(q, 4, f->created_by);
    sq_bind_text(q, 5, f->text ? f->text : "");
}

static int
nr_count(struct sq_conn *c, const struct store_newsroom_query *f, long *total)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_NR_COUNT);
    bind_nr(q, f);
    return sq_count(q, total);
}

int
sq_newsroom_list(struct store *st, const struct store_newsroom_query *f, struct arena *a,
                 struct store_newsroom_item **out, size_t *n, long *total)
{
    int limit = f->limit > 0 && f->limit <= 500 ? f->limit : 50;
    struct sq_conn *c = sq_reader(sq(st));
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    int status = nr_count(c, f, total);
    const char *sql = f->order == STORE_ORDER_PUBLISHED ? SQL_NR_PUBLISHED
                      : f->order == STORE_ORDER_DUE     ? SQL_NR_DUE
                                                        : SQL_NR_SAVED;
    sqlite3_stmt *q = sq_stmt(c, sql);
    bind_nr(q, f);
    sqlite3_bind_int(q, 6, limit);
    sqlite3_bind_int(q, 7, f->offset > 0 ? f->offset : 0);
    *out = arena_zalloc(a, (size_t)limit * sizeof(**out));
    *n = 0;
    int rc = SQLITE_DONE;
    while (status == STORE_OK && *n < (size_t)limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_newsroom_item *it = &(*out)[(*n)++];
        sq_article_row(a, q, &it->art);
        it->created_by = sqlite3_column_int64(q, 14);
        it->created_by_name = sq_text(a, q, 15);
        it->saved_by = sqlite3_column_int64(q, 16);
        it->saved_by_name = sq_text(a, q, 17);
    }
    sqlite3_reset(q);
    if (status == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        status = sq_status(rc);
    for (size_t i = 0; status == STORE_OK && i < *n; i++)
        sq_article_relations(c, a, &(*out)[i].art, false);
    sq_read_end(c);
    return status;
}

/* --- scheduled publishing --- */

static const char SQL_DUE_IDS[] =
    "SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= ? ORDER BY id"
    " LIMIT 200";
static const char SQL_DUE_PUBLISH[] =
    "UPDATE articles SET status = 'published', version = version + 1 WHERE id = ?";
static const char SQL_ART_BY_ID[] = "SELECT " SQ_ARTICLE_COLS " FROM articles a WHERE a.id = ?";
static const char SQL_NEXT_DUE[] =
    "SELECT min(published_at) FROM articles WHERE status = 'scheduled'";

/* Publishes one due article and records its revision. */
static int
publish_one(struct sq_conn *c, struct arena *a, int64_t id)
{
    sqlite3_stmt *q = sq_stmt(c, SQL_DUE_PUBLISH);
    sqlite3_bind_int64(q, 1, id);
    int status = sq_step_done(q);
    if (status != STORE_OK)
        return status;
    q = sq_stmt(c, SQL_ART_BY_ID);
    sqlite3_bind_int64(q, 1, id);
    struct store_article art;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        sq_article_row(a, q, &art);
    sqlite3_reset(q);
    if (rc != SQLITE_ROW)
        return sq_status(rc);
    sq_article_relations(c, a, &art, false);
    art.save_note = "published on schedule";
    return sq_revision_write(c, &art);
}

int
sq_article_publish_due(struct store *st, int64_t now, struct arena *a, int64_t **ids, size_t *n)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    *ids = arena_alloc(a, 200 * sizeof(int64_t));
    *n = 0;
    sqlite3_stmt *q = sq_stmt(c, SQL_DUE_IDS);
    sqlite3_bind_int64(q, 1, now);
    int rc;
    while (*n < 200 && (rc = sqlite3_step(q)) == SQLITE_ROW)
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    int status = STORE_OK;
    for (size_t i = 0; i < *n && status == STORE_OK; i++)
        status = publish_one(c, a, (*ids)[i]);
    status = sq_write_end(s, status);
    if (status != STORE_OK)
        *n = 0;
    return status;
}

int
sq_article_next_due(struct store *st, int64_t *at)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *q = sq_stmt(c, SQL_NEXT_DUE);
    int rc = sqlite3_step(q);
    bool none = rc != SQLITE_ROW || sqlite3_column_type(q, 0) == SQLITE_NULL;
    *at = none ? 0 : sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (rc != SQLITE_ROW)
        return sq_status(rc);
    return none ? STORE_NOTFOUND : STORE_OK;
}

/* --- corrections, newest first --- */

#define CORR_WHERE                                                                   \
    " FROM corrections c JOIN articles a ON a.id = c.article_id"                     \
    " WHERE a.status = 'published' AND a.published_at <= ?1"
static const char SQL_CORR_LIST[] =
    "SELECT c.id, c.article_id, c.kind, c.text, c.at_top, c.created_at, a.headline, a.slug"
    CORR_WHERE " ORDER BY c.created_at DESC, c.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_CORR_COUNT[] = "SELECT count(*)" CORR_WHERE;

int
sq_correction_list(struct store *st, int64_t now, int limit, int offset, struct arena *a,
                   struct store_correction_item **out, size_t *n, long *total)
{
    if (limit <= 0 || limit > 200)
        limit = 50;
    struct sq_conn *c = sq_reader(sq(st));
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *q = sq_stmt(c, SQL_CORR_COUNT);
    sqlite3_bind_int64(q, 1, now);
    sq_count(q, total);
    int rc = SQLITE_DONE;
    q = sq_stmt(c, SQL_CORR_LIST);
    sqlite3_bind_int64(q, 1, now);
    sqlite3_bind_int(q, 2, limit);
    sqlite3_bind_int(q, 3, offset > 0 ? offset : 0);
    *out = arena_zalloc(a, (size_t)limit * sizeof(**out));
    *n = 0;
    while (*n < (size_t)limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_correction_item *it = &(*out)[(*n)++];
        it->c.id = sqlite3_column_int64(q, 0);
        it->c.article_id = sqlite3_column_int64(q, 1);
        it->c.kind = strcmp((const char *)sqlite3_column_text(q, 2), "clarification") == 0
                         ? CORRECTION_CLARIFICATION
                         : CORRECTION_CORRECTION;
        it->c.text = sq_text(a, q, 3);
        it->c.at_top = sqlite3_column_int(q, 4) != 0;
        it->c.created_at = sqlite3_column_int64(q, 5);
        it->headline = sq_text(a, q, 6);
        it->slug = sq_text(a, q, 7);
    }
    sqlite3_reset(q);
    sq_read_end(c);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_status(rc);
}

/* --- deletions that must leave nothing dangling --- */

static const char SQL_SECTION_USED[] =
    "SELECT EXISTS (SELECT 1 FROM articles WHERE section_id = ?1)"
    " OR EXISTS (SELECT 1 FROM article_sections WHERE section_id = ?1)"
    " OR EXISTS (SELECT 1 FROM sections WHERE parent_id = ?1)";
static const char SQL_SECTION_DELETE[] = "DELETE FROM sections WHERE id = ?";

int
sq_section_delete(struct store *st, int64_t id)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_SECTION_USED);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    bool used = rc == SQLITE_ROW && sqlite3_column_int(q, 0) != 0;
    sqlite3_reset(q);
    int status = rc == SQLITE_ROW ? (used ? STORE_CONFLICT : STORE_OK) : sq_status(rc);
    if (status == STORE_OK) {
        q = sq_stmt(c, SQL_SECTION_DELETE);
        sqlite3_bind_int64(q, 1, id);
        status = sq_step_done(q);
        if (status == STORE_OK && sqlite3_changes(c->db) == 0)
            status = STORE_NOTFOUND;
    }
    return sq_write_end(s, status);
}

static const char SQL_PHOTO_DELETE[] =
    "DELETE FROM photos WHERE id = ?1"
    " AND NOT EXISTS (SELECT 1 FROM article_photos WHERE photo_id = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM authors WHERE photo_id = ?1)";

int
sq_photo_delete(struct store *st, int64_t id)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, SQL_PHOTO_DELETE);
    sqlite3_bind_int64(q, 1, id);
    int status = sq_step_done(q);
    if (status == STORE_OK && sqlite3_changes(c->db) == 0)
        status = STORE_CONFLICT;
    return sq_write_end(s, status);
}
