/*
 * (X)HTML to Markdown, for agency copy and imported posts. The markup is
 * parsed by libxml2 (its HTML parser for strings, the document's own tree
 * for NewsML-G2's inline XHTML) and walked: block elements become
 * paragraphs, headings, lists, quotes and code blocks; inline emphasis,
 * code and http(s)/mailto links are kept; every other element contributes
 * only its text. Text is escaped so that it stays text in Markdown. No HTML
 * reaches the output, so nothing depends on the renderer's safe mode.
 */
#include "ingest/ingest_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/render.h"

#define MAX_DEPTH 96
#define MAX_LIST 8

struct md {
    struct buf *out;
    struct buf para; /* the paragraph being built */
    int quote;       /* blockquote depth */
    int list;        /* list depth */
    bool ordered[MAX_LIST];
    int counter[MAX_LIST];
    int in_item; /* inside <li>: blocks flatten into the item */
    int in_link;
    bool line_start; /* the next text starts a line */
    bool last_item;  /* the last block written was a list item */
    bool text_only;  /* ingest_node_text: no Markdown at all */
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_setup(void)
{
    xmlInitParser();
}

void
ingest_xml_init(void)
{
    pthread_once(&xml_once, xml_setup);
}

static bool
name_is(const xmlNode *n, const char *name)
{
    return n->name && strcasecmp((const char *)n->name, name) == 0;
}

static bool
name_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (name_is(n, *names))
            return true;
    return false;
}

static const char *const skipped[] = {
    "script", "style",  "head",   "title",    "iframe",   "object", "embed", "form",
    "input",  "button", "select", "textarea", "noscript", "svg",    "math",  "template",
    "img",    "video",  "audio",  "canvas",   "map",      "meta",   "link",  NULL};
static const char *const blocks[] = {
    "p",          "div",     "section", "article", "header", "footer", "aside",        "figure",
    "figcaption", "address", "dl",      "dt",      "dd",     "table",  "tr",           "caption",
    "center",     "main",    "nav",     "body",    "html",   "block",  "body.content", NULL};

/* Appends text, escaping what Markdown would read as markup. */
static void
add_escaped(struct md *m, const char *s, size_t n)
{
    struct buf *b = &m->para;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool at_start = m->line_start;
        if (c == ' ' && m->line_start)
            continue;
        m->line_start = false;
        if (m->text_only) {
            buf_addch(b, c);
            continue;
        }
        switch (c) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '<':
        case '>':
        case '|':
        case '~':
            buf_addch(b, '\\');
            break;
        case '#':
        case '+':
        case '-':
        case '=':
            if (at_start)
                buf_addch(b, '\\');
            break;
        case '&': {
            /* "&amp;" in our text must not become an entity again */
            size_t k = i + 1;
            while (k < n && k < i + 32 &&
                   (s[k] == '#' || (s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' && s[k] <= 'z') ||
                    (s[k] >= 'A' && s[k] <= 'Z')))
                k++;
            if (k > i + 1 && k < n && s[k] == ';')
                buf_addch(b, '\\');
            break;
        }
        case '.':
        case ')': {
            /* "1." at a line start would begin an ordered list */
            size_t k = b->len;
            while (k > 0 && b->p[k - 1] >= '0' && b->p[k - 1] <= '9')
                k--;
            bool digits_only = k < b->len && (k == 0 || b->p[k - 1] == '\n' || b->p[k - 1] == ' ');
            if (digits_only && (k == 0 || b->p[k - 1] == '\n'))
                buf_addch(b, '\\');
            break;
        }
        default:
            break;
        }
        buf_addch(b, c);
    }
}

/* Text with runs of white space collapsed to one space. */
static void
add_text(struct md *m, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            i++;
        add_escaped(m, s + start, i - start);
        if (i < n) {
            if (m->para.len && m->para.p[m->para.len - 1] != ' ' && !m->line_start)
                buf_addch(&m->para, ' ');
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                i++;
        }
    }
}

static void
trim_para(struct buf *b)
{
    while (b->len && (b->p[b->len - 1] == ' ' || b->p[b->len - 1] == '\n'))
        b->len--;
    if (b->p)
        b->p[b->len] = '\0';
}

