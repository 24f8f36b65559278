/*
 * libFuzzer target for the template engine: an arbitrary template is
 * parsed in each mode (HTML, XML, JSON, text) and, when accepted, rendered
 * against a small fixed data tree with awkward values. It must never crash,
 * leak or overrun; an accepted HTML template must never let a value open a
 * tag.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *tree;
static json_t *shadow; /* the same tree with every '<' and '>' in a string made 'x' */

static const char tree_json[] =
    "{\"title\": \"Seoul <b>&</b> \\\"quotes\\\" 'apos' </script>\","
    " \"url\": \"javascript:alert(1)\", \"safe\": \"/article/1/x?a=1&b=2\","
    " \"n\": 3, \"zero\": 0, \"neg\": -5, \"big\": 9223372036854775807,"
    " \"small\": -9223372036854775808, \"real\": 1.5, \"t\": true, \"f\": false, \"z\": null,"
    " \"ko\": \"\\u1112\\u1161\\u11ab\\u1100\\u116e\\u11a8 \\ud55c\\uad6d\","
    " \"emoji\": \"\\ud83d\\udc4d\\ud83c\\udffd \\ud83d\\udc68\\u200d\\ud83d\\udc69\","
    " \"nul\": \"a\\u0000b\", \"sep\": \"x\\u2028y\", \"ctl\": \"\\u0001\\u001f\","
    " \"list\": [\"a\", \"<b>\", 1], \"empty\": [], \"obj\": {\"a\": {\"b\": {\"c\": \"deep\"}}},"
    " \"html\": \"<p>raw</p>\","
    " \"authors\": [{\"name\": \"Kim\", \"url\": \"/author/kim\"}, {\"name\": \"<Lee>\"}]}";

static json_t *
defang(json_t *v)
{
    if (json_is_string(v)) {
        size_t n = json_string_length(v);
        char *s = xstrndup(json_string_value(v), n);
        for (size_t i = 0; i < n; i++)
            if (s[i] == '<' || s[i] == '>')
                s[i] = 'x';
        json_t *out = json_stringn(s, n);
        free(s);
        return out;
    }
    if (json_is_array(v)) {
        json_t *out = json_array();
        for (size_t i = 0; i < json_array_size(v); i++)
            json_array_append_new(out, defang(json_array_get(v, i)));
        return out;
    }
    if (json_is_object(v)) {
        json_t *out = json_object();
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) json_object_set_new(out, k, defang(x));
        return out;
    }
    return json_incref(v);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    json_error_t e;
    tree = json_loads(tree_json, JSON_ALLOW_NUL, &e);
    if (tree == NULL)
        die("fuzz_template: bad data tree: %s", e.text);
    shadow = defang(tree);
    tmpl_set_tz(540);
    return 0;
}

/* Loops multiply the output: three of them are plenty, and keep every run short. */
static bool
too_many_loops(const char *p, size_t n)
{
    int loops = 0;
    for (size_t i = 0; i + 3 <= n; i++)
        loops += memcmp(p + i, "for", 3) == 0;
    return loops > 3;
}

static size_t
count_angles(const struct buf *b)
{
    size_t k = 0;
    for (size_t i = 0; i < b->len; i++)
        k += b->p[i] == '<' || b->p[i] == '>';
    return k;
}

/* Parses and renders; when escaping applies, a '<' or '>' in the data must
 * never reach the output: rendering the tree and its defanged shadow gives
 * the same number of them (raw output and comparisons, which may depend on
 * one, are left out of the check). */
static void
run(const char *name, const char *src, size_t n, bool escaped)
{
    char err[256];
    struct tmpl_set *set = tmpl_set_parse(name, src, n, err, sizeof(err));
    if (set == NULL) {
        /* a refusal always names the file and a line */
        if (strncmp(err, name, strlen(name)) != 0 || err[strlen(name)] != ':')
            abort();
        return;
    }
    struct buf out, out2;
    buf_init(&out, 1 << 20);
    buf_init(&out2, 1 << 20);
    int rc = tmpl_render(set, name, tree, &out);
    if ((rc != 0) != out.overflow || out.len > (1 << 20))
        abort();
    if (escaped && rc == 0 && tmpl_render(set, name, shadow, &out2) == 0 &&
        count_angles(&out) != count_angles(&out2))
        abort(); /* a value opened a tag */
    tmpl_set_free(set);
    buf_release(&out);
    buf_release(&out2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    if (size > 2048 || too_many_loops(src, size))
        return 0;
    bool checkable =
        !memmem(src, size, "{{{", 3) && !memmem(src, size, "==", 2) && !memmem(src, size, "!=", 2);
    run("f.html", src, size, checkable);
    run("f.xml", src, size, checkable);
    run("f.json", src, size, checkable);
    run("f.txt", src, size, false);
    return 0;
}
