/*
 * The moderation queue under /newsroom/moderation: held comments (suspect
 * words) and hidden ones (reports, moderators), with approve, reject,
 * delete, hide and restore; suspending a commenter for a period with a
 * reason; the word lists; the log of every action with who and when.
 * Every handler first asks the guard the newsroom supplies; without one,
 * everyone is refused. The pages render inside the newsroom's layout, and
 * a refused action shows the queue again with the reason.
 */
#include "talk/talk_int.h"

#include <stdlib.h>
#include <string.h>

#include "newsroom/newsroom.h"

#define QUEUE_PAGE 100 /* comments on one page of the queue */

static int
guard(struct talk *t, struct http_req *r, struct staff_user *u)
{
    memset(u, 0, sizeof(*u));
    if (t->guard == NULL)
        return http_error(r, 403, "the moderation queue is for moderators");
    int st = t->guard(r, t->guard_ctx, u);
    if (st == 0 && u->name == NULL)
        u->name = arena_strdup(http_arena(r), "staff");
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

/* The queue in the newsroom's layout; error ({title, text}, taken over),
 * when given, says why the action just posted did not work, and status is
 * its HTTP status. */
static int
queue_page(struct talk *t, struct http_req *r, const struct staff_user *u, int status,
           json_t *error)
{
    struct arena *a = http_arena(r);
    /* ?page= on the queue itself; an action answers with the first page */
    long page = 1;
    const char *p = http_query(r, "page");
    if (p == NULL || parse_long(p, strlen(p), 1, 100000, &page) != 0)
        page = 1;
    struct store_comment_query q = {
        .queue = true, .limit = QUEUE_PAGE, .offset = (int)((page - 1) * QUEUE_PAGE)};
    struct store_comment *list = NULL;
    size_t n = 0;
    long total = 0;
    if (store_call(t->site->store, comment_list, &q, a, &list, &n, &total) != STORE_OK) {
        json_decref(error);
        return http_error(r, 503, NULL);
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, queue_item(t, r, &list[i]));
    json_t *data =
        json_pack("{s:s, s:o, s:I, s:o, s:o}", "title", "Moderation queue", "queue", items, "total",
                  (json_int_t)total, "log", log_json(t, r), "words", words_json(t, r));
    long pages = (total + QUEUE_PAGE - 1) / QUEUE_PAGE;
    if (pages > 1) {
        json_t *pager =
            json_pack("{s:I, s:I}", "page", (json_int_t)page, "pages", (json_int_t)pages);
        if (page > 1)
            json_object_set_new(pager, "prev",
                                json_sprintf("/newsroom/moderation?page=%ld", page - 1));
        if (page < pages)
            json_object_set_new(pager, "next",
                                json_sprintf("/newsroom/moderation?page=%ld", page + 1));
        json_object_set_new(data, "pager", pager);
    }
    if (error)
        json_object_set_new(data, "error", error);
    /* what was typed in the by-number form stays in it after a refusal */
    if (http_param(r, "cid") == NULL && http_form(r, "id"))
        json_object_set_new(data, "by",
                            json_pack("{s:s, s:s}", "id", http_form(r, "id"), "note",
                                      http_form(r, "note") ? http_form(r, "note") : ""));
    int rc = newsroom_render(r, u, "newsroom/moderation.html", data);
    return rc == 200 ? status : rc;
}

static int
queue(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff_user u;
    int st = guard(t, r, &u);
    return st ? st : queue_page(t, r, &u, 200, NULL);
}

/* The queue again, with what went wrong above it. */
static int
refuse(struct talk *t, struct http_req *r, const struct staff_user *u, int status,
       const char *title, const char *text)
{
    return queue_page(t, r, u, status, json_pack("{s:s, s:s}", "title", title, "text", text));
}

/* After an action: the queue with what went wrong, or the queue again
 * with what was done (msg: a fixed code of the newsroom's messages). */
static int
after(struct talk *t, struct http_req *r, const struct staff_user *u, enum comments_result res,
      const char *msg)
{
    if (res != COMMENTS_OK)
        return refuse(t, r, u, comments_result_status(res), "That did not work",
                      comments_result_message(res));
    if (talk_wants_json(r))
        return talk_json(r, 200, json_pack("{s:b}", "ok", 1));
    http_no_store(r);
    return http_redirect(r, 303, arena_printf(http_arena(r), "/newsroom/moderation?msg=%s", msg));
}

static int
act_comment(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff_user u;
    int st = guard(t, r, &u);
    if (st)
        return st;
    int64_t cid;
    long n;
    const char *field = http_form(r, "id");
    if (http_param(r, "cid") == NULL && field &&
        parse_long(field, strlen(field), 1, INT64_MAX / 2, &n) == 0)
        cid = n;
    else if (talk_id_param(r, "cid", &cid) != 0)
        return refuse(t, r, &u, 404, "That did not work", "There is no comment with that number.");
    struct comments_staff by = {u.id, u.name};
    int64_t article_id = 0;
    enum comments_result res = comments_moderate(t->comments, cid, http_form(r, "action"),
                                                 http_form(r, "note"), &by, &article_id);
    if (res == COMMENTS_OK)
        talk_purge_article(r, article_id);
    /* when it worked, the action is one of comments_moderate's names */
    const char *action = res == COMMENTS_OK ? http_form(r, "action") : "";
    return after(t, r, &u, res, arena_printf(http_arena(r), "mod_%s", action));
}

static int
act_commenter(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff_user u;
    int st = guard(t, r, &u);
    if (st)
        return st;
    int64_t id;
    long days = -1;
    const char *dv = http_form(r, "days");
    if (talk_id_param(r, "id", &id) != 0)
        return http_error(r, 404, NULL);
    if (dv == NULL || parse_long(dv, strlen(dv), 0, 3650, &days) != 0)
        return refuse(t, r, &u, 422, "The suspension was not saved",
                      "Give the number of days (0 lifts a suspension).");
    struct comments_staff by = {u.id, u.name};
    enum comments_result res = comments_suspend(t->comments, id, (int)days,
                                                http_form(r, "reason"), &by, time_now());
    if (res == COMMENTS_BAD_ACTION)
        return refuse(t, r, &u, 422, "The suspension was not saved",
                      "A suspension needs a reason that the commenter can be told.");
    return after(t, r, &u, res, days ? "mod_suspend" : "mod_unsuspend");
}

static int
act_words(struct http_req *r, void *ctx)
{
    struct talk *t = ctx;
    struct staff_user u;
    int st = guard(t, r, &u);
    if (st)
        return st;
    const char *kind = http_form(r, "kind");
    if (kind && strcmp(kind, "remove") == 0)
        kind = NULL;
    struct comments_staff by = {u.id, u.name};
    return after(t, r, &u, comments_word_set(t->comments, http_form(r, "word"), kind, &by),
                 "mod_words");
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
