/*
 * site: the reader's pages. Front page, sections, articles and their print
 * view, authors, tags, error pages. Pages are built as data (Jansson) and
 * rendered by templates; public pages go into the page cache with the
 * surrogate keys of everything they show:
 *   "front", "sections", "a:<article id>", "s:<section id>",
 *   "au:<author id>", "t:<tag id>"; feeds, sitemaps and the ninjs API
 *   (distribution) also carry "feeds".
 */
#ifndef BROADSHEET_SITE_H
#define BROADSHEET_SITE_H

#include <jansson.h>

#include "core/core.h"

struct store;
struct tmpl_set;
struct http_server;
struct http_req;
struct store_article;
struct store_photo;
struct store_section;

struct site_config {
    const char *name;
    const char *tagline;
    const char *base_url; /* "http://127.0.0.1:8080", no trailing slash */
    const char *language;
    const char *contact; /* the paper's e-mail address for readers, or "" */
    int tz_minutes;
    const char *asset_version;
    bool theme_css; /* the theme has static/theme.css */
    int cache_seconds;
};

/* The comments section of an article page (the talk module's); the
 * result goes into the page's data as "comments". NULL: no comments. */
typedef json_t *(*site_comments_fn)(void *ctx, const struct store_article *art,
                                    struct http_req *r);

struct site {
    struct store *store;
    struct tmpl_set *tmpl;
    struct site_config cfg;
    site_comments_fn comments_json;
    void *comments_ctx;
};

/* Surrogate keys collected while a page is built, in the arena a, for
 * http_cache_page(r, seconds, k, n). */
struct site_keys {
    const char **k;
    size_t n, cap;
    struct arena *a;
};
/* Adds "prefix<id>", or the prefix alone for a negative id. */
void site_key_add(struct site_keys *k, const char *prefix, long long id);

/* The reader's routes; site_section_route adds the catch-all for section
 * paths and must come after every other module's routes. */
void site_routes(struct site *s, struct http_server *srv);
void site_section_route(struct site *s, struct http_server *srv);
/* Whether readers may see the article now: published, and its time has come
 * (an embargo holds until then). NULL is not visible. */
bool site_article_visible(const struct store_article *art, int64_t now);
/* The error page for http_set_error_page. */
void site_error_page(struct http_req *r, int status, const char *message, void *ctx);

/* --- shared by the handlers of other modules (newsroom, comments) --- */

/* The sections as a tree with paths, for navigation and breadcrumbs. */
struct site_sections {
    struct store_section *items;
    char **paths; /* "national/politics" */
    size_t n;
};
int site_sections_load(struct site *s, struct arena *a, struct site_sections *out);
/* index of the section with this id, or -1 */
long site_section_find(const struct site_sections *secs, int64_t id);
/* The ids of the section at idx and of all below it, at most max. */
size_t site_section_subtree(const struct site_sections *secs, long idx, int64_t *out, size_t max);
/* The common data of every page: site, navigation, assets, canonical. */
json_t *site_page_data(struct site *s, const struct site_sections *secs, const char *title,
                       const char *path);
/* Puts the RSS, Atom and JSON Feed of prefix ("" for the whole paper,
 * "/national/politics", "/author/<slug>") first among the page's
 * autodiscovery links (page.feeds). */
void site_page_feeds(json_t *data, const char *title, const char *prefix);
/* Renders template name with data into the response; returns the status. */
int site_render(struct site *s, struct http_req *r, const char *name, json_t *data);
/* An article's canonical path: "/article/12/some-slug". */
char *site_article_path(struct arena *a, const struct store_article *art);
json_t *site_photo_json(const struct store_photo *p);
/* A card for lists: headline, summary, URL, section, time, authors, photo. */
json_t *site_card_json(struct site *s, const struct site_sections *secs,
                       const struct store_article *art, struct arena *a);
/* An article in full, as the article page and the newsroom preview show it. */
json_t *site_article_json(struct site *s, const struct site_sections *secs,
                          const struct store_article *art, struct arena *a);

#endif
