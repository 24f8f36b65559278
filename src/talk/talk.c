/*
 * talk's shared pieces: the reader's session, page data and rendering,
 * the comments section of the article page, the policy and help pages,
 * and the routes.
 */
#include "talk/talk_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* --- the reader's session --- */

/* The hex SHA-256 of the cookie's token: the store never sees tokens. */
static void
token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

int
talk_reader_get(struct talk *t, struct http_req *r, struct talk_reader *out)
{
    memset(out, 0, sizeof(*out));
    const char *tok = http_cookie(r, TALK_SESSION_COOKIE);
    if (tok == NULL || strlen(tok) != SIGNIN_TOKEN_CHARS)
        return 0;
    char hash[65];
    token_hash(tok, hash);
    int64_t id = 0;
    struct store *st = t->site->store;
    if (store_call(st, reader_session_get, hash, time_now(), &id) != STORE_OK)
        return 0;
    if (store_call(st, commenter_get, id, http_arena(r), &out->who) != STORE_OK)
        return 0;
    out->id = id;
    return 0;
}

int
talk_session_start(struct talk *t, struct http_req *r, int64_t commenter_id)
{
    char tok[SIGNIN_TOKEN_CHARS + 1], hash[65];
    signin_token(tok);
    token_hash(tok, hash);
    long max_age = (long)(t->session_days > 0 ? t->session_days : 30) * 86400;
    int st = store_call(t->site->store, reader_session_add, hash, commenter_id,
                        time_now() + max_age);
    if (st == STORE_OK) {
        http_set_cookie(r, TALK_SESSION_COOKIE, tok, max_age, HTTP_COOKIE_HTTPONLY);
        http_csrf_rotate(r);
    }
    sodium_memzero(tok, sizeof(tok));
    return st == STORE_OK ? 0 : -1;
}

void
talk_session_end(struct talk *t, struct http_req *r)
{
    const char *tok = http_cookie(r, TALK_SESSION_COOKIE);
    if (tok && strlen(tok) == SIGNIN_TOKEN_CHARS) {
        char hash[65];
        token_hash(tok, hash);
        store_call(t->site->store, reader_session_delete, hash);
    }
    http_set_cookie(r, TALK_SESSION_COOKIE, "", -1, HTTP_COOKIE_HTTPONLY);
    http_csrf_rotate(r);
}

/* --- pages --- */

json_t *
talk_page(struct talk *t, struct http_req *r, const char *title, const char *path)
{
    struct site_sections secs;
    bool have = site_sections_load(t->site, http_arena(r), &secs) == 0;
    return site_page_data(t->site, have ? &secs : NULL, title, path ? path : http_path(r));
}

int
talk_render(struct talk *t, struct http_req *r, int status, const char *name, json_t *data)
{
    http_no_store(r);
    json_object_set_new(json_object_get(data, "page"), "robots", json_string("noindex"));
    int rc = site_render(t->site, r, name, data);
    return rc == 200 ? status : rc;
}

int
talk_message(struct talk *t, struct http_req *r, int status, const char *title, const char *text,
             const char *back)
{
    json_t *data = talk_page(t, r, title, NULL);
    json_object_set_new(data, "message",
                        json_pack("{s:s, s:s, s:s}", "title", title, "text", text, "back",
                                  back ? back : "/"));
    return talk_render(t, r, status, "talk_message.html", data);
}

const char *
talk_return_path(struct http_req *r, const char *v)
{
    (void)r;
    if (v == NULL || v[0] != '/' || v[1] == '/' || v[1] == '\\' || strlen(v) > 512)
        return "/";
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x21 || *p == '\\' || (unsigned char)*p == 0x7f)
            return "/";
    return v;
}

bool
talk_wants_json(struct http_req *r)
{
    const char *accept = http_header(r, "accept");
    return accept && strstr(accept, "application/json") != NULL;
}

