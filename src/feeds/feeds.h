/*
 * feeds: the documents the paper publishes for machines. RSS 2.0, Atom
 * 1.0 and JSON Feed 1.1 for a list of articles; sitemaps (an index and its
 * parts) and a Google News sitemap; IPTC ninjs 2.x and 3.x for one article.
 *
 * The writers take plain records (no store, no HTTP) and write complete
 * documents into a buffer: XML through libxml2's xmlTextWriter, which
 * escapes every value (characters XML cannot carry are dropped first), and
 * JSON through Jansson. Identifiers are the caller's and must stay the same
 * when an article is edited or corrected: a tag: URI for Atom ids, JSON
 * Feed ids and ninjs URIs, and the permanent /article/<id> address for the
 * RSS guid.
 */
#ifndef BROADSHEET_FEEDS_H
#define BROADSHEET_FEEDS_H

#include <jansson.h>

#include "core/core.h"

struct feed_person {
    const char *name;
    const char *url; /* absolute, or NULL */
};

struct feed_item {
    const char *id;        /* stable: "tag:news.example,2026-11-29:article:12" */
    const char *permalink; /* stable URL for the RSS guid: ".../article/12" */
    const char *url;       /* the canonical page */
    const char *title;
    const char *summary;      /* plain text */
    const char *content_html; /* the full article as HTML; NULL for summaries only */
    const char *image;        /* absolute URL or NULL */
    int64_t published;
    int64_t updated; /* the last update readers see (corrections), >= published */
    const struct feed_person *authors;
    size_t nauthors;
    const char *const *categories;
    size_t ncategories;
};

struct feed {
    const char *id; /* stable id of the feed (a tag: URI) */
    const char *title;
    const char *description;
    const char *language;  /* "en" */
    const char *home_url;  /* the page the feed follows */
    const char *self_url;  /* the feed's own address */
    const char *publisher; /* the paper's name, author of last resort */
    int64_t updated;
    const struct feed_item *items;
    size_t nitems;
};

int feed_rss_write(const struct feed *f, struct buf *out);
int feed_atom_write(const struct feed *f, struct buf *out);
int feed_json_write(const struct feed *f, struct buf *out);
/* The latest update among the items (0 when there are none). */
int64_t feed_updated(const struct feed_item *items, size_t n);

/* --- sitemaps (sitemaps.org 0.9) --- */
#define FEED_SITEMAP_MAX_URLS 50000
#define FEED_NEWS_MAX_URLS 1000
#define FEED_NEWS_MAX_AGE (48 * 3600)

struct feed_url {
    const char *loc; /* absolute */
    int64_t lastmod; /* 0 to leave out */
};
int feed_sitemap_index_write(const struct feed_url *maps, size_t n, struct buf *out);
int feed_sitemap_write(const struct feed_url *urls, size_t n, struct buf *out);

/* Google News: only articles of the last two days, at most 1,000. */
struct feed_news {
    const char *loc;
    const char *title;
    int64_t published;
};
int feed_news_sitemap_write(const char *publication, const char *language, int64_t now,
                            const struct feed_news *items, size_t n, struct buf *out);

/* --- IPTC ninjs --- */
struct feed_ninjs_correction {
    bool clarification;
    const char *text;
    int64_t at;
};

struct feed_ninjs_photo {
    const char *uri; /* absolute URL of the largest rendition */
    const char *caption;
    const char *credit;
    int width, height;
};

struct feed_ninjs {
    const char *uri;         /* the stable tag: URI */
    const char *url;         /* canonical page */
    int version;             /* rises with every save and correction */
    int64_t first_created;   /* first publication */
    int64_t version_created; /* the last update */
    const char *headline;
    const char *summary;
    const char *body_html;
    const char *body_text;
    const char *by;     /* "Han Seo-yeon and Daniel Moore" */
    const char *credit; /* agency credit, "" for staff copy */
    const char *language;
    const char *publisher; /* copyright holder */
    const char *section;
    const struct feed_person *subjects; /* tags: name and page */
    size_t nsubjects;
    const struct feed_ninjs_correction *corrections;
    size_t ncorrections;
    const struct feed_ninjs_photo *photos;
    size_t nphotos;
};
/* major is 2 (properties in lower case) or 3 (camelCase). */
json_t *feed_ninjs_json(const struct feed_ninjs *a, int major);

#endif
