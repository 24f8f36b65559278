/*
 * The article page and its print view, and the JSON shapes of articles,
 * cards and photos that other pages and modules reuse.
 */
#include "site/site_int.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "render/render.h"
#include "store/store.h"

char *
site_article_path(struct arena *a, const struct store_article *art)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "/article/%lld/", (long long)art->id);
    esc_url_part(&b, art->slug, strlen(art->slug));
    char *p = arena_strndup(a, b.p, b.len);
    buf_release(&b);
    return p;
}

static void
add_srcset(json_t *photo, const char *key, const struct store_photo *p, const char *ext)
{
    struct buf b = BUF_INIT;
    const char *w = p->widths;
    while (*w) {
        long width = strtol(w, (char **)&w, 10);
        if (width <= 0)
            break;
        buf_addf(&b, "%s/media/%s-%ld.%s %ldw", b.len ? ", " : "", p->name, width, ext, width);
        while (*w == ' ')
            w++;
    }
    json_object_set_new(photo, key, json_stringn(b.p ? b.p : "", b.len));
    buf_release(&b);
}

json_t *
site_photo_json(const struct store_photo *p)
{
    /* the middle rendition is the fallback src */
    long widths[8];
    size_t n = 0;
    for (const char *w = p->widths; *w && n < ARRAY_SIZE(widths);) {
        char *end;
        long v = strtol(w, &end, 10);
        if (end == w)
            break;
        widths[n++] = v;
        w = end;
        while (*w == ' ')
            w++;
    }
    long fallback = n ? widths[n > 1 ? 1 : 0] : p->width;
    char src[512];
    snprintf(src, sizeof(src), "/media/%s-%ld.jpg", p->name, fallback);
    long largest = n ? widths[n - 1] : p->width;
    char large[512];
    snprintf(large, sizeof(large), "/media/%s-%ld.jpg", p->name, largest);
    json_t *photo = json_pack("{s:I, s:s, s:s, s:i, s:i, s:s, s:s, s:s}", "id", (json_int_t)p->id,
                              "src", src, "large", large, "width", p->width, "height", p->height,
                              "alt", p->alt, "caption", p->caption, "credit", p->credit);
    add_srcset(photo, "srcset_webp", p, "webp");
    add_srcset(photo, "srcset_jpeg", p, "jpg");
    return photo;
}

static json_t *
authors_json(const struct store_article *art)
{
    json_t *list = json_array();
    for (size_t i = 0; i < art->nauthors; i++) {
        const struct store_author *au = &art->authors[i];
        char url[300];
        snprintf(url, sizeof(url), "/author/%s", au->slug);
        json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)au->id, "name",
                              au->name, "url", url, "email", au->email, "role", au->role);
        if (au->email[0])
            json_object_set_new(j, "mailto", json_sprintf("mailto:%s", au->email));
        json_array_append_new(list, j);
    }
    return list;
}

/* "Kim Ha-neul and Park Joon" for cards */
static json_t *
byline_text(const struct store_article *art)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < art->nauthors; i++) {
        if (i)
            buf_adds(&b, i + 1 == art->nauthors ? " and " : ", ");
        buf_adds(&b, art->authors[i].name);
    }
    json_t *s = json_stringn(b.p ? b.p : "", b.len);
    buf_release(&b);
    return s;
}

static json_t *
section_json(const struct site_sections *secs, int64_t id)
{
    long i = site_section_find(secs, id);
    if (i < 0)
        return json_null();
    char url[600];
    snprintf(url, sizeof(url), "/%s/", secs->paths[i]);
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", secs->items[i].name, "url",
                     url);
}

json_t *
site_card_json(struct site *s, const struct site_sections *secs, const struct store_article *art,
               struct arena *a)
{
    (void)s;
    json_t *card = json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:s}", "id",
                             (json_int_t)art->id, "url", site_article_path(a, art), "headline",
                             art->headline, "summary", art->summary, "section",
                             section_json(secs, art->section_id), "published",
                             (json_int_t)art->published_at, "byline", byline_text(art), "authors",
                             authors_json(art), "credit", art->credit);
    if (art->nphotos)
        json_object_set_new(card, "photo", site_photo_json(&art->photos[0]));
    return card;
}

