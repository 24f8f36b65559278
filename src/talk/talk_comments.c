/*
 * Writing comments: the private write page (the path without JavaScript),
 * posting and replying, the author's edit and deletion, likes and reports.
 * Each answers a fetch() with JSON and a form with a redirect or the form
 * again, the text kept, with what went wrong. A post is answered only
 * after its transaction committed; the article's cached page is purged so
 * it shows the change at once.
 */
#include "talk/talk_int.h"

#include <stdlib.h>
#include <string.h>

#define ECHO_MAX (COMMENTS_MAX_BYTES * 4)

/* A published article by id, or the status to answer with. */
static int
load_article(struct talk *t, struct http_req *r, int64_t id, struct store_article *art)
{
    int st = store_call(t->site->store, article_get, id, http_arena(r), art);
    if (st == STORE_NOTFOUND || (st == STORE_OK && (art->status != ARTICLE_PUBLISHED ||
                                                    art->published_at > time_now())))
        return 404;
    return st == STORE_OK ? 0 : 503;
}

static const char *
article_path_of(struct talk *t, struct http_req *r, int64_t article_id)
{
    struct store_article art;
    if (load_article(t, r, article_id, &art) != 0)
        return "/";
    return site_article_path(http_arena(r), &art);
}

static const char *
result_text(struct talk *t, struct http_req *r, enum comments_result res, long chars)
{
    if (res == COMMENTS_TOO_LONG && chars > 0)
        return arena_printf(http_arena(r),
                            "The comment has %ld characters; at most %d are allowed. Shorten it "
                            "and send it again.",
                            chars, t->comments->cfg.max_chars);
    if (res == COMMENTS_TOO_LONG)
        return arena_printf(http_arena(r),
                            "The comment is far longer than %d characters. Shorten it and send it "
                            "again.",
                            t->comments->cfg.max_chars);
    return comments_result_message(res);
}

struct form_state {
    const char *text; /* kept in the box */
    int64_t parent;
    const char *error;
    const char *notice;
    int64_t editing; /* the comment being edited, or 0 */
};

static json_t *
reply_json(struct talk *t, struct http_req *r, int64_t parent)
{
    struct store_comment c;
    if (parent == 0 ||
        store_call(t->site->store, comment_get, parent, http_arena(r), &c) != STORE_OK ||
        c.status != COMMENT_VISIBLE)
        return json_null();
    return json_pack("{s:I, s:s, s:o}", "id", (json_int_t)c.id, "author",
                     c.author_deleted ? "deleted account" : c.author_name, "pieces",
                     talk_pieces_json(c.body));
}

/* The write page: the form for a signed-in reader, the sign-in choices
 * otherwise, with the text kept and the error of the last attempt. */
static int
write_page(struct talk *t, struct http_req *r, int status, const struct store_article *art,
           const struct form_state *fs)
{
    struct arena *a = http_arena(r);
    struct talk_reader me;
    talk_reader_get(t, r, &me);
    const char *path = site_article_path(a, art);
    json_t *data = talk_page(t, r, fs->editing ? "Edit your comment" : "Write a comment", NULL);
    json_object_set_new(data, "article",
                        json_pack("{s:I, s:s, s:s}", "id", (json_int_t)art->id, "headline",
                                  art->headline, "url", path));
    const char *self = arena_printf(a, "/comments/%lld/write%s", (long long)art->id,
                                    fs->parent ? arena_printf(a, "?reply=%lld",
                                                              (long long)fs->parent)
                                               : "");
    const char *text = fs->text && strlen(fs->text) <= ECHO_MAX ? fs->text : "";
    json_t *form = json_pack(
        "{s:s, s:I, s:s, s:s, s:s, s:i, s:s}", "text", text, "parent", (json_int_t)fs->parent,
        "error", fs->error ? fs->error : "", "notice", fs->notice ? fs->notice : "", "action",
        fs->editing ? arena_printf(a, "/comment/%lld/edit", (long long)fs->editing)
                    : arena_printf(a, "/comments/%lld", (long long)art->id),
        "max_chars", t->comments->cfg.max_chars, "idem", talk_idem_key(r));
    json_object_set_new(form, "editing", json_integer(fs->editing));
    json_object_set_new(data, "form", form);
    json_object_set_new(data, "reply", reply_json(t, r, fs->parent));
    bool open = comments_article_open(t->comments, art, time_now());
    json_object_set_new(data, "open", json_boolean(open || fs->editing));
    if (me.id) {
        json_object_set_new(data, "reader", json_pack("{s:s}", "name", me.who.display_name));
        json_object_set_new(data, "csrf", json_string(http_csrf_token(r)));
    } else {
        json_object_set_new(data, "providers", talk_providers_json(t, r, self));
    }
    return talk_render(t, r, status, "comments_write.html", data);
}

