/*
 * The SQLite store in a temporary folder: opening and migrating, the
 * records and their relations, the lists readers see, the optimistic
 * version check, corrections, the front page, refusing files that are not
 * ours, and backups.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

#define T0 1800000000LL
/* String literals for record fields the store only reads. */
#define TXT(s) ((char *)(s)) /* "now" for every list */

static char dir[64], dbpath[128];
static char err[512];
static struct store *st;
static struct arena *arena;

static void
make_dir(void)
{
    log_set_level(LOG_WARN);
    snprintf(dir, sizeof(dir), "/tmp/bs-store-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(dbpath, sizeof(dbpath), "%s/paper.db", dir);
    arena = arena_new();
}

static void
remove_dir(void)
{
    arena_free(arena);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

static void
open_store(void)
{
    make_dir();
    st = store_sqlite_open(dbpath, err, sizeof(err));
    cr_assert_not_null(st, "open: %s", err);
}

static void
close_store(void)
{
    store_close(st);
    st = NULL;
    remove_dir();
}

/* --- helpers ------------------------------------------------------------------- */

static char *
slurp(const char *path, size_t *n)
{
    char *p = file_read(path, 64 << 20, n);
    cr_assert_not_null(p, "cannot read %s", path);
    return p;
}

static bool
exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void
sql(const char *path, const char *text)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, text, NULL, NULL, &msg);
    cr_assert_eq(rc, SQLITE_OK, "%s: %s", text, msg ? msg : "");
    sqlite3_close(db);
}

static long long
sql_int(const char *path, const char *text)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, text, -1, &s, NULL), SQLITE_OK, "%s", text);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW, "%s", text);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static int64_t
section(const char *slug, const char *name, int64_t parent, int position)
{
    struct store_section s = {.parent_id = parent,
                              .slug = (char *)slug,
                              .name = (char *)name,
                              .description = TXT(""),
                              .position = position};
    cr_assert_eq(store_call(st, section_save, &s), STORE_OK, "section %s", slug);
    cr_assert_gt(s.id, 0);
    return s.id;
}

static int64_t
author(const char *slug, const char *name, const char *email)
{
    struct store_author a = {.slug = (char *)slug,
                             .name = (char *)name,
                             .email = (char *)email,
                             .bio = TXT("Writes about things."),
                             .role = TXT("Reporter")};
    cr_assert_eq(store_call(st, author_save, &a), STORE_OK, "author %s", slug);
    return a.id;
}

static int64_t
tag(const char *name)
{
    int64_t id = 0;
    cr_assert_eq(store_call(st, tag_ensure, name, &id), STORE_OK, "tag %s", name);
    cr_assert_gt(id, 0);
    return id;
}

static int64_t
photo(const char *name)
{
    struct store_photo p = {.name = (char *)name,
                            .width = 1200,
                            .height = 800,
                            .widths = TXT("360 720 1200"),
                            .caption = TXT("Lawmakers vote."),
                            .credit = TXT("Staff photo"),
                            .alt = TXT("A chamber full of lawmakers")};
    cr_assert_eq(store_call(st, photo_save, &p), STORE_OK);
    return p.id;
}

struct spec {
    const char *headline;
    enum store_article_status status;
    int64_t section;
    int64_t published_at;
    int64_t authors[3]; /* zero-terminated */
    int64_t tags[3];
    int64_t extra[3];
    int64_t photo;
};

static size_t
count0(const int64_t *ids)
{
    size_t n = 0;
    while (n < 3 && ids[n])
        n++;
    return n;
}

static void
article_from(const struct spec *sp, struct store_article *a)
{
    memset(a, 0, sizeof(*a));
    a->headline = (char *)sp->headline;
    a->slug = slug_make(sp->headline, strlen(sp->headline), 80);
    a->summary = TXT("A summary.");
    a->body = TXT("The **body** of the story.");
    a->credit = TXT("");
    a->status = sp->status;
    a->section_id = sp->section;
    a->published_at = sp->published_at;
    a->created_at = T0 - 86400;
    a->nauthors = count0(sp->authors);
    a->authors = arena_zalloc(arena, (a->nauthors + 1) * sizeof(*a->authors));
    for (size_t i = 0; i < a->nauthors; i++)
        a->authors[i].id = sp->authors[i];
    a->ntags = count0(sp->tags);
    a->tags = arena_zalloc(arena, (a->ntags + 1) * sizeof(*a->tags));
    for (size_t i = 0; i < a->ntags; i++)
        a->tags[i].id = sp->tags[i];
    a->nextra_sections = count0(sp->extra);
    a->extra_sections = arena_zalloc(arena, (a->nextra_sections + 1) * sizeof(int64_t));
    memcpy(a->extra_sections, sp->extra, a->nextra_sections * sizeof(int64_t));
    a->nphotos = sp->photo ? 1 : 0;
    a->photos = arena_zalloc(arena, sizeof(*a->photos));
    a->photos[0].id = sp->photo;
}