/* Writes the paragraph with its prefix ("## ", "- ", "> ") as a block. */
static void
flush(struct md *m, const char *prefix)
{
    trim_para(&m->para);
    size_t start = 0;
    while (start < m->para.len && m->para.p[start] == ' ')
        start++;
    if (start < m->para.len) {
        bool item = prefix && prefix[0] && !m->text_only && m->list > 0 && m->in_item;
        /* items of one list stay together (a tight list) */
        if (m->out->len)
            buf_adds(m->out, item && m->last_item ? "\n" : "\n\n");
        m->last_item = item;
        for (int i = 0; i < m->quote && !m->text_only; i++)
            buf_adds(m->out, "> ");
        if (!m->text_only) {
            for (int i = 1; i < m->list; i++)
                buf_adds(m->out, "   ");
            buf_adds(m->out, prefix ? prefix : "");
        }
        /* continuation lines of a quote keep the quote marker */
        for (size_t i = start; i < m->para.len; i++) {
            buf_addch(m->out, m->para.p[i]);
            if (m->para.p[i] == '\n')
                for (int q = 0; q < m->quote && !m->text_only; q++)
                    buf_adds(m->out, "> ");
        }
    }
    buf_reset(&m->para);
    m->line_start = true;
}

static void walk(struct md *m, xmlNode *n, int depth);

static void
walk_children(struct md *m, xmlNode *n, int depth)
{
    for (xmlNode *c = n->children; c; c = c->next)
        walk(m, c, depth + 1);
}

static bool
safe_href(const char *href)
{
    return strncasecmp(href, "http://", 7) == 0 || strncasecmp(href, "https://", 8) == 0 ||
           strncasecmp(href, "mailto:", 7) == 0;
}

/* A link destination for Markdown: spaces and brackets percent-encoded. */
static void
add_href(struct buf *b, const char *href)
{
    for (const char *p = href; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == '(' || c == ')' || c == '<' || c == '>' || c == '\\' || c == 0x7f)
            buf_addf(b, "%%%02X", c);
        else
            buf_addch(b, (char)c);
    }
}

/* Inline markup around the children, with the spaces kept outside. */
static void
wrap(struct md *m, xmlNode *n, int depth, const char *open, const char *close)
{
    struct buf saved = m->para;
    buf_init(&m->para, 0);
    bool ls = m->line_start;
    walk_children(m, n, depth);
    struct buf inner = m->para;
    m->para = saved;
    m->line_start = ls;
    size_t a = 0, z = inner.len;
    while (a < z && inner.p[a] == ' ')
        a++;
    while (z > a && inner.p[z - 1] == ' ')
        z--;
    if (a < z) {
        if (a && m->para.len && m->para.p[m->para.len - 1] != ' ')
            buf_addch(&m->para, ' ');
        buf_adds(&m->para, open);
        buf_add(&m->para, inner.p + a, z - a);
        buf_adds(&m->para, close);
        if (z < inner.len)
            buf_addch(&m->para, ' ');
        m->line_start = false;
    }
    buf_release(&inner);
}

static void
link(struct md *m, xmlNode *n, int depth)
{
    xmlChar *href = xmlGetProp(n, BAD_CAST "href");
    if (href == NULL || !safe_href((const char *)href) || m->in_link || m->text_only) {
        walk_children(m, n, depth);
        xmlFree(href);
        return;
    }
    struct buf close = BUF_INIT;
    buf_adds(&close, "](");
    add_href(&close, (const char *)href);
    buf_addch(&close, ')');
    m->in_link++;
    wrap(m, n, depth, "[", close.p);
    m->in_link--;
    buf_release(&close);
    xmlFree(href);
}

static void
code_block(struct md *m, xmlNode *n)
{
    flush(m, NULL);
    xmlChar *text = xmlNodeGetContent(n);
    const char *t = text ? (const char *)text : "";
    if (*t) {
        if (m->out->len)
            buf_adds(m->out, "\n\n");
        if (m->text_only) {
            buf_adds(m->out, t);
        } else {
            const char *fence = strstr(t, "```") ? "~~~~" : "```";
            buf_addf(m->out, "%s\n%s%s%s", fence, t, t[strlen(t) - 1] == '\n' ? "" : "\n", fence);
        }
    }
    xmlFree(text);
}

