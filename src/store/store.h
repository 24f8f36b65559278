/*
 * store: the storage interface. Feature modules see records and operations;
 * only files under src/store/ know which database holds them. A backend is
 * a table of operations (struct store_ops); SQLite is the default, and a
 * test backend can plug in the same way.
 *
 * Records returned by the store are allocated in the caller's arena and
 * live as long as it does. Every operation may be called from any thread.
 * Times are Unix seconds (UTC).
 */
#ifndef BROADSHEET_STORE_H
#define BROADSHEET_STORE_H

#include "core/core.h"

enum store_status {
    STORE_OK = 0,
    STORE_NOTFOUND,
    STORE_CONFLICT, /* a newer version exists, or a unique key is taken */
    STORE_BUSY,
    STORE_INVALID, /* the record breaks a rule of the schema */
    STORE_ERROR,
};

enum store_article_status {
    ARTICLE_DRAFT,
    ARTICLE_READY,
    ARTICLE_SCHEDULED,
    ARTICLE_PUBLISHED,
    ARTICLE_UNPUBLISHED,
};
const char *store_article_status_name(enum store_article_status s);
int store_article_status_parse(const char *s, enum store_article_status *out);

struct store_section {
    int64_t id;
    int64_t parent_id; /* 0 for a top-level section */
    char *slug;
    char *name;
    char *description;
    int position;
};

struct store_photo {
    int64_t id;
    char *name;   /* stored base name, e.g. "p-1f3a..."; files are <name>-<width>.<ext> */
    int width;    /* of the largest stored rendition */
    int height;
    char *widths; /* space-separated stored widths, e.g. "360 720 1200" */
    char *caption;
    char *credit;
    char *alt;
};

struct store_author {
    int64_t id;
    char *slug;
    char *name;
    char *email;
    char *bio;
    char *role; /* "Political reporter" */
    int64_t photo_id;
};

struct store_tag {
    int64_t id;
    char *slug;
    char *name;
};

enum store_correction_kind { CORRECTION_CORRECTION, CORRECTION_CLARIFICATION };

struct store_correction {
    int64_t id;
    int64_t article_id;
    enum store_correction_kind kind;
    char *text;
    bool at_top;
    int64_t created_at;
};

struct store_article {
    int64_t id;
    char *slug;
    char *headline;
    char *summary;
    char *body;   /* Markdown */
    char *credit; /* agency credit, e.g. "KCNA via Yonhap"; "" for staff copy */
    enum store_article_status status;
    int64_t section_id; /* primary section */
    int64_t created_at;
    int64_t saved_at;     /* last save by the newsroom */
    int64_t published_at; /* first publication (or the scheduled time) */
    int64_t updated_at;   /* the update time readers see; 0 if never updated */
    bool comments_locked;
    int version; /* optimistic concurrency: a save must name the version it edits */

    /* relations, filled by article_get and article_list */
    struct store_author *authors;
    size_t nauthors;
    struct store_tag *tags;
    size_t ntags;
    struct store_photo *photos;
    size_t nphotos;
    struct store_correction *corrections; /* only by article_get */
    size_t ncorrections;
    int64_t *extra_sections; /* secondary sections */
    size_t nextra_sections;

    /* newsroom: who saves and why, recorded in the revision that every
     * article_save writes in the same transaction (0 / NULL: the system) */
    int64_t saved_by;
    const char *save_note;
};

/* What an article list asks for. Zero fields do not filter. Only articles
 * published at or before now are returned, newest first. */
struct store_article_query {
    const int64_t *section_ids; /* primary or secondary section in this set */
    size_t nsection_ids;
    int64_t author_id;
    int64_t tag_id;
    const int64_t *exclude_ids;
    size_t nexclude_ids;
    int64_t now;
    int limit;
    int offset;
    bool with_body;
};


/* --- comments: commenters (readers signed in with a social account),
 * their comments, likes, reports, moderation. --- */

