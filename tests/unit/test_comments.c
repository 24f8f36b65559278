/*
 * The rules of comments: text and the 250-character limit, word lists,
 * links, replies, likes, reports, rate limits, suspensions, closed
 * threads, the edit window, idempotency, moderation and the log, account
 * deletion. Against a real SQLite store in a temporary file.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comments/comments.h"
#include "store/store.h"

static struct store *st;
static struct comments cm;
static char dbpath[64];
static int64_t article_id, article2_id;
static int64_t alice, bob, carol;

static int64_t
add_article(int64_t section, int64_t published_at, bool locked)
{
    struct store_article a = {0};
    a.slug = (char *)"a";
    a.headline = (char *)"A headline";
    a.summary = (char *)"";
    a.body = (char *)"Body.";
    a.credit = (char *)"";
    a.status = ARTICLE_PUBLISHED;
    a.section_id = section;
    a.published_at = published_at;
    a.created_at = published_at;
    a.comments_locked = locked;
    cr_assert_eq(store_call(st, article_save, &a), STORE_OK);
    return a.id;
}

static int64_t
commenter(const char *provider, const char *subject, const char *name)
{
    int64_t id = 0;
    cr_assert_eq(store_call(st, commenter_signin, provider, subject, name, "", &id), STORE_OK);
    return id;
}

static void
setup(void)
{
    log_set_level(LOG_WARN);
    snprintf(dbpath, sizeof(dbpath), "/tmp/bs-test-comments-%d.db", (int)getpid());
    unlink(dbpath);
    char err[256];
    st = store_sqlite_open(dbpath, err, sizeof(err));
    cr_assert_not_null(st, "%s", err);
    struct store_section sec = {.slug = (char *)"news", .name = (char *)"News",
                                .description = (char *)""};
    cr_assert_eq(store_call(st, section_save, &sec), STORE_OK);
    article_id = add_article(sec.id, time_now() - 3600, false);
    article2_id = add_article(sec.id, time_now() - 3600, false);
    struct comments_config cfg;
    comments_config_defaults(&cfg);
    free(cfg.banned_words);
    free(cfg.suspect_words);
    cfg.banned_words = xstrdup("badword, 나쁜말");
    cfg.suspect_words = xstrdup("maybe");
    comments_init(&cm, st, &cfg);
    comments_config_release(&cfg);
    alice = commenter("google", "a-1", "Alice");
    bob = commenter("kakao", "b-1", "Bob");
    carol = commenter("naver", "c-1", "Carol");
}

static void
teardown(void)
{
    comments_release(&cm);
    store_close(st);
    unlink(dbpath);
    char side[80];
    snprintf(side, sizeof(side), "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", dbpath);
    unlink(side);
}

TestSuite(comments, .init = setup, .fini = teardown);

static enum comments_result
post_at(int64_t who, int64_t article, int64_t parent, const char *text, int64_t now,
        const char *addr, const char *idem, struct comments_outcome *out)
{
    struct comments_post in = {.article_id = article, .parent_id = parent, .commenter_id = who,
                               .text = text, .len = strlen(text),
                               .address = addr ? addr : "10.0.0.1", .idem_key = idem,
                               .now = now};
    enum comments_result r = comments_post(&cm, &in, out);
    free(out->clean);
    out->clean = NULL;
    return r;
}

static enum comments_result
post(int64_t who, const char *text, struct comments_outcome *out)
{
    return post_at(who, article_id, 0, text, time_now(), NULL, NULL, out);
}

static char *
repeat(const char *unit, int times)
{
    size_t n = strlen(unit);
    char *s = xmalloc(n * (size_t)times + 1);
    for (int i = 0; i < times; i++)
        memcpy(s + n * (size_t)i, unit, n);
    s[n * (size_t)times] = '\0';
    return s;
}

/* --- text --- */

Test(comments, exactly_250_characters_is_accepted_251_refused)
{
    char *ok = repeat("가", 250), *over = repeat("가", 251);
    char *clean;
    long chars;
    cr_assert_eq(comments_text_check(ok, strlen(ok), 250, &clean, &chars), COMMENTS_OK);
    cr_assert_eq(chars, 250);
    free(clean);
    cr_assert_eq(comments_text_check(over, strlen(over), 250, &clean, &chars), COMMENTS_TOO_LONG);
    cr_assert_eq(chars, 251);
    free(clean);
    free(ok);
    free(over);
}

