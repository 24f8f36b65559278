/* Private to the talk module. */
#ifndef BROADSHEET_TALK_INT_H
#define BROADSHEET_TALK_INT_H

#include "comments/comments.h"
#include "http/http.h"
#include "render/render.h"
#include "signin/signin.h"
#include "site/site.h"
#include "store/store.h"
#include "talk/talk.h"

#define TALK_SESSION_COOKIE "bs_reader"
#define TALK_SIGNIN_COOKIE "bs_signin"
#define TALK_FLOW_SECONDS 600

/* The signed-in reader, or id 0. */
struct talk_reader {
    int64_t id;
    struct store_commenter who;
};
int talk_reader_get(struct talk *t, struct http_req *r, struct talk_reader *out);
/* Starts a session for the commenter: cookie and store. */
int talk_session_start(struct talk *t, struct http_req *r, int64_t commenter_id);
/* Ends this browser's session (store and cookie). */
void talk_session_end(struct talk *t, struct http_req *r);

/* Page data with navigation; title and path as site_page_data. */
json_t *talk_page(struct talk *t, struct http_req *r, const char *title, const char *path);
/* Renders a private page (never cached). */
int talk_render(struct talk *t, struct http_req *r, int status, const char *name, json_t *data);
/* A message page: title, text, and a link back. */
int talk_message(struct talk *t, struct http_req *r, int status, const char *title,
                 const char *text, const char *back);
/* A safe local path from a "return" parameter, or "/". */
const char *talk_return_path(struct http_req *r, const char *value);
bool talk_wants_json(struct http_req *r);
/* Answers a fetch() caller with {ok, message, ...}. */
int talk_json(struct http_req *r, int status, json_t *body);
int talk_id_param(struct http_req *r, const char *name, int64_t *id);
void talk_purge_article(struct http_req *r, int64_t article_id);
/* The sign-in choices: [{name, label, url}] with return path. */
json_t *talk_providers_json(struct talk *t, struct http_req *r, const char *return_to);
/* A fresh idempotency key for a comment form. */
char *talk_idem_key(struct http_req *r);
/* The comment's text as pieces [{text, href}] for the templates. */
json_t *talk_pieces_json(const char *body);

void talk_signin_routes(struct talk *t, struct http_server *srv);
void talk_comment_routes(struct talk *t, struct http_server *srv);
void talk_account_routes(struct talk *t, struct http_server *srv);
void talk_moderation_routes(struct talk *t, struct http_server *srv);

#endif
