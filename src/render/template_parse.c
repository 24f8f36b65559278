/*
 * Template parser: turns a template file into a tree of nodes once, at
 * start-up, and decides the escaping of every output by following the HTML
 * around it (see render.h). Errors carry file:line and stop the load.
 */
#include "render/template_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- following the markup -------------------------------------------- */

enum hstate {
    H_TEXT,
    H_TAG_NAME,
    H_TAG,
    H_ATTR_NAME,
    H_AFTER_ATTR_NAME,
    H_BEFORE_VALUE,
    H_VALUE_DQ,
    H_VALUE_SQ,
    H_VALUE_UNQ,
    H_COMMENT,
    H_RAWTEXT,
};

/* RAW_TEXT: textarea, title and the like, whose text is not markup but
 * takes escaped values */
enum raw_kind { RAW_NONE, RAW_JSON, RAW_SCRIPT, RAW_STYLE, RAW_TEXT };

struct hs {
    enum hstate st;
    enum raw_kind raw;
    char tag[16];
    char attr[24];
    char type[40]; /* the type attribute of the tag being read */
    char raw_tag[16]; /* the element whose end tag ends H_RAWTEXT */
    bool value_start;
};

static void
append(char *dst, size_t size, char c)
{
    size_t n = strlen(dst);
    if (n + 1 < size) {
        dst[n] = (char)tolower((unsigned char)c);
        dst[n + 1] = '\0';
    }
}

static bool
is_text_only(const char *tag)
{
    static const char *names[] = {"textarea", "title", "xmp", "iframe", "noembed", "noframes"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strcmp(tag, names[i]) == 0)
            return true;
    return false;
}

static void
tag_end(struct hs *h)
{
    h->st = H_TEXT;
    h->raw = RAW_NONE;
    if (strcmp(h->tag, "script") == 0)
        h->raw = strcmp(h->type, "application/ld+json") == 0 ? RAW_JSON : RAW_SCRIPT;
    else if (strcmp(h->tag, "style") == 0)
        h->raw = RAW_STYLE;
    else if (is_text_only(h->tag))
        h->raw = RAW_TEXT;
    if (h->raw != RAW_NONE) {
        h->st = H_RAWTEXT;
        memcpy(h->raw_tag, h->tag, sizeof(h->raw_tag));
    }
}

/* "</name" followed by whitespace, '/' or '>' (or the end of this text). */
static bool
is_end_tag(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name);
    return n >= k + 2 && p[0] == '<' && p[1] == '/' && strncasecmp(p + 2, name, k) == 0 &&
           (n == k + 2 || strchr(" \t\n\r\f/>", p[k + 2]) != NULL);
}

static void
attr_begin(struct hs *h, char c)
{
    h->st = H_ATTR_NAME;
    h->attr[0] = '\0';
    append(h->attr, sizeof(h->attr), c);
}

