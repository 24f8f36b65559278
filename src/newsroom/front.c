/*
 * The front page's curation: the editor picks the lead story and orders
 * the top slots; the rest of the front page fills itself by recency per
 * section (site/pages.c), showing no article twice. Saving purges "front",
 * so readers see the new order at once.
 */
#include "newsroom/newsroom_int.h"

#include <stdlib.h>
#include <string.h>

#define FRONT_SLOTS 7 /* the lead and six more, as the front page shows them */

/* Whether id is one of the n ids. */
static bool
id_in(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static json_t *
slot_json(struct http_req *r, const struct site_sections *secs, const struct store_article *a,
          int position)
{
    long k = site_section_find(secs, a->section_id);
    bool visible = site_article_visible(a, time_now());
    json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:i, s:b, s:s}", "id", (json_int_t)a->id,
                          "headline", a->headline, "section", k >= 0 ? secs->items[k].name : "",
                          "published", (json_int_t)a->published_at, "position", position,
                          "visible", visible, "edit_url",
                          arena_printf(http_arena(r), "/newsroom/articles/%lld", (long long)a->id));
    if (visible)
        json_object_set_new(j, "public_url", json_string(site_article_path(http_arena(r), a)));
    return j;
}

static int
front_page(struct http_req *r, const struct staff_user *u, const char *error, int status)
{
    struct arena *a = http_arena(r);
    struct site_sections secs;
    int64_t *ids;
    size_t n = 0;
    if (site_sections_load(nr_ctx.site, a, &secs) != 0 ||
        store_call(nr_ctx.store, front_get, a, &ids, &n) != STORE_OK)
        return http_error(r, 503, NULL);
    json_t *slots = json_array();
    for (size_t i = 0; i < n; i++) {
        struct store_article art;
        if (store_call(nr_ctx.store, article_get, ids[i], a, &art) == STORE_OK)
            json_array_append_new(slots, slot_json(r, &secs, &art, (int)json_array_size(slots) + 1));
    }
    struct store_newsroom_query q = {.status = ARTICLE_PUBLISHED, .order = STORE_ORDER_PUBLISHED,
                                     .limit = 60};
    struct store_newsroom_item *items;
    size_t ni = 0;
    long total;
    json_t *candidates = json_array();
    /* after a refusal, the story chosen and its position stay chosen */
    int64_t chosen = nr_id(nr_field(r, "add"));
    if (store_call(nr_ctx.store, newsroom_list, &q, a, &items, &ni, &total) == STORE_OK) {
        for (size_t i = 0; i < ni; i++) {
            if (id_in(ids, n, items[i].art.id))
                continue;
            json_t *c = slot_json(r, &secs, &items[i].art, 0);
            json_object_set_new(c, "selected", json_boolean(items[i].art.id == chosen));
            json_array_append_new(candidates, c);
        }
    }
    const char *add_position = nr_field(r, "add_position");
    json_t *data = json_pack("{s:s, s:o, s:o, s:i, s:b, s:s}", "title", "Front page", "slots",
                             slots, "candidates", candidates, "max", FRONT_SLOTS, "full",
                             json_array_size(slots) >= FRONT_SLOTS, "add_position",
                             add_position[0] ? add_position : "1");
    if (error)
        json_object_set_new(data, "error", json_string(error));
    int rc = newsroom_render(r, u, "newsroom/front.html", data);
    return rc == 200 ? status : rc;
}

static int
front_show(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE | STAFF_PUBLISH, &u);
    return st ? st : front_page(r, &u, NULL, 200);
}

struct slot {
    int64_t id;
    long order;
};

static int
slot_order(const void *x, const void *y)
{
    const struct slot *a = x, *b = y;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* The new order from the form: kept slots by their numbers, then the added story. */
static size_t
read_slots(struct http_req *r, struct slot *out, size_t max, const char **error)
{
    const char *vals[64];
    size_t nv = nr_fields(r, "slot", vals, ARRAY_SIZE(vals)), n = 0;
    struct arena *a = http_arena(r);
    for (size_t i = 0; i < nv && n < max; i++) {
        int64_t id = nr_id(vals[i]);
        if (id == 0 || nr_field(r, arena_printf(a, "remove_%lld", (long long)id))[0])
            continue;
        const char *pos = nr_field(r, arena_printf(a, "position_%lld", (long long)id));
        long p;
        if (parse_long(pos, strlen(pos), 1, 100, &p) != 0)
            p = (long)i + 1;
        out[n++] = (struct slot){id, p * 1000 + (long)i};
    }
    int64_t add = nr_id(nr_field(r, "add"));
    if (add && n == max)
        *error = "the top of the front page holds seven stories: remove one first";
    else if (add) {
        const char *pos = nr_field(r, "add_position");
        long p;
        if (parse_long(pos, strlen(pos), 1, 100, &p) != 0)
            p = 100;
        out[n++] = (struct slot){add, p * 1000 - 1}; /* before a slot with the same number */
    }
    qsort(out, n, sizeof(*out), slot_order);
    return n;
}

static int
front_save(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE | STAFF_PUBLISH, &u);
    if (st)
        return st;
    struct slot slots[FRONT_SLOTS];
    const char *error = NULL;
    size_t n = read_slots(r, slots, FRONT_SLOTS, &error);
    /* what is placed now may stay there after it was unpublished (readers
     * do not see it, and the page says so); a story placed now must be live */
    int64_t *placed;
    size_t nplaced = 0;
    if (store_call(nr_ctx.store, front_get, http_arena(r), &placed, &nplaced) != STORE_OK)
        return http_error(r, 503, NULL);
    int64_t ids[FRONT_SLOTS];
    size_t k = 0;
    struct buf detail = BUF_INIT;
    for (size_t i = 0; i < n && !error; i++) {
        struct store_article art;
        if (id_in(ids, k, slots[i].id))
            continue;
        if (store_call(nr_ctx.store, article_get, slots[i].id, http_arena(r), &art) != STORE_OK)
            error = "that story is not in the newsroom any more: choose another one";
        else if (!id_in(placed, nplaced, slots[i].id) && !site_article_visible(&art, time_now()))
            error = arena_printf(http_arena(r),
                                 "“%s” is not published: only published articles can be placed "
                                 "on the front page",
                                 art.headline);
        ids[k++] = slots[i].id;
        buf_addf(&detail, "%s%lld", k > 1 ? " " : "", (long long)slots[i].id);
    }
    if (error) {
        buf_release(&detail);
        return front_page(r, &u, error, 422);
    }
    if (store_call(nr_ctx.store, front_set, ids, k) != STORE_OK) {
        buf_release(&detail);
        return http_error(r, 503, NULL);
    }
    nr_purge("front");
    newsroom_audit(r, &u, "front", "front page", detail.p ? detail.p : "(empty)");
    buf_release(&detail);
    return nr_done(r, "/newsroom/front", "front");
}

void
nr_front_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/front", 0, front_show, NULL);
    http_route(srv, HTTP_POST, "/newsroom/front", 0, front_save, NULL);
}
