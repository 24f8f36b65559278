/*
 * Feeds: RSS 2.0 (feed.xml), Atom (atom.xml) and JSON Feed (feed.json)
 * for the whole paper and for each section (with its sub-sections), author
 * and tag, at /feed.xml, /national/politics/feed.xml, /author/<slug>/...,
 * /tag/<slug>/... Sections are matched by explicit routes of one to four
 * segments, registered before the site's section catch-all.
 */
#include "distribution/distribution_int.h"

#include <string.h>

#include "http/http.h"
#include "render/render.h"
#include "site/site.h"
#include "store/store.h"

static const char *const files[DIST_FEED_FORMATS] = {"feed.xml", "atom.xml", "feed.json"};
static const char *const types[DIST_FEED_FORMATS] = {"application/rss+xml; charset=utf-8",
                                                     "application/atom+xml; charset=utf-8",
                                                     "application/feed+json; charset=utf-8"};

struct scope {
    const char *title;
    const char *description;
    const char *home; /* the page's path, "/national/politics/" */
    const char *base; /* prefix of the feed's path, "/national/politics" */
    struct store_article_query q;
    int64_t ids[32];
};

static int
answer(struct http_req *r, struct dist_route *rt, struct scope *sc, struct site_keys *k)
{
    struct distribution *d = rt->d;
    struct arena *a = http_arena(r);
    struct store_article *arts;
    size_t n = 0;
    sc->q.now = time_now();
    sc->q.limit = d->cfg.items;
    sc->q.with_body = d->cfg.full_text;
    if (store_call(d->site->store, article_list, &sc->q, a, &arts, &n) != STORE_OK)
        return http_error(r, 503, NULL);
    struct feed_item *items = arena_zalloc(a, (n + 1) * sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        dist_feed_item(a, d, &arts[i], d->cfg.full_text, &items[i]);
        site_key_add(k, "a:", (long long)arts[i].id);
    }
    struct feed f = {
        .id = dist_abs(a, d, sc->home),
        .title = sc->title,
        .description = sc->description,
        .language = d->site->cfg.language,
        .home_url = dist_abs(a, d, sc->home),
        .self_url = dist_abs(a, d, arena_printf(a, "%s/%s", sc->base, files[rt->format])),
        .publisher = d->site->cfg.name,
        .updated = feed_updated(items, n),
        .items = items,
        .nitems = n,
    };
    if (f.updated == 0)
        f.updated = sc->q.now;
    struct buf *out = http_body(r);
    int rc = rt->format == DIST_RSS    ? feed_rss_write(&f, out)
             : rt->format == DIST_ATOM ? feed_atom_write(&f, out)
                                       : feed_json_write(&f, out);
    if (rc != 0) {
        buf_reset(out);
        return http_error(r, 500, "the feed could not be written");
    }
    http_set_type(r, types[rt->format]);
    http_cache_page(r, DIST_CACHE_SECONDS, k->k, k->n);
    return 200;
}

static int
site_feed(struct http_req *r, void *ctx)
{
    struct dist_route *rt = ctx;
    struct site *s = rt->d->site;
    struct site_keys k = {.a = http_arena(r)};
    site_key_add(&k, "feeds", -1);
    site_key_add(&k, "front", -1);
    site_key_add(&k, "sections", -1);
    struct scope sc = {
        .title = s->cfg.name, .description = s->cfg.tagline, .home = "/", .base = ""};
    return answer(r, rt, &sc, &k);
}