static void
hs_feed(struct hs *h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        switch (h->st) {
        case H_TEXT:
            if (c != '<')
                break;
            if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
                h->st = H_COMMENT;
                i += 3;
                /* "<!-->" and "<!--->" are whole comments */
                if (i + 1 < n && p[i + 1] == '>') {
                    h->st = H_TEXT;
                    i += 1;
                } else if (i + 2 < n && p[i + 1] == '-' && p[i + 2] == '>') {
                    h->st = H_TEXT;
                    i += 2;
                }
            } else if (i + 1 < n && (isalpha((unsigned char)p[i + 1]) || p[i + 1] == '/' ||
                                     p[i + 1] == '!')) {
                h->st = H_TAG_NAME;
                h->tag[0] = h->type[0] = '\0';
            }
            break;
        case H_TAG_NAME:
            if (space || c == '/')
                h->st = H_TAG;
            else if (c == '>')
                tag_end(h);
            else
                append(h->tag, sizeof(h->tag), c);
            break;
        case H_TAG:
            if (c == '>')
                tag_end(h);
            else if (!space && c != '/')
                attr_begin(h, c);
            break;
        case H_ATTR_NAME:
            if (space)
                h->st = H_AFTER_ATTR_NAME;
            else if (c == '=')
                h->st = H_BEFORE_VALUE;
            else if (c == '>')
                tag_end(h);
            else
                append(h->attr, sizeof(h->attr), c);
            break;
        case H_AFTER_ATTR_NAME:
            if (c == '=')
                h->st = H_BEFORE_VALUE;
            else if (c == '>')
                tag_end(h);
            else if (!space)
                attr_begin(h, c);
            break;
        case H_BEFORE_VALUE:
            if (c == '"' || c == '\'') {
                h->st = c == '"' ? H_VALUE_DQ : H_VALUE_SQ;
                h->value_start = true;
                if (strcmp(h->attr, "type") == 0)
                    h->type[0] = '\0';
            } else if (c == '>') {
                tag_end(h);
            } else if (!space) {
                h->st = H_VALUE_UNQ;
            }
            break;
        case H_VALUE_DQ:
        case H_VALUE_SQ:
            if (c == (h->st == H_VALUE_DQ ? '"' : '\'')) {
                h->st = H_TAG;
            } else {
                h->value_start = false;
                if (strcmp(h->attr, "type") == 0)
                    append(h->type, sizeof(h->type), c);
            }
            break;
        case H_VALUE_UNQ:
            if (space)
                h->st = H_TAG;
            else if (c == '>')
                tag_end(h);
            break;
        case H_COMMENT:
            if (n - i >= 3 && memcmp(p + i, "-->", 3) == 0) {
                h->st = H_TEXT;
                i += 2;
            } else if (n - i >= 4 && memcmp(p + i, "--!>", 4) == 0) {
                h->st = H_TEXT;
                i += 3;
            }
            break;
        case H_RAWTEXT: {
            if (is_end_tag(p + i, n - i, h->raw_tag)) {
                h->st = H_TAG_NAME;
                h->tag[0] = '/';
                h->tag[1] = h->type[0] = '\0';
                i += 1; /* past "</": the name follows */
            }
            break;
        }
        }
    }
}

static bool
is_url_attr(const char *a)
{
    static const char *names[] = {"href", "src", "action", "formaction", "srcset", "poster",
                                  "cite", "data", "manifest", "background", "ping", "xlink:href"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strcmp(a, names[i]) == 0)
            return true;
    return false;
}

/* The escaping for a value at this point of the markup, or NULL and why. */
static const char *
hs_context(const struct hs *h, enum esc_ctx *out)
{
    switch (h->st) {
    case H_TEXT:
        *out = ESC_HTML;
        return NULL;
    case H_VALUE_DQ:
    case H_VALUE_SQ:
        if (strncmp(h->attr, "on", 2) == 0)
            return "a value inside an event handler attribute cannot be made safe";
        if (strcmp(h->attr, "style") == 0)
            return "a value inside a style attribute cannot be made safe";
        if (is_url_attr(h->attr))
            *out = h->value_start ? ESC_URL : ESC_URL_PART;
        else
            *out = ESC_ATTR;
        return NULL;
    case H_RAWTEXT:
        if (h->raw == RAW_JSON || h->raw == RAW_TEXT) {
            *out = h->raw == RAW_JSON ? ESC_JSON : ESC_HTML;
            return NULL;
        }
        return "a value inside a script or style element cannot be made safe "
               "(only <script type=\"application/ld+json\"> takes values)";
    case H_VALUE_UNQ:
    case H_BEFORE_VALUE:
        return "attribute values that hold a value must be quoted";
    case H_COMMENT:
        return "a value inside an HTML comment is not allowed";
    default:
        return "a value inside a tag must be in a quoted attribute value";
    }
}

