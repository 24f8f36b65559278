/*
 * The newsroom's frame: its context, the guard every staff page starts
 * with, the layout every staff page ends with, the audit log, cache purges
 * and the small helpers the handlers share.
 *
 * Design: every /newsroom page is private (no-store) and guarded by
 * capability; state changes are POSTs checked for CSRF by the dispatcher
 * and answered with a 303 to a page (?msg= names a fixed message, so no
 * text from the request is echoed). A change readers can see purges exactly
 * the cache keys of the pages that show it, and is written to the audit log.
 * Threads: handlers run on the server's loops; the scheduler on its own.
 */
#include "newsroom/newsroom_int.h"

#include <stdlib.h>
#include <string.h>

#include "render/render.h"

struct nr nr_ctx;

void
newsroom_config_defaults(struct newsroom_config *c)
{
    memset(c, 0, sizeof(*c));
    c->media_dir = "data/media";
    c->idle_timeout = 30 * 60;
    c->absolute_timeout = 12 * 3600;
    c->login_slow_after = 5;
    c->login_max_failures = 100;
    c->max_photo_bytes = 12u << 20;
    c->max_photo_side = 12000;
    c->max_photo_pixels = 50000000;
}

/* --- small helpers --- */

const char *
nr_field(struct http_req *r, const char *name)
{
    const char *v = http_form(r, name);
    return v ? v : "";
}

size_t
nr_fields(struct http_req *r, const char *name, const char **out, size_t max)
{
    const struct form *f = http_form_all(r);
    size_t n = 0;
    for (size_t i = 0; i < f->count && n < max; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            out[n++] = f->fields[i].value;
    return n;
}

int64_t
nr_id(const char *s)
{
    long v;
    if (s == NULL || parse_long(s, strlen(s), 1, INT64_MAX / 2, &v) != 0)
        return 0;
    return v;
}

int
nr_article_param(struct http_req *r, struct store_article *art)
{
    int64_t id = nr_id(http_param(r, "id"));
    int st = id ? store_call(nr_ctx.store, article_get, id, http_arena(r), art) : STORE_NOTFOUND;
    if (st == STORE_NOTFOUND)
        return http_error(r, 404, "there is no such article");
    return st == STORE_OK ? 0 : http_error(r, 503, NULL);
}

/* A refusal for a signed-in staff member, in the newsroom's layout with a
 * way back to it (the site's error page only leads to the front page). */
int
nr_refuse(struct http_req *r, const struct staff_user *u, int status, const char *message,
          const char *back, const char *label)
{
    http_error(r, status, message);
    const char *title = status == 404   ? "Not found"
                        : status == 403 ? "Not allowed"
                                        : "Nothing was changed";
    json_t *data = json_pack("{s:s, s:s}", "title", title, "message", message);
    if (back)
        json_object_set_new(data, "back",
                            json_pack("{s:s, s:s}", "url", back, "label", label ? label : "Back"));
    int rc = newsroom_render(r, u, "newsroom/error.html", data);
    return rc == 200 ? status : rc;
}

int
nr_guard_article(struct http_req *r, unsigned caps, struct staff_user *u, struct store_article *art)
{
    int st = newsroom_guard(r, caps, u);
    if (st == 0 && (st = nr_article_param(r, art)) == 404)
        return nr_refuse(r, u, 404,
                         "there is no such article: it may have been deleted, or "
                         "the address is mistyped",
                         NULL, NULL);
    return st;
}

char *
nr_clean(struct http_req *r, const char *s, bool keep_newlines)
{
    size_t n;
    char *c = text_clean(s ? s : "", s ? strlen(s) : 0, keep_newlines, &n);
    if (c == NULL)
        return NULL;
    char *out = arena_strndup(http_arena(r), c, n);
    free(c);
    return out;
}

void
nr_local_input(int64_t t, char out[32])
{
    if (t <= 0) {
        out[0] = '\0';
        return;
    }
    time_t local = (time_t)(t + nr_ctx.site->cfg.tz_minutes * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M", &tm);
}

int
nr_local_parse(const char *s, int64_t *out)
{
    if (s == NULL || s[0] == '\0' || strlen(s) > 25)
        return -1;
    /* a datetime-local value has no zone: it is the paper's local time */
    if (strchr(s + 10, 'Z') || strchr(s + 10, '+'))
        return time_parse(s, out);
    int64_t t;
    if (time_parse(s, &t) != 0)
        return -1;
    *out = t - nr_ctx.site->cfg.tz_minutes * 60;
    return 0;
}

const char *
nr_tz_label(struct http_req *r)
{
    int m = nr_ctx.site->cfg.tz_minutes;
    int a = m < 0 ? -m : m;
    return arena_printf(http_arena(r), "UTC%c%02d:%02d", m < 0 ? '-' : '+', a / 60, a % 60);
}

const char *
nr_status_label(enum store_article_status s)
{
    switch (s) {
    case ARTICLE_DRAFT: return "Draft";
    case ARTICLE_READY: return "Ready for editing";
    case ARTICLE_SCHEDULED: return "Scheduled";
    case ARTICLE_PUBLISHED: return "Published";
    case ARTICLE_UNPUBLISHED: return "Unpublished";
    }
    return "Draft";
}

int
nr_json(struct http_req *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    http_set_type(r, "application/json; charset=utf-8");
    http_no_store(r);
    buf_adds(http_body(r), s ? s : "{}");
    free(s);
    return status;
}

int
nr_done(struct http_req *r, const char *path, const char *msg)
{
    const char *sep = strchr(path, '?') ? "&" : "?";
    return http_redirect(r, 303, msg ? arena_printf(http_arena(r), "%s%smsg=%s", path, sep, msg)
                                     : path);
}

json_t *
nr_sections_json(struct http_req *r, const struct site_sections *secs, int64_t selected,
                 const int64_t *checked, size_t nchecked)
{
    json_t *list = json_array();
    /* parents before children: walk the tree from the top */
    int64_t stack[64];
    int depths[64];
    size_t top = 0;
    for (size_t i = secs->n; i-- > 0;)
        if (secs->items[i].parent_id == 0 && top < ARRAY_SIZE(stack))
            depths[top] = 0, stack[top++] = secs->items[i].id;
    while (top > 0) {
        int64_t id = stack[--top];
        int depth = depths[top];
        long k = site_section_find(secs, id);
        if (k < 0)
            continue;
        const struct store_section *s = &secs->items[k];
        bool on = false;
        for (size_t c = 0; c < nchecked; c++)
            on = on || checked[c] == id;
        struct buf label = BUF_INIT;
        for (int d = 0; d < depth; d++)
            buf_adds(&label, "\xe2\x80\x94 ");
        buf_adds(&label, s->name);
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:i, s:b, s:b, s:I}", "id", (json_int_t)id,
                            "name", s->name, "label", label.p, "path",
                            arena_printf(http_arena(r), "/%s/", secs->paths[k]), "depth", depth,
                            "selected", id == selected, "checked", on, "parent_id",
                            (json_int_t)s->parent_id));
        buf_release(&label);
        for (size_t i = secs->n; i-- > 0;)
            if (secs->items[i].parent_id == id && top < ARRAY_SIZE(stack))
                depths[top] = depth + 1, stack[top++] = secs->items[i].id;
    }
    return list;
}

