/*
 * The front page, section pages, author and tag pages, and the small
 * plain routes (robots.txt, health).
 */
#include "site/site_int.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "render/render.h"
#include "store/store.h"

void
site_key_add(struct site_keys *k, const char *prefix, long long id)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 32;
        const char **nk = arena_alloc(k->a, cap * sizeof(char *));
        if (k->n)
            memcpy(nk, k->k, k->n * sizeof(char *));
        k->k = nk;
        k->cap = cap;
    }
    k->k[k->n++] = id < 0 ? prefix : arena_printf(k->a, "%s%lld", prefix, id);
}

static void
keys_cards(struct site_keys *k, const struct store_article *arts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        site_key_add(k, "a:", (long long)arts[i].id);
}

/* The section and all below it, for lists that include sub-sections. */
size_t
site_section_subtree(const struct site_sections *secs, long idx, int64_t *out, size_t max)
{
    size_t n = 0;
    out[n++] = secs->items[idx].id;
    for (size_t i = 0; i < n && n < max; i++)
        for (size_t k = 0; k < secs->n && n < max; k++)
            if (secs->items[k].parent_id == out[i])
                out[n++] = secs->items[k].id;
    return n;
}

static json_t *
cards(struct site *s, const struct site_sections *secs, const struct store_article *arts, size_t n,
      struct arena *a)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, site_card_json(s, secs, &arts[i], a));
    return list;
}

/* Page number from ?page=; 0 for a malformed one. */
static long
page_number(struct http_req *r)
{
    const char *p = http_query(r, "page");
    long n = 1;
    if (p && parse_long(p, strlen(p), 1, 10000, &n) != 0)
        return 0;
    return n;
}

static json_t *
pager(const char *path, long page, long total)
{
    long pages = (total + SITE_PAGE_SIZE - 1) / SITE_PAGE_SIZE;
    json_t *j = json_pack("{s:i, s:i, s:b}", "page", (int)page, "pages", (int)pages, "multiple",
                          pages > 1);
    if (page > 1)
        json_object_set_new(j, "prev", page == 2 ? json_string(path)
                                                 : json_sprintf("%s?page=%ld", path, page - 1));
    if (page < pages)
        json_object_set_new(j, "next", json_sprintf("%s?page=%ld", path, page + 1));
    return j;
}

/* --- the front page --- */

struct front {
    int64_t shown[128];
    size_t nshown;
};

static void
front_top(struct site *s, struct http_req *r, const struct site_sections *secs, json_t *data,
          struct front *f, struct site_keys *k)
{
    struct arena *a = http_arena(r);
    int64_t *ids;
    size_t n = 0;
    json_t *top = json_array();
    int64_t now = time_now();
    if (store_call(s->store, front_get, a, &ids, &n) != STORE_OK)
        n = 0;
    for (size_t i = 0; i < n && f->nshown < 7; i++) {
        struct store_article art;
        if (store_call(s->store, article_get, ids[i], a, &art) != STORE_OK ||
            art.status != ARTICLE_PUBLISHED || art.published_at > now)
            continue;
        f->shown[f->nshown++] = art.id;
        site_key_add(k, "a:", (long long)art.id);
        json_array_append_new(top, site_card_json(s, secs, &art, a));
    }
    if (json_array_size(top) == 0) {
        /* no curated front page: the latest story leads */
        struct store_article_query q = {.now = now, .limit = 5};
        struct store_article *arts;
        if (store_call(s->store, article_list, &q, a, &arts, &n) == STORE_OK) {
            for (size_t i = 0; i < n; i++)
                f->shown[f->nshown++] = arts[i].id;
            keys_cards(k, arts, n);
            json_decref(top);
            top = cards(s, secs, arts, n, a);
        }
    }
    json_t *lead = json_array_get(top, 0);
    if (lead) {
        json_object_set(data, "lead", lead);
        json_array_remove(top, 0);
    }
    json_object_set_new(data, "top", top);
}

