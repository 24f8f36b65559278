/*
 * The distribution module's shared pieces: routes, start and stop, stable
 * identifiers, and articles as feed entries and ninjs records.
 */
#include "distribution/distribution_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/http.h"
#include "ingest/ingest.h"
#include "render/render.h"
#include "search/search.h"
#include "site/site.h"
#include "store/store.h"

char *
dist_abs(struct arena *a, const struct distribution *d, const char *path)
{
    return arena_printf(a, "%s%s", d->site->cfg.base_url, path);
}

/* The host of the base URL, without scheme or port: the tag: authority. */
static char *
host(struct arena *a, const struct distribution *d)
{
    const char *u = d->site->cfg.base_url;
    const char *p = strstr(u, "://");
    p = p ? p + 3 : u;
    size_t n = strcspn(p, ":/");
    return arena_strndup(a, p, n ? n : 0);
}

char *
dist_tag_uri(struct arena *a, const struct distribution *d, const struct store_article *art)
{
    char date[32];
    time_iso8601(art->created_at ? art->created_at : art->published_at, date);
    date[10] = '\0';
    return arena_printf(a, "tag:%s,%s:article:%lld", host(a, d), date, (long long)art->id);
}

static struct feed_person *
people(struct arena *a, const struct distribution *d, const struct store_article *art)
{
    struct feed_person *p = arena_zalloc(a, (art->nauthors + 1) * sizeof(*p));
    for (size_t i = 0; i < art->nauthors; i++) {
        struct buf path = BUF_INIT;
        buf_adds(&path, "/author/");
        esc_url_part(&path, art->authors[i].slug, strlen(art->authors[i].slug));
        p[i].name = art->authors[i].name;
        p[i].url = dist_abs(a, d, path.p);
        buf_release(&path);
    }
    return p;
}

static char *
html_of(struct arena *a, const char *md)
{
    struct buf html = BUF_INIT;
    markdown_to_html(md, strlen(md), &html);
    char *s = arena_strndup(a, html.p ? html.p : "", html.len);
    buf_release(&html);
    return s;
}

void
dist_feed_item(struct arena *a, const struct distribution *d, const struct store_article *art,
               bool full, struct feed_item *out)
{
    memset(out, 0, sizeof(*out));
    out->id = dist_tag_uri(a, d, art);
    out->permalink = dist_abs(a, d, arena_printf(a, "/article/%lld", (long long)art->id));
    out->url = dist_abs(a, d, site_article_path(a, art));
    out->title = art->headline;
    out->summary = art->summary;
    out->content_html = full ? html_of(a, art->body) : NULL;
    out->published = art->published_at;
    out->updated = art->updated_at;
    out->authors = people(a, d, art);
    out->nauthors = art->nauthors;
    const char **cats = arena_zalloc(a, (art->ntags + 1) * sizeof(char *));
    for (size_t i = 0; i < art->ntags; i++)
        cats[i] = art->tags[i].name;
    out->categories = cats;
    out->ncategories = art->ntags;
    if (art->nphotos) {
        json_t *photo = site_photo_json(&art->photos[0]);
        out->image = dist_abs(a, d, json_string_value(json_object_get(photo, "large")));
        json_decref(photo);
    }
}

static char *
byline(struct arena *a, const struct store_article *art)
{
    struct buf b = BUF_INIT;
    buf_add(&b, "", 0);
    for (size_t i = 0; i < art->nauthors; i++) {
        if (i)
            buf_adds(&b, i + 1 == art->nauthors ? " and " : ", ");
        buf_adds(&b, art->authors[i].name);
    }
    char *s = arena_strndup(a, b.p, b.len);
    buf_release(&b);
    return s;
}

