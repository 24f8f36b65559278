/*
 * http: the server on libh2o. One event loop per thread, each with its own
 * SO_REUSEPORT listener; routes with patterns; requests whose query, form
 * and path are decoded and validated before a handler sees them; responses
 * built in a buffer; a page cache for public pages, purged by surrogate
 * keys; static files; security headers; graceful shutdown.
 *
 * Handlers run on a loop thread, return an HTTP status and fill the
 * response through the functions below. A status of 400 or more with an
 * empty body is turned into an error page by one function (see
 * http_set_error_page). Work that blocks (password hashing, image
 * processing, calls to other servers) goes to a small worker pool with
 * http_defer, so that a loop thread never waits. Only files in src/http/
 * include H2O's headers.
 */
#ifndef BROADSHEET_HTTP_H
#define BROADSHEET_HTTP_H

#include "core/core.h"

struct http_req;
struct http_server;

#define HTTP_GET 0x01u
#define HTTP_HEAD 0x02u
#define HTTP_POST 0x04u
#define HTTP_PUT 0x08u
#define HTTP_DELETE 0x10u
#define HTTP_PATCH 0x20u

enum http_route_flags {
    HTTP_ROUTE_CACHE = 0x01,  /* a public page: cacheable when the handler says so */
    HTTP_ROUTE_UPLOAD = 0x02, /* may carry a body up to max_upload */
    HTTP_ROUTE_RAWBODY = 0x04, /* a form body is not decoded (JSON, XML, multipart) */
    HTTP_ROUTE_NO_CSRF = 0x08, /* a state-changing route authenticated otherwise (API key) */
};

typedef int (*http_handler_fn)(struct http_req *r, void *ctx);
/* Fills the body of an error response (the page that looks like the paper). */
typedef void (*http_error_fn)(struct http_req *r, int status, const char *message, void *ctx);

struct http_config {
    const char *host; /* "127.0.0.1" */
    int port;
    int threads;           /* 0: one per core */
    int max_connections;   /* over all threads */
    int request_timeout_s; /* to receive a whole request, and keep-alive idle */
    size_t max_body;       /* for ordinary requests */
    size_t max_upload;     /* for HTTP_ROUTE_UPLOAD routes */
    const char *access_log; /* a path, "-" for standard error, or NULL for none */
    bool behind_tls;       /* a TLS proxy in front: HSTS and Secure cookies */
    bool trust_proxy;      /* take the client address from X-Forwarded-For */
    size_t cache_max_bytes; /* the page cache's budget */
    int workers;            /* threads for deferred work; 0: one per core, 2 to 4 */
    int work_queue;         /* deferred jobs waiting for a worker; beyond, 503; 0: 64 */
};

struct http_server *http_server_new(const struct http_config *cfg, char *err, size_t errlen);
void http_server_free(struct http_server *s);
/* Routes are tried in the order they were added. A pattern is literal
 * segments, ":name" for one segment and "*name" for the rest of the path:
 * "/article/:id/:slug", "/ *path" (no space). A trailing '/' is significant. */
void http_route(struct http_server *s, unsigned methods, const char *pattern, unsigned flags,
                http_handler_fn fn, void *ctx);
/* Serves the files of dir under prefix ("/static/") with ETag, ranges and
 * compression; max_age in seconds. */
void http_static(struct http_server *s, const char *prefix, const char *dir, int max_age);
void http_set_error_page(struct http_server *s, http_error_fn fn, void *ctx);
/* Listens and serves until SIGINT or SIGTERM, then lets in-flight responses
 * finish. Returns 0, or -1 with a message in err if it cannot listen. */
int http_server_run(struct http_server *s, char *err, size_t errlen);
/* Asks a running server to stop as SIGTERM would (tests, signals elsewhere). */
void http_server_stop(struct http_server *s);

/* Every POST, PUT, PATCH and DELETE must carry the CSRF token, as the
 * form field "csrf" or the header X-CSRF-Token, matching the browser's
 * CSRF cookie (double submit, compared in constant time), and an Origin
 * header, when sent, must be this site's. Routes flagged NO_CSRF are
 * exempt. The check runs before the handler; failures are 403. */
/* The token to put in forms (creates the cookie when missing). */
const char *http_csrf_token(struct http_req *r);
/* A new token, for sign-in and sign-out: a token known before (planted,
 * or seen by someone else) stops working when the person behind it changes. */
const char *http_csrf_rotate(struct http_req *r);

/* Calls fn for each route: methods, pattern, flags (tests, `broadsheet routes`). */
typedef void (*http_route_visit_fn)(unsigned methods, const char *pattern, unsigned flags,
                                    void *ctx);
void http_routes_visit(struct http_server *s, http_route_visit_fn fn, void *ctx);

/* --- the page cache --- */
/* Drops every cached page carrying this surrogate key. */
void http_cache_purge(struct http_server *s, const char *key);
void http_cache_purge_all(struct http_server *s);
/* Called with each purged key (to tell a shared cache in front); may be NULL. */
typedef void (*http_purge_fn)(const char *key, void *ctx);
void http_set_purge_hook(struct http_server *s, http_purge_fn fn, void *ctx);

