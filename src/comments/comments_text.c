/*
 * The text of a comment: cleaning and measuring, display names, word
 * lists, and finding links. Unicode work is core's (utf8proc); nothing
 * here counts characters another way.
 */
#include "comments/comments.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_MAX_CHARS 40
#define LINK_MAX_BYTES 2000

enum comments_result
comments_text_check(const char *p, size_t n, int max_chars, char **out, long *chars)
{
    *out = NULL;
    *chars = 0;
    if (n > COMMENTS_MAX_BYTES)
        return COMMENTS_TOO_LONG; /* far too long to be worth counting */
    if (!utf8_valid(p, n))
        return COMMENTS_BAD_TEXT;
    size_t len;
    char *clean = text_clean(p, n, true, &len);
    if (clean == NULL)
        return COMMENTS_BAD_TEXT;
    if (len == 0) {
        free(clean);
        return COMMENTS_EMPTY;
    }
    long count = text_length(clean, len);
    if (count < 0) {
        free(clean);
        return COMMENTS_BAD_TEXT;
    }
    *out = clean;
    *chars = count;
    return count > max_chars ? COMMENTS_TOO_LONG : COMMENTS_OK;
}

/* Cuts s (NFC, valid) after max user-perceived characters. */
static void
cut_chars(char *s, size_t len, long max)
{
    /* shorten byte by byte from the end would be quadratic; walk forward
     * over code points and measure prefixes at each boundary instead */
    size_t end = len;
    while (end > 0 && text_length(s, end) > max) {
        end--;
        while (end > 0 && ((unsigned char)s[end] & 0xC0) == 0x80)
            end--;
    }
    s[end] = '\0';
}

char *
comments_name_clean(const char *p, size_t n)
{
    if (n > 1024 || !utf8_valid(p, n))
        return xstrdup("");
    size_t len;
    char *clean = text_clean(p, n, false, &len);
    if (clean == NULL)
        return xstrdup("");
    if (text_length(clean, len) > NAME_MAX_CHARS)
        cut_chars(clean, len, NAME_MAX_CHARS);
    /* trailing space left by the cut */
    len = strlen(clean);
    while (len && clean[len - 1] == ' ')
        clean[--len] = '\0';
    return clean;
}

/* --- word lists --- */

struct comments_word {
    char *folded;
    size_t len;
    bool banned;
};

struct comments_words {
    struct comments_word *items;
    size_t n, cap;
};

struct comments_words *
comments_words_new(void)
{
    return xcalloc(1, sizeof(struct comments_words));
}

void
comments_words_free(struct comments_words *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; i < w->n; i++)
        free(w->items[i].folded);
    free(w->items);
    free(w);
}

void
comments_words_add(struct comments_words *w, const char *word, bool banned)
{
    size_t n = strlen(word);
    if (n == 0 || n > 200)
        return;
    size_t clen;
    char *clean = text_clean(word, n, false, &clen);
    if (clean == NULL || clen == 0) {
        free(clean);
        return;
    }
    size_t flen;
    char *folded = utf8_fold(clean, clen, &flen);
    free(clean);
    if (folded == NULL || flen == 0) {
        free(folded);
        return;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->items = xrealloc(w->items, w->cap * sizeof(*w->items));
    }
    w->items[w->n++] = (struct comments_word){folded, flen, banned};
}

void
comments_words_add_list(struct comments_words *w, const char *list, bool banned)
{
    if (list == NULL)
        return;
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *one = xstrndup(p, n);
        comments_words_add(w, one, banned);
        free(one);
        p += n + (comma ? 1 : 0);
    }
}

static bool
ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether word occurs in text at a place its edges allow. */
static bool
word_found(const char *text, size_t tlen, const struct comments_word *wd)
{
    const char *p = text;
    const char *end = text + tlen;
    bool start_alnum = ascii_alnum((unsigned char)wd->folded[0]);
    bool end_alnum = ascii_alnum((unsigned char)wd->folded[wd->len - 1]);
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), wd->folded, wd->len);
        if (hit == NULL)
            return false;
        bool left_ok = !start_alnum || hit == text || !ascii_alnum((unsigned char)hit[-1]);
        const char *after = hit + wd->len;
        bool right_ok = !end_alnum || after == end || !ascii_alnum((unsigned char)*after);
        if (left_ok && right_ok)
            return true;
        p = hit + 1;
    }
    return false;
}

enum comments_words_verdict
comments_words_check(const struct comments_words *w, const char *text, size_t n)
{
    if (w == NULL || w->n == 0)
        return COMMENTS_WORDS_CLEAN;
    size_t flen;
    char *folded = utf8_fold(text, n, &flen);
    if (folded == NULL)
        return COMMENTS_WORDS_BANNED; /* not text at all: never let it through */
    enum comments_words_verdict v = COMMENTS_WORDS_CLEAN;
    for (size_t i = 0; i < w->n && v != COMMENTS_WORDS_BANNED; i++) {
        if (!word_found(folded, flen, &w->items[i]))
            continue;
        v = w->items[i].banned ? COMMENTS_WORDS_BANNED : COMMENTS_WORDS_SUSPECT;
    }
    free(folded);
    return v;
}

/* --- links --- */

static bool
url_char(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7f)
        return false;
    return strchr("<>\"'`{}|\\^", c) == NULL;
}

/* Length of the link starting at p (which begins with a scheme), or 0. */
static size_t
link_length(const char *p, size_t n)
{
    size_t scheme = strncasecmp(p, "https://", 8) == 0 ? 8 : 7;
    size_t i = scheme;
    while (i < n && i < LINK_MAX_BYTES && url_char((unsigned char)p[i]))
        i++;
    if (i < n && i == LINK_MAX_BYTES && url_char((unsigned char)p[i]))
        return 0; /* too long to be a link: left as text */
    /* trailing punctuation belongs to the sentence, and an unbalanced ')' too */
    while (i > scheme) {
        char c = p[i - 1];
        if (strchr(".,;:!?*", c)) {
            i--;
            continue;
        }
        if (c == ')') {
            size_t open = 0, close = 0;
            for (size_t k = scheme; k < i; k++)
                open += p[k] == '(', close += p[k] == ')';
            if (close > open) {
                i--;
                continue;
            }
        }
        break;
    }
    /* a host is needed: something before the first '/', '?' or '#' */
    size_t host = scheme;
    while (host < i && p[host] != '/' && p[host] != '?' && p[host] != '#')
        host++;
    if (host == scheme || memchr(p + scheme, '@', host - scheme))
        return 0;
    return i;
}

static bool
scheme_at(const char *p, size_t n)
{
    return (n >= 8 && strncasecmp(p, "https://", 8) == 0) ||
           (n >= 7 && strncasecmp(p, "http://", 7) == 0);
}

void
comments_linkify(const char *text, size_t n, comments_piece_fn fn, void *ctx)
{
    size_t plain = 0, i = 0;
    while (i < n) {
        bool boundary = i == 0 || !ascii_alnum((unsigned char)text[i - 1]);
        size_t len = boundary && scheme_at(text + i, n - i) ? link_length(text + i, n - i) : 0;
        if (len == 0) {
            i++;
            continue;
        }
        if (i > plain)
            fn(text + plain, i - plain, false, ctx);
        fn(text + i, len, true, ctx);
        i += len;
        plain = i;
    }
    if (n > plain)
        fn(text + plain, n - plain, false, ctx);
}
