/*
 * Providers, the authorization URL, and the callback's work: redeem the
 * code at the token endpoint (with the PKCE verifier), then check the ID
 * token against the JWKS (OIDC) or ask the profile API (OAuth 2.0).
 * Discovery documents and JWKS are cached per provider for an hour; an
 * unknown key id refetches the JWKS at most once a minute.
 *
 * The HTTP calls block the calling thread for at most timeout_s each, so
 * the handlers call signin_begin and signin_complete from the server's
 * worker pool (http_defer), never from an event loop; the cache is behind
 * a mutex, so any thread may call.
 */
#include "signin/signin.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESPONSE_MAX (1u << 20)
#define CACHE_SECONDS 3600
#define JWKS_REFETCH_SECONDS 60

struct provider_cache {
    struct signin_discovery disc;
    int64_t disc_at;
    json_t *jwks;
    int64_t jwks_at;
};

struct signin {
    struct signin_provider *providers;
    struct provider_cache *cache;
    size_t n;
    int timeout_s;
    pthread_mutex_t lock;
};

/* --- providers --- */

void
signin_provider_init(struct signin_provider *p, const char *name)
{
    memset(p, 0, sizeof(*p));
    p->name = xstrdup(name);
    p->label = xstrdup(name);
    p->kind = SIGNIN_OIDC;
    p->scope = xstrdup("openid profile email");
    p->subject_field = xstrdup("sub");
    p->name_field = xstrdup("name");
    p->email_field = xstrdup("email");
    p->token_auth_basic = true;
    p->leeway_s = 60;
}

static void
set(char **dst, const char *v)
{
    free(*dst);
    *dst = v ? xstrdup(v) : NULL;
}

struct preset {
    const char *name, *label;
    enum signin_kind kind;
    const char *issuer, *authorize, *token, *userinfo, *scope, *sub, *display, *email;
    bool basic;
};

static const struct preset presets[] = {
    {"google", "Google", SIGNIN_OIDC, "https://accounts.google.com", NULL, NULL, NULL,
     "openid profile email", "sub", "name", "email", true},
    {"kakao", "Kakao", SIGNIN_OIDC, "https://kauth.kakao.com", NULL, NULL, NULL,
     "openid profile_nickname", "sub", "nickname", "email", false},
    {"naver", "Naver", SIGNIN_OAUTH2, NULL, "https://nid.naver.com/oauth2.0/authorize",
     "https://nid.naver.com/oauth2.0/token", "https://openapi.naver.com/v1/nid/me", "",
     "response.id", "response.nickname", "response.email", false},
    {"x", "X", SIGNIN_OAUTH2, NULL, "https://twitter.com/i/oauth2/authorize",
     "https://api.twitter.com/2/oauth2/token", "https://api.twitter.com/2/users/me",
     "users.read tweet.read", "data.id", "data.name", "", true},
    {"facebook", "Facebook", SIGNIN_OAUTH2, NULL, "https://www.facebook.com/v19.0/dialog/oauth",
     "https://graph.facebook.com/v19.0/oauth/access_token",
     "https://graph.facebook.com/me?fields=id,name", "public_profile", "id", "name", "", false},
};

int
signin_preset(const char *name, struct signin_provider *p)
{
    for (size_t i = 0; i < ARRAY_SIZE(presets); i++) {
        const struct preset *s = &presets[i];
        if (strcmp(s->name, name) != 0)
            continue;
        signin_provider_init(p, name);
        set(&p->label, s->label);
        p->kind = s->kind;
        set(&p->issuer, s->issuer);
        set(&p->authorize_url, s->authorize);
        set(&p->token_url, s->token);
        set(&p->userinfo_url, s->userinfo);
        set(&p->scope, s->scope);
        set(&p->subject_field, s->sub);
        set(&p->name_field, s->display);
        set(&p->email_field, s->email);
        p->token_auth_basic = s->basic;
        return 0;
    }
    return -1;
}

