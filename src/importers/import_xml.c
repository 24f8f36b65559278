/*
 * Streaming an export: xmlTextReader over the file (or memory), with
 * network access off and no DTD: the prolog is checked for a DOCTYPE
 * before the reader starts, and a DOCTYPE node met later stops the import.
 * Each record element is expanded into a small tree, handed over, and
 * skipped, so memory stays bounded by the largest record. Also the
 * progress display, URL normalisation and text cleaning.
 */
#include "importers/importers_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest/ingest.h"

#define PROLOG_BYTES (64 * 1024)
#define READER_OPTS                                                                                \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |               \
     XML_PARSE_COMPACT)

struct stream_err {
    char msg[200];
    int line;
};

static void
on_error(void *arg, xmlErrorPtr e)
{
    struct stream_err *se = arg;
    if (se->msg[0] || e == NULL)
        return;
    se->line = e->line;
    snprintf(se->msg, sizeof(se->msg), "%s", e->message ? e->message : "unreadable");
    size_t n = strlen(se->msg);
    while (n && (se->msg[n - 1] == '\n' || se->msg[n - 1] == ' '))
        se->msg[--n] = '\0';
}

xmlNode *
import_child(xmlNode *n, const char *ns, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, name) != 0)
            continue;
        const char *href = c->ns && c->ns->href ? (const char *)c->ns->href : NULL;
        if (ns == NULL ? href == NULL : href && strstr(href, ns))
            return c;
    }
    return NULL;
}

