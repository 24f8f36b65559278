/*
 * Disqus export reader and `broadsheet import disqus FILE`. A Disqus export
 * lists <thread>s (one per page that had comments: its address and the
 * identifier the site gave it) and then <post>s (the comments, each naming
 * its thread and parent). A thread is matched to an article by
 *   1. its address, among the old addresses a WordPress import recorded;
 *   2. its identifier ("123 https://old.example/?p=123", as the WordPress
 *      plugin writes it): the address part, or the guid;
 *   3. one of our own addresses, /article/<id>/...
 * Comments of unmatched threads are counted and reported, not stored.
 */
#include "importers/importers_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "store/store.h"

#define NS_DSQ "disqus.com/disqus-internals"
#define MAX_THREADS 2000000

static int
thread_record(struct dsq_handler *h, xmlNode *n, struct arena *a)
{
    struct dsq_thread t = {
        .dsq_id = import_attr(a, n, "id"),
        .identifier = import_text(a, n, NULL, "id"),
        .link = import_text(a, n, NULL, "link"),
        .title = import_text(a, n, NULL, "title"),
        .forum = import_text(a, n, NULL, "forum"),
    };
    if (t.identifier[0] == '\0') /* the default namespace is Disqus's own */
        t.identifier = import_text(a, n, "disqus.com", "id");
    if (t.link[0] == '\0')
        t.link = import_text(a, n, "disqus.com", "link");
    if (t.forum[0] == '\0')
        t.forum = import_text(a, n, "disqus.com", "forum");
    if (t.title[0] == '\0')
        t.title = import_text(a, n, "disqus.com", "title");
    if (t.dsq_id[0] == '\0' || h->thread == NULL)
        return 0;
    return h->thread(h->ctx, &t);
}

/* A child in Disqus's default namespace (or none). */
static xmlNode *
dchild(xmlNode *n, const char *name)
{
    xmlNode *c = import_child(n, "disqus.com", name);
    return c ? c : import_child(n, NULL, name);
}