/* Inside a tag between attributes, these states parse the rest alike. */
static bool
in_tag(enum hstate st)
{
    return st == H_TAG_NAME || st == H_TAG || st == H_ATTR_NAME || st == H_AFTER_ATTR_NAME;
}

static bool
hs_same(const struct hs *a, const struct hs *b)
{
    if (in_tag(a->st) && in_tag(b->st))
        return strcmp(a->tag, b->tag) == 0;
    if (a->st != b->st || a->raw != b->raw)
        return false;
    if (a->st == H_RAWTEXT)
        return strcmp(a->raw_tag, b->raw_tag) == 0;
    if (a->st == H_TEXT || a->st == H_COMMENT)
        return true;
    return strcmp(a->attr, b->attr) == 0 && strcmp(a->tag, b->tag) == 0;
}

/* --- the parser ------------------------------------------------------- */

enum mode { MODE_HTML, MODE_XML, MODE_JSON, MODE_TEXT };

struct parser {
    const char *src;
    size_t len, pos;
    int line;
    const char *file;
    char *err;
    size_t errlen;
    bool failed;
    enum mode mode;
    struct hs hs;
    bool trim_left; /* the last tag ended with -%} / -}} */
    int depth;
};

static void
fail(struct parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
fail(struct parser *p, int line, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    int k = snprintf(p->err, p->errlen, "%s:%d: ", p->file, line);
    if (k < 0 || (size_t)k >= p->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + k, p->errlen - (size_t)k, fmt, ap);
    va_end(ap);
}

static int
count_lines(const char *s, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

/* --- expressions --- */

struct lex {
    const char *p, *end;
};

static void
skip_ws(struct lex *l)
{
    while (l->p < l->end && isspace((unsigned char)*l->p))
        l->p++;
}

static bool
lex_ident(struct lex *l, char **out)
{
    skip_ws(l);
    const char *s = l->p;
    if (l->p >= l->end || !(isalpha((unsigned char)*l->p) || *l->p == '_'))
        return false;
    while (l->p < l->end && (isalnum((unsigned char)*l->p) || *l->p == '_'))
        l->p++;
    *out = xstrndup(s, (size_t)(l->p - s));
    return true;
}

static bool
lex_char(struct lex *l, char c)
{
    skip_ws(l);
    if (l->p < l->end && *l->p == c) {
        l->p++;
        return true;
    }
    return false;
}

static bool
lex_word(struct lex *l, const char *w)
{
    skip_ws(l);
    size_t n = strlen(w);
    if ((size_t)(l->end - l->p) >= n && memcmp(l->p, w, n) == 0 &&
        (l->p + n == l->end || !(isalnum((unsigned char)l->p[n]) || l->p[n] == '_'))) {
        l->p += n;
        return true;
    }
    return false;
}

/* A string or integer literal, or NULL. */
static json_t *
lex_literal(struct lex *l)
{
    skip_ws(l);
    if (l->p < l->end && *l->p == '"') {
        struct buf b = BUF_INIT;
        l->p++;
        while (l->p < l->end && *l->p != '"') {
            if (*l->p == '\\' && l->p + 1 < l->end)
                l->p++;
            buf_addch(&b, *l->p++);
        }
        if (l->p >= l->end) {
            buf_release(&b);
            return NULL;
        }
        l->p++;
        json_t *s = json_stringn(b.p ? b.p : "", b.len);
        buf_release(&b);
        return s;
    }
    if (l->p < l->end && (isdigit((unsigned char)*l->p) || *l->p == '-')) {
        const char *s = l->p++;
        while (l->p < l->end && isdigit((unsigned char)*l->p))
            l->p++;
        long v;
        if (parse_long(s, (size_t)(l->p - s), -1000000000L, 1000000000L, &v) != 0)
            return NULL;
        return json_integer(v);
    }
    return NULL;
}

static void
expr_release(struct expr *e)
{
    for (size_t i = 0; i < e->nparts; i++)
        free(e->parts[i]);
    free(e->parts);
    json_decref(e->literal);
    for (size_t i = 0; i < e->nfilters; i++) {
        free(e->filters[i].name);
        json_decref(e->filters[i].arg);
    }
    free(e->filters);
    memset(e, 0, sizeof(*e));
}

static const char *const known_filters[] = {"date", "iso", "rfc822", "length", "default",
                                            "json", "upper", "lower", "truncate", "plural",
                                            "first", "urlencode"};

static bool
parse_operand(struct parser *p, struct lex *l, struct expr *e, int line)
{
    memset(e, 0, sizeof(*e));
    json_t *lit = lex_literal(l);
    if (lit) {
        e->kind = json_is_string(lit) ? EXPR_STRING : EXPR_INT;
        e->literal = lit;
        return true;
    }
    char *id;
    if (!lex_ident(l, &id)) {
        fail(p, line, "expected a value name or a literal");
        return false;
    }
    e->kind = EXPR_PATH;
    do {
        e->parts = xrealloc(e->parts, (e->nparts + 1) * sizeof(char *));
        e->parts[e->nparts++] = id;
        id = NULL;
    } while (lex_char(l, '.') && lex_ident(l, &id));
    return true;
}

static bool
parse_expr(struct parser *p, struct lex *l, struct expr *e, int line)
{
    if (!parse_operand(p, l, e, line))
        return false;
    while (lex_char(l, '|')) {
        struct filter f = {0};
        if (!lex_ident(l, &f.name)) {
            fail(p, line, "expected a filter name after '|'");
            return false;
        }
        bool known = false;
        for (size_t i = 0; i < ARRAY_SIZE(known_filters); i++)
            known |= strcmp(f.name, known_filters[i]) == 0;
        if (lex_char(l, '(')) {
            f.arg = lex_literal(l);
            if (f.arg == NULL || !lex_char(l, ')')) {
                fail(p, line, "filter '%s' takes one literal argument in parentheses", f.name);
                free(f.name);
                json_decref(f.arg);
                return false;
            }
        }
        e->filters = xrealloc(e->filters, (e->nfilters + 1) * sizeof(*e->filters));
        e->filters[e->nfilters++] = f;
        if (!known) {
            fail(p, line, "unknown filter '%s'", f.name);
            return false;
        }
    }
    return true;
}

static bool
expect_end(struct parser *p, struct lex *l, int line)
{
    skip_ws(l);
    if (l->p != l->end) {
        fail(p, line, "unexpected '%.*s'", (int)(l->end - l->p), l->p);
        return false;
    }
    return true;
}

static bool
parse_cond(struct parser *p, struct lex *l, struct cond *c, int line)
{
    memset(c, 0, sizeof(*c));
    c->negate = lex_word(l, "not");
    if (!parse_expr(p, l, &c->lhs, line))
        return false;
    skip_ws(l);
    if (l->end - l->p >= 2 && (memcmp(l->p, "==", 2) == 0 || memcmp(l->p, "!=", 2) == 0)) {
        c->op = l->p[0] == '=' ? COND_EQ : COND_NE;
        l->p += 2;
        if (!parse_expr(p, l, &c->rhs, line))
            return false;
    }
    return expect_end(p, l, line);
}

/* --- nodes --- */

static struct node *
node_new(enum node_kind kind, int line)
{
    struct node *n = xcalloc(1, sizeof(*n));
    n->kind = kind;
    n->line = line;
    return n;
}

static void nodes_free(struct node *n);

static void
node_free(struct node *n)
{
    free(n->text);
    expr_release(&n->expr);
    for (size_t i = 0; i < n->nbranches; i++) {
        expr_release(&n->branches[i].cond.lhs);
        expr_release(&n->branches[i].cond.rhs);
        nodes_free(n->branches[i].body);
    }
    free(n->branches);
    free(n->var);
    nodes_free(n->body);
    nodes_free(n->else_body);
    free(n->include);
    free(n);
}

static void
nodes_free(struct node *n)
{
    while (n) {
        struct node *next = n->next;
        node_free(n);
        n = next;
    }
}

/* --- tokens --- */

enum tok_kind { TOK_EOF, TOK_TEXT, TOK_OUT, TOK_RAW, TOK_TAG };

struct tok {
    enum tok_kind kind;
    const char *p; /* contents without braces and trim marks */
    size_t n;
    int line;
};

static void
next_tok(struct parser *p, struct tok *t)
{
    for (;;) {
        t->line = p->line;
        if (p->pos >= p->len) {
            t->kind = TOK_EOF;
            return;
        }
        const char *s = p->src + p->pos;
        size_t rest = p->len - p->pos;
        const char *open = NULL;
        for (const char *q = s; q + 1 < s + rest; q++) {
            if (q[0] == '{' && (q[1] == '{' || q[1] == '%' || q[1] == '#')) {
                open = q;
                break;
            }
        }
        if (open != s) {
            size_t n = open ? (size_t)(open - s) : rest;
            t->kind = TOK_TEXT;
            t->p = s;
            t->n = n;
            if (p->trim_left) {
                while (t->n && isspace((unsigned char)*t->p)) {
                    t->p++;
                    t->n--;
                }
                p->trim_left = false;
            }
            /* {%- trims the text before it */
            if (open && rest - n > 2 && open[2] == '-')
                while (t->n && isspace((unsigned char)t->p[t->n - 1]))
                    t->n--;
            p->pos += n;
            p->line += count_lines(s, n);
            if (t->n == 0)
                continue;
            return;
        }
        bool raw = rest >= 3 && memcmp(s, "{{{", 3) == 0;
        const char *close = s[1] == '{' ? (raw ? "}}}" : "}}") : s[1] == '%' ? "%}" : "#}";
        size_t olen = raw ? 3 : 2, clen = strlen(close);
        const char *end = memmem(s + olen, rest - olen, close, clen);
        if (end == NULL) {
            fail(p, p->line, "'%.*s' is never closed", (int)olen, s);
            t->kind = TOK_EOF;
            return;
        }
        const char *body = s + olen;
        size_t bn = (size_t)(end - body);
        if (bn && body[0] == '-') {
            body++;
            bn--;
        }
        p->trim_left = bn && body[bn - 1] == '-';
        if (p->trim_left)
            bn--;
        p->pos += (size_t)(end - s) + clen;
        p->line += count_lines(s, (size_t)(end - s));
        if (s[1] == '#')
            continue; /* a comment */
        t->kind = s[1] == '%' ? TOK_TAG : raw ? TOK_RAW : TOK_OUT;
        t->p = body;
        t->n = bn;
        return;
    }
}

/* Parses nodes until {% end %}, {% else %}, {% elif %} or the end of the
 * file; *stop receives the tag that ended the list (TOK_EOF kind at the end). */
static struct node *parse_list(struct parser *p, struct tok *stop);

static enum esc_ctx
mode_ctx(enum mode m)
{
    return m == MODE_XML ? ESC_XML : m == MODE_JSON ? ESC_JSON : ESC_NONE;
}

static struct node *
parse_out(struct parser *p, const struct tok *t)
{
    struct node *n = node_new(NODE_OUT, t->line);
    struct lex l = {t->p, t->p + t->n};
    if (!parse_expr(p, &l, &n->expr, t->line) || !expect_end(p, &l, t->line))
        return n;
    if (t->kind == TOK_RAW) {
        if (p->mode == MODE_HTML && p->hs.st != H_TEXT)
            fail(p, t->line, "raw output {{{ }}} is only allowed in element text");
        n->esc = ESC_RAW;
        return n;
    }
    if (p->mode != MODE_HTML) {
        n->esc = mode_ctx(p->mode);
        return n;
    }
    const char *why = hs_context(&p->hs, &n->esc);
    if (why)
        fail(p, t->line, "%s", why);
    if (p->hs.st == H_VALUE_DQ || p->hs.st == H_VALUE_SQ)
        p->hs.value_start = false;
    return n;
}

static bool
tag_is(const struct tok *t, const char *kw)
{
    struct lex l = {t->p, t->p + t->n};
    return lex_word(&l, kw);
}

/* The markup state must not depend on which branch ran. */
static void
join_state(struct parser *p, const struct hs *start, const struct hs *end, bool *have,
           struct hs *joined, int line)
{
    if (p->mode != MODE_HTML)
        return;
    if (!*have) {
        *joined = *end;
        *have = true;
    } else if (!hs_same(joined, end)) {
        fail(p, line, "the branches of this block leave the HTML in different states");
    } else {
        joined->value_start = joined->value_start && end->value_start;
        if (joined->st != end->st)
            joined->st = H_TAG; /* both between attributes of the same tag */
    }
    p->hs = *start;
}

static struct node *
parse_if(struct parser *p, const struct tok *t)
{
    struct node *n = node_new(NODE_IF, t->line);
    struct hs start = p->hs, joined;
    bool have = false;
    struct tok cur = *t;
    for (;;) {
        /* cur is "if cond" or "elif cond" */
        struct lex l = {cur.p, cur.p + cur.n};
        (void)(lex_word(&l, "if") || lex_word(&l, "elif"));
        n->branches = xrealloc(n->branches, (n->nbranches + 1) * sizeof(*n->branches));
        struct branch *b = &n->branches[n->nbranches++];
        memset(b, 0, sizeof(*b));
        if (!parse_cond(p, &l, &b->cond, cur.line))
            return n;
        struct tok stop;
        b->body = parse_list(p, &stop);
        join_state(p, &start, &p->hs, &have, &joined, cur.line);
        if (p->failed)
            return n;
        if (stop.kind == TOK_TAG && tag_is(&stop, "elif")) {
            cur = stop;
            continue;
        }
        if (stop.kind == TOK_TAG && tag_is(&stop, "else")) {
            n->else_body = parse_list(p, &stop);
            join_state(p, &start, &p->hs, &have, &joined, stop.line);
        } else {
            /* no else: the state after the block must equal the state before */
            struct hs none = start;
            join_state(p, &start, &none, &have, &joined, t->line);
        }
        if (p->failed)
            return n;
        if (!(stop.kind == TOK_TAG && tag_is(&stop, "end")))
            fail(p, t->line, "{%% if %%} is never closed with {%% end %%}");
        p->hs = have ? joined : start;
        return n;
    }
}

static struct node *
parse_for(struct parser *p, const struct tok *t)
{
    struct node *n = node_new(NODE_FOR, t->line);
    struct lex l = {t->p, t->p + t->n};
    lex_word(&l, "for");
    if (!lex_ident(&l, &n->var) || !lex_word(&l, "in")) {
        fail(p, t->line, "expected {%% for name in list %%}");
        return n;
    }
    if (!parse_expr(p, &l, &n->expr, t->line) || !expect_end(p, &l, t->line))
        return n;
    struct hs start = p->hs, joined;
    bool have = false;
    struct tok stop;
    n->body = parse_list(p, &stop);
    join_state(p, &start, &p->hs, &have, &joined, t->line);
    join_state(p, &start, &start, &have, &joined, t->line);
    if (p->failed)
        return n;
    if (stop.kind == TOK_TAG && tag_is(&stop, "else")) {
        n->else_body = parse_list(p, &stop);
        join_state(p, &start, &p->hs, &have, &joined, stop.line);
    }
    if (!p->failed && !(stop.kind == TOK_TAG && tag_is(&stop, "end")))
        fail(p, t->line, "{%% for %%} is never closed with {%% end %%}");
    return n;
}

static struct node *
parse_include(struct parser *p, const struct tok *t)
{
    struct node *n = node_new(NODE_INCLUDE, t->line);
    struct lex l = {t->p, t->p + t->n};
    lex_word(&l, "include");
    json_t *name = lex_literal(&l);
    if (name == NULL || !json_is_string(name) || !expect_end(p, &l, t->line)) {
        fail(p, t->line, "expected {%% include \"name\" %%}");
    } else {
        n->include = xstrdup(json_string_value(name));
        if (p->mode == MODE_HTML && p->hs.st != H_TEXT)
            fail(p, t->line, "{%% include %%} is only allowed in element text");
    }
    json_decref(name);
    return n;
}

static struct node *
parse_tag(struct parser *p, const struct tok *t)
{
    if (tag_is(t, "if"))
        return parse_if(p, t);
    if (tag_is(t, "for"))
        return parse_for(p, t);
    if (tag_is(t, "include"))
        return parse_include(p, t);
    fail(p, t->line, "unknown tag {%% %.*s %%}", (int)t->n, t->p);
    return NULL;
}

static struct node *
parse_list(struct parser *p, struct tok *stop)
{
    struct node *head = NULL, **tail = &head;
    if (++p->depth > TMPL_MAX_DEPTH) {
        fail(p, p->line, "blocks are nested too deeply");
        stop->kind = TOK_EOF;
        p->depth--;
        return NULL;
    }
    for (;;) {
        struct tok t;
        next_tok(p, &t);
        if (p->failed || t.kind == TOK_EOF) {
            stop->kind = TOK_EOF;
            stop->line = t.line;
            break;
        }
        struct node *n = NULL;
        if (t.kind == TOK_TEXT) {
            n = node_new(NODE_TEXT, t.line);
            n->text = xstrndup(t.p, t.n);
            n->len = t.n;
            if (p->mode == MODE_HTML)
                hs_feed(&p->hs, t.p, t.n);
        } else if (t.kind == TOK_OUT || t.kind == TOK_RAW) {
            n = parse_out(p, &t);
        } else if (tag_is(&t, "end") || tag_is(&t, "else") || tag_is(&t, "elif")) {
            *stop = t;
            break;
        } else {
            n = parse_tag(p, &t);
        }
        if (n) {
            *tail = n;
            tail = &n->next;
        }
    }
    p->depth--;
    return head;
}

static enum mode
mode_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && strcmp(dot, ".xml") == 0)
        return MODE_XML;
    if (dot && strcmp(dot, ".json") == 0)
        return MODE_JSON;
    if (dot && strcmp(dot, ".txt") == 0)
        return MODE_TEXT;
    return MODE_HTML;
}

