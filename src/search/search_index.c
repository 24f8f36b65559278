/*
 * Keeping the index current: the store's triggers list changed articles;
 * here each becomes plain text (Markdown rendered to text, NFC, controls
 * removed) and Korean bigrams, written back in batches. Articles that are
 * published or scheduled are indexed; any other status removes the entry.
 * Visibility at query time is decided by the store against the live
 * articles table, never by the index.
 */
#include "search/search.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "store/store.h"

#define BATCH 200
#define MAX_BODY (2u << 20)

static pthread_mutex_t refreshing = PTHREAD_MUTEX_INITIALIZER;

static char *
clean_dup(struct arena *a, const char *s, bool newlines)
{
    size_t len;
    char *c = text_clean(s, strlen(s), newlines, &len);
    char *out = arena_strndup(a, c ? c : "", c ? len : 0);
    free(c);
    return out;
}

static struct store_search_doc *
make_doc(struct arena *a, const struct store_article *art)
{
    struct store_search_doc *d = arena_zalloc(a, sizeof(*d));
    struct buf text;
    buf_init(&text, MAX_BODY);
    markdown_to_text(art->body, strlen(art->body), &text);
    d->headline = clean_dup(a, art->headline, false);
    d->summary = clean_dup(a, art->summary, false);
    d->body = clean_dup(a, text.p ? text.p : "", true);
    buf_release(&text);
    struct buf cjk = BUF_INIT;
    const char *parts[] = {d->headline, d->summary, d->body};
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        if (cjk.len)
            buf_addch(&cjk, ' ');
        search_cjk_bigrams(parts[i], strlen(parts[i]), &cjk);
    }
    d->cjk = arena_strndup(a, cjk.p ? cjk.p : "", cjk.len);
    buf_release(&cjk);
    return d;
}

static bool
indexed_status(enum store_article_status s)
{
    return s == ARTICLE_PUBLISHED || s == ARTICLE_SCHEDULED;
}

/* One batch; returns the number written or -1. */
static long
refresh_batch(struct store *st, int max)
{
    struct arena *a = arena_new();
    struct store_search_pending *pend;
    size_t n = 0;
    long done = -1;
    if (store_call(st, search_pending, max, a, &pend, &n) != STORE_OK)
        goto out;
    const struct store_search_doc **docs = arena_zalloc(a, (n ? n : 1) * sizeof(*docs));
    for (size_t i = 0; i < n; i++) {
        struct store_article art;
        int rc = store_call(st, article_get, pend[i].article_id, a, &art);
        if (rc == STORE_OK && indexed_status(art.status))
            docs[i] = make_doc(a, &art);
        else if (rc != STORE_OK && rc != STORE_NOTFOUND)
            goto out;
    }
    if (n && store_call(st, search_docs_put, pend, docs, n) != STORE_OK)
        goto out;
    done = (long)n;
out:
    arena_free(a);
    return done;
}

long
search_index_refresh(struct store *st, long max)
{
    if (pthread_mutex_trylock(&refreshing) != 0)
        return 0;
    long total = 0;
    for (;;) {
        int want = max > 0 && max - total < BATCH ? (int)(max - total) : BATCH;
        if (want <= 0)
            break;
        long n = refresh_batch(st, want);
        if (n < 0) {
            total = -1;
            break;
        }
        total += n;
        if (n < want)
            break;
    }
    pthread_mutex_unlock(&refreshing);
    if (total < 0)
        log_error("search: could not bring the index up to date");
    return total;
}
