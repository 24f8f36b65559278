/*
 * From an H2O request to a handler and back: the page cache's fast path,
 * validation of path, query and body, routing (404, 405 with Allow), the
 * handler, then the one place that turns a status into a response: error
 * pages, security headers, caching headers, the page cache.
 */
#include "http/http_int.h"

#include <string.h>
#include <strings.h>

#define MAX_PATH_BYTES 2048
#define MAX_HEADER_BYTES (32 * 1024)
#define CACHE_KEY_MAX (4 * MAX_PATH_BYTES) /* the longest path prepare() accepts */

struct method_name {
    const char *name;
    unsigned bit;
};

static const struct method_name methods[] = {
    {"GET", HTTP_GET},     {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
    {"PUT", HTTP_PUT},     {"DELETE", HTTP_DELETE}, {"PATCH", HTTP_PATCH},
};

static unsigned
method_bit(h2o_iovec_t m)
{
    for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
        if (h2o_memis(m.base, m.len, methods[i].name, strlen(methods[i].name)))
            return methods[i].bit;
    return 0;
}

static void
add_header(h2o_req_t *req, const char *name, const char *value, size_t vlen)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, value, vlen);
}

static void
add_headers(h2o_req_t *req, const char *name, const char *value)
{
    add_header(req, name, value, strlen(value));
}

void
http_add_security_headers(struct http_server *s, h2o_req_t *req)
{
    add_headers(req, "content-security-policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                "form-action 'self'; frame-ancestors 'none'");
    add_headers(req, "x-content-type-options", "nosniff");
    add_headers(req, "referrer-policy", "strict-origin-when-cross-origin");
    add_headers(req, "x-frame-options", "DENY");
    if (s->cfg.behind_tls)
        add_headers(req, "strict-transport-security", "max-age=31536000; includeSubDomains");
}

static bool
accepts_gzip(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_ENCODING, -1);
    if (i < 0)
        return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    return memmem(v.base, v.len, "gzip", 4) != NULL;
}

static bool
etag_matches(h2o_req_t *req, const char *etag)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
    if (i < 0)
        return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    return memmem(v.base, v.len, etag, strlen(etag)) != NULL ||
           h2o_memis(v.base, v.len, H2O_STRLIT("*"));
}

static bool
is_head(h2o_req_t *req)
{
    return h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
}

/* Sends len bytes at body, which must live until the request's pool is
 * cleared; the body is left out for HEAD and 304. */
static void
send_bytes(h2o_req_t *req, int status, const char *body, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.status = status;
    req->res.reason = http_status_text(status);
    bool nobody = is_head(req) || status == 304 || status == 204;
    req->res.content_length = status == 304 || status == 204 ? SIZE_MAX : len;
    h2o_start_response(req, &generator);
    h2o_iovec_t iov = h2o_iovec_init(body, len);
    h2o_send(req, nobody ? NULL : &iov, nobody ? 0 : 1, H2O_SEND_STATE_FINAL);
}

struct entry_hold {
    struct http_cache_entry *e;
};

static void
entry_release(void *p)
{
    http_cache_unref(((struct entry_hold *)p)->e);
}

/* Takes over the caller's reference to e. */
static void
send_entry(struct http_server *s, h2o_req_t *req, struct http_cache_entry *e)
{
    struct entry_hold *hold = h2o_mem_alloc_shared(&req->pool, sizeof(*hold), entry_release);
    hold->e = e;
    http_add_security_headers(s, req);
    add_headers(req, "content-type", e->type);
    add_headers(req, "etag", e->etag);
    add_headers(req, "vary", "Accept-Encoding");
    add_headers(req, "cache-control", e->cache_control);
    add_headers(req, "xkey", e->xkey);
    add_headers(req, "surrogate-key", e->xkey);
    if (etag_matches(req, e->etag)) {
        send_bytes(req, 304, "", 0);
        return;
    }
    if (e->gz && accepts_gzip(req)) {
        add_headers(req, "content-encoding", "gzip");
        send_bytes(req, 200, e->gz, e->gzlen);
        return;
    }
    send_bytes(req, 200, e->body, e->len);
}

/* Query parameters that only tell analytics where a reader came from; no
 * page reads them. */
static bool
tracking_param(const char *p, size_t n)
{
    static const char *const names[] = {"fbclid", "gclid",  "dclid", "gbraid", "wbraid",
                                        "msclkid", "twclid", "yclid", "igshid", "mc_cid",
                                        "mc_eid", "_ga",    "_gl"};
    const char *eq = memchr(p, '=', n);
    size_t len = eq ? (size_t)(eq - p) : n;
    if (len > 4 && memcmp(p, "utm_", 4) == 0)
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strlen(names[i]) == len && memcmp(p, names[i], len) == 0)
            return true;
    return false;
}

