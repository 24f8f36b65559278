/*
 * The demo paper, as a reader and the later features (dictionary, search,
 * corrections) will find it in a fresh database. One paper is created and
 * every check runs on it: creating it takes about a second.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_int.h"
#include "media/media.h"
#include "store/store.h"

static char dir[64], media[96], db[96];
static struct store *st;
static struct arena *arena;
static struct store_article *arts;
static size_t narts;

static void
setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/bs-demo-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(media, sizeof(media), "%s/media", dir);
    snprintf(db, sizeof(db), "%s/demo.db", dir);
    char err[256];
    st = store_sqlite_open(db, err, sizeof(err));
    cr_assert_not_null(st, "%s", err);
    cr_assert_eq(demo_create(st, media), 0);
    arena = arena_new();
    struct store_article_query q = {.limit = 1000, .with_body = true};
    cr_assert_eq(store_call(st, article_list, &q, arena, &arts, &narts), STORE_OK);
}

static void
teardown(void)
{
    arena_free(arena);
    store_close(st);
    media_shutdown();
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static const struct store_article *
find_by_credit(const char *credit)
{
    for (size_t i = 0; i < narts; i++)
        if (strcmp(arts[i].credit, credit) == 0)
            return &arts[i];
    return NULL;
}

static bool
has_hangul(const char *s)
{
    /* Hangul syllables U+AC00..U+D7A3 start with the bytes 0xEA..0xED */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xEA && *p <= 0xED)
            return true;
    return false;
}

static void
a_full_paper_of_published_articles(void)
{
    cr_expect_geq(narts, 42, "only %zu published articles", narts);
    int64_t now = time_now(), oldest = now, updated = 0;
    for (size_t i = 0; i < narts; i++) {
        const struct store_article *a = &arts[i];
        cr_expect_eq(a->status, ARTICLE_PUBLISHED);
        cr_expect(a->headline[0] && a->summary[0] && strlen(a->body) > 300, "%s", a->slug);
        cr_expect_geq(a->nauthors, 1, "%s has no author", a->slug);
        cr_expect_geq(a->ntags, 1, "%s has no tags", a->slug);
        cr_expect_leq(a->published_at, now);
        oldest = a->published_at < oldest ? a->published_at : oldest;
        updated += a->updated_at > a->published_at;
    }
    cr_expect_geq(now - oldest, 14 * 86400, "articles should span the last weeks");
    cr_expect_leq(now - oldest, 24 * 86400);
    cr_expect_geq(updated, 3, "some articles should have been updated");
}

static void
sections_nest_under_national(void)
{
    struct store_section *secs;
    size_t n;
    cr_assert_eq(store_call(st, section_list, arena, &secs, &n), STORE_OK);
    const char *want[] = {"national", "politics", "society", "business",
                          "culture",  "sports",   "opinion"};
    int64_t national = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(secs[i].slug, "national") == 0)
            national = secs[i].id;
    for (size_t w = 0; w < ARRAY_SIZE(want); w++) {
        bool found = false;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(secs[i].slug, want[w]) != 0)
                continue;
            found = true;
            bool child = w == 1 || w == 2;
            cr_expect_eq(secs[i].parent_id, child ? national : 0, "%s parent", want[w]);
        }
        cr_expect(found, "no section %s", want[w]);
    }
}

static void
authors_with_contact_and_bio(void)
{
    struct store_author *au;
    size_t n;
    cr_assert_eq(store_call(st, author_list, arena, &au, &n), STORE_OK);
    cr_expect_geq(n, 6);
    for (size_t i = 0; i < n; i++) {
        const char *at = strchr(au[i].email, '@');
        cr_expect(at && strcmp(at, "@broadsheet.example") == 0, "%s", au[i].email);
        cr_expect(au[i].role[0] && au[i].bio[0], "%s lacks a role or bio", au[i].name);
    }
}

static void
wire_story_for_the_dictionary(void)
{
    const struct store_article *a = find_by_credit("KCNA via Yonhap");
    cr_assert_not_null(a, "no story credited to KCNA via Yonhap");
    const char *words[] = {"summits", "relations", "cozying"};
    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        cr_expect(strstr(a->body, words[i]) || strstr(a->summary, words[i]), "missing %s",
                  words[i]);
    cr_expect_geq(a->nauthors, 1, "a staff author besides the agency");
    struct store_section *secs;
    size_t n;
    store_call(st, section_list, arena, &secs, &n);
    for (size_t i = 0; i < n; i++)
        if (secs[i].id == a->section_id)
            cr_expect_str_eq(secs[i].slug, "politics");
}

