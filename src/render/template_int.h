/*
 * Private to the template engine: the compiled form shared by the parser
 * (template_parse.c) and the renderer (template.c).
 */
#ifndef BROADSHEET_TEMPLATE_INT_H
#define BROADSHEET_TEMPLATE_INT_H

#include "render/render.h"

#define TMPL_MAX_DEPTH 32

enum esc_ctx {
    ESC_HTML,     /* element text */
    ESC_ATTR,     /* quoted attribute value */
    ESC_URL,      /* a whole URL in href/src/...: scheme checked */
    ESC_URL_PART, /* a later part of such a URL: percent-encoded */
    ESC_JSON,     /* inside <script type="application/ld+json"> or a .json template */
    ESC_XML,
    ESC_NONE, /* .txt templates */
    ESC_RAW,  /* {{{ }}} */
};

enum expr_kind { EXPR_PATH, EXPR_STRING, EXPR_INT };

struct filter {
    char *name;
    json_t *arg; /* a literal, or NULL */
};

struct expr {
    enum expr_kind kind;
    char **parts; /* EXPR_PATH: a.b.c */
    size_t nparts;
    json_t *literal; /* EXPR_STRING, EXPR_INT */
    struct filter *filters;
    size_t nfilters;
};

enum cond_op { COND_TRUTHY, COND_EQ, COND_NE };

struct cond {
    bool negate;
    enum cond_op op;
    struct expr lhs, rhs;
};

enum node_kind { NODE_TEXT, NODE_OUT, NODE_IF, NODE_FOR, NODE_INCLUDE };

struct tmpl;

struct branch {
    struct cond cond;
    struct node *body;
};

struct node {
    enum node_kind kind;
    int line;
    struct node *next;
    /* TEXT */
    char *text;
    size_t len;
    /* OUT */
    struct expr expr;
    enum esc_ctx esc;
    /* IF: branches, then else_body; FOR: var in expr, body, else_body */
    struct branch *branches;
    size_t nbranches;
    char *var;
    struct node *body;
    struct node *else_body;
    /* INCLUDE */
    char *include;
    struct tmpl *target;
};

struct tmpl {
    char *name;
    char *file;
    struct node *root;
};

struct tmpl_set {
    struct tmpl **items;
    size_t n;
};

struct tmpl *tmpl_parse(const char *name, const char *file, const char *src, size_t len,
                        char *err, size_t errlen);
void tmpl_free(struct tmpl *t);
struct tmpl *tmpl_find(const struct tmpl_set *set, const char *name);

#endif
