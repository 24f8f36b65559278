/*
 * comments: the rules of readers' comments, testable without a server.
 *
 * A comment is plain text: text_clean() (NFC, control characters removed,
 * newlines kept), then at most max_chars user-perceived characters by
 * text_length(), the product's one counter. Links are found at render time
 * (comments_linkify) and only http and https become links. Replies are one
 * level deep. Banned words refuse a comment (the message never repeats the
 * list); suspect words hold it for a moderator; reports at the threshold
 * hide it pending review. Rate limits per account and per address are
 * checked in the same store transaction that inserts the comment. A
 * comment is acknowledged only after that transaction commits, and a form
 * posted twice (same idempotency key) is stored once.
 *
 * Design note: docs/design/comments.md.
 */
#ifndef BROADSHEET_COMMENTS_H
#define BROADSHEET_COMMENTS_H

#include "core/core.h"
#include "store/store.h"

struct comments_config {
    int max_chars;        /* 250 */
    int per_article;      /* comments per article per account: 3 */
    int min_interval_s;   /* between two comments of one account: 60 */
    int per_day;          /* per account in 24 hours: 20 */
    int address_per_hour; /* per client address in an hour: 30 */
    int edit_window_s;    /* the author may edit for this long: 600 */
    int delete_window_s;  /* the author may delete for this long; 0: always */
    int close_after_days; /* comments close this long after publication; 0: never */
    int report_threshold; /* reports that hide a comment pending review: 3 */
    int page_size;        /* top-level comments per page: 20 */
    char *banned_words;   /* comma-separated, from the config file; the store adds more */
    char *suspect_words;
};
void comments_config_defaults(struct comments_config *c);
void comments_config_release(struct comments_config *c);

enum comments_result {
    COMMENTS_OK = 0,
    COMMENTS_HELD,      /* stored, waiting for a moderator */
    COMMENTS_DUPLICATE, /* this form was stored already; the id is the earlier one */
    COMMENTS_EMPTY,
    COMMENTS_TOO_LONG,
    COMMENTS_BAD_TEXT, /* not UTF-8, or far too large to consider */
    COMMENTS_BANNED_WORD,
    COMMENTS_CLOSED,
    COMMENTS_SUSPENDED,
    COMMENTS_RATE_ARTICLE,
    COMMENTS_RATE_INTERVAL,
    COMMENTS_RATE_DAY,
    COMMENTS_RATE_ADDRESS,
    COMMENTS_NOT_FOUND,
    COMMENTS_FORBIDDEN,
    COMMENTS_EDIT_EXPIRED,
    COMMENTS_BAD_PARENT,
    COMMENTS_ALREADY,
    COMMENTS_BAD_ACTION,
    COMMENTS_ERROR,
};
/* A sentence for the reader (or moderator) that says what to do next. */
const char *comments_result_message(enum comments_result r);
/* The HTTP status a handler answers with for this result. */
int comments_result_status(enum comments_result r);
bool comments_result_is_rate(enum comments_result r);

/* --- text --- */
/* Bytes beyond this are refused before any Unicode work (a 100 KB body). */
#define COMMENTS_MAX_BYTES 8192

/* Cleans and measures a comment: *out (malloc'ed) and *chars on OK and on
 * TOO_LONG; TOO_LONG with no text and chars 0 beyond COMMENTS_MAX_BYTES;
 * EMPTY after cleaning; BAD_TEXT if not UTF-8. */
enum comments_result comments_text_check(const char *p, size_t n, int max_chars, char **out,
                                         long *chars);

/* A display name from a provider or the demo page: cleaned, one line, at
 * most 40 characters; "" if nothing usable is left. malloc'ed. */
char *comments_name_clean(const char *p, size_t n);