int
talk_json(struct http_req *r, int status, json_t *body)
{
    http_no_store(r);
    http_set_type(r, "application/json");
    char *s = json_dumps(body, JSON_COMPACT);
    buf_adds(http_body(r), s ? s : "{}");
    free(s);
    json_decref(body);
    return status;
}

int
talk_id_param(struct http_req *r, const char *name, int64_t *id)
{
    const char *v = http_param(r, name);
    long n;
    if (v == NULL || parse_long(v, strlen(v), 1, INT64_MAX / 2, &n) != 0)
        return -1;
    *id = n;
    return 0;
}

void
talk_purge_article(struct http_req *r, int64_t article_id)
{
    char key[32];
    snprintf(key, sizeof(key), "a:%lld", (long long)article_id);
    http_cache_purge(http_server_of(r), key);
}

json_t *
talk_providers_json(struct talk *t, struct http_req *r, const char *return_to)
{
    struct arena *a = http_arena(r);
    struct buf ret = BUF_INIT;
    url_encode(&ret, return_to, strlen(return_to));
    json_t *list = json_array();
    size_t n = t->signin ? signin_provider_count(t->signin) : 0;
    for (size_t i = 0; i < n; i++) {
        const struct signin_provider *p = signin_provider_at(t->signin, i);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s}", "name", p->name, "label", p->label, "url",
                            arena_printf(a, "/signin/%s?return=%s", p->name, ret.p)));
    }
    if (t->demo_signin)
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s}", "name", "demo", "label",
                                        "Demo account (this computer only)", "url",
                                        arena_printf(a, "/signin/demo?return=%s", ret.p)));
    buf_release(&ret);
    return list;
}

char *
talk_idem_key(struct http_req *r)
{
    char tok[SIGNIN_TOKEN_CHARS + 1];
    signin_token(tok);
    return arena_strdup(http_arena(r), tok);
}

struct pieces {
    json_t *list;
};

static void
on_piece(const char *p, size_t n, bool link, void *ctx)
{
    struct pieces *pc = ctx;
    json_t *j = json_object();
    json_object_set_new(j, "text", json_stringn(p, n));
    if (link)
        json_object_set_new(j, "href", json_stringn(p, n));
    json_array_append_new(pc->list, j);
}

json_t *
talk_pieces_json(const char *body)
{
    struct pieces pc = {json_array()};
    comments_linkify(body, strlen(body), on_piece, &pc);
    return pc.list;
}

/* --- the comments section of the article page --- */

static const struct {
    const char *key, *label;
    enum store_comment_order order;
} sorts[] = {
    {"newest", "Newest", COMMENT_NEWEST},
    {"oldest", "Oldest", COMMENT_OLDEST},
    {"liked", "Most liked", COMMENT_MOST_LIKED},
};

static json_t *
comment_json(struct http_req *r, const struct store_comment *c)
{
    struct arena *a = http_arena(r);
    bool shown = c->status == COMMENT_VISIBLE;
    json_t *j = json_pack("{s:I, s:I, s:I, s:b, s:I, s:i}", "id", (json_int_t)c->id, "parent",
                          (json_int_t)c->parent_id, "author_id", (json_int_t)c->commenter_id,
                          "shown", shown, "created", (json_int_t)c->created_at, "likes",
                          c->likes);
    if (!shown) {
        json_object_set_new(j, "placeholder",
                            json_string(c->status == COMMENT_DELETED
                                            ? "This comment was deleted."
                                            : "This comment is hidden pending review."));
        return j;
    }
    json_object_set_new(j, "author",
                        json_string(c->author_deleted || c->author_name[0] == '\0'
                                        ? "deleted account"
                                        : c->author_name));
    json_object_set_new(j, "author_deleted", json_boolean(c->author_deleted));
    json_object_set_new(j, "edited", json_integer(c->edited_at));
    json_object_set_new(j, "pieces", talk_pieces_json(c->body));
    json_object_set_new(j, "like_url",
                        json_string(arena_printf(a, "/comment/%lld/like", (long long)c->id)));
    json_object_set_new(j, "report_url",
                        json_string(arena_printf(a, "/comment/%lld/report", (long long)c->id)));
    return j;
}