const char *
import_text(struct arena *a, xmlNode *n, const char *ns, const char *name)
{
    xmlNode *c = import_child(n, ns, name);
    xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
    const char *s = arena_strdup(a, t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

const char *
import_attr(struct arena *a, xmlNode *n, const char *name)
{
    xmlChar *v = n ? xmlGetProp(n, BAD_CAST name) : NULL;
    const char *s = arena_strdup(a, v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

static int
check_root(xmlTextReaderPtr r, const struct import_stream *s, char *err, size_t errlen)
{
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    if (name && strcmp(name, s->root) == 0)
        return 0;
    snprintf(err, errlen, "not a %s (the root element is '%.40s', expected '%s')", s->what,
             name ? name : "?", s->root);
    return -1;
}

static int
run(xmlTextReaderPtr r, const struct import_stream *s, char *err, size_t errlen)
{
    struct stream_err se = {0};
    xmlTextReaderSetStructuredErrorHandler(r, on_error, &se);
    struct arena *a = arena_new();
    bool seen_root = false;
    int rc = 0;
    int ret = xmlTextReaderRead(r);
    while (ret == 1 && rc == 0) {
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            snprintf(err, errlen, "documents with a DOCTYPE are not accepted");
            rc = -1;
            break;
        }
        if (type == XML_READER_TYPE_ELEMENT && !seen_root) {
            seen_root = true;
            rc = check_root(r, s, err, errlen);
        } else if (type == XML_READER_TYPE_ELEMENT && depth == s->record_depth) {
            xmlNode *node = xmlTextReaderExpand(r);
            if (node == NULL)
                break; /* the error handler has the reason */
            rc = s->on_record(s->ctx, node, a);
            if (rc != 0 && !err[0])
                snprintf(err, errlen, "the import stopped at a %s record",
                         (const char *)node->name);
            arena_free(a);
            a = arena_new();
            if (s->progress)
                s->progress(s->ctx, xmlTextReaderByteConsumed(r));
            ret = xmlTextReaderNext(r);
            continue;
        }
        ret = xmlTextReaderRead(r);
    }
    arena_free(a);
    if (rc == 0 && (ret < 0 || se.msg[0])) {
        snprintf(err, errlen, "not well-formed XML (line %d: %s)", se.line,
                 se.msg[0] ? se.msg : "unreadable");
        rc = -1;
    }
    if (rc == 0 && !seen_root) {
        snprintf(err, errlen, "the file holds no XML element");
        rc = -1;
    }
    return rc;
}

int
import_stream_memory(const char *p, size_t n, const struct import_stream *s, char *err,
                     size_t errlen)
{
    err[0] = '\0';
    ingest_xml_init();
    if (n > INT32_MAX || ingest_xml_prolog_check(p, n, err, errlen) != 0)
        return -1;
    xmlTextReaderPtr r = xmlReaderForMemory(p, (int)n, NULL, NULL, READER_OPTS);
    if (r == NULL) {
        snprintf(err, errlen, "cannot start the XML reader");
        return -1;
    }
    int rc = run(r, s, err, errlen);
    xmlFreeTextReader(r);
    return rc;
}

static int
prolog_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    char *head = xmalloc(PROLOG_BYTES);
    size_t n = fread(head, 1, PROLOG_BYTES, f);
    fclose(f);
    int rc = ingest_xml_prolog_check(head, n, err, errlen);
    free(head);
    return rc;
}

int
import_stream_file(const char *path, const struct import_stream *s, char *err, size_t errlen)
{
    err[0] = '\0';
    ingest_xml_init();
    if (prolog_file(path, err, errlen) != 0)
        return -1;
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, READER_OPTS);
    if (r == NULL) {
        snprintf(err, errlen, "cannot read '%s'", path);
        return -1;
    }
    int rc = run(r, s, err, errlen);
    xmlFreeTextReader(r);
    return rc;
}

/* --- progress --- */

int64_t
import_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
import_progress_init(struct import_progress *p, const struct import_options *opt, const char *path)
{
    memset(p, 0, sizeof(*p));
    p->f = opt && opt->progress ? opt->progress : stderr;
    p->quiet = opt && opt->quiet;
    p->tty = isatty(fileno(p->f));
    struct stat sb;
    p->total = stat(path, &sb) == 0 ? (long)sb.st_size : 0;
}

static void
draw(struct import_progress *p, int percent)
{
    if (p->tty) {
        char bar[31];
        int fill = percent * 30 / 100;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[30] = '\0';
        fprintf(p->f, "\r  [%s] %3d%%  %ld posts, %ld comments ", bar, percent, p->posts_read,
                p->comments_read);
    } else {
        fprintf(p->f, "import: %d%% read, %ld posts, %ld comments\n", percent, p->posts_read,
                p->comments_read);
    }
    fflush(p->f);
}

void
import_progress_update(struct import_progress *p, long bytes)
{
    if (p->quiet || p->total <= 0)
        return;
    int percent = (int)(bytes * 100 / p->total);
    if (percent > 100)
        percent = 100;
    int64_t now = import_now_ms();
    if (p->tty) {
        if (now - p->last_ms < 100)
            return;
        p->last_ms = now;
        draw(p, percent);
    } else if (percent / 10 > p->last_tenth) {
        p->last_tenth = percent / 10;
        draw(p, percent);
    }
}

void
import_progress_done(struct import_progress *p)
{
    if (p->quiet)
        return;
    if (p->tty) {
        draw(p, 100);
        fputc('\n', p->f);
    } else if (p->last_tenth < 10) {
        draw(p, 100);
    }
}

void
import_url_normalise(const char *url, struct buf *out)
{
    const char *p = url ? url : "";
    while (*p == ' ')
        p++;
    const char *scheme = strstr(p, "://");
    if (scheme && scheme - p < 10)
        p = scheme + 3;
    else if (p[0] == '/' && p[1] == '/')
        p += 2;
    if (strncasecmp(p, "www.", 4) == 0)
        p += 4;
    size_t start = out->len;
    bool in_host = true;
    for (; *p && *p != '#' && *p != ' '; p++) {
        if (*p == '/' || *p == '?')
            in_host = false;
        char c = *p;
        if (in_host && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        buf_addch(out, c);
    }
    /* a trailing slash before the query or at the end says nothing */
    char *q = out->p ? memchr(out->p + start, '?', out->len - start) : NULL;
    size_t path_end = q ? (size_t)(q - out->p) : out->len;
    if (path_end > start + 1 && out->p[path_end - 1] == '/') {
        memmove(out->p + path_end - 1, out->p + path_end, out->len - path_end);
        out->len--;
        out->p[out->len] = '\0';
    }
}

char *
import_clean(struct arena *a, const char *s, size_t max, bool newlines)
{
    size_t len;
    char *c = text_clean(s, strlen(s), newlines, &len);
    if (c == NULL)
        return arena_strdup(a, "");
    if (max && len > max) {
        len = max;
        while (len && ((unsigned char)c[len] & 0xC0) == 0x80)
            len--;
    }
    char *out = arena_strndup(a, c, len);
    free(c);
    return out;
}
