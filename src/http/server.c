/*
 * The server: one H2O event loop per thread, each accepting on its own
 * SO_REUSEPORT socket so the kernel spreads connections. The main thread
 * waits for SIGINT/SIGTERM (or http_server_stop), then each loop closes its
 * listener, asks H2O to end its connections after their current response,
 * and drains them for at most DRAIN_SECONDS; a loop always waits for the
 * deferred jobs of its requests (defer.c), whose responses are sent. The
 * worker pool starts with the loops and stops after them.
 */
#include "http/http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define DRAIN_SECONDS 10
#define JOB_GRACE_SECONDS 2 /* to send a deferred job's response, at shutdown */
#define WORKERS_MIN 2
#define WORKERS_MAX 4
#define WORK_QUEUE_DEFAULT 64
#define SHUTDOWN_IDLE_MS 1000
#define ACCESS_LOG_FORMAT \
    "%h %l %u %t \"%r\" %s %b \"%{Referer}i\" \"%{User-agent}i\" %{duration}x"

struct root_handler {
    h2o_handler_t super;
    struct http_server *srv; /* read as *(self + 1) by http_on_req */
};

struct http_server *
http_server_new(const struct http_config *cfg, char *err, size_t errlen)
{
    struct http_server *s = xcalloc(1, sizeof(*s));
    s->cfg = *cfg;
    s->cfg.host = xstrdup(cfg->host ? cfg->host : "127.0.0.1");
    if (s->cfg.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        s->cfg.threads = n > 0 && n < 64 ? (int)n : 1;
    }
    if (s->cfg.workers <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        s->cfg.workers = n < WORKERS_MIN ? WORKERS_MIN : n > WORKERS_MAX ? WORKERS_MAX : (int)n;
    }
    if (s->cfg.work_queue <= 0)
        s->cfg.work_queue = WORK_QUEUE_DEFAULT;
    if (s->cfg.max_connections <= 0)
        s->cfg.max_connections = 4096;
    if (s->cfg.request_timeout_s <= 0)
        s->cfg.request_timeout_s = 10;
    if (s->cfg.max_body == 0)
        s->cfg.max_body = 256 * 1024;
    if (s->cfg.max_upload < s->cfg.max_body)
        s->cfg.max_upload = s->cfg.max_body;
    h2o_config_init(&s->h2o);
    s->h2o.server_name = h2o_iovec_init(H2O_STRLIT("broadsheet"));
    s->h2o.max_request_entity_size = s->cfg.max_upload;
    s->h2o.http1.req_timeout = (uint64_t)s->cfg.request_timeout_s * 1000;
    s->h2o.http2.idle_timeout = (uint64_t)s->cfg.request_timeout_s * 1000;
    /* HTTP/2 is left to the proxy in front (DESIGN.md): 2.2's lacks later
     * security fixes, so no cleartext upgrade to it (h2c) either */
    s->h2o.http1.upgrade_to_http2 = 0;
    s->host = h2o_config_register_host(&s->h2o, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    if (cfg->access_log && strcmp(cfg->access_log, "-") == 0) {
        /* standard error may be a socket (systemd's journal, a test
         * runner): reopening /dev/stderr fails there, so write to fd 2 */
        char lerr[256];
        s->log_conf = h2o_logconf_compile(ACCESS_LOG_FORMAT, H2O_LOGCONF_ESCAPE_APACHE, lerr);
        if (s->log_conf == NULL)
            die("http: access log format: %s", lerr);
    } else if (cfg->access_log) {
        s->log = h2o_access_log_open_handle(cfg->access_log, ACCESS_LOG_FORMAT,
                                            H2O_LOGCONF_ESCAPE_APACHE);
        if (s->log == NULL) {
            snprintf(err, errlen, "cannot open access log '%s'", cfg->access_log);
            http_server_free(s);
            return NULL;
        }
    }
    s->cache = http_cache_new(cfg->cache_max_bytes);
    s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    atomic_init(&s->nconns, 0);
    atomic_init(&s->stopping, false);
    return s;
}

void
http_server_free(struct http_server *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nroutes; i++)
        http_route_free(&s->routes[i]);
    free(s->routes);
    http_cache_free(s->cache);
    h2o_config_dispose(&s->h2o);
    if (s->log_conf)
        h2o_logconf_dispose(s->log_conf);
    if (s->wake_fd >= 0)
        close(s->wake_fd);
    free((char *)s->cfg.host);
    free(s);
}