/* Top-level comments in order, each with its replies. */
static json_t *
items_json(struct http_req *r, const struct store_comment *list, size_t n, int64_t article_id)
{
    json_t *items = json_array();
    json_t *byid = json_object();
    char key[32];
    for (size_t i = 0; i < n; i++) {
        if (list[i].parent_id)
            continue;
        json_t *c = comment_json(r, &list[i]);
        json_object_set_new(c, "replies", json_array());
        json_object_set_new(c, "reply_url",
                            json_string(arena_printf(http_arena(r), "/comments/%lld/write?reply=%lld",
                                                     (long long)article_id,
                                                     (long long)list[i].id)));
        snprintf(key, sizeof(key), "%lld", (long long)list[i].id);
        json_object_set(byid, key, c);
        json_array_append_new(items, c);
    }
    for (size_t i = 0; i < n; i++) {
        if (!list[i].parent_id)
            continue;
        snprintf(key, sizeof(key), "%lld", (long long)list[i].parent_id);
        json_t *parent = json_object_get(byid, key);
        if (parent)
            json_array_append_new(json_object_get(parent, "replies"), comment_json(r, &list[i]));
    }
    json_decref(byid);
    return items;
}

static size_t
sort_index(struct http_req *r)
{
    const char *v = http_query(r, "csort");
    for (size_t i = 0; v && i < ARRAY_SIZE(sorts); i++)
        if (strcmp(v, sorts[i].key) == 0)
            return i;
    return 0;
}

static json_t *
paging_json(struct http_req *r, const char *path, size_t sort, long page, long pages)
{
    struct arena *a = http_arena(r);
    json_t *j = json_pack("{s:i, s:i}", "page", (int)page, "pages", (int)pages);
    if (page > 1)
        json_object_set_new(j, "prev", json_string(arena_printf(a, "%s?csort=%s&cpage=%ld#comments",
                                                                path, sorts[sort].key, page - 1)));
    if (page < pages)
        json_object_set_new(j, "next", json_string(arena_printf(a, "%s?csort=%s&cpage=%ld#comments",
                                                                path, sorts[sort].key, page + 1)));
    json_t *list = json_array();
    for (size_t i = 0; i < ARRAY_SIZE(sorts); i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:b}", "label", sorts[i].label, "url",
                            arena_printf(a, "%s?csort=%s#comments", path, sorts[i].key), "current",
                            i == sort));
    json_object_set_new(j, "sorts", list);
    return j;
}

static const char *
closed_reason(struct talk *t, const struct store_article *art, int64_t now)
{
    if (art->comments_locked)
        return "The editors have closed comments on this article.";
    if (!comments_article_open(t->comments, art, now))
        return "Comments on this article are closed.";
    return NULL;
}

/* Every visible comment, replies included (total, for the pages, counts
 * threads); 0 when the store cannot say. */
static long
visible_count(struct talk *t, const struct store_article *art)
{
    long n = 0;
    if (store_call(t->site->store, comment_count, art->id, &n) != STORE_OK)
        n = 0;
    return n;
}

