/*
 * The search query language and the Korean pieces. See search.h.
 */
#include "search/search.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/core.h"

bool
search_is_cjk(int32_t cp)
{
    return (cp >= 0xAC00 && cp <= 0xD7A3) || /* Hangul syllables */
           (cp >= 0x1100 && cp <= 0x11FF) || /* Hangul jamo */
           (cp >= 0x3130 && cp <= 0x318F) || /* Hangul compatibility jamo */
           (cp >= 0xA960 && cp <= 0xA97F) || /* Hangul jamo extended-A */
           (cp >= 0xD7B0 && cp <= 0xD7FF) || /* Hangul jamo extended-B */
           (cp >= 0x3040 && cp <= 0x30FF) || /* Hiragana, Katakana */
           (cp >= 0x3400 && cp <= 0x4DBF) || /* CJK extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) || /* CJK unified ideographs */
           (cp >= 0xF900 && cp <= 0xFAFF) || /* CJK compatibility ideographs */
           (cp >= 0x20000 && cp <= 0x3FFFF); /* CJK extensions B and later */
}

/* Next code point of valid UTF-8 at s[*i]; advances *i. */
static int32_t
next_cp(const char *s, size_t n, size_t *i)
{
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(n - *i), &cp);
    *i += k > 0 ? (size_t)k : 1;
    return k > 0 ? cp : -1;
}

/* Emits the bigrams of one run [start, end) of CJK characters. */
static void
run_bigrams(const char *s, size_t start, size_t end, struct buf *out)
{
    size_t i = start, prev = start;
    size_t nchars = 0;
    while (i < end) {
        size_t at = i;
        next_cp(s, end, &i);
        if (nchars++ == 0)
            continue;
        if (out->len && out->p[out->len - 1] != ' ')
            buf_addch(out, ' ');
        buf_add(out, s + prev, i - prev);
        prev = at;
    }
    if (nchars == 1) {
        if (out->len && out->p[out->len - 1] != ' ')
            buf_addch(out, ' ');
        buf_add(out, s + start, end - start);
    }
}

void
search_cjk_bigrams(const char *text, size_t n, struct buf *out)
{
    size_t i = 0, run = 0;
    bool in_run = false;
    while (i < n) {
        size_t at = i;
        int32_t cp = next_cp(text, n, &i);
        bool cjk = cp >= 0 && search_is_cjk(cp);
        if (cjk && !in_run) {
            run = at;
            in_run = true;
        } else if (!cjk && in_run) {
            run_bigrams(text, run, at, out);
            in_run = false;
        }
    }
    if (in_run)
        run_bigrams(text, run, n, out);
}

/* --- parsing a query --- */

struct parse {
    struct buf match;
    char **cjk;
    size_t ncjk;
    size_t nterms;
};

static bool
word_char(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

/* Characters FTS5's unicode61 keeps inside tokens: letters, marks,
 * numbers and symbols; punctuation, spaces and controls separate. */
static bool
token_char(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        return true;
    default:
        return word_char(cp);
    }
}

static void
add_condition(struct parse *p, const char *columns, const char *phrase, size_t len, bool prefix)
{
    if (p->match.len)
        buf_adds(&p->match, " AND ");
    buf_addf(&p->match, "%s : \"", columns);
    buf_add(&p->match, phrase, len); /* never contains '"': it separates units */
    buf_addch(&p->match, '"');
    if (prefix)
        buf_adds(&p->match, " *");
}

/* One word or quoted phrase: its Latin (and other) words become a phrase on
 * the word columns, its Hangul/Han runs a phrase of bigrams on cjk. */