static int64_t
article(const struct spec *sp)
{
    struct store_article a;
    article_from(sp, &a);
    int rc = store_call(st, article_save, &a);
    free(a.slug);
    cr_assert_eq(rc, STORE_OK, "article '%s'", sp->headline);
    cr_assert_gt(a.id, 0);
    cr_assert_eq(a.version, 1);
    return a.id;
}

/* A small paper: three sections, two authors, two tags, seven articles of
 * which four are visible at T0. */
static struct {
    int64_t national, politics, business;
    int64_t kim, lee;
    int64_t elections, economy;
    int64_t photo;
    int64_t budget, coalition, exports, draft, embargoed, withdrawn, weather;
} f;

static void
seed(void)
{
    f.national = section("national", "National", 0, 1);
    f.business = section("business", "Business", 0, 2);
    f.politics = section("politics", "Politics", f.national, 1);
    f.kim = author("kim-minji", "Kim Minji", "kim@example.com");
    f.lee = author("lee-jun", "Lee Jun", "lee@example.com");
    f.elections = tag("Elections");
    f.economy = tag("Economy");
    f.photo = photo("p-budget");
    f.budget = article(&(struct spec){.headline = "Assembly passes budget",
                                      .status = ARTICLE_PUBLISHED,
                                      .section = f.national,
                                      .published_at = T0 - 3600,
                                      .authors = {f.kim},
                                      .tags = {f.elections},
                                      .extra = {0},
                                      .photo = f.photo});
    f.coalition = article(&(struct spec){.headline = "Coalition talks resume",
                                         .status = ARTICLE_PUBLISHED,
                                         .section = f.politics,
                                         .published_at = T0 - 7200,
                                         .authors = {f.kim, f.lee},
                                         .tags = {f.elections, f.economy}});
    f.exports = article(&(struct spec){.headline = "Exports rise",
                                       .status = ARTICLE_PUBLISHED,
                                       .section = f.business,
                                       .published_at = T0 - 1800,
                                       .authors = {f.lee},
                                       .tags = {f.economy},
                                       .extra = {f.national}});
    f.draft = article(&(struct spec){.headline = "Draft piece",
                                     .status = ARTICLE_DRAFT,
                                     .section = f.national,
                                     .published_at = 0,
                                     .authors = {f.kim}});
    f.embargoed = article(&(struct spec){.headline = "Embargoed story",
                                         .status = ARTICLE_PUBLISHED,
                                         .section = f.national,
                                         .published_at = T0 + 3600,
                                         .authors = {f.kim},
                                         .tags = {f.elections}});
    f.withdrawn = article(&(struct spec){.headline = "Withdrawn story",
                                         .status = ARTICLE_UNPUBLISHED,
                                         .section = f.national,
                                         .published_at = T0 - 5000,
                                         .authors = {f.lee},
                                         .tags = {f.elections}});
    f.weather = article(&(struct spec){.headline = "Weather warning",
                                       .status = ARTICLE_PUBLISHED,
                                       .section = f.national,
                                       .published_at = T0 - 100,
                                       .authors = {f.lee}});
}

static void
open_seeded(void)
{
    open_store();
    seed();
}

/* Lists with q and checks the ids, in order. */
static void
assert_list(struct store_article_query q, const int64_t *want, size_t nwant, const char *what)
{
    if (q.now == 0)
        q.now = T0;
    struct store_article *arts = NULL;
    size_t n = 99;
    cr_assert_eq(store_call(st, article_list, &q, arena, &arts, &n), STORE_OK, "%s", what);
    cr_assert_eq(n, nwant, "%s: %zu articles, expected %zu", what, n, nwant);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(arts[i].id, want[i], "%s: article %zu is '%s'", what, i, arts[i].headline);
    long count = -1;
    if (q.offset == 0 && (q.limit == 0 || (size_t)q.limit > nwant)) {
        cr_assert_eq(store_call(st, article_count, &q, &count), STORE_OK);
        cr_assert_eq(count, (long)nwant, "%s: count", what);
    }
}

#define IDS(...)                                                                                   \
    ((const int64_t[]){__VA_ARGS__}), (sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

/* --- opening ------------------------------------------------------------------------ */

Test(store_open, creates_and_migrates, .init = open_store, .fini = close_store)
{
    cr_assert(exists(dbpath));
    cr_assert_str_eq(st->ops->name, "sqlite");
    cr_assert_eq(sql_int(dbpath, "PRAGMA application_id"), 0x42534854);
    cr_assert_gt(sql_int(dbpath, "SELECT count(*) FROM schema_migrations"), 0);
    cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM schema_migrations WHERE name='0001-base'"),
                 1);
    sqlite3 *db;
    sqlite3_open(dbpath, &db);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    cr_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* The purges that anyone can set off (a sign-in started, a failed staff
 * sign-in) delete by age through an index, not by reading the whole table. */
Test(store_open, purges_by_age_use_an_index, .init = open_store, .fini = close_store)
{
    static const char *const purges[] = {
        "DELETE FROM signin_flows WHERE created_at < 1",
        "DELETE FROM reader_sessions WHERE expires_at < 1",
        "DELETE FROM login_failures WHERE at < 1",
    };
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t i = 0; i < sizeof(purges) / sizeof(purges[0]); i++) {
        char sql[200];
        snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", purges[i]);
        sqlite3_stmt *s;
        cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
        cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
        const char *plan = (const char *)sqlite3_column_text(s, 3);
        cr_assert(strstr(plan, "USING") && strstr(plan, "INDEX"), "'%s' reads: %s", purges[i], plan);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
}

Test(store_open, reopen_is_idempotent_and_keeps_data, .init = open_seeded, .fini = close_store)
{
    long long migrations = sql_int(dbpath, "SELECT count(*) FROM schema_migrations");
    store_close(st);
    st = store_sqlite_open(dbpath, err, sizeof(err));
    cr_assert_not_null(st, "reopen: %s", err);
    cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM schema_migrations"), migrations,
                 "reopening applies nothing twice");
    struct store_article a;
    cr_assert_eq(store_call(st, article_get, f.budget, arena, &a), STORE_OK);
    cr_assert_str_eq(a.headline, "Assembly passes budget");
    store_close(st);
    st = store_sqlite_open(dbpath, err, sizeof(err));
    cr_assert_not_null(st, "third open: %s", err);
}