static int
front_page(struct http_req *r, void *ctx)
{
    struct site *s = ctx;
    struct arena *a = http_arena(r);
    struct site_sections secs;
    if (site_sections_load(s, a, &secs) != 0)
        return http_error(r, 503, NULL);
    struct site_keys k = {.a = a};
    site_key_add(&k, "front", -1);
    site_key_add(&k, "sections", -1);
    json_t *data = site_page_data(s, &secs, NULL, "/");
    json_object_set_new(json_object_get(data, "page"), "description", json_string(s->cfg.tagline));
    struct front f = {0};
    front_top(s, r, &secs, data, &f, &k);
    json_t *blocks = json_array();
    for (size_t i = 0; i < secs.n; i++) {
        if (secs.items[i].parent_id)
            continue;
        int64_t ids[32];
        size_t nids = site_section_subtree(&secs, (long)i, ids, ARRAY_SIZE(ids));
        struct store_article_query q = {.section_ids = ids, .nsection_ids = nids,
                                        .exclude_ids = f.shown, .nexclude_ids = f.nshown,
                                        .now = time_now(), .limit = 4};
        struct store_article *arts;
        size_t n = 0;
        if (store_call(s->store, article_list, &q, a, &arts, &n) != STORE_OK || n == 0)
            continue;
        for (size_t j = 0; j < n && f.nshown < ARRAY_SIZE(f.shown); j++)
            f.shown[f.nshown++] = arts[j].id;
        keys_cards(&k, arts, n);
        for (size_t j = 0; j < nids; j++)
            site_key_add(&k, "s:", (long long)ids[j]);
        char url[600];
        snprintf(url, sizeof(url), "/%s/", secs.paths[i]);
        json_array_append_new(blocks, json_pack("{s:s, s:s, s:o}", "name", secs.items[i].name,
                                                "url", url, "articles", cards(s, &secs, arts, n, a)));
    }
    json_object_set_new(data, "sections", blocks);
    http_cache_page(r, s->cfg.cache_seconds, k.k, k.n);
    return site_render(s, r, "front.html", data);
}

/* --- lists: sections, authors, tags --- */

static int
list_page(struct site *s, struct http_req *r, const struct site_sections *secs, json_t *data,
          struct store_article_query *q, const char *path, struct site_keys *k)
{
    struct arena *a = http_arena(r);
    long page = page_number(r);
    long total = 0;
    if (page == 0)
        return json_decref(data), http_error(r, 400, "the page number is not valid");
    q->now = time_now();
    q->limit = SITE_PAGE_SIZE;
    q->offset = (int)((page - 1) * SITE_PAGE_SIZE);
    struct store_article *arts;
    size_t n = 0;
    if (store_call(s->store, article_count, q, &total) != STORE_OK ||
        store_call(s->store, article_list, q, a, &arts, &n) != STORE_OK)
        return json_decref(data), http_error(r, 503, NULL);
    if (page > 1 && n == 0)
        return json_decref(data), http_error(r, 404, NULL);
    keys_cards(k, arts, n);
    json_object_set_new(data, "articles", cards(s, secs, arts, n, a));
    json_object_set_new(data, "pager", pager(path, page, total));
    http_cache_page(r, s->cfg.cache_seconds, k->k, k->n);
    return site_render(s, r, "list.html", data);
}

static int
section_page(struct http_req *r, void *ctx)
{
    struct site *s = ctx;
    struct arena *a = http_arena(r);
    const char *want = http_param(r, "path");
    struct site_sections secs;
    if (site_sections_load(s, a, &secs) != 0)
        return http_error(r, 503, NULL);
    long idx = -1;
    for (size_t i = 0; i < secs.n && want; i++)
        if (strcmp(secs.paths[i], want) == 0)
            idx = (long)i;
    if (idx < 0)
        return http_error(r, 404, NULL);
    char *path = arena_printf(a, "/%s/", secs.paths[idx]);
    const char *raw = http_path(r);
    if (raw[strlen(raw) - 1] != '/')
        return http_redirect(r, 301, path);
    int64_t ids[32];
    size_t nids = site_section_subtree(&secs, idx, ids, ARRAY_SIZE(ids));
    struct site_keys k = {.a = a};
    site_key_add(&k, "sections", -1);
    for (size_t i = 0; i < nids; i++)
        site_key_add(&k, "s:", (long long)ids[i]);
    const struct store_section *sec = &secs.items[idx];
    json_t *data = site_page_data(s, &secs, sec->name, path);
    json_object_set_new(json_object_get(data, "page"), "description", json_string(sec->description));
    site_page_feeds(data, sec->name, arena_printf(a, "/%s", secs.paths[idx]));
    json_t *crumbs = json_array(), *children = json_array();
    json_array_append_new(crumbs, json_pack("{s:s, s:s}", "name", "Home", "url", "/"));
    long chain[8];
    size_t nchain = 0;
    for (long i = idx; i >= 0 && nchain < ARRAY_SIZE(chain);
         i = secs.items[i].parent_id ? site_section_find(&secs, secs.items[i].parent_id) : -1)
        chain[nchain++] = i;
    while (nchain--)
        json_array_append_new(crumbs, json_pack("{s:s, s:s}", "name", secs.items[chain[nchain]].name,
                                                "url", arena_printf(a, "/%s/", secs.paths[chain[nchain]])));
    for (size_t i = 0; i < secs.n; i++)
        if (secs.items[i].parent_id == sec->id)
            json_array_append_new(children, json_pack("{s:s, s:s}", "name", secs.items[i].name, "url",
                                                      arena_printf(a, "/%s/", secs.paths[i])));
    json_object_set_new(data, "list", json_pack("{s:s, s:s, s:s, s:o, s:o}", "kind", "section",
                                                "title", sec->name, "description", sec->description,
                                                "breadcrumb", crumbs, "children", children));
    struct store_article_query q = {.section_ids = ids, .nsection_ids = nids};
    return list_page(s, r, &secs, data, &q, path, &k);
}