static void
inline_code(struct md *m, xmlNode *n)
{
    xmlChar *text = xmlNodeGetContent(n);
    const char *t = text ? (const char *)text : "";
    if (*t && !m->text_only) {
        const char *tick = strchr(t, '`') ? "`` " : "`";
        const char *untick = strchr(t, '`') ? " ``" : "`";
        buf_adds(&m->para, tick);
        for (const char *p = t; *p; p++)
            buf_addch(&m->para, *p == '\n' ? ' ' : *p);
        buf_adds(&m->para, untick);
        m->line_start = false;
    } else if (*t) {
        add_text(m, t, strlen(t));
    }
    xmlFree(text);
}

static void
list(struct md *m, xmlNode *n, int depth, bool ordered)
{
    flush(m, NULL);
    if (m->list >= MAX_LIST) {
        walk_children(m, n, depth);
        return;
    }
    m->ordered[m->list] = ordered;
    m->counter[m->list] = 0;
    m->list++;
    int saved_item = m->in_item;
    m->in_item = 0;
    walk_children(m, n, depth);
    flush(m, NULL);
    m->in_item = saved_item;
    m->list--;
}

static void
item(struct md *m, xmlNode *n, int depth)
{
    flush(m, NULL);
    char prefix[16] = "- ";
    if (m->list > 0 && m->ordered[m->list - 1])
        snprintf(prefix, sizeof(prefix), "%d. ", ++m->counter[m->list - 1]);
    m->in_item++;
    /* nested lists flush this item's text first, with its marker */
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && (name_is(c, "ul") || name_is(c, "ol"))) {
            flush(m, prefix);
            snprintf(prefix, sizeof(prefix), "%s", "");
        }
        walk(m, c, depth + 1);
    }
    flush(m, m->list > 0 ? prefix : NULL);
    m->in_item--;
}

static void
heading(struct md *m, xmlNode *n, int depth)
{
    int level = n->name[1] - '0';
    const char *prefix = level <= 2 ? "## " : level == 3 ? "### " : "#### ";
    flush(m, NULL);
    walk_children(m, n, depth);
    flush(m, m->in_item ? NULL : prefix);
}