enum store_comment_status {
    COMMENT_VISIBLE,
    COMMENT_HELD,     /* suspect words: waits for a moderator before anyone sees it */
    COMMENT_HIDDEN,   /* reported above the threshold or hidden by a moderator */
    COMMENT_REJECTED, /* a moderator refused it */
    COMMENT_DELETED,  /* deleted by its author or a moderator */
};
const char *store_comment_status_name(enum store_comment_status s);
int store_comment_status_parse(const char *s, enum store_comment_status *out);

struct store_commenter {
    int64_t id;
    char *display_name;
    int64_t created_at;
    int64_t deleted_at;      /* 0: active; otherwise the account was deleted */
    int64_t suspended_until; /* 0 or a time: no posting before it */
    char *suspend_reason;
    char *provider; /* of the first identity, for the account page */
};

struct store_comment {
    int64_t id;
    int64_t article_id;
    int64_t parent_id; /* 0 for a top-level comment */
    int64_t commenter_id;
    char *author_name;    /* the commenter's display name when read */
    bool author_deleted;  /* the author deleted their account */
    char *body;           /* cleaned plain text */
    enum store_comment_status status;
    char *hold_reason;    /* "words", "reports", "moderator" or "" */
    char *address;        /* the poster's address (moderators only) */
    int64_t created_at;
    int64_t edited_at;
    int likes;
    int reports;
    char *idem_key;       /* the form's idempotency key, or NULL */
    char *article_title;  /* filled by lists that join the article */
};

/* Counts read inside comment_add's transaction, for the rate limits. */
struct store_comment_counts {
    long on_article;       /* by this commenter on this article, any status */
    long last_day;         /* by this commenter in the last 24 hours */
    int64_t day_first_at;  /* the oldest of those, or 0 */
    int64_t last_at;       /* this commenter's latest comment, or 0 */
    long address_last_hour; /* from this address in the last hour */
    int64_t address_first_in_hour; /* the oldest of those, or 0 */
    int64_t suspended_until;
    bool deleted_account;
};
/* Decides, inside the transaction, whether the comment may be stored:
 * 0 to insert it, anything else to roll back (returned through *verdict). */
typedef int (*store_comment_check_fn)(const struct store_comment_counts *counts, void *ctx);

enum store_comment_order { COMMENT_NEWEST, COMMENT_OLDEST, COMMENT_MOST_LIKED };

struct store_comment_query {
    int64_t article_id;   /* top-level comments of this article with their replies */
    int64_t commenter_id; /* or: every comment by this commenter (export, account page) */
    bool queue;           /* or: the moderation queue (held and hidden) */
    enum store_comment_order order;
    int limit;
    int offset;
};

struct store_modlog {
    int64_t id;
    int64_t at;
    int64_t staff_id;
    char *staff_name;
    char *action; /* "approve", "reject", "delete", "hide", "restore", "suspend", "word" ... */
    int64_t comment_id;
    int64_t commenter_id;
    char *detail;
};

struct store_comment_word {
    char *word;
    char *kind; /* "banned" or "suspect" */
};

/* A sign-in in progress between the redirect and the provider's callback. */
struct store_signin_flow {
    char *state;
    char *provider;
    char *verifier; /* PKCE code_verifier */
    char *nonce;
    char *return_to;
    int64_t created_at;
};

/* --- distribution: search, feeds and sitemaps, agency copy, imports --- */

/* What the search index holds for one article: plain text after NFC, and
 * the Hangul/Han text as overlapping two-character pieces. */
struct store_search_doc {
    const char *headline;
    const char *summary;
    const char *body;
    const char *cjk;
};

/* An article whose index entry must be rebuilt; seq orders the changes. */
struct store_search_pending {
    int64_t article_id;
    int64_t seq;
};

struct store_search_query {
    const char *match; /* an FTS5 expression built by the search module, never user text */
    const int64_t *section_ids; /* primary or secondary section in this set */
    size_t nsection_ids;
    int64_t now;
    int limit;
    int offset;
};

/* A match; the marked texts carry \x01 before and \x02 after each match. */
struct store_search_hit {
    int64_t article_id;
    char *headline_marked;
    char *snippet_marked;
    char *body; /* the indexed plain body, for excerpts the index cannot mark */
};