/* The published article named by :aid, or the status to answer. */
static int
article_param(struct talk *t, struct http_req *r, struct store_article *art)
{
    int64_t aid;
    if (talk_id_param(r, "aid", &aid) != 0)
        return http_error(r, 404, NULL);
    int st = load_article(t, r, aid, art);
    return st ? http_error(r, st, NULL) : 0;
}

static int
write_get(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct store_article art;
    int st = article_param(t, r, &art);
    if (st)
        return st;
    long parent = 0;
    const char *rv = http_query(r, "reply");
    if (rv && parse_long(rv, strlen(rv), 1, INT64_MAX / 2, &parent) != 0)
        parent = 0;
    struct form_state fs = {.parent = parent};
    return write_page(t, r, 200, &art, &fs);
}

/* Not signed in: a JSON 401, or the write page (which offers sign-in). */
static int
need_reader(struct talk *t, struct http_req *r, struct talk_reader *me)
{
    talk_reader_get(t, r, me);
    if (me->id)
        return 0;
    if (talk_wants_json(r))
        return talk_json(r, 401, json_pack("{s:b, s:s}", "ok", 0, "message",
                                           "Sign in to comment."));
    return -1;
}

static void
retry_after(struct http_req *r, enum comments_result res, int seconds)
{
    if ((comments_result_is_rate(res) || res == COMMENTS_SUSPENDED) && seconds > 0) {
        char v[24];
        snprintf(v, sizeof(v), "%d", seconds);
        http_set_header(r, "retry-after", v);
    }
}

static int
post_answer(struct talk *t, struct http_req *r, const struct store_article *art,
            enum comments_result res, const struct comments_outcome *out, struct form_state *fs)
{
    struct arena *a = http_arena(r);
    int status = comments_result_status(res);
    retry_after(r, res, out->retry_after);
    if (res == COMMENTS_OK || res == COMMENTS_HELD || res == COMMENTS_DUPLICATE)
        talk_purge_article(r, art->id);
    const char *msg = result_text(t, r, res, out->chars);
    if (talk_wants_json(r))
        return talk_json(r, status,
                         json_pack("{s:b, s:s, s:I, s:s, s:I, s:i}", "ok",
                                   res == COMMENTS_OK || res == COMMENTS_HELD ||
                                       res == COMMENTS_DUPLICATE,
                                   "message", msg, "id", (json_int_t)out->id, "status",
                                   store_comment_status_name(out->status), "chars",
                                   (json_int_t)out->chars, "retry_after", out->retry_after));
    if (res == COMMENTS_OK || res == COMMENTS_DUPLICATE) {
        http_no_store(r);
        return http_redirect(r, 303, arena_printf(a, "%s#c-%lld", site_article_path(a, art),
                                                  (long long)out->id));
    }
    if (res == COMMENTS_HELD) {
        fs->text = "";
        fs->notice = msg;
    } else {
        fs->error = msg;
    }
    return write_page(t, r, status, art, fs);
}

static int
post(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct store_article art;
    int st = article_param(t, r, &art);
    if (st)
        return st;
    const char *body = http_form(r, "body");
    const char *pv = http_form(r, "parent");
    long parent = 0;
    if (pv && pv[0] && parse_long(pv, strlen(pv), 0, INT64_MAX / 2, &parent) != 0)
        return http_error(r, 400, "the reply's comment is not valid");
    struct form_state fs = {.text = body ? body : "", .parent = parent};
    struct talk_reader me;
    st = need_reader(t, r, &me);
    if (st > 0)
        return st;
    if (st < 0) {
        fs.error = "Sign in to comment. Your text is kept below.";
        return write_page(t, r, 401, &art, &fs);
    }
    const struct form *f = http_form_all(r);
    size_t len = 0;
    for (size_t i = 0; body && i < f->count; i++)
        if (f->fields[i].value == body)
            len = f->fields[i].value_len;
    struct comments_post in = {.article_id = art.id, .parent_id = parent, .commenter_id = me.id,
                               .text = body, .len = len, .address = http_peer(r),
                               .idem_key = http_form(r, "idem"), .now = time_now()};
    struct comments_outcome out;
    enum comments_result res = comments_post(t->comments, &in, &out);
    st = post_answer(t, r, &art, res, &out, &fs);
    free(out.clean);
    return st;
}

