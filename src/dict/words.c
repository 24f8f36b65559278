/*
 * Words as readers send them and as dictionaries key them: cleaning a
 * query, the glossary key of a word of a text, the folded key of a
 * headword, and the brief line of an entry. Unicode properties and case
 * come from utf8proc.
 */
#include "dict/dict_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

const char *
dict_word_error(enum dict_word_status st)
{
    switch (st) {
    case DICT_WORD_OK: return "ok";
    case DICT_WORD_EMPTY: return "type a word to look up";
    case DICT_WORD_TOO_LONG: return "a word to look up is at most 64 bytes long";
    case DICT_WORD_BAD_CHAR: return "a word to look up has only letters, hyphens and apostrophes";
    case DICT_WORD_BAD_UTF8: return "the word is not valid UTF-8";
    }
    return "bad word";
}

static bool
is_apostrophe(utf8proc_int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018;
}

static bool
is_space(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
}

/* Appends cp to out[*len] if it fits under max; false if not. */
static bool
put(char *out, size_t *len, size_t max, utf8proc_int32_t cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t k = utf8proc_encode_char(cp, tmp);
    if (*len + (size_t)k > max)
        return false;
    memcpy(out + *len, tmp, (size_t)k);
    *len += (size_t)k;
    return true;
}

enum dict_word_status
dict_word_clean(const char *p, size_t n, char *out, size_t *outlen)
{
    *outlen = 0;
    out[0] = '\0';
    if (n > 4 * DICT_WORD_MAX)
        return DICT_WORD_TOO_LONG;
    size_t len;
    char *nfc = utf8_nfc(p, n, &len);
    if (nfc == NULL)
        return DICT_WORD_BAD_UTF8;
    enum dict_word_status st = DICT_WORD_OK;
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < len && st == DICT_WORD_OK;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)nfc + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            st = DICT_WORD_BAD_UTF8;
            break;
        }
        i += (size_t)k;
        if (is_space(cp)) {
            space = o > 0;
            continue;
        }
        if (is_apostrophe(cp))
            cp = '\'';
        else if (cp != '-' && !utf8_is_letter(cp))
            st = DICT_WORD_BAD_CHAR;
        if (st == DICT_WORD_OK && ((space && !put(out, &o, DICT_WORD_MAX, ' ')) ||
                                   !put(out, &o, DICT_WORD_MAX, cp)))
            st = DICT_WORD_TOO_LONG;
        space = false;
    }
    free(nfc);
    if (st == DICT_WORD_OK && o == 0)
        st = DICT_WORD_EMPTY;
    if (st != DICT_WORD_OK)
        o = 0;
    out[o] = '\0';
    *outlen = o;
    return st;
}

size_t
dict_word_key(const char *p, size_t n, char *out)
{
    size_t o = 0;
    bool letter = false;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        if ((unsigned char)p[i] < 0x80) {
            cp = (unsigned char)p[i++];
        } else {
            utf8proc_ssize_t k =
                utf8proc_iterate((const utf8proc_uint8_t *)p + i, (utf8proc_ssize_t)(n - i), &cp);
            if (k <= 0)
                return 0;
            i += (size_t)k;
        }
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        else if (cp >= 0x80)
            cp = utf8proc_tolower(cp);
        if (is_apostrophe(cp))
            cp = '\'';
        else if (is_space(cp))
            cp = '_';
        else if (cp >= '0' && cp <= '9')
            return 0;
        letter |= cp != '\'' && cp != '-' && cp != '_';
        if (!put(out, &o, DICT_WORD_MAX, cp))
            return 0;
    }
    /* the possessive: "china's" -> "china", "leaders'" -> "leaders" */
    if (o > 2 && out[o - 2] == '\'' && out[o - 1] == 's')
        o -= 2;
    size_t start = 0;
    while (start < o && (out[start] == '\'' || out[start] == '-' || out[start] == '_'))
        start++;
    while (o > start && (out[o - 1] == '\'' || out[o - 1] == '-' || out[o - 1] == '_'))
        o--;
    if (!letter || o == start)
        return 0;
    memmove(out, out + start, o - start);
    o -= start;
    out[o] = '\0';
    return o;
}

size_t
dict_key_fold(const char *p, size_t n, char *out, size_t max)
{
    char *folded = NULL;
    bool ascii = true;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = (unsigned char)p[i] < 0x80;
    if (!ascii) {
        folded = utf8_fold(p, n, &n);
        if (folded == NULL)
            return 0;
        p = folded;
    }
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 'a' - 'A');
        if (c == '_' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = o > 0;
            continue;
        }
        if (o + (space ? 2 : 1) > max) {
            o = 0;
            break;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = c;
    }
    free(folded);
    if (o < max)
        out[o] = '\0';
    return o;
}

static bool
starts(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

/* A line that is not a meaning: examples in quotes, cross references,
 * notes, synonyms. */
static bool
side_line(const char *p, size_t n)
{
    return n == 0 || p[0] == '"' || starts(p, n, "see:") || starts(p, n, "See:") ||
           starts(p, n, "Note:") || starts(p, n, "Synonym") || starts(p, n, "Syn:") ||
           starts(p, n, "Antonym");
}

struct str
dict_text_brief(const char *text, size_t n)
{
    struct str first = {text, 0};
    bool have_first = false;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - text) : n;
        size_t s = i, e = end;
        while (s < e && (text[s] == ' ' || text[s] == '\t'))
            s++;
        while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t'))
            e--;
        if (e > s && !have_first) {
            first = (struct str){text + s, e - s};
            have_first = true;
        }
        if (!side_line(text + s, e - s))
            return (struct str){text + s, e - s};
        i = end + 1;
    }
    return first;
}