static int
section_feed(struct http_req *r, void *ctx)
{
    struct dist_route *rt = ctx;
    struct site *s = rt->d->site;
    struct arena *a = http_arena(r);
    struct buf path = BUF_INIT;
    static const char *const params[] = {"s1", "s2", "s3", "s4"};
    for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
        const char *seg = http_param(r, params[i]);
        if (seg)
            buf_addf(&path, "%s%s", path.len ? "/" : "", seg);
    }
    char *want = arena_strndup(a, path.p ? path.p : "", path.len);
    buf_release(&path);
    struct site_sections secs;
    if (site_sections_load(s, a, &secs) != 0)
        return http_error(r, 503, NULL);
    long idx = -1;
    for (size_t i = 0; i < secs.n; i++)
        if (strcmp(secs.paths[i], want) == 0)
            idx = (long)i;
    if (idx < 0)
        return http_error(r, 404, NULL);
    struct scope sc = {.description = secs.items[idx].description,
                       .home = arena_printf(a, "/%s/", secs.paths[idx]),
                       .base = arena_printf(a, "/%s", secs.paths[idx])};
    sc.title = arena_printf(a, "%s | %s", secs.items[idx].name, s->cfg.name);
    sc.q.section_ids = sc.ids;
    sc.q.nsection_ids = site_section_subtree(&secs, idx, sc.ids, ARRAY_SIZE(sc.ids));
    struct site_keys k = {.a = a};
    site_key_add(&k, "feeds", -1);
    site_key_add(&k, "sections", -1);
    for (size_t i = 0; i < sc.q.nsection_ids; i++)
        site_key_add(&k, "s:", (long long)sc.ids[i]);
    return answer(r, rt, &sc, &k);
}

static char *
escaped_path(struct arena *a, const char *prefix, const char *slug)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, prefix);
    esc_url_part(&b, slug, strlen(slug));
    char *p = arena_strndup(a, b.p, b.len);
    buf_release(&b);
    return p;
}

static int
author_feed(struct http_req *r, void *ctx)
{
    struct dist_route *rt = ctx;
    struct site *s = rt->d->site;
    struct arena *a = http_arena(r);
    struct store_author au;
    int st = store_call(s->store, author_get, 0, http_param(r, "slug"), a, &au);
    if (st != STORE_OK)
        return http_error(r, st == STORE_NOTFOUND ? 404 : 503, NULL);
    char *home = escaped_path(a, "/author/", au.slug);
    struct scope sc = {.title = arena_printf(a, "%s | %s", au.name, s->cfg.name),
                       .description = au.bio,
                       .home = home,
                       .base = home};
    sc.q.author_id = au.id;
    struct site_keys k = {.a = a};
    site_key_add(&k, "feeds", -1);
    site_key_add(&k, "au:", (long long)au.id);
    return answer(r, rt, &sc, &k);
}

static int
tag_feed(struct http_req *r, void *ctx)
{
    struct dist_route *rt = ctx;
    struct site *s = rt->d->site;
    struct arena *a = http_arena(r);
    struct store_tag tag;
    int st = store_call(s->store, tag_get, 0, http_param(r, "slug"), a, &tag);
    if (st != STORE_OK)
        return http_error(r, st == STORE_NOTFOUND ? 404 : 503, NULL);
    char *home = escaped_path(a, "/tag/", tag.slug);
    struct scope sc = {.title = arena_printf(a, "%s | %s", tag.name, s->cfg.name),
                       .description = arena_printf(a, "Articles about %s", tag.name),
                       .home = home,
                       .base = home};
    sc.q.tag_id = tag.id;
    struct site_keys k = {.a = a};
    site_key_add(&k, "feeds", -1);
    site_key_add(&k, "t:", (long long)tag.id);
    return answer(r, rt, &sc, &k);
}

void
dist_feed_routes(struct distribution *d, struct http_server *srv)
{
    static const char *const sections[] = {"/:s1", "/:s1/:s2", "/:s1/:s2/:s3", "/:s1/:s2/:s3/:s4"};
    for (int f = 0; f < DIST_FEED_FORMATS; f++) {
        struct dist_route *rt = &d->feed_routes[f];
        rt->d = d;
        rt->format = f;
        char pattern[128];
        snprintf(pattern, sizeof(pattern), "/%s", files[f]);
        http_route(srv, HTTP_GET, pattern, HTTP_ROUTE_CACHE, site_feed, rt);
        snprintf(pattern, sizeof(pattern), "/author/:slug/%s", files[f]);
        http_route(srv, HTTP_GET, pattern, HTTP_ROUTE_CACHE, author_feed, rt);
        snprintf(pattern, sizeof(pattern), "/tag/:slug/%s", files[f]);
        http_route(srv, HTTP_GET, pattern, HTTP_ROUTE_CACHE, tag_feed, rt);
        for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
            snprintf(pattern, sizeof(pattern), "%s/%s", sections[i], files[f]);
            http_route(srv, HTTP_GET, pattern, HTTP_ROUTE_CACHE, section_feed, rt);
        }
    }
}
