/*
 * The scheduler: one thread that publishes scheduled articles when their
 * time comes. At start it publishes whatever fell due while the server was
 * down, then sleeps until the earliest scheduled time (at most a minute, so
 * times set by another process are seen too), or until the newsroom kicks
 * it after a change. Each publication purges the pages that show the
 * article and is written to the audit log as the system's action.
 */
#include "newsroom/newsroom_int.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#define SCHED_MAX_SLEEP 60

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool running;
    bool stop;
    bool kicked;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void
publish_due(void)
{
    struct arena *a = arena_new();
    int64_t *ids;
    size_t n = 0;
    int64_t now = time_now();
    if (store_call(nr_ctx.store, article_publish_due, now, a, &ids, &n) != STORE_OK)
        log_warn("scheduler: could not publish due articles; will retry");
    for (size_t i = 0; i < n; i++) {
        struct store_article art;
        if (store_call(nr_ctx.store, article_get, ids[i], a, &art) != STORE_OK)
            continue;
        nr_purge_article(NULL, &art);
        newsroom_audit(NULL, NULL, "publish",
                       arena_printf(a, "article %lld: %s", (long long)art.id, art.headline),
                       "on schedule");
        log_info("scheduler: published article %lld", (long long)art.id);
    }
    arena_free(a);
}

static int64_t
next_wake(void)
{
    int64_t now = time_now(), at = 0;
    int rc = store_call(nr_ctx.store, article_next_due, &at);
    if (rc != STORE_OK || at > now + SCHED_MAX_SLEEP)
        return now + SCHED_MAX_SLEEP;
    return at > now ? at : now;
}

static void *
sched_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&sched.lock);
    while (!sched.stop) {
        pthread_mutex_unlock(&sched.lock);
        publish_due();
        int64_t wake = next_wake();
        pthread_mutex_lock(&sched.lock);
        struct timespec ts = {.tv_sec = (time_t)wake, .tv_nsec = 0};
        while (!sched.stop && !sched.kicked && time_now() < wake)
            if (pthread_cond_timedwait(&sched.cond, &sched.lock, &ts) == ETIMEDOUT)
                break;
        sched.kicked = false;
    }
    pthread_mutex_unlock(&sched.lock);
    return NULL;
}

int
newsroom_scheduler_start(void)
{
    if (nr_ctx.store == NULL || sched.running)
        return -1;
    sched.stop = false;
    sched.kicked = false;
    /* the thread inherits a mask without SIGINT and SIGTERM: the server's
     * main thread takes those and shuts down in order */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    int rc = pthread_create(&sched.thread, NULL, sched_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return -1;
    sched.running = true;
    return 0;
}

void
newsroom_scheduler_stop(void)
{
    if (!sched.running)
        return;
    pthread_mutex_lock(&sched.lock);
    sched.stop = true;
    pthread_cond_signal(&sched.cond);
    pthread_mutex_unlock(&sched.lock);
    pthread_join(sched.thread, NULL);
    sched.running = false;
}

void
nr_scheduler_kick(void)
{
    pthread_mutex_lock(&sched.lock);
    sched.kicked = true;
    pthread_cond_signal(&sched.cond);
    pthread_mutex_unlock(&sched.lock);
}
