/*
 * Sections, authors, tags, photos, the front page and corrections in
 * SQLite.
 */
#include "store/sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#define SECTION_COLS "id, coalesce(parent_id, 0), slug, name, description, position"
#define AUTHOR_COLS "au.id, au.slug, au.name, au.email, au.bio, au.role, coalesce(au.photo_id, 0)"
#define PHOTO_COLS "p.id, p.name, p.width, p.height, p.widths, p.caption, p.credit, p.alt"
#define TAG_COLS "t.id, t.slug, t.name"

void
sq_section_row(struct arena *a, sqlite3_stmt *st, struct store_section *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->parent_id = sqlite3_column_int64(st, 1);
    out->slug = sq_text(a, st, 2);
    out->name = sq_text(a, st, 3);
    out->description = sq_text(a, st, 4);
    out->position = sqlite3_column_int(st, 5);
}

void
sq_author_row(struct arena *a, sqlite3_stmt *st, int c, struct store_author *out)
{
    out->id = sqlite3_column_int64(st, c);
    out->slug = sq_text(a, st, c + 1);
    out->name = sq_text(a, st, c + 2);
    out->email = sq_text(a, st, c + 3);
    out->bio = sq_text(a, st, c + 4);
    out->role = sq_text(a, st, c + 5);
    out->photo_id = sqlite3_column_int64(st, c + 6);
}

void
sq_photo_row(struct arena *a, sqlite3_stmt *st, int c, struct store_photo *out)
{
    out->id = sqlite3_column_int64(st, c);
    out->name = sq_text(a, st, c + 1);
    out->width = sqlite3_column_int(st, c + 2);
    out->height = sqlite3_column_int(st, c + 3);
    out->widths = sq_text(a, st, c + 4);
    out->caption = sq_text(a, st, c + 5);
    out->credit = sq_text(a, st, c + 6);
    out->alt = sq_text(a, st, c + 7);
}

void
sq_tag_row(struct arena *a, sqlite3_stmt *st, int c, struct store_tag *out)
{
    out->id = sqlite3_column_int64(st, c);
    out->slug = sq_text(a, st, c + 1);
    out->name = sq_text(a, st, c + 2);
}

static const char SQL_SECTION_LIST[] =
    "SELECT " SECTION_COLS " FROM sections ORDER BY coalesce(parent_id, 0), position, id";

int
sq_section_list(struct store *st, struct arena *a, struct store_section **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_SECTION_LIST);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        sq_section_row(a, s, sq_push(a, (void **)out, n, &cap, sizeof(**out)));
    sqlite3_reset(s);
    return sq_status(rc);
}

static const char SQL_SECTION_INSERT[] =
    "INSERT INTO sections(parent_id, slug, name, description, position) VALUES (?,?,?,?,?)";
static const char SQL_SECTION_UPDATE[] =
    "UPDATE sections SET parent_id=?, slug=?, name=?, description=?, position=? WHERE id=?";

int
sq_section_save(struct store *st, struct store_section *sec)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, sec->id ? SQL_SECTION_UPDATE : SQL_SECTION_INSERT);
    if (sec->parent_id)
        sqlite3_bind_int64(q, 1, sec->parent_id);
    sq_bind_text(q, 2, sec->slug);
    sq_bind_text(q, 3, sec->name);
    sq_bind_text(q, 4, sec->description);
    sqlite3_bind_int(q, 5, sec->position);
    if (sec->id)
        sqlite3_bind_int64(q, 6, sec->id);
    int status = sq_status(sqlite3_step(q));
    if (status == STORE_OK && sec->id == 0)
        sec->id = sqlite3_last_insert_rowid(c->db);
    else if (status == STORE_OK && sqlite3_changes(c->db) == 0)
        status = STORE_NOTFOUND;
    sqlite3_reset(q);
    return sq_write_end(s, status);
}

static const char SQL_AUTHOR_BY_ID[] = "SELECT " AUTHOR_COLS " FROM authors au WHERE au.id = ?";
static const char SQL_AUTHOR_BY_SLUG[] =
    "SELECT " AUTHOR_COLS " FROM authors au WHERE au.slug = ?";