Test(comments, decomposed_hangul_and_emoji_count_once)
{
    /* 한 as ᄒ + ᅡ + ᆫ (NFD), and a thumbs-up with a skin tone */
    const char *nfd = "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab";
    const char *thumb = "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd";
    char *clean;
    long chars;
    cr_assert_eq(comments_text_check(nfd, strlen(nfd), 250, &clean, &chars), COMMENTS_OK);
    cr_assert_eq(chars, 1);
    cr_assert_str_eq(clean, "\xed\x95\x9c"); /* stored composed */
    free(clean);
    cr_assert_eq(comments_text_check(thumb, strlen(thumb), 250, &clean, &chars), COMMENTS_OK);
    cr_assert_eq(chars, 1);
    free(clean);
    /* 250 decomposed syllables are 250 characters, not 750 */
    char *many = repeat(nfd, 250);
    cr_assert_eq(comments_text_check(many, strlen(many), 250, &clean, &chars), COMMENTS_OK);
    cr_assert_eq(chars, 250);
    free(clean);
    free(many);
}

Test(comments, controls_removed_newlines_kept_empty_and_bad_refused)
{
    char *clean;
    long chars;
    const char *t = "  line one\r\nline\x07 two\xe2\x80\xae  ";
    cr_assert_eq(comments_text_check(t, strlen(t), 250, &clean, &chars), COMMENTS_OK);
    cr_assert_str_eq(clean, "line one\nline two");
    free(clean);
    cr_assert_eq(comments_text_check(" \n\t ", 4, 250, &clean, &chars), COMMENTS_EMPTY);
    cr_assert_eq(comments_text_check("ab\xff", 3, 250, &clean, &chars), COMMENTS_BAD_TEXT);
    cr_assert_eq(comments_text_check("\xc0\xaf", 2, 250, &clean, &chars), COMMENTS_BAD_TEXT);
    char *big = repeat("a", 100 * 1024);
    cr_assert_eq(comments_text_check(big, strlen(big), 250, &clean, &chars), COMMENTS_TOO_LONG);
    cr_assert_null(clean);
    free(big);
}

Test(comments, display_names_are_cleaned_and_capped)
{
    char *n = comments_name_clean("  Kim\x01 \n Min-ji  ", 18);
    cr_assert_str_eq(n, "Kim   Min-ji");
    free(n);
    char *long_name = repeat("가", 100);
    n = comments_name_clean(long_name, strlen(long_name));
    cr_assert_eq(text_length(n, strlen(n)), 40);
    free(n);
    free(long_name);
    n = comments_name_clean("\xff\xfe", 2);
    cr_assert_str_eq(n, "");
    free(n);
}

/* --- words --- */

Test(comments, words_match_whole_latin_words_and_inside_hangul)
{
    struct comments_words *w = comments_words_new();
    comments_words_add(w, "ass", true);
    comments_words_add(w, "바보", true);
    comments_words_add(w, "Maybe Spam", false);
    cr_assert_eq(comments_words_check(w, "a classic class", 15), COMMENTS_WORDS_CLEAN);
    cr_assert_eq(comments_words_check(w, "you ASS!", 8), COMMENTS_WORDS_BANNED);
    const char *k = "너는바보야";
    cr_assert_eq(comments_words_check(w, k, strlen(k)), COMMENTS_WORDS_BANNED);
    cr_assert_eq(comments_words_check(w, "this is maybe spam.", 19), COMMENTS_WORDS_SUSPECT);
    comments_words_free(w);
}

/* --- links --- */

struct collected {
    char out[512];
};

static void
collect(const char *p, size_t n, bool link, void *ctx)
{
    struct collected *c = ctx;
    size_t len = strlen(c->out);
    snprintf(c->out + len, sizeof(c->out) - len, "%s%.*s%s", link ? "[" : "", (int)n, p,
             link ? "]" : "");
}