json_t *
talk_article_json(void *ctx, const struct store_article *art, struct http_req *r)
{
    struct talk *t = ctx;
    struct arena *a = http_arena(r);
    const char *path = site_article_path(a, art);
    size_t sort = sort_index(r);
    long page = 1;
    const char *pv = http_query(r, "cpage");
    if (pv && parse_long(pv, strlen(pv), 1, 100000, &page) != 0)
        page = 1;
    int size = t->comments->cfg.page_size > 0 ? t->comments->cfg.page_size : 20;
    struct store_comment_query q = {.article_id = art->id, .order = sorts[sort].order,
                                    .limit = size, .offset = (int)((page - 1) * size)};
    struct store_comment *list = NULL;
    size_t n = 0;
    long total = 0;
    bool ok = store_call(t->site->store, comment_list, &q, a, &list, &n, &total) == STORE_OK;
    long pages = total > 0 ? (total + size - 1) / size : 1;
    long count = visible_count(t, art);
    const char *closed = closed_reason(t, art, time_now());
    json_t *j = json_pack("{s:I, s:b, s:I, s:i, s:s, s:s, s:s, s:s}", "article_id",
                          (json_int_t)art->id, "available", ok, "count", (json_int_t)count,
                          "max_chars", t->comments->cfg.max_chars, "post_url",
                          arena_printf(a, "/comments/%lld", (long long)art->id), "write_url",
                          arena_printf(a, "/comments/%lld/write", (long long)art->id),
                          "return", path, "closed", closed ? closed : "");
    json_object_set_new(j, "open", json_boolean(closed == NULL));
    json_object_set_new(j, "items", ok ? items_json(r, list, n, art->id) : json_array());
    json_object_set_new(j, "paging", paging_json(r, path, sort, page, pages));
    json_object_set_new(j, "providers", talk_providers_json(t, r, path));
    return j;
}

/* --- the policy and help pages (public, cached) --- */

static int
static_page(struct talk *t, struct http_req *r, const char *title, const char *name)
{
    json_t *data = talk_page(t, r, title, http_path(r));
    json_object_set_new(data, "comments_cfg",
                        json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "max_chars",
                                  t->comments->cfg.max_chars, "per_article",
                                  t->comments->cfg.per_article, "interval",
                                  t->comments->cfg.min_interval_s, "per_day",
                                  t->comments->cfg.per_day, "edit_minutes",
                                  t->comments->cfg.edit_window_s / 60, "close_days",
                                  t->comments->cfg.close_after_days, "threshold",
                                  t->comments->cfg.report_threshold, "per_hour",
                                  t->comments->cfg.address_per_hour));
    json_object_set_new(data, "providers", talk_providers_json(t, r, "/"));
    static const char *const keys[] = {"policy"};
    http_cache_page(r, t->site->cfg.cache_seconds, keys, 1);
    return site_render(t->site, r, name, data);
}

static int
policy_page(struct http_req *r, void *ctx)
{
    return static_page(ctx, r, "Standards Board policy on comments", "policy_standards.html");
}

static int
help_page(struct http_req *r, void *ctx)
{
    return static_page(ctx, r, "Social comments: how they work", "help_social.html");
}

bool
talk_demo_allowed(const char *listen_host, const char *base_url, bool behind_tls,
                  bool trust_proxy)
{
    if (behind_tls || trust_proxy || listen_host == NULL)
        return false;
    bool loop = strcmp(listen_host, "127.0.0.1") == 0 || strcmp(listen_host, "::1") == 0 ||
                strcmp(listen_host, "localhost") == 0;
    bool url_ok = base_url == NULL || base_url[0] == '\0' ||
                  strncmp(base_url, "http://127.0.0.1:", 17) == 0 ||
                  strncmp(base_url, "http://localhost:", 17) == 0 ||
                  strncmp(base_url, "http://[::1]:", 13) == 0;
    return loop && url_ok;
}

void
talk_routes(struct talk *t, struct http_server *srv)
{
    http_route(srv, HTTP_GET | HTTP_HEAD, "/policy/standards", HTTP_ROUTE_CACHE, policy_page, t);
    http_route(srv, HTTP_GET | HTTP_HEAD, "/help/social-comments", HTTP_ROUTE_CACHE, help_page, t);
    talk_signin_routes(t, srv);
    talk_comment_routes(t, srv);
    talk_account_routes(t, srv);
    talk_moderation_routes(t, srv);
}
