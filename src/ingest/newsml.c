/*
 * NewsML-G2 reader: a newsItem, or a newsMessage holding several, with
 * itemMeta (pubStatus, embargoed), contentMeta (urgency, infoSource,
 * headline, description, subject, by, language) and contentSet (inline
 * XHTML walked into Markdown, or inline plain text).
 *
 * Parsing is locked down: the prolog is checked for a DOCTYPE first (no DTD
 * at all is accepted, so no entity can be declared or expanded), and libxml2
 * runs with XML_PARSE_NONET, without DTD loading, attribute defaulting or
 * entity substitution, on input capped at INGEST_MAX_FILE.
 */
#include "ingest/ingest_int.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_NAR "http://iptc.org/std/nar/2006-10-01/"
#define MAX_TEXT 2000

static bool
is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

static char *
text_of(struct arena *a, xmlNode *n, size_t max)
{
    if (n == NULL)
        return NULL;
    struct buf b = BUF_INIT;
    ingest_node_text(n, &b);
    char *s = ingest_clean(a, b.p ? b.p : "", b.len, false, max);
    buf_release(&b);
    return s;
}

static char *
prop_of(struct arena *a, xmlNode *n, const char *name, size_t max)
{
    xmlChar *v = n ? xmlGetProp(n, BAD_CAST name) : NULL;
    if (v == NULL)
        return NULL;
    char *s = ingest_clean(a, (const char *)v, strlen((const char *)v), false, max);
    xmlFree(v);
    return s;
}

/* "stat:canceled" -> "canceled" */
static const char *
qcode_tail(const char *q)
{
    const char *colon = q ? strrchr(q, ':') : NULL;
    return colon ? colon + 1 : q;
}

static void
item_meta(struct arena *a, xmlNode *meta, struct ingest_story *s)
{
    char *ps = prop_of(a, child(meta, "pubStatus"), "qcode", 100);
    const char *tail = qcode_tail(ps);
    s->pubstatus = arena_strdup(
        a, tail && (!strcmp(tail, "withheld") || !strcmp(tail, "canceled")) ? tail : "usable");
    char *emb = text_of(a, child(meta, "embargoed"), 64);
    int64_t t;
    if (emb && time_parse(emb, &t) == 0)
        s->embargo = t;
}

/* The source: the first infoSource naming someone other than the sender. */
static void
info_source(struct arena *a, xmlNode *cm, struct ingest_story *s)
{
    for (xmlNode *c = cm->children; c; c = c->next) {
        if (!is(c, "infoSource"))
            continue;
        char *name = prop_of(a, c, "literal", 100);
        if (name == NULL || !*name)
            name = text_of(a, child(c, "name"), 100);
        if (name && *name) {
            s->source = name;
            return;
        }
    }
}

static void
subjects(struct arena *a, xmlNode *cm, struct ingest_story *s)
{
    s->subjects = arena_zalloc(a, INGEST_MAX_SUBJECTS * sizeof(char *));
    for (xmlNode *c = cm->children; c && s->nsubjects < INGEST_MAX_SUBJECTS; c = c->next) {
        if (!is(c, "subject"))
            continue;
        char *name = text_of(a, child(c, "name"), 80);
        if (name == NULL || !*name)
            name = prop_of(a, c, "literal", 80);
        if (name && *name)
            s->subjects[s->nsubjects++] = name;
    }
}

static void
content_meta(struct arena *a, xmlNode *cm, struct ingest_story *s)
{
    char *u = text_of(a, child(cm, "urgency"), 8);
    long urg;
    if (u && parse_long(u, strlen(u), 1, 9, &urg) == 0)
        s->urgency = (int)urg;
    s->headline = text_of(a, child(cm, "headline"), MAX_TEXT);
    for (xmlNode *c = cm->children; c; c = c->next) {
        char *role = is(c, "description") ? prop_of(a, c, "role", 100) : NULL;
        if (is(c, "description") && (s->summary == NULL || (role && strstr(role, "summary"))))
            s->summary = text_of(a, c, MAX_TEXT);
    }
    s->byline = text_of(a, child(cm, "by"), 200);
    if (s->byline == NULL)
        s->byline = text_of(a, child(child(cm, "creator"), "name"), 200);
    char *lang = prop_of(a, child(cm, "language"), "tag", 35);
    s->language = lang ? lang : arena_strdup(a, "");
    info_source(a, cm, s);
    subjects(a, cm, s);
}

/* The element holding the text inside inlineXML: XHTML's body, NITF's
 * body.content, else inlineXML itself. */
static xmlNode *
find_body(xmlNode *n, int depth)
{
    for (xmlNode *c = n->children; c && depth < 8; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "body") == 0 ||
            strcmp((const char *)c->name, "body.content") == 0)
            return c;
        xmlNode *found = find_body(c, depth + 1);
        if (found)
            return found;
    }
    return NULL;
}