h2o_iovec_t
http_cache_key(h2o_iovec_t path, char *out, size_t cap)
{
    const char *q = memchr(path.base, '?', path.len);
    if (q == NULL || path.len > cap)
        return path;
    size_t n = (size_t)(q - path.base);
    memcpy(out, path.base, n);
    const char *end = path.base + path.len;
    bool first = true;
    for (const char *p = q + 1; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
        if (len && !tracking_param(p, len)) {
            out[n++] = first ? '?' : '&';
            memcpy(out + n, p, len);
            n += len;
            first = false;
        }
        p += len + 1;
    }
    return h2o_iovec_init(out, n);
}

/* The request is over: its response was sent, or its client went away.
 * A job still out keeps the arena (http.h); its completion frees it. */
static void
req_dispose(void *p)
{
    struct http_req *r = p;
    buf_release(&r->body);
    if (r->deferred)
        http_defer_orphan(r->deferred);
    else
        arena_free(r->arena);
}

struct http_req *
http_req_new(struct http_server *s, h2o_req_t *req)
{
    struct http_req *r = h2o_mem_alloc_shared(&req->pool, sizeof(*r), req_dispose);
    memset(r, 0, sizeof(*r));
    r->h2o = req;
    r->srv = s;
    r->arena = arena_new();
    r->method = method_bit(req->method);
    r->cache_gen = http_cache_generation(s->cache);
    buf_init(&r->body, 64u << 20);
    return r;
}

static int
header_bytes(h2o_req_t *req)
{
    size_t total = 0;
    for (size_t i = 0; i < req->headers.size; i++)
        total += req->headers.entries[i].name->len + req->headers.entries[i].value.len + 4;
    return total > MAX_HEADER_BYTES ? 431 : 0;
}

/* Splits path and query, decodes and checks them, and finds the route.
 * Returns 0 with *route set, or the status to answer with. */
static int
prepare(struct http_req *r, const struct http_route **route, unsigned *allow)
{
    h2o_req_t *req = r->h2o;
    struct http_server *s = r->srv;
    int st = header_bytes(req);
    if (st)
        return http_error(r, st, "the request headers are too large");
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (plen > MAX_PATH_BYTES || req->path.len > 4 * MAX_PATH_BYTES)
        return http_error(r, 414, "the address is too long");
    r->path = arena_strndup(r->arena, req->path.base, plen);
    r->query_string = req->query_at != SIZE_MAX
                          ? arena_strndup(r->arena, req->path.base + plen + 1, req->path.len - plen - 1)
                          : arena_strdup(r->arena, "");
    if (memchr(req->path.base, '\0', req->path.len))
        return http_error(r, 400, "the address contains a NUL byte");
    char *segs[HTTP_MAX_SEGMENTS];
    size_t nsegs;
    bool trailing;
    st = http_path_split(r->arena, r->path, plen, segs, &nsegs, &trailing);
    if (st)
        return http_error(r, st, "the address is malformed");
    enum form_status fs = form_parse(r->arena, r->query_string, strlen(r->query_string),
                                     HTTP_MAX_FIELDS, &r->query);
    if (fs != FORM_OK)
        return http_error(r, 400, form_error_text(fs));
    *allow = 0;
    for (size_t i = 0; i < s->nroutes; i++) {
        const struct http_route *rt = &s->routes[i];
        if (!http_route_match(rt, segs, nsegs, trailing, NULL))
            continue;
        *allow |= rt->methods;
        if (!(rt->methods & r->method) || *route)
            continue;
        *route = rt;
        http_route_match(rt, segs, nsegs, trailing, r);
    }
    /* a method we do not know matches no route: 405 with what the address allows */
    if (*route == NULL)
        return *allow ? http_error(r, 405, "this method is not allowed here")
                      : http_error(r, 404, NULL);
    return 0;
}

static int
read_body(struct http_req *r, const struct http_route *rt)
{
    h2o_iovec_t e = r->h2o->entity;
    if (e.base == NULL)
        return 0;
    size_t max = rt->flags & HTTP_ROUTE_UPLOAD ? r->srv->cfg.max_upload : r->srv->cfg.max_body;
    if (e.len > max)
        return http_error(r, 413, "the request body is too large");
    if (rt->flags & HTTP_ROUTE_RAWBODY)
        return 0;
    const char *type = http_header(r, "content-type");
    if (type && strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0) {
        enum form_status fs = form_parse(r->arena, e.base, e.len, HTTP_MAX_FIELDS, &r->form);
        if (fs != FORM_OK)
            return http_error(r, 400, form_error_text(fs));
    } else if (type && (rt->flags & HTTP_ROUTE_UPLOAD) &&
               strncasecmp(type, "multipart/form-data", 19) == 0) {
        const char *why = NULL;
        if (http_multipart_parse(r->arena, type, e.base, e.len, &r->form, &r->files, &r->nfiles,
                                 &why) != 0)
            return http_error(r, 400, why);
    }
    return 0;
}