Test(store_open, unusable_paths_are_refused, .init = make_dir, .fini = remove_dir)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/no/such/folder/x.db", dir);
    cr_assert_null(store_sqlite_open(path, err, sizeof(err)));
    cr_assert_not_null(strstr(err, "no/such/folder"), "message: %s", err);
    cr_assert_null(store_sqlite_open(dir, err, sizeof(err)));
    cr_assert_not_null(strstr(err, "not a regular file"), "message: %s", err);
}

/* --- refusing files that are not ours ------------------------------------------------ */

static void
assert_refused_untouched(const char *why)
{
    size_t n0, n1;
    char *before = slurp(dbpath, &n0);
    err[0] = '\0';
    struct store *s = store_sqlite_open(dbpath, err, sizeof(err));
    cr_assert_null(s, "the file was opened");
    cr_assert_not_null(strstr(err, why), "message '%s' does not say '%s'", err, why);
    cr_assert_not_null(strstr(err, dbpath), "message '%s' does not name the file", err);
    char *after = slurp(dbpath, &n1);
    cr_assert_eq(n0, n1, "the file changed size");
    cr_assert_eq(memcmp(before, after, n0), 0, "the file's bytes changed");
    free(before);
    free(after);
}

Test(store_refuse, random_bytes, .init = make_dir, .fini = remove_dir)
{
    FILE *fp = fopen(dbpath, "wb");
    cr_assert_not_null(fp);
    uint32_t x = 2463534242u;
    for (int i = 0; i < 16384; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift: deterministic noise */
        fputc((int)(x & 0xff), fp);
    }
    fclose(fp);
    assert_refused_untouched("damaged or not a database");
    char side[160];
    snprintf(side, sizeof(side), "%s-wal", dbpath);
    cr_assert_not(exists(side), "a WAL file was created beside a damaged database");
    snprintf(side, sizeof(side), "%s-journal", dbpath);
    cr_assert_not(exists(side));
}

Test(store_refuse, damaged_pages, .init = open_seeded, .fini = close_store)
{
    store_close(st);
    st = NULL;
    size_t n;
    char *bytes = slurp(dbpath, &n);
    cr_assert_gt(n, 4096 * 4);
    memset(bytes + 4096 * 2, 0xA5, 4096 * 2); /* pages 3 and 4 */
    FILE *fp = fopen(dbpath, "wb");
    fwrite(bytes, 1, n, fp);
    fclose(fp);
    free(bytes);
    assert_refused_untouched("damaged or not a database");
}

Test(store_refuse, another_programs_database, .init = make_dir, .fini = remove_dir)
{
    sql(dbpath, "CREATE TABLE inventory(item TEXT, qty INTEGER);"
                "INSERT INTO inventory VALUES ('bolts', 12);");
    assert_refused_untouched("belongs to another program");
    cr_assert_eq(sql_int(dbpath, "SELECT qty FROM inventory"), 12);
}

Test(store_refuse, a_database_from_a_newer_version, .init = open_store, .fini = close_store)
{
    store_close(st);
    st = NULL;
    sql(dbpath,
        "INSERT INTO schema_migrations(name, applied_at) VALUES ('9999-from-the-future', 1)");
    assert_refused_untouched("newer version");
    cr_assert_not_null(strstr(err, "9999-from-the-future"), "message: %s", err);
}

/* --- records ------------------------------------------------------------------------ */

