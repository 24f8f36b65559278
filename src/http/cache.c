/*
 * The page cache: rendered public pages kept in memory, keyed by path and
 * query, each with its gzip form, ETag and surrogate keys. Readers share a
 * read lock; an entry is reference-counted so a response can keep sending
 * it after a purge. Purging by key drops every page that shows a changed
 * thing; a byte budget evicts the oldest pages first.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define NBUCKETS 4096

struct http_cache {
    pthread_rwlock_t lock;
    struct http_cache_entry *buckets[NBUCKETS];
    size_t bytes, max_bytes, count;
    /* bumped by every purge, under the write lock: a page rendered from
     * data read before a purge must not be kept after it */
    atomic_uint_fast64_t gen;
};

struct http_cache *
http_cache_new(size_t max_bytes)
{
    struct http_cache *c = xcalloc(1, sizeof(*c));
    pthread_rwlock_init(&c->lock, NULL);
    atomic_init(&c->gen, 0);
    c->max_bytes = max_bytes ? max_bytes : 256u << 20;
    return c;
}

static void
entry_free(struct http_cache_entry *e)
{
    free(e->key);
    free(e->body);
    free(e->gz);
    free(e->type);
    free(e->cache_control);
    free(e->xkey);
    free(e);
}

void
http_cache_unref(struct http_cache_entry *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1)
        entry_free(e);
}

static size_t
entry_bytes(const struct http_cache_entry *e)
{
    return e->len + e->gzlen + strlen(e->key) + sizeof(*e);
}

/* Unlinks every entry for which drop() says so; the caller holds the write lock. */
static void
sweep(struct http_cache *c, bool (*drop)(const struct http_cache_entry *, const void *),
      const void *arg)
{
    for (size_t i = 0; i < NBUCKETS; i++) {
        struct http_cache_entry **pp = &c->buckets[i];
        while (*pp) {
            struct http_cache_entry *e = *pp;
            if (drop(e, arg)) {
                *pp = e->next;
                c->bytes -= entry_bytes(e);
                c->count--;
                http_cache_unref(e);
            } else {
                pp = &e->next;
            }
        }
    }
}

void
http_cache_free(struct http_cache *c)
{
    if (c == NULL)
        return;
    http_cache_drop_all(c);
    pthread_rwlock_destroy(&c->lock);
    free(c);
}

struct http_cache_entry *
http_cache_get(struct http_cache *c, const char *key, size_t keylen)
{
    size_t b = hash64(key, keylen) % NBUCKETS;
    int64_t now = time_now();
    struct http_cache_entry *found = NULL;
    pthread_rwlock_rdlock(&c->lock);
    for (struct http_cache_entry *e = c->buckets[b]; e; e = e->next) {
        if (strlen(e->key) == keylen && memcmp(e->key, key, keylen) == 0) {
            if (e->expires > now) {
                atomic_fetch_add(&e->refs, 1);
                found = e;
            }
            break;
        }
    }
    pthread_rwlock_unlock(&c->lock);
    return found;
}

static char *
gzip(const char *p, size_t n, size_t *outlen)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, n);
    char *out = xmalloc(cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static bool
older_half(const struct http_cache_entry *e, const void *arg)
{
    /* a coarse eviction: pages expiring soonest go first */
    return e->expires <= *(const int64_t *)arg;
}

static bool
same_key(const struct http_cache_entry *e, const void *arg)
{
    return strcmp(e->key, (const char *)arg) == 0;
}

uint64_t
http_cache_generation(struct http_cache *c)
{
    return atomic_load(&c->gen);
}

struct http_cache_entry *
http_cache_put(struct http_cache *c, uint64_t gen, const char *key, const char *type,
               const char *cache_control, const char *body, size_t len, int max_age,
               const char *const *keys, size_t nkeys)
{
    struct http_cache_entry *e = xcalloc(1, sizeof(*e));
    atomic_init(&e->refs, 2); /* the cache's and the caller's */
    e->key = xstrdup(key);
    e->body = xstrndup(body, len);
    e->len = len;
    e->gz = len > 512 ? gzip(body, len, &e->gzlen) : NULL;
    snprintf(e->etag, sizeof(e->etag), "\"%016llx\"", (unsigned long long)hash64(body, len));
    e->type = xstrdup(type);
    e->cache_control = xstrdup(cache_control);
    e->expires = time_now() + (max_age > 0 ? max_age : 60);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < nkeys; i++)
        buf_addf(&b, "%s%s", i ? " " : "", keys[i]);
    e->xkey = buf_detach(&b, NULL);

    pthread_rwlock_wrlock(&c->lock);
    sweep(c, same_key, key);
    bool stale = atomic_load(&c->gen) != gen;
    if (!stale && c->bytes + entry_bytes(e) > c->max_bytes) {
        int64_t horizon = time_now() + max_age / 2;
        sweep(c, older_half, &horizon);
    }
    if (!stale && c->bytes + entry_bytes(e) <= c->max_bytes) {
        size_t bucket = hash64(key, strlen(key)) % NBUCKETS;
        e->next = c->buckets[bucket];
        c->buckets[bucket] = e;
        c->bytes += entry_bytes(e);
        c->count++;
    } else {
        atomic_fetch_sub(&e->refs, 1); /* stale or too big to keep: only the caller's */
    }
    pthread_rwlock_unlock(&c->lock);
    return e;
}

static bool
has_key(const struct http_cache_entry *e, const void *arg)
{
    const char *key = arg;
    size_t n = strlen(key);
    for (const char *p = e->xkey; (p = strstr(p, key)) != NULL; p += n) {
        bool start = p == e->xkey || p[-1] == ' ';
        bool end = p[n] == '\0' || p[n] == ' ';
        if (start && end)
            return true;
    }
    return false;
}

void
http_cache_drop(struct http_cache *c, const char *key)
{
    pthread_rwlock_wrlock(&c->lock);
    atomic_fetch_add(&c->gen, 1);
    sweep(c, has_key, key);
    pthread_rwlock_unlock(&c->lock);
}

static bool
always(const struct http_cache_entry *e, const void *arg)
{
    (void)e;
    (void)arg;
    return true;
}

void
http_cache_drop_all(struct http_cache *c)
{
    pthread_rwlock_wrlock(&c->lock);
    atomic_fetch_add(&c->gen, 1);
    sweep(c, always, NULL);
    pthread_rwlock_unlock(&c->lock);
}

void
http_cache_purge(struct http_server *s, const char *key)
{
    http_cache_drop(s->cache, key);
    if (s->purge_fn)
        s->purge_fn(key, s->purge_ctx);
}

void
http_cache_purge_all(struct http_server *s)
{
    http_cache_drop_all(s->cache);
    if (s->purge_fn)
        s->purge_fn("all", s->purge_ctx);
}

void
http_set_purge_hook(struct http_server *s, http_purge_fn fn, void *ctx)
{
    s->purge_fn = fn;
    s->purge_ctx = ctx;
}