static json_t *
breadcrumb_json(const struct site_sections *secs, int64_t section_id)
{
    json_t *crumbs = json_array();
    long chain[8];
    size_t n = 0;
    for (long i = site_section_find(secs, section_id); i >= 0 && n < ARRAY_SIZE(chain);) {
        chain[n++] = i;
        i = secs->items[i].parent_id ? site_section_find(secs, secs->items[i].parent_id) : -1;
    }
    json_array_append_new(crumbs, json_pack("{s:s, s:s}", "name", "Home", "url", "/"));
    while (n--) {
        char url[600];
        snprintf(url, sizeof(url), "/%s/", secs->paths[chain[n]]);
        json_array_append_new(crumbs,
                              json_pack("{s:s, s:s}", "name", secs->items[chain[n]].name, "url", url));
    }
    return crumbs;
}

static json_t *
corrections_json(const struct store_article *art, bool top)
{
    json_t *list = json_array();
    for (size_t i = 0; i < art->ncorrections; i++) {
        const struct store_correction *c = &art->corrections[i];
        if (c->at_top != top)
            continue;
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:I}", "kind",
                            c->kind == CORRECTION_CLARIFICATION ? "Clarification" : "Correction",
                            "text", c->text, "date", (json_int_t)c->created_at));
    }
    return list;
}

static json_t *
share_json(const char *url, const char *headline)
{
    struct buf x = BUF_INIT, fb = BUF_INIT, kakao = BUF_INIT;
    buf_adds(&x, "https://twitter.com/intent/tweet?url=");
    url_encode(&x, url, strlen(url));
    buf_adds(&x, "&text=");
    url_encode(&x, headline, strlen(headline));
    buf_adds(&fb, "https://www.facebook.com/sharer/sharer.php?u=");
    url_encode(&fb, url, strlen(url));
    buf_adds(&kakao, "https://story.kakao.com/share?url=");
    url_encode(&kakao, url, strlen(url));
    json_t *j = json_pack("{s:s, s:s, s:s}", "x", x.p, "facebook", fb.p, "kakao", kakao.p);
    buf_release(&x);
    buf_release(&fb);
    buf_release(&kakao);
    return j;
}

static json_t *
jsonld(struct site *s, json_t *art, const char *canonical)
{
    char pub[32], mod[32];
    json_int_t published = json_integer_value(json_object_get(art, "published"));
    json_int_t updated = json_integer_value(json_object_get(art, "updated"));
    time_iso8601(published, pub);
    time_iso8601(updated ? updated : published, mod);
    json_t *authors = json_array();
    size_t i;
    json_t *au;
    json_array_foreach(json_object_get(art, "authors"), i, au)
    {
        char url[600];
        snprintf(url, sizeof(url), "%s%s", s->cfg.base_url,
                 json_string_value(json_object_get(au, "url")));
        json_array_append_new(authors, json_pack("{s:s, s:O, s:s}", "@type", "Person", "name",
                                                 json_object_get(au, "name"), "url", url));
    }
    json_t *images = json_array();
    json_t *photo;
    json_array_foreach(json_object_get(art, "photos"), i, photo)
    {
        char url[600];
        snprintf(url, sizeof(url), "%s%s", s->cfg.base_url,
                 json_string_value(json_object_get(photo, "large")));
        json_array_append_new(images, json_string(url));
    }
    char logo[600];
    snprintf(logo, sizeof(logo), "%s/static/img/logo.png", s->cfg.base_url);
    json_t *news = json_pack(
        "{s:s, s:s, s:O, s:O, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:{s:s, s:s}}, s:s, s:O}",
        "@context", "https://schema.org", "@type", "NewsArticle", "headline",
        json_object_get(art, "headline"), "description", json_object_get(art, "summary"),
        "datePublished", pub, "dateModified", mod, "author", authors, "image", images, "publisher",
        "@type", "NewsMediaOrganization", "name", s->cfg.name, "logo", "@type", "ImageObject",
        "url", logo, "mainEntityOfPage", canonical, "articleSection",
        json_object_get(json_object_get(art, "section"), "name"));
    json_t *items = json_array();
    json_t *crumb;
    json_array_foreach(json_object_get(art, "breadcrumb"), i, crumb)
    {
        char url[600];
        snprintf(url, sizeof(url), "%s%s", s->cfg.base_url,
                 json_string_value(json_object_get(crumb, "url")));
        json_array_append_new(items, json_pack("{s:s, s:i, s:O, s:s}", "@type", "ListItem",
                                               "position", (int)i + 1, "name",
                                               json_object_get(crumb, "name"), "item", url));
    }
    json_t *crumbs = json_pack("{s:s, s:s, s:o}", "@context", "https://schema.org", "@type",
                               "BreadcrumbList", "itemListElement", items);
    return json_pack("[o, o]", news, crumbs);
}

