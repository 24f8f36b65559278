/*
 * libFuzzer target for request paths: http_path_split on arbitrary bytes,
 * then the split segments against the paper's route patterns. Accepted
 * segments must be non-empty UTF-8 without NUL and never a dot segment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            die("fuzz_path: %s:%d: %s", __FILE__, __LINE__, #cond);                                \
    } while (0)

static struct http_server srv;

static int
handler(struct http_req *r, void *ctx)
{
    (void)r;
    (void)ctx;
    return 200;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *patterns[] = {"/",
                                     "/article/:id/:slug/print",
                                     "/article/:id/:slug",
                                     "/article/:id",
                                     "/author/:slug",
                                     "/tag/:slug",
                                     "/national/",
                                     "/static/*rest",
                                     "/*path"};
    for (size_t i = 0; i < ARRAY_SIZE(patterns); i++)
        http_route(&srv, HTTP_GET, patterns[i], 0, handler, NULL);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    struct arena *a = arena_new();
    char *segs[HTTP_MAX_SEGMENTS];
    size_t nsegs = 0;
    bool trailing = false;
    int st = http_path_split(a, (const char *)data, size, segs, &nsegs, &trailing);
    CHECK(st == 0 || st == 400 || st == 414);
    CHECK(nsegs <= HTTP_MAX_SEGMENTS);
    if (st == 0) {
        CHECK(size > 0 && data[0] == '/');
        CHECK(memchr(data, '\0', size) == NULL);
        for (size_t i = 0; i < nsegs; i++) {
            size_t n = strlen(segs[i]);
            CHECK(n > 0);
            CHECK(utf8_valid(segs[i], n));
            CHECK(strcmp(segs[i], ".") != 0 && strcmp(segs[i], "..") != 0);
        }
        struct http_req r;
        memset(&r, 0, sizeof(r));
        r.arena = a;
        bool any = false;
        for (size_t i = 0; i < srv.nroutes; i++) {
            bool m = http_route_match(&srv.routes[i], segs, nsegs, trailing, NULL);
            CHECK(m == http_route_match(&srv.routes[i], segs, nsegs, trailing, &r));
            CHECK(r.nparams <= HTTP_MAX_PARAMS);
            any |= m;
        }
        CHECK(any); /* "/ *path" catches everything */
    }
    arena_free(a);
    return 0;
}
