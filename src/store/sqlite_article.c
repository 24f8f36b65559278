/*
 * Articles in SQLite: one article with its relations, lists by section,
 * author or tag, related stories, and the save that writes an article and
 * its relations in one transaction with an optimistic version check.
 */
#include "store/sqlite_int.h"

#include <string.h>

static const char *status_names[] = {"draft", "ready", "scheduled", "published", "unpublished"};

const char *
store_article_status_name(enum store_article_status s)
{
    return (unsigned)s < ARRAY_SIZE(status_names) ? status_names[s] : "draft";
}

int
store_article_status_parse(const char *s, enum store_article_status *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(status_names); i++) {
        if (strcmp(s, status_names[i]) == 0) {
            *out = (enum store_article_status)i;
            return 0;
        }
    }
    return -1;
}

enum store_article_status
sq_article_status(sqlite3_stmt *st, int col)
{
    enum store_article_status status = ARTICLE_DRAFT;
    store_article_status_parse((const char *)sqlite3_column_text(st, col), &status);
    return status;
}

#define ARTICLE_COLS                                                                       \
    "a.id, a.slug, a.headline, a.summary, a.body, a.credit, a.status, a.section_id, "      \
    "a.created_at, a.saved_at, coalesce(a.published_at, 0), coalesce(a.updated_at, 0), " \
    "a.comments_locked, a.version"

static void
article_row(struct arena *a, sqlite3_stmt *st, struct store_article *out)
{
    memset(out, 0, sizeof(*out));
    out->id = sqlite3_column_int64(st, 0);
    out->slug = sq_text(a, st, 1);
    out->headline = sq_text(a, st, 2);
    out->summary = sq_text(a, st, 3);
    out->body = sq_text(a, st, 4);
    out->credit = sq_text(a, st, 5);
    out->status = sq_article_status(st, 6);
    out->section_id = sqlite3_column_int64(st, 7);
    out->created_at = sqlite3_column_int64(st, 8);
    out->saved_at = sqlite3_column_int64(st, 9);
    out->published_at = sqlite3_column_int64(st, 10);
    out->updated_at = sqlite3_column_int64(st, 11);
    out->comments_locked = sqlite3_column_int(st, 12) != 0;
    out->version = sqlite3_column_int(st, 13);
}

static const char SQL_ART_AUTHORS[] =
    "SELECT au.id, au.slug, au.name, au.email, au.bio, au.role, coalesce(au.photo_id, 0) "
    "FROM article_authors aa JOIN authors au ON au.id = aa.author_id "
    "WHERE aa.article_id = ? ORDER BY aa.position";
static const char SQL_ART_TAGS[] =
    "SELECT t.id, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id "
    "WHERE at.article_id = ? ORDER BY at.position";
static const char SQL_ART_PHOTOS[] =
    "SELECT p.id, p.name, p.width, p.height, p.widths, p.caption, p.credit, p.alt "
    "FROM article_photos ap JOIN photos p ON p.id = ap.photo_id "
    "WHERE ap.article_id = ? ORDER BY ap.position";
static const char SQL_ART_CORRECTIONS[] =
    "SELECT id, kind, text, at_top, created_at FROM corrections WHERE article_id = ? "
    "ORDER BY created_at, id";
static const char SQL_ART_SECTIONS[] =
    "SELECT section_id FROM article_sections WHERE article_id = ? ORDER BY section_id";

/* Runs a one-parameter query and returns its rows' count, for sizing. */
static size_t
count_rows(sqlite3_stmt *st)
{
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        n++;
    sqlite3_reset(st);
    return n;
}