static void
allow_header(struct http_req *r, unsigned allow)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
        if (allow & methods[i].bit)
            buf_addf(&b, "%s%s", b.len ? ", " : "", methods[i].name);
    http_set_header(r, "allow", b.p ? b.p : "");
    buf_release(&b);
}

static void
respond(struct http_req *r, int status, const struct http_route *rt)
{
    h2o_req_t *req = r->h2o;
    struct http_server *s = r->srv;
    if (status < 100 || status > 599) {
        log_error("http: handler for '%s' returned status %d", r->path, status);
        status = 500;
    }
    if (status >= 400 && r->body.len == 0) {
        buf_reset(&r->body);
        r->content_type = NULL;
        if (s->error_fn)
            s->error_fn(r, status, r->message, s->error_ctx);
        if (r->body.len == 0 || r->body.overflow) {
            buf_reset(&r->body);
            buf_addf(&r->body, "%d %s\n%s\n", status, http_status_text(status),
                     r->message ? r->message : "");
            r->content_type = "text/plain; charset=utf-8";
        }
    }
    const char *type = r->content_type ? r->content_type : "text/html; charset=utf-8";
    if (status == 200 && r->cacheable && rt && (rt->flags & HTTP_ROUTE_CACHE) && r->cache_key &&
        !r->no_store) {
        const char *keys[64];
        size_t n = 0;
        keys[n++] = "all";
        for (size_t i = 0; i < r->nkeys && n < ARRAY_SIZE(keys); i++)
            keys[n++] = r->keys[i];
        const char *cc = arena_printf(
            r->arena, "public, max-age=60, s-maxage=%d, stale-while-revalidate=30", r->max_age);
        struct http_cache_entry *e =
            http_cache_put(s->cache, r->cache_gen, r->cache_key, type, cc, r->body.p ? r->body.p : "", r->body.len,
                           r->max_age, keys, n);
        for (size_t i = 0; i < r->nheaders; i++)
            add_headers(req, r->headers[i].name, r->headers[i].value);
        send_entry(s, req, e);
        return;
    }
    http_add_security_headers(s, req);
    add_headers(req, "content-type", type);
    add_headers(req, "cache-control", r->no_store || r->method & ~(HTTP_GET | HTTP_HEAD) || status >= 400
                                          ? "no-store"
                                          : "private, no-cache");
    for (size_t i = 0; i < r->nheaders; i++)
        add_headers(req, r->headers[i].name, r->headers[i].value);
    send_bytes(req, status, r->body.p ? r->body.p : "", r->body.len);
}

int
http_on_req(h2o_handler_t *self, h2o_req_t *req)
{
    struct http_server *s = *(struct http_server **)(self + 1);
    unsigned m = method_bit(req->method);
    /* the page cache's key, found once for the lookup and for keeping the page */
    char kbuf[CACHE_KEY_MAX];
    h2o_iovec_t key = {NULL, 0};
    if (m & (HTTP_GET | HTTP_HEAD))
        key = http_cache_key(req->path, kbuf, sizeof(kbuf));
    /* the fast path only for requests within the limits prepare() and
     * read_body() enforce: no body, headers under the cap */
    if (key.base && req->entity.base == NULL && header_bytes(req) == 0) {
        struct http_cache_entry *e = http_cache_get(s->cache, key.base, key.len);
        if (e) {
            send_entry(s, req, e);
            return 0;
        }
    }
    struct http_req *r = http_req_new(s, req);
    if (key.base)
        r->cache_key = arena_strndup(r->arena, key.base, key.len);
    const struct http_route *rt = NULL;
    unsigned allow = 0;
    int status = prepare(r, &rt, &allow);
    if (status == 405)
        allow_header(r, allow);
    if (status == 0)
        status = read_body(r, rt);
    if (status == 0 && (m & ~(HTTP_GET | HTTP_HEAD)) && !(rt->flags & HTTP_ROUTE_NO_CSRF))
        status = http_csrf_check(r);
    r->route = rt;
    if (status == 0)
        status = rt->fn(r, rt->ctx);
    http_respond(r, status);
    return 0;
}

void
http_respond(struct http_req *r, int status)
{
    if (r->deferred) {
        /* the job's completion answers */
        if (status != HTTP_DEFERRED)
            log_error("http: handler for '%s' deferred a job but returned %d", r->path, status);
        return;
    }
    if (status == HTTP_DEFERRED) {
        log_error("http: handler for '%s' returned HTTP_DEFERRED without a job", r->path);
        status = 500;
    }
    respond(r, status, r->route);
}