/* --- the request --- */
unsigned http_method(const struct http_req *r);
const char *http_method_name(const struct http_req *r);
/* The path as sent, without the query ("/article/12/a%20b"). */
const char *http_path(const struct http_req *r);
/* The raw query string, without '?', or "". */
const char *http_query_string(const struct http_req *r);
const char *http_param(const struct http_req *r, const char *name);
const char *http_query(const struct http_req *r, const char *name);
/* Fields of an application/x-www-form-urlencoded body. */
const char *http_form(const struct http_req *r, const char *name);
const struct form *http_form_all(const struct http_req *r);
/* A file of a multipart/form-data body (HTTP_ROUTE_UPLOAD routes, whose
 * text parts are the form fields); NULL if the form had no such file. */
struct http_file {
    const char *name;         /* the form field's name */
    const char *filename;     /* as the browser sent it; "" if not UTF-8 */
    const char *content_type; /* as the browser claimed it; never trusted */
    const unsigned char *data;
    size_t len;
};
const struct http_file *http_file(const struct http_req *r, const char *name);
/* The raw body (for RAWBODY routes) */
struct str http_body_raw(const struct http_req *r);
/* A request header (name in lower case), or NULL. */
const char *http_header(const struct http_req *r, const char *name);
const char *http_cookie(const struct http_req *r, const char *name);
/* The client's address as text. */
const char *http_peer(const struct http_req *r);
/* Memory freed when the response is done. */
struct arena *http_arena(const struct http_req *r);
struct http_server *http_server_of(const struct http_req *r);
/* "http://127.0.0.1:8080": scheme and host the request came to. */
const char *http_origin(const struct http_req *r);
bool http_behind_tls(const struct http_req *r);

/* --- the response --- */
struct buf *http_body(struct http_req *r);
void http_set_type(struct http_req *r, const char *content_type);
void http_set_header(struct http_req *r, const char *name, const char *value);
enum { HTTP_COOKIE_HTTPONLY = 1, HTTP_COOKIE_STRICT = 2 };
/* SameSite=Lax (or Strict), Path=/, Secure behind TLS; max_age < 0 deletes. */
void http_set_cookie(struct http_req *r, const char *name, const char *value, long max_age,
                     unsigned flags);
/* Sets Location and returns status (301, 302, 303). */
int http_redirect(struct http_req *r, int status, const char *location);
/* Records a message for the error page and returns status. */
int http_error(struct http_req *r, int status, const char *message);
/* Marks a 200 response as a public page: kept in the page cache until a
 * purge of one of its keys (or max_age seconds pass), and sent with
 * Cache-Control for a shared cache and the keys as xkey/Surrogate-Key. */
void http_cache_page(struct http_req *r, int max_age, const char *const *keys, size_t nkeys);
/* A private response (signed-in pages, forms): never stored anywhere. */
void http_no_store(struct http_req *r);

const char *http_status_text(int status);

/* --- deferred work: blocking calls off the loop thread ---
 *
 * A handler that must block (Argon2, libvips, libcurl) gathers what the
 * work needs into a job, calls http_defer and returns what it returns:
 *
 *     return http_defer(r, hash_work, hash_done, NULL, job);
 *
 * work(job) runs on a worker thread of the pool; then done(r, job) runs
 * back on the request's own loop thread and returns the status as a
 * handler does (the error page, headers and cache apply as usual); done
 * may call http_defer again for a next step. Then free_job(job) runs, on
 * the loop thread, when not NULL.
 *
 * The rules, because a request lives on one loop thread and may end early:
 *  - work never touches r and calls no http_* function. It reads and writes
 *    only the job, and what the job points to.
 *  - The request's arena is handed to the job from http_defer until done
 *    runs: the handler may build the job and its strings in http_arena(r)
 *    (form fields, uploaded files, cookies, the peer address: everything
 *    the http_* getters return lives there), and work may read and allocate
 *    from that arena, as nothing else uses it meanwhile. Get every value
 *    before http_defer: a getter may allocate. http_body_raw's bytes are
 *    H2O's, not the arena's: copy them.
 *  - If the client goes away while the job runs, the request is freed but
 *    its arena is kept until the job is over; done is then not called, and
 *    free_job(job) (say, to remove a file the work made) runs before the
 *    arena goes. Memory outside the arena (malloc, json_t) is free_job's.
 *  - What done leaves for the response (cache keys, strings) must outlive
 *    free_job: keep it in the arena, not in memory free_job frees.
 *  - http_defer takes the job over in every case. When the queue is full it
 *    calls free_job itself and returns 503 with Retry-After (the server is
 *    busy); the handler returns that. Outside a running server (tests, the
 *    command line) the job runs at once, on the caller's thread.
 *  - At shutdown, jobs already deferred run to the end and their responses
 *    are sent before the loops stop.
 */
#define HTTP_DEFERRED 1 /* a handler's status: the response comes later */
typedef void (*http_work_fn)(void *job);
typedef int (*http_done_fn)(struct http_req *r, void *job);
typedef void (*http_job_free_fn)(void *job);
int http_defer(struct http_req *r, http_work_fn work, http_done_fn done, http_job_free_fn free_job,
               void *job);

#endif
