/*
 * IPTC ninjs readers. 1.x has string properties (headline, body_html,
 * body_text, description_text, byline, subject); 2.x has arrays of parts
 * (headlines, bodies, descriptions) with lower-case names; 3.x has the same
 * arrays with camelCase names (versionCreated, contentType, infoSources).
 * The version comes from "standard" when present, else from the shape.
 */
#include "ingest/ingest_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TEXT 2000 /* headline, summary, byline: bytes kept */

struct reader {
    json_t *root;
    int major;
    struct arena *a;
    char *err;
    size_t errlen;
};

/* The property in either spelling (ninjs 2: "versioncreated", 3: "versionCreated"). */
static json_t *
prop(const struct reader *r, json_t *obj, const char *lower, const char *camel)
{
    json_t *v = json_object_get(obj, r->major >= 3 ? camel : lower);
    return v ? v : json_object_get(obj, r->major >= 3 ? lower : camel);
}

static const char *
str_of(json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
fail(const struct reader *r, const char *msg)
{
    snprintf(r->err, r->errlen, "%s", msg);
    return -1;
}

static int
detect_major(json_t *root)
{
    const char *v = str_of(json_object_get(json_object_get(root, "standard"), "version"));
    if (v && (v[0] == '1' || v[0] == '2' || v[0] == '3') && (v[1] == '.' || v[1] == '\0'))
        return v[0] - '0';
    static const char *camel[] = {"versionCreated", "firstCreated",   "pubStatus",
                                  "infoSources",    "edNote",         "altIds",
                                  "contentCreated", "copyrightHolder"};
    for (size_t i = 0; i < ARRAY_SIZE(camel); i++)
        if (json_object_get(root, camel[i]))
            return 3;
    json_t *bodies = json_object_get(root, "bodies");
    json_t *first = json_array_get(bodies, 0);
    if (first && json_object_get(first, "contentType"))
        return 3;
    if (json_object_get(root, "headlines") || bodies || json_object_get(root, "descriptions"))
        return 2;
    return 1;
}

/* The part of an array ("headlines", "bodies") with one of the roles, or
 * the first one; contenttype filtered by prefix when type is set. */
static json_t *
pick_part(const struct reader *r, json_t *arr, const char *const *roles, const char *type)
{
    json_t *first = NULL;
    size_t i;
    json_t *part;
    json_array_foreach(arr, i, part)
    {
        if (!json_is_string(json_object_get(part, "value")))
            continue;
        const char *ct = str_of(prop(r, part, "contenttype", "contentType"));
        if (type && !(ct && strstr(ct, type)))
            continue;
        const char *role = str_of(json_object_get(part, "role"));
        for (const char *const *w = roles; role && *w; w++)
            if (strcasecmp(role, *w) == 0)
                return part;
        if (first == NULL)
            first = part;
    }
    return first;
}

static bool
html_type(const char *ct)
{
    return ct && (strstr(ct, "html") || strstr(ct, "xhtml") || strstr(ct, "xml"));
}

static int
read_version(struct reader *r, struct ingest_story *s)
{
    json_t *v = json_object_get(r->root, "version");
    long n = 1;
    if (json_is_integer(v))
        n = (long)json_integer_value(v);
    else if (json_is_string(v) &&
             parse_long(json_string_value(v), json_string_length(v), 1, 1000000000L, &n) != 0)
        return fail(r, "the \"version\" is not a whole number");
    else if (v && !json_is_string(v) && !json_is_integer(v))
        return fail(r, "the \"version\" is not a whole number");
    if (n < 1 || n > 1000000000L)
        return fail(r, "the \"version\" is out of range");
    s->version = (int)n;
    return 0;
}

static int
read_body(struct reader *r, struct ingest_story *s)
{
    struct buf md;
    buf_init(&md, INGEST_MAX_BODY);
    const char *html = NULL, *text = NULL;
    if (r->major == 1) {
        html = str_of(json_object_get(r->root, "body_html"));
        if (html == NULL)
            html = str_of(json_object_get(r->root, "body_xhtml"));
        text = str_of(json_object_get(r->root, "body_text"));
    } else {
        static const char *const roles[] = {"main", "body", "richtext", NULL};
        json_t *bodies = json_object_get(r->root, "bodies");
        json_t *part = pick_part(r, bodies, roles, "html");
        if (part == NULL)
            part = pick_part(r, bodies, roles, "xml");
        if (part == NULL)
            part = pick_part(r, bodies, roles, NULL);
        const char *ct = part ? str_of(prop(r, part, "contenttype", "contentType")) : NULL;
        const char *value = part ? str_of(json_object_get(part, "value")) : NULL;
        if (html_type(ct))
            html = value;
        else
            text = value;
    }
    int rc = 0;
    if (html)
        rc = ingest_html_to_markdown(html, strlen(html), &md);
    else if (text)
        ingest_text_to_markdown(text, strlen(text), &md);
    if (rc != 0 || md.overflow) {
        buf_release(&md);
        return fail(r, "the story's body is too long or cannot be read");
    }
    s->body = ingest_clean(r->a, md.p ? md.p : "", md.len, true, 0);
    buf_release(&md);
    return 0;
}

static void
read_texts(struct reader *r, struct ingest_story *s)
{
    const char *headline, *summary = NULL, *summary_html = NULL;
    if (r->major == 1) {
        headline = str_of(json_object_get(r->root, "headline"));
        summary = str_of(json_object_get(r->root, "description_text"));
        summary_html = str_of(json_object_get(r->root, "description_html"));
        s->byline = (char *)str_of(json_object_get(r->root, "byline"));
    } else {
        static const char *const hroles[] = {"main", "headline", NULL};
        static const char *const droles[] = {"summary", "description", "abstract", "lead", NULL};
        json_t *h = pick_part(r, json_object_get(r->root, "headlines"), hroles, NULL);
        headline = h ? str_of(json_object_get(h, "value")) : NULL;
        json_t *d = pick_part(r, json_object_get(r->root, "descriptions"), droles, NULL);
        const char *ct = d ? str_of(prop(r, d, "contenttype", "contentType")) : NULL;
        const char *dv = d ? str_of(json_object_get(d, "value")) : NULL;
        if (html_type(ct))
            summary_html = dv;
        else
            summary = dv;
        s->byline = (char *)str_of(json_object_get(r->root, "by"));
    }
    if (headline == NULL)
        headline = str_of(json_object_get(r->root, "title"));
    s->headline = headline ? ingest_clean(r->a, headline, strlen(headline), false, MAX_TEXT) : NULL;
    struct buf text = BUF_INIT;
    if (summary_html && summary == NULL &&
        ingest_html_to_text(summary_html, strlen(summary_html), &text) == 0)
        summary = text.p;
    s->summary =
        ingest_clean(r->a, summary ? summary : "", summary ? strlen(summary) : 0, false, MAX_TEXT);
    buf_release(&text);
    s->byline = ingest_clean(r->a, s->byline ? s->byline : "", s->byline ? strlen(s->byline) : 0,
                             false, 200);
}

/* A name from an object of subjects, infosources...: name, else literal. */
static const char *
entry_name(json_t *e)
{
    const char *n = str_of(json_object_get(e, "name"));
    if (n == NULL || !*n)
        n = str_of(json_object_get(e, "literal"));
    return n && *n ? n : NULL;
}

static void
read_subjects(struct reader *r, struct ingest_story *s)
{
    json_t *arr = json_object_get(r->root, r->major == 1 ? "subject" : "subjects");
    size_t i;
    json_t *e;
    s->subjects = arena_zalloc(r->a, INGEST_MAX_SUBJECTS * sizeof(char *));
    json_array_foreach(arr, i, e)
    {
        const char *n = entry_name(e);
        if (n == NULL || s->nsubjects == INGEST_MAX_SUBJECTS)
            continue;
        char *clean = ingest_clean(r->a, n, strlen(n), false, 80);
        if (*clean)
            s->subjects[s->nsubjects++] = clean;
    }
}

static void
read_meta(struct reader *r, struct ingest_story *s)
{
    json_t *u = json_object_get(r->root, "urgency");
    if (json_is_number(u)) {
        double d = json_number_value(u);
        s->urgency = d >= 1 && d <= 9 ? (int)d : 0;
    }
    const char *ps = str_of(prop(r, r->root, "pubstatus", "pubStatus"));
    s->pubstatus = arena_strdup(
        r->a, ps && (!strcmp(ps, "usable") || !strcmp(ps, "withheld") || !strcmp(ps, "canceled"))
                  ? ps
                  : "usable");
    const char *emb = str_of(json_object_get(r->root, "embargoed"));
    int64_t t;
    if (emb && time_parse(emb, &t) == 0)
        s->embargo = t;
    const char *lang = str_of(json_object_get(r->root, "language"));
    s->language = ingest_clean(r->a, lang ? lang : "", lang ? strlen(lang) : 0, false, 35);
    json_t *src = prop(r, r->root, "infosources", "infoSources");
    const char *name = entry_name(json_array_get(src, 0));
    s->source = ingest_clean(r->a, name ? name : "", name ? strlen(name) : 0, false, 100);
}

int
ingest_ninjs_parse(const char *p, size_t n, struct arena *a, struct ingest_story *out, char *err,
                   size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (n > INGEST_MAX_FILE) {
        snprintf(err, errlen, "the file is larger than %u MB", INGEST_MAX_FILE >> 20);
        return -1;
    }
    json_error_t jerr;
    json_t *root = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        snprintf(err, errlen, "not valid JSON (line %d: %s)", jerr.line, jerr.text);
        return -1;
    }
    struct reader r = {.root = root, .a = a, .err = err, .errlen = errlen};
    int rc = -1;
    const char *uri = str_of(json_object_get(root, "uri"));
    const char *type = str_of(json_object_get(root, "type"));
    if (!json_is_object(root)) {
        fail(&r, "not a ninjs object (the top level must be a JSON object)");
        goto out;
    }
    if (uri == NULL || *uri == '\0' || strlen(uri) > 1000) {
        fail(&r, "no \"uri\": ninjs needs the story's identifier");
        goto out;
    }
    if (type && strcmp(type, "text") != 0 && strcmp(type, "composite") != 0) {
        snprintf(err, errlen, "a \"%.20s\" item is not a text story", type);
        goto out;
    }
    r.major = detect_major(root);
    static const char *formats[] = {"", "ninjs 1", "ninjs 2", "ninjs 3"};
    out->format = formats[r.major];
    out->guid = ingest_clean(a, uri, strlen(uri), false, 1000);
    if (read_version(&r, out) != 0)
        goto out;
    read_texts(&r, out);
    if (out->headline == NULL || out->headline[0] == '\0') {
        fail(&r, "the story has no headline");
        goto out;
    }
    if (read_body(&r, out) != 0)
        goto out;
    read_subjects(&r, out);
    read_meta(&r, out);
    rc = 0;
out:
    json_decref(root);
    return rc;
}