static const char SQL_AUTHOR_LIST[] = "SELECT " AUTHOR_COLS " FROM authors au ORDER BY au.name";

int
sq_author_get(struct store *st, int64_t id, const char *slug, struct arena *a,
              struct store_author *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt_by(c, SQL_AUTHOR_BY_ID, id, SQL_AUTHOR_BY_SLUG, slug);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        sq_author_row(a, s, 0, out);
    sqlite3_reset(s);
    return sq_row_status(rc);
}

int
sq_author_list(struct store *st, struct arena *a, struct store_author **out, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_AUTHOR_LIST);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        sq_author_row(a, s, 0, sq_push(a, (void **)out, n, &cap, sizeof(**out)));
    sqlite3_reset(s);
    return sq_status(rc);
}

static const char SQL_AUTHOR_INSERT[] =
    "INSERT INTO authors(slug, name, email, bio, role, photo_id) VALUES (?,?,?,?,?,?)";
static const char SQL_AUTHOR_UPDATE[] =
    "UPDATE authors SET slug=?, name=?, email=?, bio=?, role=?, photo_id=? WHERE id=?";

int
sq_author_save(struct store *st, struct store_author *au)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, au->id ? SQL_AUTHOR_UPDATE : SQL_AUTHOR_INSERT);
    sq_bind_text(q, 1, au->slug);
    sq_bind_text(q, 2, au->name);
    sq_bind_text(q, 3, au->email);
    sq_bind_text(q, 4, au->bio);
    sq_bind_text(q, 5, au->role);
    if (au->photo_id)
        sqlite3_bind_int64(q, 6, au->photo_id);
    if (au->id)
        sqlite3_bind_int64(q, 7, au->id);
    int status = sq_status(sqlite3_step(q));
    if (status == STORE_OK && au->id == 0)
        au->id = sqlite3_last_insert_rowid(c->db);
    sqlite3_reset(q);
    return sq_write_end(s, status);
}

static const char SQL_TAG_BY_ID[] = "SELECT " TAG_COLS " FROM tags t WHERE t.id = ?";
static const char SQL_TAG_BY_SLUG[] = "SELECT " TAG_COLS " FROM tags t WHERE t.slug = ?";

int
sq_tag_get(struct store *st, int64_t id, const char *slug, struct arena *a, struct store_tag *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt_by(c, SQL_TAG_BY_ID, id, SQL_TAG_BY_SLUG, slug);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        sq_tag_row(a, s, 0, out);
    sqlite3_reset(s);
    return sq_row_status(rc);
}

static const char SQL_TAG_ENSURE[] =
    "INSERT INTO tags(slug, name) VALUES (?, ?) ON CONFLICT(slug) DO UPDATE SET slug=slug "
    "RETURNING id";

int
sq_tag_ensure(struct store *st, const char *name, int64_t *id)
{
    char *slug = slug_make(name, strlen(name), 80);
    if (slug[0] == '\0') {
        free(slug);
        return STORE_INVALID;
    }
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL) {
        free(slug);
        return STORE_BUSY;
    }
    sqlite3_stmt *q = sq_stmt(c, SQL_TAG_ENSURE);
    sq_bind_text(q, 1, slug);
    sq_bind_text(q, 2, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    free(slug);
    return sq_write_end(s, rc == SQLITE_ROW ? STORE_OK : sq_status(rc));
}

static const char SQL_PHOTO_GET[] = "SELECT " PHOTO_COLS " FROM photos p WHERE p.id = ?";

int
sq_photo_get(struct store *st, int64_t id, struct arena *a, struct store_photo *out)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_PHOTO_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        sq_photo_row(a, s, 0, out);
    sqlite3_reset(s);
    return sq_row_status(rc);
}

static const char SQL_PHOTO_INSERT[] =
    "INSERT INTO photos(name, width, height, widths, caption, credit, alt, created_at) "
    "VALUES (?,?,?,?,?,?,?,?)";
static const char SQL_PHOTO_UPDATE[] =
    "UPDATE photos SET caption=?5, credit=?6, alt=?7 WHERE id=?9";

