/*
 * The audit log, for administrators: who published, unpublished,
 * corrected, changed a role or an account, and the front page, newest first.
 */
#include "newsroom/newsroom_int.h"

#include <string.h>

static int
audit_page(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_ADMIN, &u);
    if (st)
        return st;
    const char *p = http_query(r, "page");
    long page = 1;
    if (p && parse_long(p, strlen(p), 1, 100000, &page) != 0)
        return http_error(r, 400, "the page number is not valid");
    struct store_audit *items;
    size_t n = 0;
    long total = 0;
    if (store_call(nr_ctx.store, audit_list, 50, (int)((page - 1) * 50), http_arena(r), &items, &n,
                   &total) != STORE_OK)
        return http_error(r, 503, NULL);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "at",
                                              (json_int_t)items[i].at, "login", items[i].login,
                                              "action", items[i].action, "subject",
                                              items[i].subject, "detail", items[i].detail, "addr",
                                              items[i].addr));
    long pages = (total + 49) / 50;
    json_t *pager = json_pack("{s:i, s:i}", "page", (int)page, "pages", (int)pages);
    if (page > 1)
        json_object_set_new(pager, "prev", json_sprintf("/newsroom/audit?page=%ld", page - 1));
    if (page < pages)
        json_object_set_new(pager, "next", json_sprintf("/newsroom/audit?page=%ld", page + 1));
    return newsroom_render(r, &u, "newsroom/audit.html",
                           json_pack("{s:s, s:o, s:o, s:I}", "title", "Audit log", "entries", list,
                                     "pager", pager, "total", (json_int_t)total));
}

void
nr_audit_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/audit", 0, audit_page, NULL);
}
