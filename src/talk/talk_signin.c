/*
 * Sign-in pages: the chooser, the redirect to a provider, its callback,
 * the demo provider, and signing out.
 *
 * /signin/<provider> stores a flow (state, nonce, PKCE verifier, where to
 * return) and sets a short HttpOnly cookie holding the state, then
 * redirects. The callback must bring the same state as the cookie (the
 * sign-in was started in this browser) and as a stored flow, which is
 * taken once: a replayed or forged callback finds nothing.
 *
 * Every call to a provider (discovery, token, JWKS, profile) blocks for up
 * to its timeout, so signin_begin and signin_complete run on the server's
 * worker pool (http_defer); the pages are made back on the loop thread.
 */
#include "talk/talk_int.h"

#include <stdlib.h>
#include <string.h>

static char *
redirect_uri(struct talk *t, struct http_req *r, const char *provider)
{
    return arena_printf(http_arena(r), "%s/signin/%s/callback", t->site->cfg.base_url, provider);
}

static int
chooser(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    const char *ret = talk_return_path(r, http_query(r, "return"));
    json_t *data = talk_page(t, r, "Sign in to comment", "/signin");
    json_object_set_new(data, "providers", talk_providers_json(t, r, ret));
    json_object_set_new(data, "return", json_string(ret));
    return talk_render(t, r, 200, "signin.html", data);
}

/* The request came to a loopback address (the demo provider's condition). */
static bool
demo_here(struct talk *t, struct http_req *r)
{
    if (!t->demo_signin)
        return false;
    const char *o = http_origin(r);
    return strncmp(o, "http://127.0.0.1:", 17) == 0 || strncmp(o, "http://localhost:", 17) == 0 ||
           strncmp(o, "http://[::1]:", 13) == 0;
}

static int
demo_form(struct talk *t, struct http_req *r, const char *ret, const char *error)
{
    json_t *data = talk_page(t, r, "Sign in with a demo account", "/signin/demo");
    json_object_set_new(data, "return", json_string(ret));
    json_object_set_new(data, "csrf", json_string(http_csrf_token(r)));
    json_object_set_new(data, "error", json_string(error ? error : ""));
    return talk_render(t, r, error ? 422 : 200, "signin_demo.html", data);
}

/* Beginning a sign-in may fetch the provider's discovery document (when
 * not cached): on a worker (http_defer), like every call to a provider. */
struct start_job {
    struct talk *t;
    const struct signin_provider *p;
    const char *redirect_uri;
    const char *ret;
    struct signin_start s;
    int rc;
    char err[256];
};

static void
start_work(void *p)
{
    struct start_job *j = p;
    j->rc = signin_begin(j->t->signin, j->p, j->redirect_uri, &j->s, j->err, sizeof(j->err));
}

static int
start_done(struct http_req *r, void *p)
{
    struct start_job *j = p;
    struct talk *t = j->t;
    if (j->rc != 0) {
        log_warn("signin: cannot start with '%s': %s", j->p->name, j->err);
        return talk_message(t, r, 502, "Sign-in is unavailable",
                            "We could not reach the sign-in service. Please try again later or "
                            "choose another account.",
                            j->ret);
    }
    struct signin_start *s = &j->s;
    struct store_signin_flow f = {.state = s->state,
                                  .provider = j->p->name,
                                  .verifier = s->verifier,
                                  .nonce = s->nonce,
                                  .return_to = (char *)j->ret,
                                  .created_at = time_now()};
    int st = store_call(t->site->store, signin_flow_add, &f);
    char *url = arena_strdup(http_arena(r), s->url);
    if (st != STORE_OK)
        return http_error(r, 503, NULL);
    http_no_store(r);
    http_set_cookie(r, TALK_SIGNIN_COOKIE, s->state, TALK_FLOW_SECONDS, HTTP_COOKIE_HTTPONLY);
    return http_redirect(r, 302, url);
}

static void
start_job_free(void *p)
{
    struct start_job *j = p;
    free(j->s.url);
    j->s.url = NULL;
}

static int
start(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    const char *name = http_param(r, "provider");
    const char *ret = talk_return_path(r, http_query(r, "return"));
    if (strcmp(name, "demo") == 0 && demo_here(t, r))
        return demo_form(t, r, ret, NULL);
    const struct signin_provider *p = t->signin ? signin_provider_find(t->signin, name) : NULL;
    if (p == NULL)
        return http_error(r, 404, "there is no such sign-in provider");
    struct start_job *j = arena_zalloc(http_arena(r), sizeof(*j));
    j->t = t;
    j->p = p;
    j->redirect_uri = redirect_uri(t, r, p->name);
    j->ret = ret;
    return http_defer(r, start_work, start_done, start_job_free, j);
}

static int
refuse(struct talk *t, struct http_req *r, const char *why)
{
    log_info("signin: refused a callback: %s", why);
    http_set_cookie(r, TALK_SIGNIN_COOKIE, "", -1, HTTP_COOKIE_HTTPONLY);
    return talk_message(t, r, 400, "Sign-in did not work", why, "/signin");
}