int
sq_photo_save(struct store *st, struct store_photo *p)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    sqlite3_stmt *q = sq_stmt(c, p->id ? SQL_PHOTO_UPDATE : SQL_PHOTO_INSERT);
    if (p->id == 0) {
        sq_bind_text(q, 1, p->name);
        sqlite3_bind_int(q, 2, p->width);
        sqlite3_bind_int(q, 3, p->height);
        sq_bind_text(q, 4, p->widths);
        sqlite3_bind_int64(q, 8, time_now());
    } else {
        sqlite3_bind_int64(q, 9, p->id);
    }
    sq_bind_text(q, 5, p->caption);
    sq_bind_text(q, 6, p->credit);
    sq_bind_text(q, 7, p->alt);
    int status = sq_status(sqlite3_step(q));
    if (status == STORE_OK && p->id == 0)
        p->id = sqlite3_last_insert_rowid(c->db);
    sqlite3_reset(q);
    return sq_write_end(s, status);
}

static const char SQL_FRONT_GET[] = "SELECT article_id FROM front_slots ORDER BY position";

int
sq_front_get(struct store *st, struct arena *a, int64_t **ids, size_t *n)
{
    struct sq_conn *c = sq_reader(sq(st));
    sqlite3_stmt *s = sq_stmt(c, SQL_FRONT_GET);
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        *(int64_t *)sq_push(a, (void **)ids, n, &cap, sizeof(int64_t)) = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return sq_status(rc);
}

static const char SQL_FRONT_CLEAR[] = "DELETE FROM front_slots";
static const char SQL_FRONT_ADD[] = "INSERT INTO front_slots(position, article_id) VALUES (?, ?)";

int
sq_front_set(struct store *st, const int64_t *ids, size_t n)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    int status = sq_status(sqlite3_step(sq_stmt(c, SQL_FRONT_CLEAR)));
    for (size_t i = 0; i < n && status == STORE_OK; i++) {
        sqlite3_stmt *q = sq_stmt(c, SQL_FRONT_ADD);
        sqlite3_bind_int64(q, 1, (sqlite3_int64)i);
        sqlite3_bind_int64(q, 2, ids[i]);
        status = sq_step_done(q);
    }
    sqlite3_reset(sq_stmt(c, SQL_FRONT_CLEAR));
    return sq_write_end(s, status);
}

static const char SQL_CORRECTION_ADD[] =
    "INSERT INTO corrections(article_id, kind, text, at_top, created_at) VALUES (?,?,?,?,?)";
static const char SQL_ARTICLE_TOUCH[] =
    "UPDATE articles SET updated_at = ?, version = version + 1 WHERE id = ?";

int
sq_correction_add(struct store *st, struct store_correction *corr)
{
    struct sq_store *s = sq(st);
    struct sq_conn *c = sq_write_begin(s);
    if (c == NULL)
        return STORE_BUSY;
    if (corr->created_at == 0)
        corr->created_at = time_now();
    sqlite3_stmt *q = sq_stmt(c, SQL_CORRECTION_ADD);
    sqlite3_bind_int64(q, 1, corr->article_id);
    sqlite3_bind_text(q, 2, corr->kind == CORRECTION_CLARIFICATION ? "clarification" : "correction",
                      -1, SQLITE_STATIC);
    sq_bind_text(q, 3, corr->text);
    sqlite3_bind_int(q, 4, corr->at_top);
    sqlite3_bind_int64(q, 5, corr->created_at);
    int status = sq_status(sqlite3_step(q));
    if (status == STORE_OK)
        corr->id = sqlite3_last_insert_rowid(c->db);
    sqlite3_reset(q);
    if (status == STORE_OK) {
        /* one record drives the notice and the article's updated time */
        q = sq_stmt(c, SQL_ARTICLE_TOUCH);
        sqlite3_bind_int64(q, 1, corr->created_at);
        sqlite3_bind_int64(q, 2, corr->article_id);
        status = sq_status(sqlite3_step(q));
        if (status == STORE_OK && sqlite3_changes(c->db) == 0)
            status = STORE_NOTFOUND;
        sqlite3_reset(q);
    }
    return sq_write_end(s, status);
}