static void
add_unit(struct parse *p, const char *s, size_t n, bool prefix)
{
    struct buf words = BUF_INIT, cjk = BUF_INIT;
    bool has_word = false;
    size_t i = 0;
    while (i < n) {
        size_t at = i;
        int32_t cp = next_cp(s, n, &i);
        if (cp >= 0 && search_is_cjk(cp)) {
            size_t end = i;
            while (end < n) {
                size_t k = end;
                int32_t c2 = next_cp(s, n, &k);
                if (c2 < 0 || !search_is_cjk(c2))
                    break;
                end = k;
            }
            run_bigrams(s, at, end, &cjk);
            p->cjk = xrealloc(p->cjk, (p->ncjk + 1) * sizeof(char *));
            p->cjk[p->ncjk++] = xstrndup(s + at, end - at);
            buf_addch(&words, ' ');
            i = end;
        } else if (cp >= 0 && token_char(cp)) {
            has_word |= word_char(cp);
            buf_add(&words, s + at, i - at);
        } else {
            buf_addch(&words, ' ');
        }
    }
    if (has_word)
        add_condition(p, "{headline summary body}", words.p, words.len, prefix && !cjk.len);
    /* one syllable alone is no piece of two: it matches the pieces it starts */
    bool one_char = cjk.len && !memchr(cjk.p, ' ', cjk.len) && text_length(cjk.p, cjk.len) == 1;
    if (cjk.len)
        add_condition(p, "cjk", cjk.p, cjk.len, one_char);
    if (has_word || cjk.len)
        p->nterms++;
    buf_release(&words);
    buf_release(&cjk);
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
split_units(struct parse *p, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n)
            break;
        if (s[i] == '"') {
            const char *close = memchr(s + i + 1, '"', n - i - 1);
            size_t end = close ? (size_t)(close - s) : n;
            add_unit(p, s + i + 1, end - i - 1, false);
            i = end + 1;
            continue;
        }
        size_t start = i;
        while (i < n && !is_space(s[i]) && s[i] != '"')
            i++;
        bool prefix = i - start > 1 && s[i - 1] == '*';
        add_unit(p, s + start, i - start, prefix);
    }
}

static size_t
count_quotes(const char *s, size_t n)
{
    size_t q = 0;
    for (size_t i = 0; i < n; i++)
        q += s[i] == '"';
    return q;
}

enum search_status
search_query_parse(const char *text, size_t n, struct search_query *out)
{
    memset(out, 0, sizeof(*out));
    if (!utf8_valid(text, n))
        return SEARCH_BAD_TEXT;
    long chars = text_length(text, n);
    if (chars < 0)
        return SEARCH_BAD_TEXT;
    if (chars > SEARCH_MAX_CHARS)
        return SEARCH_TOO_LONG;
    size_t len;
    char *clean = text_clean(text, n, false, &len);
    if (clean == NULL)
        return SEARCH_BAD_TEXT;
    enum search_status st = SEARCH_OK;
    struct parse p = {.match = BUF_INIT};
    if (count_quotes(clean, len) % 2) {
        st = SEARCH_UNBALANCED;
        goto out;
    }
    split_units(&p, clean, len);
    if (p.nterms == 0)
        st = SEARCH_EMPTY;
    else if (p.nterms > SEARCH_MAX_TERMS)
        st = SEARCH_TOO_MANY;
out:
    free(clean);
    if (st == SEARCH_OK) {
        out->match = buf_detach(&p.match, NULL);
        out->cjk_terms = p.cjk;
        out->ncjk = p.ncjk;
    } else {
        struct search_query tmp = {.cjk_terms = p.cjk, .ncjk = p.ncjk};
        search_query_release(&tmp);
        buf_release(&p.match);
    }
    return st;
}

void
search_query_release(struct search_query *q)
{
    free(q->match);
    for (size_t i = 0; i < q->ncjk; i++)
        free(q->cjk_terms[i]);
    free(q->cjk_terms);
    memset(q, 0, sizeof(*q));
}

const char *
search_status_text(enum search_status st)
{
    switch (st) {
    case SEARCH_OK:
        return "";
    case SEARCH_EMPTY:
        return "Type one or more words to search for.";
    case SEARCH_TOO_LONG:
        return "Your search is too long: use at most 200 characters.";
    case SEARCH_TOO_MANY:
        return "Your search has too many words: use at most 12 words or phrases.";
    case SEARCH_UNBALANCED:
        return "Your search has a quotation mark (\") without its partner: close the phrase "
               "or remove the mark.";
    case SEARCH_BAD_TEXT:
        return "Your search contains characters we cannot read: type it again.";
    }
    return "";
}

