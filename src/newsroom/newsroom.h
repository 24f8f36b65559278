/*
 * newsroom: the staff's pages under /newsroom. Sign-in and sessions (through
 * auth), the dashboard, article lists, the editor with preview, autosave and
 * photos, the workflow (draft, ready, scheduled, published, unpublished),
 * revisions with word diffs, corrections, sections, authors, staff, the
 * front page, the audit log; and the public /corrections page. A scheduler
 * thread publishes scheduled articles on time, also after a restart.
 *
 * Other modules with staff pages (the comment queue) use the guard, the
 * layout and the audit log below.
 */
#ifndef BROADSHEET_NEWSROOM_H
#define BROADSHEET_NEWSROOM_H

#include <jansson.h>

#include "core/core.h"

struct http_req;
struct http_server;
struct site;

enum staff_cap { STAFF_WRITE = 1, STAFF_PUBLISH = 2, STAFF_MODERATE = 4, STAFF_ADMIN = 8 };

struct staff_user {
    int64_t id;
    char *login;
    char *name;
    char *role;
    unsigned caps;
};

struct newsroom_config {
    const char *media_dir;
    int64_t idle_timeout;     /* seconds; 30 minutes */
    int64_t absolute_timeout; /* seconds; 12 hours */
    int login_slow_after;     /* failed sign-ins before each attempt must wait; 5 */
    int login_max_failures;   /* failed sign-ins per hour that refuse sign-in; 100 */
    size_t max_photo_bytes;   /* 12 MiB */
    int max_photo_side;       /* pixels; 12000 */
    long max_photo_pixels;    /* 50 million */
};
void newsroom_config_defaults(struct newsroom_config *c);

/* Adds the /newsroom routes and /corrections; call before site_section_route.
 * The newsroom keeps site and cfg (which must outlive the server). */
void newsroom_routes(struct site *site, const struct newsroom_config *cfg,
                     struct http_server *srv);
/* The scheduler thread: publishes what is due at once, then on time. */
int newsroom_scheduler_start(void);
void newsroom_scheduler_stop(void);

/* The signed-in staff member holding every capability in caps: returns 0
 * and fills out. Otherwise the status to return: a 303 to the sign-in page
 * when there is no valid session, 403 for too few rights. */
int newsroom_guard(struct http_req *r, unsigned caps, struct staff_user *out);
/* Renders a page inside the newsroom layout (navigation according to the
 * user's capabilities, the CSRF token as {{ csrf }}); takes data over.
 * Returns the status (200, or 500 if the template failed). */
int newsroom_render(struct http_req *r, const struct staff_user *u, const char *template_name,
                    json_t *data);
/* Records a staff action in the audit log; 0 or -1. */
int newsroom_audit(struct http_req *r, const struct staff_user *u, const char *action,
                   const char *subject, const char *detail);

#endif
