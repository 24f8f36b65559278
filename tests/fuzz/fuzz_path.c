/*
 * libFuzzer target for request paths: http_path_split on arbitrary bytes,
 * then the split segments against the paper's route patterns. Accepted
 * segments must be non-empty UTF-8 without NUL and never a dot segment.
 * The same bytes as a path with a query go through the page cache's key:
 * never longer, the path kept, no tracking parameter left, and stable.
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
    char key[4096], again[4096];
    h2o_iovec_t k = http_cache_key(h2o_iovec_init(data, size), key, sizeof(key));
    CHECK(k.len <= size);
    const char *q = memchr(data, '?', size);
    size_t plen = q ? (size_t)(q - (const char *)data) : size;
    CHECK(k.len >= plen && memcmp(k.base, data, plen) == 0);
    CHECK(k.len == plen || k.base[plen] == '?');
    const char *kq = k.base + plen; /* the key's query, "" or "?..." */
    size_t kqlen = k.len - plen;
    CHECK(!(kqlen >= 8 && memcmp(kq, "?fbclid=", 8) == 0) && memmem(kq, kqlen, "&fbclid=", 8) == NULL);
    CHECK(!(kqlen >= 12 && memcmp(kq, "?utm_source=", 12) == 0) &&
          memmem(kq, kqlen, "&utm_source=", 12) == NULL);
    h2o_iovec_t k2 = http_cache_key(k, again, sizeof(again));
    CHECK(k2.len == k.len && memcmp(k2.base, k.base, k.len) == 0);
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