static int
author_page(struct http_req *r, void *ctx)
{
    struct site *s = ctx;
    struct arena *a = http_arena(r);
    struct store_author au;
    int st = store_call(s->store, author_get, 0, http_param(r, "slug"), a, &au);
    if (st != STORE_OK)
        return http_error(r, st == STORE_NOTFOUND ? 404 : 503, NULL);
    struct site_sections secs;
    if (site_sections_load(s, a, &secs) != 0)
        return http_error(r, 503, NULL);
    struct buf path = BUF_INIT;
    buf_adds(&path, "/author/");
    esc_url_part(&path, au.slug, strlen(au.slug));
    char *p = arena_strndup(a, path.p, path.len);
    buf_release(&path);
    struct site_keys k = {.a = a};
    site_key_add(&k, "sections", -1);
    site_key_add(&k, "au:", (long long)au.id);
    json_t *data = site_page_data(s, &secs, au.name, p);
    json_object_set_new(json_object_get(data, "page"), "description", json_string(au.bio));
    site_page_feeds(data, au.name, p);
    json_object_set_new(data, "list", json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "author",
                                                "title", au.name, "description", au.bio, "email",
                                                au.email, "role", au.role));
    struct store_article_query q = {.author_id = au.id};
    return list_page(s, r, &secs, data, &q, p, &k);
}

static int
tag_page(struct http_req *r, void *ctx)
{
    struct site *s = ctx;
    struct arena *a = http_arena(r);
    struct store_tag tag;
    int st = store_call(s->store, tag_get, 0, http_param(r, "slug"), a, &tag);
    if (st != STORE_OK)
        return http_error(r, st == STORE_NOTFOUND ? 404 : 503, NULL);
    struct site_sections secs;
    if (site_sections_load(s, a, &secs) != 0)
        return http_error(r, 503, NULL);
    struct buf path = BUF_INIT;
    buf_adds(&path, "/tag/");
    esc_url_part(&path, tag.slug, strlen(tag.slug));
    char *p = arena_strndup(a, path.p, path.len);
    buf_release(&path);
    struct site_keys k = {.a = a};
    site_key_add(&k, "sections", -1);
    site_key_add(&k, "t:", (long long)tag.id);
    json_t *data = site_page_data(s, &secs, tag.name, p);
    site_page_feeds(data, tag.name, p);
    json_object_set_new(data, "list", json_pack("{s:s, s:s, s:s}", "kind", "tag", "title",
                                                tag.name, "description", ""));
    struct store_article_query q = {.tag_id = tag.id};
    return list_page(s, r, &secs, data, &q, p, &k);
}

static int
robots(struct http_req *r, void *ctx)
{
    struct site *s = ctx;
    http_set_type(r, "text/plain; charset=utf-8");
    buf_addf(http_body(r), "User-agent: *\nDisallow: /newsroom/\nDisallow: /article/*/print\n"
                           "Disallow: /search\nDisallow: /api/\n\n"
                           "Sitemap: %s/sitemap.xml\nSitemap: %s/sitemap-news.xml\n",
             s->cfg.base_url, s->cfg.base_url);
    return 200;
}

static int
health(struct http_req *r, void *ctx)
{
    (void)ctx;
    http_set_type(r, "text/plain; charset=utf-8");
    http_no_store(r);
    buf_adds(http_body(r), "ok\n");
    return 200;
}

void
site_pages_routes(struct site *s, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/", HTTP_ROUTE_CACHE, front_page, s);
    http_route(srv, HTTP_GET, "/author/:slug", HTTP_ROUTE_CACHE, author_page, s);
    http_route(srv, HTTP_GET, "/tag/:slug", HTTP_ROUTE_CACHE, tag_page, s);
    http_route(srv, HTTP_GET, "/robots.txt", 0, robots, s);
    http_route(srv, HTTP_GET, "/healthz", 0, health, s);
}

/* Sections take every other path; modules add their routes before this. */
void
site_section_route(struct site *s, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/*path", HTTP_ROUTE_CACHE, section_page, s);
}
