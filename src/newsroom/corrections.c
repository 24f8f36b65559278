/*
 * Corrections and clarifications. One record (the store's correction_add)
 * drives the notice on the article, at the top or the bottom, the
 * article's updated time, and the public /corrections page, newest first.
 */
#include "newsroom/newsroom_int.h"

#include <string.h>

#include "render/render.h"

static int
correction_form_error(struct http_req *r, const struct staff_user *u,
                      const struct store_article *art, const char *kind, const char *text,
                      const char *where, const char *date, const char *error)
{
    json_t *extra = json_pack("{s:{s:s, s:s, s:s, s:s, s:s}}", "correction", "kind", kind, "text",
                              text, "where", where, "date", date, "error", error);
    return nr_editor_show(r, u, art, 422, extra);
}

static int
correction_add(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct store_article art;
    int st = nr_guard_article(r, STAFF_WRITE | STAFF_PUBLISH, &u, &art);
    if (st)
        return st;
    const char *kind = nr_field(r, "kind");
    const char *where = nr_field(r, "where");
    char *text = nr_clean(r, nr_field(r, "text"), false);
    char *date = nr_clean(r, nr_field(r, "date"), false);
    int64_t at = time_now();
    const char *error = NULL;
    if (text == NULL || text[0] == '\0')
        error = "write the correction's text";
    else if (text_length(text, strlen(text)) > NR_CORRECTION_MAX)
        error = "the correction may have at most 1000 characters: shorten it";
    else if (strcmp(kind, "correction") != 0 && strcmp(kind, "clarification") != 0)
        error = "choose correction or clarification";
    else if (date && date[0] && nr_local_parse(date, &at) != 0)
        error = "enter the date as a date and a time, e.g. 2026-12-01 07:00";
    else if (at > time_now() + 300)
        error = "the date of a correction cannot be in the future";
    else if (!site_article_visible(&art, time_now()))
        error = "corrections are added to published articles";
    if (error)
        return correction_form_error(r, &u, &art, kind, text ? text : "", where,
                                     date ? date : "", error);
    struct store_correction c = {.article_id = art.id, .text = text, .at_top = !strcmp(where, "top"),
                                 .created_at = at,
                                 .kind = strcmp(kind, "clarification") == 0
                                             ? CORRECTION_CLARIFICATION
                                             : CORRECTION_CORRECTION};
    if (store_call(nr_ctx.store, correction_add, &c) != STORE_OK)
        return http_error(r, 503, NULL);
    nr_purge_article(&art, NULL);
    nr_purge("corrections");
    newsroom_audit(r, &u, "correct",
                   arena_printf(http_arena(r), "article %lld: %s", (long long)art.id, art.headline),
                   arena_printf(http_arena(r), "%s (%s): %s", kind, c.at_top ? "top" : "bottom",
                                text));
    return nr_done(r, arena_printf(http_arena(r), "/newsroom/articles/%lld", (long long)art.id),
                   "corrected");
}

/* --- the public page --- */

static int
corrections_page(struct http_req *r, void *ctx)
{
    struct site *s = ctx;
    struct arena *a = http_arena(r);
    const char *p = http_query(r, "page");
    long page = 1;
    if (p && parse_long(p, strlen(p), 1, 10000, &page) != 0)
        return http_error(r, 400, "the page number is not valid");
    struct site_sections secs;
    if (site_sections_load(s, a, &secs) != 0)
        return http_error(r, 503, NULL);
    struct store_correction_item *items;
    size_t n = 0;
    long total = 0;
    if (store_call(s->store, correction_list, time_now(), 30, (int)((page - 1) * 30), a, &items,
                   &n, &total) != STORE_OK)
        return http_error(r, 503, NULL);
    if (page > 1 && n == 0)
        return http_error(r, 404, NULL);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        struct store_article art = {.id = items[i].c.article_id, .slug = items[i].slug};
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:I, s:s, s:s}", "kind",
                            items[i].c.kind == CORRECTION_CLARIFICATION ? "Clarification"
                                                                        : "Correction",
                            "text", items[i].c.text, "date", (json_int_t)items[i].c.created_at,
                            "headline", items[i].headline, "url", site_article_path(a, &art)));
    }
    json_t *data = site_page_data(s, &secs, "Corrections", "/corrections");
    json_object_set_new(json_object_get(data, "page"), "description",
                        json_string("Corrections and clarifications to our reporting, newest "
                                    "first."));
    json_object_set_new(data, "corrections", list);
    long pages = (total + 29) / 30;
    json_t *pager = json_pack("{s:i, s:i}", "page", (int)page, "pages", (int)pages);
    if (page > 1)
        json_object_set_new(pager, "prev", json_sprintf("/corrections?page=%ld", page - 1));
    if (page < pages)
        json_object_set_new(pager, "next", json_sprintf("/corrections?page=%ld", page + 1));
    json_object_set_new(data, "pager", pager);
    static const char *const keys[] = {"corrections", "sections"};
    http_cache_page(r, s->cfg.cache_seconds, keys, ARRAY_SIZE(keys));
    return site_render(s, r, "corrections.html", data);
}

void
nr_correction_routes(struct http_server *srv)
{
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/corrections", 0, correction_add, NULL);
    http_route(srv, HTTP_GET, "/corrections", HTTP_ROUTE_CACHE, corrections_page, nr_ctx.site);
}
