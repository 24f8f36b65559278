/*
 * The watched folders: one thread polls every agency's folder, files each
 * story that has arrived, and moves the file to done/ or quarantine/ inside
 * that folder, so a bad file never blocks the ones after it and nothing is
 * read twice. Files whose name starts with '.' or ends in .tmp or .part, and
 * files changed in the last second, are left for the next pass (an agency
 * still writing them). After each pass the thread calls the caller's tick
 * (the search index uses it to stay current).
 */
#include "ingest/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

#define MAX_PER_PASS 200

struct ingest_watch {
    struct store *st;
    const struct ingest_agency *agencies;
    size_t n;
    int interval;
    void (*tick)(void *);
    void *tick_ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
};

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool
ready(const char *dir, const char *name)
{
    if (name[0] == '.' || ends_with(name, ".tmp") || ends_with(name, ".part"))
        return false;
    char path[4096];
    struct stat sb;
    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
        stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return false;
    /* untouched for a whole second (to the nanosecond, not the clock tick) */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t age_ms = (int64_t)(now.tv_sec - sb.st_mtim.tv_sec) * 1000 +
                     (now.tv_nsec - sb.st_mtim.tv_nsec) / 1000000;
    return age_ms >= 1000;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves dir/name into dir/sub/, under a new name if one is taken. */
static void
move_to(const char *dir, const char *sub, const char *name)
{
    char from[4096], to[4096];
    snprintf(from, sizeof(from), "%s/%s", dir, name);
    snprintf(to, sizeof(to), "%s/%s/%s", dir, sub, name);
    struct stat sb;
    for (int i = 1; i < 1000 && stat(to, &sb) == 0; i++)
        snprintf(to, sizeof(to), "%s/%s/%s.%d", dir, sub, name, i);
    if (rename(from, to) != 0) {
        log_error("ingest: cannot move '%s' to '%s': %s", from, to, strerror(errno));
        /* never read it again: a file we cannot move must not loop */
        unlink(from);
    }
}

static void
file_one(struct store *st, const struct ingest_agency *ag, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", ag->watch, name);
    struct ingest_result res = {0};
    size_t len = 0;
    struct stat sb;
    char *data = NULL;
    if (stat(path, &sb) == 0 && (size_t)sb.st_size > INGEST_MAX_FILE)
        errno = EFBIG;
    else
        data = file_read(path, INGEST_MAX_FILE, &len);
    if (data == NULL) {
        struct store_ingest_event ev = {
            .agency = (char *)ag->name,
            .outcome = (char *)"quarantined",
            .file = (char *)name,
            .reason = (char *)(errno == EFBIG ? "the file is larger than 4 MB"
                                              : "the file cannot be read"),
        };
        store_call(st, ingest_log_add, &ev);
        log_warn("ingest: %s: '%s' quarantined: %s", ag->name, name, ev.reason);
        move_to(ag->watch, "quarantine", name);
        return;
    }
    ingest_bytes(st, ag, name, data, len, &res);
    free(data);
    bool bad = res.outcome == INGEST_QUARANTINED;
    if (bad)
        log_warn("ingest: %s: '%s' quarantined: %s", ag->name, name, res.reason);
    else
        log_info("ingest: %s: '%s' %s (article %lld)", ag->name, name,
                 ingest_outcome_name(res.outcome), (long long)res.article_id);
    move_to(ag->watch, bad ? "quarantine" : "done", name);
}

static void
ensure_dir(const char *dir, const char *sub)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        log_error("ingest: cannot create '%s': %s", path, strerror(errno));
}

static void
poll_agency(struct store *st, const struct ingest_agency *ag)
{
    DIR *d = opendir(ag->watch);
    if (d == NULL)
        return;
    ensure_dir(ag->watch, "done");
    ensure_dir(ag->watch, "quarantine");
    char *names[MAX_PER_PASS];
    size_t n = 0;
    struct dirent *e;
    while (n < MAX_PER_PASS && (e = readdir(d)) != NULL)
        if (ready(ag->watch, e->d_name))
            names[n++] = xstrdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(char *), by_name);
    for (size_t i = 0; i < n; i++) {
        file_one(st, ag, names[i]);
        free(names[i]);
    }
}

void
ingest_watch_poll(struct store *st, const struct ingest_agency *agencies, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (agencies[i].watch && agencies[i].watch[0])
            poll_agency(st, &agencies[i]);
}

static void *
run(void *arg)
{
    struct ingest_watch *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        pthread_mutex_unlock(&w->lock);
        ingest_watch_poll(w->st, w->agencies, w->n);
        if (w->tick)
            w->tick(w->tick_ctx);
        pthread_mutex_lock(&w->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->interval;
        while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct ingest_watch *
ingest_watch_start(struct store *st, const struct ingest_agency *agencies, size_t n, int interval_s,
                   void (*tick)(void *), void *tick_ctx)
{
    struct ingest_watch *w = xcalloc(1, sizeof(*w));
    w->st = st;
    w->agencies = agencies;
    w->n = n;
    w->interval = interval_s > 0 ? interval_s : 2;
    w->tick = tick;
    w->tick_ctx = tick_ctx;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    ingest_xml_init();
    /* the thread takes no signals: SIGINT and SIGTERM belong to the
     * server's main thread, which turns them into a graceful stop */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&w->thread, NULL, run, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        log_error("ingest: cannot start the folder watcher");
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void
ingest_watch_stop(struct ingest_watch *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