void
signin_provider_release(struct signin_provider *p)
{
    char **strs[] = {&p->name,          &p->label,         &p->issuer,        &p->client_id,
                     &p->client_secret, &p->authorize_url, &p->token_url,     &p->userinfo_url,
                     &p->scope,         &p->subject_field, &p->name_field,    &p->email_field};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
        if (*strs[i] && strs[i] == &p->client_secret)
            sodium_memzero(*strs[i], strlen(*strs[i]));
        free(*strs[i]);
        *strs[i] = NULL;
    }
}

int
signin_provider_check(const struct signin_provider *p, char *err, size_t errlen)
{
    if (p->client_id == NULL || p->client_id[0] == '\0') {
        snprintf(err, errlen, "sign-in provider '%s' needs client_id", p->name);
        return -1;
    }
    if (p->kind == SIGNIN_OIDC && (p->issuer == NULL || !signin_url_allowed(p->issuer))) {
        snprintf(err, errlen,
                 "sign-in provider '%s' needs an issuer URL (https, or http on 127.0.0.1)",
                 p->name);
        return -1;
    }
    if (p->kind == SIGNIN_OAUTH2 &&
        (!signin_url_allowed(p->authorize_url) || !signin_url_allowed(p->token_url) ||
         !signin_url_allowed(p->userinfo_url))) {
        snprintf(err, errlen, "sign-in provider '%s' needs authorize, token and userinfo URLs",
                 p->name);
        return -1;
    }
    return 0;
}

struct signin *
signin_new(struct signin_provider *providers, size_t n, int timeout_s)
{
    struct signin *s = xcalloc(1, sizeof(*s));
    s->n = n;
    s->providers = xcalloc(n ? n : 1, sizeof(*s->providers));
    if (n)
        memcpy(s->providers, providers, n * sizeof(*providers));
    s->cache = xcalloc(n ? n : 1, sizeof(*s->cache));
    s->timeout_s = timeout_s > 0 ? timeout_s : 10;
    pthread_mutex_init(&s->lock, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return s;
}

void
signin_free(struct signin *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        signin_provider_release(&s->providers[i]);
        signin_discovery_release(&s->cache[i].disc);
        json_decref(s->cache[i].jwks);
    }
    free(s->providers);
    free(s->cache);
    pthread_mutex_destroy(&s->lock);
    free(s);
    curl_global_cleanup();
}

size_t
signin_provider_count(const struct signin *s)
{
    return s->n;
}

const struct signin_provider *
signin_provider_at(const struct signin *s, size_t i)
{
    return i < s->n ? &s->providers[i] : NULL;
}

const struct signin_provider *
signin_provider_find(const struct signin *s, const char *name)
{
    for (size_t i = 0; name && i < s->n; i++)
        if (strcmp(s->providers[i].name, name) == 0)
            return &s->providers[i];
    return NULL;
}

void
signin_identity_release(struct signin_identity *id)
{
    free(id->subject);
    free(id->name);
    free(id->email);
    memset(id, 0, sizeof(*id));
}

/* --- outbound HTTP --- */

static size_t
on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
    struct buf *b = ctx;
    buf_add(b, p, size * nmemb);
    return b->overflow ? 0 : size * nmemb;
}

/* GET (form NULL) or POST a form; the body in out (capped). Returns the
 * HTTP status, or -1 when no answer came. */
