/*
 * The moderation queue under /newsroom/moderation: held comments (suspect
 * words) and hidden ones (reports, moderators), with approve, reject,
 * delete, hide and restore; suspending a commenter for a period with a
 * reason; the word lists; the log of every action with who and when.
 * Every handler first asks the guard the newsroom supplies; without one,
 * everyone is refused.
 */
#include "talk/talk_int.h"

#include <stdlib.h>
#include <string.h>

struct staff {
    int64_t id;
    const char *name;
};

static int
guard(struct talk *t, struct http_req *r, struct staff *s)
{
    if (t->guard == NULL)
        return http_error(r, 403, "the moderation queue is for moderators");
    s->id = 0;
    s->name = NULL;
    int st = t->guard(r, t->guard_ctx, &s->id, &s->name);
    if (st == 0 && s->name == NULL)
        s->name = "staff";
    return st;
}

static json_t *
queue_item(struct talk *t, struct http_req *r, const struct store_comment *c)
{
    struct arena *a = http_arena(r);
    struct store_commenter who;
    bool have = store_call(t->site->store, commenter_get, c->commenter_id, a, &who) == STORE_OK;
    json_t *j = json_pack(
        "{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:I, s:i, s:i, s:I, s:s}", "id", (json_int_t)c->id,
        "article_id", (json_int_t)c->article_id, "article", c->article_title, "author",
        c->author_deleted ? "deleted account" : c->author_name, "pieces",
        talk_pieces_json(c->body), "status", store_comment_status_name(c->status), "reason",
        c->hold_reason, "created", (json_int_t)c->created_at, "reports", c->reports, "likes",
        c->likes, "commenter_id", (json_int_t)c->commenter_id, "action",
        arena_printf(a, "/newsroom/moderation/comment/%lld", (long long)c->id));
    json_object_set_new(j, "suspend_action",
                        json_string(arena_printf(a, "/newsroom/moderation/commenter/%lld",
                                                 (long long)c->commenter_id)));
    if (have && who.suspended_until > time_now())
        json_object_set_new(j, "suspended_until", json_integer(who.suspended_until));
    json_object_set_new(j, "address", json_string(c->address));
    return j;
}

static json_t *
log_json(struct talk *t, struct http_req *r)
{
    struct store_modlog *log;
    size_t n = 0;
    json_t *arr = json_array();
    if (store_call(t->site->store, modlog_list, 50, http_arena(r), &log, &n) != STORE_OK)
        return arr;
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:I, s:I, s:s}", "at", (json_int_t)log[i].at,
                           "staff", log[i].staff_name, "action", log[i].action, "comment_id",
                           (json_int_t)log[i].comment_id, "commenter_id",
                           (json_int_t)log[i].commenter_id, "detail", log[i].detail));
    return arr;
}

static json_t *
words_json(struct talk *t, struct http_req *r)
{
    struct store_comment_word *w;
    size_t n = 0;
    json_t *arr = json_array();
    if (store_call(t->site->store, comment_words, http_arena(r), &w, &n) == STORE_OK)
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s, s:s}", "word", w[i].word, "kind",
                                                 w[i].kind));
    return arr;
}

static int
queue_page(struct talk *t, struct http_req *r, const struct staff *s, const char *notice)
{
    struct arena *a = http_arena(r);
    struct store_comment_query q = {.queue = true, .limit = 100};
    struct store_comment *list = NULL;
    size_t n = 0;
    long total = 0;
    if (store_call(t->site->store, comment_list, &q, a, &list, &n, &total) != STORE_OK)
        return http_error(r, 503, NULL);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, queue_item(t, r, &list[i]));
    json_t *data = talk_page(t, r, "Moderation queue", "/newsroom/moderation");
    json_object_set_new(data, "queue", items);
    json_object_set_new(data, "total", json_integer(total));
    json_object_set_new(data, "log", log_json(t, r));
    json_object_set_new(data, "words", words_json(t, r));
    json_object_set_new(data, "staff", json_pack("{s:s}", "name", s->name));
    json_object_set_new(data, "csrf", json_string(http_csrf_token(r)));
    json_object_set_new(data, "notice", json_string(notice ? notice : ""));
    return talk_render(t, r, 200, "newsroom/moderation.html", data);
}

static int
queue(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff s;
    int st = guard(t, r, &s);
    return st ? st : queue_page(t, r, &s, NULL);
}

static int
after(struct talk *t, struct http_req *r, const struct staff *s, enum comments_result res)
{
    if (res != COMMENTS_OK)
        return talk_message(t, r, comments_result_status(res), "That did not work",
                            comments_result_message(res), "/newsroom/moderation");
    if (talk_wants_json(r))
        return talk_json(r, 200, json_pack("{s:b}", "ok", 1));
    (void)s;
    http_no_store(r);
    return http_redirect(r, 303, "/newsroom/moderation");
}

static int
act_comment(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff s;
    int st = guard(t, r, &s);
    if (st)
        return st;
    int64_t cid;
    long n;
    const char *field = http_form(r, "id");
    if (http_param(r, "cid") == NULL && field &&
        parse_long(field, strlen(field), 1, INT64_MAX / 2, &n) == 0)
        cid = n;
    else if (talk_id_param(r, "cid", &cid) != 0)
        return talk_message(t, r, 404, "That did not work", "There is no comment with that number.",
                            "/newsroom/moderation");
    struct comments_staff by = {s.id, s.name};
    int64_t article_id = 0;
    enum comments_result res = comments_moderate(t->comments, cid, http_form(r, "action"),
                                                 http_form(r, "note"), &by, &article_id);
    if (res == COMMENTS_OK)
        talk_purge_article(r, article_id);
    return after(t, r, &s, res);
}

static int
act_commenter(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff s;
    int st = guard(t, r, &s);
    if (st)
        return st;
    int64_t id;
    long days = -1;
    const char *dv = http_form(r, "days");
    if (talk_id_param(r, "id", &id) != 0)
        return http_error(r, 404, NULL);
    if (dv == NULL || parse_long(dv, strlen(dv), 0, 3650, &days) != 0)
        return talk_message(t, r, 422, "The suspension was not saved",
                            "Give the number of days (0 lifts a suspension).",
                            "/newsroom/moderation");
    struct comments_staff by = {s.id, s.name};
    enum comments_result res = comments_suspend(t->comments, id, (int)days,
                                                http_form(r, "reason"), &by, time_now());
    if (res == COMMENTS_BAD_ACTION)
        return talk_message(t, r, 422, "The suspension was not saved",
                            "A suspension needs a reason that the commenter can be told.",
                            "/newsroom/moderation");
    return after(t, r, &s, res);
}

static int
act_words(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff s;
    int st = guard(t, r, &s);
    if (st)
        return st;
    const char *kind = http_form(r, "kind");
    if (kind && strcmp(kind, "remove") == 0)
        kind = NULL;
    struct comments_staff by = {s.id, s.name};
    return after(t, r, &s, comments_word_set(t->comments, http_form(r, "word"), kind, &by));
}

void
talk_moderation_routes(struct talk *t, struct http_server *srv)
{
    http_route(srv, HTTP_GET | HTTP_HEAD, "/newsroom/moderation", 0, queue, t);
    http_route(srv, HTTP_POST, "/newsroom/moderation/comment", 0, act_comment, t);
    http_route(srv, HTTP_POST, "/newsroom/moderation/comment/:cid", 0, act_comment, t);
    http_route(srv, HTTP_POST, "/newsroom/moderation/commenter/:id", 0, act_commenter, t);
    http_route(srv, HTTP_POST, "/newsroom/moderation/words", 0, act_words, t);
}