Test(store_records, sections_nest_and_keep_their_order, .init = open_seeded, .fini = close_store)
{
    struct store_section *secs;
    size_t n;
    cr_assert_eq(store_call(st, section_list, arena, &secs, &n), STORE_OK);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(secs[0].slug, "national", "top level first, by position");
    cr_assert_str_eq(secs[1].slug, "business");
    cr_assert_str_eq(secs[2].slug, "politics");
    cr_assert_eq(secs[2].parent_id, f.national);
    cr_assert_eq(secs[0].parent_id, 0);
    cr_assert_str_eq(secs[0].name, "National");

    struct store_section dup = {
        .slug = TXT("politics"), .name = TXT("Politics again"), .parent_id = f.national};
    cr_assert_eq(store_call(st, section_save, &dup), STORE_CONFLICT, "same slug, same parent");
    struct store_section other = {
        .slug = TXT("politics"), .name = TXT("Business politics"), .parent_id = f.business};
    cr_assert_eq(store_call(st, section_save, &other), STORE_OK, "same slug, another parent");
    struct store_section empty = {.slug = TXT("x"), .name = TXT("")};
    cr_assert_eq(store_call(st, section_save, &empty), STORE_INVALID);

    struct store_section ren = {.id = f.business,
                                .slug = TXT("business"),
                                .name = TXT("Economy & Business"),
                                .position = 2};
    cr_assert_eq(store_call(st, section_save, &ren), STORE_OK);
    struct store_section ghost = {.id = 9999, .slug = TXT("ghost"), .name = TXT("Ghost")};
    cr_assert_eq(store_call(st, section_save, &ghost), STORE_NOTFOUND);
    cr_assert_eq(store_call(st, section_list, arena, &secs, &n), STORE_OK);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(secs[1].name, "Economy & Business");
}