void
http_set_error_page(struct http_server *s, http_error_fn fn, void *ctx)
{
    s->error_fn = fn;
    s->error_ctx = ctx;
}

struct stderr_logger {
    h2o_logger_t super;
    h2o_logconf_t *conf;
};

static void
stderr_log_access(h2o_logger_t *self, h2o_req_t *req)
{
    struct stderr_logger *l = (struct stderr_logger *)self;
    char buf[4096];
    size_t len = sizeof(buf);
    char *line = h2o_log_request(l->conf, req, &len, buf);
    if (write(STDERR_FILENO, line, len) < 0) {
        /* nowhere left to report it */
    }
    if (line != buf)
        free(line);
}

static void
add_logger(struct http_server *s, h2o_pathconf_t *pc)
{
    if (s->log) {
        h2o_access_log_register(pc, s->log);
    } else if (s->log_conf) {
        struct stderr_logger *l = (struct stderr_logger *)h2o_create_logger(pc, sizeof(*l));
        l->super.log_access = stderr_log_access;
        l->conf = s->log_conf;
    }
}

/* Runs before H2O's file handler: a path the router would refuse (an
 * escaped NUL, which the file handler reads as the end of the name, so
 * "/static/js/site.js%00.html" served site.js as text/html; bad escapes,
 * invalid UTF-8, dot segments) goes to the dispatcher, which answers 400
 * with the paper's page. Returns -1 to let the file handler serve the rest. */
static int
static_guard(h2o_handler_t *self, h2o_req_t *req)
{
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    struct arena *a = arena_new();
    char *segs[HTTP_MAX_SEGMENTS];
    size_t nsegs;
    bool trailing;
    int st = http_path_split(a, req->path.base, plen, segs, &nsegs, &trailing);
    arena_free(a);
    return st == 0 ? -1 : http_on_req(self, req);
}

/* After the file handler: a file that is not there goes to the dispatcher
 * too, for the paper's 404 page (not cached) instead of H2O's. */
static int
static_missing(h2o_handler_t *self, h2o_req_t *req)
{
    return http_on_req(self, req);
}

/* Headers for static files: nosniff always; Cache-Control with the long
 * max-age only on success, never on a 404 or 400 (a shared cache would
 * keep the error for the whole max-age). */
struct static_filter {
    h2o_filter_t super;
    char cache_control[64];
};

static void
static_on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    struct static_filter *f = (struct static_filter *)self;
    h2o_set_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 1,
                          H2O_STRLIT("nosniff"), 1);
    int st = req->res.status;
    if (st == 200 || st == 206 || st == 304)
        h2o_set_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("cache-control"), 1,
                              f->cache_control, strlen(f->cache_control), 1);
    h2o_setup_next_ostream(req, slot);
}

void
http_static(struct http_server *s, const char *prefix, const char *dir, int max_age)
{
    h2o_pathconf_t *pc = h2o_config_register_path(s->host, prefix, 0);
    struct root_handler *guard = (struct root_handler *)h2o_create_handler(pc, sizeof(*guard));
    guard->super.on_req = static_guard;
    guard->srv = s;
    h2o_file_register(pc, dir, (const char *[]){NULL}, NULL, 0);
    struct root_handler *missing = (struct root_handler *)h2o_create_handler(pc, sizeof(*missing));
    missing->super.on_req = static_missing;
    missing->srv = s;
    h2o_compress_args_t ca = {.min_size = 256, .gzip = {.quality = 6}, .brotli = {.quality = -1}};
    h2o_compress_register(pc, &ca);
    struct static_filter *f = (struct static_filter *)h2o_create_filter(pc, sizeof(*f));
    f->super.on_setup_ostream = static_on_setup_ostream;
    snprintf(f->cache_control, sizeof(f->cache_control), "public, max-age=%d", max_age);
    add_logger(s, pc);
}

