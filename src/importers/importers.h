/*
 * importers: bringing a previous system's archive in. A WordPress export
 * (WXR) gives articles (posts), sections (categories), tags, authors and
 * comments; a Disqus export gives comments, attached to the articles they
 * were written under (matched by the thread's old address, its WordPress
 * identifier, or one of our own article addresses).
 *
 * Exports are streamed with libxml2's xmlTextReader, one <item>, <thread>
 * or <post> expanded at a time, so a large export never has to fit in
 * memory; network access and DTDs are off, as for agency copy. Re-running
 * an import is safe: every post and comment is remembered by its id in the
 * export, and nothing is imported twice.
 *
 * Comments become real comments under their articles (the store's
 * import_posts_save and import_comments_save), each author a commenter of
 * its own for that source, keyed without their e-mail address and never
 * joined to a social account (import_comment.c, sqlite_distribution.c).
 *
 * The parsers (import_*_parse) know nothing of the store: they call a
 * handler per record, which lets the fuzzers and tests drive them alone.
 */
#ifndef BROADSHEET_IMPORTERS_H
#define BROADSHEET_IMPORTERS_H

#include <stdio.h>

#include "core/core.h"

struct store;
struct arena;

struct import_stats {
    long posts;          /* new articles */
    long posts_existing; /* imported before, left alone */
    long posts_skipped;  /* pages, attachments, trash, ... */
    long comments;       /* new comments */
    long comments_existing;
    long comments_skipped;   /* pingbacks, empty */
    long comments_unmatched; /* Disqus: no article for the thread */
    long sections;
    long authors;
    long tags;
    double seconds;
};

/* Progress on standard error: a bar on a terminal, a plain line per tenth
 * otherwise. quiet prints nothing. */
struct import_options {
    bool quiet;
    FILE *progress; /* stderr by default */
};

int import_wordpress(struct store *st, const char *path, const struct import_options *opt,
                     struct import_stats *stats, char *err, size_t errlen);
int import_disqus(struct store *st, const char *path, const struct import_options *opt,
                  struct import_stats *stats, char *err, size_t errlen);
/* "imported 10000 posts ..." for a person. */
void import_stats_print(FILE *f, const char *what, const struct import_stats *s);

/* --- the parsers --- */

struct wxr_author {
    const char *login, *email, *display_name;
};
struct wxr_category {
    const char *nicename, *name, *parent; /* parent: a nicename or "" */
};
struct wxr_comment {
    const char *id, *parent, *author, *email, *url, *ip, *user_id;
    const char *date_gmt, *content, *approved, *type;
};
struct wxr_term {
    const char *domain; /* "category", "post_tag" */
    const char *nicename, *name;
};
struct wxr_post {
    const char *id, *title, *link, *guid, *creator, *content, *excerpt;
    const char *name, *status, *type, *date_gmt, *date, *pubdate;
    struct wxr_term *terms;
    size_t nterms;
    struct wxr_comment *comments;
    size_t ncomments;
};
struct wxr_handler {
    void *ctx;
    char site[512]; /* filled while parsing: wp:base_site_url, else the channel's link */
    int (*author)(void *ctx, const struct wxr_author *a);
    int (*category)(void *ctx, const struct wxr_category *c);
    int (*post)(void *ctx, const struct wxr_post *p);
    void (*progress)(void *ctx, long bytes);
};

struct dsq_thread {
    const char *dsq_id, *identifier, *link, *title, *forum;
};
struct dsq_post {
    const char *dsq_id, *thread, *parent, *message, *created_at;
    const char *author_name, *author_email, *author_username, *ip;
    bool deleted, spam, anonymous;
};
struct dsq_handler {
    void *ctx;
    int (*thread)(void *ctx, const struct dsq_thread *t);
    int (*post)(void *ctx, const struct dsq_post *p);
    void (*progress)(void *ctx, long bytes);
};

/* 0, or -1 with a reason in err. A handler returning non-zero stops. */
int import_wxr_parse_memory(const char *p, size_t n, struct wxr_handler *h, char *err,
                            size_t errlen);
int import_wxr_parse_file(const char *path, struct wxr_handler *h, char *err, size_t errlen);
int import_disqus_parse_memory(const char *p, size_t n, struct dsq_handler *h, char *err,
                               size_t errlen);
int import_disqus_parse_file(const char *path, struct dsq_handler *h, char *err, size_t errlen);

/* "https://www.Old.example/a/b/?p=1#c" -> "old.example/a/b?p=1", into out. */
void import_url_normalise(const char *url, struct buf *out);

#endif
