/*
 * The XML documents: RSS 2.0, Atom 1.0, sitemaps and the Google News
 * sitemap, written with libxml2's xmlTextWriter (never by pasting strings:
 * the writer escapes every value). Text is first cleaned of what XML 1.0
 * cannot carry at all (most control characters, U+FFFE/U+FFFF, broken
 * UTF-8).
 */
#include "feeds/feeds.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_NEWS "http://www.google.com/schemas/sitemap-news/0.9"

/* A copy of s with only what XML 1.0 allows. */
static char *
xml_clean(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    struct buf b = BUF_INIT;
    buf_add(&b, "", 0);
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                  (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        if (ok)
            buf_add(&b, s + i, (size_t)k);
        i += (size_t)k;
    }
    return buf_detach(&b, NULL);
}

struct xw {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    int rc; /* the first failure, sticky */
};

static int
xw_open(struct xw *x)
{
    x->rc = 0;
    x->buf = xmlBufferCreate();
    x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
    if (x->w == NULL) {
        if (x->buf)
            xmlBufferFree(x->buf);
        return -1;
    }
    xmlTextWriterSetIndent(x->w, 1);
    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
    if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
        x->rc = -1;
    return 0;
}

static int
xw_close(struct xw *x, struct buf *out)
{
    if (x->rc == 0 && xmlTextWriterEndDocument(x->w) < 0)
        x->rc = -1;
    xmlFreeTextWriter(x->w); /* flushes into buf */
    if (x->rc == 0)
        buf_add(out, xmlBufferContent(x->buf), (size_t)xmlBufferLength(x->buf));
    xmlBufferFree(x->buf);
    return x->rc == 0 && !out->overflow ? 0 : -1;
}

static void
check(struct xw *x, int rc)
{
    if (rc < 0)
        x->rc = -1;
}

static void
start(struct xw *x, const char *name)
{
    check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void
end(struct xw *x)
{
    check(x, xmlTextWriterEndElement(x->w));
}

static void
attr(struct xw *x, const char *name, const char *value)
{
    char *v = xml_clean(value);
    check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST v));
    free(v);
}

/* <name>text</name> */
static void
element(struct xw *x, const char *name, const char *text)
{
    char *v = xml_clean(text);
    check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST v));
    free(v);
}

static void
element_time(struct xw *x, const char *name, int64_t t, bool rfc822)
{
    char s[40];
    if (rfc822)
        time_rfc822(t, s);
    else
        time_iso8601(t, s);
    element(x, name, s);
}

/* <link rel=".." type=".." href=".."/> in Atom */
static void
atom_link(struct xw *x, const char *name, const char *rel, const char *type, const char *href)
{
    start(x, name);
    attr(x, "rel", rel);
    if (type)
        attr(x, "type", type);
    attr(x, "href", href);
    end(x);
}

int64_t
feed_updated(const struct feed_item *items, size_t n)
{
    int64_t t = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t u = items[i].updated > items[i].published ? items[i].updated : items[i].published;
        if (u > t)
            t = u;
    }
    return t;
}

static int64_t
item_updated(const struct feed_item *it)
{
    return it->updated > it->published ? it->updated : it->published;
}

/* "A, B and C" */
static char *
names(const struct feed_person *p, size_t n)
{
    struct buf b = BUF_INIT;
    buf_add(&b, "", 0);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_adds(&b, i + 1 == n ? " and " : ", ");
        buf_adds(&b, p[i].name);
    }
    return buf_detach(&b, NULL);
}

/* --- RSS 2.0 --- */

static void
rss_item(struct xw *x, const struct feed_item *it)
{
    start(x, "item");
    element(x, "title", it->title);
    element(x, "link", it->url);
    start(x, "guid");
    attr(x, "isPermaLink", "true");
    char *g = xml_clean(it->permalink);
    check(x, xmlTextWriterWriteString(x->w, BAD_CAST g));
    free(g);
    end(x);
    element_time(x, "pubDate", it->published, true);
    element_time(x, "atom:updated", item_updated(it), false);
    if (it->nauthors) {
        char *by = names(it->authors, it->nauthors);
        element(x, "dc:creator", by);
        free(by);
    }
    for (size_t i = 0; i < it->ncategories; i++)
        element(x, "category", it->categories[i]);
    element(x, "description", it->summary);
    if (it->content_html)
        element(x, "content:encoded", it->content_html);
    end(x);
}

int
feed_rss_write(const struct feed *f, struct buf *out)
{
    struct xw x;
    if (xw_open(&x) != 0)
        return -1;
    start(&x, "rss");
    attr(&x, "version", "2.0");
    attr(&x, "xmlns:atom", NS_ATOM);
    attr(&x, "xmlns:content", NS_CONTENT);
    attr(&x, "xmlns:dc", NS_DC);
    start(&x, "channel");
    element(&x, "title", f->title);
    element(&x, "link", f->home_url);
    element(&x, "description", f->description);
    element(&x, "language", f->language);
    element_time(&x, "lastBuildDate", f->updated, true);
    element(&x, "generator", "Broadsheet " BROADSHEET_VERSION);
    atom_link(&x, "atom:link", "self", "application/rss+xml", f->self_url);
    for (size_t i = 0; i < f->nitems; i++)
        rss_item(&x, &f->items[i]);
    end(&x);
    end(&x);
    return xw_close(&x, out);
}

