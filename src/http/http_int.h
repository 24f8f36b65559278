/*
 * Private to the http module: the server, routes, the request wrapper and
 * the page cache. Includes H2O.
 */
#ifndef BROADSHEET_HTTP_INT_H
#define BROADSHEET_HTTP_INT_H

#include <h2o.h>
#include <pthread.h>
#include <stdatomic.h>

#include "http/http.h"

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_FIELDS 256
#define HTTP_MAX_SEGMENTS 32
#define HTTP_MAX_RESP_HEADERS 24

struct http_route {
    unsigned methods;
    unsigned flags;
    char *pattern;
    char **segs; /* split pattern */
    size_t nsegs;
    bool trailing_slash;
    http_handler_fn fn;
    void *ctx;
};

struct http_cache;

struct http_worker {
    struct http_server *srv;
    pthread_t tid;
    h2o_evloop_t *loop;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept;
    h2o_socket_t *listener;
    int fd;
    h2o_multithread_receiver_t wake;
    h2o_multithread_receiver_t done; /* deferred jobs come back here */
    size_t nconns;
    size_t ndeferred; /* jobs of this loop's requests not yet back */
    bool closed;
};

/* defer.c: one deferred job, from http_defer until its completion has run
 * on the loop thread (malloc'ed; see http.h for the rules). */
struct http_defer {
    h2o_multithread_message_t msg; /* back to w->done */
    struct http_defer *next;       /* in the pool's queue */
    struct http_worker *w;         /* the loop of the request */
    struct http_req *r;            /* NULL once the request is gone */
    struct arena *arena;           /* the request's, kept for the job */
    http_work_fn work;
    http_done_fn done;
    http_job_free_fn free_job;
    void *job;
};
struct http_pool;
/* Starts nthreads workers taking jobs from a queue of at most cap. */
struct http_pool *http_pool_start(int nthreads, int cap);
/* Runs what is queued, then stops and joins the workers. */
void http_pool_stop(struct http_pool *p);
/* The receiver callback of a loop's `done`: completes the jobs. */
void http_defer_complete(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages);
/* From req_dispose: the request is going; its arena now belongs to the job. */
void http_defer_orphan(struct http_defer *d);

struct http_server {
    struct http_config cfg;
    h2o_globalconf_t h2o;
    h2o_hostconf_t *host;
    h2o_access_log_filehandle_t *log;
    h2o_logconf_t *log_conf; /* access log to standard error */
    struct http_route *routes;
    size_t nroutes;
    http_error_fn error_fn;
    void *error_ctx;
    struct http_cache *cache;
    http_purge_fn purge_fn;
    void *purge_ctx;
    struct http_worker *workers;
    int nworkers;
    atomic_int nconns;
    atomic_bool stopping;
    struct http_pool *pool; /* while running */
    int wake_fd; /* eventfd to wake the main thread on http_server_stop */
};

struct http_resp_header {
    const char *name;
    const char *value;
};

struct http_req {
    h2o_req_t *h2o;
    struct http_server *srv;
    const struct http_route *route;
    struct http_defer *deferred; /* a job in flight for this request */
    struct arena *arena;
    unsigned method;
    char *path;  /* raw, without query */
    char *query_string;
    struct form query;
    struct form form;
    struct http_file *files; /* of a multipart body */
    size_t nfiles;
    const char *param_names[HTTP_MAX_PARAMS];
    char *param_values[HTTP_MAX_PARAMS];
    size_t nparams;
    struct form cookies;
    bool cookies_parsed;
    char *peer;
    char *origin;
    const char *csrf;
    /* the response */
    int status;
    const char *message;
    const char *content_type;
    struct buf body;
    struct http_resp_header headers[HTTP_MAX_RESP_HEADERS];
    size_t nheaders;
    bool cacheable;
    bool no_store;
    uint64_t cache_gen;    /* the page cache's generation when the request began */
    const char *cache_key; /* a GET's or HEAD's key in the page cache, else NULL */
    int max_age;
    const char *const *keys;
    size_t nkeys;
};

/* router.c */
void http_route_free(struct http_route *rt);
/* Splits and decodes the path; 0, or 400 for a path that is malformed. */
int http_path_split(struct arena *a, const char *path, size_t n, char **segs, size_t *nsegs,
                    bool *trailing);
bool http_route_match(const struct http_route *rt, char **segs, size_t nsegs, bool trailing,
                      struct http_req *r);

/* cache.c */
struct http_cache_entry {
    atomic_int refs;
    char *key;
    char *body;
    size_t len;
    char *gz;
    size_t gzlen;
    char etag[24];
    char *type;
    char *cache_control;
    char *xkey; /* space-separated keys */
    int64_t expires;
    struct http_cache_entry *next; /* hash chain */
};
struct http_cache *http_cache_new(size_t max_bytes);
void http_cache_free(struct http_cache *c);
/* A referenced entry or NULL; release with http_cache_unref. */
struct http_cache_entry *http_cache_get(struct http_cache *c, const char *key, size_t keylen);
/* The purge count; read before a page's data, passed to http_cache_put. */
uint64_t http_cache_generation(struct http_cache *c);
/* Keeps the page unless a purge came after gen (the page may show what was
 * purged) or it does not fit; returns a referenced entry either way. */
struct http_cache_entry *http_cache_put(struct http_cache *c, uint64_t gen, const char *key,
                                        const char *type, const char *cache_control,
                                        const char *body, size_t len, int max_age,
                                        const char *const *keys, size_t nkeys);
void http_cache_unref(struct http_cache_entry *e);
/* The page cache's key for a path with its query: the same without
 * tracking parameters (utm_*, fbclid, gclid, ...), so that a share link
 * carrying a click id unique to each reader is served from the cache like
 * the plain address. The key is written to out when it differs; a path
 * longer than cap is its own key. dispatch.c */
h2o_iovec_t http_cache_key(h2o_iovec_t path, char *out, size_t cap);
/* Calls fn for the key if any entry was dropped. */
void http_cache_drop(struct http_cache *c, const char *key);
void http_cache_drop_all(struct http_cache *c);

/* multipart.c: the parts of a multipart/form-data body into form fields
 * and files (arena memory); 0, or -1 with a message for a person in err. */
int http_multipart_parse(struct arena *a, const char *content_type, const char *body, size_t len,
                         struct form *fields, struct http_file **files, size_t *nfiles,
                         const char **err);

/* csrf.c: 0, or the status (403) */
int http_csrf_check(struct http_req *r);

/* dispatch.c */
int http_on_req(h2o_handler_t *self, h2o_req_t *req);
/* The request's wrapper, in req's pool: freed (with its arena, unless a
 * job holds it) when H2O disposes of the request. */
struct http_req *http_req_new(struct http_server *s, h2o_req_t *req);
/* Turns a handler's status into the response (or waits for a deferred job). */
void http_respond(struct http_req *r, int status);
void http_add_security_headers(struct http_server *s, h2o_req_t *req);

#endif
