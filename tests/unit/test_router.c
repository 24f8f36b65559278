/*
 * Paths and routes: a hostile path is refused before any handler sees it,
 * and a route matches exactly the addresses the paper publishes.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "http/http_int.h"

static struct arena *arena;
static char *segs[HTTP_MAX_SEGMENTS];
static size_t nsegs;
static bool trailing;

static void
setup(void)
{
    arena = arena_new();
}

static void
teardown(void)
{
    arena_free(arena);
}

static int
split(const char *path)
{
    nsegs = 99;
    trailing = false;
    return http_path_split(arena, path, strlen(path), segs, &nsegs, &trailing);
}

TestSuite(path_split, .init = setup, .fini = teardown);

Test(path_split, plain_paths)
{
    cr_assert_eq(split("/"), 0);
    cr_assert_eq(nsegs, 0);
    cr_assert_not(trailing, "the root has no trailing slash of its own");

    cr_assert_eq(split("/national/politics/"), 0);
    cr_assert_eq(nsegs, 2);
    cr_assert_str_eq(segs[0], "national");
    cr_assert_str_eq(segs[1], "politics");
    cr_assert(trailing);

    cr_assert_eq(split("/article/12/budget-passes"), 0);
    cr_assert_eq(nsegs, 3);
    cr_assert_str_eq(segs[2], "budget-passes");
    cr_assert_not(trailing);

    cr_assert_eq(split("/.well-known/x/..."), 0, "dots that are not dot segments are fine");
    cr_assert_str_eq(segs[0], ".well-known");
    cr_assert_str_eq(segs[2], "...");
}

Test(path_split, segments_are_decoded)
{
    cr_assert_eq(split("/tag/%EC%84%9C%EC%9A%B8"), 0);
    cr_assert_str_eq(segs[1], "\xEC\x84\x9C\xEC\x9A\xB8");
    cr_assert_eq(split("/tag/a%20b+c"), 0);
    cr_assert_str_eq(segs[1], "a b+c", "'+' is not a space in a path");
    cr_assert_eq(split("/tag/a%2Fb"), 0);
    cr_assert_eq(nsegs, 2, "an encoded slash stays inside its segment");
    cr_assert_str_eq(segs[1], "a/b");
}

Test(path_split, dot_segments_are_refused)
{
    const char *bad[] = {
        "/..",     "/../etc/passwd",    "/a/../b",   "/a/./b",  "/.",      "/a/..",
        "/a/.",    "/%2e%2e/x",         "/%2E%2E/x", "/.%2e/x", "/%2e./x", "/a/%2e",
        "/a/%2e/", "/static/..%2f/../x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(split(bad[i]), 400, "'%s' was accepted", bad[i]);
}

Test(path_split, malformed_paths_are_refused)
{
    const char *bad[] = {"",       "national", "a/b",        "/a//b",   "//a",
                         "/a/%zz", "/a/%4",    "/a%",        "/%00",    "/a%00b",
                         "/%FF",   "/%C0%AF",  "/%ED%A0%80", "/a/\xFF", "/a/%C3"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_neq(split(bad[i]), 0, "'%s' was accepted", bad[i]);
    cr_assert_eq(split("/a//b"), 400);
    cr_assert_eq(http_path_split(arena, "/a\0b", 4, segs, &nsegs, &trailing), 400,
                 "a raw NUL is refused");
}

Test(path_split, too_many_segments)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < HTTP_MAX_SEGMENTS; i++)
        buf_adds(&b, "/s");
    cr_assert_eq(split(b.p), 0);
    cr_assert_eq(nsegs, HTTP_MAX_SEGMENTS);
    buf_adds(&b, "/s");
    cr_assert_eq(split(b.p), 414);
    cr_assert_leq(nsegs, HTTP_MAX_SEGMENTS);
    buf_release(&b);
}

/* --- routes ------------------------------------------------------------------- */

static struct http_server srv;

static int
handler(struct http_req *r, void *ctx)
{
    (void)r;
    (void)ctx;
    return 200;
}

static void
routes_setup(void)
{
    setup();
    memset(&srv, 0, sizeof(srv));
    http_route(&srv, HTTP_GET, "/", 0, handler, NULL);
    http_route(&srv, HTTP_GET, "/article/:id/:slug", 0, handler, NULL);
    http_route(&srv, HTTP_GET, "/national/", 0, handler, NULL);
    http_route(&srv, HTTP_GET, "/static/*rest", 0, handler, NULL);
    http_route(&srv, HTTP_POST, "/newsroom/article/:id", 0, handler, NULL);
}

static void
routes_teardown(void)
{
    for (size_t i = 0; i < srv.nroutes; i++)
        http_route_free(&srv.routes[i]);
    free(srv.routes);
    teardown();
}

/* Matches path against route i, filling req's params. */
static bool
match(size_t i, const char *path, struct http_req *req)
{
    cr_assert_eq(split(path), 0, "'%s' did not split", path);
    if (req) {
        memset(req, 0, sizeof(*req));
        req->arena = arena;
    }
    return http_route_match(&srv.routes[i], segs, nsegs, trailing, req);
}

static const char *
param(const struct http_req *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->param_names[i], name) == 0)
            return r->param_values[i];
    return NULL;
}

TestSuite(route, .init = routes_setup, .fini = routes_teardown);

Test(route, methods_include_head_for_get)
{
    cr_assert_eq(srv.routes[0].methods, HTTP_GET | HTTP_HEAD);
    cr_assert_eq(srv.routes[4].methods, HTTP_POST);
}

Test(route, root_matches_only_root)
{
    cr_assert(match(0, "/", NULL));
    cr_assert_not(match(0, "/national/", NULL));
    cr_assert_not(match(0, "/x", NULL));
}

Test(route, params)
{
    struct http_req r;
    cr_assert(match(1, "/article/12/budget-passes", &r));
    cr_assert_eq(r.nparams, 2);
    cr_assert_str_eq(param(&r, "id"), "12");
    cr_assert_str_eq(param(&r, "slug"), "budget-passes");
    cr_assert(match(1, "/article/7/%EC%84%9C%EC%9A%B8", &r));
    cr_assert_str_eq(param(&r, "slug"), "\xEC\x84\x9C\xEC\x9A\xB8", "params are decoded");
    cr_assert_not(match(1, "/article/12", &r), "too few segments");
    cr_assert_not(match(1, "/article/12/slug/print", &r), "too many segments");
    cr_assert_not(match(1, "/article/12/slug/", &r), "a trailing slash the route lacks");
    cr_assert_not(match(1, "/Article/12/slug", &r), "literals are case-sensitive");
    cr_assert_not(match(1, "/articles/12/slug", &r));
}

Test(route, trailing_slash_is_significant)
{
    cr_assert(match(2, "/national/", NULL));
    cr_assert_not(match(2, "/national", NULL));
    cr_assert_not(match(2, "/national/politics/", NULL));
}

Test(route, rest_takes_the_remaining_path)
{
    struct http_req r;
    cr_assert(match(3, "/static/css/site.css", &r));
    cr_assert_str_eq(param(&r, "rest"), "css/site.css");
    cr_assert(match(3, "/static/a", &r));
    cr_assert_str_eq(param(&r, "rest"), "a");
    cr_assert(match(3, "/static/", &r));
    cr_assert_str_eq(param(&r, "rest"), "");
    cr_assert_not(match(3, "/other/css/site.css", &r));
}

Test(route, match_without_request_has_no_side_effects)
{
    cr_assert(match(1, "/article/1/x", NULL));
    cr_assert(match(3, "/static/x/y", NULL));
}
