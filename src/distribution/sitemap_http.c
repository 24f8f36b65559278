/*
 * Sitemaps at the root (a sitemap only speaks for URLs at or below its own
 * folder): /sitemap.xml is the index of /sitemap-pages.xml (front page,
 * sections, authors), /sitemap-articles-<n>.xml (articles by id, 10,000 a
 * part) and /sitemap-news.xml (Google News: the last 48 hours, at most
 * 1,000, with the publication's name and language). robots.txt names the
 * index and the news sitemap.
 */
#include "distribution/distribution_int.h"

#include <string.h>

#include "http/http.h"
#include "render/render.h"
#include "site/site.h"
#include "store/store.h"

#define XML_TYPE "application/xml; charset=utf-8"

static int
send(struct http_req *r, int rc, struct site_keys *k)
{
    if (rc != 0) {
        buf_reset(http_body(r));
        return http_error(r, 500, "the sitemap could not be written");
    }
    http_set_type(r, XML_TYPE);
    http_cache_page(r, DIST_CACHE_SECONDS, k->k, k->n);
    return 200;
}

/* The keys every sitemap carries: what publishing changes, and the
 * sections. */
static struct site_keys
sitemap_keys(struct arena *a)
{
    struct site_keys k = {.a = a};
    site_key_add(&k, "feeds", -1);
    site_key_add(&k, "sitemaps", -1);
    site_key_add(&k, "sections", -1);
    return k;
}

static int
sitemap_index(struct http_req *r, void *ctx)
{
    struct distribution *d = ctx;
    struct arena *a = http_arena(r);
    long count = 0;
    if (store_call(d->site->store, article_brief_count, time_now(), &count) != STORE_OK)
        return http_error(r, 503, NULL);
    long parts = (count + DIST_SITEMAP_PART_SIZE - 1) / DIST_SITEMAP_PART_SIZE;
    if (parts > DIST_SITEMAP_PARTS)
        parts = DIST_SITEMAP_PARTS;
    struct feed_url *maps = arena_zalloc(a, (size_t)(parts + 2) * sizeof(*maps));
    size_t n = 0;
    maps[n++].loc = dist_abs(a, d, "/sitemap-pages.xml");
    for (long i = 1; i <= parts; i++)
        maps[n++].loc = dist_abs(a, d, arena_printf(a, "/sitemap-articles-%ld.xml", i));
    maps[n++].loc = dist_abs(a, d, "/sitemap-news.xml");
    struct site_keys k = sitemap_keys(a);
    return send(r, feed_sitemap_index_write(maps, n, http_body(r)), &k);
}

static int
sitemap_pages(struct http_req *r, void *ctx)
{
    struct distribution *d = ctx;
    struct arena *a = http_arena(r);
    struct site_sections secs;
    struct store_author *authors;
    size_t nauthors = 0;
    if (site_sections_load(d->site, a, &secs) != 0 ||
        store_call(d->site->store, author_list, a, &authors, &nauthors) != STORE_OK)
        return http_error(r, 503, NULL);
    struct feed_url *urls = arena_zalloc(a, (secs.n + nauthors + 1) * sizeof(*urls));
    size_t n = 0;
    urls[n++].loc = dist_abs(a, d, "/");
    for (size_t i = 0; i < secs.n; i++)
        urls[n++].loc = dist_abs(a, d, arena_printf(a, "/%s/", secs.paths[i]));
    for (size_t i = 0; i < nauthors; i++) {
        struct buf p = BUF_INIT;
        buf_adds(&p, "/author/");
        esc_url_part(&p, authors[i].slug, strlen(authors[i].slug));
        urls[n++].loc = dist_abs(a, d, p.p);
        buf_release(&p);
    }
    struct site_keys k = sitemap_keys(a);
    return send(r, feed_sitemap_write(urls, n, http_body(r)), &k);
}

static int
sitemap_part(struct http_req *r, void *ctx)
{
    struct dist_route *rt = ctx;
    struct distribution *d = rt->d;
    struct arena *a = http_arena(r);
    struct store_brief_query q = {.now = time_now(),
                                  .offset = (rt->format - 1) * DIST_SITEMAP_PART_SIZE,
                                  .limit = DIST_SITEMAP_PART_SIZE,
                                  .oldest_first = true};
    struct store_article_brief *b;
    size_t n = 0;
    if (store_call(d->site->store, article_briefs, &q, a, &b, &n) != STORE_OK)
        return http_error(r, 503, NULL);
    if (n == 0 && rt->format > 1)
        return http_error(r, 404, NULL);
    struct feed_url *urls = arena_zalloc(a, (n + 1) * sizeof(*urls));
    for (size_t i = 0; i < n; i++) {
        struct store_article art = {.id = b[i].id, .slug = b[i].slug};
        urls[i].loc = dist_abs(a, d, site_article_path(a, &art));
        urls[i].lastmod = b[i].updated_at > b[i].published_at ? b[i].updated_at : b[i].published_at;
    }
    /* a part changes when an article in it changes or one is published */
    struct site_keys k = sitemap_keys(a);
    return send(r, feed_sitemap_write(urls, n, http_body(r)), &k);
}

static int
sitemap_news(struct http_req *r, void *ctx)
{
    struct distribution *d = ctx;
    struct arena *a = http_arena(r);
    int64_t now = time_now();
    struct store_brief_query q = {
        .now = now, .since = now - FEED_NEWS_MAX_AGE, .limit = FEED_NEWS_MAX_URLS};
    struct store_article_brief *b;
    size_t n = 0;
    if (store_call(d->site->store, article_briefs, &q, a, &b, &n) != STORE_OK)
        return http_error(r, 503, NULL);
    struct feed_news *items = arena_zalloc(a, (n + 1) * sizeof(*items));
    struct site_keys k = sitemap_keys(a);
    for (size_t i = 0; i < n; i++) {
        struct store_article art = {.id = b[i].id, .slug = b[i].slug};
        items[i].loc = dist_abs(a, d, site_article_path(a, &art));
        items[i].title = b[i].headline;
        items[i].published = b[i].published_at;
        site_key_add(&k, "a:", (long long)b[i].id);
    }
    int rc = feed_news_sitemap_write(d->site->cfg.name, d->site->cfg.language, now, items, n,
                                     http_body(r));
    if (rc == 0) {
        /* the window moves: keep it for minutes, not the hour pages get */
        http_set_type(r, XML_TYPE);
        http_cache_page(r, 120, k.k, k.n);
        return 200;
    }
    return send(r, rc, &k);
}

void
dist_sitemap_routes(struct distribution *d, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/sitemap.xml", HTTP_ROUTE_CACHE, sitemap_index, d);
    http_route(srv, HTTP_GET, "/sitemap-pages.xml", HTTP_ROUTE_CACHE, sitemap_pages, d);
    http_route(srv, HTTP_GET, "/sitemap-news.xml", HTTP_ROUTE_CACHE, sitemap_news, d);
    for (int i = 0; i < DIST_SITEMAP_PARTS; i++) {
        char pattern[64];
        d->part_routes[i] = (struct dist_route){.d = d, .format = i + 1};
        snprintf(pattern, sizeof(pattern), "/sitemap-articles-%d.xml", i + 1);
        http_route(srv, HTTP_GET, pattern, HTTP_ROUTE_CACHE, sitemap_part, &d->part_routes[i]);
    }
}
