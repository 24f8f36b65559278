/*
 * The rules over the store: posting with the rate limits, the author's
 * edit and deletion, likes and reports, and the moderators' actions.
 */
#include "comments/comments.h"

#include <stdlib.h>
#include <string.h>

void
comments_config_defaults(struct comments_config *c)
{
    *c = (struct comments_config){
        .max_chars = 250,
        .per_article = 3,
        .min_interval_s = 60,
        .per_day = 20,
        .address_per_hour = 30,
        .edit_window_s = 600,
        .delete_window_s = 0,
        .close_after_days = 30,
        .report_threshold = 3,
        .page_size = 20,
        .banned_words = xstrdup(""),
        .suspect_words = xstrdup(""),
    };
}

void
comments_config_release(struct comments_config *c)
{
    free(c->banned_words);
    free(c->suspect_words);
    c->banned_words = c->suspect_words = NULL;
}

static const struct {
    int status;
    const char *text;
} results[] = {
    [COMMENTS_OK] = {200, "Your comment is published."},
    [COMMENTS_HELD] = {202, "Thank you. Your comment waits for a moderator before it is shown."},
    [COMMENTS_DUPLICATE] = {200, "This comment was already sent; it was kept once."},
    [COMMENTS_EMPTY] = {422, "The comment is empty. Write something before sending it."},
    [COMMENTS_TOO_LONG] = {422, "The comment is longer than 250 characters. Shorten it and send "
                                "it again."},
    [COMMENTS_BAD_TEXT] = {422, "The comment could not be read as text. Write it again in the "
                                "box and send it."},
    [COMMENTS_BANNED_WORD] = {422, "The comment contains words that the Standards Board policy "
                                   "does not allow. Rephrase it and send it again."},
    [COMMENTS_CLOSED] = {403, "Comments on this article are closed."},
    [COMMENTS_SUSPENDED] = {403, "Your account may not comment at the moment because it is "
                                 "suspended under the Standards Board policy."},
    [COMMENTS_RATE_ARTICLE] = {429, "You have written as many comments on this article as one "
                                    "account may (3)."},
    [COMMENTS_RATE_INTERVAL] = {429, "You commented a moment ago. Wait a little before sending "
                                     "the next comment."},
    [COMMENTS_RATE_DAY] = {429, "You have written as many comments today as one account may "
                                "(20). Try again tomorrow."},
    [COMMENTS_RATE_ADDRESS] = {429, "Too many comments came from your network in the last hour. "
                                    "Try again later."},
    [COMMENTS_NOT_FOUND] = {404, "That comment or article is not here."},
    [COMMENTS_FORBIDDEN] = {403, "You can only change your own comments."},
    [COMMENTS_EDIT_EXPIRED] = {403, "The time to change this comment has passed."},
    [COMMENTS_BAD_PARENT] = {422, "You can reply to a comment, but not to a reply."},
    [COMMENTS_ALREADY] = {409, "You have already reported this comment. A moderator will look "
                               "at it."},
    [COMMENTS_BAD_ACTION] = {400, "That action is not known."},
    [COMMENTS_ERROR] = {503, "The comment could not be saved. Please try again in a moment."},
};

const char *
comments_result_message(enum comments_result r)
{
    return (unsigned)r < ARRAY_SIZE(results) ? results[r].text : results[COMMENTS_ERROR].text;
}

int
comments_result_status(enum comments_result r)
{
    return (unsigned)r < ARRAY_SIZE(results) ? results[r].status : 503;
}

bool
comments_result_is_rate(enum comments_result r)
{
    return r == COMMENTS_RATE_ARTICLE || r == COMMENTS_RATE_INTERVAL || r == COMMENTS_RATE_DAY ||
           r == COMMENTS_RATE_ADDRESS;
}

void
comments_init(struct comments *c, struct store *st, const struct comments_config *cfg)
{
    c->store = st;
    c->cfg = *cfg;
    c->cfg.banned_words = xstrdup(cfg->banned_words ? cfg->banned_words : "");
    c->cfg.suspect_words = xstrdup(cfg->suspect_words ? cfg->suspect_words : "");
    c->config_words = comments_words_new();
    comments_words_add_list(c->config_words, c->cfg.banned_words, true);
    comments_words_add_list(c->config_words, c->cfg.suspect_words, false);
}