/* --- cache purges --- */

void
nr_purge(const char *key)
{
    http_cache_purge(nr_ctx.srv, key);
}

struct keyset {
    char k[96][32];
    size_t n;
};

static void
keyset_add(struct keyset *ks, const char *prefix, int64_t id)
{
    char key[32];
    if (id < 0)
        snprintf(key, sizeof(key), "%s", prefix);
    else
        snprintf(key, sizeof(key), "%s%lld", prefix, (long long)id);
    for (size_t i = 0; i < ks->n; i++)
        if (strcmp(ks->k[i], key) == 0)
            return;
    if (ks->n < ARRAY_SIZE(ks->k))
        memcpy(ks->k[ks->n++], key, sizeof(key));
}

static void
keyset_article(struct keyset *ks, const struct store_article *a)
{
    if (a == NULL)
        return;
    keyset_add(ks, "a:", a->id);
    keyset_add(ks, "s:", a->section_id);
    for (size_t i = 0; i < a->nextra_sections; i++)
        keyset_add(ks, "s:", a->extra_sections[i]);
    for (size_t i = 0; i < a->nauthors; i++)
        keyset_add(ks, "au:", a->authors[i].id);
    for (size_t i = 0; i < a->ntags; i++)
        keyset_add(ks, "t:", a->tags[i].id);
    if (a->ncorrections)
        keyset_add(ks, "corrections", -1);
}

/* Every page that shows the article, before and after the change, and the
 * front page; and every feed, sitemap and API document (distribution's
 * "feeds"): a newly published article is on none of them yet, so its own
 * keys would not reach them. */
