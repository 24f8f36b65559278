/*
 * /search?q=...&section=<path>&page=N: the results page. The query goes
 * through the search module's parser (never to FTS5 as it is); a query the
 * parser refuses gets the page back with a sentence saying what to change
 * (status 400), never an error page. Matches are marked by the index with
 * control characters and turned into segments that the template escapes.
 * Results depend on the query, so the page is not put in the page cache.
 */
#include "distribution/distribution_int.h"

#include <string.h>

#include "http/http.h"
#include "render/render.h"
#include "search/search.h"
#include "site/site.h"
#include "store/store.h"

static json_t *
section_options(const struct site_sections *secs, const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; i < secs->n; i++) {
        bool sub = secs->items[i].parent_id != 0;
        json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:b}", "path", secs->paths[i],
                                              "name", secs->items[i].name, "sub", sub, "selected",
                                              chosen && strcmp(chosen, secs->paths[i]) == 0));
    }
    return list;
}

static char *
page_url(struct arena *a, const char *q, const char *section, long page)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "/search?q=");
    url_encode(&b, q, strlen(q));
    if (section && section[0]) {
        buf_adds(&b, "&section=");
        url_encode(&b, section, strlen(section));
    }
    if (page > 1)
        buf_addf(&b, "&page=%ld", page);
    char *s = arena_strndup(a, b.p, b.len);
    buf_release(&b);
    return s;
}

static json_t *
pager(struct arena *a, const char *q, const char *section, long page, long total)
{
    long pages = (total + SEARCH_PAGE_SIZE - 1) / SEARCH_PAGE_SIZE;
    json_t *j =
        json_pack("{s:i, s:i, s:b}", "page", (int)page, "pages", (int)pages, "multiple", pages > 1);
    if (page > 1)
        json_object_set_new(j, "prev", json_string(page_url(a, q, section, page - 1)));
    if (page < pages)
        json_object_set_new(j, "next", json_string(page_url(a, q, section, page + 1)));
    return j;
}

/* The section named by ?section= and those below it. */
static size_t
section_filter(const struct site_sections *secs, const char *path, int64_t *ids, size_t max)
{
    long idx = -1;
    for (size_t i = 0; path && i < secs->n; i++)
        if (strcmp(secs->paths[i], path) == 0)
            idx = (long)i;
    if (idx < 0)
        return 0;
    size_t n = 0;
    ids[n++] = secs->items[idx].id;
    for (size_t i = 0; i < n && n < max; i++)
        for (size_t k = 0; k < secs->n && n < max; k++)
            if (secs->items[k].parent_id == ids[i])
                ids[n++] = secs->items[k].id;
    return n;
}

struct search_page {
    struct distribution *d;
    struct http_req *r;
    struct site_sections secs;
    json_t *data;
    json_t *search;
    const char *q;
    const char *section;
    long page;
};

static int
render(struct search_page *p, int status)
{
    json_object_set_new(p->data, "search", p->search);
    int rc = site_render(p->d->site, p->r, "search.html", p->data);
    return rc == 200 ? status : rc;
}

static int
refuse(struct search_page *p, const char *message)
{
    json_object_set_new(p->search, "message", json_string(message));
    return render(p, 400);
}

/* Ranking reads every match (a common word in a large archive: a good part
 * of a second, far more for a page deep in the results): the query runs on
 * a worker (http_defer) so that no loop thread waits, and the page is made
 * back on the loop. */
struct search_job {
    struct search_page p;
    struct search_query sq;
    struct store *st;
    struct arena *a;
    struct store_search_query q;
    int64_t ids[32];
    struct store_search_hit *hits;
    size_t n;
    long total;
    int rc;
    bool answered; /* search_done ran and gave the page data away */
};

static void
search_work(void *arg)
{
    struct search_job *j = arg;
    /* articles saved since the watcher's last pass */
    search_index_refresh(j->st, 200);
    j->rc = store_call(j->st, search_query, &j->q, j->a, &j->hits, &j->n, &j->total);
}