static void
load_relations(struct sq_conn *c, struct arena *a, struct store_article *art, bool full)
{
    sqlite3_stmt *st = sq_stmt(c, SQL_ART_AUTHORS);
    sqlite3_bind_int64(st, 1, art->id);
    art->nauthors = count_rows(st);
    art->authors = arena_zalloc(a, art->nauthors * sizeof(*art->authors));
    for (size_t i = 0; i < art->nauthors && sqlite3_step(st) == SQLITE_ROW; i++)
        sq_author_row(a, st, 0, &art->authors[i]);
    sqlite3_reset(st);

    st = sq_stmt(c, SQL_ART_TAGS);
    sqlite3_bind_int64(st, 1, art->id);
    art->ntags = count_rows(st);
    art->tags = arena_zalloc(a, art->ntags * sizeof(*art->tags));
    for (size_t i = 0; i < art->ntags && sqlite3_step(st) == SQLITE_ROW; i++)
        sq_tag_row(a, st, 0, &art->tags[i]);
    sqlite3_reset(st);

    st = sq_stmt(c, SQL_ART_PHOTOS);
    sqlite3_bind_int64(st, 1, art->id);
    art->nphotos = count_rows(st);
    art->photos = arena_zalloc(a, art->nphotos * sizeof(*art->photos));
    for (size_t i = 0; i < art->nphotos && sqlite3_step(st) == SQLITE_ROW; i++)
        sq_photo_row(a, st, 0, &art->photos[i]);
    sqlite3_reset(st);

    st = sq_stmt(c, SQL_ART_SECTIONS);
    sqlite3_bind_int64(st, 1, art->id);
    art->nextra_sections = count_rows(st);
    art->extra_sections = arena_zalloc(a, art->nextra_sections * sizeof(int64_t));
    for (size_t i = 0; i < art->nextra_sections && sqlite3_step(st) == SQLITE_ROW; i++)
        art->extra_sections[i] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);

    if (!full)
        return;
    st = sq_stmt(c, SQL_ART_CORRECTIONS);
    sqlite3_bind_int64(st, 1, art->id);
    art->ncorrections = count_rows(st);
    art->corrections = arena_zalloc(a, art->ncorrections * sizeof(*art->corrections));
    for (size_t i = 0; i < art->ncorrections && sqlite3_step(st) == SQLITE_ROW; i++) {
        struct store_correction *k = &art->corrections[i];
        k->id = sqlite3_column_int64(st, 0);
        k->article_id = art->id;
        k->kind = strcmp((const char *)sqlite3_column_text(st, 1), "clarification") == 0
                      ? CORRECTION_CLARIFICATION
                      : CORRECTION_CORRECTION;
        k->text = sq_text(a, st, 2);
        k->at_top = sqlite3_column_int(st, 3) != 0;
        k->created_at = sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
}

static const char SQL_ART_GET[] = "SELECT " ARTICLE_COLS " FROM articles a WHERE a.id = ?";

int
sq_article_get(struct store *st, int64_t id, struct arena *a, struct store_article *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *s = sq_stmt(c, SQL_ART_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        article_row(a, s, out);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        load_relations(c, a, out, true);
    sq_read_end(c);
    return sq_row_status(rc);
}

#define LIST_WHERE                                                                       \
    " FROM articles a WHERE a.status = 'published' AND a.published_at <= ?1"              \
    " AND (?2 IS NULL OR a.section_id IN (SELECT value FROM json_each(?2))"                \
    "      OR a.id IN (SELECT article_id FROM article_sections"                          \
    "                  WHERE section_id IN (SELECT value FROM json_each(?2))))"           \
    " AND (?3 = 0 OR a.id IN (SELECT article_id FROM article_authors WHERE author_id = ?3))" \
    " AND (?4 = 0 OR a.id IN (SELECT article_id FROM article_tags WHERE tag_id = ?4))"     \
    " AND (?5 IS NULL OR a.id NOT IN (SELECT value FROM json_each(?5)))"

static const char SQL_ART_LIST[] =
    "SELECT a.id, a.slug, a.headline, a.summary, CASE WHEN ?8 THEN a.body ELSE '' END, a.credit,"
    " a.status, a.section_id, a.created_at, a.saved_at, coalesce(a.published_at, 0),"
    " coalesce(a.updated_at, 0), a.comments_locked, a.version" LIST_WHERE
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?6 OFFSET ?7";
static const char SQL_ART_COUNT[] = "SELECT count(*)" LIST_WHERE;

static void
bind_query(sqlite3_stmt *s, const struct store_article_query *q)
{
    sqlite3_bind_int64(s, 1, q->now ? q->now : time_now());
    sq_bind_ids(s, 2, q->section_ids, q->nsection_ids);
    sqlite3_bind_int64(s, 3, q->author_id);
    sqlite3_bind_int64(s, 4, q->tag_id);
    sq_bind_ids(s, 5, q->exclude_ids, q->nexclude_ids);
}

/* Reads the rows of a list statement into an arena array, with relations. */
static int
read_list(struct sq_conn *c, sqlite3_stmt *s, struct arena *a, struct store_article **out,
          size_t *n, size_t max)
{
    *out = arena_zalloc(a, (max ? max : 1) * sizeof(**out));
    *n = 0;
    int rc = SQLITE_DONE; /* set by the loop; -O1 (SAN=asan) cannot see that */
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
        article_row(a, s, &(*out)[(*n)++]);
    if (*n == max)
        rc = SQLITE_DONE;
    sqlite3_reset(s);
    for (size_t i = 0; i < *n; i++)
        load_relations(c, a, &(*out)[i], false);
    return sq_status(rc);
}

int
sq_article_list(struct store *st, const struct store_article_query *q, struct arena *a,
                struct store_article **out, size_t *n)
{
    int limit = q->limit > 0 && q->limit <= 1000 ? q->limit : 20;
    struct sq_conn *c = sq_reader(sq(st));
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *s = sq_stmt(c, SQL_ART_LIST);
    bind_query(s, q);
    sqlite3_bind_int(s, 6, limit);
    sqlite3_bind_int(s, 7, q->offset > 0 ? q->offset : 0);
    sqlite3_bind_int(s, 8, q->with_body);
    int status = read_list(c, s, a, out, n, (size_t)limit);
    sq_read_end(c);
    return status;
}

int
sq_article_count(struct store *st, const struct store_article_query *q, long *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_ART_COUNT);
    bind_query(s, q);
    return sq_count(s, n);
}

