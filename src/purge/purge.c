/*
 * The shared-cache purger (purge.h): a queue of surrogate keys filled by
 * whichever thread purges the page cache, and one thread that sends them
 * on with libcurl. A cache that cannot be reached is tried three times and
 * then logged; its pages still expire by their s-maxage.
 */
#include "purge/purge.h"

#include "core/core.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PURGE_MAX_URLS 8
#define PURGE_MAX_PENDING 512 /* distinct keys waiting; beyond, "all" */
#define PURGE_HEADER_MAX 4000 /* bytes of keys in one request */
#define PURGE_TRIES 3
#define PURGE_TIMEOUT_S 5

struct purger {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *urls[PURGE_MAX_URLS];
    size_t nurls;
    char **keys; /* pending, each once */
    size_t nkeys;
    bool all; /* "all" is pending, which covers every key */
    bool stopping;
    bool running; /* the thread was started */
};

static const char seps[] = " ,\t";

/* The next URL of a list of them: its start in *url and its length, or 0
 * at the end; *s moves past it. */
static size_t
next_url(const char **s, const char **url)
{
    *url = *s + strspn(*s, seps);
    size_t len = strcspn(*url, seps);
    *s = *url + len;
    return len;
}

const char *
purger_urls_check(const char *urls)
{
    size_t n = 0, len;
    const char *u;
    while ((len = next_url(&urls, &u)) > 0) {
        if (!((len > 7 && strncmp(u, "http://", 7) == 0) ||
              (len > 8 && strncmp(u, "https://", 8) == 0)))
            return "expected http:// or https:// URLs of the caches, separated by spaces";
        if (++n > PURGE_MAX_URLS)
            return "expected at most 8 cache URLs";
    }
    return n ? NULL : "expected the URL of a cache, such as http://127.0.0.1:6081/";
}

static size_t
discard(char *p, size_t size, size_t nmemb, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * nmemb;
}

/* One PURGE with the keys in its header; the status, or -1 with no answer. */
static long
send_once(const char *url, const char *header, char *why, size_t whylen)
{
    CURL *c = curl_easy_init();
    if (c == NULL) {
        snprintf(why, whylen, "libcurl could not start");
        return -1;
    }
    struct curl_slist *hdrs = curl_slist_append(NULL, header);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PURGE");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 2L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)PURGE_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Broadsheet/" BROADSHEET_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    long status = -1;
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    else
        snprintf(why, whylen, "%s", curl_easy_strerror(rc));
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return status;
}

static bool
stopping(struct purger *p)
{
    pthread_mutex_lock(&p->mu);
    bool s = p->stopping;
    pthread_mutex_unlock(&p->mu);
    return s;
}

static void
send_header(struct purger *p, const char *header)
{
    for (size_t u = 0; u < p->nurls; u++) {
        char why[256] = "";
        long status = -1;
        for (int t = 0; t < PURGE_TRIES; t++) {
            if (t > 0) {
                if (stopping(p))
                    break;
                struct timespec pause = {0, 250000000L << t}; /* 0.5 s, then 1 s */
                nanosleep(&pause, NULL);
            }
            status = send_once(p->urls[u], header, why, sizeof(why));
            if (status >= 200 && status < 300)
                break;
            if (status > 0)
                snprintf(why, sizeof(why), "it answered %ld", status);
            if (status >= 400 && status < 500)
                break; /* refused: asking again will not help */
        }
        if (!(status >= 200 && status < 300))
            log_warn("purge: the cache at %s did not purge '%.80s': %s", p->urls[u],
                     header + strlen("xkey-purge: "), why);
    }
}

/* Sends the keys in requests of at most PURGE_HEADER_MAX bytes of keys. */
static void
send_keys(struct purger *p, const char *const *keys, size_t n)
{
    struct buf h = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (h.len && h.len + 1 + strlen(keys[i]) > PURGE_HEADER_MAX) {
            send_header(p, h.p);
            buf_reset(&h);
        }
        buf_addf(&h, "%s%s", h.len ? " " : "xkey-purge: ", keys[i]);
    }
    if (h.len)
        send_header(p, h.p);
    buf_release(&h);
}

static void
free_keys(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

static void *
run(void *arg)
{
    struct purger *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stopping && p->nkeys == 0 && !p->all)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->nkeys == 0 && !p->all)
            break; /* stopping, and nothing left to send */
        char **keys = p->keys;
        size_t n = p->nkeys;
        bool all = p->all;
        p->keys = NULL;
        p->nkeys = 0;
        p->all = false;
        pthread_mutex_unlock(&p->mu);
        static const char *const everything[] = {"all"};
        send_keys(p, all ? everything : (const char *const *)keys, all ? 1 : n);
        free_keys(keys, n);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

struct purger *
purger_new(const char *urls, char *err, size_t errlen)
{
    const char *bad = purger_urls_check(urls);
    if (bad) {
        snprintf(err, errlen, "purge: %s", bad);
        return NULL;
    }
    struct purger *p = xcalloc(1, sizeof(*p));
    const char *u;
    for (size_t len; (len = next_url(&urls, &u)) > 0;)
        p->urls[p->nurls++] = xstrndup(u, len);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        snprintf(err, errlen, "purge: cannot start a thread");
        purger_free(p);
        return NULL;
    }
    p->running = true;
    return p;
}

void
purger_key(const char *key, void *arg)
{
    struct purger *p = arg;
    pthread_mutex_lock(&p->mu);
    if (p->stopping || p->all)
        goto out;
    if (strcmp(key, "all") == 0 || p->nkeys == PURGE_MAX_PENDING) {
        free_keys(p->keys, p->nkeys);
        p->keys = NULL;
        p->nkeys = 0;
        p->all = true;
        goto signal;
    }
    for (size_t i = 0; i < p->nkeys; i++)
        if (strcmp(p->keys[i], key) == 0)
            goto out;
    p->keys = xrealloc(p->keys, (p->nkeys + 1) * sizeof(*p->keys));
    p->keys[p->nkeys++] = xstrdup(key);
signal:
    pthread_cond_signal(&p->cv);
out:
    pthread_mutex_unlock(&p->mu);
}

void
purger_free(struct purger *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->running)
        pthread_join(p->thread, NULL);
    free_keys(p->keys, p->nkeys);
    for (size_t i = 0; i < p->nurls; i++)
        free(p->urls[i]);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    curl_global_cleanup();
}
