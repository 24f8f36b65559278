/*
 * The reader's own things: /api/me (the signed-in state and a CSRF token
 * for cached pages, never stored by any cache), the account page with
 * their comments, the download of their comments as JSON, and deleting
 * the account.
 *
 * Deleting an account removes its identities, sessions, likes and
 * reports, and blanks its name; the comments stay so that replies keep
 * their context, shown as by "deleted account". A reader who wants a
 * comment gone deletes it first (the account page lists them all).
 */
#include "talk/talk_int.h"

#include <stdlib.h>
#include <string.h>

static int
me(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader rd;
    talk_reader_get(t, r, &rd);
    json_t *j = json_pack("{s:b, s:s, s:s}", "signed_in", rd.id != 0, "csrf",
                          http_csrf_token(r), "idem", talk_idem_key(r));
    if (rd.id) {
        json_object_set_new(j, "id", json_integer(rd.id));
        json_object_set_new(j, "name", json_string(rd.who.display_name));
        json_object_set_new(j, "provider", json_string(rd.who.provider));
        json_object_set_new(j, "edit_window", json_integer(t->comments->cfg.edit_window_s));
        if (rd.who.suspended_until > time_now())
            json_object_set_new(j, "suspended_until", json_integer(rd.who.suspended_until));
    }
    return talk_json(r, 200, j);
}

static json_t *
mine_json(struct talk *t, struct http_req *r, int64_t id, bool full)
{
    struct arena *a = http_arena(r);
    struct store_comment_query q = {.commenter_id = id, .limit = full ? 100000 : 200};
    struct store_comment *list = NULL;
    size_t n = 0;
    long total = 0;
    json_t *arr = json_array();
    if (store_call(t->site->store, comment_list, &q, a, &list, &n, &total) != STORE_OK)
        return arr;
    int64_t now = time_now();
    for (size_t i = 0; i < n; i++) {
        const struct store_comment *c = &list[i];
        char when[32];
        time_iso8601(c->created_at, when);
        json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)c->id,
                              "article_id", (json_int_t)c->article_id, "article",
                              c->article_title, "created", when, "status",
                              store_comment_status_name(c->status), "text", c->body, "likes",
                              c->likes);
        json_object_set_new(j, "parent_id", c->parent_id ? json_integer(c->parent_id)
                                                         : json_null());
        if (!full) {
            json_object_set_new(j, "created_at", json_integer(c->created_at));
            bool live = c->status == COMMENT_VISIBLE || c->status == COMMENT_HELD;
            json_object_set_new(j, "editable",
                                json_boolean(live && now - c->created_at <=
                                                         t->comments->cfg.edit_window_s));
            json_object_set_new(j, "deletable", json_boolean(c->status != COMMENT_DELETED));
            json_object_set_new(j, "url", json_string(arena_printf(
                                              a, "/article/%lld#c-%lld",
                                              (long long)c->article_id, (long long)c->id)));
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

static int
account(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader rd;
    talk_reader_get(t, r, &rd);
    if (rd.id == 0) {
        http_no_store(r);
        return http_redirect(r, 303, "/signin?return=/account/comments");
    }
    json_t *data = talk_page(t, r, "Your comments", "/account/comments");
    json_object_set_new(data, "reader",
                        json_pack("{s:s, s:s, s:I}", "name", rd.who.display_name, "provider",
                                  rd.who.provider, "suspended_until",
                                  (json_int_t)(rd.who.suspended_until > time_now()
                                                   ? rd.who.suspended_until
                                                   : 0)));
    json_object_set_new(data, "comments", mine_json(t, r, rd.id, false));
    json_object_set_new(data, "csrf", json_string(http_csrf_token(r)));
    return talk_render(t, r, 200, "account_comments.html", data);
}

static int
export(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader rd;
    talk_reader_get(t, r, &rd);
    if (rd.id == 0)
        return http_error(r, 401, "sign in to download your comments");
    char when[32];
    time_iso8601(rd.who.created_at, when);
    json_t *j = json_pack("{s:{s:I, s:s, s:s, s:s}, s:o}", "account", "id", (json_int_t)rd.id,
                          "name", rd.who.display_name, "provider", rd.who.provider, "created",
                          when, "comments", mine_json(t, r, rd.id, true));
    http_set_header(r, "content-disposition", "attachment; filename=\"my-comments.json\"");
    return talk_json(r, 200, j);
}

static int
delete_account(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader rd;
    talk_reader_get(t, r, &rd);
    if (rd.id == 0)
        return http_error(r, 401, "sign in to delete your account");
    const char *confirm = http_form(r, "confirm");
    if (confirm == NULL || strcmp(confirm, "delete") != 0)
        return talk_message(t, r, 422, "The account was not deleted",
                            "Type the word delete in the box to confirm.", "/account/comments");
    if (store_call(t->site->store, commenter_delete, rd.id) != STORE_OK)
        return http_error(r, 503, NULL);
    talk_session_end(t, r);
    /* every page may show the name: let them all be rendered again */
    http_cache_purge_all(http_server_of(r));
    return talk_message(t, r, 200, "Your account is deleted",
                        "Your sign-in, likes and reports are removed. Your comments stay, shown "
                        "as written by a deleted account.",
                        "/");
}

void
talk_account_routes(struct talk *t, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/api/me", 0, me, t);
    http_route(srv, HTTP_GET | HTTP_HEAD, "/account/comments", 0, account, t);
    http_route(srv, HTTP_GET, "/account/comments.json", 0, export, t);
    http_route(srv, HTTP_POST, "/account/delete", 0, delete_account, t);
}
