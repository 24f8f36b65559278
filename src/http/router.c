/*
 * Routes: patterns of literal segments, ":name" (one segment) and "*name"
 * (the rest). Paths are split on '/', each segment percent-decoded and
 * checked: bad escapes, NUL, invalid UTF-8 and dot segments are refused.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

void
http_route_free(struct http_route *rt)
{
    for (size_t i = 0; i < rt->nsegs; i++)
        free(rt->segs[i]);
    free(rt->segs);
    free(rt->pattern);
}

void
http_route(struct http_server *s, unsigned methods, const char *pattern, unsigned flags,
           http_handler_fn fn, void *ctx)
{
    if (pattern[0] != '/')
        die("route pattern '%s' must start with '/'", pattern);
    s->routes = xrealloc(s->routes, (s->nroutes + 1) * sizeof(*s->routes));
    struct http_route *rt = &s->routes[s->nroutes++];
    memset(rt, 0, sizeof(*rt));
    rt->methods = methods & HTTP_GET ? methods | HTTP_HEAD : methods;
    rt->flags = flags;
    rt->pattern = xstrdup(pattern);
    rt->fn = fn;
    rt->ctx = ctx;
    size_t n = strlen(pattern);
    rt->trailing_slash = n > 1 && pattern[n - 1] == '/';
    const char *p = pattern + 1;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len) {
            rt->segs = xrealloc(rt->segs, (rt->nsegs + 1) * sizeof(char *));
            rt->segs[rt->nsegs++] = xstrndup(p, len);
        }
        p += len + (slash ? 1 : 0);
    }
}

int
http_path_split(struct arena *a, const char *path, size_t n, char **segs, size_t *nsegs,
                bool *trailing)
{
    *nsegs = 0;
    if (n == 0 || path[0] != '/')
        return 400;
    *trailing = n > 1 && path[n - 1] == '/';
    size_t i = 1;
    while (i < n) {
        const char *slash = memchr(path + i, '/', n - i);
        size_t end = slash ? (size_t)(slash - path) : n;
        if (end == i) {
            if (slash && end + 1 < n)
                return 400; /* an empty segment inside the path: "//" */
            i = end + 1;
            continue;
        }
        if (*nsegs == HTTP_MAX_SEGMENTS)
            return 414;
        struct buf b = BUF_INIT;
        int bad = url_decode(path + i, end - i, false, &b);
        if (bad || !utf8_valid(b.p, b.len) || strcmp(b.p, ".") == 0 || strcmp(b.p, "..") == 0) {
            buf_release(&b);
            return 400;
        }
        segs[(*nsegs)++] = arena_strndup(a, b.p, b.len);
        buf_release(&b);
        i = end + 1;
    }
    return 0;
}

bool
http_route_match(const struct http_route *rt, char **segs, size_t nsegs, bool trailing,
                 struct http_req *r)
{
    size_t nparams = 0;
    for (size_t i = 0; i < rt->nsegs; i++) {
        const char *pat = rt->segs[i];
        if (pat[0] == '*') {
            struct buf b = BUF_INIT;
            for (size_t k = i; k < nsegs; k++) {
                if (k > i)
                    buf_addch(&b, '/');
                buf_adds(&b, segs[k]);
            }
            if (r && nparams < HTTP_MAX_PARAMS) {
                r->param_names[nparams] = pat + 1;
                r->param_values[nparams++] = arena_strndup(r->arena, b.p ? b.p : "", b.len);
                r->nparams = nparams;
            }
            buf_release(&b);
            return true;
        }
        if (i >= nsegs)
            return false;
        if (pat[0] == ':') {
            if (r && nparams < HTTP_MAX_PARAMS) {
                r->param_names[nparams] = pat + 1;
                r->param_values[nparams++] = segs[i];
            }
        } else if (strcmp(pat, segs[i]) != 0) {
            return false;
        }
    }
    if (nsegs != rt->nsegs)
        return false;
    /* "/" matches only "/"; otherwise the trailing slash must agree */
    if (rt->nsegs > 0 && trailing != rt->trailing_slash)
        return false;
    if (r)
        r->nparams = nparams;
    return true;
}