/* --- the author's edit and deletion --- */

/* The comment named by :cid and the signed-in reader; or the status to
 * answer: 404 for no such comment (or, when visible_only, one readers do
 * not see), a redirect to the sign-in page for no reader, coming back to
 * back (NULL: the comment's article). */
static int
comment_for_reader(struct talk *t, struct http_req *r, bool visible_only, const char *back,
                   struct talk_reader *me, struct store_comment *c)
{
    int64_t cid;
    if (talk_id_param(r, "cid", &cid) != 0 ||
        store_call(t->site->store, comment_get, cid, http_arena(r), c) != STORE_OK ||
        c->status == COMMENT_DELETED || (visible_only && c->status != COMMENT_VISIBLE))
        return http_error(r, 404, NULL);
    int st = need_reader(t, r, me);
    if (st > 0)
        return st;
    if (st < 0)
        return http_redirect(r, 303,
                             arena_printf(http_arena(r), "/signin?return=%s",
                                          back ? back : article_path_of(t, r, c->article_id)));
    return 0;
}

/* The reader's own comment named by :cid; or the status to answer. */
static int
own(struct talk *t, struct http_req *r, struct talk_reader *me, struct store_comment *c)
{
    int st = comment_for_reader(t, r, false, NULL, me, c);
    if (st == 0 && c->commenter_id != me->id)
        return http_error(r, 403, comments_result_message(COMMENTS_FORBIDDEN));
    return st;
}

/* The reader's own comment and its article, for the edit; or the status. */
static int
own_with_article(struct talk *t, struct http_req *r, struct talk_reader *me,
                 struct store_comment *c, struct store_article *art)
{
    int st = own(t, r, me, c);
    if (st)
        return st;
    st = load_article(t, r, c->article_id, art);
    return st ? http_error(r, st, NULL) : 0;
}

static int
edit_get(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader me;
    struct store_comment c;
    struct store_article art;
    int st = own_with_article(t, r, &me, &c, &art);
    if (st)
        return st;
    struct form_state fs = {.text = c.body, .parent = c.parent_id, .editing = c.id};
    if (time_now() - c.created_at > t->comments->cfg.edit_window_s)
        fs.error = comments_result_message(COMMENTS_EDIT_EXPIRED);
    return write_page(t, r, 200, &art, &fs);
}

static int
edit_post(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader me;
    struct store_comment c;
    struct store_article art;
    int st = own_with_article(t, r, &me, &c, &art);
    if (st)
        return st;
    const char *body = http_form(r, "body");
    struct comments_outcome out;
    enum comments_result res = comments_edit(t->comments, c.id, me.id, body ? body : "",
                                             body ? strlen(body) : 0, time_now(), &out);
    struct form_state fs = {.text = body ? body : "", .parent = c.parent_id, .editing = c.id};
    st = post_answer(t, r, &art, res, &out, &fs);
    free(out.clean);
    return st;
}

/* After a change: JSON, or back to the comment on its article. */
static int
done(struct talk *t, struct http_req *r, int64_t article_id, int64_t cid, json_t *extra)
{
    talk_purge_article(r, article_id);
    if (talk_wants_json(r)) {
        json_object_set_new(extra, "ok", json_true());
        return talk_json(r, 200, extra);
    }
    json_decref(extra);
    http_no_store(r);
    return http_redirect(r, 303, arena_printf(http_arena(r), "%s#c-%lld",
                                              article_path_of(t, r, article_id), (long long)cid));
}

static int
failed(struct talk *t, struct http_req *r, enum comments_result res, int64_t article_id)
{
    int status = comments_result_status(res);
    if (talk_wants_json(r))
        return talk_json(r, status, json_pack("{s:b, s:s}", "ok", 0, "message",
                                              comments_result_message(res)));
    return talk_message(t, r, status, "That did not work", comments_result_message(res),
                        article_path_of(t, r, article_id));
}