/* An article in a sitemap or a news sitemap: no relations, no body. */
struct store_article_brief {
    int64_t id;
    char *slug;
    char *headline;
    int64_t section_id;
    int64_t published_at;
    int64_t updated_at;
};

struct store_brief_query {
    int64_t now;   /* published at or before */
    int64_t since; /* and at or after this; 0 for any time */
    int offset;
    int limit;
    bool oldest_first; /* by id, for stable sitemap parts; else newest first */
};

/* One agency story as received: its id at the agency and the draft it became. */
struct store_ingest_item {
    char *agency;
    char *guid;
    int version;
    int64_t article_id;
    int urgency; /* 1 (flash) to 9; 0 unknown */
    char *source; /* the originating agency, "KCNA" */
    char *byline;
    char *pubstatus; /* "usable", "withheld", "canceled" */
    int64_t embargo_until;
    int64_t received_at;
};

/* What happened to one file or post: "created", "updated", "duplicate",
 * "held" (newer version of a story already published), "canceled",
 * "quarantined" (with the reason). */
struct store_ingest_event {
    int64_t id;
    int64_t at;
    char *agency;
    char *guid;
    int version;
    int64_t article_id;
    char *outcome;
    char *file;
    char *reason;
};

/* A comment from an export (WordPress, Disqus), stored as a real comment
 * (the comments table) by a commenter of its own: one per author and
 * source, with the identity provider "import:<source>" and the subject
 * author_key, so an imported author is never joined to a social account
 * (not even one with the same e-mail). Remembered in import_map as
 * (source, "comment", source_id): nothing is stored twice. */
struct store_import_comment {
    const char *source;    /* "wordpress:https://old.example", "disqus:forum" */
    const char *source_id; /* the comment's id there */
    const char *parent_source_id; /* "" for a top-level comment */
    int64_t article_id;
    const char *author_key;  /* "u:<id there>", "e:<hash of the e-mail>", "n:<hash>" or
                              * "anonymous" (importers/import_comment.c) */
    const char *author_name; /* "" for anonymous */
    const char *author_ip;
    const char *text;   /* plain text, 1 to STORE_IMPORT_COMMENT_MAX bytes */
    const char *status; /* "approved", "pending", "spam", "deleted" */
    int64_t created_at;
    bool existed; /* out: imported before, left alone */
};
#define STORE_IMPORT_COMMENT_MAX 4000 /* the comments table's limit */

/* A post from an export with its comments. */
struct store_import_post {
    const char *source;
    const char *source_id; /* the post's id there */
    const char *url;  /* its old address, normalised, or NULL; kept as ("*", "url") */
    const char *guid; /* or NULL; kept as ("*", "guid") */
    struct store_article *article; /* id set on return */
    struct store_import_comment *comments;
    size_t ncomments;
    bool existed; /* out: imported before; the article was left alone */
};

/* --- newsroom: staff, sessions, revisions, the audit log --- */

struct store_user {
    int64_t id;
    char *login; /* unique, case-insensitive */
    char *name;
    char *role; /* "reporter", "editor", "moderator", "admin" */
    char *pwhash; /* libsodium's Argon2id string */
    bool disabled;
    bool must_change; /* a one-time password: choose a new one at sign-in */
    int64_t created_at;
    int64_t last_login_at;
};

struct store_session {
    char *token_hash; /* hex of a hash of the cookie's token; the token itself is never stored */
    int64_t user_id;
    int64_t created_at;
    int64_t seen_at;
    char *addr;
};

/* A snapshot of an article's content, written by every article_save. */
struct store_revision {
    int64_t id;
    int64_t article_id;
    int version; /* the article's version this revision became */
    int64_t user_id;
    char *user_name; /* the staff member's name, "" for the system */
    char *note;
    int64_t created_at;
    char *slug;
    char *headline;
    char *summary;
    char *body; /* only by revision_get */
    enum store_article_status status;
    int64_t section_id;
    char *authors; /* JSON arrays of ids, in order */
    char *tags;
    char *photos;
    char *sections;
};

struct store_audit {
    int64_t id;
    int64_t at;
    int64_t user_id; /* 0: the system (the scheduler) */
    char *login;
    char *action; /* "publish", "unpublish", "correct", "role", ... */
    char *subject;
    char *detail;
    char *addr;
};