json_t *
dist_ninjs(struct arena *a, const struct distribution *d, const struct site_sections *secs,
           const struct store_article *art, int major)
{
    struct feed_ninjs n = {0};
    n.uri = dist_tag_uri(a, d, art);
    n.url = dist_abs(a, d, site_article_path(a, art));
    n.version = art->version;
    n.first_created = art->published_at;
    n.version_created = art->updated_at;
    n.headline = art->headline;
    n.summary = art->summary;
    n.body_html = html_of(a, art->body);
    struct buf text = BUF_INIT;
    markdown_to_text(art->body, strlen(art->body), &text);
    n.body_text = arena_strndup(a, text.p ? text.p : "", text.len);
    buf_release(&text);
    n.by = byline(a, art);
    n.credit = art->credit;
    n.language = d->site->cfg.language;
    n.publisher = d->site->cfg.name;
    long si = secs ? site_section_find(secs, art->section_id) : -1;
    n.section = si >= 0 ? secs->items[si].name : "";
    struct feed_person *subjects = arena_zalloc(a, (art->ntags + 1) * sizeof(*subjects));
    for (size_t i = 0; i < art->ntags; i++) {
        struct buf path = BUF_INIT;
        buf_adds(&path, "/tag/");
        esc_url_part(&path, art->tags[i].slug, strlen(art->tags[i].slug));
        subjects[i].name = art->tags[i].name;
        subjects[i].url = dist_abs(a, d, path.p);
        buf_release(&path);
    }
    n.subjects = subjects;
    n.nsubjects = art->ntags;
    struct feed_ninjs_correction *corr = arena_zalloc(a, (art->ncorrections + 1) * sizeof(*corr));
    for (size_t i = 0; i < art->ncorrections; i++) {
        corr[i].clarification = art->corrections[i].kind == CORRECTION_CLARIFICATION;
        corr[i].text = art->corrections[i].text;
        corr[i].at = art->corrections[i].created_at;
    }
    n.corrections = corr;
    n.ncorrections = art->ncorrections;
    struct feed_ninjs_photo *photos = arena_zalloc(a, (art->nphotos + 1) * sizeof(*photos));
    for (size_t i = 0; i < art->nphotos; i++) {
        json_t *pj = site_photo_json(&art->photos[i]);
        photos[i].uri = dist_abs(a, d, json_string_value(json_object_get(pj, "large")));
        json_decref(pj);
        photos[i].caption = art->photos[i].caption;
        photos[i].credit = art->photos[i].credit;
        photos[i].width = art->photos[i].width;
        photos[i].height = art->photos[i].height;
    }
    n.photos = photos;
    n.nphotos = art->nphotos;
    return feed_ninjs_json(&n, major);
}

void
distribution_routes(struct distribution *d, struct http_server *srv)
{
    dist_search_routes(d, srv);
    dist_api_routes(d, srv);
    dist_intake_routes(d, srv);
    dist_sitemap_routes(d, srv);
    dist_feed_routes(d, srv);
}

static void
refresh_index(void *ctx)
{
    struct distribution *d = ctx;
    search_index_refresh(d->site->store, 0);
}

int
distribution_start(struct distribution *d)
{
    ingest_xml_init();
    for (size_t i = 0; i < d->cfg.nagencies; i++) {
        const struct ingest_agency *ag = &d->cfg.agencies[i];
        struct stat sb;
        if (ag->watch && ag->watch[0] && (stat(ag->watch, &sb) != 0 || !S_ISDIR(sb.st_mode)))
            log_warn("ingest: the folder '%s' of agency '%s' does not exist; create it to receive "
                     "files there",
                     ag->watch, ag->name);
    }
    long n = search_index_refresh(d->site->store, 0);
    if (n > 0)
        log_info("search: indexed %ld articles", n);
    d->watch = ingest_watch_start(d->site->store, d->cfg.agencies, d->cfg.nagencies,
                                  d->cfg.interval, refresh_index, d);
    return d->watch ? 0 : -1;
}

void
distribution_stop(struct distribution *d)
{
    ingest_watch_stop(d->watch);
    d->watch = NULL;
}