/* Text nodes: blank lines separate paragraphs (WordPress writes them so). */
static void
text_node(struct md *m, xmlNode *n)
{
    const char *s = (const char *)n->content;
    if (s == NULL)
        return;
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        const char *blank = NULL;
        for (size_t k = i; k + 1 < len && blank == NULL; k++) {
            if (s[k] != '\n')
                continue;
            size_t j = k + 1;
            while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
                j++;
            if (j < len && s[j] == '\n')
                blank = s + k;
        }
        size_t end = blank ? (size_t)(blank - s) : len;
        add_text(m, s + i, end - i);
        if (blank == NULL)
            break;
        if (!m->in_item)
            flush(m, NULL);
        i = end + 1;
        while (i < len && (s[i] == '\n' || s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
    }
}

static void
element(struct md *m, xmlNode *n, int depth)
{
    if (name_in(n, skipped))
        return;
    if (name_is(n, "br")) {
        if (!m->text_only && m->para.len)
            buf_adds(&m->para, "\\\n");
        else if (m->para.len)
            buf_addch(&m->para, '\n');
        m->line_start = true;
    } else if (name_is(n, "hr")) {
        flush(m, NULL);
        if (!m->text_only && !m->in_item)
            buf_adds(m->out, m->out->len ? "\n\n* * *" : "* * *");
    } else if (name_is(n, "a")) {
        link(m, n, depth);
    } else if (name_is(n, "strong") || name_is(n, "b")) {
        m->text_only ? walk_children(m, n, depth) : wrap(m, n, depth, "**", "**");
    } else if (name_is(n, "em") || name_is(n, "i") || name_is(n, "cite")) {
        m->text_only ? walk_children(m, n, depth) : wrap(m, n, depth, "*", "*");
    } else if (name_is(n, "code") || name_is(n, "kbd") || name_is(n, "samp")) {
        inline_code(m, n);
    } else if (name_is(n, "pre")) {
        code_block(m, n);
    } else if (name_is(n, "ul") || name_is(n, "ol")) {
        list(m, n, depth, name_is(n, "ol"));
    } else if (name_is(n, "li")) {
        item(m, n, depth);
    } else if (n->name && (n->name[0] == 'h' || n->name[0] == 'H') && n->name[1] >= '1' &&
               n->name[1] <= '6' && n->name[2] == '\0') {
        heading(m, n, depth);
    } else if (name_is(n, "blockquote")) {
        flush(m, NULL);
        m->quote++;
        walk_children(m, n, depth);
        flush(m, NULL);
        m->quote--;
    } else if (name_in(n, blocks) || name_is(n, "td") || name_is(n, "th")) {
        bool cell = name_is(n, "td") || name_is(n, "th");
        if (!m->in_item && !cell)
            flush(m, NULL);
        else if (m->para.len)
            buf_adds(&m->para, cell ? " " : " ");
        walk_children(m, n, depth);
        if (!m->in_item && !cell)
            flush(m, NULL);
    } else {
        walk_children(m, n, depth);
    }
}

static void
walk(struct md *m, xmlNode *n, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    switch (n->type) {
    case XML_ELEMENT_NODE:
        element(m, n, depth);
        break;
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        text_node(m, n);
        break;
    default:
        break;
    }
}

static void
convert(xmlNode *node, struct buf *out, bool text_only)
{
    struct md m = {.out = out, .line_start = true, .text_only = text_only};
    buf_init(&m.para, 0);
    for (xmlNode *c = node ? node->children : NULL; c; c = c->next)
        walk(&m, c, 0);
    flush(&m, NULL);
    buf_release(&m.para);
    if (out->len && !text_only)
        buf_addch(out, '\n');
}

void
ingest_node_markdown(xmlNode *node, struct buf *out)
{
    convert(node, out, false);
}

void
ingest_node_text(xmlNode *node, struct buf *out)
{
    convert(node, out, true);
}

static htmlDocPtr
parse_html(const char *html, size_t n)
{
    ingest_xml_init();
    if (n > INGEST_MAX_BODY * 4 || n > INT32_MAX)
        return NULL;
    return htmlReadMemory(html, (int)n, NULL, "UTF-8",
                          HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                              HTML_PARSE_COMPACT);
}

static int
html_convert(const char *html, size_t n, struct buf *out, bool text_only)
{
    if (n == 0)
        return 0;
    htmlDocPtr doc = parse_html(html, n);
    if (doc == NULL)
        return -1;
    /* the document node holds <html>; convert from the top */
    convert((xmlNode *)doc, out, text_only);
    xmlFreeDoc(doc);
    return out->overflow ? -1 : 0;
}

int
ingest_html_to_markdown(const char *html, size_t n, struct buf *out)
{
    return html_convert(html, n, out, false);
}

int
ingest_html_to_text(const char *html, size_t n, struct buf *out)
{
    return html_convert(html, n, out, true);
}

void
ingest_text_to_markdown(const char *text, size_t n, struct buf *out)
{
    /* paragraphs are separated by blank lines; without any blank line,
     * each line is a paragraph (agencies often send text that way) */
    bool blank = false;
    for (size_t i = 0; i + 1 < n && !blank; i++) {
        if (text[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
            j++;
        blank = j < n && text[j] == '\n';
    }
    struct md m = {.out = out, .line_start = true};
    buf_init(&m.para, 0);
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && text[end] != '\n')
            end++;
        size_t k = i;
        while (k < end && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r'))
            k++;
        if (k == end || !blank)
            flush(&m, NULL);
        add_text(&m, text + i, end - i);
        if (m.para.len && blank)
            buf_addch(&m.para, ' ');
        i = end + 1;
    }
    flush(&m, NULL);
    buf_release(&m.para);
    if (out->len)
        buf_addch(out, '\n');
}