json_t *
site_article_json(struct site *s, const struct site_sections *secs,
                  const struct store_article *art, struct arena *a)
{
    json_t *j = site_card_json(s, secs, art, a);
    struct buf html = BUF_INIT;
    markdown_to_html(art->body, strlen(art->body), &html);
    json_object_set_new(j, "body_html", json_stringn(html.p ? html.p : "", html.len));
    buf_release(&html);
    json_object_set_new(j, "updated", json_integer(art->updated_at));
    json_object_set_new(j, "breadcrumb", breadcrumb_json(secs, art->section_id));
    json_t *photos = json_array();
    for (size_t i = 0; i < art->nphotos; i++)
        json_array_append_new(photos, site_photo_json(&art->photos[i]));
    json_object_set_new(j, "photos", photos);
    json_t *tags = json_array();
    for (size_t i = 0; i < art->ntags; i++) {
        struct buf url = BUF_INIT;
        buf_adds(&url, "/tag/");
        esc_url_part(&url, art->tags[i].slug, strlen(art->tags[i].slug));
        json_array_append_new(tags, json_pack("{s:s, s:s}", "name", art->tags[i].name, "url", url.p));
        buf_release(&url);
    }
    json_object_set_new(j, "tags", tags);
    json_object_set_new(j, "corrections_top", corrections_json(art, true));
    json_object_set_new(j, "corrections_bottom", corrections_json(art, false));
    json_object_set_new(j, "comments_locked", json_boolean(art->comments_locked));
    char *path = site_article_path(a, art);
    json_object_set_new(j, "print_url", json_string(arena_printf(a, "%s/print", path)));
    char *abs = arena_printf(a, "%s%s", s->cfg.base_url, path);
    json_object_set_new(j, "abs_url", json_string(abs));
    json_object_set_new(j, "share", share_json(abs, art->headline));
    return j;
}

/* --- handlers --- */

bool
site_article_visible(const struct store_article *art, int64_t now)
{
    return art && art->status == ARTICLE_PUBLISHED && art->published_at && art->published_at <= now;
}

/* Loads the published article named by the :id parameter; a status on failure. */
static int
load_article(struct site *s, struct http_req *r, struct store_article *art)
{
    long id;
    const char *ids = http_param(r, "id");
    if (ids == NULL || parse_long(ids, strlen(ids), 1, INT64_MAX / 2, &id) != 0)
        return 404;
    int st = store_call(s->store, article_get, id, http_arena(r), art);
    if (st == STORE_NOTFOUND || (st == STORE_OK && !site_article_visible(art, time_now())))
        return 404;
    return st == STORE_OK ? 0 : 503;
}