Test(store_records, authors, .init = open_seeded, .fini = close_store)
{
    struct store_author a;
    cr_assert_eq(store_call(st, author_get, f.lee, NULL, arena, &a), STORE_OK);
    cr_assert_str_eq(a.name, "Lee Jun");
    cr_assert_str_eq(a.email, "lee@example.com");
    cr_assert_str_eq(a.role, "Reporter");
    cr_assert_eq(store_call(st, author_get, 0, "kim-minji", arena, &a), STORE_OK);
    cr_assert_eq(a.id, f.kim);
    cr_assert_eq(store_call(st, author_get, 0, "nobody", arena, &a), STORE_NOTFOUND);
    cr_assert_eq(store_call(st, author_get, 9999, NULL, arena, &a), STORE_NOTFOUND);

    struct store_author dup = {.slug = TXT("lee-jun"), .name = TXT("Another Lee")};
    cr_assert_eq(store_call(st, author_save, &dup), STORE_CONFLICT);
    struct store_author *list;
    size_t n;
    cr_assert_eq(store_call(st, author_list, arena, &list, &n), STORE_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(list[0].name, "Kim Minji", "sorted by name");
    cr_assert_str_eq(list[1].name, "Lee Jun");

    struct store_author edit = {.id = f.kim,
                                .slug = TXT("kim-minji"),
                                .name = TXT("Kim Min-ji"),
                                .email = TXT("minji@example.com"),
                                .photo_id = f.photo};
    cr_assert_eq(store_call(st, author_save, &edit), STORE_OK);
    cr_assert_eq(store_call(st, author_get, f.kim, NULL, arena, &a), STORE_OK);
    cr_assert_str_eq(a.name, "Kim Min-ji");
    cr_assert_eq(a.photo_id, f.photo);
}

Test(store_records, tags_are_found_by_slug_or_created, .init = open_seeded, .fini = close_store)
{
    cr_assert_eq(tag("Elections"), f.elections);
    cr_assert_eq(tag("elections!"), f.elections, "the same slug is the same tag");
    int64_t ko = tag("\xEC\x84\xA0\xEA\xB1\xB0"); /* 선거 */
    cr_assert_neq(ko, f.elections);
    struct store_tag t;
    cr_assert_eq(store_call(st, tag_get, 0, "\xEC\x84\xA0\xEA\xB1\xB0", arena, &t), STORE_OK);
    cr_assert_eq(t.id, ko);
    cr_assert_eq(store_call(st, tag_get, f.economy, NULL, arena, &t), STORE_OK);
    cr_assert_str_eq(t.slug, "economy");
    cr_assert_str_eq(t.name, "Economy");
    cr_assert_eq(store_call(st, tag_get, 0, "nope", arena, &t), STORE_NOTFOUND);
    int64_t id = 0;
    cr_assert_eq(store_call(st, tag_ensure, "!!!", &id), STORE_INVALID, "no letters, no tag");
}

Test(store_records, photos, .init = open_seeded, .fini = close_store)
{
    struct store_photo p;
    cr_assert_eq(store_call(st, photo_get, f.photo, arena, &p), STORE_OK);
    cr_assert_str_eq(p.name, "p-budget");
    cr_assert_eq(p.width, 1200);
    cr_assert_eq(p.height, 800);
    cr_assert_str_eq(p.widths, "360 720 1200");
    cr_assert_str_eq(p.alt, "A chamber full of lawmakers");
    struct store_photo edit = {.id = f.photo,
                               .caption = TXT("New caption"),
                               .credit = TXT("Wire"),
                               .alt = TXT("New alt"),
                               .name = TXT("ignored"),
                               .width = 1};
    cr_assert_eq(store_call(st, photo_save, &edit), STORE_OK);
    cr_assert_eq(store_call(st, photo_get, f.photo, arena, &p), STORE_OK);
    cr_assert_str_eq(p.caption, "New caption");
    cr_assert_str_eq(p.name, "p-budget", "an edit changes the words, not the files");
    cr_assert_eq(p.width, 1200);
    cr_assert_eq(store_call(st, photo_get, 9999, arena, &p), STORE_NOTFOUND);
    struct store_photo bad = {.name = TXT("p-bad"), .width = 0, .height = 10, .widths = TXT("")};
    cr_assert_eq(store_call(st, photo_save, &bad), STORE_INVALID);
}

Test(store_records, article_with_relations, .init = open_seeded, .fini = close_store)
{
    struct store_article a;
    cr_assert_eq(store_call(st, article_get, f.coalition, arena, &a), STORE_OK);
    cr_assert_str_eq(a.headline, "Coalition talks resume");
    cr_assert_str_eq(a.slug, "coalition-talks-resume");
    cr_assert_str_eq(a.summary, "A summary.");
    cr_assert_str_eq(a.body, "The **body** of the story.");
    cr_assert_eq(a.status, ARTICLE_PUBLISHED);
    cr_assert_eq(a.section_id, f.politics);
    cr_assert_eq(a.published_at, T0 - 7200);
    cr_assert_eq(a.created_at, T0 - 86400);
    cr_assert_eq(a.updated_at, 0);
    cr_assert_eq(a.version, 1);
    cr_assert_eq(a.nauthors, 2);
    cr_assert_str_eq(a.authors[0].name, "Kim Minji", "authors keep their order");
    cr_assert_str_eq(a.authors[1].email, "lee@example.com");
    cr_assert_eq(a.ntags, 2);
    cr_assert_str_eq(a.tags[0].name, "Elections");
    cr_assert_str_eq(a.tags[1].name, "Economy");
    cr_assert_eq(a.nphotos, 0);
    cr_assert_eq(a.ncorrections, 0);
    cr_assert_eq(a.nextra_sections, 0);

    cr_assert_eq(store_call(st, article_get, f.budget, arena, &a), STORE_OK);
    cr_assert_eq(a.nphotos, 1);
    cr_assert_str_eq(a.photos[0].caption, "Lawmakers vote.");
    cr_assert_str_eq(a.photos[0].credit, "Staff photo");

    cr_assert_eq(store_call(st, article_get, f.exports, arena, &a), STORE_OK);
    cr_assert_eq(a.nextra_sections, 1);
    cr_assert_eq(a.extra_sections[0], f.national);

    cr_assert_eq(store_call(st, article_get, f.draft, arena, &a), STORE_OK, "any status");
    cr_assert_eq(a.status, ARTICLE_DRAFT);
    cr_assert_eq(a.published_at, 0);
    cr_assert_eq(store_call(st, article_get, 9999, arena, &a), STORE_NOTFOUND);

    /* the author order is what the editor saved */
    a.nauthors = 2;
    a.authors = arena_zalloc(arena, 2 * sizeof(*a.authors));
    a.authors[0].id = f.lee;
    a.authors[1].id = f.kim;
    cr_assert_eq(store_call(st, article_save, &a), STORE_OK);
    cr_assert_eq(store_call(st, article_get, f.draft, arena, &a), STORE_OK);
    cr_assert_str_eq(a.authors[0].name, "Lee Jun");
    cr_assert_str_eq(a.authors[1].name, "Kim Minji");
}

Test(store_records, a_save_that_breaks_a_rule_stores_nothing, .init = open_seeded,
     .fini = close_store)
{
    struct store_article a;
    article_from(&(struct spec){.headline = "Nowhere",
                                .status = ARTICLE_PUBLISHED,
                                .section = 9999,
                                .published_at = T0 - 10,
                                .authors = {f.kim}},
                 &a);
    cr_assert_neq(store_call(st, article_save, &a), STORE_OK, "an unknown section is refused");
    cr_assert_eq(a.id, 0, "the id is not set when nothing was stored");
    free(a.slug);
    article_from(&(struct spec){.headline = "Unknown author",
                                .status = ARTICLE_PUBLISHED,
                                .section = f.national,
                                .published_at = T0 - 10,
                                .authors = {9999}},
                 &a);
    cr_assert_neq(store_call(st, article_save, &a), STORE_OK);
    cr_assert_eq(a.id, 0);
    free(a.slug);
    cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM articles"), 7,
                 "the article row was rolled back with its relations");
}

/* --- what readers see ------------------------------------------------------------------ */

Test(store_list, only_published_and_not_in_the_future, .init = open_seeded, .fini = close_store)
{
    assert_list((struct store_article_query){0}, IDS(f.weather, f.exports, f.budget, f.coalition),
                "everything visible, newest first");
    assert_list((struct store_article_query){.now = T0 + 3600},
                IDS(f.embargoed, f.weather, f.exports, f.budget, f.coalition),
                "the embargo lifts at its time");
    assert_list((struct store_article_query){.now = T0 - 4000}, IDS(f.coalition), "earlier");
}

