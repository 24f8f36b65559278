/*
 * CSRF protection for every state-changing request: a random token in a
 * cookie, echoed by the page in a form field or header (double submit),
 * compared in constant time; plus the Origin header when the browser sends
 * one. Cached public pages never embed a token: a form on them fetches one
 * from a private endpoint or posts from a private page.
 */
#include "http/http_int.h"

#include <sodium.h>
#include <string.h>

#define CSRF_BYTES 16

static bool
token_ok(const char *t)
{
    if (t == NULL || strlen(t) != CSRF_BYTES * 2)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* Behind TLS the cookie is host-only and Secure by its name's prefix, so a
 * sibling subdomain cannot plant one. */
static const char *
csrf_cookie(const struct http_req *r)
{
    return http_behind_tls(r) ? "__Host-bs_csrf" : "bs_csrf";
}

const char *
http_csrf_rotate(struct http_req *r)
{
    char fresh[CSRF_BYTES * 2 + 1];
    random_hex(fresh, CSRF_BYTES);
    const char *t = arena_strdup(r->arena, fresh);
    http_set_cookie(r, csrf_cookie(r), t, 0, HTTP_COOKIE_HTTPONLY);
    r->csrf = t;
    return t;
}

const char *
http_csrf_token(struct http_req *r)
{
    if (r->csrf)
        return r->csrf;
    const char *t = http_cookie(r, csrf_cookie(r));
    if (!token_ok(t))
        return http_csrf_rotate(r);
    r->csrf = t;
    return t;
}

/* The Origin header, when present, must be this server's. */
static bool
origin_ok(struct http_req *r)
{
    const char *origin = http_header(r, "origin");
    if (origin == NULL)
        return true;
    return strcmp(origin, http_origin(r)) == 0;
}

int
http_csrf_check(struct http_req *r)
{
    if (!origin_ok(r))
        return http_error(r, 403, "this form was sent from another site");
    const char *cookie = http_cookie(r, csrf_cookie(r));
    const char *sent = http_form(r, "csrf");
    if (sent == NULL)
        sent = http_header(r, "x-csrf-token");
    if (!token_ok(cookie) || !token_ok(sent) ||
        sodium_memcmp(cookie, sent, CSRF_BYTES * 2) != 0)
        return http_error(r, 403,
                          "the form's security token is missing or expired; reload the page "
                          "and try again");
    return 0;
}

void
http_routes_visit(struct http_server *s, http_route_visit_fn fn, void *ctx)
{
    for (size_t i = 0; i < s->nroutes; i++)
        fn(s->routes[i].methods, s->routes[i].pattern, s->routes[i].flags, ctx);
}