/* Articles sharing the most tags come first, then the same section. */
static const char SQL_ART_RELATED[] =
    "SELECT a.id, a.slug, a.headline, a.summary, '', a.credit, a.status, a.section_id,"
    " a.created_at, a.saved_at, coalesce(a.published_at, 0), coalesce(a.updated_at, 0),"
    " a.comments_locked, a.version,"
    " (SELECT count(*) FROM article_tags x JOIN article_tags y ON y.tag_id = x.tag_id"
    "  WHERE x.article_id = a.id AND y.article_id = ?1) AS shared,"
    " a.section_id = (SELECT section_id FROM articles WHERE id = ?1) AS same_section"
    " FROM articles a WHERE a.status = 'published' AND a.published_at <= ?2 AND a.id != ?1"
    " AND (shared > 0 OR same_section)"
    " ORDER BY shared DESC, a.published_at DESC LIMIT ?3";

int
sq_article_related(struct store *st, int64_t id, int64_t now, int limit, struct arena *a,
                   struct store_article **out, size_t *n)
{
    if (limit <= 0 || limit > 50)
        limit = 5;
    struct sq_conn *c = sq_reader(sq(st));
    if (sq_read_begin(c) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *s = sq_stmt(c, SQL_ART_RELATED);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now ? now : time_now());
    sqlite3_bind_int(s, 3, limit);
    int status = read_list(c, s, a, out, n, (size_t)limit);
    sq_read_end(c);
    return status;
}

/* --- saving --- */

static const char SQL_ART_VERSION[] = "SELECT version FROM articles WHERE id = ?";
static const char SQL_ART_INSERT[] =
    "INSERT INTO articles(slug, headline, summary, body, credit, status, section_id, created_at,"
    " saved_at, published_at, updated_at, comments_locked, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, nullif(?9, 0), nullif(?10, 0), ?11, 1)";
static const char SQL_ART_UPDATE[] =
    "UPDATE articles SET slug=?1, headline=?2, summary=?3, body=?4, credit=?5, status=?6,"
    " section_id=?7, saved_at=?8, published_at=nullif(?9, 0), updated_at=nullif(?10, 0),"
    " comments_locked=?11, version = version + 1 WHERE id = ?12";
static const char SQL_REL_CLEAR_AUTHORS[] = "DELETE FROM article_authors WHERE article_id = ?";
static const char SQL_REL_CLEAR_TAGS[] = "DELETE FROM article_tags WHERE article_id = ?";
static const char SQL_REL_CLEAR_PHOTOS[] = "DELETE FROM article_photos WHERE article_id = ?";
static const char SQL_REL_CLEAR_SECTIONS[] = "DELETE FROM article_sections WHERE article_id = ?";
static const char SQL_REL_AUTHOR[] =
    "INSERT INTO article_authors(article_id, author_id, position) VALUES (?,?,?)";
static const char SQL_REL_TAG[] =
    "INSERT OR IGNORE INTO article_tags(article_id, tag_id, position) VALUES (?,?,?)";
static const char SQL_REL_PHOTO[] =
    "INSERT OR IGNORE INTO article_photos(article_id, photo_id, position) VALUES (?,?,?)";