/* After an action on comment c: done (with extra, taken over) or failed. */
static int
answer(struct talk *t, struct http_req *r, enum comments_result res, const struct store_comment *c,
       json_t *extra)
{
    if (res == COMMENTS_OK)
        return done(t, r, c->article_id, c->id, extra);
    json_decref(extra);
    return failed(t, r, res, c->article_id);
}

static int
delete_post(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader me;
    struct store_comment c;
    int st = own(t, r, &me, &c);
    if (st)
        return st;
    return answer(t, r, comments_delete(t->comments, c.id, me.id, time_now()), &c, json_object());
}

/* --- likes and reports --- */

/* The visible comment a reader likes or reports; not signed in, to the
 * sign-in page and back to this one. */
static int
target(struct talk *t, struct http_req *r, struct talk_reader *me, struct store_comment *c)
{
    return comment_for_reader(t, r, true, http_path(r), me, c);
}

/* The page that asks to confirm a like or a report (without JavaScript). */
static int
confirm_page(struct talk *t, struct http_req *r, const char *what)
{
    struct talk_reader me;
    struct store_comment c;
    int st = target(t, r, &me, &c);
    if (st)
        return st;
    json_t *data = talk_page(t, r, strcmp(what, "like") == 0 ? "Like a comment"
                                                             : "Report a comment", NULL);
    json_object_set_new(data, "what", json_string(what));
    json_object_set_new(data, "csrf", json_string(http_csrf_token(r)));
    json_object_set_new(data, "back", json_string(article_path_of(t, r, c.article_id)));
    json_object_set_new(data, "comment",
                        json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)c.id, "author",
                                  c.author_deleted ? "deleted account" : c.author_name,
                                  "pieces", talk_pieces_json(c.body), "action",
                                  arena_printf(http_arena(r), "/comment/%lld/%s",
                                               (long long)c.id, what)));
    return talk_render(t, r, 200, "comments_confirm.html", data);
}

static int
like_get(struct http_req *r, void *ctx)
{
    return confirm_page(ctx, r, "like");
}

static int
report_get(struct http_req *r, void *ctx)
{
    return confirm_page(ctx, r, "report");
}

static int
like_post(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader me;
    struct store_comment c;
    int st = target(t, r, &me, &c);
    if (st)
        return st;
    const char *on = http_form(r, "on");
    int likes = 0;
    enum comments_result res =
        comments_like(t->comments, c.id, me.id, on == NULL || strcmp(on, "0") != 0, &likes);
    return answer(t, r, res, &c, json_pack("{s:i}", "likes", likes));
}

static int
report_post(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct talk_reader me;
    struct store_comment c;
    int st = target(t, r, &me, &c);
    if (st)
        return st;
    bool hidden = false;
    enum comments_result res =
        comments_report(t->comments, c.id, me.id, http_form(r, "reason"), &hidden);
    if (res == COMMENTS_OK && !talk_wants_json(r)) {
        talk_purge_article(r, c.article_id);
        return talk_message(t, r, 200, "Thank you for your report",
                            hidden ? "The comment is hidden until a moderator has looked at it."
                                   : "A moderator will look at the comment.",
                            article_path_of(t, r, c.article_id));
    }
    return answer(t, r, res, &c, json_pack("{s:b}", "hidden", hidden));
}

void
talk_comment_routes(struct talk *t, struct http_server *srv)
{
    http_route(srv, HTTP_GET | HTTP_HEAD, "/comments/:aid/write", 0, write_get, t);
    http_route(srv, HTTP_POST, "/comments/:aid", 0, post, t);
    http_route(srv, HTTP_GET | HTTP_HEAD, "/comment/:cid/edit", 0, edit_get, t);
    http_route(srv, HTTP_POST, "/comment/:cid/edit", 0, edit_post, t);
    http_route(srv, HTTP_POST, "/comment/:cid/delete", 0, delete_post, t);
    http_route(srv, HTTP_GET | HTTP_HEAD, "/comment/:cid/like", 0, like_get, t);
    http_route(srv, HTTP_POST, "/comment/:cid/like", 0, like_post, t);
    http_route(srv, HTTP_GET | HTTP_HEAD, "/comment/:cid/report", 0, report_get, t);
    http_route(srv, HTTP_POST, "/comment/:cid/report", 0, report_post, t);
}
