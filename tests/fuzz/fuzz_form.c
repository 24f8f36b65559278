/*
 * libFuzzer target for what arrives from readers: query strings and form
 * bodies (form_parse, url_decode), and the text functions that every
 * submitted string goes through (UTF-8 validation, NFC, the character
 * count, cleaning, slugs, times, integers). Each result is checked against
 * the promise in core.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            die("fuzz_form: %s:%d: %s", __FILE__, __LINE__, #cond);                                \
    } while (0)

static void
check_form(const char *p, size_t n)
{
    struct arena *a = arena_new();
    struct form f;
    enum form_status st = form_parse(a, p, n, 16, &f);
    CHECK(st >= FORM_OK && st <= FORM_TOO_MANY);
    CHECK(form_error_text(st) != NULL);
    if (st == FORM_OK) {
        CHECK(f.count <= 16);
        for (size_t i = 0; i < f.count; i++) {
            const struct form_field *fl = &f.fields[i];
            CHECK(utf8_valid(fl->name, strlen(fl->name)));
            CHECK(strlen(fl->value) == fl->value_len); /* no NUL inside */
            CHECK(utf8_valid(fl->value, fl->value_len));
            CHECK(form_get(&f, fl->name) != NULL);
        }
    }
    arena_free(a);
}

static void
check_decode(const char *p, size_t n, bool form)
{
    struct buf out = BUF_INIT, enc = BUF_INIT, back = BUF_INIT;
    if (url_decode(p, n, form, &out) == 0) {
        CHECK(out.len <= n);
        CHECK(out.len == 0 || memchr(out.p, '\0', out.len) == NULL);
        url_encode(&enc, out.p ? out.p : "", out.len);
        CHECK(url_decode(enc.p ? enc.p : "", enc.len, form, &back) == 0);
        CHECK(back.len == out.len && (out.len == 0 || memcmp(back.p, out.p, out.len) == 0));
    }
    buf_release(&out);
    buf_release(&enc);
    buf_release(&back);
}

static void
check_text(const char *p, size_t n)
{
    bool valid = utf8_valid(p, n);
    long len = text_length(p, n);
    CHECK(valid ? len >= 0 && (size_t)len <= n : len == -1);
    size_t nfc_len;
    char *nfc = utf8_nfc(p, n, &nfc_len);
    CHECK((nfc != NULL) == valid);
    if (nfc) {
        CHECK(utf8_valid(nfc, nfc_len));
        size_t again_len;
        char *again = utf8_nfc(nfc, nfc_len, &again_len);
        CHECK(again && again_len == nfc_len && memcmp(again, nfc, nfc_len) == 0); /* stable */
        free(again);
        CHECK(text_length(nfc, nfc_len) == len);
        free(nfc);
    }
    if (valid) {
        size_t prev = 0;
        for (long k = 0; k <= len + 1; k++) {
            size_t cut = text_prefix(p, n, k);
            CHECK(cut >= prev && cut <= n);
            CHECK(utf8_valid(p, cut));
            prev = cut;
        }
        CHECK(prev == n);
    }
    for (int keep = 0; keep < 2; keep++) {
        size_t clen;
        char *c = text_clean(p, n, keep, &clen);
        CHECK((c != NULL) == valid);
        if (c == NULL)
            continue;
        CHECK(utf8_valid(c, clen) && strlen(c) == clen);
        for (size_t i = 0; i < clen; i++) {
            unsigned char ch = (unsigned char)c[i];
            CHECK(ch >= 0x20 || (keep && ch == '\n'));
            CHECK(ch != 0x7F);
        }
        CHECK(clen == 0 || (c[0] != ' ' && c[clen - 1] != ' '));
        free(c);
    }
}

static void
check_slug(const char *p, size_t n, size_t max)
{
    char *s = slug_make(p, n, max);
    size_t len = strlen(s);
    CHECK(len <= max);
    CHECK(len == 0 || slug_valid(s, len));
    free(s);
}

static void
check_scalars(const char *p, size_t n)
{
    char *z = xstrndup(p, n);
    int64_t t;
    if (time_parse(z, &t) == 0) {
        char iso[32], rfc[40], human[40];
        time_iso8601(t, iso);
        time_rfc822(t, rfc);
        time_human(t, 540, human);
    }
    long v;
    if (parse_long(p, n, -1000, 1000000, &v) == 0)
        CHECK(v >= -1000 && v <= 1000000);
    free(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    if (size > 8192)
        return 0;
    check_form(p, size);
    check_decode(p, size, true);
    check_decode(p, size, false);
    check_text(p, size);
    check_slug(p, size, 80);
    check_slug(p, size, size ? data[0] % 24 : 0);
    check_scalars(p, size);
    return 0;
}