static long
http_call(struct signin *s, const char *url, const char *form, const char *bearer,
          const char *basic_user, const char *basic_pass, struct buf *out)
{
    if (!signin_url_allowed(url))
        return -1;
    CURL *c = curl_easy_init();
    if (c == NULL)
        return -1;
    struct curl_slist *hdrs = curl_slist_append(NULL, "Accept: application/json");
    char *auth = NULL;
    if (bearer) {
        size_t n = strlen(bearer) + 32;
        auth = xmalloc(n);
        snprintf(auth, n, "Authorization: Bearer %s", bearer);
        hdrs = curl_slist_append(hdrs, auth);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(s->timeout_s < 5 ? s->timeout_s : 5));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)s->timeout_s);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE, (long)RESPONSE_MAX);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Broadsheet/" BROADSHEET_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (form)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    if (basic_user) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, basic_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, basic_pass ? basic_pass : "");
    }
    long status = -1;
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    else
        log_warn("signin: request to '%s' failed: %s", url, curl_easy_strerror(rc));
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    if (auth) {
        sodium_memzero(auth, strlen(auth));
        free(auth);
    }
    return status;
}

static json_t *
get_json(struct signin *s, const char *url, const char *bearer, char *err, size_t errlen)
{
    struct buf b;
    buf_init(&b, RESPONSE_MAX);
    long st = http_call(s, url, NULL, bearer, NULL, NULL, &b);
    json_t *j = NULL;
    if (st == 200 && !b.overflow)
        j = json_loadb(b.p ? b.p : "", b.len, JSON_REJECT_DUPLICATES, NULL);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    if (j == NULL)
        snprintf(err, errlen, "the provider did not answer as expected (HTTP %ld)", st);
    buf_release(&b);
    return j;
}

/* --- discovery and keys, cached --- */

static struct provider_cache *
cache_of(struct signin *s, const struct signin_provider *p)
{
    return &s->cache[p - s->providers];
}

