/*
 * The glossary of an article: every word of its text, reduced to its
 * dictionary forms, with the short entries of those forms, as one JSON
 * document that the page loads once when the reader turns the dictionary
 * on. Words no dictionary knows map to an empty list, so the pop-up can
 * say so without a request. Common function words are left out. A verb
 * followed by a particle that WordNet knows as a phrasal verb ("cozying
 * up" -> "cozy up") is listed under "phrases" by its first word.
 *
 * Written in one pass into two buffers (the "words" map and the
 * "entries" map), with two small hash sets so that each word and each
 * lemma is handled once; strings go through render's JSON escaper.
 */
#include "dict/dict_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "render/render.h"

#define GLOSSARY_WORDS_MAX 4000
#define GLOSSARY_TEXT_MAX (1u << 20)
#define SET_SLOTS 16384 /* > 2 * (GLOSSARY_WORDS_MAX + lemmas) */

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
    return cp == 0x2019 || utf8_is_letter(cp);
}

/* A set of short strings: offsets into one pool, open addressing. */
struct set {
    uint32_t slot[SET_SLOTS]; /* offset + 1 into pool; 0 is empty */
    struct buf pool;          /* NUL-terminated strings */
    size_t n;
};

/* Adds s; false if it was there already (or the set is full). */
static bool
set_add(struct set *st, const char *s, size_t n)
{
    if (st->n >= SET_SLOTS / 2)
        return false;
    size_t i = (size_t)hash64(s, n) & (SET_SLOTS - 1);
    for (; st->slot[i]; i = (i + 1) & (SET_SLOTS - 1)) {
        const char *t = st->pool.p + st->slot[i] - 1;
        if (strncmp(t, s, n) == 0 && t[n] == '\0')
            return false;
    }
    st->slot[i] = (uint32_t)st->pool.len + 1;
    buf_add(&st->pool, s, n);
    buf_addch(&st->pool, '\0');
    st->n++;
    return true;
}

struct glossary {
    const struct dict *d;
    struct set *words, *lemmas, *phrases;
    struct buf wout, eout, pout; /* the three maps' members */
    char prev[DICT_WORD_MAX + 1]; /* the previous word, if only spaces came between */
    size_t prevlen;
};

/* Particles of phrasal verbs, sorted. */
static const char *const particles[] = {
    "about", "across", "along", "apart", "around", "aside", "away", "back", "down",
    "forward", "in", "off", "on", "out", "over", "through", "together", "up",
};

static bool
is_particle(const char *key)
{
    return bsearch(key, particles, ARRAY_SIZE(particles), sizeof(char *), cmp_str) != NULL;
}

static void add_key(struct glossary *g, const char *key, size_t kn, int depth);

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
add_lemma(struct glossary *g, const struct dict_lemma *l, const char *head)
{
    if (!set_add(g->lemmas, head, l->len))
        return;
    if (g->eout.len)
        buf_addch(&g->eout, ',');
    esc_json_string(&g->eout, head, l->len);
    buf_addch(&g->eout, ':');
    dict_entry_write(g->d, l, &g->eout);
}

static void
add_key(struct glossary *g, const char *key, size_t kn, int depth)
{
    char k[DICT_WORD_MAX + 1];
    memcpy(k, key, kn);
    k[kn] = '\0';
    if (kn < 2 || is_stopword(k) || g->words->n >= GLOSSARY_WORDS_MAX || !set_add(g->words, k, kn))
        return;
    struct dict_lemma lemmas[DICT_LEMMAS_MAX];
    size_t n = dict_lemmas_of_key(g->d, k, kn, lemmas, DICT_LEMMAS_MAX);
    if (g->wout.len)
        buf_addch(&g->wout, ',');
    esc_json_string(&g->wout, k, kn);
    buf_adds(&g->wout, ":[");
    for (size_t i = 0; i < n; i++) {
        char head[DICT_WORD_MAX + 8];
        for (size_t c = 0; c <= lemmas[i].len; c++)
            head[c] = lemmas[i].word[c] == '_' ? ' ' : lemmas[i].word[c];
        if (i)
            buf_addch(&g->wout, ',');
        esc_json_string(&g->wout, head, lemmas[i].len);
        add_lemma(g, &lemmas[i], head);
    }
    buf_addch(&g->wout, ']');
    if (n == 0 && depth == 0 && memchr(k, '-', kn))
        add_parts(g, k, kn, depth);
}