static int
search_done(struct http_req *r, void *arg)
{
    struct search_job *j = arg;
    struct search_page *p = &j->p;
    struct arena *a = http_arena(r);
    j->answered = true;
    if (j->rc == STORE_INVALID)
        return refuse(p, "We could not search for that. Try other words.");
    if (j->rc != STORE_OK)
        return json_decref(p->data), json_decref(p->search), http_error(r, 503, NULL);
    json_t *list = json_array();
    for (size_t i = 0; i < j->n; i++) {
        struct store_article art;
        if (store_call(j->st, article_get, j->hits[i].article_id, a, &art) != STORE_OK)
            continue;
        json_t *card = site_card_json(p->d->site, &p->secs, &art, a);
        json_object_set_new(card, "headline_marked",
                            search_marked_json(j->hits[i].headline_marked, &j->sq));
        json_object_set_new(card, "excerpt",
                            search_excerpt_json(j->hits[i].snippet_marked, j->hits[i].body, &j->sq));
        json_array_append_new(list, card);
    }
    json_object_set_new(p->search, "results", list);
    json_object_set_new(p->search, "total", json_integer(j->total));
    json_object_set_new(p->search, "pager", pager(a, p->q, p->section, p->page, j->total));
    if (j->total > 0 && j->n == 0)
        return refuse(p, "There are no more results: go back to the first page.");
    return render(p, 200);
}

/* After search_done, or without it (the client left, the queue was full):
 * then the page data is still ours. */
static void
search_job_free(void *arg)
{
    struct search_job *j = arg;
    if (!j->answered) {
        json_decref(j->p.data);
        json_decref(j->p.search);
    }
    search_query_release(&j->sq);
}

static int
search_page(struct http_req *r, void *ctx)
{
    struct search_page p = {
        .d = ctx, .r = r, .q = http_query(r, "q"), .section = http_query(r, "section"), .page = 1};
    struct arena *a = http_arena(r);
    if (site_sections_load(p.d->site, a, &p.secs) != 0)
        return http_error(r, 503, NULL);
    p.data =
        site_page_data(p.d->site, &p.secs,
                       p.q && p.q[0] ? arena_printf(a, "Search: %s", p.q) : "Search", "/search");
    json_t *page = json_object_get(p.data, "page");
    json_object_set_new(page, "robots", json_string("noindex"));
    json_object_set_new(page, "query", json_string(p.q ? p.q : ""));
    p.search = json_pack("{s:s, s:o, s:b}", "query", p.q ? p.q : "", "sections",
                         section_options(&p.secs, p.section), "searched", p.q && p.q[0]);
    const char *ps = http_query(r, "page");
    if (ps && parse_long(ps, strlen(ps), 1, 1000, &p.page) != 0)
        return refuse(&p, "That page number is not valid.");
    if (p.q == NULL || p.q[0] == '\0')
        return render(&p, 200);
    struct search_job *j = arena_zalloc(a, sizeof(*j));
    enum search_status st = search_query_parse(p.q, strlen(p.q), &j->sq);
    if (st != SEARCH_OK)
        return refuse(&p, search_status_text(st));
    j->p = p;
    j->st = p.d->site->store;
    j->a = a;
    j->q = (struct store_search_query){.match = j->sq.match,
                                       .now = time_now(),
                                       .limit = SEARCH_PAGE_SIZE,
                                       .offset = (int)((p.page - 1) * SEARCH_PAGE_SIZE),
                                       .section_ids = j->ids};
    j->q.nsection_ids = section_filter(&p.secs, p.section, j->ids, ARRAY_SIZE(j->ids));
    return http_defer(r, search_work, search_done, search_job_free, j);
}

void
dist_search_routes(struct distribution *d, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/search", 0, search_page, d);
}
