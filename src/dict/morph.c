/*
 * WordNet's morphology, after the rules that morphy(7WN) describes: for
 * each part of speech, the exception list first (held -> hold, mice ->
 * mouse); if it has nothing, the detachment rules in order, the first
 * candidate that the index has winning (summits -> summit, relations ->
 * relation); and the word itself when the index has it. Collocations
 * inflect their first word as verbs ("cozying up" -> "cozy up") and their
 * last word as nouns.
 *
 * Our additions, which WordNet's own morphy lacks: consonant doubling
 * (hopped -> hop when the lists miss it), -ied/-ier/-iest -> -y, and, when
 * no part of speech gives anything, the verb and noun rules checked against
 * every index ("cozying" -> the adjective "cozy", for WordNet has no verb
 * "cozy").
 */
#include "dict/dict_int.h"

#include <string.h>

struct rule {
    const char *suffix;
    const char *repl;
};

static const struct rule noun_rules[] = {
    {"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"},
    {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"},
};
static const struct rule verb_rules[] = {
    {"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"},
    {"ed", ""}, {"ing", "e"}, {"ing", ""}, {"ied", "y"},
};
static const struct rule adj_rules[] = {
    {"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}, {"ier", "y"}, {"iest", "y"},
};

struct rules {
    const struct rule *r;
    size_t n;
};

static const struct rules pos_rules[DICT_NPOS] = {
    {noun_rules, ARRAY_SIZE(noun_rules)},
    {verb_rules, ARRAY_SIZE(verb_rules)},
    {adj_rules, ARRAY_SIZE(adj_rules)},
    {NULL, 0}, /* adverbs: the exception list only */
};

#define CAND_MAX (DICT_WORD_MAX + 8)

/* What the search found, before grouping by lemma. */
struct found {
    char word[CAND_MAX];
    size_t len;
    unsigned posmask;
    bool surface;
};

struct search {
    const struct wordnet *wn;
    const char *w;
    size_t n;
    struct found *f;
    size_t nf, max;
    const struct wn_exc *exc; /* the word's exception records, looked up once */
    size_t nexc;
    const struct wn_lemma *self; /* the word's own lemma records */
    size_t nself;
};

static void
add(struct search *s, const char *w, size_t n, enum dict_pos pos)
{
    bool surface = n == s->n && memcmp(w, s->w, n) == 0;
    for (size_t i = 0; i < s->nf; i++) {
        if (s->f[i].len == n && memcmp(s->f[i].word, w, n) == 0) {
            s->f[i].posmask |= 1u << pos;
            return;
        }
    }
    if (s->nf == s->max || n >= CAND_MAX)
        return;
    struct found *f = &s->f[s->nf++];
    memcpy(f->word, w, n);
    f->word[n] = '\0';
    f->len = n;
    f->posmask = 1u << pos;
    f->surface = surface;
}

static bool
ends_with(const char *w, size_t n, const char *suffix, size_t sn)
{
    return n > sn && memcmp(w + n - sn, suffix, sn) == 0;
}

/* stem + repl into cand; its length, or 0 if it would not fit */
static size_t
candidate(char *cand, const char *w, size_t stem, const char *repl)
{
    size_t rn = strlen(repl);
    if (stem == 0 || stem + rn >= CAND_MAX)
        return 0;
    memcpy(cand, w, stem);
    memcpy(cand + stem, repl, rn);
    cand[stem + rn] = '\0';
    return stem + rn;
}

static bool
is_consonant(char c)
{
    return c >= 'a' && c <= 'z' && !strchr("aeiouy", c);
}

/* hopped -> hop, bigger -> big: a doubled final consonant before -ed,
 * -ing, -er, -est. */
static size_t
undouble(char *cand, const char *w, size_t n, enum dict_pos pos)
{
    static const char *const verb[] = {"ing", "ed"};
    static const char *const adj[] = {"er", "est"};
    const char *const *suf = pos == DICT_VERB ? verb : adj;
    for (size_t i = 0; i < 2; i++) {
        size_t sn = strlen(suf[i]);
        if (!ends_with(w, n, suf[i], sn) || n - sn < 3)
            continue;
        size_t stem = n - sn;
        if (w[stem - 1] == w[stem - 2] && is_consonant(w[stem - 1]) && w[stem - 1] != 's')
            return candidate(cand, w, stem - 1, "");
    }
    return 0;
}

/* The rules of pos on a single word; the first candidate the index of
 * check has wins. Returns its length in cand, or 0. */
static size_t
apply_rules(const struct wordnet *wn, const char *w, size_t n, enum dict_pos pos, int check,
            char *cand)
{
    const struct rules *rs = &pos_rules[pos];
    if (pos == DICT_NOUN && (n <= 2 || ends_with(w, n, "ss", 2)))
        return 0;
    for (size_t i = 0; i < rs->n; i++) {
        size_t sn = strlen(rs->r[i].suffix);
        if (!ends_with(w, n, rs->r[i].suffix, sn))
            continue;
        size_t cn = candidate(cand, w, n - sn, rs->r[i].repl);
        if (cn == 0 || (cn == n && memcmp(cand, w, n) == 0))
            continue;
        const struct wn_lemma *first;
        bool have = check < 0 ? wn_find(wn, cand, cn, &first) > 0
                              : wn_find_pos(wn, cand, cn, (enum dict_pos)check) != NULL;
        if (have)
            return cn;
    }
    if (pos == DICT_VERB || pos == DICT_ADJ) {
        size_t cn = undouble(cand, w, n, pos);
        const struct wn_lemma *first;
        if (cn && (check < 0 ? wn_find(wn, cand, cn, &first) > 0
                             : wn_find_pos(wn, cand, cn, (enum dict_pos)check) != NULL))
            return cn;
    }
    return 0;
}

/* Exceptions of pos; true if the list had the word. */
static bool
add_exceptions(struct search *s, enum dict_pos pos)
{
    bool any = false;
    for (size_t i = 0; i < s->nexc; i++) {
        if (s->exc[i].pos != pos)
            continue;
        add(s, s->wn->pool + s->exc[i].base, s->exc[i].base_len, pos);
        any = true;
    }
    return any;
}

/* The collocation with part replaced by base: "cozy" + "_up". */
static void
try_collocation(struct search *s, enum dict_pos pos, size_t split, const char *base, size_t bn)
{
    char cand[2 * CAND_MAX];
    const char *w = s->w;
    size_t n = s->n, cn;
    if (pos == DICT_VERB) {
        memcpy(cand, base, bn);
        memcpy(cand + bn, w + split, n - split);
        cn = bn + n - split;
    } else {
        memcpy(cand, w, split + 1);
        memcpy(cand + split + 1, base, bn);
        cn = split + 1 + bn;
    }
    if (cn < CAND_MAX && wn_find_pos(s->wn, cand, cn, pos))
        add(s, cand, cn, pos);
}

/* "cozying_up" -> "cozy_up" (verbs: the first word), "prime_ministers" ->
 * "prime_minister" (nouns: the last word): the exceptions of that word,
 * then each rule's stem, the first collocation the index has winning. */
static void
collocation(struct search *s, enum dict_pos pos)
{
    const char *w = s->w;
    size_t n = s->n, split = n;
    if (pos == DICT_VERB) {
        const char *us = memchr(w, '_', n);
        split = us ? (size_t)(us - w) : n;
    } else if (pos == DICT_NOUN) {
        while (split > 0 && w[split - 1] != '_')
            split--;
        split = split ? split - 1 : n;
    }
    if (split == n || split == 0)
        return;
    const char *part = pos == DICT_VERB ? w : w + split + 1;
    size_t plen = pos == DICT_VERB ? split : n - split - 1;
    size_t before = s->nf;
    const struct wn_exc *e;
    size_t count = wn_exc_find(s->wn, part, plen, &e);
    for (size_t i = 0; i < count && s->nf == before; i++)
        if (e[i].pos == pos)
            try_collocation(s, pos, split, s->wn->pool + e[i].base, e[i].base_len);
    const struct rules *rs = &pos_rules[pos];
    for (size_t i = 0; i < rs->n && s->nf == before; i++) {
        size_t sn = strlen(rs->r[i].suffix);
        char base[CAND_MAX];
        size_t bn = ends_with(part, plen, rs->r[i].suffix, sn)
                        ? candidate(base, part, plen - sn, rs->r[i].repl)
                        : 0;
        if (bn)
            try_collocation(s, pos, split, base, bn);
    }
}

static void
search_pos(struct search *s, enum dict_pos pos)
{
    char cand[CAND_MAX];
    if (!add_exceptions(s, pos)) {
        if (memchr(s->w, '_', s->n)) {
            if (pos == DICT_VERB || pos == DICT_NOUN)
                collocation(s, pos);
        } else {
            size_t cn = apply_rules(s->wn, s->w, s->n, pos, (int)pos, cand);
            if (cn)
                add(s, cand, cn, pos);
        }
    }
    for (size_t i = 0; i < s->nself; i++)
        if (s->self[i].pos == pos)
            add(s, s->w, s->n, pos);
}

/* Nothing anywhere: verb and noun rules against every index. */
static void
search_any(struct search *s)
{
    static const enum dict_pos order[] = {DICT_VERB, DICT_NOUN, DICT_ADJ};
    char cand[CAND_MAX];
    for (size_t i = 0; i < ARRAY_SIZE(order) && s->nf == 0; i++) {
        size_t cn = apply_rules(s->wn, s->w, s->n, order[i], -1, cand);
        if (cn == 0)
            continue;
        const struct wn_lemma *r;
        size_t count = wn_find(s->wn, cand, cn, &r);
        for (size_t k = 0; k < count; k++)
            add(s, cand, cn, (enum dict_pos)r[k].pos);
    }
}

size_t
morph_lemmas(const struct wordnet *wn, const char *w, size_t n, struct dict_lemma *out, size_t max)
{
    if (wn->lemmas == NULL || n == 0 || n > DICT_WORD_MAX)
        return 0;
    struct found f[16];
    struct search s = {.wn = wn, .w = w, .n = n, .f = f, .max = ARRAY_SIZE(f)};
    s.nexc = wn_exc_find(wn, w, n, &s.exc);
    s.nself = wn_find(wn, w, n, &s.self);
    for (int pos = 0; pos < DICT_NPOS; pos++)
        search_pos(&s, (enum dict_pos)pos);
    if (s.nf == 0)
        search_any(&s);
    /* reduced forms first, then the word itself */
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < s.nf && k < max; i++) {
            if (f[i].surface != (pass == 1))
                continue;
            memcpy(out[k].word, f[i].word, f[i].len + 1);
            out[k].len = f[i].len;
            out[k].posmask = f[i].posmask;
            out[k].surface = f[i].surface;
            k++;
        }
    }
    return k;
}
