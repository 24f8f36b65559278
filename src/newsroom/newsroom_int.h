/* Private to the newsroom module. */
#ifndef BROADSHEET_NEWSROOM_INT_H
#define BROADSHEET_NEWSROOM_INT_H

#include "auth/auth.h"
#include "http/http.h"
#include "media/media.h"
#include "newsroom/newsroom.h"
#include "site/site.h"
#include "store/store.h"

/* Limits a person sees in the editor (characters as text_length counts). */
#define NR_HEADLINE_MAX 120
#define NR_SUMMARY_MAX 300
#define NR_BODY_MAX 100000
#define NR_CREDIT_MAX 200
#define NR_TAGS_MAX 20
#define NR_TAG_MAX 60
#define NR_AUTHORS_MAX 10
#define NR_SECTIONS_MAX 16
#define NR_PHOTOS_MAX 30
#define NR_CAPTION_MAX 500
#define NR_CORRECTION_MAX 1000
#define NR_PAGE_SIZE 30

/* The module's one context, set by newsroom_routes. */
struct nr {
    struct site *site;
    struct store *store;
    struct http_server *srv;
    struct newsroom_config cfg;
    struct auth_config auth;
};
extern struct nr nr_ctx;

/* newsroom.c: shared helpers */
/* A form field, "" when absent. */
const char *nr_field(struct http_req *r, const char *name);
/* Every value of a repeated field (checkboxes, multiple select); at most max. */
size_t nr_fields(struct http_req *r, const char *name, const char **out, size_t max);
/* A positive id from a route parameter or field; 0 when malformed. */
int64_t nr_id(const char *s);
/* The article of the :id parameter: 0, or the status answered (404 for
 * none, 503). */
int nr_article_param(struct http_req *r, struct store_article *art);
/* A refusal (403, 404, 409) in the newsroom's layout for a signed-in staff
 * member, with a way back: to back (a newsroom path) labelled label, or,
 * when back is NULL, to the dashboard; answers status. */
int nr_refuse(struct http_req *r, const struct staff_user *u, int status, const char *message,
              const char *back, const char *label);
/* newsroom_guard with caps, then the article of :id; 0 or the status. */
int nr_guard_article(struct http_req *r, unsigned caps, struct staff_user *u,
                     struct store_article *art);
/* Cleaned text (NFC, no control characters, trimmed) in the request's arena;
 * NULL if not UTF-8. */
char *nr_clean(struct http_req *r, const char *s, bool keep_newlines);
/* The data every newsroom page has: set by newsroom_render. */
json_t *nr_user_json(const struct staff_user *u);
/* "2026-11-29T19:04" in the paper's time zone, for datetime-local inputs. */
void nr_local_input(int64_t t, char out[32]);
/* Parses a datetime-local value in the paper's time zone; -1 on error. */
int nr_local_parse(const char *s, int64_t *out);
/* The paper's offset for people: "UTC+09:00". */
const char *nr_tz_label(struct http_req *r);
/* Purges the cache keys of what readers see of an article, before and
 * after a change (either may be NULL). */
void nr_purge_article(const struct store_article *before, const struct store_article *after);
void nr_purge(const char *key);
/* A JSON response. */
int nr_json(struct http_req *r, int status, json_t *body);
/* A redirect to a newsroom page with a message code (?msg=). */
int nr_done(struct http_req *r, const char *path, const char *msg);
const char *nr_status_label(enum store_article_status s);
/* The sections for select lists: [{id, name, label (with parents), depth}] */
json_t *nr_sections_json(struct http_req *r, const struct site_sections *secs, int64_t selected,
                         const int64_t *checked, size_t nchecked);

/* routes, one function per file */
void nr_session_routes(struct http_server *srv);
void nr_dashboard_routes(struct http_server *srv);
void nr_editor_routes(struct http_server *srv);
void nr_revision_routes(struct http_server *srv);
void nr_correction_routes(struct http_server *srv);
void nr_section_routes(struct http_server *srv);
void nr_author_routes(struct http_server *srv);
void nr_staff_routes(struct http_server *srv);
void nr_front_routes(struct http_server *srv);
void nr_audit_routes(struct http_server *srv);

