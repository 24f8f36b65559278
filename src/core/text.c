/*
 * UTF-8, Unicode normalisation, the product's one character count, and
 * slugs. All Unicode knowledge comes from utf8proc; nothing here guesses
 * at character properties by hand.
 */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool
utf8_valid(const char *p, size_t n)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)p;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0 || !utf8proc_codepoint_valid(cp))
            return false;
        i += (size_t)len;
    }
    return true;
}

static char *
map(const char *p, size_t n, utf8proc_option_t opts, size_t *outlen)
{
    if (!utf8_valid(p, n))
        return NULL;
    if (n == 0) {
        if (outlen)
            *outlen = 0;
        return xstrdup("");
    }
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t len =
        utf8proc_map((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)n, &dst, opts | UTF8PROC_STABLE);
    if (len < 0) {
        /* valid UTF-8 that utf8proc still refuses (e.g. U+0000): treat as invalid */
        free(dst);
        return NULL;
    }
    if (outlen)
        *outlen = (size_t)len;
    return (char *)dst;
}

char *
utf8_nfc(const char *p, size_t n, size_t *outlen)
{
    return map(p, n, UTF8PROC_COMPOSE, outlen);
}

char *
utf8_fold(const char *p, size_t n, size_t *outlen)
{
    return map(p, n, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD, outlen);
}

long
text_length(const char *p, size_t n)
{
    size_t len;
    char *nfc = utf8_nfc(p, n, &len);
    if (nfc == NULL)
        return -1;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)nfc;
    utf8proc_int32_t prev = -1, cp;
    utf8proc_int32_t state = 0;
    long count = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0)
            break;
        if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
            count++;
        prev = cp;
        i += (size_t)k;
    }
    free(nfc);
    return count;
}

size_t
text_prefix(const char *p, size_t n, long max)
{
    if (max <= 0)
        return 0;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)p;
    utf8proc_int32_t prev = -1, cp;
    utf8proc_int32_t state = 0;
    long count = 0;
    size_t i = 0;
    while (i < n) {
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            break;
        if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) {
            if (count == max)
                break;
            count++;
        }
        prev = cp;
        i += (size_t)k;
    }
    return i;
}

char *
text_clean(const char *p, size_t n, bool keep_newlines, size_t *outlen)
{
    size_t len;
    char *nfc = utf8_nfc(p, n, &len);
    if (nfc == NULL)
        return NULL;
    struct buf b = BUF_INIT;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)nfc;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0)
            break;
        const utf8proc_property_t *prop = utf8proc_get_property(cp);
        if (cp == '\r') {
            /* \r\n and lone \r both become \n */
            if (!(i + 1 < len && s[i + 1] == '\n'))
                buf_addch(&b, keep_newlines ? '\n' : ' ');
        } else if (cp == '\n') {
            buf_addch(&b, keep_newlines ? '\n' : ' ');
        } else if (cp == '\t') {
            buf_addch(&b, ' ');
        } else if (prop->category == UTF8PROC_CATEGORY_CC ||
                   (prop->category == UTF8PROC_CATEGORY_CF && cp != 0x200D && cp != 0x200C) ||
                   prop->category == UTF8PROC_CATEGORY_CS ||
                   prop->category == UTF8PROC_CATEGORY_CO || cp == 0x2028 || cp == 0x2029) {
            /* control, format (but ZWJ/ZWNJ, which emoji and scripts need), private use */
        } else {
            buf_add(&b, s + i, (size_t)k);
        }
        i += (size_t)k;
    }
    free(nfc);
    /* trim spaces and newlines at both ends */
    size_t start = 0, end = b.len;
    while (start < end && (b.p[start] == ' ' || b.p[start] == '\n'))
        start++;
    while (end > start && (b.p[end - 1] == ' ' || b.p[end - 1] == '\n'))
        end--;
    char *out = xstrndup(b.p ? b.p + start : "", end - start);
    buf_release(&b);
    if (outlen)
        *outlen = end - start;
    return out;
}

/* --- slugs --- */

bool
utf8_is_letter(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
        return true;
    default:
        return false;
    }
}

static bool
is_word_cp(utf8proc_int32_t cp)
{
    return utf8_is_letter(cp) || utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

char *
slug_make(const char *title, size_t n, size_t max)
{
    size_t len;
    /* compatibility forms folded to plain ones, case folded */
    char *folded = map(title, n, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT, &len);
    if (folded == NULL)
        return xstrdup("");
    struct buf b = BUF_INIT;
    bool dash = false;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)folded;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0)
            break;
        if (cp == '\'' || cp == 0x2019) {
            /* apostrophes join: "china's" -> "chinas" */
        } else if (is_word_cp(cp)) {
            size_t sep = dash && b.len ? 1 : 0;
            if (b.len + sep + (size_t)k > max)
                break;
            if (sep)
                buf_addch(&b, '-');
            dash = false;
            buf_add(&b, s + i, (size_t)k);
        } else {
            dash = true;
        }
        i += (size_t)k;
    }
    free(folded);
    return buf_detach(&b, NULL);
}

bool
slug_valid(const char *s, size_t n)
{
    if (n == 0 || n > 200 || !utf8_valid(s, n) || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !(c == '-' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}