/* "cozying" then "up": WordNet's "cozy up" under "cozying". */
static void
add_phrase(struct glossary *g, const char *key, size_t kn)
{
    char both[2 * DICT_WORD_MAX + 2];
    if (g->prevlen == 0 || !is_particle(key) || g->prevlen + 1 + kn > DICT_WORD_MAX)
        return;
    memcpy(both, g->prev, g->prevlen);
    both[g->prevlen] = '_';
    memcpy(both + g->prevlen + 1, key, kn + 1);
    struct dict_lemma lemmas[DICT_LEMMAS_MAX];
    size_t n = dict_lemmas_of_key(g->d, both, g->prevlen + 1 + kn, lemmas, DICT_LEMMAS_MAX);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!memchr(lemmas[i].word, '_', lemmas[i].len) || !(lemmas[i].posmask & (1u << DICT_VERB)))
            continue;
        if (k == 0) {
            if (!set_add(g->phrases, g->prev, g->prevlen))
                return; /* the word has its phrase already */
            if (g->pout.len)
                buf_addch(&g->pout, ',');
            esc_json_string(&g->pout, g->prev, g->prevlen);
            buf_adds(&g->pout, ":[");
        }
        char head[DICT_WORD_MAX + 8];
        for (size_t c = 0; c <= lemmas[i].len; c++)
            head[c] = lemmas[i].word[c] == '_' ? ' ' : lemmas[i].word[c];
        if (k++)
            buf_addch(&g->pout, ',');
        esc_json_string(&g->pout, head, lemmas[i].len);
        add_lemma(g, &lemmas[i], head);
    }
    if (k)
        buf_addch(&g->pout, ']');
}

static void
add_token(struct glossary *g, const char *p, size_t n, bool adjacent)
{
    char key[DICT_WORD_MAX + 1];
    size_t kn = dict_word_key(p, n, key);
    if (!adjacent)
        g->prevlen = 0;
    if (kn == 0) {
        g->prevlen = 0;
        return;
    }
    add_phrase(g, key, kn);
    add_key(g, key, kn, 0);
    memcpy(g->prev, key, kn + 1);
    g->prevlen = kn;
}

/* Only spaces between two words (no punctuation, no line break). */
static bool
only_spaces(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ')
            return false;
    return true;
}

static void
tokens(struct glossary *g, const char *text, size_t n)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    size_t start = SIZE_MAX, last_end = 0;
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
            bool adjacent = last_end && only_spaces(text + last_end, start - last_end);
            if (i - start <= DICT_WORD_MAX)
                add_token(g, text + start, i - start, adjacent);
            else
                g->prevlen = 0;
            start = SIZE_MAX;
            last_end = i;
        }
        i += (size_t)k;
    }
}

int
dict_glossary_build(const struct dict *d, const char *text, size_t n, struct buf *out)
{
    if (n > GLOSSARY_TEXT_MAX)
        n = GLOSSARY_TEXT_MAX;
    struct glossary g = {.d = d, .wout = BUF_INIT, .eout = BUF_INIT};
    g.words = xcalloc(1, sizeof(struct set));
    g.lemmas = xcalloc(1, sizeof(struct set));
    g.phrases = xcalloc(1, sizeof(struct set));
    tokens(&g, text, n);
    buf_adds(out, "{\"v\":1,\"lang\":");
    esc_json_string(out, d->language, strlen(d->language));
    buf_adds(out, ",\"words\":{");
    buf_add(out, g.wout.p ? g.wout.p : "", g.wout.len);
    buf_adds(out, "},\"phrases\":{");
    buf_add(out, g.pout.p ? g.pout.p : "", g.pout.len);
    buf_adds(out, "},\"entries\":{");
    buf_add(out, g.eout.p ? g.eout.p : "", g.eout.len);
    buf_adds(out, "}}");
    buf_release(&g.wout);
    buf_release(&g.eout);
    buf_release(&g.pout);
    struct set *sets[] = {g.words, g.lemmas, g.phrases};
    for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
        buf_release(&sets[i]->pool);
        free(sets[i]);
    }
    return out->overflow ? -1 : 0;
}
