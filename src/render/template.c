/*
 * Template sets and rendering. A set is loaded once at start-up and is
 * read-only afterwards, so any number of threads may render from it.
 */
#include "render/template_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TMPL_MAX_FILE (1024 * 1024)

static int tz_minutes;

void
tmpl_set_tz(int minutes)
{
    tz_minutes = minutes;
}

struct tmpl *
tmpl_find(const struct tmpl_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i]->name, name) == 0)
            return set->items[i];
    return NULL;
}

bool
tmpl_exists(const struct tmpl_set *set, const char *name)
{
    return tmpl_find(set, name) != NULL;
}

void
tmpl_set_free(struct tmpl_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n; i++)
        tmpl_free(set->items[i]);
    free(set->items);
    free(set);
}

static void
set_add(struct tmpl_set *set, struct tmpl *t)
{
    set->items = xrealloc(set->items, (set->n + 1) * sizeof(*set->items));
    set->items[set->n++] = t;
}

/* Resolves {% include %} targets, refusing unknown names and cycles. */
static int
link_nodes(struct tmpl_set *set, struct tmpl *t, struct node *n, int depth, char *err,
           size_t errlen)
{
    for (; n; n = n->next) {
        if (depth > TMPL_MAX_DEPTH) {
            snprintf(err, errlen, "%s:%d: includes are nested too deeply (a cycle?)", t->file,
                     n->line);
            return -1;
        }
        if (n->kind == NODE_INCLUDE) {
            n->target = tmpl_find(set, n->include);
            if (n->target == NULL) {
                snprintf(err, errlen, "%s:%d: included template '%s' does not exist", t->file,
                         n->line, n->include);
                return -1;
            }
            if (link_nodes(set, n->target, n->target->root, depth + 1, err, errlen) != 0)
                return -1;
        }
        for (size_t i = 0; i < n->nbranches; i++)
            if (link_nodes(set, t, n->branches[i].body, depth, err, errlen) != 0)
                return -1;
        if (link_nodes(set, t, n->body, depth, err, errlen) != 0 ||
            link_nodes(set, t, n->else_body, depth, err, errlen) != 0)
            return -1;
    }
    return 0;
}

static int
link_set(struct tmpl_set *set, char *err, size_t errlen)
{
    for (size_t i = 0; i < set->n; i++)
        if (link_nodes(set, set->items[i], set->items[i]->root, 0, err, errlen) != 0)
            return -1;
    return 0;
}

struct tmpl_set *
tmpl_set_parse(const char *name, const char *src, size_t len, char *err, size_t errlen)
{
    struct tmpl *t = tmpl_parse(name, name, src, len, err, errlen);
    if (t == NULL)
        return NULL;
    struct tmpl_set *set = xcalloc(1, sizeof(*set));
    set_add(set, t);
    if (link_set(set, err, errlen) != 0) {
        tmpl_set_free(set);
        return NULL;
    }
    return set;
}

static bool
template_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    return name[0] != '.' && dot &&
           (strcmp(dot, ".html") == 0 || strcmp(dot, ".xml") == 0 || strcmp(dot, ".json") == 0 ||
            strcmp(dot, ".txt") == 0);
}

