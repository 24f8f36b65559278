/*
 * distribution: the HTTP side of feeds, sitemaps, the ninjs API, search and
 * agency intake. Handlers turn requests into calls to the domain modules
 * (feeds, search, ingest) and the store, and answer with documents or
 * pages; public documents go into the page cache with surrogate keys:
 *   "feeds" on every feed, sitemap and API document (purge it when
 *   anything is published, unpublished or corrected), plus the keys of what
 *   they show: "a:<id>", "s:<id>", "au:<id>", "t:<id>", "sections".
 *
 * Routes: /feed.xml /atom.xml /feed.json, the same under /<section path>/,
 * /author/<slug>/ and /tag/<slug>/; /sitemap.xml, /sitemap-pages.xml,
 * /sitemap-articles-<n>.xml, /sitemap-news.xml; /api/ninjs/articles and
 * /api/ninjs/articles/<id> (?version=2|3, or an Accept profile naming
 * ninjs 3); /search; POST /api/ingest (an agency's key as a bearer token);
 * /newsroom/intake (the quarantine list, behind the guard).
 */
#ifndef BROADSHEET_DISTRIBUTION_H
#define BROADSHEET_DISTRIBUTION_H

#include "core/core.h"

struct http_req;
struct http_server;
struct site;
struct ingest_agency;
struct ingest_watch;
struct staff_user;

/* Lets a staff member in: 0 and who it is (newsroom/newsroom.h, for the
 * newsroom's layout), or the status to answer with (401, 403, or a
 * redirect the guard has set). Connected to newsroom_guard by the app;
 * without a guard, staff pages answer 403. */
typedef int (*distribution_guard_fn)(struct http_req *r, void *ctx, struct staff_user *out);

struct distribution_config {
    bool full_text; /* whole articles in feeds, or summaries */
    int items;      /* entries per feed */
    const struct ingest_agency *agencies;
    size_t nagencies;
    int interval; /* seconds between looks at the watched folders */
};

#define DIST_FEED_FORMATS 3
#define DIST_SITEMAP_PARTS 100 /* of DIST_SITEMAP_PART_SIZE articles each */
#define DIST_SITEMAP_PART_SIZE 10000

struct distribution;
struct dist_route {
    struct distribution *d;
    int format; /* feed format, or sitemap part number */
};

struct distribution {
    struct site *site;
    struct distribution_config cfg;
    distribution_guard_fn guard;
    void *guard_ctx;
    /* filled by distribution_routes / distribution_start */
    struct dist_route feed_routes[DIST_FEED_FORMATS];
    struct dist_route part_routes[DIST_SITEMAP_PARTS];
    struct ingest_watch *watch;
};

void distribution_routes(struct distribution *d, struct http_server *srv);
/* Brings the search index up to date and starts the folder watcher (which
 * also keeps the index current). */
int distribution_start(struct distribution *d);
void distribution_stop(struct distribution *d);

#endif