void
nr_purge_article(const struct store_article *before, const struct store_article *after)
{
    struct keyset ks = {.n = 0};
    keyset_article(&ks, before);
    keyset_article(&ks, after);
    keyset_add(&ks, "front", -1);
    keyset_add(&ks, "feeds", -1);
    for (size_t i = 0; i < ks.n; i++)
        nr_purge(ks.k[i]);
}

/* --- the guard --- */

static const char *
cookie_name(struct http_req *r)
{
    return http_behind_tls(r) ? "__Host-bs_session" : "bs_session";
}

static void
user_copy(struct http_req *r, const struct store_user *su, struct staff_user *out)
{
    struct arena *a = http_arena(r);
    out->id = su->id;
    out->login = arena_strdup(a, su->login);
    out->name = arena_strdup(a, su->name);
    out->role = arena_strdup(a, su->role);
    out->caps = auth_role_caps(su->role);
}

static int
to_login(struct http_req *r, bool expired)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "/newsroom/login?");
    if (expired)
        buf_adds(&b, "expired=1&");
    buf_adds(&b, "next=");
    const char *path = http_path(r);
    if (!(http_method(r) & (HTTP_GET | HTTP_HEAD)))
        path = "/newsroom/";
    url_encode(&b, path, strlen(path));
    const char *q = http_query_string(r);
    if (q[0] && (http_method(r) & (HTTP_GET | HTTP_HEAD))) {
        buf_adds(&b, "%3F");
        url_encode(&b, q, strlen(q));
    }
    char *loc = arena_strndup(http_arena(r), b.p, b.len);
    buf_release(&b);
    http_no_store(r);
    return http_redirect(r, 303, loc);
}

/* The staff member of this request's session, or a status. */
static int
session_user(struct http_req *r, struct staff_user *out, bool *must_change)
{
    const char *token = http_cookie(r, cookie_name(r));
    if (token == NULL)
        return to_login(r, false);
    struct store_user su;
    enum auth_session_state st = auth_session_check(nr_ctx.store, &nr_ctx.auth, token, time_now(),
                                                    http_arena(r), &su);
    if (st != AUTH_SESSION_OK) {
        http_set_cookie(r, cookie_name(r), "", -1, HTTP_COOKIE_HTTPONLY);
        return to_login(r, st == AUTH_SESSION_EXPIRED);
    }
    user_copy(r, &su, out);
    *must_change = su.must_change;
    return 0;
}

int
newsroom_guard(struct http_req *r, unsigned caps, struct staff_user *out)
{
    bool must_change = false;
    memset(out, 0, sizeof(*out));
    http_no_store(r);
    int st = session_user(r, out, &must_change);
    if (st)
        return st;
    const char *path = http_path(r);
    if (must_change && strncmp(path, "/newsroom/account", 17) != 0 &&
        strcmp(path, "/newsroom/logout") != 0)
        return http_redirect(r, 303, "/newsroom/account?msg=must_change");
    if ((out->caps & caps) != caps)
        return nr_refuse(r, out, 403,
                         arena_printf(http_arena(r),
                                      "your role (%s) does not allow this; ask an editor or an "
                                      "administrator",
                                      auth_role_label(out->role)),
                         NULL, NULL);
    return 0;
}

/* --- the layout --- */

static const struct {
    const char *code;
    const char *text;
} messages[] = {
    {"saved", "Saved."},
    {"created", "The draft is saved. Autosave is on from now."},
    {"ready", "Marked ready for editing."},
    {"draft", "Moved back to draft."},
    {"published", "Published: readers see it now."},
    {"updated", "The published article is updated."},
    {"scheduled", "Scheduled: it goes live at the time shown."},
    {"unpublished", "Unpublished: readers no longer see it."},
    {"restored", "The revision is restored as the latest version."},
    {"corrected", "The correction is published on the article and on the corrections page."},
    {"front", "The front page is updated."},
    {"section", "The section is saved."},
    {"section_deleted", "The section is deleted."},
    {"author", "The author profile is saved."},
    {"staff", "The staff account is saved."},
    {"staff_disabled", "The account is disabled: it cannot sign in, and its sessions have ended."},
    {"staff_enabled", "The account is enabled: it can sign in again."},
    {"password", "Your password is changed."},
    {"must_change", "You signed in with a one-time password: choose your own to continue."},
    {"signed_out", "You are signed out."},
    {"mod_approve", "The comment is approved: readers see it."},
    {"mod_restore", "The comment is restored: readers see it again."},
    {"mod_reject", "The comment is rejected: readers do not see it."},
    {"mod_delete", "The comment is deleted."},
    {"mod_hide", "The comment is hidden from readers."},
    {"mod_suspend", "The commenter is suspended and is told the reason."},
    {"mod_unsuspend", "The suspension is lifted."},
    {"mod_words", "The word list is saved."},
};