static const char *
dtext(struct arena *a, xmlNode *n, const char *name)
{
    xmlNode *c = dchild(n, name);
    xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
    const char *s = arena_strdup(a, t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

static int
post_record(struct dsq_handler *h, xmlNode *n, struct arena *a)
{
    xmlNode *author = dchild(n, "author");
    struct dsq_post p = {
        .dsq_id = import_attr(a, n, "id"),
        .thread = import_attr(a, dchild(n, "thread"), "id"),
        .parent = import_attr(a, dchild(n, "parent"), "id"),
        .message = dtext(a, n, "message"),
        .created_at = dtext(a, n, "createdAt"),
        .author_name = author ? dtext(a, author, "name") : "",
        .author_email = author ? dtext(a, author, "email") : "",
        .author_username = author ? dtext(a, author, "username") : "",
        .anonymous = author && strcmp(dtext(a, author, "isAnonymous"), "true") == 0,
        .ip = dtext(a, n, "ipAddress"),
        .deleted = strcmp(dtext(a, n, "isDeleted"), "true") == 0,
        .spam = strcmp(dtext(a, n, "isSpam"), "true") == 0,
    };
    if (p.dsq_id[0] == '\0' || h->post == NULL)
        return 0;
    return h->post(h->ctx, &p);
}

static int
on_record(void *ctx, xmlNode *n, struct arena *a)
{
    struct dsq_handler *h = ctx;
    if (strcmp((const char *)n->name, "thread") == 0)
        return thread_record(h, n, a);
    if (strcmp((const char *)n->name, "post") == 0)
        return post_record(h, n, a);
    return 0;
}

static void
on_progress(void *ctx, long bytes)
{
    struct dsq_handler *h = ctx;
    if (h->progress)
        h->progress(h->ctx, bytes);
}

static struct import_stream
stream(struct dsq_handler *h)
{
    return (struct import_stream){.root = "disqus",
                                  .what = "Disqus export",
                                  .record_depth = 1,
                                  .on_record = on_record,
                                  .progress = on_progress,
                                  .ctx = h};
}

int
import_disqus_parse_memory(const char *p, size_t n, struct dsq_handler *h, char *err, size_t errlen)
{
    struct import_stream s = stream(h);
    return import_stream_memory(p, n, &s, err, errlen);
}

int
import_disqus_parse_file(const char *path, struct dsq_handler *h, char *err, size_t errlen)
{
    struct import_stream s = stream(h);
    return import_stream_file(path, &s, err, errlen);
}

/* --- into the store --- */

struct dq {
    struct store *st;
    struct import_stats *stats;
    struct import_progress prog;
    json_t *threads; /* dsq:id -> article id (0: none) */
    size_t nthreads;
    char source[300];
    struct arena *batch;
    struct store_import_comment comments[IMPORT_BATCH_COMMENTS];
    size_t n;
    char *err;
    size_t errlen;
};

static int64_t
by_alias(struct dq *d, const char *kind, const char *value)
{
    int64_t id = 0;
    if (value[0] && store_call(d->st, import_map_get, "*", kind, value, &id) == STORE_OK)
        return id;
    return 0;
}

static int64_t
by_url(struct dq *d, const char *url)
{
    struct buf b = BUF_INIT;
    import_url_normalise(url, &b);
    int64_t id = b.len ? by_alias(d, "url", b.p) : 0;
    /* one of our own addresses: host/article/<id>/<slug> */
    const char *art = b.p ? strstr(b.p, "/article/") : NULL;
    if (id == 0 && art) {
        const char *num = art + 9;
        size_t len = strspn(num, "0123456789");
        long v;
        struct arena *a = arena_new();
        struct store_article found;
        if (len && parse_long(num, len, 1, INT64_MAX / 2, &v) == 0 &&
            store_call(d->st, article_get, v, a, &found) == STORE_OK)
            id = v;
        arena_free(a);
    }
    buf_release(&b);
    return id;
}

static int64_t
match_thread(struct dq *d, const struct dsq_thread *t)
{
    int64_t id = by_url(d, t->link);
    const char *space = strchr(t->identifier, ' ');
    if (id == 0 && space)
        id = by_url(d, space + 1);
    if (id == 0)
        id = by_alias(d, "guid", space ? space + 1 : t->identifier);
    if (id == 0 && strstr(t->identifier, "://"))
        id = by_url(d, t->identifier);
    return id;
}

static int
on_thread(void *ctx, const struct dsq_thread *t)
{
    struct dq *d = ctx;
    if (d->source[0] == '\0' && t->forum[0])
        snprintf(d->source, sizeof(d->source), "disqus:%s", t->forum);
    if (d->nthreads >= MAX_THREADS) {
        snprintf(d->err, d->errlen, "more than %d threads", MAX_THREADS);
        return -1;
    }
    json_object_set_new(d->threads, t->dsq_id, json_integer(match_thread(d, t)));
    d->nthreads++;
    return 0;
}

static int
flush(struct dq *d)
{
    if (d->n == 0)
        return 0;
    if (store_call(d->st, import_comments_save, d->comments, d->n) != STORE_OK) {
        snprintf(d->err, d->errlen, "the database refused a batch of comments");
        return -1;
    }
    for (size_t i = 0; i < d->n; i++) {
        if (d->comments[i].existed)
            d->stats->comments_existing++;
        else
            d->stats->comments++;
    }
    d->n = 0;
    arena_free(d->batch);
    d->batch = arena_new();
    return 0;
}

static int
on_post(void *ctx, const struct dsq_post *p)
{
    struct dq *d = ctx;
    json_t *th = json_object_get(d->threads, p->thread);
    int64_t article = th ? json_integer_value(th) : 0;
    if (article == 0) {
        d->stats->comments_unmatched++;
        return 0;
    }
    struct arena *a = d->batch;
    struct buf text = BUF_INIT;
    ingest_html_to_text(p->message, strlen(p->message), &text);
    char *t = import_clean(a, text.p ? text.p : "", 0, true);
    buf_release(&text);
    if (t[0] == '\0') {
        d->stats->comments_skipped++;
        return 0;
    }
    struct store_import_comment *m = &d->comments[d->n++];
    memset(m, 0, sizeof(*m));
    m->source = d->source[0] ? d->source : "disqus";
    m->source_id = arena_strdup(a, p->dsq_id);
    m->parent_source_id = arena_strdup(a, p->parent);
    m->article_id = article;
    m->author_name = import_clean(a, p->author_name, 120, false);
    m->author_key = import_author_key(a, p->anonymous ? "" : p->author_username,
                                      import_clean(a, p->author_email, 200, false), m->author_name);
    m->author_ip = import_clean(a, p->ip, 64, false);
    m->text = import_comment_text(a, t);
    m->status = p->spam ? "spam" : p->deleted ? "deleted" : "approved";
    int64_t when;
    m->created_at = time_parse(p->created_at, &when) == 0 ? when : time_now();
    d->prog.comments_read++;
    return d->n == IMPORT_BATCH_COMMENTS ? flush(d) : 0;
}

static void
progress(void *ctx, long bytes)
{
    struct dq *d = ctx;
    import_progress_update(&d->prog, bytes);
}

int
import_disqus(struct store *st, const char *path, const struct import_options *opt,
              struct import_stats *stats, char *err, size_t errlen)
{
    memset(stats, 0, sizeof(*stats));
    int64_t t0 = import_now_ms();
    struct dq *d = xcalloc(1, sizeof(*d));
    d->st = st;
    d->stats = stats;
    d->threads = json_object();
    d->batch = arena_new();
    d->err = err;
    d->errlen = errlen;
    err[0] = '\0';
    import_progress_init(&d->prog, opt, path);
    struct dsq_handler h = {.ctx = d, .thread = on_thread, .post = on_post, .progress = progress};
    int rc = import_disqus_parse_file(path, &h, err, errlen);
    if (rc == 0)
        rc = flush(d);
    import_progress_done(&d->prog);
    stats->seconds = (double)(import_now_ms() - t0) / 1000.0;
    json_decref(d->threads);
    arena_free(d->batch);
    free(d);
    return rc;
}