void
comments_release(struct comments *c)
{
    comments_words_free(c->config_words);
    comments_config_release(&c->cfg);
    c->config_words = NULL;
}

int64_t
comments_article_closes(const struct comments *c, const struct store_article *art)
{
    if (c->cfg.close_after_days <= 0 || art->published_at == 0)
        return 0;
    return art->published_at + (int64_t)c->cfg.close_after_days * 86400;
}

bool
comments_article_open(const struct comments *c, const struct store_article *art, int64_t now)
{
    if (art->status != ARTICLE_PUBLISHED || art->published_at == 0 || art->published_at > now)
        return false;
    if (art->comments_locked)
        return false;
    int64_t closes = comments_article_closes(c, art);
    return closes == 0 || now < closes;
}

/* The words of the config and of the store together. */
static enum comments_words_verdict
words_verdict(struct comments *c, const char *text, size_t n)
{
    enum comments_words_verdict v = comments_words_check(c->config_words, text, n);
    if (v == COMMENTS_WORDS_BANNED)
        return v;
    struct arena *a = arena_new();
    struct store_comment_word *words;
    size_t nwords = 0;
    if (store_call(c->store, comment_words, a, &words, &nwords) == STORE_OK && nwords) {
        struct comments_words *w = comments_words_new();
        for (size_t i = 0; i < nwords; i++)
            comments_words_add(w, words[i].word, strcmp(words[i].kind, "banned") == 0);
        enum comments_words_verdict v2 = comments_words_check(w, text, n);
        comments_words_free(w);
        if (v2 > v)
            v = v2;
    }
    arena_free(a);
    return v;
}

/* --- posting --- */

struct rate_check {
    const struct comments_config *cfg;
    int64_t now;
    int retry_after;
};

static int
clamp_retry(int64_t s)
{
    return s < 1 ? 1 : s > 86400 * 366 ? 86400 * 366 : (int)s;
}

/* Runs inside the store's transaction with the counts it just read. */
static int
rate_check(const struct store_comment_counts *k, void *ctx)
{
    struct rate_check *rc = ctx;
    const struct comments_config *cfg = rc->cfg;
    int64_t now = rc->now;
    if (k->deleted_account)
        return COMMENTS_FORBIDDEN;
    if (k->suspended_until > now) {
        rc->retry_after = clamp_retry(k->suspended_until - now);
        return COMMENTS_SUSPENDED;
    }
    if (cfg->per_article > 0 && k->on_article >= cfg->per_article) {
        rc->retry_after = 86400;
        return COMMENTS_RATE_ARTICLE;
    }
    if (cfg->min_interval_s > 0 && k->last_at && now - k->last_at < cfg->min_interval_s) {
        rc->retry_after = clamp_retry(k->last_at + cfg->min_interval_s - now);
        return COMMENTS_RATE_INTERVAL;
    }
    if (cfg->per_day > 0 && k->last_day >= cfg->per_day) {
        rc->retry_after = clamp_retry(k->day_first_at + 86400 - now);
        return COMMENTS_RATE_DAY;
    }
    if (cfg->address_per_hour > 0 && k->address_last_hour >= cfg->address_per_hour) {
        rc->retry_after = clamp_retry(k->address_first_in_hour + 3600 - now);
        return COMMENTS_RATE_ADDRESS;
    }
    return 0;
}

/* The article must take comments; a reply's parent must be a visible
 * top-level comment of the same article. */
static enum comments_result
check_target(struct comments *c, const struct comments_post *in, struct arena *a)
{
    struct store_article art;
    int st = store_call(c->store, article_get, in->article_id, a, &art);
    if (st == STORE_NOTFOUND || (st == STORE_OK && art.status != ARTICLE_PUBLISHED))
        return COMMENTS_NOT_FOUND;
    if (st != STORE_OK)
        return COMMENTS_ERROR;
    if (!comments_article_open(c, &art, in->now))
        return COMMENTS_CLOSED;
    if (in->parent_id == 0)
        return COMMENTS_OK;
    struct store_comment parent;
    st = store_call(c->store, comment_get, in->parent_id, a, &parent);
    if (st == STORE_NOTFOUND)
        return COMMENTS_BAD_PARENT;
    if (st != STORE_OK)
        return COMMENTS_ERROR;
    if (parent.article_id != in->article_id || parent.parent_id != 0 ||
        parent.status != COMMENT_VISIBLE)
        return COMMENTS_BAD_PARENT;
    return COMMENTS_OK;
}

