/*
 * `broadsheet import wordpress FILE`: the WXR reader's records into the
 * store. Categories become sections (a WordPress category whose slug and
 * parent match an existing section lands there; "uncategorized" goes to the
 * first section), tags become tags, authors are matched by slug or created,
 * posts become articles (publish -> published, future -> scheduled, draft,
 * pending and private -> draft; pages, attachments, trash are skipped) and
 * their comments become comments (approved -> shown, pending -> held for
 * the moderators, spam -> rejected, trash -> deleted). Posts are written in batches, each batch one
 * transaction; the export's ids are remembered so that a second run adds
 * only what is new.
 */
#include "importers/importers_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "store/store.h"

#define SUMMARY_CHARS 240

struct wp {
    struct store *st;
    struct import_stats *stats;
    struct import_progress prog;
    struct wxr_handler *h;
    char source[600];
    json_t *authors;    /* login -> author id */
    json_t *categories; /* nicename -> {name, parent} */
    json_t *sections;   /* nicename -> section id */
    json_t *tags;       /* name -> tag id */
    bool categories_done;
    struct arena *sec_arena;
    struct store_section *secs;
    size_t nsecs, seccap;
    struct arena *batch;
    struct store_import_post posts[IMPORT_BATCH_POSTS];
    size_t nposts, ncomments;
    char *err;
    size_t errlen;
};