static int
content_set(struct arena *a, xmlNode *cs, struct ingest_story *s, char *err, size_t errlen)
{
    struct buf md;
    buf_init(&md, INGEST_MAX_BODY);
    for (xmlNode *c = cs ? cs->children : NULL; c && md.len == 0; c = c->next) {
        if (is(c, "inlineXML")) {
            xmlNode *body = find_body(c, 0);
            ingest_node_markdown(body ? body : c, &md);
        } else if (is(c, "inlineData")) {
            xmlChar *text = xmlNodeGetContent(c);
            char *ct = prop_of(a, c, "contenttype", 100);
            if (text && ct && strstr(ct, "html"))
                ingest_html_to_markdown((const char *)text, strlen((const char *)text), &md);
            else if (text)
                ingest_text_to_markdown((const char *)text, strlen((const char *)text), &md);
            xmlFree(text);
        }
    }
    if (md.overflow) {
        buf_release(&md);
        snprintf(err, errlen, "the story's body is longer than %u KB", INGEST_MAX_BODY >> 10);
        return -1;
    }
    s->body = ingest_clean(a, md.p ? md.p : "", md.len, true, 0);
    buf_release(&md);
    return 0;
}

static int
news_item(struct arena *a, xmlNode *item, struct ingest_story *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->format = "NewsML-G2";
    s->guid = prop_of(a, item, "guid", 1000);
    if (s->guid == NULL || !*s->guid) {
        snprintf(err, errlen, "a newsItem has no guid");
        return -1;
    }
    char *v = prop_of(a, item, "version", 16);
    long version = 1;
    if (v && parse_long(v, strlen(v), 1, 1000000000L, &version) != 0) {
        snprintf(err, errlen, "the newsItem's version is not a whole number");
        return -1;
    }
    s->version = (int)version;
    item_meta(a, child(item, "itemMeta"), s);
    xmlNode *cm = child(item, "contentMeta");
    if (cm)
        content_meta(a, cm, s);
    if (s->headline == NULL || !*s->headline) {
        snprintf(err, errlen, "the newsItem '%.100s' has no headline", s->guid);
        return -1;
    }
    if (s->summary == NULL)
        s->summary = arena_strdup(a, "");
    if (s->byline == NULL)
        s->byline = arena_strdup(a, "");
    if (s->source == NULL)
        s->source = arena_strdup(a, "");
    return content_set(a, child(item, "contentSet"), s, err, errlen);
}

static bool
nar(const xmlNode *root)
{
    return root->ns && root->ns->href && strcmp((const char *)root->ns->href, NS_NAR) == 0;
}

static int
collect(struct arena *a, xmlNode *root, struct ingest_story **out, size_t *nout, char *err,
        size_t errlen)
{
    *out = arena_zalloc(a, INGEST_MAX_ITEMS * sizeof(**out));
    *nout = 0;
    if (is(root, "newsItem"))
        return news_item(a, root, &(*out)[(*nout)++], err, errlen);
    for (xmlNode *c = child(child(root, "itemSet") ? child(root, "itemSet") : root, "newsItem"); c;
         c = c->next) {
        if (!is(c, "newsItem"))
            continue;
        if (*nout == INGEST_MAX_ITEMS) {
            snprintf(err, errlen, "more than %d stories in one message", INGEST_MAX_ITEMS);
            return -1;
        }
        if (news_item(a, c, &(*out)[(*nout)++], err, errlen) != 0)
            return -1;
    }
    if (*nout == 0) {
        snprintf(err, errlen, "the newsMessage holds no newsItem");
        return -1;
    }
    return 0;
}

int
ingest_newsml_parse(const char *p, size_t n, struct arena *a, struct ingest_story **out,
                    size_t *nout, char *err, size_t errlen)
{
    *out = NULL;
    *nout = 0;
    ingest_xml_init();
    if (n > INGEST_MAX_FILE) {
        snprintf(err, errlen, "the file is larger than %u MB", INGEST_MAX_FILE >> 20);
        return -1;
    }
    if (ingest_xml_prolog_check(p, n, err, errlen) != 0)
        return -1;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, p, (int)n, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_NOCDATA);
    int rc = -1;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (doc == NULL || root == NULL) {
        xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
        char msg[128];
        snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "unreadable");
        size_t len = strlen(msg);
        while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
            msg[--len] = '\0';
        snprintf(err, errlen, "not well-formed XML (line %d: %s)", e ? e->line : 0, msg);
    } else if (doc->intSubset || doc->extSubset) {
        snprintf(err, errlen, "documents with a DOCTYPE are not accepted");
    } else if (!nar(root) || !(is(root, "newsItem") || is(root, "newsMessage"))) {
        snprintf(err, errlen, "not a NewsML-G2 newsItem or newsMessage (root element '%.40s')",
                 (const char *)root->name);
    } else {
        rc = collect(a, root, out, nout, err, errlen);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

/* Skips the XML declaration, comments, processing instructions and white
 * space; a "<!DOCTYPE" before the root element refuses the document. */
int
ingest_xml_prolog_check(const char *p, size_t n, char *err, size_t errlen)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        i = 3;
    while (i < n) {
        char c = p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
        } else if (n - i >= 2 && p[i] == '<' && p[i + 1] == '?') {
            const char *end = memmem(p + i, n - i, "?>", 2);
            if (end == NULL)
                break;
            i = (size_t)(end - p) + 2;
        } else if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
            const char *end = memmem(p + i + 4, n - i - 4, "-->", 3);
            if (end == NULL)
                break;
            i = (size_t)(end - p) + 3;
        } else if (n - i >= 2 && p[i] == '<' && p[i + 1] == '!') {
            snprintf(err, errlen, "documents with a DOCTYPE are not accepted");
            return -1;
        } else {
            return 0;
        }
    }
    return 0; /* no element at all: the parser will say so */
}
