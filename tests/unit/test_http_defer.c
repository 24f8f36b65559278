/*
 * Deferred work (src/http/defer.c) without sockets: a real H2O loop and
 * context, a request wrapper made as the dispatcher makes it, and the pool.
 * What matters most here is what an HTTP test cannot reach under HTTP/1: a
 * request that H2O frees while its job runs. The completion must then skip
 * done, free the job and the arena, and never touch the request (under
 * AddressSanitizer, `make asan-check`, any such touch fails the test).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "http/http_int.h"

static h2o_globalconf_t conf;
static h2o_evloop_t *loop;
static struct http_worker w;
static struct http_server *srv;
static pthread_t test_thread;

struct fake {
    h2o_conn_t conn;
    h2o_req_t req;
    struct http_req *r;
};

struct job {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started;
    bool go;
    struct arena *a;
    char *made; /* by the work, in the request's arena */
    int done_calls;
    int free_calls;
    bool made_at_free;
    bool done_on_loop;
    struct job *next; /* deferred by done */
};

static void
setup(void)
{
    h2o_config_init(&conf);
    h2o_config_register_host(&conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    loop = h2o_evloop_create();
    memset(&w, 0, sizeof(w));
    h2o_context_init(&w.ctx, loop, &conf);
    h2o_multithread_register_receiver(w.ctx.queue, &w.done, http_defer_complete);
    struct http_config cfg = {.host = "127.0.0.1", .port = 0};
    char err[256];
    srv = http_server_new(&cfg, err, sizeof(err));
    cr_assert_not_null(srv, "%s", err);
    srv->pool = http_pool_start(1, 1);
    test_thread = pthread_self();
}

static void
teardown(void)
{
    http_pool_stop(srv->pool);
    srv->pool = NULL;
    http_server_free(srv);
    h2o_multithread_unregister_receiver(w.ctx.queue, &w.done);
    h2o_multithread_queue_t *queue = w.ctx.queue;
    h2o_context_dispose(&w.ctx);
    h2o_evloop_run(loop, 0);
    free(queue);
    h2o_evloop_destroy(loop);
    h2o_config_dispose(&conf);
}

TestSuite(http_defer, .init = setup, .fini = teardown, .timeout = 30);

static void
fake_request(struct fake *f)
{
    memset(f, 0, sizeof(*f));
    f->conn.ctx = &w.ctx;
    h2o_mem_init_pool(&f->req.pool);
    f->req.conn = &f->conn;
    f->req.method = h2o_iovec_init(H2O_STRLIT("POST"));
    f->r = http_req_new(srv, &f->req);
}

/* What H2O does when the client goes away: the request's pool is cleared. */
static void
client_leaves(struct fake *f)
{
    h2o_mem_clear_pool(&f->req.pool);
    f->r = NULL;
}

static void
job_init(struct job *j, struct http_req *r)
{
    memset(j, 0, sizeof(*j));
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->cond, NULL);
    j->a = http_arena(r);
}

static void
job_release(struct job *j)
{
    pthread_cond_destroy(&j->cond);
    pthread_mutex_destroy(&j->lock);
}

/* Waits for the test's go, then allocates from the request's arena. */
static void
work(void *p)
{
    struct job *j = p;
    pthread_mutex_lock(&j->lock);
    j->started = true;
    pthread_cond_broadcast(&j->cond);
    while (!j->go)
        pthread_cond_wait(&j->cond, &j->lock);
    pthread_mutex_unlock(&j->lock);
    j->made = arena_strdup(j->a, "made by the work");
}

static void
wait_started(struct job *j)
{
    pthread_mutex_lock(&j->lock);
    while (!j->started)
        pthread_cond_wait(&j->cond, &j->lock);
    pthread_mutex_unlock(&j->lock);
}

static void
go(struct job *j)
{
    pthread_mutex_lock(&j->lock);
    j->go = true;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->lock);
}

static int
done(struct http_req *r, void *p)
{
    struct job *j = p;
    (void)r;
    j->done_calls++;
    j->done_on_loop = pthread_equal(pthread_self(), test_thread);
    return 200;
}

static void
free_job(void *p)
{
    struct job *j = p;
    j->free_calls++;
    j->made_at_free = j->made && strcmp(j->made, "made by the work") == 0;
}