/* --- word lists --- */
struct comments_words;
struct comments_words *comments_words_new(void);
void comments_words_free(struct comments_words *w);
/* Adds a word or phrase (case-folded, NFC); ignored if empty or invalid. */
void comments_words_add(struct comments_words *w, const char *word, bool banned);
/* Adds each item of a comma-separated list. */
void comments_words_add_list(struct comments_words *w, const char *list, bool banned);
enum comments_words_verdict {
    COMMENTS_WORDS_CLEAN,
    COMMENTS_WORDS_SUSPECT,
    COMMENTS_WORDS_BANNED,
};
/* Case-insensitive; a word made of ASCII letters or digits at its edge
 * must not touch another such character there ("ass" is not in "class"),
 * while Hangul and other scripts match inside words (particles attach). */
enum comments_words_verdict comments_words_check(const struct comments_words *w, const char *text,
                                                 size_t n);

/* --- links --- */
/* Calls fn for each piece of text in order: plain text, or a link
 * (http:// or https:// followed by URL characters, trailing punctuation
 * left out, at most 2000 bytes, with a host). The pieces cover the text. */
typedef void (*comments_piece_fn)(const char *p, size_t n, bool link, void *ctx);
void comments_linkify(const char *text, size_t n, comments_piece_fn fn, void *ctx);

/* --- the rules over the store --- */
struct comments {
    struct store *store;
    struct comments_config cfg;
    struct comments_words *config_words; /* from the config file */
};
/* cfg is copied; the words of the config are compiled once. */
void comments_init(struct comments *c, struct store *st, const struct comments_config *cfg);
void comments_release(struct comments *c);

/* Whether new comments are taken on this article now (published, not
 * locked by an editor, not past close_after_days). */
bool comments_article_open(const struct comments *c, const struct store_article *art, int64_t now);
/* When an open article closes, or 0 if it never does. */
int64_t comments_article_closes(const struct comments *c, const struct store_article *art);

struct comments_post {
    int64_t article_id;
    int64_t parent_id; /* 0, or the top-level comment this replies to */
    int64_t commenter_id;
    const char *text;
    size_t len;
    const char *address;
    const char *idem_key; /* from the form; NULL or "" when absent */
    int64_t now;
};
struct comments_outcome {
    int64_t id;
    long chars;
    int retry_after; /* seconds, for the rate limits and suspensions */
    enum store_comment_status status;
    char *clean; /* the cleaned text, malloc'ed, or NULL; the caller frees it */
};
enum comments_result comments_post(struct comments *c, const struct comments_post *in,
                                   struct comments_outcome *out);
/* The author's edit within the edit window. */
enum comments_result comments_edit(struct comments *c, int64_t comment_id, int64_t commenter_id,
                                   const char *text, size_t len, int64_t now,
                                   struct comments_outcome *out);
/* The author's deletion (within delete_window_s when set). */
enum comments_result comments_delete(struct comments *c, int64_t comment_id,
                                     int64_t commenter_id, int64_t now);
enum comments_result comments_like(struct comments *c, int64_t comment_id, int64_t commenter_id,
                                   bool on, int *likes);
enum comments_result comments_report(struct comments *c, int64_t comment_id,
                                     int64_t commenter_id, const char *reason, bool *hidden);

/* --- moderation (the caller has checked the staff member's right) --- */
struct comments_staff {
    int64_t id;
    const char *name;
};
/* action: "approve", "reject", "delete", "hide" or "restore". */
enum comments_result comments_moderate(struct comments *c, int64_t comment_id, const char *action,
                                       const char *note, const struct comments_staff *by,
                                       int64_t *article_id);
/* days 0 lifts a suspension; a suspension needs a reason. */
enum comments_result comments_suspend(struct comments *c, int64_t commenter_id, int days,
                                      const char *reason, const struct comments_staff *by,
                                      int64_t now);
/* kind "banned", "suspect", or NULL to remove. */
enum comments_result comments_word_set(struct comments *c, const char *word, const char *kind,
                                       const struct comments_staff *by);

#endif