/* --- listening --- */

static int
open_listener(const char *host, int port, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    int rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve listen address '%s': %s", host, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static void
on_conn_close(void *data)
{
    struct http_worker *w = data;
    w->nconns--;
    atomic_fetch_sub(&w->srv->nconns, 1);
}

static void
on_accept(h2o_socket_t *listener, const char *err)
{
    struct http_worker *w = listener->data;
    if (err != NULL)
        return;
    for (int i = 0; i < 64; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (sock == NULL)
            return;
        if (atomic_load(&w->srv->nconns) >= w->srv->cfg.max_connections) {
            h2o_socket_close(sock); /* over the cap: refuse rather than queue */
            continue;
        }
        atomic_fetch_add(&w->srv->nconns, 1);
        w->nconns++;
        sock->on_close.cb = on_conn_close;
        sock->on_close.data = w;
        h2o_accept(&w->accept, sock);
    }
}

static void
on_wake(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    (void)messages;
}

/* Whether H2O still has work queued on the context's timeouts (a closing
 * socket, a deferred callback); h2o_context_dispose asserts they are empty. */
static bool
timeouts_pending(h2o_context_t *c)
{
    h2o_timeout_t *t[] = {&c->zero_timeout,      &c->one_sec_timeout,   &c->hundred_ms_timeout,
                          &c->handshake_timeout, &c->http1.req_timeout, &c->http2.idle_timeout,
                          &c->http2.graceful_shutdown_timeout, &c->proxy.io_timeout};
    for (size_t i = 0; i < ARRAY_SIZE(t); i++)
        if (!h2o_linklist_is_empty(&t[i]->_entries))
            return true;
    return false;
}

/* Frees the chunks a thread-local recycle bin of H2O keeps, which would
 * otherwise be lost when the thread ends. */
static void
drain_recycle(h2o_mem_recycle_t *r)
{
    while (r->_link != NULL)
        free(h2o_mem_alloc_recycle(r, 0));
}

static void *
worker_main(void *arg)
{
    struct http_worker *w = arg;
    struct http_server *s = w->srv;
    w->loop = h2o_evloop_create();
    h2o_context_init(&w->ctx, w->loop, &s->h2o);
    w->accept.ctx = &w->ctx;
    w->accept.hosts = s->h2o.hosts;
    h2o_multithread_register_receiver(w->ctx.queue, &w->wake, on_wake);
    h2o_multithread_register_receiver(w->ctx.queue, &w->done, http_defer_complete);
    w->listener = h2o_evloop_socket_create(w->loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
    w->listener->data = w;
    h2o_socket_read_start(w->listener, on_accept);
    time_t deadline = 0;
    for (;;) {
        h2o_evloop_run(w->loop, 1000);
        if (atomic_load(&s->stopping) && !w->closed) {
            h2o_socket_read_stop(w->listener);
            h2o_socket_close(w->listener);
            w->closed = true;
            h2o_context_request_shutdown(&w->ctx);
            /* H2O 2.2 closes an HTTP/1 connection after its current
             * response, but one idle between requests (keep-alive) waits
             * for its request timeout; shorten that to a second */
            if (w->ctx.http1.req_timeout.timeout > SHUTDOWN_IDLE_MS)
                w->ctx.http1.req_timeout.timeout = SHUTDOWN_IDLE_MS;
            deadline = time(NULL) + DRAIN_SECONDS;
        }
        /* never with jobs out: their completions need this loop, and
         * their responses a moment to be written */
        if (w->closed && w->ndeferred > 0 && deadline < time(NULL) + JOB_GRACE_SECONDS)
            deadline = time(NULL) + JOB_GRACE_SECONDS;
        if (w->closed && w->ndeferred == 0 &&
            ((w->nconns == 0 && !timeouts_pending(&w->ctx)) || time(NULL) >= deadline))
            break;
    }
    /* let the last closes and deferred callbacks run before disposing */
    for (int i = 0; i < 100 && w->nconns == 0 && timeouts_pending(&w->ctx); i++)
        h2o_evloop_run(w->loop, 10);
    h2o_multithread_unregister_receiver(w->ctx.queue, &w->wake);
    h2o_multithread_unregister_receiver(w->ctx.queue, &w->done);
    bool clean = w->nconns == 0 && !timeouts_pending(&w->ctx);
    if (clean) {
        /* H2O 2.2 closes the queue's socket lazily and never frees the queue */
        h2o_multithread_queue_t *queue = w->ctx.queue;
        h2o_context_dispose(&w->ctx);
        h2o_evloop_run(w->loop, 0);
        free(queue);
        h2o_evloop_destroy(w->loop);
        drain_recycle(&h2o_socket_buffer_prototype.allocator);
    } else {
        log_warn("http: %zu connections still open at exit; left to the system", w->nconns);
    }
    return NULL;
}

void
http_server_stop(struct http_server *s)
{
    uint64_t one = 1;
    if (write(s->wake_fd, &one, sizeof(one)) < 0)
        log_warn("http: cannot wake the server: %s", strerror(errno));
}

/* Blocks until SIGINT, SIGTERM or http_server_stop. */
static void
wait_for_stop(struct http_server *s, const sigset_t *set)
{
    int sfd = signalfd(-1, set, SFD_CLOEXEC);
    struct pollfd fds[2] = {{.fd = sfd, .events = POLLIN}, {.fd = s->wake_fd, .events = POLLIN}};
    for (;;) {
        int n = poll(fds, 2, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || fds[0].revents || fds[1].revents)
            break;
    }
    if (fds[0].revents) {
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
            log_info("received %s; finishing in-flight responses", strsignal((int)si.ssi_signo));
    }
    close(sfd);
}

int
http_server_run(struct http_server *s, char *err, size_t errlen)
{
    h2o_pathconf_t *pc = h2o_config_register_path(s->host, "/", 0);
    struct root_handler *h = (struct root_handler *)h2o_create_handler(pc, sizeof(*h));
    h->super.on_req = http_on_req;
    h->srv = s;
    h2o_compress_args_t ca = {.min_size = 1024, .gzip = {.quality = 5}, .brotli = {.quality = -1}};
    h2o_compress_register(pc, &ca);
    add_logger(s, pc);

    s->nworkers = s->cfg.threads;
    s->workers = xcalloc((size_t)s->nworkers, sizeof(*s->workers));
    for (int i = 0; i < s->nworkers; i++) {
        s->workers[i].srv = s;
        s->workers[i].fd = open_listener(s->cfg.host, s->cfg.port, err, errlen);
        if (s->workers[i].fd < 0) {
            for (int k = 0; k < i; k++)
                close(s->workers[k].fd);
            free(s->workers);
            s->workers = NULL;
            return -1;
        }
    }
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    signal(SIGPIPE, SIG_IGN);
    s->pool = http_pool_start(s->cfg.workers, s->cfg.work_queue);
    for (int i = 0; i < s->nworkers; i++)
        if (pthread_create(&s->workers[i].tid, NULL, worker_main, &s->workers[i]) != 0)
            die("cannot start a server thread");
    log_info("serving on http://%s:%d/ with %d threads and %d workers", s->cfg.host, s->cfg.port,
             s->nworkers, s->cfg.workers);
    wait_for_stop(s, &set);
    atomic_store(&s->stopping, true);
    for (int i = 0; i < s->nworkers; i++)
        h2o_multithread_send_message(&s->workers[i].wake, NULL);
    for (int i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i].tid, NULL);
    /* every loop waited for its jobs: the queue is empty */
    http_pool_stop(s->pool);
    s->pool = NULL;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(s->workers);
    s->workers = NULL;
    log_info("stopped");
    return 0;
}