/* --- Atom 1.0 --- */

static void
atom_person(struct xw *x, const char *name, const char *url)
{
    start(x, "author");
    element(x, "name", name);
    if (url && url[0])
        element(x, "uri", url);
    end(x);
}

static void
atom_entry(struct xw *x, const struct feed_item *it)
{
    start(x, "entry");
    element(x, "id", it->id);
    start(x, "title");
    attr(x, "type", "text");
    char *t = xml_clean(it->title);
    check(x, xmlTextWriterWriteString(x->w, BAD_CAST t));
    free(t);
    end(x);
    atom_link(x, "link", "alternate", "text/html", it->url);
    element_time(x, "published", it->published, false);
    element_time(x, "updated", item_updated(it), false);
    for (size_t i = 0; i < it->nauthors; i++)
        atom_person(x, it->authors[i].name, it->authors[i].url);
    for (size_t i = 0; i < it->ncategories; i++) {
        start(x, "category");
        attr(x, "term", it->categories[i]);
        end(x);
    }
    start(x, "summary");
    attr(x, "type", "text");
    char *s = xml_clean(it->summary);
    check(x, xmlTextWriterWriteString(x->w, BAD_CAST s));
    free(s);
    end(x);
    if (it->content_html) {
        start(x, "content");
        attr(x, "type", "html");
        char *c = xml_clean(it->content_html);
        check(x, xmlTextWriterWriteString(x->w, BAD_CAST c));
        free(c);
        end(x);
    }
    end(x);
}

int
feed_atom_write(const struct feed *f, struct buf *out)
{
    struct xw x;
    if (xw_open(&x) != 0)
        return -1;
    start(&x, "feed");
    attr(&x, "xmlns", NS_ATOM);
    if (f->language && f->language[0])
        attr(&x, "xml:lang", f->language);
    element(&x, "id", f->id);
    element(&x, "title", f->title);
    if (f->description && f->description[0])
        element(&x, "subtitle", f->description);
    element_time(&x, "updated", f->updated, false);
    atom_link(&x, "link", "alternate", "text/html", f->home_url);
    atom_link(&x, "link", "self", "application/atom+xml", f->self_url);
    /* the paper is the author of entries that name no one (agency copy) */
    atom_person(&x, f->publisher, f->home_url);
    start(&x, "generator");
    attr(&x, "version", BROADSHEET_VERSION);
    check(&x, xmlTextWriterWriteString(x.w, BAD_CAST "Broadsheet"));
    end(&x);
    for (size_t i = 0; i < f->nitems; i++)
        atom_entry(&x, &f->items[i]);
    end(&x);
    return xw_close(&x, out);
}

/* --- sitemaps --- */

static void
url_entry(struct xw *x, const char *tag, const struct feed_url *u)
{
    start(x, tag);
    element(x, "loc", u->loc);
    if (u->lastmod > 0)
        element_time(x, "lastmod", u->lastmod, false);
    end(x);
}

int
feed_sitemap_index_write(const struct feed_url *maps, size_t n, struct buf *out)
{
    struct xw x;
    if (xw_open(&x) != 0)
        return -1;
    start(&x, "sitemapindex");
    attr(&x, "xmlns", NS_SITEMAP);
    for (size_t i = 0; i < n; i++)
        url_entry(&x, "sitemap", &maps[i]);
    end(&x);
    return xw_close(&x, out);
}

int
feed_sitemap_write(const struct feed_url *urls, size_t n, struct buf *out)
{
    struct xw x;
    if (xw_open(&x) != 0)
        return -1;
    start(&x, "urlset");
    attr(&x, "xmlns", NS_SITEMAP);
    for (size_t i = 0; i < n && i < FEED_SITEMAP_MAX_URLS; i++)
        url_entry(&x, "url", &urls[i]);
    end(&x);
    return xw_close(&x, out);
}

int
feed_news_sitemap_write(const char *publication, const char *language, int64_t now,
                        const struct feed_news *items, size_t n, struct buf *out)
{
    struct xw x;
    if (xw_open(&x) != 0)
        return -1;
    start(&x, "urlset");
    attr(&x, "xmlns", NS_SITEMAP);
    attr(&x, "xmlns:news", NS_NEWS);
    size_t written = 0;
    for (size_t i = 0; i < n && written < FEED_NEWS_MAX_URLS; i++) {
        const struct feed_news *it = &items[i];
        if (it->published > now || now - it->published > FEED_NEWS_MAX_AGE)
            continue; /* Google News takes only the last two days */
        start(&x, "url");
        element(&x, "loc", it->loc);
        start(&x, "news:news");
        start(&x, "news:publication");
        element(&x, "news:name", publication);
        element(&x, "news:language", language);
        end(&x);
        element_time(&x, "news:publication_date", it->published, false);
        element(&x, "news:title", it->title);
        end(&x);
        end(&x);
        written++;
    }
    end(&x);
    return xw_close(&x, out);
}
