/*
 * Percent-encoding and application/x-www-form-urlencoded decoding (the
 * query string and form bodies). Strict: a bad escape or a NUL byte is an
 * error the caller turns into 400, and values must be UTF-8.
 */
#include "core/core.h"

#include <string.h>

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
url_decode(const char *p, size_t n, bool form, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval(p[i + 1]), lo = hexval(p[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && form) {
            c = ' ';
        }
        if (c == '\0')
            return -1;
        buf_addch(out, c);
    }
    return 0;
}

void
url_encode(struct buf *out, const char *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_addch(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(out, e, 3);
        }
    }
}

static enum form_status
decode_part(struct arena *a, const char *p, size_t n, char **out, size_t *outlen)
{
    struct buf b = BUF_INIT;
    enum form_status st = FORM_OK;
    if (url_decode(p, n, true, &b) != 0) {
        st = FORM_BAD_ESCAPE;
        goto out;
    }
    if (!utf8_valid(b.p ? b.p : "", b.len)) {
        st = FORM_BAD_UTF8;
        goto out;
    }
    *out = arena_strndup(a, b.p ? b.p : "", b.len);
    if (outlen)
        *outlen = b.len;
out:
    buf_release(&b);
    return st;
}

enum form_status
form_parse(struct arena *a, const char *p, size_t n, size_t max_fields, struct form *out)
{
    out->fields = NULL;
    out->count = 0;
    size_t cap = 0;
    size_t i = 0;
    while (i < n) {
        const char *amp = memchr(p + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - p) : n;
        if (end > i) {
            if (out->count == max_fields)
                return FORM_TOO_MANY;
            const char *eq = memchr(p + i, '=', end - i);
            size_t klen = eq ? (size_t)(eq - (p + i)) : end - i;
            struct form_field f = {0};
            enum form_status st = decode_part(a, p + i, klen, &f.name, NULL);
            if (st == FORM_OK && eq)
                st = decode_part(a, eq + 1, (size_t)(p + end - eq - 1), &f.value, &f.value_len);
            else if (st == FORM_OK)
                f.value = arena_strdup(a, "");
            if (st != FORM_OK)
                return st;
            if (out->count == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                struct form_field *nf = arena_alloc(a, ncap * sizeof(*nf));
                if (cap)
                    memcpy(nf, out->fields, cap * sizeof(*nf));
                out->fields = nf;
                cap = ncap;
            }
            out->fields[out->count++] = f;
        }
        i = end + 1;
    }
    return FORM_OK;
}

const char *
form_get(const struct form *f, const char *name)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return f->fields[i].value;
    return NULL;
}

const char *
form_error_text(enum form_status st)
{
    switch (st) {
    case FORM_OK:
        return "ok";
    case FORM_BAD_ESCAPE:
        return "a percent-escape in the request is malformed";
    case FORM_BAD_UTF8:
        return "the request contains text that is not valid UTF-8";
    case FORM_TOO_MANY:
        return "the request has too many fields";
    }
    return "bad request";
}