/* --- marking matches for display --- */

static void
add_segment(json_t *list, const char *p, size_t n, bool hit)
{
    if (n == 0)
        return;
    json_t *last = json_array_get(list, json_array_size(list) - 1);
    if (last && json_is_true(json_object_get(last, "hit")) == hit) {
        /* merge with the previous segment of the same kind */
        json_t *t = json_object_get(last, "text");
        struct buf b = BUF_INIT;
        buf_add(&b, json_string_value(t), json_string_length(t));
        buf_add(&b, p, n);
        json_object_set_new(last, "text", json_stringn(b.p, b.len));
        buf_release(&b);
        return;
    }
    json_array_append_new(list, json_pack("{s:s%, s:b}", "text", p, n, "hit", hit));
}

/* Earliest occurrence of any Korean term in s[0..n); its length in *len. */
static const char *
find_cjk(const char *s, size_t n, const struct search_query *q, size_t *len)
{
    const char *best = NULL;
    for (size_t i = 0; i < q->ncjk; i++) {
        size_t tl = strlen(q->cjk_terms[i]);
        const char *f = tl ? memmem(s, n, q->cjk_terms[i], tl) : NULL;
        if (f && (best == NULL || f < best || (f == best && tl > *len))) {
            best = f;
            *len = tl;
        }
    }
    return best;
}

/* Plain text: Korean terms marked. */
static void
add_plain(json_t *list, const char *s, size_t n, const struct search_query *q)
{
    while (n) {
        size_t tl = 0;
        const char *f = q ? find_cjk(s, n, q, &tl) : NULL;
        if (f == NULL) {
            add_segment(list, s, n, false);
            return;
        }
        add_segment(list, s, (size_t)(f - s), false);
        add_segment(list, f, tl, true);
        n -= (size_t)(f - s) + tl;
        s = f + tl;
    }
}

json_t *
search_marked_json(const char *marked, const struct search_query *q)
{
    json_t *list = json_array();
    const char *s = marked ? marked : "";
    while (*s) {
        const char *open = strchr(s, '\x01');
        if (open == NULL) {
            add_plain(list, s, strlen(s), q);
            break;
        }
        add_plain(list, s, (size_t)(open - s), q);
        const char *close = strchr(open + 1, '\x02');
        size_t hl = close ? (size_t)(close - open - 1) : strlen(open + 1);
        add_segment(list, open + 1, hl, true);
        s = close ? close + 1 : open + 1 + hl;
    }
    return list;
}

/* Moves back over up to chars characters from p (not before start),
 * stopping after a space when one is near. */
static const char *
back_chars(const char *start, const char *p, int chars)
{
    while (p > start && chars > 0) {
        p--;
        while (p > start && ((unsigned char)*p & 0xC0) == 0x80)
            p--;
        chars--;
        if (*p == ' ' && chars < 20)
            return p + 1;
    }
    return p;
}

static const char *
fwd_chars(const char *p, const char *end, int chars)
{
    while (p < end && chars > 0) {
        p++;
        while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
            p++;
        chars--;
    }
    return p;
}

json_t *
search_excerpt_json(const char *snippet, const char *body, const struct search_query *q)
{
    if ((snippet && strchr(snippet, '\x01')) || q == NULL || q->ncjk == 0 || body == NULL)
        return search_marked_json(snippet, q);
    size_t blen = strlen(body), tl = 0;
    const char *f = find_cjk(body, blen, q, &tl);
    if (f == NULL)
        return search_marked_json(snippet, q);
    const char *from = back_chars(body, f, 60);
    const char *to = fwd_chars(f + tl, body + blen, 140);
    struct buf b = BUF_INIT;
    if (from > body)
        buf_adds(&b, "\xe2\x80\xa6");
    buf_add(&b, from, (size_t)(to - from));
    if (to < body + blen)
        buf_adds(&b, "\xe2\x80\xa6");
    for (size_t i = 0; i < b.len; i++)
        if (b.p[i] == '\n')
            b.p[i] = ' ';
    json_t *j = search_marked_json(b.p, q);
    buf_release(&b);
    return j;
}
