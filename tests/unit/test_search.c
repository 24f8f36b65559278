/* search: Korean bigrams, the query language, and search through the store. */
#include <sqlite3.h>

#include "dist_helpers.h"
#include "search/search.h"
#include "store/sqlite_int.h"

static char *
bigrams(const char *s)
{
    struct buf b = BUF_INIT;
    search_cjk_bigrams(s, strlen(s), &b);
    return buf_detach(&b, NULL);
}

Test(search_bigrams, hangul_words_become_overlapping_pairs)
{
    char *b = bigrams("서울에서 시장선거");
    cr_assert_str_eq(b, "서울 울에 에서 시장 장선 선거");
    free(b);
    b = bigrams("K팝 스타 a 한");
    cr_assert_str_eq(b, "팝 스타 한");
    free(b);
    b = bigrams("no korean here");
    cr_assert_str_eq(b, "");
    free(b);
    b = bigrams("東京都");
    cr_assert_str_eq(b, "東京 京都");
    free(b);
}

static struct search_query
parse_ok(const char *q)
{
    struct search_query sq;
    enum search_status st = search_query_parse(q, strlen(q), &sq);
    cr_assert_eq(st, SEARCH_OK, "'%s' refused: %s", q, search_status_text(st));
    return sq;
}

static enum search_status
parse_status(const char *q)
{
    struct search_query sq;
    enum search_status st = search_query_parse(q, strlen(q), &sq);
    search_query_release(&sq);
    return st;
}

Test(search_parse, words_are_quoted_and_joined)
{
    struct search_query q = parse_ok("summit leaders");
    cr_assert_str_eq(q.match, "{headline summary body} : \"summit\" AND "
                              "{headline summary body} : \"leaders\"");
    search_query_release(&q);
    q = parse_ok("\"budget talks\" 서울");
    cr_assert_str_eq(q.match, "{headline summary body} : \"budget talks\" AND cjk : \"서울\"");
    cr_assert_eq(q.ncjk, 1);
    cr_assert_str_eq(q.cjk_terms[0], "서울");
    search_query_release(&q);
    q = parse_ok("summ*");
    cr_assert_str_eq(q.match, "{headline summary body} : \"summ \" *");
    search_query_release(&q);
}

Test(search_parse, fts_syntax_stays_text)
{
    const char *hostile[] = {"NEAR(a b)",   "a OR b",        "headline:x",
                             "^start",      "-minus +plus",  "col : \"x\"\"y\"",
                             "a AND NOT b", "{headline}: x", "x\\y"};
    for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
        struct search_query q;
        if (search_query_parse(hostile[i], strlen(hostile[i]), &q) != SEARCH_OK)
            continue;
        /* every user character is inside a quoted phrase: no bare operator */
        const char *m = q.match;
        bool quoted = false;
        for (const char *p = m; *p; p++) {
            if (*p == '"')
                quoted = !quoted;
            else if (!quoted)
                cr_assert(strchr("{}: *ANDheadlinesummarybodycjk", *p) != NULL,
                          "'%s' leaked '%c' into %s", hostile[i], *p, m);
        }
        search_query_release(&q);
    }
}

Test(search_parse, bad_queries_get_a_status)
{
    cr_assert_eq(parse_status("\"unclosed phrase"), SEARCH_UNBALANCED);
    cr_assert_eq(parse_status("***"), SEARCH_EMPTY);
    cr_assert_eq(parse_status("   "), SEARCH_EMPTY);
    cr_assert_eq(parse_status("()"), SEARCH_EMPTY);
    char longq[300];
    memset(longq, 'a', 250);
    longq[250] = '\0';
    cr_assert_eq(parse_status(longq), SEARCH_TOO_LONG);
    cr_assert_eq(parse_status("a b c d e f g h i j k l m"), SEARCH_TOO_MANY);
    cr_assert_eq(parse_status("\xff\xfe"), SEARCH_BAD_TEXT);
    /* 200 Korean syllables are 200 characters, not 600 bytes */
    struct buf ko = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_adds(&ko, "가");
    cr_assert_eq(parse_status(ko.p), SEARCH_OK);
    buf_release(&ko);
    cr_assert_str_neq(search_status_text(SEARCH_UNBALANCED), "");
}