enum store_newsroom_order {
    STORE_ORDER_SAVED,     /* last saved first */
    STORE_ORDER_PUBLISHED, /* last published first */
    STORE_ORDER_DUE,       /* scheduled time, soonest first */
};

/* The newsroom's article lists: any status. Zero fields do not filter. */
struct store_newsroom_query {
    int status; /* an enum store_article_status, or -1 for any */
    int64_t section_id;
    int64_t author_id;
    int64_t created_by; /* the staff member whose first save made it */
    const char *text;   /* a piece of the headline */
    enum store_newsroom_order order;
    int limit;
    int offset;
};

struct store_newsroom_item {
    struct store_article art; /* with authors, without body or corrections */
    int64_t created_by;
    char *created_by_name;
    int64_t saved_by;
    char *saved_by_name;
};

/* A correction with the article it belongs to (the /corrections page). */
struct store_correction_item {
    struct store_correction c;
    char *headline;
    char *slug;
};

struct store;

struct store_ops {
    const char *name;
    void (*close)(struct store *st);
    int (*backup)(struct store *st, const char *path);

    int (*section_list)(struct store *st, struct arena *a, struct store_section **out, size_t *n);
    int (*section_save)(struct store *st, struct store_section *s);

    int (*author_get)(struct store *st, int64_t id, const char *slug, struct arena *a,
                      struct store_author *out);
    int (*author_list)(struct store *st, struct arena *a, struct store_author **out, size_t *n);
    int (*author_save)(struct store *st, struct store_author *au);

    int (*tag_get)(struct store *st, int64_t id, const char *slug, struct arena *a,
                   struct store_tag *out);
    /* finds the tag by slug or creates it */
    int (*tag_ensure)(struct store *st, const char *name, int64_t *id);

    int (*photo_get)(struct store *st, int64_t id, struct arena *a, struct store_photo *out);
    int (*photo_save)(struct store *st, struct store_photo *p);

    /* any status; a reader handler checks visibility itself */
    int (*article_get)(struct store *st, int64_t id, struct arena *a, struct store_article *out);
    int (*article_list)(struct store *st, const struct store_article_query *q, struct arena *a,
                        struct store_article **out, size_t *n);
    int (*article_count)(struct store *st, const struct store_article_query *q, long *n);
    /* published articles sharing tags with id, then its section */
    int (*article_related)(struct store *st, int64_t id, int64_t now, int limit, struct arena *a,
                           struct store_article **out, size_t *n);
    /* Inserts (id 0) or updates the article and its relations (authors,
     * tags, photos, extra sections) in one transaction. An update must carry
     * the version it edits: STORE_CONFLICT if the stored one differs. On
     * success id and version are set to the stored values. */
    int (*article_save)(struct store *st, struct store_article *a);

    /* the front page: lead first, then the ordered top slots */
    int (*front_get)(struct store *st, struct arena *a, int64_t **ids, size_t *n);
    int (*front_set)(struct store *st, const int64_t *ids, size_t n);

    int (*correction_add)(struct store *st, struct store_correction *c);

