/*
 * The JSON documents: JSON Feed 1.1 and IPTC ninjs (2.x with lower-case
 * property names, 3.x with camelCase), built as Jansson trees, so every
 * string is escaped by the library.
 */
#include "feeds/feeds.h"

#include <stdlib.h>
#include <string.h>

static json_t *
iso(int64_t t)
{
    char s[32];
    time_iso8601(t, s);
    return json_string(s);
}

/* Jansson refuses invalid UTF-8: such text becomes "" rather than null. */
static json_t *
str(const char *s)
{
    json_t *j = json_string(s ? s : "");
    return j ? j : json_string("");
}

static json_t *
json_feed_item(const struct feed_item *it)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", str(it->id));
    json_object_set_new(j, "url", str(it->url));
    json_object_set_new(j, "title", str(it->title));
    json_object_set_new(j, "summary", str(it->summary));
    if (it->content_html)
        json_object_set_new(j, "content_html", str(it->content_html));
    else
        json_object_set_new(j, "content_text", str(it->summary));
    if (it->image)
        json_object_set_new(j, "image", str(it->image));
    json_object_set_new(j, "date_published", iso(it->published));
    json_object_set_new(j, "date_modified",
                        iso(it->updated > it->published ? it->updated : it->published));
    json_t *authors = json_array();
    for (size_t i = 0; i < it->nauthors; i++) {
        json_t *a = json_pack("{s:o}", "name", str(it->authors[i].name));
        if (it->authors[i].url)
            json_object_set_new(a, "url", str(it->authors[i].url));
        json_array_append_new(authors, a);
    }
    json_object_set_new(j, "authors", authors);
    json_t *tags = json_array();
    for (size_t i = 0; i < it->ncategories; i++)
        json_array_append_new(tags, str(it->categories[i]));
    json_object_set_new(j, "tags", tags);
    return j;
}

static int
dump(json_t *doc, struct buf *out)
{
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (s == NULL)
        return -1;
    buf_adds(out, s);
    free(s);
    return out->overflow ? -1 : 0;
}

int
feed_json_write(const struct feed *f, struct buf *out)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "version", json_string("https://jsonfeed.org/version/1.1"));
    json_object_set_new(doc, "title", str(f->title));
    json_object_set_new(doc, "home_page_url", str(f->home_url));
    json_object_set_new(doc, "feed_url", str(f->self_url));
    json_object_set_new(doc, "description", str(f->description));
    json_object_set_new(doc, "language", str(f->language));
    json_object_set_new(doc, "authors", json_pack("[{s:o}]", "name", str(f->publisher)));
    json_t *items = json_array();
    for (size_t i = 0; i < f->nitems; i++)
        json_array_append_new(items, json_feed_item(&f->items[i]));
    json_object_set_new(doc, "items", items);
    return dump(doc, out);
}

/* --- ninjs --- */

/* The property name in ninjs 2.x (lower case) or 3.x (camelCase). */
static const char *
k(int major, const char *v2, const char *v3)
{
    return major >= 3 ? v3 : v2;
}

static json_t *
text_part(int major, const char *role, const char *type, const char *value)
{
    json_t *j = json_object();
    json_object_set_new(j, "role", json_string(role));
    json_object_set_new(j, k(major, "contenttype", "contentType"), json_string(type));
    json_object_set_new(j, "value", str(value));
    return j;
}