static size_t
article_keys(struct arena *a, const struct store_article *art, const char ***out)
{
    size_t max = 3 + art->nauthors + art->ntags + art->nextra_sections;
    const char **keys = arena_alloc(a, max * sizeof(char *));
    size_t n = 0;
    keys[n++] = arena_printf(a, "a:%lld", (long long)art->id);
    keys[n++] = "sections";
    keys[n++] = arena_printf(a, "s:%lld", (long long)art->section_id);
    for (size_t i = 0; i < art->nauthors; i++)
        keys[n++] = arena_printf(a, "au:%lld", (long long)art->authors[i].id);
    for (size_t i = 0; i < art->ntags; i++)
        keys[n++] = arena_printf(a, "t:%lld", (long long)art->tags[i].id);
    for (size_t i = 0; i < art->nextra_sections; i++)
        keys[n++] = arena_printf(a, "s:%lld", (long long)art->extra_sections[i]);
    *out = keys;
    return n;
}

static int
article_common(struct site *s, struct http_req *r, bool print)
{
    struct arena *a = http_arena(r);
    struct store_article art;
    int st = load_article(s, r, &art);
    if (st)
        return http_error(r, st, NULL);
    char *path = site_article_path(a, &art);
    const char *slug = http_param(r, "slug");
    if (slug == NULL || strcmp(slug, art.slug) != 0)
        return http_redirect(r, 301, print ? arena_printf(a, "%s/print", path) : path);
    struct site_sections secs;
    if (site_sections_load(s, a, &secs) != 0)
        return http_error(r, 503, NULL);
    json_t *data = site_page_data(s, &secs, art.headline, path);
    json_t *page = json_object_get(data, "page");
    json_t *aj = site_article_json(s, &secs, &art, a);
    json_object_set_new(page, "description", json_string(art.summary));
    json_object_set_new(page, "type", json_string("article"));
    json_t *photo = json_object_get(aj, "photo");
    if (photo)
        json_object_set_new(page, "image",
                            json_string(arena_printf(a, "%s%s", s->cfg.base_url,
                                                     json_string_value(json_object_get(photo, "large")))));
    json_object_set_new(data, "jsonld", jsonld(s, aj, json_string_value(json_object_get(page, "canonical"))));
    json_object_set_new(data, "article", aj);
    if (print) {
        json_object_set_new(page, "robots", json_string("noindex"));
    } else {
        struct store_article *rel;
        size_t nrel = 0;
        json_t *related = json_array();
        if (store_call(s->store, article_related, art.id, time_now(), 4, a, &rel, &nrel) == STORE_OK)
            for (size_t i = 0; i < nrel; i++)
                json_array_append_new(related, site_card_json(s, &secs, &rel[i], a));
        json_object_set_new(data, "related", related);
        if (s->comments_json)
            json_object_set_new(data, "comments", s->comments_json(s->comments_ctx, &art, r));
    }
    const char **keys;
    size_t nkeys = article_keys(a, &art, &keys);
    http_cache_page(r, s->cfg.cache_seconds, keys, nkeys);
    return site_render(s, r, print ? "print.html" : "article.html", data);
}

static int
article_page(struct http_req *r, void *ctx)
{
    return article_common(ctx, r, false);
}

static int
article_print(struct http_req *r, void *ctx)
{
    return article_common(ctx, r, true);
}

static int
article_short(struct http_req *r, void *ctx)
{
    struct site *s = ctx;
    struct store_article art;
    int st = load_article(s, r, &art);
    if (st)
        return http_error(r, st, NULL);
    return http_redirect(r, 301, site_article_path(http_arena(r), &art));
}


void
site_routes(struct site *s, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/article/:id/:slug/print", HTTP_ROUTE_CACHE, article_print, s);
    http_route(srv, HTTP_GET, "/article/:id/:slug", HTTP_ROUTE_CACHE, article_page, s);
    http_route(srv, HTTP_GET, "/article/:id", 0, article_short, s);
    site_pages_routes(s, srv);
}