static int
load_dir(struct tmpl_set *set, const char *root, const char *rel, int depth, char *err,
         size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (d == NULL) {
        snprintf(err, errlen, "cannot open template folder '%s': %s", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char name[1024], file[4096];
        snprintf(name, sizeof(name), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(file, sizeof(file), "%s/%s", root, name);
        struct stat sb;
        if (stat(file, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (depth < 4)
                rc = load_dir(set, root, name, depth + 1, err, errlen);
            continue;
        }
        if (!S_ISREG(sb.st_mode) || !template_file(e->d_name) || tmpl_find(set, name))
            continue; /* an earlier folder (the theme) already has it */
        size_t len;
        char *src = file_read(file, TMPL_MAX_FILE, &len);
        if (src == NULL) {
            snprintf(err, errlen, "%s:1: cannot read template: %s", file, strerror(errno));
            rc = -1;
            break;
        }
        struct tmpl *t = tmpl_parse(name, file, src, len, err, errlen);
        free(src);
        if (t == NULL)
            rc = -1;
        else
            set_add(set, t);
    }
    closedir(d);
    return rc;
}

struct tmpl_set *
tmpl_set_load(const char *const *dirs, size_t ndirs, char *err, size_t errlen)
{
    struct tmpl_set *set = xcalloc(1, sizeof(*set));
    for (size_t i = 0; i < ndirs; i++) {
        if (dirs[i] == NULL || load_dir(set, dirs[i], "", 0, err, errlen) != 0)
            goto fail;
    }
    if (link_set(set, err, errlen) != 0)
        goto fail;
    return set;
fail:
    tmpl_set_free(set);
    return NULL;
}

/* --- rendering --- */

struct scope {
    const char *name;
    json_t *value;
    json_t *loop;
    const struct scope *up;
};

struct render {
    json_t *root;
    struct buf *out;
    int depth;
};

static json_t *
lookup(const struct render *r, const struct scope *sc, const struct expr *e)
{
    if (e->kind != EXPR_PATH)
        return e->literal;
    json_t *v = NULL;
    size_t i = 1;
    for (; sc; sc = sc->up) {
        if (strcmp(sc->name, e->parts[0]) == 0) {
            v = sc->value;
            break;
        }
        if (sc->loop && strcmp(e->parts[0], "loop") == 0) {
            v = sc->loop;
            break;
        }
    }
    if (sc == NULL)
        i = 0, v = r->root;
    for (; v && i < e->nparts; i++)
        v = json_is_object(v) ? json_object_get(v, e->parts[i]) : NULL;
    return v;
}

static bool
truthy(json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT:
        return json_object_size(v) > 0;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0;
    case JSON_TRUE:
        return true;
    default:
        return false;
    }
}

static json_t *
filter_truncate(json_t *v, json_t *arg)
{
    long max = json_is_integer(arg) ? (long)json_integer_value(arg) : 100;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (text_length(s, n) <= max)
        return json_incref(v);
    /* cut at a word boundary before max characters, then add an ellipsis */
    struct buf b = BUF_INIT;
    size_t end = text_prefix(s, n, max), cut = 0;
    for (size_t i = 0; i < end; i++)
        if (s[i] == ' ')
            cut = i;
    buf_add(&b, s, cut ? cut : end);
    buf_adds(&b, "\xe2\x80\xa6");
    json_t *out = json_stringn(b.p, b.len);
    buf_release(&b);
    return out;
}

/* Applies one filter; returns a new reference (or NULL for null). */
static json_t *
apply(const struct filter *f, json_t *v)
{
    char tbuf[40];
    const char *n = f->name;
    if (strcmp(n, "default") == 0)
        return json_incref(truthy(v) ? v : f->arg);
    if (strcmp(n, "length") == 0) {
        if (json_is_string(v))
            return json_integer(text_length(json_string_value(v), json_string_length(v)));
        return json_integer((json_int_t)(json_is_array(v)    ? json_array_size(v)
                                         : json_is_object(v) ? json_object_size(v)
                                                             : 0));
    }
    if (strcmp(n, "first") == 0)
        return json_incref(json_is_array(v) ? json_array_get(v, 0) : NULL);
    if (strcmp(n, "plural") == 0) /* {{ n }} comment{{ n | plural }} */
        return json_string(json_is_integer(v) && json_integer_value(v) == 1 ? "" : "s");
    if (strcmp(n, "json") == 0) {
        char *s = json_dumps(v ? v : json_null(), JSON_ENCODE_ANY | JSON_COMPACT);
        json_t *out = json_string(s ? s : "null");
        free(s);
        return out;
    }
    if (json_is_integer(v) && (strcmp(n, "date") == 0 || strcmp(n, "iso") == 0 ||
                               strcmp(n, "rfc822") == 0)) {
        int64_t t = (int64_t)json_integer_value(v);
        if (n[0] == 'd')
            time_human(t, tz_minutes, tbuf);
        else if (n[0] == 'i')
            time_iso8601(t, tbuf);
        else
            time_rfc822(t, tbuf);
        return json_string(tbuf);
    }
    if (!json_is_string(v))
        return json_incref(v);
    if (strcmp(n, "truncate") == 0)
        return filter_truncate(v, f->arg);
    if (strcmp(n, "upper") == 0 || strcmp(n, "lower") == 0) {
        size_t len = json_string_length(v);
        char *s = xstrndup(json_string_value(v), len);
        for (size_t i = 0; i < len; i++) {
            if (n[0] == 'u' && s[i] >= 'a' && s[i] <= 'z')
                s[i] = (char)(s[i] - 'a' + 'A');
            else if (n[0] == 'l' && s[i] >= 'A' && s[i] <= 'Z')
                s[i] = (char)(s[i] - 'A' + 'a');
        }
        json_t *out = json_stringn(s, len);
        free(s);
        return out;
    }
    if (strcmp(n, "urlencode") == 0) {
        struct buf b = BUF_INIT;
        url_encode(&b, json_string_value(v), json_string_length(v));
        json_t *out = json_stringn(b.p ? b.p : "", b.len);
        buf_release(&b);
        return out;
    }
    return json_incref(v);
}

static json_t *
eval(const struct render *r, const struct scope *sc, const struct expr *e)
{
    json_t *v = json_incref(lookup(r, sc, e));
    for (size_t i = 0; i < e->nfilters; i++) {
        json_t *next = apply(&e->filters[i], v);
        json_decref(v);
        v = next;
    }
    return v;
}

static void
emit_json(struct buf *out, json_t *v)
{
    if (json_is_string(v)) {
        esc_json_string(out, json_string_value(v), json_string_length(v));
        return;
    }
    char *s = json_dumps(v ? v : json_null(), JSON_ENCODE_ANY | JSON_COMPACT);
    /* numbers, booleans, and nested values re-escaped for a script element */
    for (const char *p = s ? s : "null"; *p; p++) {
        if (*p == '<' || *p == '>' || *p == '&')
            buf_addf(out, "\\u%04x", (unsigned)*p);
        else
            buf_addch(out, *p);
    }
    free(s);
}

static void
emit(struct buf *out, json_t *v, enum esc_ctx esc)
{
    if (esc == ESC_JSON) {
        emit_json(out, v);
        return;
    }
    char num[32];
    const char *s = "";
    size_t n = 0;
    if (json_is_string(v)) {
        s = json_string_value(v);
        n = json_string_length(v);
    } else if (json_is_integer(v)) {
        n = (size_t)snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        s = num;
    } else if (json_is_real(v)) {
        n = (size_t)snprintf(num, sizeof(num), "%g", json_real_value(v));
        s = num;
    } else if (json_is_boolean(v)) {
        s = json_is_true(v) ? "true" : "false";
        n = strlen(s);
    }
    switch (esc) {
    case ESC_HTML:
        esc_html(out, s, n);
        break;
    case ESC_ATTR:
        esc_attr(out, s, n);
        break;
    case ESC_URL:
        if (url_is_safe(s, n))
            esc_attr(out, s, n);
        else
            buf_addch(out, '#');
        break;
    case ESC_URL_PART:
        esc_url_part(out, s, n);
        break;
    case ESC_XML:
        esc_xml(out, s, n);
        break;
    case ESC_NONE:
    case ESC_RAW:
        buf_add(out, s, n);
        break;
    case ESC_JSON:
        break;
    }
}

static bool
cond_true(const struct render *r, const struct scope *sc, const struct cond *c)
{
    json_t *a = eval(r, sc, &c->lhs);
    bool result;
    if (c->op == COND_TRUTHY) {
        result = truthy(a);
    } else {
        json_t *b = eval(r, sc, &c->rhs);
        bool eq = (a == NULL && b == NULL) || (a && b && json_equal(a, b));
        result = c->op == COND_EQ ? eq : !eq;
        json_decref(b);
    }
    json_decref(a);
    return c->negate ? !result : result;
}

static void render_nodes(struct render *r, const struct scope *sc, const struct node *n);

static void
render_for(struct render *r, const struct scope *sc, const struct node *n)
{
    json_t *list = eval(r, sc, &n->expr);
    size_t count = json_is_array(list) ? json_array_size(list) : 0;
    if (count == 0) {
        render_nodes(r, sc, n->else_body);
        json_decref(list);
        return;
    }
    json_t *loop = json_object();
    struct scope inner = {.name = n->var, .loop = loop, .up = sc};
    for (size_t i = 0; i < count && !r->out->overflow; i++) {
        json_object_set_new(loop, "index", json_integer((json_int_t)i + 1));
        json_object_set_new(loop, "first", json_boolean(i == 0));
        json_object_set_new(loop, "last", json_boolean(i + 1 == count));
        inner.value = json_array_get(list, i);
        render_nodes(r, &inner, n->body);
    }
    json_decref(loop);
    json_decref(list);
}

static void
render_nodes(struct render *r, const struct scope *sc, const struct node *n)
{
    for (; n && !r->out->overflow; n = n->next) {
        switch (n->kind) {
        case NODE_TEXT:
            buf_add(r->out, n->text, n->len);
            break;
        case NODE_OUT: {
            json_t *v = eval(r, sc, &n->expr);
            emit(r->out, v, n->esc);
            json_decref(v);
            break;
        }
        case NODE_IF: {
            size_t i = 0;
            while (i < n->nbranches && !cond_true(r, sc, &n->branches[i].cond))
                i++;
            render_nodes(r, sc, i < n->nbranches ? n->branches[i].body : n->else_body);
            break;
        }
        case NODE_FOR:
            render_for(r, sc, n);
            break;
        case NODE_INCLUDE:
            if (r->depth < TMPL_MAX_DEPTH) {
                r->depth++;
                render_nodes(r, sc, n->target->root);
                r->depth--;
            }
            break;
        }
    }
}

int
tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out)
{
    struct tmpl *t = tmpl_find(set, name);
    if (t == NULL) {
        log_error("template '%s' does not exist", name);
        return -1;
    }
    struct render r = {.root = data, .out = out};
    render_nodes(&r, NULL, t->root);
    return out->overflow ? -1 : 0;
}