Test(search_parse, decomposed_hangul_is_normalised)
{
    /* 서울 typed as jamo (NFD) finds the same pieces as the composed form */
    struct search_query q =
        parse_ok("\xe1\x84\x89\xe1\x85\xa5\xe1\x84\x8b\xe1\x85\xae\xe1\x86\xaf");
    cr_assert_str_eq(q.match, "cjk : \"서울\"");
    search_query_release(&q);
}

Test(search_marks, segments_for_the_template)
{
    struct search_query q = parse_ok("서울");
    json_t *j = search_marked_json("Leaders \x01meet\x02 in 서울에서", &q);
    cr_assert_eq(json_array_size(j), 5);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 1), "text")), "meet");
    cr_assert(json_is_true(json_object_get(json_array_get(j, 1), "hit")));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 3), "text")), "서울");
    json_decref(j);
    /* no mark from the index: an excerpt around the Korean term */
    const char *body =
        "긴 글의 앞부분입니다. 여러 문장이 이어집니다. 그리고 서울에서 열린 행사 이야기.";
    j = search_excerpt_json("긴 글의 앞부분입니다…", body, &q);
    bool found = false;
    for (size_t i = 0; i < json_array_size(j); i++)
        found |= json_is_true(json_object_get(json_array_get(j, i), "hit"));
    cr_assert(found);
    json_decref(j);
    search_query_release(&q);
}

/* --- through the store --- */

static size_t
find(struct store *st, const char *text, const int64_t *sections, size_t nsec, int64_t *ids,
     long *total)
{
    struct search_query q = parse_ok(text);
    struct arena *a = arena_new();
    struct store_search_query sq = {
        .match = q.match, .section_ids = sections, .nsection_ids = nsec, .limit = 10};
    struct store_search_hit *hits;
    size_t n = 0;
    cr_assert_eq(store_call(st, search_query, &sq, a, &hits, &n, total), STORE_OK, "%s", text);
    for (size_t i = 0; i < n; i++)
        ids[i] = hits[i].article_id;
    arena_free(a);
    search_query_release(&q);
    return n;
}

Test(search_store, english_korean_phrases_and_visibility)
{
    struct store *st = dist_store_new();
    int64_t now = time_now();
    int64_t world = dist_section(st, 0, "world", "World");
    int64_t seoul = dist_section(st, 0, "seoul", "Seoul");
    int64_t en = dist_article(st, world, "Leaders meet at two summits",
                              "The budget talks ended late.", ARTICLE_PUBLISHED, now - 60);
    int64_t ko = dist_article(st, seoul, "서울에서 열린 시장선거 토론회", "후보들이 맞섰다.",
                              ARTICLE_PUBLISHED, now - 60);
    dist_article(st, world, "A summit next year", "Scheduled.", ARTICLE_SCHEDULED, now + 3600);
    dist_article(st, world, "Summit draft", "Not yet.", ARTICLE_DRAFT, 0);
    int64_t gone = dist_article(st, world, "An unpublished summit", "Taken down.",
                                ARTICLE_UNPUBLISHED, now - 60);
    (void)gone;
    cr_assert_geq(search_index_refresh(st, 0), 5);
    int64_t ids[10];
    long total;
    /* stemming: summit finds summits; drafts, scheduled and unpublished never match */
    cr_assert_eq(find(st, "summit", NULL, 0, ids, &total), 1);
    cr_assert_eq(ids[0], en);
    cr_assert_eq(total, 1);
    /* Korean inside a longer word, a two-syllable query, a longer word */
    cr_assert_eq(find(st, "서울", NULL, 0, ids, &total), 1);
    cr_assert_eq(ids[0], ko);
    cr_assert_eq(find(st, "시장선거", NULL, 0, ids, &total), 1);
    cr_assert_eq(find(st, "선거", NULL, 0, ids, &total), 1);
    cr_assert_eq(find(st, "토", NULL, 0, ids, &total), 1, "one syllable starts 토론회");
    /* phrases */
    cr_assert_eq(find(st, "\"budget talks\"", NULL, 0, ids, &total), 1);
    cr_assert_eq(find(st, "\"talks budget\"", NULL, 0, ids, &total), 0);
    cr_assert_eq(find(st, "\"서울에서 열린\"", NULL, 0, ids, &total), 1);
    /* nothing */
    cr_assert_eq(find(st, "volcano", NULL, 0, ids, &total), 0);
    cr_assert_eq(total, 0);
    cr_assert_eq(find(st, "부산", NULL, 0, ids, &total), 0);
    /* section filter */
    cr_assert_eq(find(st, "summit", &seoul, 1, ids, &total), 0);
    cr_assert_eq(find(st, "summit", &world, 1, ids, &total), 1);
    /* an edit that unpublishes is reflected after the next refresh */
    struct arena *a = arena_new();
    struct store_article art;
    cr_assert_eq(store_call(st, article_get, en, a, &art), STORE_OK);
    art.status = ARTICLE_UNPUBLISHED;
    cr_assert_eq(store_call(st, article_save, &art), STORE_OK);
    arena_free(a);
    cr_assert_geq(search_index_refresh(st, 0), 1);
    cr_assert_eq(find(st, "summit", NULL, 0, ids, &total), 0);
    dist_store_free(st);
}