static const char *
linked(const char *text)
{
    static struct collected c;
    c.out[0] = '\0';
    comments_linkify(text, strlen(text), collect, &c);
    return c.out;
}

Test(comments, only_http_and_https_become_links)
{
    cr_assert_str_eq(linked("see https://example.com/a?b=1."), "see [https://example.com/a?b=1].");
    cr_assert_str_eq(linked("(http://x.org/wiki/A_(b))"), "([http://x.org/wiki/A_(b)])");
    cr_assert_str_eq(linked("javascript:alert(1) data:text/html,x"),
                     "javascript:alert(1) data:text/html,x");
    cr_assert_str_eq(linked("nohttps://x.org"), "nohttps://x.org");
    cr_assert_str_eq(linked("http://user@evil.org http://"), "http://user@evil.org http://");
    cr_assert_str_eq(linked("https://a.kr에서 봤어요"), "[https://a.kr]에서 봤어요");
    cr_assert_str_eq(linked("<https://a.org\"onmouseover=x>"), "<[https://a.org]\"onmouseover=x>");
}

/* --- posting, replies, likes, reports --- */

Test(comments, post_reply_one_level_like_report)
{
    struct comments_outcome o1, o2, o3;
    cr_assert_eq(post(alice, "첫 댓글입니다", &o1), COMMENTS_OK);
    cr_assert_eq(post_at(bob, article_id, o1.id, "답글", time_now(), NULL, NULL, &o2), COMMENTS_OK);
    /* a reply to a reply, and a reply across articles, are refused */
    cr_assert_eq(post_at(carol, article_id, o2.id, "x", time_now(), NULL, NULL, &o3),
                 COMMENTS_BAD_PARENT);
    cr_assert_eq(post_at(carol, article2_id, o1.id, "x", time_now(), NULL, NULL, &o3),
                 COMMENTS_BAD_PARENT);
    int likes;
    cr_assert_eq(comments_like(&cm, o1.id, bob, true, &likes), COMMENTS_OK);
    cr_assert_eq(comments_like(&cm, o1.id, bob, true, &likes), COMMENTS_OK);
    cr_assert_eq(likes, 1, "one like per account");
    cr_assert_eq(comments_like(&cm, o1.id, carol, true, &likes), COMMENTS_OK);
    cr_assert_eq(likes, 2);
    cr_assert_eq(comments_like(&cm, o1.id, alice, true, &likes), COMMENTS_FORBIDDEN);
    cr_assert_eq(comments_like(&cm, o1.id, carol, false, &likes), COMMENTS_OK);
    cr_assert_eq(likes, 1);
    bool hidden;
    cr_assert_eq(comments_report(&cm, o1.id, bob, "spam", &hidden), COMMENTS_OK);
    cr_assert_eq(comments_report(&cm, o1.id, bob, "spam", &hidden), COMMENTS_ALREADY);
    cr_assert_not(hidden);
}