/* Copies the cached discovery (fetching it when missing or old). */
static int
discovery(struct signin *s, const struct signin_provider *p, struct signin_discovery *out,
          char *err, size_t errlen)
{
    struct provider_cache *pc = cache_of(s, p);
    int64_t now = time_now();
    pthread_mutex_lock(&s->lock);
    bool fresh = pc->disc.issuer && now - pc->disc_at < CACHE_SECONDS;
    pthread_mutex_unlock(&s->lock);
    if (!fresh) {
        struct buf url = BUF_INIT, body;
        buf_adds(&url, p->issuer);
        if (url.len && url.p[url.len - 1] == '/')
            url.p[--url.len] = '\0';
        buf_adds(&url, "/.well-known/openid-configuration");
        buf_init(&body, RESPONSE_MAX);
        long st = http_call(s, url.p, NULL, NULL, NULL, NULL, &body);
        struct signin_discovery d;
        int rc = st == 200 && !body.overflow
                     ? signin_discovery_parse(body.p ? body.p : "", body.len, p->issuer, &d, err,
                                              errlen)
                     : (snprintf(err, errlen, "the provider's discovery document is unavailable"),
                        -1);
        buf_release(&url);
        buf_release(&body);
        if (rc != 0)
            return -1;
        pthread_mutex_lock(&s->lock);
        signin_discovery_release(&pc->disc);
        pc->disc = d;
        pc->disc_at = now;
        pthread_mutex_unlock(&s->lock);
    }
    pthread_mutex_lock(&s->lock);
    out->issuer = xstrdup(pc->disc.issuer);
    out->authorization_endpoint = xstrdup(pc->disc.authorization_endpoint);
    out->token_endpoint = xstrdup(pc->disc.token_endpoint);
    out->userinfo_endpoint = pc->disc.userinfo_endpoint ? xstrdup(pc->disc.userinfo_endpoint) : NULL;
    out->jwks_uri = xstrdup(pc->disc.jwks_uri);
    out->iss_parameter = pc->disc.iss_parameter;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

/* A new reference to the JWKS; refetched when old or when refresh is asked
 * (an unknown key id) and the last fetch is a minute old. */
static json_t *
jwks(struct signin *s, const struct signin_provider *p, const char *uri, bool refresh, char *err,
     size_t errlen)
{
    struct provider_cache *pc = cache_of(s, p);
    int64_t now = time_now();
    pthread_mutex_lock(&s->lock);
    bool fetch = pc->jwks == NULL || now - pc->jwks_at >= CACHE_SECONDS ||
                 (refresh && now - pc->jwks_at >= JWKS_REFETCH_SECONDS);
    json_t *cached = fetch ? NULL : json_incref(pc->jwks);
    pthread_mutex_unlock(&s->lock);
    if (cached)
        return cached;
    json_t *j = get_json(s, uri, NULL, err, errlen);
    if (j && signin_jwks_check(j, err, errlen) != 0) {
        json_decref(j);
        j = NULL;
    }
    if (j == NULL)
        return NULL;
    pthread_mutex_lock(&s->lock);
    json_decref(pc->jwks);
    pc->jwks = json_incref(j);
    pc->jwks_at = now;
    pthread_mutex_unlock(&s->lock);
    return j;
}

/* --- the flow --- */

static void
add_param(struct buf *b, const char *name, const char *value)
{
    buf_addch(b, '&');
    buf_adds(b, name);
    buf_addch(b, '=');
    url_encode(b, value, strlen(value));
}

int
signin_begin(struct signin *s, const struct signin_provider *p, const char *redirect_uri,
             struct signin_start *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct signin_discovery d = {0};
    const char *endpoint = p->authorize_url;
    if (p->kind == SIGNIN_OIDC) {
        if (discovery(s, p, &d, err, errlen) != 0)
            return -1;
        endpoint = d.authorization_endpoint;
    }
    signin_token(out->state);
    signin_token(out->nonce);
    signin_token(out->verifier);
    char challenge[SIGNIN_TOKEN_CHARS + 1];
    signin_pkce_challenge(out->verifier, challenge);
    struct buf url = BUF_INIT;
    buf_adds(&url, endpoint);
    buf_addch(&url, strchr(endpoint, '?') ? '&' : '?');
    buf_adds(&url, "response_type=code");
    add_param(&url, "client_id", p->client_id);
    add_param(&url, "redirect_uri", redirect_uri);
    if (p->scope && p->scope[0])
        add_param(&url, "scope", p->scope);
    add_param(&url, "state", out->state);
    if (p->kind == SIGNIN_OIDC)
        add_param(&url, "nonce", out->nonce);
    add_param(&url, "code_challenge", challenge);
    add_param(&url, "code_challenge_method", "S256");
    out->url = buf_detach(&url, NULL);
    signin_discovery_release(&d);
    return 0;
}

static char *
token_form(const struct signin_provider *p, const char *redirect_uri, const char *code,
           const char *verifier)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "grant_type=authorization_code");
    add_param(&b, "code", code);
    add_param(&b, "redirect_uri", redirect_uri);
    add_param(&b, "code_verifier", verifier);
    add_param(&b, "client_id", p->client_id);
    if (!p->token_auth_basic && p->client_secret)
        add_param(&b, "client_secret", p->client_secret);
    return buf_detach(&b, NULL);
}

/* POSTs the code to the token endpoint; the JSON answer or NULL. */
static json_t *
redeem(struct signin *s, const struct signin_provider *p, const char *endpoint,
       const char *redirect_uri, const char *code, const char *verifier, char *err, size_t errlen)
{
    char *form = token_form(p, redirect_uri, code, verifier);
    struct buf b;
    buf_init(&b, RESPONSE_MAX);
    long st = http_call(s, endpoint, form, NULL, p->token_auth_basic ? p->client_id : NULL,
                        p->client_secret, &b);
    sodium_memzero(form, strlen(form));
    free(form);
    json_t *j = st == 200 && !b.overflow
                    ? json_loadb(b.p ? b.p : "", b.len, JSON_REJECT_DUPLICATES, NULL)
                    : NULL;
    if (b.p)
        sodium_memzero(b.p, b.len);
    buf_release(&b);
    if (j == NULL || !json_is_string(json_object_get(j, "access_token"))) {
        json_decref(j);
        snprintf(err, errlen, "the provider refused the sign-in code (HTTP %ld)", st);
        return NULL;
    }
    return j;
}

