/* feeds: the writers' documents parse back as XML/JSON with the values in
 * place; the Google News rules; ninjs 2 and 3 with corrections. */
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "dist_helpers.h"
#include "distribution/distribution_int.h"
#include "feeds/feeds.h"
#include "site/site.h"

static const struct feed_person authors[] = {{"Han Seo-yeon", "http://news.example/author/han"},
                                             {"Daniel Moore", NULL}};
static const char *const cats[] = {"Budget", "Assembly & <Politics>"};

static struct feed
sample(struct feed_item *items)
{
    items[0] = (struct feed_item){
        .id = "tag:news.example,2026-11-29:article:12",
        .permalink = "http://news.example/article/12",
        .url = "http://news.example/article/12/budget",
        .title = "Budget <agreed> & signed\x01",
        .summary = "Lawmakers \"passed\" it.",
        .content_html = "<p>Full <b>text</b></p>",
        .published = 1795910400,
        .updated = 1795921200,
        .authors = authors,
        .nauthors = 2,
        .categories = cats,
        .ncategories = 2,
    };
    items[1] = (struct feed_item){.id = "tag:news.example,2026-11-28:article:11",
                                  .permalink = "http://news.example/article/11",
                                  .url = "http://news.example/article/11/x",
                                  .title = "서울에서 열린 토론회",
                                  .summary = "",
                                  .published = 1795824000};
    return (struct feed){.id = "http://news.example/",
                         .title = "The Broadsheet",
                         .description = "News",
                         .language = "en",
                         .home_url = "http://news.example/",
                         .self_url = "http://news.example/feed.xml",
                         .publisher = "The Broadsheet",
                         .updated = feed_updated(items, 2),
                         .items = items,
                         .nitems = 2};
}

static xmlDocPtr
parse_xml(const struct buf *b)
{
    xmlDocPtr doc = xmlReadMemory(b->p, (int)b->len, NULL, NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "not well-formed:\n%s", b->p);
    return doc;
}

static char *
xpath_str(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
    xmlXPathRegisterNs(ctx, BAD_CAST "sm", BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
    xmlXPathRegisterNs(ctx, BAD_CAST "news",
                       BAD_CAST "http://www.google.com/schemas/sitemap-news/0.9");
    xmlXPathRegisterNs(ctx, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    xmlChar *s = o ? xmlXPathCastToString(o) : NULL;
    char *out = xstrdup(s ? (const char *)s : "");
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return out;
}

static void
expect(xmlDocPtr doc, const char *expr, const char *want)
{
    char *got = xpath_str(doc, expr);
    cr_assert_str_eq(got, want, "%s", expr);
    free(got);
}

Test(feeds_xml, rss_has_items_escaped_and_stable_guids)
{
    struct feed_item items[2];
    struct feed f = sample(items);
    struct buf b = BUF_INIT;
    cr_assert_eq(feed_rss_write(&f, &b), 0);
    xmlDocPtr doc = parse_xml(&b);
    expect(doc, "count(/rss/channel/item)", "2");
    expect(doc, "/rss/channel/item[1]/title", "Budget <agreed> & signed");
    expect(doc, "/rss/channel/item[1]/guid", "http://news.example/article/12");
    expect(doc, "/rss/channel/item[1]/guid/@isPermaLink", "true");
    expect(doc, "/rss/channel/item[1]/pubDate", "Sun, 29 Nov 2026 00:00:00 GMT");
    expect(doc, "/rss/channel/item[1]/a:updated", "2026-11-29T03:00:00Z");
    expect(doc, "/rss/channel/item[1]/dc:creator", "Han Seo-yeon and Daniel Moore");
    expect(doc, "/rss/channel/item[1]/category[2]", "Assembly & <Politics>");
    expect(doc, "/rss/channel/item[2]/title", "서울에서 열린 토론회");
    expect(doc, "/rss/channel/a:link/@href", "http://news.example/feed.xml");
    xmlFreeDoc(doc);
    buf_release(&b);
}

Test(feeds_xml, atom_entries_have_ids_updated_and_authors)
{
    struct feed_item items[2];
    struct feed f = sample(items);
    struct buf b = BUF_INIT;
    cr_assert_eq(feed_atom_write(&f, &b), 0);
    xmlDocPtr doc = parse_xml(&b);
    expect(doc, "/a:feed/a:updated", "2026-11-29T03:00:00Z");
    expect(doc, "/a:feed/a:entry[1]/a:id", "tag:news.example,2026-11-29:article:12");
    expect(doc, "/a:feed/a:entry[1]/a:updated", "2026-11-29T03:00:00Z");
    expect(doc, "/a:feed/a:entry[1]/a:published", "2026-11-29T00:00:00Z");
    expect(doc, "count(/a:feed/a:entry[1]/a:author)", "2");
    expect(doc, "/a:feed/a:entry[1]/a:content", "<p>Full <b>text</b></p>");
    expect(doc, "/a:feed/a:entry[2]/a:updated", "2026-11-28T00:00:00Z");
    expect(doc, "count(/a:feed/a:entry[2]/a:content)", "0");
    xmlFreeDoc(doc);
    buf_release(&b);
}

Test(feeds_json, json_feed_1_1)
{
    struct feed_item items[2];
    struct feed f = sample(items);
    struct buf b = BUF_INIT;
    cr_assert_eq(feed_json_write(&f, &b), 0);
    json_error_t e;
    json_t *j = json_loads(b.p, 0, &e);
    cr_assert_not_null(j, "%s", e.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "version")),
                     "https://jsonfeed.org/version/1.1");
    json_t *it = json_array_get(json_object_get(j, "items"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(it, "id")),
                     "tag:news.example,2026-11-29:article:12");
    cr_assert_str_eq(json_string_value(json_object_get(it, "date_modified")),
                     "2026-11-29T03:00:00Z");
    json_t *it2 = json_array_get(json_object_get(j, "items"), 1);
    cr_assert_not_null(json_object_get(it2, "content_text"),
                       "summary-only items need content_text");
    json_decref(j);
    buf_release(&b);
}

