/*
 * The site's shared pieces: sections as a tree, the data every page has,
 * rendering into a response, and the error page.
 */
#include "site/site.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "render/render.h"
#include "store/store.h"

int
site_sections_load(struct site *s, struct arena *a, struct site_sections *out)
{
    memset(out, 0, sizeof(*out));
    if (store_call(s->store, section_list, a, &out->items, &out->n) != STORE_OK)
        return -1;
    out->paths = arena_zalloc(a, (out->n ? out->n : 1) * sizeof(char *));
    /* parents come before children in section_list's order only by
     * parent id, so resolve each path by walking up (depth is small) */
    for (size_t i = 0; i < out->n; i++) {
        struct buf b = BUF_INIT;
        const struct store_section *sec = &out->items[i];
        for (int depth = 0; sec && depth < 8; depth++) {
            struct buf part = BUF_INIT;
            buf_adds(&part, sec->slug);
            if (b.len) {
                buf_addch(&part, '/');
                buf_add(&part, b.p, b.len);
            }
            buf_release(&b);
            b = part;
            long up = sec->parent_id ? site_section_find(out, sec->parent_id) : -1;
            sec = up >= 0 ? &out->items[up] : NULL;
        }
        out->paths[i] = arena_strndup(a, b.p ? b.p : "", b.len);
        buf_release(&b);
    }
    return 0;
}

long
site_section_find(const struct site_sections *secs, int64_t id)
{
    for (size_t i = 0; i < secs->n; i++)
        if (secs->items[i].id == id)
            return (long)i;
    return -1;
}

static json_t *
nav_json(const struct site_sections *secs, int64_t parent, const char *current, int depth)
{
    json_t *list = json_array();
    for (size_t i = 0; i < secs->n && depth < 3; i++) {
        if (secs->items[i].parent_id != parent)
            continue;
        char url[600];
        snprintf(url, sizeof(url), "/%s/", secs->paths[i]);
        bool here = current && strncmp(current, url, strlen(url)) == 0;
        json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:o}", "name", secs->items[i].name,
                                              "url", url, "current", here, "children",
                                              nav_json(secs, secs->items[i].id, current, depth + 1)));
    }
    return list;
}

json_t *
site_page_data(struct site *s, const struct site_sections *secs, const char *title,
               const char *path)
{
    char year[16];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(year, sizeof(year), "%d", tm.tm_year + 1900);
    json_t *site = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", s->cfg.name, "tagline",
                             s->cfg.tagline, "url", s->cfg.base_url, "language", s->cfg.language,
                             "year", year, "contact", s->cfg.contact ? s->cfg.contact : "");
    json_t *page = json_pack("{s:s, s:s, s:s}", "title", title ? title : s->cfg.name,
                             "canonical", "", "path", path ? path : "");
    if (path) {
        char *canon = NULL;
        size_t len = strlen(s->cfg.base_url) + strlen(path) + 1;
        canon = xmalloc(len);
        snprintf(canon, len, "%s%s", s->cfg.base_url, path);
        json_object_set_new(page, "canonical", json_string(canon));
        free(canon);
    }
    json_t *data = json_pack("{s:o, s:o, s:o, s:s, s:b}", "site", site, "page", page, "nav",
                             secs ? nav_json(secs, 0, path, 0) : json_array(), "asset",
                             s->cfg.asset_version, "theme_css", s->cfg.theme_css);
    site_page_feeds(data, s->cfg.name, "");
    return data;
}

void
site_page_feeds(json_t *data, const char *title, const char *prefix)
{
    static const struct {
        const char *file, *type, *label;
    } kinds[] = {{"feed.xml", "application/rss+xml", "RSS"},
                 {"atom.xml", "application/atom+xml", "Atom"},
                 {"feed.json", "application/feed+json", "JSON Feed"}};
    json_t *page = json_object_get(data, "page");
    json_t *feeds = json_object_get(page, "feeds");
    if (feeds == NULL) {
        feeds = json_array();
        json_object_set_new(page, "feeds", feeds);
    }
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        json_array_insert_new(
            feeds, i,
            json_pack("{s:s, s:o, s:o}", "type", kinds[i].type, "url",
                      json_sprintf("%s/%s", prefix, kinds[i].file), "title",
                      json_sprintf("%s (%s)", title, kinds[i].label)));
    }
}

int
site_render(struct site *s, struct http_req *r, const char *name, json_t *data)
{
    struct buf *out = http_body(r);
    int rc = tmpl_render(s->tmpl, name, data, out);
    json_decref(data);
    if (rc != 0) {
        buf_reset(out);
        return http_error(r, 500, "the page could not be rendered");
    }
    return 200;
}

void
site_error_page(struct http_req *r, int status, const char *message, void *ctx)
{
    struct site *s = ctx;
    struct arena *a = http_arena(r);
    struct site_sections secs;
    bool have = site_sections_load(s, a, &secs) == 0;
    const char *title = status == 404   ? "Page not found"
                        : status >= 500 ? "Something went wrong"
                                        : http_status_text(status);
    json_t *data = site_page_data(s, have ? &secs : NULL, title, NULL);
    const char *explain =
        status == 404 ? "The page you asked for is not here. It may have moved, or the address "
                        "may be mistyped."
        : status >= 500 ? "We could not show this page because of a problem on our side. "
                          "Please try again in a moment."
                        : "The request could not be handled.";
    json_object_set_new(data, "error",
                        json_pack("{s:i, s:s, s:s, s:s}", "status", status, "title", title,
                                  "explain", explain, "message", message ? message : ""));
    json_object_set_new(json_object_get(data, "page"), "robots", json_string("noindex"));
    if (tmpl_render(s->tmpl, "error.html", data, http_body(r)) != 0)
        buf_reset(http_body(r));
    json_decref(data);
}