static int
identity_from(const json_t *obj, const struct signin_provider *p, struct signin_identity *out,
              char *err, size_t errlen)
{
    out->subject = signin_json_field(obj, p->subject_field);
    if (out->subject == NULL || out->subject[0] == '\0' || strlen(out->subject) > 255) {
        snprintf(err, errlen, "the provider did not say who signed in");
        return -1;
    }
    if (out->name == NULL && p->name_field && p->name_field[0])
        out->name = signin_json_field(obj, p->name_field);
    if (out->email == NULL && p->email_field && p->email_field[0])
        out->email = signin_json_field(obj, p->email_field);
    return 0;
}

static int
complete_oidc(struct signin *s, const struct signin_provider *p, const struct signin_discovery *d,
              const json_t *tokens, const char *nonce, struct signin_identity *out, char *err,
              size_t errlen)
{
    const char *idt = json_string_value(json_object_get(tokens, "id_token"));
    if (idt == NULL) {
        snprintf(err, errlen, "the provider sent no ID token");
        return -1;
    }
    struct signin_expect e = {d->issuer, p->client_id, nonce, time_now(), p->leeway_s};
    json_t *claims = NULL;
    int rc = -1;
    for (int attempt = 0; attempt < 2 && rc != 0; attempt++) {
        json_t *keys = jwks(s, p, d->jwks_uri, attempt > 0, err, errlen);
        if (keys == NULL)
            break;
        rc = signin_id_token_check(idt, keys, &e, &claims, err, errlen);
        json_decref(keys);
        if (rc != 0 && strstr(err, "no key") == NULL)
            break; /* only an unknown key is worth a fresh JWKS */
    }
    if (rc == 0)
        rc = identity_from(claims, p, out, err, errlen);
    json_decref(claims);
    return rc;
}

/* OAuth 2.0: the profile API says who it is. */
static int
complete_profile(struct signin *s, const struct signin_provider *p, const char *url,
                 const json_t *tokens, struct signin_identity *out, char *err, size_t errlen)
{
    const char *at = json_string_value(json_object_get(tokens, "access_token"));
    json_t *profile = get_json(s, url, at, err, errlen);
    if (profile == NULL)
        return -1;
    int rc = identity_from(profile, p, out, err, errlen);
    json_decref(profile);
    return rc;
}

int
signin_complete(struct signin *s, const struct signin_provider *p, const char *redirect_uri,
                const char *code, const char *iss_param, const char *verifier, const char *nonce,
                struct signin_identity *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct signin_discovery d = {0};
    int rc = -1;
    if (code == NULL || code[0] == '\0' || strlen(code) > 2048) {
        snprintf(err, errlen, "the provider sent no sign-in code");
        goto out;
    }
    if (p->kind == SIGNIN_OIDC && discovery(s, p, &d, err, errlen) != 0)
        goto out;
    /* RFC 9207: a provider that names itself must name the right one */
    if (p->kind == SIGNIN_OIDC && (iss_param || d.iss_parameter) &&
        !signin_str_eq(iss_param, d.issuer)) {
        snprintf(err, errlen, "the answer came from another issuer");
        goto out;
    }
    json_t *tokens = redeem(s, p, p->kind == SIGNIN_OIDC ? d.token_endpoint : p->token_url,
                            redirect_uri, code, verifier, err, errlen);
    if (tokens == NULL)
        goto out;
    rc = p->kind == SIGNIN_OIDC
             ? complete_oidc(s, p, &d, tokens, nonce, out, err, errlen)
             : complete_profile(s, p, p->userinfo_url, tokens, out, err, errlen);
    json_decref(tokens);
out:
    signin_discovery_release(&d);
    if (rc != 0)
        signin_identity_release(out);
    return rc;
}
