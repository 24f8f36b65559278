/* importers: the WXR and Disqus readers alone, then into a store, twice;
 * imported comments become comments by commenters of their own. */
#include "dist_helpers.h"
#include "importers/importers.h"
#include "importers/importers_int.h"

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
    /* the reply is a reply to its parent, on the same article */
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM comments r"
                                " JOIN import_map mr ON mr.kind='comment' AND mr.source_id='9002'"
                                "  AND mr.target_id = r.id"
                                " JOIN import_map mp ON mp.kind='comment' AND mp.source_id='9001'"
                                " JOIN comments p ON p.id = mp.target_id"
                                " WHERE r.parent_id = p.id AND r.article_id = p.article_id"
                                "  AND r.status = 'visible' AND r.body = 'Agreed, thanks.'"),
                 1);

    struct import_options quiet = {.quiet = true};
    cr_assert_eq(
        import_disqus(st, DATA_DIR "/import/small-disqus.xml", &quiet, &s, err, sizeof(err)), 0,
        "%s", err);
    /* by old address, by WordPress identifier, by our own address (article 3) */
    cr_assert_eq(s.comments, 4);
    cr_assert_eq(s.comments_unmatched, 1);
#define DSQ_ARTICLE(id)                                                                            \
    "SELECT c.article_id FROM comments c JOIN import_map m ON m.kind='comment' AND "               \
    "m.target_id = c.id WHERE m.source='disqus:oldharbour' AND m.source_id='" id "'"
    cr_assert_eq(count_rows(st, DSQ_ARTICLE("8003")), 2);
    cr_assert_eq(count_rows(st, DSQ_ARTICLE("8004")), 3);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM comments WHERE status='rejected' AND "
                                "body='Buy cheap watches'"),
                 1, "spam is kept out of sight");
    /* Ben's reply to Ana is in Ana's thread */
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM comments r JOIN comments p ON p.id = "
                                "r.parent_id WHERE r.body LIKE 'Replying to Ana%' AND p.body LIKE "
                                "'The statement was long overdue.%'"),
                 1);

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
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM comments"), 6);
    /* one commenter per author and source, keyed without the e-mail */
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM commenters"), 6);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM commenter_identities WHERE provider LIKE "
                                "'import:%' AND subject NOT LIKE '%@%' AND email = ''"),
                 6);
    /* signing in with a social account under an imported author's e-mail
     * makes a new commenter: never joined by e-mail */
    int64_t social = 0;
    cr_assert_eq(store_call(st, commenter_signin, "google", "g-123", "Reader One",
                            "one@readers.example", &social),
                 STORE_OK);
    cr_assert_eq(count_rows(st, "SELECT count(*) FROM commenters"), 7);
    char q[200];
    snprintf(q, sizeof(q), "SELECT count(*) FROM comments WHERE commenter_id = %lld",
             (long long)social);
    cr_assert_eq(count_rows(st, q), 0);
    dist_store_free(st);
}

Test(import_comment, author_keys_name_without_telling)
{
    struct arena *a = arena_new();
    const char *one = import_author_key(a, "", "One@Readers.Example ", "Reader One");
    cr_assert_str_eq(one, import_author_key(a, "0", "one@readers.example", "Another Name"));
    cr_assert(strncmp(one, "e:", 2) == 0 && strlen(one) == 34, "%s", one);
    cr_assert_null(strstr(one, "readers"));
    cr_assert_str_neq(one, import_author_key(a, "", "two@readers.example", "Reader One"));
    const char *byid = import_author_key(a, "ana", "one@readers.example", "Ana");
    cr_assert(strncmp(byid, "u:", 2) == 0, "%s", byid);
    const char *byname = import_author_key(a, "", "", "시민");
    cr_assert(strncmp(byname, "n:", 2) == 0, "%s", byname);
    cr_assert_str_eq(import_author_key(a, "", " ", ""), "anonymous");
    arena_free(a);
}

Test(import_comment, long_text_is_cut_between_characters)
{
    struct arena *a = arena_new();
    struct buf b = BUF_INIT;
    for (int i = 0; i < 2000; i++)
        buf_adds(&b, "\xea\xb0\x80"); /* 가: 6000 bytes */
    const char *t = import_comment_text(a, b.p);
    size_t n = strlen(t);
    cr_assert_leq(n, STORE_IMPORT_COMMENT_MAX);
    cr_assert_geq(n, STORE_IMPORT_COMMENT_MAX - 6);
    cr_assert_str_eq(t + n - 3, "\xe2\x80\xa6", "ends with an ellipsis");
    cr_assert_eq((n - 3) % 3, 0, "no syllable cut in half");
    cr_assert_str_eq(import_comment_text(a, "short"), "short");
    buf_release(&b);
    arena_free(a);
}

/* Names, titles and addresses from an export: cleaned, NFC, cut between
 * characters to the column's size; nothing from text that is not UTF-8. */
Test(import_clean, cleaned_and_cut_between_characters)
{
    struct arena *a = arena_new();
    const char *three = "\xea\xb0\x80\xeb\x82\x98\xeb\x8b\xa4"; /* 가나다: 9 bytes */
    cr_assert_str_eq(import_clean(a, three, 7, false), "\xea\xb0\x80\xeb\x82\x98");
    cr_assert_str_eq(import_clean(a, three, 6, false), "\xea\xb0\x80\xeb\x82\x98");
    cr_assert_str_eq(import_clean(a, three, 0, false), three, "0: no limit");
    cr_assert_str_eq(import_clean(a, "  Cafe\xcc\x81 \x01owner  ", 0, false), "Caf\xc3\xa9 owner");
    cr_assert_str_eq(import_clean(a, "line one\r\nline two", 0, true), "line one\nline two");
    cr_assert_str_eq(import_clean(a, "bad \xff\xfe bytes", 100, false), "");
    arena_free(a);
}