static bool
idem_key_ok(const char *k)
{
    size_t n = strlen(k);
    if (n < 8 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = k[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

static enum comments_result
store_new(struct comments *c, const struct comments_post *in, struct comments_outcome *out,
          enum comments_words_verdict words)
{
    struct store_comment cm = {
        .article_id = in->article_id,
        .parent_id = in->parent_id,
        .commenter_id = in->commenter_id,
        .body = out->clean,
        .status = words == COMMENTS_WORDS_SUSPECT ? COMMENT_HELD : COMMENT_VISIBLE,
        .hold_reason = (char *)(words == COMMENTS_WORDS_SUSPECT ? "words" : ""),
        .address = (char *)(in->address ? in->address : ""),
        .created_at = in->now,
        .idem_key = in->idem_key && idem_key_ok(in->idem_key) ? (char *)in->idem_key : NULL,
    };
    struct rate_check rc = {.cfg = &c->cfg, .now = in->now};
    int verdict = 0;
    int st = store_call(c->store, comment_add, &cm, rate_check, &rc, &verdict);
    out->id = cm.id;
    out->status = cm.status;
    out->retry_after = rc.retry_after;
    if (st == STORE_CONFLICT)
        return COMMENTS_DUPLICATE;
    if (st == STORE_INVALID && verdict)
        return (enum comments_result)verdict;
    if (st != STORE_OK)
        return COMMENTS_ERROR;
    return cm.status == COMMENT_HELD ? COMMENTS_HELD : COMMENTS_OK;
}

enum comments_result
comments_post(struct comments *c, const struct comments_post *in, struct comments_outcome *out)
{
    memset(out, 0, sizeof(*out));
    enum comments_result r =
        comments_text_check(in->text ? in->text : "", in->text ? in->len : 0, c->cfg.max_chars,
                            &out->clean, &out->chars);
    if (r != COMMENTS_OK)
        return r;
    struct arena *a = arena_new();
    r = check_target(c, in, a);
    arena_free(a);
    if (r != COMMENTS_OK)
        return r;
    enum comments_words_verdict words = words_verdict(c, out->clean, strlen(out->clean));
    if (words == COMMENTS_WORDS_BANNED)
        return COMMENTS_BANNED_WORD;
    return store_new(c, in, out, words);
}

/* Loads the author's own comment; NOT_FOUND or FORBIDDEN otherwise. */
static enum comments_result
own_comment(struct comments *c, int64_t id, int64_t commenter_id, struct arena *a,
            struct store_comment *cm)
{
    int st = store_call(c->store, comment_get, id, a, cm);
    if (st == STORE_NOTFOUND || (st == STORE_OK && cm->status == COMMENT_DELETED))
        return COMMENTS_NOT_FOUND;
    if (st != STORE_OK)
        return COMMENTS_ERROR;
    return cm->commenter_id == commenter_id ? COMMENTS_OK : COMMENTS_FORBIDDEN;
}

enum comments_result
comments_edit(struct comments *c, int64_t comment_id, int64_t commenter_id, const char *text,
              size_t len, int64_t now, struct comments_outcome *out)
{
    memset(out, 0, sizeof(*out));
    struct arena *a = arena_new();
    struct store_comment cm;
    enum comments_result r = own_comment(c, comment_id, commenter_id, a, &cm);
    if (r == COMMENTS_OK && (cm.status != COMMENT_VISIBLE && cm.status != COMMENT_HELD))
        r = COMMENTS_FORBIDDEN;
    if (r == COMMENTS_OK && now - cm.created_at > c->cfg.edit_window_s)
        r = COMMENTS_EDIT_EXPIRED;
    if (r == COMMENTS_OK)
        r = comments_text_check(text, len, c->cfg.max_chars, &out->clean, &out->chars);
    enum comments_words_verdict words = COMMENTS_WORDS_CLEAN;
    if (r == COMMENTS_OK)
        words = words_verdict(c, out->clean, strlen(out->clean));
    if (r == COMMENTS_OK && words == COMMENTS_WORDS_BANNED)
        r = COMMENTS_BANNED_WORD;
    if (r == COMMENTS_OK) {
        /* a held comment stays held; a clean one that gains suspect words is held */
        bool hold = words == COMMENTS_WORDS_SUSPECT || cm.status == COMMENT_HELD;
        out->status = hold ? COMMENT_HELD : COMMENT_VISIBLE;
        const char *reason = hold ? (cm.hold_reason[0] ? cm.hold_reason : "words") : "";
        int st = store_call(c->store, comment_edit, comment_id, out->clean, out->status, reason,
                            now);
        r = st == STORE_OK ? (hold ? COMMENTS_HELD : COMMENTS_OK)
            : st == STORE_NOTFOUND ? COMMENTS_NOT_FOUND
                                   : COMMENTS_ERROR;
        out->id = comment_id;
    }
    arena_free(a);
    return r;
}

enum comments_result
comments_delete(struct comments *c, int64_t comment_id, int64_t commenter_id, int64_t now)
{
    struct arena *a = arena_new();
    struct store_comment cm;
    enum comments_result r = own_comment(c, comment_id, commenter_id, a, &cm);
    if (r == COMMENTS_OK && c->cfg.delete_window_s > 0 &&
        now - cm.created_at > c->cfg.delete_window_s)
        r = COMMENTS_EDIT_EXPIRED;
    if (r == COMMENTS_OK) {
        int st = store_call(c->store, comment_set_status, comment_id, COMMENT_DELETED, "author",
                            NULL);
        r = st == STORE_OK ? COMMENTS_OK : COMMENTS_ERROR;
    }
    arena_free(a);
    return r;
}

/* A visible comment by someone else. */
static enum comments_result
others_visible(struct comments *c, int64_t comment_id, int64_t commenter_id)
{
    struct arena *a = arena_new();
    struct store_comment cm;
    int st = store_call(c->store, comment_get, comment_id, a, &cm);
    enum comments_result r = COMMENTS_OK;
    if (st == STORE_NOTFOUND || (st == STORE_OK && cm.status != COMMENT_VISIBLE))
        r = COMMENTS_NOT_FOUND;
    else if (st != STORE_OK)
        r = COMMENTS_ERROR;
    else if (cm.commenter_id == commenter_id)
        r = COMMENTS_FORBIDDEN;
    arena_free(a);
    return r;
}

enum comments_result
comments_like(struct comments *c, int64_t comment_id, int64_t commenter_id, bool on, int *likes)
{
    *likes = 0;
    enum comments_result r = others_visible(c, comment_id, commenter_id);
    if (r != COMMENTS_OK)
        return r;
    int st = store_call(c->store, comment_like, comment_id, commenter_id, on, likes);
    return st == STORE_OK ? COMMENTS_OK : st == STORE_NOTFOUND ? COMMENTS_NOT_FOUND : COMMENTS_ERROR;
}

enum comments_result
comments_report(struct comments *c, int64_t comment_id, int64_t commenter_id, const char *reason,
                bool *hidden)
{
    *hidden = false;
    enum comments_result r = others_visible(c, comment_id, commenter_id);
    if (r != COMMENTS_OK)
        return r;
    char *why = comments_name_clean(reason ? reason : "", reason ? strlen(reason) : 0);
    int st = store_call(c->store, comment_report, comment_id, commenter_id, why,
                        c->cfg.report_threshold, hidden);
    free(why);
    return st == STORE_OK ? COMMENTS_OK : st == STORE_CONFLICT ? COMMENTS_ALREADY : COMMENTS_ERROR;
}

/* --- moderation --- */

struct mod_action {
    const char *name;
    enum store_comment_status to;
    const char *reason;
};

static const struct mod_action mod_actions[] = {
    {"approve", COMMENT_VISIBLE, ""},    {"restore", COMMENT_VISIBLE, ""},
    {"reject", COMMENT_REJECTED, "moderator"}, {"delete", COMMENT_DELETED, "moderator"},
    {"hide", COMMENT_HIDDEN, "moderator"},
};

enum comments_result
comments_moderate(struct comments *c, int64_t comment_id, const char *action, const char *note,
                  const struct comments_staff *by, int64_t *article_id)
{
    const struct mod_action *act = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(mod_actions) && action; i++)
        if (strcmp(action, mod_actions[i].name) == 0)
            act = &mod_actions[i];
    if (act == NULL)
        return COMMENTS_BAD_ACTION;
    struct arena *a = arena_new();
    struct store_comment cm;
    int st = store_call(c->store, comment_get, comment_id, a, &cm);
    enum comments_result r = st == STORE_OK         ? COMMENTS_OK
                             : st == STORE_NOTFOUND ? COMMENTS_NOT_FOUND
                                                    : COMMENTS_ERROR;
    if (r == COMMENTS_OK) {
        *article_id = cm.article_id;
        char *detail = comments_name_clean(note ? note : "", note ? strlen(note) : 0);
        struct store_modlog log = {
            .staff_id = by->id,
            .staff_name = (char *)by->name,
            .action = (char *)act->name,
            .comment_id = comment_id,
            .commenter_id = cm.commenter_id,
            .detail = arena_printf(a, "%s -> %s%s%s", store_comment_status_name(cm.status),
                                   store_comment_status_name(act->to), detail[0] ? ": " : "",
                                   detail),
        };
        free(detail);
        st = store_call(c->store, comment_set_status, comment_id, act->to, act->reason, &log);
        r = st == STORE_OK ? COMMENTS_OK : COMMENTS_ERROR;
    }
    arena_free(a);
    return r;
}

enum comments_result
comments_suspend(struct comments *c, int64_t commenter_id, int days, const char *reason,
                 const struct comments_staff *by, int64_t now)
{
    if (days < 0 || days > 3650)
        return COMMENTS_BAD_ACTION;
    char *why = comments_name_clean(reason ? reason : "", reason ? strlen(reason) : 0);
    enum comments_result r = COMMENTS_OK;
    if (days > 0 && why[0] == '\0')
        r = COMMENTS_BAD_ACTION;
    if (r == COMMENTS_OK) {
        struct arena *a = arena_new();
        struct store_modlog log = {
            .staff_id = by->id,
            .staff_name = (char *)by->name,
            .action = (char *)(days ? "suspend" : "unsuspend"),
            .commenter_id = commenter_id,
            .detail = days ? arena_printf(a, "%d day%s: %s", days, days == 1 ? "" : "s", why)
                           : arena_strdup(a, ""),
        };
        int st = store_call(c->store, commenter_suspend, commenter_id,
                            days ? now + (int64_t)days * 86400 : 0, why, &log);
        r = st == STORE_OK ? COMMENTS_OK : st == STORE_NOTFOUND ? COMMENTS_NOT_FOUND
                                                                : COMMENTS_ERROR;
        arena_free(a);
    }
    free(why);
    return r;
}

enum comments_result
comments_word_set(struct comments *c, const char *word, const char *kind,
                  const struct comments_staff *by)
{
    if (kind && strcmp(kind, "banned") != 0 && strcmp(kind, "suspect") != 0)
        return COMMENTS_BAD_ACTION;
    char *w = comments_name_clean(word ? word : "", word ? strlen(word) : 0);
    enum comments_result r = w[0] ? COMMENTS_OK : COMMENTS_EMPTY;
    struct arena *a = arena_new();
    if (r == COMMENTS_OK) {
        struct store_modlog log = {
            .staff_id = by->id,
            .staff_name = (char *)by->name,
            .action = (char *)(kind ? "word-add" : "word-remove"),
            .detail = arena_printf(a, "%s%s%s", kind ? kind : "", kind ? ": " : "", w),
        };
        int st = store_call(c->store, comment_word_set, w, kind, &log);
        r = st == STORE_OK ? COMMENTS_OK : COMMENTS_ERROR;
    }
    arena_free(a);
    free(w);
    return r;
}