static long
count_words(const char *s)
{
    long n = 0;
    bool in = false;
    for (; s && *s; s++) {
        bool sp = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

static json_t *
ninjs_bodies(const struct feed_ninjs *a, int major)
{
    json_t *bodies = json_array();
    json_t *html = text_part(major, "main", "text/html", a->body_html);
    json_array_append_new(bodies, html);
    json_t *plain = text_part(major, "plain", "text/plain", a->body_text);
    long chars =
        text_length(a->body_text ? a->body_text : "", a->body_text ? strlen(a->body_text) : 0);
    json_object_set_new(plain, k(major, "charcount", "charCount"),
                        json_integer(chars > 0 ? chars : 0));
    json_object_set_new(plain, k(major, "wordcount", "wordCount"),
                        json_integer(count_words(a->body_text)));
    json_array_append_new(bodies, plain);
    return bodies;
}

/* The summary, then one description per correction: how a receiver learns
 * that this version corrects an earlier one. */
static json_t *
ninjs_descriptions(const struct feed_ninjs *a, int major)
{
    json_t *list = json_array();
    if (a->summary && a->summary[0])
        json_array_append_new(list, text_part(major, "summary", "text/plain", a->summary));
    for (size_t i = 0; i < a->ncorrections; i++) {
        const struct feed_ninjs_correction *c = &a->corrections[i];
        char when[32];
        time_iso8601(c->at, when);
        struct buf b = BUF_INIT;
        buf_addf(&b, "%s (%s): %s", c->clarification ? "Clarification" : "Correction", when,
                 c->text ? c->text : "");
        json_array_append_new(
            list,
            text_part(major, c->clarification ? "clarification" : "correction", "text/plain", b.p));
        buf_release(&b);
    }
    return list;
}

static json_t *
ninjs_photos(const struct feed_ninjs *a, int major)
{
    json_t *list = json_array();
    for (size_t i = 0; i < a->nphotos; i++) {
        const struct feed_ninjs_photo *p = &a->photos[i];
        json_t *rend = json_pack("{s:s, s:o, s:s, s:i, s:i}", "name", "original", "href",
                                 str(p->uri), k(major, "contenttype", "contentType"), "image/jpeg",
                                 "width", p->width, "height", p->height);
        char name[32];
        snprintf(name, sizeof(name), "photo-%zu", i + 1);
        json_t *assoc = json_pack("{s:s, s:o, s:s, s:[o]}", "name", name, "uri", str(p->uri),
                                  "type", "picture", "renditions", rend);
        if (p->caption && p->caption[0])
            json_object_set_new(
                assoc, "descriptions",
                json_pack("[o]", text_part(major, "caption", "text/plain", p->caption)));
        if (p->credit && p->credit[0])
            json_object_set_new(assoc, k(major, "copyrightholder", "copyrightHolder"),
                                str(p->credit));
        json_array_append_new(list, assoc);
    }
    return list;
}

static void
ninjs_meta(json_t *j, const struct feed_ninjs *a, int major)
{
    json_t *subjects = json_array();
    if (a->section && a->section[0])
        json_array_append_new(subjects,
                              json_pack("{s:o, s:s}", "name", str(a->section), "rel", "section"));
    for (size_t i = 0; i < a->nsubjects; i++)
        json_array_append_new(subjects, json_pack("{s:o, s:o}", "name", str(a->subjects[i].name),
                                                  "uri", str(a->subjects[i].url)));
    if (json_array_size(subjects))
        json_object_set_new(j, "subjects", subjects);
    else
        json_decref(subjects);
    if (a->credit && a->credit[0])
        json_object_set_new(j, k(major, "infosources", "infoSources"),
                            json_pack("[{s:o, s:s}]", "name", str(a->credit), "role", "source"));
    if (a->ncorrections) {
        const struct feed_ninjs_correction *last = &a->corrections[a->ncorrections - 1];
        struct buf b = BUF_INIT;
        buf_addf(&b, "%s: %s", last->clarification ? "Clarified" : "Corrected",
                 last->text ? last->text : "");
        json_object_set_new(j, k(major, "ednote", "edNote"), str(b.p));
        buf_release(&b);
    }
    if (a->nphotos)
        json_object_set_new(j, "associations", ninjs_photos(a, major));
    json_object_set_new(j, k(major, "altids", "altIds"),
                        json_pack("[{s:s, s:o}]", "role", "canonical-url", "value", str(a->url)));
}

json_t *
feed_ninjs_json(const struct feed_ninjs *a, int major)
{
    major = major >= 3 ? 3 : 2;
    char version[16];
    snprintf(version, sizeof(version), "%d", a->version > 0 ? a->version : 1);
    json_t *j = json_object();
    json_object_set_new(j, "uri", str(a->uri));
    json_object_set_new(j, "type", json_string("text"));
    json_object_set_new(j, "version", json_string(version));
    json_object_set_new(j, k(major, "firstcreated", "firstCreated"), iso(a->first_created));
    json_object_set_new(
        j, k(major, "versioncreated", "versionCreated"),
        iso(a->version_created > a->first_created ? a->version_created : a->first_created));
    json_object_set_new(j, k(major, "pubstatus", "pubStatus"), json_string("usable"));
    json_object_set_new(j, "language", str(a->language));
    json_object_set_new(j, "headlines",
                        json_pack("[o]", text_part(major, "main", "text/plain", a->headline)));
    json_object_set_new(j, "descriptions", ninjs_descriptions(a, major));
    json_object_set_new(j, "bodies", ninjs_bodies(a, major));
    if (a->by && a->by[0])
        json_object_set_new(j, "by", str(a->by));
    json_object_set_new(j, k(major, "copyrightholder", "copyrightHolder"), str(a->publisher));
    ninjs_meta(j, a, major);
    json_object_set_new(j, "standard",
                        json_pack("{s:s, s:s, s:s}", "name", "ninjs", "version",
                                  major == 3 ? "3.0" : "2.1", "schema",
                                  major == 3
                                      ? "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json"
                                      : "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"));
    return j;
}