    /* newsroom */
    /* by id, or by login when login is not NULL (case-insensitive) */
    int (*user_get)(struct store *st, int64_t id, const char *login, struct arena *a,
                    struct store_user *out);
    int (*user_list)(struct store *st, struct arena *a, struct store_user **out, size_t *n);
    /* Inserts (id 0; STORE_CONFLICT if the login is taken) or updates name,
     * role and disabled. Disabling ends the user's sessions. */
    int (*user_save)(struct store *st, struct store_user *u);
    /* Sets the password hash (and whether it is a one-time password) and
     * ends every session of the user. */
    int (*user_password_set)(struct store *st, int64_t id, const char *pwhash, bool must_change);
    int (*user_login_mark)(struct store *st, int64_t id, int64_t at);
    int (*session_add)(struct store *st, const struct store_session *s);
    int (*session_get)(struct store *st, const char *token_hash, struct arena *a,
                       struct store_session *out);
    int (*session_touch)(struct store *st, const char *token_hash, int64_t seen_at);
    int (*session_delete)(struct store *st, const char *token_hash);
    /* Ends sessions idle since before idle_before or made before created_before. */
    int (*session_purge)(struct store *st, int64_t idle_before, int64_t created_before);
    /* Failed sign-ins, by account name (as typed, folded) and by address. */
    int (*login_failure_add)(struct store *st, const char *account, const char *addr, int64_t at);
    int (*login_failure_count)(struct store *st, const char *account, const char *addr,
                               int64_t since, long *by_account, int64_t *last_account,
                               long *by_addr, int64_t *last_addr);
    int (*login_failure_clear)(struct store *st, const char *account);
    /* newest first; bodies left out */
    int (*revision_list)(struct store *st, int64_t article_id, struct arena *a,
                         struct store_revision **out, size_t *n);
    int (*revision_get)(struct store *st, int64_t id, struct arena *a, struct store_revision *out);
    int (*audit_add)(struct store *st, struct store_audit *e);
    int (*audit_list)(struct store *st, int limit, int offset, struct arena *a,
                      struct store_audit **out, size_t *n, long *total);
    int (*newsroom_list)(struct store *st, const struct store_newsroom_query *q, struct arena *a,
                         struct store_newsroom_item **out, size_t *n, long *total);
    /* Scheduled articles due at now become published (a revision each);
     * their ids are returned. */
    int (*article_publish_due)(struct store *st, int64_t now, struct arena *a, int64_t **ids,
                               size_t *n);
    /* The earliest scheduled time, or STORE_NOTFOUND. */
    int (*article_next_due)(struct store *st, int64_t *at);
    /* Corrections of published articles visible at now, newest first. */
    int (*correction_list)(struct store *st, int64_t now, int limit, int offset, struct arena *a,
                           struct store_correction_item **out, size_t *n, long *total);
    /* STORE_CONFLICT while articles or sub-sections use it. */
    int (*section_delete)(struct store *st, int64_t id);
    /* Removes a photo no article or author uses (a failed upload). */
    int (*photo_delete)(struct store *st, int64_t id);

    /* distribution */
    /* Articles whose search entry is stale (triggers keep the list). */
    int (*search_pending)(struct store *st, int max, struct arena *a,
                          struct store_search_pending **out, size_t *n);
    /* Replaces the entries of the articles in which (docs[i] NULL: removes
     * it) and clears their pending marks unless an article changed again
     * after its seq; one transaction. */
    int (*search_docs_put)(struct store *st, const struct store_search_pending *which,
                           const struct store_search_doc *const *docs, size_t n);
    /* Published matches, best first; STORE_INVALID for an expression FTS5 refuses. */
    int (*search_query)(struct store *st, const struct store_search_query *q, struct arena *a,
                        struct store_search_hit **out, size_t *n, long *total);
    int (*article_briefs)(struct store *st, const struct store_brief_query *q, struct arena *a,
                          struct store_article_brief **out, size_t *n);
    int (*article_brief_count)(struct store *st, int64_t now, long *n);
    int (*ingest_item_get)(struct store *st, const char *agency, const char *guid,
                           struct arena *a, struct store_ingest_item *out);
    /* Writes the draft (insert, or update of art->id at art->version) and
     * the item in one transaction. An update of an article that is no longer
     * a draft or ready is refused with STORE_CONFLICT. */
    int (*ingest_item_save)(struct store *st, struct store_ingest_item *item,
                            struct store_article *art);
    int (*ingest_log_add)(struct store *st, struct store_ingest_event *ev);
    /* Newest first; outcome NULL for all. */
    int (*ingest_log_list)(struct store *st, const char *outcome, int limit, struct arena *a,
                           struct store_ingest_event **out, size_t *n);
    int (*import_map_get)(struct store *st, const char *source, const char *kind,
                          const char *source_id, int64_t *target);
    int (*import_map_set)(struct store *st, const char *source, const char *kind,
                          const char *source_id, int64_t target);
    /* Each post not imported before becomes an article; comments not
     * imported before become comments (a reply joins its parent's thread:
     * one level); all in one transaction. */
    int (*import_posts_save)(struct store *st, struct store_import_post *posts, size_t n);
    int (*import_comments_save)(struct store *st, struct store_import_comment *c, size_t n);