Test(feeds_sitemaps, news_sitemap_rules)
{
    int64_t now = 1796000000;
    struct feed_news *items = calloc(1300, sizeof(*items));
    char(*locs)[64] = calloc(1300, 64);
    for (int i = 0; i < 1300; i++) {
        snprintf(locs[i], 64, "http://news.example/article/%d/x", i);
        items[i].loc = locs[i];
        items[i].title = "A headline";
        /* the first 1,200 within two days, then older ones, then one from the future */
        items[i].published = i < 1200 ? now - i * 60 : i < 1299 ? now - 49 * 3600 : now + 600;
    }
    struct buf b = BUF_INIT;
    cr_assert_eq(feed_news_sitemap_write("The Broadsheet", "en", now, items, 1300, &b), 0);
    xmlDocPtr doc = parse_xml(&b);
    expect(doc, "count(/sm:urlset/sm:url)", "1000");
    expect(doc, "/sm:urlset/sm:url[1]/news:news/news:publication/news:name", "The Broadsheet");
    expect(doc, "/sm:urlset/sm:url[1]/news:news/news:publication/news:language", "en");
    expect(doc, "count(//sm:url[contains(sm:loc, '/1299/')])", "0");
    expect(doc, "count(//sm:url[contains(sm:loc, '/1250/')])", "0");
    xmlFreeDoc(doc);
    buf_release(&b);
    free(items);
    free(locs);
}

Test(feeds_sitemaps, index_and_urlset)
{
    struct feed_url maps[] = {{"http://news.example/sitemap-articles-1.xml", 1795910400}};
    struct buf b = BUF_INIT;
    cr_assert_eq(feed_sitemap_index_write(maps, 1, &b), 0);
    xmlDocPtr doc = parse_xml(&b);
    expect(doc, "/sm:sitemapindex/sm:sitemap/sm:loc", "http://news.example/sitemap-articles-1.xml");
    expect(doc, "/sm:sitemapindex/sm:sitemap/sm:lastmod", "2026-11-29T00:00:00Z");
    xmlFreeDoc(doc);
    buf_release(&b);
}

/* --- ninjs from a stored article with a correction --- */

Test(feeds_ninjs, corrections_bump_the_version_and_are_signalled)
{
    struct store *st = dist_store_new();
    int64_t sec = dist_section(st, 0, "national", "National");
    int64_t id = dist_article(st, sec, "Budget agreed", "The **budget** passed.", ARTICLE_PUBLISHED,
                              time_now() - 3600);
    struct site site = {.store = st,
                        .cfg = {.name = "The Broadsheet",
                                .base_url = "https://news.example:8443",
                                .language = "en"}};
    struct distribution d = {.site = &site};
    struct arena *a = arena_new();
    struct store_article art;
    cr_assert_eq(store_call(st, article_get, id, a, &art), STORE_OK);
    json_t *before = dist_ninjs(a, &d, NULL, &art, 2);
    const char *uri = json_string_value(json_object_get(before, "uri"));
    cr_assert(strncmp(uri, "tag:news.example,", 17) == 0, "%s", uri);
    char *uri_before = xstrdup(uri);
    cr_assert_str_eq(json_string_value(json_object_get(before, "version")), "1");

    struct store_correction c = {
        .article_id = id, .text = (char *)"The vote was 180 to 92.", .created_at = time_now()};
    cr_assert_eq(store_call(st, correction_add, &c), STORE_OK);
    cr_assert_eq(store_call(st, article_get, id, a, &art), STORE_OK);
    json_t *after = dist_ninjs(a, &d, NULL, &art, 2);
    cr_assert_str_eq(json_string_value(json_object_get(after, "uri")), uri_before,
                     "the id must not change with a correction");
    cr_assert_str_eq(json_string_value(json_object_get(after, "version")), "2");
    char when[32];
    time_iso8601(c.created_at, when);
    cr_assert_str_eq(json_string_value(json_object_get(after, "versioncreated")), when);
    json_t *descr = json_object_get(after, "descriptions");
    bool signalled = false;
    for (size_t i = 0; i < json_array_size(descr); i++) {
        json_t *dd = json_array_get(descr, i);
        if (strcmp(json_string_value(json_object_get(dd, "role")), "correction") == 0)
            signalled =
                strstr(json_string_value(json_object_get(dd, "value")), "180 to 92") != NULL;
    }
    cr_assert(signalled);
    cr_assert_not_null(json_object_get(after, "ednote"));

    json_t *v3 = dist_ninjs(a, &d, NULL, &art, 3);
    cr_assert_not_null(json_object_get(v3, "versionCreated"));
    cr_assert_not_null(json_object_get(v3, "edNote"));
    cr_assert_null(json_object_get(v3, "versioncreated"));
    json_t *body = json_array_get(json_object_get(v3, "bodies"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(body, "contentType")), "text/html");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(v3, "standard"), "version")),
                     "3.0");
    json_decref(before);
    json_decref(after);
    json_decref(v3);
    free(uri_before);
    arena_free(a);
    dist_store_free(st);
}