Test(comments, reports_at_the_threshold_hide_pending_review)
{
    struct comments_outcome o;
    cr_assert_eq(post(alice, "contested", &o), COMMENTS_OK);
    bool hidden = false;
    int64_t who[3] = {bob, carol, commenter("x", "d-1", "Dan")};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(comments_report(&cm, o.id, who[i], "abuse", &hidden), COMMENTS_OK);
    cr_assert(hidden, "the third report hides it");
    struct arena *a = arena_new();
    struct store_comment c;
    cr_assert_eq(store_call(st, comment_get, o.id, a, &c), STORE_OK);
    cr_assert_eq(c.status, COMMENT_HIDDEN);
    cr_assert_str_eq(c.hold_reason, "reports");
    struct store_comment *list;
    size_t n;
    long total;
    struct store_comment_query q = {.article_id = article_id, .limit = 20};
    cr_assert_eq(store_call(st, comment_list, &q, a, &list, &n, &total), STORE_OK);
    cr_assert_eq(n, 0, "hidden comments are not listed");
    struct store_comment_query qq = {.queue = true, .limit = 20};
    cr_assert_eq(store_call(st, comment_list, &qq, a, &list, &n, &total), STORE_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(list[0].id, o.id);
    arena_free(a);
}

/* What the article's comment count says: every visible comment, replies
 * included; held and hidden ones are not counted. */
Test(comments, count_is_every_visible_comment_replies_included)
{
    struct comments_outcome top, reply, other, held;
    cr_assert_eq(post(alice, "a thread", &top), COMMENTS_OK);
    cr_assert_eq(post_at(bob, article_id, top.id, "a reply", time_now(), NULL, NULL, &reply),
                 COMMENTS_OK);
    cr_assert_eq(post(carol, "another thread", &other), COMMENTS_OK);
    cr_assert_eq(post(commenter("x", "d-1", "Dan"), "maybe so", &held), COMMENTS_HELD);
    long n = -1;
    cr_assert_eq(store_call(st, comment_count, article_id, &n), STORE_OK);
    cr_assert_eq(n, 3, "two threads, three visible comments: %ld", n);
    cr_assert_eq(store_call(st, comment_count, article2_id, &n), STORE_OK);
    cr_assert_eq(n, 0);
    struct comments_staff mod = {9, "Park"};
    int64_t aid = 0;
    cr_assert_eq(comments_moderate(&cm, reply.id, "hide", NULL, &mod, &aid), COMMENTS_OK);
    cr_assert_eq(store_call(st, comment_count, article_id, &n), STORE_OK);
    cr_assert_eq(n, 2);
}

Test(comments, banned_words_refuse_suspect_words_hold)
{
    struct comments_outcome o;
    cr_assert_eq(post(alice, "this has a BadWord in it", &o), COMMENTS_BANNED_WORD);
    cr_assert_null(strstr(comments_result_message(COMMENTS_BANNED_WORD), "badword"));
    cr_assert_eq(post(alice, "너 나쁜말 하지마", &o), COMMENTS_BANNED_WORD);
    cr_assert_eq(post(alice, "maybe so", &o), COMMENTS_HELD);
    /* a word added by a moderator counts too */
    struct comments_staff mod = {7, "Mod"};
    cr_assert_eq(comments_word_set(&cm, "frobnicate", "banned", &mod), COMMENTS_OK);
    cr_assert_eq(post_at(bob, article_id, 0, "please frobnicate", time_now(), "10.0.0.2", NULL, &o),
                 COMMENTS_BANNED_WORD);
}

/* --- limits --- */

Test(comments, three_per_article_sixty_seconds_apart)
{
    struct comments_outcome o;
    int64_t t0 = time_now();
    cr_assert_eq(post_at(alice, article_id, 0, "one", t0, NULL, NULL, &o), COMMENTS_OK);
    cr_assert_eq(post_at(alice, article_id, 0, "two", t0 + 30, NULL, NULL, &o),
                 COMMENTS_RATE_INTERVAL);
    cr_assert(o.retry_after > 0 && o.retry_after <= 30, "retry after %d", o.retry_after);
    cr_assert_eq(post_at(alice, article_id, 0, "two", t0 + 61, NULL, NULL, &o), COMMENTS_OK);
    cr_assert_eq(post_at(alice, article_id, 0, "three", t0 + 122, NULL, NULL, &o), COMMENTS_OK);
    cr_assert_eq(post_at(alice, article_id, 0, "four", t0 + 183, NULL, NULL, &o),
                 COMMENTS_RATE_ARTICLE);
    cr_assert_eq(comments_result_status(COMMENTS_RATE_ARTICLE), 429);
    /* another article is still open to her */
    cr_assert_eq(post_at(alice, article2_id, 0, "elsewhere", t0 + 244, NULL, NULL, &o),
                 COMMENTS_OK);
}

Test(comments, per_address_limit)
{
    comments_release(&cm);
    struct comments_config cfg;
    comments_config_defaults(&cfg);
    cfg.address_per_hour = 2;
    cfg.min_interval_s = 0;
    comments_init(&cm, st, &cfg);
    comments_config_release(&cfg);
    struct comments_outcome o;
    int64_t t = time_now();
    cr_assert_eq(post_at(alice, article_id, 0, "a", t, "192.0.2.9", NULL, &o), COMMENTS_OK);
    cr_assert_eq(post_at(bob, article_id, 0, "b", t, "192.0.2.9", NULL, &o), COMMENTS_OK);
    cr_assert_eq(post_at(carol, article_id, 0, "c", t, "192.0.2.9", NULL, &o),
                 COMMENTS_RATE_ADDRESS);
    cr_assert(o.retry_after > 3500);
    cr_assert_eq(post_at(carol, article_id, 0, "c", t, "192.0.2.10", NULL, &o), COMMENTS_OK);
}

Test(comments, suspension_for_a_period_with_a_reason_is_logged)
{
    struct comments_staff mod = {7, "Mod Kim"};
    int64_t now = time_now();
    cr_assert_eq(comments_suspend(&cm, bob, 3, "", &mod, now), COMMENTS_BAD_ACTION,
                 "a reason is required");
    cr_assert_eq(comments_suspend(&cm, bob, 3, "repeated insults", &mod, now), COMMENTS_OK);
    struct comments_outcome o;
    cr_assert_eq(post_at(bob, article_id, 0, "hello", now, NULL, NULL, &o), COMMENTS_SUSPENDED);
    cr_assert(o.retry_after > 2 * 86400);
    cr_assert_eq(post_at(bob, article_id, 0, "hello", now + 3 * 86400 + 1, NULL, NULL, &o),
                 COMMENTS_OK);
    struct arena *a = arena_new();
    struct store_modlog *log;
    size_t n;
    cr_assert_eq(store_call(st, modlog_list, 10, a, &log, &n), STORE_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(log[0].action, "suspend");
    cr_assert_str_eq(log[0].staff_name, "Mod Kim");
    cr_assert_eq(log[0].commenter_id, bob);
    cr_assert_not_null(strstr(log[0].detail, "repeated insults"));
    cr_assert(log[0].at >= now);
    arena_free(a);
}

Test(comments, closed_threads_locked_or_old)
{
    struct store_article art;
    struct arena *a = arena_new();
    cr_assert_eq(store_call(st, article_get, article_id, a, &art), STORE_OK);
    int64_t now = time_now();
    cr_assert(comments_article_open(&cm, &art, now));
    cr_assert_not(comments_article_open(&cm, &art, art.published_at + 31 * 86400));
    art.comments_locked = true;
    cr_assert_not(comments_article_open(&cm, &art, now));
    int64_t locked = add_article(art.section_id, now - 60, true);
    int64_t old = add_article(art.section_id, now - 40 * 86400, false);
    struct comments_outcome o;
    cr_assert_eq(post_at(alice, locked, 0, "x", now, NULL, NULL, &o), COMMENTS_CLOSED);
    cr_assert_eq(post_at(alice, old, 0, "x", now, NULL, NULL, &o), COMMENTS_CLOSED);
    arena_free(a);
}

Test(comments, edit_within_the_window_only_by_the_author)
{
    struct comments_outcome o, e;
    int64_t t = time_now();
    cr_assert_eq(post_at(alice, article_id, 0, "first version", t, NULL, NULL, &o), COMMENTS_OK);
    cr_assert_eq(comments_edit(&cm, o.id, bob, "hijack", 6, t + 10, &e), COMMENTS_FORBIDDEN);
    free(e.clean);
    cr_assert_eq(comments_edit(&cm, o.id, alice, "second version", 14, t + 10, &e), COMMENTS_OK);
    free(e.clean);
    cr_assert_eq(comments_edit(&cm, o.id, alice, "maybe third", 11, t + 20, &e), COMMENTS_HELD,
                 "an edit with suspect words is held");
    free(e.clean);
    cr_assert_eq(comments_edit(&cm, o.id, alice, "too late", 8, t + 601, &e),
                 COMMENTS_EDIT_EXPIRED);
    free(e.clean);
    struct arena *a = arena_new();
    struct store_comment c;
    cr_assert_eq(store_call(st, comment_get, o.id, a, &c), STORE_OK);
    cr_assert_str_eq(c.body, "maybe third");
    cr_assert_eq(c.edited_at, t + 20);
    arena_free(a);
    cr_assert_eq(comments_delete(&cm, o.id, bob, t + 700), COMMENTS_FORBIDDEN);
    cr_assert_eq(comments_delete(&cm, o.id, alice, t + 700), COMMENTS_OK);
    cr_assert_eq(comments_delete(&cm, o.id, alice, t + 700), COMMENTS_NOT_FOUND);
}

Test(comments, same_idempotency_key_is_stored_once)
{
    struct comments_outcome o1, o2;
    const char *key = "form-key-0123456789";
    int64_t t = time_now();
    cr_assert_eq(post_at(alice, article_id, 0, "once", t, NULL, key, &o1), COMMENTS_OK);
    cr_assert_eq(post_at(alice, article_id, 0, "once", t + 1, NULL, key, &o2),
                 COMMENTS_DUPLICATE);
    cr_assert_eq(o1.id, o2.id);
    struct arena *a = arena_new();
    struct store_comment *list;
    size_t n;
    long total;
    struct store_comment_query q = {.commenter_id = alice, .limit = 20};
    cr_assert_eq(store_call(st, comment_list, &q, a, &list, &n, &total), STORE_OK);
    cr_assert_eq(total, 1);
    arena_free(a);
}

Test(comments, moderation_actions_change_status_and_are_logged)
{
    struct comments_outcome o;
    cr_assert_eq(post(alice, "maybe held", &o), COMMENTS_HELD);
    struct comments_staff mod = {9, "Park"};
    int64_t aid = 0;
    cr_assert_eq(comments_moderate(&cm, o.id, "approve", "fine", &mod, &aid), COMMENTS_OK);
    cr_assert_eq(aid, article_id);
    cr_assert_eq(comments_moderate(&cm, o.id, "hide", NULL, &mod, &aid), COMMENTS_OK);
    cr_assert_eq(comments_moderate(&cm, o.id, "restore", NULL, &mod, &aid), COMMENTS_OK);
    cr_assert_eq(comments_moderate(&cm, o.id, "launch", NULL, &mod, &aid), COMMENTS_BAD_ACTION);
    cr_assert_eq(comments_moderate(&cm, 999999, "hide", NULL, &mod, &aid), COMMENTS_NOT_FOUND);
    struct arena *a = arena_new();
    struct store_modlog *log;
    size_t n;
    cr_assert_eq(store_call(st, modlog_list, 10, a, &log, &n), STORE_OK);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(log[0].action, "restore");
    cr_assert_str_eq(log[2].action, "approve");
    cr_assert_str_eq(log[2].detail, "held -> visible: fine");
    cr_assert_eq(log[2].staff_id, 9);
    struct store_comment c;
    cr_assert_eq(store_call(st, comment_get, o.id, a, &c), STORE_OK);
    cr_assert_eq(c.status, COMMENT_VISIBLE);
    arena_free(a);
}

Test(comments, accounts_keyed_by_provider_and_subject_deleted_account_keeps_comments)
{
    int64_t again = commenter("google", "a-1", "Alice Again");
    cr_assert_eq(again, alice);
    int64_t other = commenter("kakao", "a-1", "Alice");
    cr_assert_neq(other, alice, "the same subject at another provider is another account");
    struct comments_outcome o;
    cr_assert_eq(post(alice, "before deleting", &o), COMMENTS_OK);
    int likes;
    cr_assert_eq(comments_like(&cm, o.id, bob, true, &likes), COMMENTS_OK);
    cr_assert_eq(store_call(st, commenter_delete, bob), STORE_OK);
    cr_assert_eq(store_call(st, commenter_delete, alice), STORE_OK);
    struct arena *a = arena_new();
    struct store_comment c;
    cr_assert_eq(store_call(st, comment_get, o.id, a, &c), STORE_OK);
    cr_assert(c.author_deleted);
    cr_assert_str_eq(c.author_name, "");
    cr_assert_str_eq(c.body, "before deleting");
    cr_assert_eq(c.likes, 0, "the deleted account's like is gone");
    arena_free(a);
    cr_assert_eq(post_at(alice, article2_id, 0, "ghost", time_now() + 100, NULL, NULL, &o),
                 COMMENTS_FORBIDDEN);
    /* signing in again with the same identity makes a new account */
    cr_assert_neq(commenter("google", "a-1", "Alice"), alice);
}
