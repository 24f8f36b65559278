/*
 * talk: the web side of comments. The comments section of the article
 * page (rendered on the server, so it works without JavaScript and sits in
 * the page cache), posting, replies, likes, reports, the author's edit and
 * deletion, social sign-in (/signin/<provider> and its callback, and the
 * demo provider on loopback), the reader's private JSON (/api/me), the
 * commenter's data (download, delete), the Standards Board policy and the
 * "Social comment?" help, and the moderation queue under
 * /newsroom/moderation, protected by a guard the newsroom supplies.
 *
 * Handlers only: the rules are in comments/, the protocol in signin/.
 */
#ifndef BROADSHEET_TALK_H
#define BROADSHEET_TALK_H

#include <jansson.h>

#include "core/core.h"

struct http_req;
struct http_server;
struct site;
struct comments;
struct signin;
struct store_article;
struct staff_user;

/* Decides whether the request comes from a staff member allowed to
 * moderate: 0 and who it is (newsroom/newsroom.h; strings in the request's
 * arena), or the HTTP status to answer with (401/403, or 303 with a
 * Location set for a sign-in page). The queue renders inside the newsroom's
 * layout with that staff member's navigation. */
typedef int (*talk_staff_guard_fn)(struct http_req *r, void *ctx, struct staff_user *out);

struct talk {
    struct site *site;
    struct comments *comments;
    struct signin *signin;     /* the configured providers (may be none) */
    bool demo_signin;          /* the local demo provider is offered */
    talk_staff_guard_fn guard; /* NULL: the moderation queue answers 403 to everyone */
    void *guard_ctx;
    int session_days; /* a reader stays signed in this long: 30 */
};

void talk_routes(struct talk *t, struct http_server *srv);

/* The comments section of an article page, for site's article handler
 * (struct site's comments hook): the same for every reader. */
json_t *talk_article_json(void *ctx, const struct store_article *art, struct http_req *r);

/* Whether a listen address and site URL allow the demo provider: loopback
 * only, and not behind a proxy or TLS. */
bool talk_demo_allowed(const char *listen_host, const char *base_url, bool behind_tls,
                       bool trust_proxy);

#endif
