/* Private to the distribution module. */
#ifndef BROADSHEET_DISTRIBUTION_INT_H
#define BROADSHEET_DISTRIBUTION_INT_H

#include <jansson.h>

#include "distribution/distribution.h"
#include "feeds/feeds.h"

struct store_article;
struct site_sections;
struct arena;

enum dist_format { DIST_RSS, DIST_ATOM, DIST_JSON };

/* Absolute URL of a path on this site. */
char *dist_abs(struct arena *a, const struct distribution *d, const char *path);
/* The article's stable id: "tag:<host>,<date created>:article:<id>". */
char *dist_tag_uri(struct arena *a, const struct distribution *d, const struct store_article *art);
/* A feed entry for a published article (full text when configured). */
void dist_feed_item(struct arena *a, const struct distribution *d, const struct store_article *art,
                    bool full, struct feed_item *out);
/* The ninjs record of an article. */
json_t *dist_ninjs(struct arena *a, const struct distribution *d, const struct site_sections *secs,
                   const struct store_article *art, int major);

/* Route groups, by file. */
void dist_feed_routes(struct distribution *d, struct http_server *srv);
void dist_sitemap_routes(struct distribution *d, struct http_server *srv);
void dist_api_routes(struct distribution *d, struct http_server *srv);
void dist_search_routes(struct distribution *d, struct http_server *srv);
void dist_intake_routes(struct distribution *d, struct http_server *srv);

#define DIST_CACHE_SECONDS 300

#endif