Test(search_store, raw_fts_syntax_errors_are_invalid_not_fatal)
{
    struct store *st = dist_store_new();
    int64_t sec = dist_section(st, 0, "world", "World");
    dist_article(st, sec, "Leaders meet", "Text.", ARTICLE_PUBLISHED, time_now() - 10);
    cr_assert_eq(search_index_refresh(st, 0), 1);
    struct arena *a = arena_new();
    struct store_search_query sq = {.match = "\"unbalanced AND (", .limit = 10};
    struct store_search_hit *hits;
    size_t n;
    long total;
    cr_assert_eq(store_call(st, search_query, &sq, a, &hits, &n, &total), STORE_INVALID);
    arena_free(a);
    dist_store_free(st);
}

/* The loops of a statement's plan that read a table, in order, as "SCAN x"
 * or "SEARCH x ...", one per line. */
static void
plan_of(sqlite3 *db, const char *sql, struct buf *out)
{
    struct buf q = BUF_INIT;
    buf_addf(&q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *s;
    cr_assert_eq(sqlite3_prepare_v2(db, q.p, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(s, 3);
        if (sqlite3_column_int(s, 1) == 0 && (strncmp(d, "SCAN", 4) == 0 || strncmp(d, "SEARCH", 6) == 0))
            buf_addf(out, "%s\n", d);
    }
    sqlite3_finalize(s);
    buf_release(&q);
}

/* The full-text index drives the search and each match looks up its
 * article: the other way round, SQLite ran the whole MATCH once for every
 * published article (a prefix query on 88,000 of them took minutes). */
Test(search_store, the_index_drives_the_search_not_the_articles)
{
    struct store *st = dist_store_new();
    int64_t sec = dist_section(st, 0, "world", "World");
    for (int i = 0; i < 20; i++)
        dist_article(st, sec, "Leaders meet", "Text.", ARTICLE_PUBLISHED, time_now() - 10);
    cr_assert_eq(search_index_refresh(st, 0), 20);
    char path[300];
    snprintf(path, sizeof(path), "%s/test.db", dist_tmp);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    const char *const sql[] = {sq_sql_search, sq_sql_search_count};
    for (size_t i = 0; i < ARRAY_SIZE(sql); i++) {
        struct buf plan = BUF_INIT;
        plan_of(db, sql[i], &plan);
        cr_assert(plan.p && strncmp(plan.p, "SCAN search_fts", 15) == 0,
                  "the search does not start from the index:\n%s", plan.p ? plan.p : "");
        cr_assert(strstr(plan.p, "SEARCH a USING INTEGER PRIMARY KEY") != NULL,
                  "a match does not look up its article by id:\n%s", plan.p);
        buf_release(&plan);
    }
    sqlite3_close(db);
    dist_store_free(st);
}