Test(store_list, by_section_including_secondary_sections, .init = open_seeded, .fini = close_store)
{
    int64_t national[] = {f.national};
    assert_list((struct store_article_query){.section_ids = national, .nsection_ids = 1},
                IDS(f.weather, f.exports, f.budget), "national, with exports listed there too");
    int64_t tree[] = {f.national, f.politics};
    assert_list((struct store_article_query){.section_ids = tree, .nsection_ids = 2},
                IDS(f.weather, f.exports, f.budget, f.coalition), "national and its sub-section");
    int64_t politics[] = {f.politics};
    assert_list((struct store_article_query){.section_ids = politics, .nsection_ids = 1},
                IDS(f.coalition), "politics");
    int64_t none[] = {9999};
    struct store_article_query q = {.section_ids = none, .nsection_ids = 1, .now = T0};
    struct store_article *arts;
    size_t n = 5;
    cr_assert_eq(store_call(st, article_list, &q, arena, &arts, &n), STORE_OK);
    cr_assert_eq(n, 0);
}

Test(store_list, by_author_tag_and_exclusions, .init = open_seeded, .fini = close_store)
{
    assert_list((struct store_article_query){.author_id = f.kim}, IDS(f.budget, f.coalition),
                "kim");
    assert_list((struct store_article_query){.author_id = f.lee},
                IDS(f.weather, f.exports, f.coalition), "lee (the withdrawn story is hidden)");
    assert_list((struct store_article_query){.tag_id = f.economy}, IDS(f.exports, f.coalition),
                "economy");
    assert_list((struct store_article_query){.tag_id = f.economy, .author_id = f.kim},
                IDS(f.coalition), "economy by kim");
    int64_t ex[] = {f.weather, f.exports};
    assert_list((struct store_article_query){.exclude_ids = ex, .nexclude_ids = 2},
                IDS(f.budget, f.coalition), "without the two already on the page");
}

Test(store_list, paging, .init = open_seeded, .fini = close_store)
{
    assert_list((struct store_article_query){.limit = 2}, IDS(f.weather, f.exports), "page 1");
    assert_list((struct store_article_query){.limit = 2, .offset = 2}, IDS(f.budget, f.coalition),
                "page 2");
    struct store_article_query q = {.limit = 2, .offset = 4, .now = T0};
    struct store_article *arts;
    size_t n = 9;
    cr_assert_eq(store_call(st, article_list, &q, arena, &arts, &n), STORE_OK);
    cr_assert_eq(n, 0, "past the end is empty");
    long count;
    cr_assert_eq(store_call(st, article_count, &q, &count), STORE_OK);
    cr_assert_eq(count, 4, "the count ignores paging");
}

