/*
 * The ninjs API: /api/ninjs/articles/<id> and /api/ninjs/articles (newest
 * first, ?page=, ?section=<path>). ninjs 2.x by default; 3.x with
 * ?version=3, or, on an address without ?version, with an Accept header
 * naming the ninjs 3 schema (application/json;
 * profile="http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json"). Only the
 * addresses with ?version go into the page cache: the page cache keys by
 * address, so an answer chosen by a header must not be stored there.
 * Corrections appear as descriptions with role "correction" and in the
 * editorial note; the version rises with every save and correction.
 */
#include "distribution/distribution_int.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "render/render.h"
#include "site/site.h"
#include "store/store.h"

#define API_PAGE 20

/* 2 or 3; 0 for a ?version we do not speak. *explicit_v says the address chose. */
static int
wanted_version(struct http_req *r, bool *explicit_v)
{
    const char *v = http_query(r, "version");
    *explicit_v = v != NULL;
    if (v)
        return v[0] == '2' && (v[1] == '\0' || v[1] == '.')   ? 2
               : v[0] == '3' && (v[1] == '\0' || v[1] == '.') ? 3
                                                              : 0;
    const char *accept = http_header(r, "accept");
    if (accept && (strstr(accept, "ninjs-schema_3") || strstr(accept, "ninjs/3") ||
                   strstr(accept, "version=3")))
        return 3;
    return 2;
}

static int
send_json(struct http_req *r, json_t *doc, bool cache, struct site_keys *k)
{
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (s == NULL)
        return http_error(r, 500, NULL);
    buf_adds(http_body(r), s);
    free(s);
    http_set_type(r, "application/json; charset=utf-8");
    if (cache)
        http_cache_page(r, DIST_CACHE_SECONDS, k->k, k->n);
    else
        http_set_header(r, "vary", "Accept");
    return 200;
}

static int
api_error(struct http_req *r, int status, const char *message)
{
    json_t *doc = json_pack("{s:s}", "error", message);
    char *s = json_dumps(doc, 0);
    json_decref(doc);
    buf_adds(http_body(r), s ? s : "{}");
    free(s);
    http_set_type(r, "application/json; charset=utf-8");
    http_no_store(r);
    return status;
}

static int
one_article(struct http_req *r, void *ctx)
{
    struct distribution *d = ctx;
    struct arena *a = http_arena(r);
    bool explicit_v;
    int major = wanted_version(r, &explicit_v);
    if (major == 0)
        return api_error(r, 400, "unknown ninjs version: use ?version=2 or ?version=3");
    long id;
    const char *ids = http_param(r, "id");
    if (parse_long(ids, strlen(ids), 1, INT64_MAX / 2, &id) != 0)
        return api_error(r, 404, "no such article");
    struct store_article art;
    int st = store_call(d->site->store, article_get, id, a, &art);
    if (st == STORE_NOTFOUND ||
        (st == STORE_OK && (art.status != ARTICLE_PUBLISHED || art.published_at > time_now())))
        return api_error(r, 404, "no such article");
    struct site_sections secs;
    if (st != STORE_OK || site_sections_load(d->site, a, &secs) != 0)
        return api_error(r, 503, "the article cannot be read now; try again");
    struct site_keys k = {.a = a};
    site_key_add(&k, "feeds", -1);
    site_key_add(&k, "a:", (long long)art.id);
    site_key_add(&k, "sections", -1);
    return send_json(r, dist_ninjs(a, d, &secs, &art, major), explicit_v, &k);
}

static long
section_index(const struct site_sections *secs, const char *path)
{
    for (size_t i = 0; i < secs->n; i++)
        if (strcmp(secs->paths[i], path) == 0)
            return (long)i;
    return -1;
}

static char *
next_url(struct arena *a, struct http_req *r, long page, int major, bool explicit_v)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "/api/ninjs/articles?page=%ld", page + 1);
    const char *sec = http_query(r, "section");
    if (sec) {
        buf_adds(&b, "&section=");
        url_encode(&b, sec, strlen(sec));
    }
    if (explicit_v)
        buf_addf(&b, "&version=%d", major);
    char *s = arena_strndup(a, b.p, b.len);
    buf_release(&b);
    return s;
}

static int
list_articles(struct http_req *r, void *ctx)
{
    struct distribution *d = ctx;
    struct arena *a = http_arena(r);
    bool explicit_v;
    int major = wanted_version(r, &explicit_v);
    long page = 1;
    const char *ps = http_query(r, "page");
    if (major == 0)
        return api_error(r, 400, "unknown ninjs version: use ?version=2 or ?version=3");
    if (ps && parse_long(ps, strlen(ps), 1, 10000, &page) != 0)
        return api_error(r, 400, "page must be a number from 1 to 10000");
    struct site_sections secs;
    if (site_sections_load(d->site, a, &secs) != 0)
        return api_error(r, 503, "the articles cannot be read now; try again");
    struct store_article_query q = {
        .now = time_now(), .limit = API_PAGE + 1, .offset = (int)((page - 1) * API_PAGE)};
    int64_t id;
    const char *sec = http_query(r, "section");
    if (sec) {
        long i = section_index(&secs, sec);
        if (i < 0)
            return api_error(r, 404, "no such section");
        id = secs.items[i].id;
        q.section_ids = &id;
        q.nsection_ids = 1;
    }
    struct store_article *arts;
    size_t n = 0;
    if (store_call(d->site->store, article_list, &q, a, &arts, &n) != STORE_OK)
        return api_error(r, 503, "the articles cannot be read now; try again");
    struct site_keys k = {.a = a};
    site_key_add(&k, "feeds", -1);
    site_key_add(&k, "front", -1);
    site_key_add(&k, "sections", -1);
    json_t *items = json_array();
    for (size_t i = 0; i < n && i < API_PAGE; i++) {
        struct store_article full;
        /* corrections come with the full record */
        const struct store_article *art = &arts[i];
        if (store_call(d->site->store, article_get, arts[i].id, a, &full) == STORE_OK)
            art = &full;
        json_array_append_new(items, dist_ninjs(a, d, &secs, art, major));
        site_key_add(&k, "a:", (long long)arts[i].id);
    }
    json_t *doc = json_pack("{s:o, s:i}", "items", items, "page", (int)page);
    if (n > API_PAGE)
        json_object_set_new(doc, "next", json_string(next_url(a, r, page, major, explicit_v)));
    return send_json(r, doc, explicit_v, &k);
}

void
dist_api_routes(struct distribution *d, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/api/ninjs/articles", HTTP_ROUTE_CACHE, list_articles, d);
    http_route(srv, HTTP_GET, "/api/ninjs/articles/:id", HTTP_ROUTE_CACHE, one_article, d);
}
