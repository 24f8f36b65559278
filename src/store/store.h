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