    /* comments */
    /* Finds the commenter of (provider, subject) or creates one with this
     * display name; never matches on e-mail. */
    int (*commenter_signin)(struct store *st, const char *provider, const char *subject,
                            const char *display_name, const char *email, int64_t *id);
    int (*commenter_get)(struct store *st, int64_t id, struct arena *a,
                         struct store_commenter *out);
    /* Deletes the account: identities and sessions removed, likes and
     * reports removed, the name blanked; comments stay, shown as written by
     * "deleted account". */
    int (*commenter_delete)(struct store *st, int64_t id);
    /* until 0 lifts a suspension; the action is logged in the same transaction */
    int (*commenter_suspend)(struct store *st, int64_t id, int64_t until, const char *reason,
                             const struct store_modlog *log);
    int (*reader_session_add)(struct store *st, const char *token_hash, int64_t commenter_id,
                              int64_t expires_at);
    int (*reader_session_get)(struct store *st, const char *token_hash, int64_t now,
                              int64_t *commenter_id);
    int (*reader_session_delete)(struct store *st, const char *token_hash);
    int (*signin_flow_add)(struct store *st, const struct store_signin_flow *f);
    /* Returns and deletes the flow (single use); expired flows are dropped. */
    int (*signin_flow_take)(struct store *st, const char *state, int64_t oldest, struct arena *a,
                            struct store_signin_flow *out);
    /* Inserts c (id, created_at set on success) after check() agreed with the
     * counts read in the same transaction. A comment with the same
     * (commenter, idem_key) already stored: STORE_CONFLICT and c->id set to
     * it. check() refusing: STORE_INVALID and its value in *verdict. */
    int (*comment_add)(struct store *st, struct store_comment *c, store_comment_check_fn check,
                       void *ctx, int *verdict);
    int (*comment_get)(struct store *st, int64_t id, struct arena *a, struct store_comment *out);
    /* For an article: visible comments and the hidden ones that have visible
     * replies (shown as a placeholder), top level paged, replies of those
     * included; total counts the top-level ones. */
    int (*comment_list)(struct store *st, const struct store_comment_query *q, struct arena *a,
                        struct store_comment **out, size_t *n, long *total);
    /* An article's visible comments, replies included: what its comment
     * count says. */
    int (*comment_count)(struct store *st, int64_t article_id, long *n);
    /* The author's edit: body and status (it may be held again). */
    int (*comment_edit)(struct store *st, int64_t id, const char *body,
                        enum store_comment_status status, const char *hold_reason, int64_t now);
    /* A moderator's or the author's change of status; log may be NULL. */
    int (*comment_set_status)(struct store *st, int64_t id, enum store_comment_status status,
                              const char *hold_reason, const struct store_modlog *log);
    int (*comment_like)(struct store *st, int64_t comment_id, int64_t commenter_id, bool on,
                        int *likes);
    /* One report per account; reaching threshold hides a visible comment
     * pending review (*hidden set). STORE_CONFLICT when already reported. */
    int (*comment_report)(struct store *st, int64_t comment_id, int64_t commenter_id,
                          const char *reason, int threshold, bool *hidden);
    int (*comment_words)(struct store *st, struct arena *a, struct store_comment_word **out,
                         size_t *n);
    /* kind NULL removes the word */
    int (*comment_word_set)(struct store *st, const char *word, const char *kind,
                            const struct store_modlog *log);
    int (*modlog_list)(struct store *st, int limit, struct arena *a, struct store_modlog **out,
                       size_t *n);
};

struct store {
    const struct store_ops *ops;
    void *impl;
};

/* Opens (creating if missing) and migrates a SQLite database. On failure
 * returns NULL and a message for a person in err. */
struct store *store_sqlite_open(const char *path, char *err, size_t errlen);

/* Shorthands for the table of operations. */
#define store_call(st, op, ...) ((st)->ops->op((st), __VA_ARGS__))
void store_close(struct store *st);

#endif