/* The state must match this browser's cookie and a stored, unused flow. */
static int
take_flow(struct talk *t, struct http_req *r, const char *provider, struct store_signin_flow *f)
{
    const char *state = http_query(r, "state");
    const char *cookie = http_cookie(r, TALK_SIGNIN_COOKIE);
    if (state == NULL || state[0] == '\0' || strlen(state) > 128)
        return refuse(t, r, "The answer from the sign-in service was incomplete. Please start "
                            "again.");
    if (!signin_str_eq(state, cookie))
        return refuse(t, r, "This sign-in was not started in this browser, or it expired. "
                            "Please start again.");
    int st = store_call(t->site->store, signin_flow_take, state, time_now() - TALK_FLOW_SECONDS,
                        http_arena(r), f);
    if (st == STORE_NOTFOUND || (st == STORE_OK && strcmp(f->provider, provider) != 0))
        return refuse(t, r, "This sign-in was already used or has expired. Please start again.");
    return st == STORE_OK ? 0 : http_error(r, 503, NULL);
}

static int
finish(struct talk *t, struct http_req *r, const char *provider, const char *subject,
       const char *name, const char *email, const char *ret)
{
    char *clean = comments_name_clean(name ? name : "", name ? strlen(name) : 0);
    const char *display = clean[0] ? clean : "Reader";
    int64_t id = 0;
    int st = store_call(t->site->store, commenter_signin, provider, subject, display,
                        email ? email : "", &id);
    free(clean);
    if (st != STORE_OK || talk_session_start(t, r, id) != 0)
        return http_error(r, 503, NULL);
    http_set_cookie(r, TALK_SIGNIN_COOKIE, "", -1, HTTP_COOKIE_HTTPONLY);
    http_no_store(r);
    return http_redirect(r, 303, talk_return_path(r, ret));
}

/* Redeeming the code: the token endpoint, the JWKS, maybe discovery and
 * the profile API, each up to the provider's timeout; on a worker. */
struct callback_job {
    struct talk *t;
    const struct signin_provider *p;
    const char *redirect_uri;
    const char *code;
    const char *iss;
    struct store_signin_flow f;
    struct signin_identity id;
    int rc;
    char err[256];
};

static void
callback_work(void *p)
{
    struct callback_job *j = p;
    j->rc = signin_complete(j->t->signin, j->p, j->redirect_uri, j->code, j->iss, j->f.verifier,
                            j->f.nonce, &j->id, j->err, sizeof(j->err));
}

static int
callback_done(struct http_req *r, void *p)
{
    struct callback_job *j = p;
    if (j->rc != 0)
        return refuse(j->t, r,
                      arena_printf(http_arena(r), "The sign-in could not be checked: %s.", j->err));
    return finish(j->t, r, j->p->name, j->id.subject, j->id.name, j->id.email, j->f.return_to);
}

static void
callback_job_free(void *p)
{
    struct callback_job *j = p;
    signin_identity_release(&j->id);
}

static int
callback(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    const char *name = http_param(r, "provider");
    const struct signin_provider *p = t->signin ? signin_provider_find(t->signin, name) : NULL;
    if (p == NULL)
        return http_error(r, 404, "there is no such sign-in provider");
    struct callback_job *j = arena_zalloc(http_arena(r), sizeof(*j));
    int st = take_flow(t, r, p->name, &j->f);
    if (st)
        return st;
    if (http_query(r, "error"))
        return refuse(t, r, "The sign-in was cancelled or refused by the sign-in service.");
    j->t = t;
    j->p = p;
    j->redirect_uri = redirect_uri(t, r, p->name);
    j->code = http_query(r, "code");
    j->iss = http_query(r, "iss");
    return http_defer(r, callback_work, callback_done, callback_job_free, j);
}

static int
demo_post(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    if (!demo_here(t, r))
        return http_error(r, 404, NULL);
    const char *ret = talk_return_path(r, http_form(r, "return"));
    const char *name = http_form(r, "name");
    char *clean = comments_name_clean(name ? name : "", name ? strlen(name) : 0);
    bool empty = clean[0] == '\0';
    char subject[SIGNIN_TOKEN_CHARS + 1];
    signin_token(subject);
    int st = empty ? demo_form(t, r, ret, "Choose a name that others will see next to your "
                                          "comments.")
                   : finish(t, r, "demo", subject, clean, "", ret);
    free(clean);
    return st;
}

static int
signout(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    talk_session_end(t, r);
    if (talk_wants_json(r))
        return talk_json(r, 200, json_pack("{s:b}", "ok", 1));
    return http_redirect(r, 303, talk_return_path(r, http_form(r, "return")));
}

void
talk_signin_routes(struct talk *t, struct http_server *srv)
{
    http_route(srv, HTTP_GET | HTTP_HEAD, "/signin", 0, chooser, t);
    http_route(srv, HTTP_POST, "/signin/demo", 0, demo_post, t);
    http_route(srv, HTTP_GET | HTTP_HEAD, "/signin/:provider", 0, start, t);
    http_route(srv, HTTP_GET, "/signin/:provider/callback", 0, callback, t);
    http_route(srv, HTTP_POST, "/signout", 0, signout, t);
}