static int fail(struct wp *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct wp *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *
source(struct wp *w)
{
    if (w->source[0] == '\0')
        snprintf(w->source, sizeof(w->source), "wordpress:%s", w->h->site[0] ? w->h->site : "");
    return w->source;
}

/* --- authors --- */

static int
on_author(void *ctx, const struct wxr_author *au)
{
    struct wp *w = ctx;
    if (json_object_get(w->authors, au->login))
        return 0;
    struct arena *a = arena_new();
    int64_t id = 0;
    const char *name = au->display_name[0] ? au->display_name : au->login;
    char *slug = slug_make(name, strlen(name), 80);
    int rc = -1;
    struct store_author found;
    if (store_call(w->st, import_map_get, source(w), "author", au->login, &id) == STORE_OK) {
        rc = 0;
    } else if (slug[0] && store_call(w->st, author_get, 0, slug, a, &found) == STORE_OK) {
        id = found.id;
        rc = 0;
    } else {
        struct store_author na = {.slug = slug[0] ? slug : (char *)"staff",
                                  .name = import_clean(a, name, 120, false),
                                  .email = import_clean(a, au->email, 200, false)};
        rc = store_call(w->st, author_save, &na) == STORE_OK ? 0 : -1;
        id = na.id;
        w->stats->authors += rc == 0;
    }
    if (rc == 0)
        store_call(w->st, import_map_set, source(w), "author", au->login, id);
    else
        fail(w, "cannot create the author '%s'", au->login);
    json_object_set_new(w->authors, au->login, json_integer(id));
    free(slug);
    arena_free(a);
    return rc;
}

/* --- sections --- */

static int
load_sections(struct wp *w)
{
    arena_free(w->sec_arena);
    w->sec_arena = arena_new();
    w->seccap = 0;
    return store_call(w->st, section_list, w->sec_arena, &w->secs, &w->nsecs) == STORE_OK ? 0 : -1;
}

static int64_t
find_section(struct wp *w, int64_t parent, const char *slug)
{
    for (size_t i = 0; i < w->nsecs; i++)
        if (w->secs[i].parent_id == parent && strcmp(w->secs[i].slug, slug) == 0)
            return w->secs[i].id;
    return 0;
}

static int64_t
create_section(struct wp *w, int64_t parent, const char *slug, const char *name)
{
    int64_t id = find_section(w, parent, slug);
    if (id)
        return id;
    struct arena *a = arena_new();
    struct store_section s = {.parent_id = parent,
                              .slug = (char *)slug,
                              .name = import_clean(a, name[0] ? name : slug, 80, false),
                              .description = (char *)"",
                              .position = (int)w->nsecs};
    if (s.name[0] == '\0')
        s.name = (char *)slug;
    if (store_call(w->st, section_save, &s) == STORE_OK) {
        id = s.id;
        w->stats->sections++;
        load_sections(w);
    }
    arena_free(a);
    return id;
}

static int64_t
default_section(struct wp *w)
{
    for (size_t i = 0; i < w->nsecs; i++)
        if (w->secs[i].parent_id == 0)
            return w->secs[i].id;
    return create_section(w, 0, "news", "News");
}

/* A WordPress slug (percent-encoded UTF-8) as one of ours. */
static char *
term_slug(const char *nicename, const char *name)
{
    struct buf b = BUF_INIT;
    char *slug = NULL;
    if (url_decode(nicename, strlen(nicename), false, &b) == 0 && b.p && slug_valid(b.p, b.len) &&
        b.len <= 80)
        slug = xstrdup(b.p);
    buf_release(&b);
    if (slug == NULL)
        slug = slug_make(name[0] ? name : nicename, strlen(name[0] ? name : nicename), 80);
    return slug;
}

static int64_t
section_of(struct wp *w, const char *nicename, const char *name, int depth)
{
    if (strcmp(nicename, "uncategorized") == 0 || nicename[0] == '\0')
        return default_section(w);
    json_t *known = json_object_get(w->sections, nicename);
    if (known)
        return json_integer_value(known);
    json_t *cat = json_object_get(w->categories, nicename);
    const char *cname = cat ? json_string_value(json_object_get(cat, "name")) : name;
    const char *parent = cat ? json_string_value(json_object_get(cat, "parent")) : "";
    int64_t parent_id = 0;
    if (parent && parent[0] && depth < 8 && strcmp(parent, nicename) != 0)
        parent_id = section_of(w, parent, parent, depth + 1);
    char *slug = term_slug(nicename, cname ? cname : "");
    int64_t id = slug[0] ? create_section(w, parent_id, slug, cname ? cname : "") : 0;
    free(slug);
    if (id == 0)
        id = default_section(w);
    json_object_set_new(w->sections, nicename, json_integer(id));
    return id;
}

/* Every category the export declares becomes a section, parents first,
 * once all of them are known (they come before the posts). */
static void
ensure_categories(struct wp *w)
{
    if (w->categories_done)
        return;
    w->categories_done = true;
    const char *nicename;
    json_t *cat;
    json_object_foreach(w->categories, nicename, cat)
        section_of(w, nicename, json_string_value(json_object_get(cat, "name")), 0);
}

static int
on_category(void *ctx, const struct wxr_category *c)
{
    struct wp *w = ctx;
    json_object_set_new(w->categories, c->nicename,
                        json_pack("{s:s, s:s}", "name", c->name, "parent", c->parent));
    return 0;
}

/* --- posts --- */

static int64_t
tag_of(struct wp *w, const char *name)
{
    json_t *known = json_object_get(w->tags, name);
    if (known)
        return json_integer_value(known);
    int64_t id = 0;
    struct arena *a = arena_new();
    char *n = import_clean(a, name, 80, false);
    if (n[0] && store_call(w->st, tag_ensure, n, &id) == STORE_OK)
        w->stats->tags++;
    arena_free(a);
    json_object_set_new(w->tags, name, json_integer(id));
    return id;
}

/* publish -> published, future -> scheduled, draft/pending/private ->
 * draft; -1 for what is not imported. */
static int
status_of(const struct wxr_post *p)
{
    if (strcmp(p->type, "post") != 0)
        return -1;
    if (strcmp(p->status, "publish") == 0)
        return ARTICLE_PUBLISHED;
    if (strcmp(p->status, "future") == 0)
        return ARTICLE_SCHEDULED;
    if (!strcmp(p->status, "draft") || !strcmp(p->status, "pending") ||
        !strcmp(p->status, "private"))
        return ARTICLE_DRAFT;
    return -1;
}

static int64_t
date_of(const char *gmt, const char *local, const char *rfc822)
{
    int64_t t;
    if (gmt[0] && time_parse(gmt, &t) == 0)
        return t;
    if (local[0] && time_parse(local, &t) == 0)
        return t;
    struct tm tm = {0};
    const char *end = rfc822[0] ? strptime(rfc822, "%a, %d %b %Y %H:%M:%S %z", &tm) : NULL;
    if (end)
        return (int64_t)timegm(&tm) - tm.tm_gmtoff;
    return time_now();
}

/* The first paragraph's text, cut at a word before SUMMARY_CHARS. */
static char *
summary_of(struct arena *a, const struct wxr_post *p)
{
    struct buf text = BUF_INIT;
    const char *html = p->excerpt[0] ? p->excerpt : p->content;
    ingest_html_to_text(html, strlen(html), &text);
    const char *t = text.p ? text.p : "";
    const char *para = strstr(t, "\n\n");
    size_t n = para ? (size_t)(para - t) : text.len;
    char *first = arena_strndup(a, t, n);
    buf_release(&text);
    if (text_length(first, n) <= SUMMARY_CHARS)
        return import_clean(a, first, 0, false);
    size_t cut = 0, i = 0;
    long chars = 0;
    while (i < n && chars < SUMMARY_CHARS) {
        if (first[i] == ' ')
            cut = i;
        i++;
        while (i < n && ((unsigned char)first[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    first[cut ? cut : i] = '\0';
    return arena_printf(a, "%s\xe2\x80\xa6", import_clean(a, first, 0, false));
}

static void
comment_of(struct wp *w, struct arena *a, const struct wxr_comment *c,
           struct store_import_comment *m)
{
    memset(m, 0, sizeof(*m));
    struct buf text = BUF_INIT;
    ingest_html_to_text(c->content, strlen(c->content), &text);
    size_t len;
    char *t = text_clean(text.p ? text.p : "", text.len, true, &len);
    m->text = import_comment_text(a, arena_strdup(a, t ? t : ""));
    free(t);
    buf_release(&text);
    /* the reader's strings go with its record: copy into the batch */
    m->source = source(w);
    m->source_id = arena_strdup(a, c->id);
    m->parent_source_id = arena_strdup(a, strcmp(c->parent, "0") == 0 ? "" : c->parent);
    m->author_name = import_clean(a, c->author, 120, false);
    m->author_key =
        import_author_key(a, c->user_id, import_clean(a, c->email, 200, false), m->author_name);
    m->author_ip = import_clean(a, c->ip, 64, false);
    m->status = !strcmp(c->approved, "1")       ? "approved"
                : !strcmp(c->approved, "spam")  ? "spam"
                : !strcmp(c->approved, "trash") ? "deleted"
                                                : "pending";
    m->created_at = date_of(c->date_gmt, "", "");
}

static void
post_comments(struct wp *w, struct arena *a, const struct wxr_post *p, struct store_import_post *ip)
{
    ip->comments = arena_zalloc(a, (p->ncomments ? p->ncomments : 1) * sizeof(*ip->comments));
    for (size_t i = 0; i < p->ncomments; i++) {
        const struct wxr_comment *c = &p->comments[i];
        bool ping = !strcmp(c->type, "pingback") || !strcmp(c->type, "trackback");
        if (ping || c->id[0] == '\0') {
            w->stats->comments_skipped++;
            continue;
        }
        struct store_import_comment *m = &ip->comments[ip->ncomments];
        comment_of(w, a, c, m);
        if (m->text[0] == '\0') {
            w->stats->comments_skipped++;
            continue;
        }
        ip->ncomments++;
    }
    w->ncomments += ip->ncomments;
    w->prog.comments_read += (long)ip->ncomments;
}

static void
post_terms(struct wp *w, struct arena *a, const struct wxr_post *p, struct store_article *art)
{
    art->tags = arena_zalloc(a, (p->nterms + 1) * sizeof(*art->tags));
    art->extra_sections = arena_zalloc(a, (p->nterms + 1) * sizeof(int64_t));
    for (size_t i = 0; i < p->nterms; i++) {
        const struct wxr_term *t = &p->terms[i];
        if (strcmp(t->domain, "post_tag") == 0) {
            int64_t id = tag_of(w, t->name);
            bool dup = id == 0;
            for (size_t k = 0; k < art->ntags && !dup; k++)
                dup = art->tags[k].id == id;
            if (!dup)
                art->tags[art->ntags++].id = id;
        } else if (strcmp(t->domain, "category") == 0) {
            int64_t id = section_of(w, t->nicename, t->name, 0);
            if (art->section_id == 0)
                art->section_id = id;
            else if (id != art->section_id)
                art->extra_sections[art->nextra_sections++] = id;
        }
    }
    if (art->section_id == 0)
        art->section_id = default_section(w);
}

static char *
post_slug(struct arena *a, const struct wxr_post *p, const char *headline)
{
    struct buf b = BUF_INIT;
    char *slug = NULL;
    if (url_decode(p->name, strlen(p->name), false, &b) == 0 && b.p && b.len <= 120 &&
        slug_valid(b.p, b.len))
        slug = arena_strndup(a, b.p, b.len);
    buf_release(&b);
    if (slug == NULL) {
        char *made = slug_make(headline, strlen(headline), 80);
        slug = arena_strdup(a, made[0] ? made : "story");
        free(made);
    }
    return slug;
}

static int
flush_batch(struct wp *w)
{
    if (w->nposts == 0)
        return 0;
    int rc = store_call(w->st, import_posts_save, w->posts, w->nposts);
    if (rc != STORE_OK)
        return fail(w, "the database refused a batch of posts (near post %s)",
                    w->posts[0].source_id);
    for (size_t i = 0; i < w->nposts; i++) {
        struct store_import_post *p = &w->posts[i];
        if (p->existed)
            w->stats->posts_existing++;
        else
            w->stats->posts++;
        for (size_t k = 0; k < p->ncomments; k++) {
            if (p->comments[k].existed)
                w->stats->comments_existing++;
            else
                w->stats->comments++;
        }
    }
    w->nposts = 0;
    w->ncomments = 0;
    arena_free(w->batch);
    w->batch = arena_new();
    return 0;
}

static int
on_post(void *ctx, const struct wxr_post *p)
{
    struct wp *w = ctx;
    ensure_categories(w);
    int status = status_of(p);
    if (status < 0) {
        w->stats->posts_skipped++;
        return 0;
    }
    struct arena *a = w->batch;
    struct store_import_post *ip = &w->posts[w->nposts];
    memset(ip, 0, sizeof(*ip));
    struct store_article *art = arena_zalloc(a, sizeof(*art));
    ip->article = art;
    ip->source = source(w);
    ip->source_id = arena_strdup(a, p->id);
    int64_t known = 0;
    if (store_call(w->st, import_map_get, ip->source, "post", p->id, &known) == STORE_OK) {
        /* imported before: the store leaves the article alone; only
         * comments that are new are added */
        post_comments(w, a, p, ip);
        w->nposts++;
        w->prog.posts_read++;
        return w->nposts == IMPORT_BATCH_POSTS || w->ncomments >= IMPORT_BATCH_COMMENTS
                   ? flush_batch(w)
                   : 0;
    }
    struct buf url = BUF_INIT;
    import_url_normalise(p->link, &url);
    ip->url = arena_strndup(a, url.p ? url.p : "", url.len);
    buf_release(&url);
    ip->guid = arena_strdup(a, p->guid);
    art->headline = import_clean(a, p->title, 300, false);
    if (art->headline[0] == '\0')
        art->headline = (char *)"Untitled";
    art->slug = post_slug(a, p, art->headline);
    struct buf md;
    buf_init(&md, 4u << 20);
    ingest_html_to_markdown(p->content, strlen(p->content), &md);
    art->body = arena_strndup(a, md.p && !md.overflow ? md.p : "", md.overflow ? 0 : md.len);
    buf_release(&md);
    art->summary = summary_of(a, p);
    art->credit = (char *)"";
    art->status = (enum store_article_status)status;
    int64_t when = date_of(p->date_gmt, p->date, p->pubdate);
    /* a draft has no publication time yet */
    art->published_at = status == ARTICLE_DRAFT ? 0 : when;
    art->created_at = when;
    json_t *au = json_object_get(w->authors, p->creator);
    if (au && json_integer_value(au)) {
        art->authors = arena_zalloc(a, sizeof(*art->authors));
        art->authors[0].id = json_integer_value(au);
        art->nauthors = 1;
    }
    post_terms(w, a, p, art);
    post_comments(w, a, p, ip);
    w->nposts++;
    w->prog.posts_read++;
    if (w->nposts == IMPORT_BATCH_POSTS || w->ncomments >= IMPORT_BATCH_COMMENTS)
        return flush_batch(w);
    return 0;
}

static void
on_progress(void *ctx, long bytes)
{
    struct wp *w = ctx;
    import_progress_update(&w->prog, bytes);
}

int
import_wordpress(struct store *st, const char *path, const struct import_options *opt,
                 struct import_stats *stats, char *err, size_t errlen)
{
    memset(stats, 0, sizeof(*stats));
    int64_t t0 = import_now_ms();
    struct wxr_handler h = {
        .author = on_author, .category = on_category, .post = on_post, .progress = on_progress};
    struct wp w = {.st = st,
                   .stats = stats,
                   .h = &h,
                   .err = err,
                   .errlen = errlen,
                   .authors = json_object(),
                   .categories = json_object(),
                   .sections = json_object(),
                   .tags = json_object(),
                   .batch = arena_new()};
    h.ctx = &w;
    err[0] = '\0';
    import_progress_init(&w.prog, opt, path);
    int rc = load_sections(&w);
    if (rc != 0)
        snprintf(err, errlen, "cannot read the sections");
    if (rc == 0)
        rc = import_wxr_parse_file(path, &h, err, errlen);
    if (rc == 0) {
        ensure_categories(&w);
        rc = flush_batch(&w);
    }
    import_progress_done(&w.prog);
    stats->seconds = (double)(import_now_ms() - t0) / 1000.0;
    json_decref(w.authors);
    json_decref(w.categories);
    json_decref(w.sections);
    json_decref(w.tags);
    arena_free(w.batch);
    arena_free(w.sec_arena);
    return rc;
}

void
import_stats_print(FILE *f, const char *what, const struct import_stats *s)
{
    fprintf(f, "%s: ", what);
    if (strcmp(what, "disqus") != 0)
        fprintf(f, "%ld new articles (%ld imported before, %ld skipped), ", s->posts,
                s->posts_existing, s->posts_skipped);
    fprintf(f, "%ld new comments (%ld imported before, %ld skipped", s->comments,
            s->comments_existing, s->comments_skipped);
    if (s->comments_unmatched)
        fprintf(f, ", %ld with no matching article", s->comments_unmatched);
    if (strcmp(what, "disqus") != 0)
        fprintf(f, "), %ld new sections, %ld new authors, %ld tags", s->sections, s->authors,
                s->tags);
    else
        fputc(')', f);
    fprintf(f, " in %.1f s\n", s->seconds);
}
