/*
 * What a handler reads from a request and writes to its response.
 */
#include "http/http_int.h"

#include <arpa/inet.h>
#include <string.h>

unsigned
http_method(const struct http_req *r)
{
    return r->method;
}

const char *
http_method_name(const struct http_req *r)
{
    return arena_strndup(r->arena, r->h2o->method.base, r->h2o->method.len);
}

const char *
http_path(const struct http_req *r)
{
    return r->path;
}

const char *
http_query_string(const struct http_req *r)
{
    return r->query_string;
}

const char *
http_param(const struct http_req *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->param_names[i], name) == 0)
            return r->param_values[i];
    return NULL;
}

const char *
http_query(const struct http_req *r, const char *name)
{
    return form_get(&r->query, name);
}

const char *
http_form(const struct http_req *r, const char *name)
{
    return form_get(&r->form, name);
}

const struct form *
http_form_all(const struct http_req *r)
{
    return &r->form;
}

const struct http_file *
http_file(const struct http_req *r, const char *name)
{
    for (size_t i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i].name, name) == 0)
            return &r->files[i];
    return NULL;
}

struct str
http_body_raw(const struct http_req *r)
{
    h2o_iovec_t e = r->h2o->entity;
    return (struct str){e.base ? e.base : "", e.base ? e.len : 0};
}

const char *
http_header(const struct http_req *r, const char *name)
{
    ssize_t i = h2o_find_header_by_str(&r->h2o->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = r->h2o->headers.entries[i].value;
    return arena_strndup(r->arena, v.base, v.len);
}

/* Cookie: a=1; b=2 -- names and values are taken as they are (no decoding). */
static void
parse_cookies(struct http_req *r)
{
    r->cookies_parsed = true;
    const char *h = http_header(r, "cookie");
    if (h == NULL)
        return;
    size_t cap = 0;
    while (*h) {
        while (*h == ' ' || *h == ';')
            h++;
        const char *end = strchr(h, ';');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        const char *eq = memchr(h, '=', len);
        if (eq && r->cookies.count < 64) {
            if (r->cookies.count == cap) {
                cap = cap ? cap * 2 : 8;
                struct form_field *nf = arena_alloc(r->arena, cap * sizeof(*nf));
                if (r->cookies.count)
                    memcpy(nf, r->cookies.fields, r->cookies.count * sizeof(*nf));
                r->cookies.fields = nf;
            }
            struct form_field *f = &r->cookies.fields[r->cookies.count++];
            f->name = arena_strndup(r->arena, h, (size_t)(eq - h));
            f->value = arena_strndup(r->arena, eq + 1, (size_t)(h + len - eq - 1));
            f->value_len = strlen(f->value);
        }
        h += len;
    }
}

const char *
http_cookie(const struct http_req *r, const char *name)
{
    struct http_req *m = (struct http_req *)r;
    if (!m->cookies_parsed)
        parse_cookies(m);
    return form_get(&m->cookies, name);
}

const char *
http_peer(const struct http_req *r)
{
    struct http_req *m = (struct http_req *)r;
    if (m->peer)
        return m->peer;
    if (r->srv->cfg.trust_proxy) {
        const char *xff = http_header(r, "x-forwarded-for");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            m->peer = arena_strdup(r->arena, last);
            return m->peer;
        }
    }
    struct sockaddr_storage ss;
    socklen_t len = r->h2o->conn->callbacks->get_peername(r->h2o->conn, (struct sockaddr *)&ss);
    char text[INET6_ADDRSTRLEN] = "unknown";
    if (len && ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, text, sizeof(text));
    else if (len && ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, text, sizeof(text));
    m->peer = arena_strdup(r->arena, text);
    return m->peer;
}

struct arena *
http_arena(const struct http_req *r)
{
    return r->arena;
}

struct http_server *
http_server_of(const struct http_req *r)
{
    return r->srv;
}

bool
http_behind_tls(const struct http_req *r)
{
    return r->srv->cfg.behind_tls;
}

const char *
http_origin(const struct http_req *r)
{
    struct http_req *m = (struct http_req *)r;
    if (m->origin)
        return m->origin;
    h2o_iovec_t auth = r->h2o->authority;
    bool ok = auth.len > 0 && auth.len < 256;
    for (size_t i = 0; ok && i < auth.len; i++) {
        char c = auth.base[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    }
    m->origin = ok ? arena_printf(r->arena, "%s://%.*s", r->srv->cfg.behind_tls ? "https" : "http",
                                  (int)auth.len, auth.base)
                   : arena_printf(r->arena, "http://%s:%d", r->srv->cfg.host, r->srv->cfg.port);
    return m->origin;
}

struct buf *
http_body(struct http_req *r)
{
    return &r->body;
}

void
http_set_type(struct http_req *r, const char *content_type)
{
    r->content_type = content_type;
}

void
http_set_header(struct http_req *r, const char *name, const char *value)
{
    for (size_t i = 0; i < r->nheaders; i++) {
        if (strcmp(r->headers[i].name, name) == 0 && strcmp(name, "set-cookie") != 0) {
            r->headers[i].value = arena_strdup(r->arena, value);
            return;
        }
    }
    if (r->nheaders == HTTP_MAX_RESP_HEADERS) {
        log_error("http: too many response headers; dropped '%s'", name);
        return;
    }
    r->headers[r->nheaders].name = arena_strdup(r->arena, name);
    r->headers[r->nheaders].value = arena_strdup(r->arena, value);
    r->nheaders++;
}

void
http_set_cookie(struct http_req *r, const char *name, const char *value, long max_age,
                unsigned flags)
{
    char *v = arena_printf(r->arena, "%s=%s; Path=/; SameSite=%s%s%s", name, max_age < 0 ? "" : value,
                           flags & HTTP_COOKIE_STRICT ? "Strict" : "Lax",
                           flags & HTTP_COOKIE_HTTPONLY ? "; HttpOnly" : "",
                           r->srv->cfg.behind_tls ? "; Secure" : "");
    if (max_age != 0)
        v = arena_printf(r->arena, "%s; Max-Age=%ld", v, max_age < 0 ? 0L : max_age);
    http_set_header(r, "set-cookie", v);
}

int
http_redirect(struct http_req *r, int status, const char *location)
{
    http_set_header(r, "location", location);
    return status;
}

int
http_error(struct http_req *r, int status, const char *message)
{
    r->message = message ? arena_strdup(r->arena, message) : NULL;
    return status;
}

void
http_cache_page(struct http_req *r, int max_age, const char *const *keys, size_t nkeys)
{
    r->cacheable = true;
    r->max_age = max_age;
    r->keys = keys;
    r->nkeys = nkeys;
}

void
http_no_store(struct http_req *r)
{
    r->no_store = true;
}

const char *
http_status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 400 ? "OK" : "Error";
    }
}