struct tmpl *
tmpl_parse(const char *name, const char *file, const char *src, size_t len, char *err,
           size_t errlen)
{
    struct parser p = {.src = src, .len = len, .line = 1, .file = file, .err = err,
                       .errlen = errlen, .mode = mode_of(name)};
    if (memchr(src, '\0', len) || !utf8_valid(src, len)) {
        snprintf(err, errlen, "%s:1: the template is not valid UTF-8 text", file);
        return NULL;
    }
    struct tok stop;
    struct node *root = parse_list(&p, &stop);
    if (!p.failed && stop.kind != TOK_EOF)
        fail(&p, stop.line, "{%% %.*s %%} without a matching block", (int)stop.n, stop.p);
    if (!p.failed && p.mode == MODE_HTML && p.hs.st != H_TEXT)
        fail(&p, p.line, "the template ends inside a tag, comment or script");
    if (p.failed) {
        nodes_free(root);
        return NULL;
    }
    struct tmpl *t = xcalloc(1, sizeof(*t));
    t->name = xstrdup(name);
    t->file = xstrdup(file);
    t->root = root;
    return t;
}

void
tmpl_free(struct tmpl *t)
{
    if (t == NULL)
        return;
    nodes_free(t->root);
    free(t->name);
    free(t->file);
    free(t);
}
