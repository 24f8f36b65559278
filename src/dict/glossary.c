/*
 * The glossary of an article: every word of its text, reduced to its
 * dictionary forms, with the short entries of those forms, as one JSON
 * document that the page loads once when the reader turns the dictionary
 * on. Words no dictionary knows map to an empty list, so the pop-up can
 * say so without a request. Common function words are left out.
 */
#include "dict/dict_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define GLOSSARY_WORDS_MAX 4000
#define GLOSSARY_TEXT_MAX (1u << 20)

/* Sorted, for bsearch. */
static const char *const stopwords[] = {
    "a",     "about", "after", "all",   "also",  "an",    "and",   "any",   "are",   "as",
    "at",    "be",    "been",  "but",   "by",    "can",   "could", "did",   "do",    "does",
    "for",   "from",  "had",   "has",   "have",  "he",    "her",   "hers",  "him",   "his",
    "i",     "if",    "in",    "into",  "is",    "it",    "its",   "me",    "my",    "no",
    "not",   "of",    "on",    "or",    "our",   "she",   "so",    "than",  "that",  "the",
    "their", "them",  "then",  "there", "these", "they",  "this",  "those", "to",    "us",
    "was",   "we",    "were",  "what",  "when",  "which", "who",   "whom",  "whose", "will",
    "with",  "would", "you",   "your",
};

static int
cmp_str(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static bool
is_stopword(const char *key)
{
    return bsearch(key, stopwords, ARRAY_SIZE(stopwords), sizeof(char *), cmp_str) != NULL;
}

static bool
token_cp(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '\'' || cp == '-';
    if (cp == 0x2019)
        return true;
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

struct glossary {
    const struct dict *d;
    json_t *words;
    json_t *entries;
    size_t nwords;
};

static void
add_key(struct glossary *g, const char *key, size_t kn, int depth);

/* "Pyongyang-Beijing": the parts as words of their own. */
static void
add_parts(struct glossary *g, const char *key, size_t kn, int depth)
{
    size_t start = 0;
    for (size_t i = 0; i <= kn; i++) {
        if (i < kn && key[i] != '-')
            continue;
        if (i > start)
            add_key(g, key + start, i - start, depth + 1);
        start = i + 1;
    }
}

static void
add_key(struct glossary *g, const char *key, size_t kn, int depth)
{
    char k[DICT_WORD_MAX + 1];
    memcpy(k, key, kn);
    k[kn] = '\0';
    if (kn < 2 || is_stopword(k) || json_object_get(g->words, k) || g->nwords >= GLOSSARY_WORDS_MAX)
        return;
    struct dict_lemma lemmas[DICT_LEMMAS_MAX];
    size_t n = dict_lemmas(g->d, k, kn, lemmas, DICT_LEMMAS_MAX);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        char head[DICT_WORD_MAX + 8];
        for (size_t c = 0; c <= lemmas[i].len; c++)
            head[c] = lemmas[i].word[c] == '_' ? ' ' : lemmas[i].word[c];
        json_array_append_new(list, json_string(head));
        if (json_object_get(g->entries, head) == NULL)
            json_object_set_new(g->entries, head, dict_entry_json(g->d, &lemmas[i], false));
    }
    json_object_set_new(g->words, k, list);
    g->nwords++;
    if (n == 0 && depth == 0 && memchr(k, '-', kn))
        add_parts(g, k, kn, depth);
}

static void
add_token(struct glossary *g, const char *p, size_t n)
{
    char key[DICT_WORD_MAX + 1];
    size_t kn = dict_word_key(p, n, key);
    if (kn)
        add_key(g, key, kn, 0);
}

int
dict_glossary_build(const struct dict *d, const char *text, size_t n, struct buf *out)
{
    if (n > GLOSSARY_TEXT_MAX)
        n = GLOSSARY_TEXT_MAX;
    struct glossary g = {.d = d, .words = json_object(), .entries = json_object()};
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    size_t start = SIZE_MAX;
    for (size_t i = 0; i <= n;) {
        utf8proc_int32_t cp = ' ';
        utf8proc_ssize_t k = 1;
        if (i < n && s[i] < 0x80)
            cp = s[i];
        else if (i < n)
            k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            k = 1;
            cp = ' ';
        }
        bool in = i < n && token_cp(cp);
        if (in && start == SIZE_MAX)
            start = i;
        if (!in && start != SIZE_MAX) {
            if (i - start <= DICT_WORD_MAX)
                add_token(&g, text + start, i - start);
            start = SIZE_MAX;
        }
        i += (size_t)k;
    }
    json_t *root = json_pack("{s:i, s:s, s:o, s:o}", "v", 1, "lang", d->language, "words",
                             g.words, "entries", g.entries);
    size_t size = json_dumpb(root, NULL, 0, JSON_COMPACT);
    int rc = -1;
    if (size) {
        char *tmp = xmalloc(size);
        json_dumpb(root, tmp, size, JSON_COMPACT);
        buf_add(out, tmp, size);
        free(tmp);
        rc = out->overflow ? -1 : 0;
    }
    json_decref(root);
    return rc;
}
