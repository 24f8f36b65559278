/* importers: the WXR and Disqus readers alone, then into a store, twice. */
#include "dist_helpers.h"
#include "importers/importers.h"

struct counts {
    int authors, categories, posts, comments, terms;
    char first_title[200];
};

static int
count_author(void *ctx, const struct wxr_author *a)
{
    (void)a;
    ((struct counts *)ctx)->authors++;
    return 0;
}

static int
count_category(void *ctx, const struct wxr_category *c)
{
    (void)c;
    ((struct counts *)ctx)->categories++;
    return 0;
}

static int
count_post(void *ctx, const struct wxr_post *p)
{
    struct counts *c = ctx;
    if (c->posts++ == 0)
        snprintf(c->first_title, sizeof(c->first_title), "%s", p->title);
    c->comments += (int)p->ncomments;
    c->terms += (int)p->nterms;
    return 0;
}

Test(import_parse, wxr_records)
{
    size_t len;
    char *data = dist_read("import/small.wxr", &len);
    struct counts c = {0};
    struct wxr_handler h = {
        .ctx = &c, .author = count_author, .category = count_category, .post = count_post};
    char err[256];
    cr_assert_eq(import_wxr_parse_memory(data, len, &h, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(c.authors, 2);
    cr_assert_eq(c.categories, 3);
    cr_assert_eq(c.posts, 6);
    cr_assert_eq(c.comments, 3);
    cr_assert_eq(c.terms, 8);
    cr_assert_str_eq(c.first_title, "Leaders gather for two summits in one week");
    cr_assert_str_eq(h.site, "https://old.example");
    free(data);
}

Test(import_parse, refuses_what_is_not_an_export)
{
    struct counts c = {0};
    struct wxr_handler h = {.ctx = &c, .post = count_post};
    char err[256];
    const char *doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "
                          "\"file:///etc/passwd\">]><rss><channel><item><title>&x;</title>"
                          "<wp:post_id xmlns:wp=\"http://wordpress.org/export/1.2/\">1</wp:post_id>"
                          "</item></channel></rss>";
    cr_assert_eq(import_wxr_parse_memory(doctype, strlen(doctype), &h, err, sizeof(err)), -1);
    cr_assert(strstr(err, "DOCTYPE"), "%s", err);
    cr_assert_eq(c.posts, 0);
    const char *other = "<disqus><thread/></disqus>";
    cr_assert_eq(import_wxr_parse_memory(other, strlen(other), &h, err, sizeof(err)), -1);
    cr_assert(strstr(err, "not a WordPress export"), "%s", err);
    const char *broken = "<rss><channel><item><title>x</channel></rss>";
    cr_assert_eq(import_wxr_parse_memory(broken, strlen(broken), &h, err, sizeof(err)), -1);
    cr_assert(strstr(err, "well-formed"), "%s", err);
}

Test(import_url, normalised_addresses)
{
    static const char *const cases[][2] = {
        {"https://www.Old.Example/2026/11/post/", "old.example/2026/11/post"},
        {"http://old.example/?p=12#comments", "old.example?p=12"},
        {"//old.example/a/b", "old.example/a/b"},
        {"old.example", "old.example"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf b = BUF_INIT;
        import_url_normalise(cases[i][0], &b);
        cr_assert_str_eq(b.p ? b.p : "", cases[i][1]);
        buf_release(&b);
    }
}

static long
count_rows(struct store *st, const char *what)
{
    (void)st;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s/test.db' \"%s\"", dist_tmp, what);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    long n = -1;
    cr_assert_eq(fscanf(p, "%ld", &n), 1);
    pclose(p);
    return n;
}

Test(import_store, wordpress_then_disqus_twice)
{
    struct store *st = dist_store_new();
    /* an existing section with the same slug is used, not duplicated */
    dist_section(st, 0, "world", "World");
    struct import_stats s;
    char err[256];
    FILE *progress = tmpfile();
    struct import_options opt = {.progress = progress};
    cr_assert_eq(import_wordpress(st, DATA_DIR "/import/small.wxr", &opt, &s, err, sizeof(err)), 0,
                 "%s", err);
    cr_assert_eq(s.posts, 5);
    cr_assert_eq(s.posts_skipped, 1);
    cr_assert_eq(s.comments, 2);
    cr_assert_eq(s.comments_skipped, 1, "the pingback");
    cr_assert_eq(s.sections, 1, "only Asia is new");
    cr_assert_eq(s.authors, 2);
    /* a plain progress line, not a bar, when not on a terminal */
    rewind(progress);
    char line[200] = "";
    cr_assert_not_null(fgets(line, sizeof(line), progress));
    cr_assert(strncmp(line, "import: ", 8) == 0, "%s", line);
    fclose(progress);

    cr_assert_eq(count_rows(st, "SELECT count(*) FROM articles WHERE status='published'"), 3);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM articles WHERE status='scheduled'"), 1);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM articles WHERE status='draft' AND "
                                "published_at IS NULL"),
                 1);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM sections s JOIN sections p ON "
                                "p.id = s.parent_id WHERE s.slug='asia' AND p.slug='world'"),
                 1);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM article_authors"), 5);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM articles WHERE slug='서울-토론회'"), 1);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM articles WHERE body LIKE '%dropped%'"), 0,
                 "the script element is dropped");
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM import_comments WHERE source_id='9002' "
                                "AND parent_source_id='9001'"),
                 1);

    struct import_options quiet = {.quiet = true};
    cr_assert_eq(
        import_disqus(st, DATA_DIR "/import/small-disqus.xml", &quiet, &s, err, sizeof(err)), 0,
        "%s", err);
    /* by old address, by WordPress identifier, by our own address (article 3) */
    cr_assert_eq(s.comments, 4);
    cr_assert_eq(s.comments_unmatched, 1);
    cr_assert_eq(count_rows(st, "SELECT article_id FROM import_comments WHERE source_id='8003'"),
                 2);
    cr_assert_eq(count_rows(st, "SELECT article_id FROM import_comments WHERE source_id='8004'"),
                 3);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM import_comments WHERE status='spam'"), 1);

    /* again: nothing twice */
    cr_assert_eq(import_wordpress(st, DATA_DIR "/import/small.wxr", &quiet, &s, err, sizeof(err)),
                 0);
    cr_assert_eq(s.posts, 0);
    cr_assert_eq(s.posts_existing, 5);
    cr_assert_eq(s.comments, 0);
    cr_assert_eq(s.comments_existing, 2);
    cr_assert_eq(
        import_disqus(st, DATA_DIR "/import/small-disqus.xml", &quiet, &s, err, sizeof(err)), 0);
    cr_assert_eq(s.comments, 0);
    cr_assert_eq(s.comments_existing, 4);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM articles"), 5);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM import_comments"), 6);
    dist_store_free(st);
}