static const char SQL_REL_SECTION[] =
    "INSERT OR IGNORE INTO article_sections(article_id, section_id, position) VALUES (?,?,?)";

static int
write_links(struct sq_conn *c, const char *clear, const char *insert, int64_t article_id,
            const int64_t *ids, size_t n, size_t stride)
{
    sqlite3_stmt *q = sq_stmt(c, clear);
    sqlite3_bind_int64(q, 1, article_id);
    int status = sq_step_done(q);
    for (size_t i = 0; i < n && status == STORE_OK; i++) {
        q = sq_stmt(c, insert);
        sqlite3_bind_int64(q, 1, article_id);
        sqlite3_bind_int64(q, 2, *(const int64_t *)((const char *)ids + i * stride));
        sqlite3_bind_int64(q, 3, (sqlite3_int64)i);
        status = sq_step_done(q);
    }
    return status;
}

static int
write_article(struct sq_conn *c, struct store_article *a)
{
    int64_t now = time_now();
    if (a->id) {
        sqlite3_stmt *v = sq_stmt(c, SQL_ART_VERSION);
        sqlite3_bind_int64(v, 1, a->id);
        int rc = sqlite3_step(v);
        int stored = rc == SQLITE_ROW ? sqlite3_column_int(v, 0) : -1;
        sqlite3_reset(v);
        if (stored < 0)
            return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_status(rc);
        if (stored != a->version)
            return STORE_CONFLICT;
    }
    sqlite3_stmt *q = sq_stmt(c, a->id ? SQL_ART_UPDATE : SQL_ART_INSERT);
    sq_bind_text(q, 1, a->slug);
    sq_bind_text(q, 2, a->headline);
    sq_bind_text(q, 3, a->summary);
    sq_bind_text(q, 4, a->body);
    sq_bind_text(q, 5, a->credit);
    sqlite3_bind_text(q, 6, store_article_status_name(a->status), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, a->section_id);
    sqlite3_bind_int64(q, 8, a->created_at && !a->id ? a->created_at : now);
    sqlite3_bind_int64(q, 9, a->published_at);
    sqlite3_bind_int64(q, 10, a->updated_at);
    sqlite3_bind_int(q, 11, a->comments_locked);
    if (a->id)
        sqlite3_bind_int64(q, 12, a->id);
    int status = sq_step_done(q);
    if (status != STORE_OK)
        return status;
    if (a->id == 0) {
        a->id = sqlite3_last_insert_rowid(c->db);
        a->version = 1;
    } else {
        a->version++;
    }
    return STORE_OK;
}

int
sq_article_write(struct sq_conn *c, struct store_article *a)
{
    int status = write_article(c, a);
    if (status == STORE_OK)
        status = write_links(c, SQL_REL_CLEAR_AUTHORS, SQL_REL_AUTHOR, a->id, a->nauthors ? &a->authors[0].id : NULL,
                             a->nauthors, sizeof(*a->authors));
    if (status == STORE_OK)
        status = write_links(c, SQL_REL_CLEAR_TAGS, SQL_REL_TAG, a->id, a->ntags ? &a->tags[0].id : NULL, a->ntags,
                             sizeof(*a->tags));
    if (status == STORE_OK)
        status = write_links(c, SQL_REL_CLEAR_PHOTOS, SQL_REL_PHOTO, a->id, a->nphotos ? &a->photos[0].id : NULL,
                             a->nphotos, sizeof(*a->photos));
    if (status == STORE_OK)
        status = write_links(c, SQL_REL_CLEAR_SECTIONS, SQL_REL_SECTION, a->id, a->extra_sections,
                             a->nextra_sections, sizeof(int64_t));
    if (status == STORE_OK)
        status = sq_revision_write(c, a); /* every save is a revision */
    return status;
}

int
sq_article_save(struct store *st, struct store_article *a)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int64_t old_id = a->id;
    int old_version = a->version;
    int status = sq_write_end(s, sq_article_write(c, a));
    if (status != STORE_OK) {
        a->id = old_id;
        a->version = old_version;
    }
    return status;
}

/* For the newsroom's lists (sqlite_newsroom.c). */
void
sq_article_row(struct arena *a, sqlite3_stmt *st, struct store_article *out)
{
    article_row(a, st, out);
}

void
sq_article_relations(struct sq_conn *c, struct arena *a, struct store_article *art, bool full)
{
    load_relations(c, a, art, full);
}