static const char *
flash(struct http_req *r)
{
    const char *code = http_query(r, "msg");
    for (size_t i = 0; code && i < ARRAY_SIZE(messages); i++)
        if (strcmp(code, messages[i].code) == 0)
            return messages[i].text;
    return NULL;
}

json_t *
nr_user_json(const struct staff_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:{s:b, s:b, s:b, s:b}}", "id", (json_int_t)u->id,
                     "login", u->login, "name", u->name, "role", u->role, "role_label",
                     auth_role_label(u->role), "can", "write", (u->caps & STAFF_WRITE) != 0,
                     "publish", (u->caps & STAFF_PUBLISH) != 0, "moderate",
                     (u->caps & STAFF_MODERATE) != 0, "admin", (u->caps & STAFF_ADMIN) != 0);
}

int
newsroom_render(struct http_req *r, const struct staff_user *u, const char *template_name,
                json_t *data)
{
    struct site *s = nr_ctx.site;
    json_object_set_new(data, "site", json_pack("{s:s, s:s}", "name", s->cfg.name, "language",
                                                s->cfg.language));
    if (u)
        json_object_set_new(data, "me", nr_user_json(u));
    json_object_set_new(data, "csrf", json_string(http_csrf_token(r)));
    json_object_set_new(data, "asset", json_string(s->cfg.asset_version));
    const char *path = http_path(r);
    json_object_set_new(data, "path", json_string(path));
    /* the navigation's current item: the first segment after /newsroom/ */
    const char *seg = strncmp(path, "/newsroom/", 10) == 0 ? path + 10 : "";
    size_t seglen = strcspn(seg, "/");
    json_object_set_new(data, "nav", seglen ? json_stringn(seg, seglen) : json_string("dashboard"));
    const char *msg = flash(r);
    if (msg && json_object_get(data, "flash") == NULL)
        json_object_set_new(data, "flash", json_string(msg));
    http_no_store(r);
    struct buf *out = http_body(r);
    int rc = tmpl_render(s->tmpl, template_name, data, out);
    json_decref(data);
    if (rc != 0) {
        buf_reset(out);
        return http_error(r, 500, "the page could not be rendered");
    }
    return 200;
}

int
newsroom_audit(struct http_req *r, const struct staff_user *u, const char *action,
               const char *subject, const char *detail)
{
    struct store_audit e = {.user_id = u ? u->id : 0, .login = u ? u->login : (char *)"system",
                            .action = (char *)action, .subject = (char *)(subject ? subject : ""),
                            .detail = (char *)(detail ? detail : ""),
                            .addr = r ? (char *)http_peer(r) : (char *)""};
    return store_call(nr_ctx.store, audit_add, &e) == STORE_OK ? 0 : -1;
}

/* --- wiring --- */

static int
newsroom_root(struct http_req *r, void *ctx)
{
    (void)ctx;
    return http_redirect(r, 301, "/newsroom/");
}

void
newsroom_routes(struct site *site, const struct newsroom_config *cfg, struct http_server *srv)
{
    nr_ctx.site = site;
    nr_ctx.store = site->store;
    nr_ctx.srv = srv;
    nr_ctx.cfg = *cfg;
    auth_config_defaults(&nr_ctx.auth);
    nr_ctx.auth.idle_timeout = cfg->idle_timeout;
    nr_ctx.auth.absolute_timeout = cfg->absolute_timeout;
    nr_ctx.auth.slow_after = cfg->login_slow_after;
    nr_ctx.auth.max_failures = cfg->login_max_failures;
    http_route(srv, HTTP_GET, "/newsroom", 0, newsroom_root, NULL);
    nr_session_routes(srv);
    nr_dashboard_routes(srv);
    nr_editor_routes(srv);
    nr_revision_routes(srv);
    nr_correction_routes(srv);
    nr_section_routes(srv);
    nr_author_routes(srv);
    nr_staff_routes(srv);
    nr_front_routes(srv);
    nr_audit_routes(srv);
}