/* Runs the loop until every job of the loop is back. */
static void
drain(void)
{
    for (int i = 0; i < 3000 && w.ndeferred > 0; i++)
        h2o_evloop_run(loop, 10);
    cr_assert_eq(w.ndeferred, 0, "every job came back to the loop");
}

Test(http_defer, a_request_freed_while_its_job_runs_is_left_alone)
{
    struct fake f;
    struct job j;
    fake_request(&f);
    job_init(&j, f.r);
    cr_assert_eq(http_defer(f.r, work, done, free_job, &j), HTTP_DEFERRED);
    cr_assert_eq(w.ndeferred, 1);
    wait_started(&j);
    client_leaves(&f); /* the arena must survive this: the work uses it next */
    go(&j);
    drain();
    cr_assert_eq(j.done_calls, 0, "nobody to answer: done is skipped");
    cr_assert_eq(j.free_calls, 1, "the job is freed once");
    cr_assert(j.made_at_free, "the arena outlived the request until the job was freed");
    job_release(&j);
}

Test(http_defer, a_full_queue_answers_503_and_frees_the_job)
{
    struct fake f[3];
    struct job j[3];
    for (int i = 0; i < 3; i++) {
        fake_request(&f[i]);
        job_init(&j[i], f[i].r);
    }
    cr_assert_eq(http_defer(f[0].r, work, done, free_job, &j[0]), HTTP_DEFERRED);
    wait_started(&j[0]); /* the only worker is busy */
    cr_assert_eq(http_defer(f[1].r, work, done, free_job, &j[1]), HTTP_DEFERRED, "queued");
    cr_assert_eq(http_defer(f[2].r, work, done, free_job, &j[2]), 503, "the queue is full");
    cr_assert_eq(j[2].free_calls, 1, "the refused job is freed at once");
    cr_assert_eq(j[2].done_calls, 0);
    cr_assert_null(f[2].r->deferred);
    bool retry = false;
    for (size_t i = 0; i < f[2].r->nheaders; i++)
        retry = retry || (strcmp(f[2].r->headers[i].name, "retry-after") == 0 &&
                          strcmp(f[2].r->headers[i].value, "1") == 0);
    cr_assert(retry, "Retry-After: 1");
    cr_assert_str_eq(f[2].r->message, "the server is busy; try again in a moment");
    for (int i = 0; i < 3; i++)
        client_leaves(&f[i]);
    go(&j[0]);
    go(&j[1]);
    drain();
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(j[i].done_calls, 0);
        cr_assert_eq(j[i].free_calls, 1);
        cr_assert(j[i].made_at_free);
    }
    for (int i = 0; i < 3; i++)
        job_release(&j[i]);
}

/* done of the first job defers a second (done runs with the request, on
 * the loop's thread); the client leaves during the second. */
static int
done_then_defer(struct http_req *r, void *p)
{
    struct job *j = p;
    done(r, p);
    return http_defer(r, work, done, free_job, j->next);
}

Test(http_defer, done_runs_on_the_loop_thread_and_may_defer_again)
{
    struct fake f;
    struct job first, second;
    fake_request(&f);
    job_init(&first, f.r);
    job_init(&second, f.r);
    first.next = &second;
    go(&first);
    cr_assert_eq(http_defer(f.r, work, done_then_defer, free_job, &first), HTTP_DEFERRED);
    for (int i = 0; i < 3000 && first.done_calls == 0; i++)
        h2o_evloop_run(loop, 10);
    cr_assert_eq(first.done_calls, 1);
    cr_assert(first.done_on_loop, "done ran on the loop's thread");
    cr_assert_eq(first.free_calls, 1);
    cr_assert(first.made_at_free);
    cr_assert_eq(w.ndeferred, 1, "the second job is out");
    client_leaves(&f);
    go(&second);
    drain();
    cr_assert_eq(second.done_calls, 0);
    cr_assert_eq(second.free_calls, 1);
    job_release(&first);
    job_release(&second);
}

Test(http_defer, without_a_pool_the_job_runs_at_once)
{
    struct fake f;
    struct job j;
    http_pool_stop(srv->pool);
    srv->pool = NULL;
    fake_request(&f);
    job_init(&j, f.r);
    go(&j);
    cr_assert_eq(http_defer(f.r, work, done, free_job, &j), 200, "done's status");
    cr_assert_eq(j.done_calls, 1);
    cr_assert_eq(j.free_calls, 1);
    cr_assert_eq(w.ndeferred, 0);
    client_leaves(&f);
    job_release(&j);
}
