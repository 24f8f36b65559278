/*
 * Deferred work (http_defer, see http.h): a small pool of worker threads
 * with a bounded queue, and the way back to the request's loop thread.
 *
 * Life of a job: http_defer (loop thread) queues a struct http_defer; a
 * worker runs work(job) and posts the struct to the `done` receiver of the
 * request's loop (h2o_multithread_send_message); there, http_defer_complete
 * calls done(r, job) and the dispatcher's respond path, unless the request
 * went away meanwhile. Every change to a struct http_defer's r and arena
 * happens on that one loop thread, so they need no lock; the worker reads
 * only work and job, and the queue's mutex orders the hand-over.
 *
 * When the request goes first (req_dispose), it leaves the arena to the
 * job (http_defer_orphan sets r to NULL): the work may still be reading
 * from it. The completion then frees the job and the arena without
 * touching the request, which is the use-after-free of h2o/h2o#2078 done
 * right.
 *
 * Shutdown: a loop does not stop while jobs of its requests are out
 * (ndeferred), so their responses are sent; the pool stops after the loops,
 * with its queue empty.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#define RETRY_AFTER_SECONDS "1"

struct http_pool {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct http_defer *head, *tail;
    int queued;
    int cap;
    bool stopping;
    pthread_t *threads;
    int nthreads;
};

static struct http_defer *
pool_take(struct http_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->head == NULL && !p->stopping)
        pthread_cond_wait(&p->cond, &p->lock);
    struct http_defer *d = p->head;
    if (d) {
        p->head = d->next;
        if (p->head == NULL)
            p->tail = NULL;
        p->queued--;
    }
    pthread_mutex_unlock(&p->lock);
    return d;
}

static void *
pool_main(void *arg)
{
    struct http_pool *p = arg;
    struct http_defer *d;
    while ((d = pool_take(p)) != NULL) {
        d->work(d->job);
        h2o_multithread_send_message(&d->w->done, &d->msg);
    }
    return NULL;
}

struct http_pool *
http_pool_start(int nthreads, int cap)
{
    struct http_pool *p = xcalloc(1, sizeof(*p));
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    p->cap = cap;
    p->threads = xcalloc((size_t)nthreads, sizeof(*p->threads));
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&p->threads[i], NULL, pool_main, p) != 0)
            die("cannot start a worker thread");
        pthread_setname_np(p->threads[i], "bs-work");
        p->nthreads++;
    }
    return p;
}

void
http_pool_stop(struct http_pool *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    if (p->head)
        log_error("http: %d deferred jobs left in the queue at exit", p->queued);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p);
}

/* 0, or -1 when the queue is full. */
static int
pool_submit(struct http_pool *p, struct http_defer *d)
{
    int rc = -1;
    pthread_mutex_lock(&p->lock);
    if (p->queued < p->cap && !p->stopping) {
        d->next = NULL;
        if (p->tail)
            p->tail->next = d;
        else
            p->head = d;
        p->tail = d;
        p->queued++;
        pthread_cond_signal(&p->cond);
        rc = 0;
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* No pool (the server is not running): the job runs here and now. */
static int
run_inline(struct http_req *r, http_work_fn work, http_done_fn done, http_job_free_fn free_job,
           void *job)
{
    work(job);
    int status = done(r, job);
    if (free_job)
        free_job(job);
    return status;
}

int
http_defer(struct http_req *r, http_work_fn work, http_done_fn done, http_job_free_fn free_job,
           void *job)
{
    struct http_pool *p = r->srv->pool;
    if (r->deferred) {
        log_error("http: '%s' deferred a second job before the first came back", r->path);
        if (free_job)
            free_job(job);
        return http_error(r, 500, NULL);
    }
    if (p == NULL)
        return run_inline(r, work, done, free_job, job);
    struct http_defer *d = xcalloc(1, sizeof(*d));
    d->w = H2O_STRUCT_FROM_MEMBER(struct http_worker, ctx, r->h2o->conn->ctx);
    d->r = r;
    d->arena = r->arena;
    d->work = work;
    d->done = done;
    d->free_job = free_job;
    d->job = job;
    r->deferred = d; /* before the worker can see it: the queue's lock orders it */
    if (pool_submit(p, d) != 0) {
        r->deferred = NULL;
        free(d);
        if (free_job)
            free_job(job);
        http_set_header(r, "retry-after", RETRY_AFTER_SECONDS);
        return http_error(r, 503, "the server is busy; try again in a moment");
    }
    d->w->ndeferred++;
    return HTTP_DEFERRED;
}

void
http_defer_orphan(struct http_defer *d)
{
    d->r = NULL;
}

static void
complete_one(struct http_defer *d)
{
    struct http_req *r = d->r;
    d->w->ndeferred--;
    if (r == NULL) {
        /* the client went away: nobody to answer, the arena is ours */
        if (d->free_job)
            d->free_job(d->job);
        arena_free(d->arena);
        free(d);
        return;
    }
    r->deferred = NULL;
    int status = d->done(r, d->job);
    if (d->free_job)
        d->free_job(d->job);
    free(d);
    http_respond(r, status);
}

void
http_defer_complete(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        struct http_defer *d = H2O_STRUCT_FROM_MEMBER(struct http_defer, msg.link, messages->next);
        h2o_linklist_unlink(&d->msg.link);
        complete_one(d);
    }
}
