/*
 * The dashboard (my drafts, ready for editing, scheduled, recently
 * published) and the list of every article with filters.
 */
#include "newsroom/newsroom_int.h"

#include <string.h>

static json_t *
byline(const struct store_article *a)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < a->nauthors; i++)
        buf_addf(&b, "%s%s", i ? ", " : "", a->authors[i].name);
    json_t *s = json_stringn(b.p ? b.p : "", b.len);
    buf_release(&b);
    return s;
}

static json_t *
item_json(struct http_req *r, const struct site_sections *secs, const struct store_newsroom_item *it)
{
    const struct store_article *a = &it->art;
    long k = site_section_find(secs, a->section_id);
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:s, s:I, s:s, s:I}", "id",
                          (json_int_t)a->id, "headline", a->headline, "status",
                          store_article_status_name(a->status), "status_label",
                          nr_status_label(a->status), "section", k >= 0 ? secs->items[k].name : "",
                          "byline", byline(a), "saved_at", (json_int_t)a->saved_at, "saved_by",
                          it->saved_by_name, "created_by", it->created_by_name, "published",
                          (json_int_t)a->published_at, "edit_url",
                          arena_printf(http_arena(r), "/newsroom/articles/%lld", (long long)a->id),
                          "version", (json_int_t)a->version);
    if (site_article_visible(a, time_now()))
        json_object_set_new(j, "public_url", json_string(site_article_path(http_arena(r), a)));
    return j;
}

static json_t *
list_json(struct http_req *r, const struct site_sections *secs,
          const struct store_newsroom_query *q, long *total)
{
    struct store_newsroom_item *items;
    size_t n = 0;
    long count = 0;
    json_t *list = json_array();
    if (store_call(nr_ctx.store, newsroom_list, q, http_arena(r), &items, &n, &count) == STORE_OK)
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, item_json(r, secs, &items[i]));
    if (total)
        *total = count;
    return list;
}

static int
dashboard(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, 0, &u);
    if (st)
        return st;
    if (!(u.caps & STAFF_WRITE)) /* moderators work on the comment queue */
        return newsroom_render(r, &u, "newsroom/dashboard.html",
                               json_pack("{s:s}", "title", "Dashboard"));
    struct site_sections secs;
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    struct store_newsroom_query mine = {.status = ARTICLE_DRAFT, .created_by = u.id, .limit = 10};
    struct store_newsroom_query ready = {.status = ARTICLE_READY, .limit = 20};
    struct store_newsroom_query due = {.status = ARTICLE_SCHEDULED, .order = STORE_ORDER_DUE,
                                       .limit = 20};
    struct store_newsroom_query recent = {.status = ARTICLE_PUBLISHED,
                                          .order = STORE_ORDER_PUBLISHED, .limit = 10};
    json_t *panels = json_pack(
        "[{s:s, s:s, s:o, s:s, s:s}, {s:s, s:s, s:o, s:s, s:s}, {s:s, s:s, s:o, s:s, s:s},"
        " {s:s, s:s, s:o, s:s, s:s}]",
        "id", "mine", "title", "My drafts", "rows", list_json(r, &secs, &mine, NULL), "empty",
        "You have no drafts. Start one with New article.", "more", "/newsroom/articles?mine=1",
        "id", "ready", "title", "Ready for editing", "rows", list_json(r, &secs, &ready, NULL),
        "empty", "Nothing is waiting for an editor.", "more", "/newsroom/articles?status=ready",
        "id", "scheduled", "title", "Scheduled", "rows", list_json(r, &secs, &due, NULL), "empty",
        "Nothing is scheduled.", "more", "/newsroom/articles?status=scheduled", "id", "recent",
        "title", "Recently published", "rows", list_json(r, &secs, &recent, NULL), "empty",
        "Nothing has been published yet.", "more", "/newsroom/articles?status=published");
    json_t *data = json_pack("{s:s, s:o}", "title", "Dashboard", "panels", panels);
    return newsroom_render(r, &u, "newsroom/dashboard.html", data);
}

static json_t *
status_options(const char *current)
{
    json_t *list = json_array();
    for (int s = ARTICLE_DRAFT; s <= ARTICLE_UNPUBLISHED; s++) {
        const char *name = store_article_status_name(s);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", name, "label",
                                              nr_status_label(s), "selected",
                                              current && strcmp(current, name) == 0));
    }
    return list;
}

static json_t *
author_options(struct http_req *r, int64_t selected)
{
    struct store_author *au;
    size_t n = 0;
    json_t *list = json_array();
    if (store_call(nr_ctx.store, author_list, http_arena(r), &au, &n) == STORE_OK)
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)au[i].id,
                                                  "name", au[i].name, "selected",
                                                  au[i].id == selected));
    return list;
}

/* ?page=; 0 when malformed */
static long
page_of(struct http_req *r)
{
    const char *p = http_query(r, "page");
    long n = 1;
    if (p && parse_long(p, strlen(p), 1, 100000, &n) != 0)
        return 0;
    return n;
}

/* The current filters as a query string, for the pager's links. */
static char *
filter_query(struct http_req *r)
{
    static const char *names[] = {"status", "section", "author", "q", "mine"};
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        const char *v = http_query(r, names[i]);
        if (v == NULL || v[0] == '\0')
            continue;
        buf_addf(&b, "%s=", names[i]);
        url_encode(&b, v, strlen(v));
        buf_addch(&b, '&');
    }
    char *out = arena_strndup(http_arena(r), b.p ? b.p : "", b.len);
    buf_release(&b);
    return out;
}

static int
articles(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE, &u);
    if (st)
        return st;
    struct site_sections secs;
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    long page = page_of(r);
    if (page == 0)
        return http_error(r, 400, "the page number is not valid");
    const char *status = http_query(r, "status");
    const char *text = http_query(r, "q");
    enum store_article_status want;
    struct store_newsroom_query q = {.status = -1, .limit = NR_PAGE_SIZE,
                                     .offset = (int)((page - 1) * NR_PAGE_SIZE)};
    if (status && store_article_status_parse(status, &want) == 0)
        q.status = (int)want;
    q.section_id = nr_id(http_query(r, "section"));
    q.author_id = nr_id(http_query(r, "author"));
    if (http_query(r, "mine"))
        q.created_by = u.id;
    if (text && text[0])
        q.text = nr_clean(r, text, false);
    long total = 0;
    json_t *list = list_json(r, &secs, &q, &total);
    long pages = (total + NR_PAGE_SIZE - 1) / NR_PAGE_SIZE;
    char *fq = filter_query(r);
    json_t *data = json_pack(
        "{s:s, s:{s:o}, s:I, s:o, s:o, s:o, s:s, s:b, s:{s:i, s:i}}", "title", "Articles", "panel",
        "rows", list, "total", (json_int_t)total, "statuses", status_options(status), "sections",
        nr_sections_json(r, &secs, q.section_id, NULL, 0), "authors",
        author_options(r, q.author_id), "q", text ? text : "", "mine", q.created_by != 0, "pager",
        "page", (int)page, "pages", (int)pages);
    json_t *pager = json_object_get(data, "pager");
    if (page > 1)
        json_object_set_new(pager, "prev", json_sprintf("/newsroom/articles?%spage=%ld", fq, page - 1));
    if (page < pages)
        json_object_set_new(pager, "next", json_sprintf("/newsroom/articles?%spage=%ld", fq, page + 1));
    return newsroom_render(r, &u, "newsroom/articles.html", data);
}

void
nr_dashboard_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/", 0, dashboard, NULL);
    http_route(srv, HTTP_GET, "/newsroom/articles", 0, articles, NULL);
}