/* editor_form.c: the editor's form as typed, checked, and as page data */
struct draft_photo {
    const struct store_photo *stored; /* attached to the article */
    char *caption;
    char *credit;
    char *alt;
    long position;
    bool remove;
};
struct draft {
    char *headline;
    char *summary;
    char *body;
    char *slug;
    char *credit;
    char *tags;
    int64_t section_id;
    int64_t extra[NR_SECTIONS_MAX];
    size_t nextra;
    int64_t authors[NR_AUTHORS_MAX];
    size_t nauthors;
    int version;
    bool comments_locked;
    bool substantive;
    char *publish_at_text;
    int64_t publish_at; /* 0 when empty or malformed */
    struct draft_photo photos[NR_PHOTOS_MAX];
    size_t nphotos;
    char *new_caption;
    char *new_credit;
    char *new_alt;
    const struct http_file *file;
    json_t *errors; /* {field: what to fix} */
};
/* The draft of an article as stored (for showing the editor). */
void draft_from_article(struct http_req *r, const struct store_article *a, struct draft *d);
/* The draft as posted, checked; problems go into d->errors. */
void draft_from_form(struct http_req *r, const struct site_sections *secs,
                     const struct store_article *cur, struct draft *d);
void draft_error(struct draft *d, const char *field, const char *message);
void draft_release(struct draft *d);
/* Ensures the tags exist and fills art's tags; -1 on a store failure. */
int draft_tags(struct http_req *r, const struct draft *d, struct store_article *art);
/* The article the draft describes, on top of cur (NULL for a new one). */
void draft_apply(struct http_req *r, const struct draft *d, const struct store_article *cur,
                 struct store_article *art);
/* The editor page's data. */
json_t *draft_json(struct http_req *r, const struct staff_user *u,
                   const struct site_sections *secs, const struct store_article *cur,
                   const struct draft *d);

/* editor.c: the editor of a stored article, with extra page data (the
 * correction form's values and errors); returns status, or the render's. */
int nr_editor_show(struct http_req *r, const struct staff_user *u, const struct store_article *cur,
                   int status, json_t *extra);

/* scheduler.c: wakes the scheduler after a change of scheduled times */
void nr_scheduler_kick(void);

/* photos.c: an uploaded photo, stored through the media module on a
 * worker (http_defer) and then given its row in the store. The caller
 * keeps the upload (and its own state, ctx) in the request's arena, calls
 * nr_photo_upload and returns what it returns; then(r, up) runs on the
 * loop with up->photo stored (its id set) or up->err for a person, and
 * returns the status. release(ctx), when set, runs after then, or alone
 * when the client went away (then is skipped and nothing is kept). */
struct nr_upload;
typedef int (*nr_upload_fn)(struct http_req *r, struct nr_upload *up);
struct nr_upload {
    const struct http_file *file;
    const char *caption;
    const char *credit;
    const char *alt;
    nr_upload_fn then;
    void (*release)(void *ctx);
    void *ctx;
    /* the outcome */
    struct store_photo photo;
    const char *err;
    /* private to photos.c */
    bool processed; /* renditions on disk that no row has taken over */
    struct media_photo mp;
    char msg[256];
};
int nr_photo_upload(struct http_req *r, struct nr_upload *up);
/* Undoes a stored upload (the save after it failed). */
void nr_photo_discard(const struct store_photo *p);

/* diff.c: a word-level diff */
enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_INS };
struct diff_piece {
    enum diff_op op;
    const char *p; /* into a or b */
    size_t n;
};
struct diff {
    struct diff_piece *pieces;
    size_t n;
    bool coarse; /* too large to compare word by word: old removed, new inserted */
};
/* Splits both texts into words and the spaces between them and finds the
 * longest common subsequence (after trimming the common start and end).
 * Beyond max_cells table cells, the middle is reported as replaced. */
void diff_words(const char *a, size_t an, const char *b, size_t bn, size_t max_cells,
                struct diff *out);
void diff_release(struct diff *d);
/* [{op: "same"|"del"|"ins", text}] */
json_t *diff_json(const struct diff *d);

#endif
