/*
 * dictweb: the dictionary on the web. Handlers for the per-article
 * glossary (one cacheable JSON document), the lookup endpoint (JSON, with
 * limits on length and a per-address rate), the full-entry page and the
 * dictionary's home with its lookup form, which works without JavaScript.
 * Uses http, render, site, dict and store; the dictionary itself stays in
 * src/dict/.
 */
#ifndef BROADSHEET_DICTWEB_H
#define BROADSHEET_DICTWEB_H

#include "core/core.h"

struct dict;
struct site;
struct http_server;

struct dictweb_config {
    int lookup_rate;  /* lookups per minute per address */
    int lookup_burst; /* lookups at once */
};

struct dictweb;
/* dict may be NULL (WordNet missing): the routes then answer 503. */
struct dictweb *dictweb_new(struct site *site, const struct dict *dict,
                            const struct dictweb_config *cfg);
void dictweb_free(struct dictweb *w);
/* /dict/, /dict/lookup, /dict/glossary/<id>.json, /dict/<word>; before
 * site_section_route. */
void dictweb_routes(struct dictweb *w, struct http_server *srv);

#endif