static void
korean_text_for_search(void)
{
    size_t korean = 0;
    bool seoul_inside_word = false;
    for (size_t i = 0; i < narts; i++) {
        korean += has_hangul(arts[i].body);
        seoul_inside_word |= strstr(arts[i].body, "서울에서") != NULL;
    }
    cr_expect_geq(korean, 2);
    cr_expect(seoul_inside_word, "search tests need 서울 inside 서울에서");
}

static void
tables_lists_and_quotes_in_bodies(void)
{
    size_t tables = 0, lists = 0, quotes = 0, heads = 0;
    for (size_t i = 0; i < narts; i++) {
        tables += strstr(arts[i].body, "\n|---") != NULL;
        lists += strstr(arts[i].body, "\n- ") != NULL || strstr(arts[i].body, "\n1. ") != NULL;
        quotes += strstr(arts[i].body, "\n> ") != NULL;
        heads += strstr(arts[i].body, "\n## ") != NULL;
    }
    cr_expect_geq(tables, 2);
    cr_expect_geq(lists, 3);
    cr_expect_geq(quotes, 1);
    cr_expect_geq(heads, 3);
}

static void
front_page_and_one_correction(void)
{
    int64_t *ids;
    size_t n;
    cr_assert_eq(store_call(st, front_get, arena, &ids, &n), STORE_OK);
    cr_expect_eq(n, 6, "a lead story and five top slots");
    size_t corrected = 0;
    for (size_t i = 0; i < narts; i++) {
        struct store_article full;
        cr_assert_eq(store_call(st, article_get, arts[i].id, arena, &full), STORE_OK);
        if (full.ncorrections == 0)
            continue;
        corrected++;
        cr_expect_gt(full.corrections[0].created_at, full.published_at);
        cr_expect_eq(full.updated_at, full.corrections[0].created_at);
    }
    cr_expect_eq(corrected, 1);
}

static void
expect_files(const struct store_photo *p)
{
    const char *w = p->widths;
    int n = 0;
    while (*w) {
        char *end;
        long width = strtol(w, &end, 10);
        cr_assert_neq(end, w, "bad widths '%s'", p->widths);
        const char *ext[] = {"webp", "jpg"};
        for (size_t e = 0; e < 2; e++) {
            char path[256];
            snprintf(path, sizeof(path), "%s/%s-%ld.%s", media, p->name, width, ext[e]);
            cr_expect_eq(access(path, R_OK), 0, "missing %s", path);
        }
        n++;
        w = *end ? end + 1 : end;
    }
    cr_expect_eq(n, 3, "%s: widths '%s'", p->name, p->widths);
}

static void
photos_went_through_the_pipeline(void)
{
    int64_t seen[64];
    size_t nseen = 0, with_photo = 0;
    for (size_t i = 0; i < narts; i++) {
        if (arts[i].nphotos == 0)
            continue;
        with_photo++;
        const struct store_photo *p = &arts[i].photos[0];
        cr_expect_str_eq(p->credit, "Broadsheet illustration");
        cr_expect(p->caption[0] && p->alt[0], "photo %s lacks caption or alt", p->name);
        bool known = false;
        for (size_t k = 0; k < nseen; k++)
            known |= seen[k] == p->id;
        if (!known && nseen < ARRAY_SIZE(seen)) {
            seen[nseen++] = p->id;
            expect_files(p);
        }
    }
    cr_expect_geq(nseen, 10, "distinct photos");
    cr_expect_geq(with_photo, narts * 2 / 3, "most articles carry a photo");
}

Test(demo, paper, .init = setup, .fini = teardown)
{
    a_full_paper_of_published_articles();
    sections_nest_under_national();
    authors_with_contact_and_bio();
    wire_story_for_the_dictionary();
    korean_text_for_search();
    tables_lists_and_quotes_in_bodies();
    front_page_and_one_correction();
    photos_went_through_the_pipeline();
}