Test(store_list, rows_carry_relations_and_body_on_request, .init = open_seeded, .fini = close_store)
{
    int64_t politics[] = {f.politics};
    struct store_article_query q = {.section_ids = politics, .nsection_ids = 1, .now = T0};
    struct store_article *arts;
    size_t n;
    cr_assert_eq(store_call(st, article_list, &q, arena, &arts, &n), STORE_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(arts[0].body, "", "no body unless asked");
    cr_assert_eq(arts[0].nauthors, 2);
    cr_assert_str_eq(arts[0].authors[1].name, "Lee Jun");
    cr_assert_eq(arts[0].ntags, 2);
    q.with_body = true;
    cr_assert_eq(store_call(st, article_list, &q, arena, &arts, &n), STORE_OK);
    cr_assert_str_eq(arts[0].body, "The **body** of the story.");
}

Test(store_list, related, .init = open_seeded, .fini = close_store)
{
    struct store_article *arts;
    size_t n;
    cr_assert_eq(store_call(st, article_related, f.budget, T0, 5, arena, &arts, &n), STORE_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(arts[0].id, f.coalition, "a shared tag first");
    cr_assert_eq(arts[1].id, f.weather, "then the same section");
    cr_assert_eq(store_call(st, article_related, f.coalition, T0, 5, arena, &arts, &n), STORE_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(arts[0].id, f.exports, "equal shared tags: newest first");
    cr_assert_eq(arts[1].id, f.budget);
    cr_assert_eq(store_call(st, article_related, f.coalition, T0, 1, arena, &arts, &n), STORE_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(arts[0].id, f.exports);
    for (size_t i = 0; i < n; i++)
        cr_assert_neq(arts[i].id, f.coalition, "never the article itself");
}

/* --- saving ------------------------------------------------------------------------------ */

Test(store_save, stale_version_conflicts_and_changes_nothing, .init = open_seeded,
     .fini = close_store)
{
    struct store_article mine, theirs, now;
    cr_assert_eq(store_call(st, article_get, f.budget, arena, &mine), STORE_OK);
    cr_assert_eq(store_call(st, article_get, f.budget, arena, &theirs), STORE_OK);
    mine.headline = TXT("Assembly passes budget after all-night session");
    cr_assert_eq(store_call(st, article_save, &mine), STORE_OK);
    cr_assert_eq(mine.version, 2);

    theirs.headline = TXT("A stale headline");
    theirs.tags[0].id = f.economy;
    cr_assert_eq(store_call(st, article_save, &theirs), STORE_CONFLICT);
    cr_assert_eq(theirs.version, 1, "the caller's version is left as it was");
    cr_assert_eq(theirs.id, f.budget);

    cr_assert_eq(store_call(st, article_get, f.budget, arena, &now), STORE_OK);
    cr_assert_str_eq(now.headline, TXT("Assembly passes budget after all-night session"));
    cr_assert_eq(now.version, 2);
    cr_assert_eq(now.ntags, 1);
    cr_assert_eq(now.tags[0].id, f.elections, "the stale save's tags did not land");

    theirs.id = 9999;
    cr_assert_eq(store_call(st, article_save, &theirs), STORE_NOTFOUND);
    cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM articles"), 7);
}

Test(store_save, correction_bumps_updated_time_and_version, .init = open_seeded,
     .fini = close_store)
{
    struct store_article before, after;
    cr_assert_eq(store_call(st, article_get, f.budget, arena, &before), STORE_OK);
    struct store_correction c = {.article_id = f.budget,
                                 .kind = CORRECTION_CORRECTION,
                                 .text = TXT("An earlier version misstated the vote count."),
                                 .at_top = true,
                                 .created_at = T0 - 60};
    cr_assert_eq(store_call(st, correction_add, &c), STORE_OK);
    cr_assert_gt(c.id, 0);
    cr_assert_eq(store_call(st, article_get, f.budget, arena, &after), STORE_OK);
    cr_assert_eq(after.updated_at, T0 - 60, "readers see when it was updated");
    cr_assert_eq(after.version, before.version + 1);
    cr_assert_eq(after.ncorrections, 1);
    cr_assert_str_eq(after.corrections[0].text,
                     TXT("An earlier version misstated the vote count."));
    cr_assert_eq(after.corrections[0].kind, CORRECTION_CORRECTION);
    cr_assert(after.corrections[0].at_top);

    struct store_correction k = {.article_id = f.budget,
                                 .kind = CORRECTION_CLARIFICATION,
                                 .text = TXT("The vote was held at night."),
                                 .created_at = T0 - 30};
    cr_assert_eq(store_call(st, correction_add, &k), STORE_OK);
    cr_assert_eq(store_call(st, article_get, f.budget, arena, &after), STORE_OK);
    cr_assert_eq(after.ncorrections, 2);
    cr_assert_eq(after.corrections[1].kind, CORRECTION_CLARIFICATION,
                 "in the order they were made");
    cr_assert_eq(after.updated_at, T0 - 30);

    /* an editor holding the old version cannot overwrite the corrected article */
    before.headline = TXT("Overwrite");
    cr_assert_eq(store_call(st, article_save, &before), STORE_CONFLICT);

    struct store_correction ghost = {.article_id = 9999, .text = TXT("x")};
    cr_assert_neq(store_call(st, correction_add, &ghost), STORE_OK);
    struct store_correction empty = {.article_id = f.budget, .text = TXT("")};
    cr_assert_eq(store_call(st, correction_add, &empty), STORE_INVALID);
    cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM corrections"), 2);
}

Test(store_save, front_page_order, .init = open_seeded, .fini = close_store)
{
    int64_t *ids;
    size_t n;
    cr_assert_eq(store_call(st, front_get, arena, &ids, &n), STORE_OK);
    cr_assert_eq(n, 0);
    int64_t order[] = {f.exports, f.budget, f.weather};
    cr_assert_eq(store_call(st, front_set, order, 3), STORE_OK);
    cr_assert_eq(store_call(st, front_get, arena, &ids, &n), STORE_OK);
    cr_assert_eq(n, 3);
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(ids[i], order[i], "slot %zu", i);

    int64_t lead_only[] = {f.budget};
    cr_assert_eq(store_call(st, front_set, lead_only, 1), STORE_OK);
    cr_assert_eq(store_call(st, front_get, arena, &ids, &n), STORE_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(ids[0], f.budget);

    int64_t bad[] = {f.weather, 9999};
    cr_assert_neq(store_call(st, front_set, bad, 2), STORE_OK);
    int64_t twice[] = {f.weather, f.weather};
    cr_assert_neq(store_call(st, front_set, twice, 2), STORE_OK);
    cr_assert_eq(store_call(st, front_get, arena, &ids, &n), STORE_OK);
    cr_assert_eq(n, 1, "a refused front page leaves the old one");
    cr_assert_eq(ids[0], f.budget);

    cr_assert_eq(store_call(st, front_set, NULL, 0), STORE_OK);
    cr_assert_eq(store_call(st, front_get, arena, &ids, &n), STORE_OK);
    cr_assert_eq(n, 0);
}

/* Lists grow past their first block of 16; lookups by id or by login. */
Test(store_records, staff_list_and_lookups, .init = open_store, .fini = close_store)
{
    for (int i = 0; i < 40; i++) {
        char login[16], name[32];
        snprintf(login, sizeof(login), "user%02d", i);
        snprintf(name, sizeof(name), "Staff Member %02d", i);
        struct store_user u = {
            .login = login, .name = name, .role = TXT("reporter"), .pwhash = TXT("x")};
        cr_assert_eq(store_call(st, user_save, &u), STORE_OK);
    }
    struct store_user *all;
    size_t n = 0;
    cr_assert_eq(store_call(st, user_list, arena, &all, &n), STORE_OK);
    cr_assert_eq(n, 40);
    bool seen[40] = {false};
    for (size_t i = 0; i < n; i++) {
        int k = -1;
        cr_assert_eq(sscanf(all[i].login, "user%d", &k), 1);
        cr_assert(k >= 0 && k < 40 && !seen[k], "%s", all[i].login);
        seen[k] = true;
        char name[32];
        snprintf(name, sizeof(name), "Staff Member %02d", k);
        cr_assert_str_eq(all[i].name, name);
    }
    struct store_user u;
    cr_assert_eq(store_call(st, user_get, 0, "USER07", arena, &u), STORE_OK);
    cr_assert_str_eq(u.name, "Staff Member 07");
    int64_t id = u.id;
    cr_assert_eq(store_call(st, user_get, id, NULL, arena, &u), STORE_OK);
    cr_assert_str_eq(u.login, "user07");
    cr_assert_eq(store_call(st, user_get, 0, "nobody", arena, &u), STORE_NOTFOUND);
    cr_assert_eq(store_call(st, user_get, id + 1000, NULL, arena, &u), STORE_NOTFOUND);
}

Test(store_save, status_names)
{
    for (int s = ARTICLE_DRAFT; s <= ARTICLE_UNPUBLISHED; s++) {
        enum store_article_status back;
        cr_assert_eq(store_article_status_parse(store_article_status_name(s), &back), 0);
        cr_assert_eq(back, s);
    }
    enum store_article_status x = ARTICLE_READY;
    cr_assert_eq(store_article_status_parse("live", &x), -1);
    cr_assert_eq(x, ARTICLE_READY);
    cr_assert_str_eq(store_article_status_name(ARTICLE_PUBLISHED), "published");
}

/* --- threads ------------------------------------------------------------------------------- */

static void *
writer_thread(void *arg)
{
    long k = (long)arg;
    struct arena *a = arena_new();
    int failures = 0;
    for (int i = 0; i < 15; i++) {
        char headline[64];
        snprintf(headline, sizeof(headline), "Thread %ld story %d", k, i);
        struct store_article art = {.headline = headline,
                                    .slug = TXT("thread-story"),
                                    .status = ARTICLE_PUBLISHED,
                                    .section_id = f.business,
                                    .published_at = T0 - 10000 - i};
        failures += store_call(st, article_save, &art) != STORE_OK;
        struct store_article_query q = {.now = T0, .limit = 5};
        struct store_article *arts;
        size_t n;
        failures += store_call(st, article_list, &q, a, &arts, &n) != STORE_OK;
    }
    arena_free(a);
    return (void *)(long)failures;
}

Test(store_threads, writers_and_readers_on_several_threads, .init = open_seeded,
     .fini = close_store)
{
    pthread_t t[3];
    for (long i = 0; i < 3; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, writer_thread, (void *)i), 0);
    long failures = 0;
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(t[i], &r);
        failures += (long)r;
    }
    cr_assert_eq(failures, 0);
    long count;
    struct store_article_query q = {.now = T0};
    cr_assert_eq(store_call(st, article_count, &q, &count), STORE_OK);
    cr_assert_eq(count, 4 + 45);
}

/* --- backup -------------------------------------------------------------------------------- */

Test(store_backup, copy_opens_with_the_same_articles, .init = open_seeded, .fini = close_store)
{
    struct store_correction c = {
        .article_id = f.budget, .text = TXT("Fixed a name."), .created_at = T0};
    cr_assert_eq(store_call(st, correction_add, &c), STORE_OK);
    char copy[160];
    snprintf(copy, sizeof(copy), "%s/backup.db", dir);
    FILE *old = fopen(copy, "w");
    fputs("an older backup", old);
    fclose(old);
    cr_assert_eq(store_call(st, backup, copy), STORE_OK);

    struct store *b = store_sqlite_open(copy, err, sizeof(err));
    cr_assert_not_null(b, "the backup does not open: %s", err);
    struct store_article_query q = {.now = T0 + 100000};
    struct store_article *orig, *back;
    size_t n1, n2;
    cr_assert_eq(store_call(st, article_list, &q, arena, &orig, &n1), STORE_OK);
    cr_assert_eq(store_call(b, article_list, &q, arena, &back, &n2), STORE_OK);
    cr_assert_eq(n1, 5);
    cr_assert_eq(n2, n1);
    for (size_t i = 0; i < n1; i++) {
        cr_assert_eq(back[i].id, orig[i].id);
        cr_assert_str_eq(back[i].headline, orig[i].headline);
        cr_assert_eq(back[i].nauthors, orig[i].nauthors);
    }
    struct store_article a;
    cr_assert_eq(store_call(b, article_get, f.budget, arena, &a), STORE_OK);
    cr_assert_eq(a.ncorrections, 1);
    cr_assert_eq(a.ntags, 1);
    store_close(b);
    char side[200];
    snprintf(side, sizeof(side), "%s.tmp-%d", copy, (int)getpid());
    cr_assert_not(exists(side), "the temporary file is gone");

    snprintf(copy, sizeof(copy), "%s/no/such/dir/backup.db", dir);
    cr_assert_neq(store_call(st, backup, copy), STORE_OK);
}
