/*
 * Entries as JSON (Jansson) for the pop-up, the lookup endpoint and the
 * entry page: a lemma's parts of speech, its senses (short: the first
 * sense of each part of speech, then the next ones, four in all; full:
 * every sense with examples and synonyms) and its bilingual meanings, the
 * configured language first.
 */
#include "dict/dict_int.h"

#include <string.h>

#define SHORT_SENSES 4
#define FULL_SENSES 64
#define MEANINGS_MAX 24
#define BRIEF_MAX 160
#define BRIEFS_PER_BOOK 3

/* Cuts n to at most max bytes on a character boundary. */
static size_t
cut(const char *p, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)p[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static json_t *
strn(struct str s)
{
    json_t *j = json_stringn(s.p, s.n);
    return j ? j : json_string("");
}

static void
display(const struct dict_lemma *l, char *out)
{
    for (size_t i = 0; i <= l->len; i++)
        out[i] = l->word[i] == '_' ? ' ' : l->word[i];
}

/* The synonyms of a sense: its words without the headword itself. */
static json_t *
synonyms(struct str words, const char *head)
{
    json_t *list = json_array();
    size_t hn = strlen(head);
    for (size_t i = 0; i < words.n;) {
        const char *comma = memchr(words.p + i, ',', words.n - i);
        size_t end = comma ? (size_t)(comma - words.p) : words.n;
        struct str w = {words.p + i, end - i};
        bool same = w.n == hn;
        for (size_t k = 0; same && k < hn; k++) {
            char c = w.p[k];
            same = (c >= 'A' && c <= 'Z' ? c + 32 : c) == head[k];
        }
        if (w.n && !same)
            json_array_append_new(list, strn(w));
        i = end + (comma ? 2 : 0);
    }
    return list;
}

static json_t *
sense_json(const struct dict_sense *s, const char *head, bool full)
{
    json_t *j = json_pack("{s:s, s:o}", "pos", dict_pos_name(s->pos), "def", strn(s->def));
    if (!full)
        return j;
    json_t *ex = json_array();
    struct str rest = s->examples, one;
    for (int i = 0; i < 16 && dict_example_next(&rest, &one); i++)
        if (one.n)
            json_array_append_new(ex, strn(one));
    json_object_set_new(j, "examples", ex);
    json_object_set_new(j, "synonyms", synonyms(s->words, head));
    return j;
}

/* Senses in the short order: sense 1 of each part of speech, then sense 2
 * of each, ... */
static json_t *
senses_json(const struct dict *d, const struct dict_lemma *l, const char *head, bool full,
            size_t *more)
{
    struct dict_sense buf[DICT_NPOS][FULL_SENSES];
    size_t have[DICT_NPOS] = {0}, total = 0;
    size_t want = full ? FULL_SENSES : SHORT_SENSES;
    for (int p = 0; p < DICT_NPOS; p++) {
        if (!(l->posmask & (1u << p)))
            continue;
        size_t all = dict_senses(d, l->word, l->len, (enum dict_pos)p, buf[p], want);
        have[p] = all < want ? all : want;
        total += all;
    }
    json_t *list = json_array();
    size_t shown = 0;
    if (full) {
        for (int p = 0; p < DICT_NPOS; p++)
            for (size_t i = 0; i < have[p]; i++, shown++)
                json_array_append_new(list, sense_json(&buf[p][i], head, true));
    } else {
        for (size_t round = 0; round < want && shown < want; round++)
            for (int p = 0; p < DICT_NPOS && shown < want; p++)
                if (round < have[p]) {
                    json_array_append_new(list, sense_json(&buf[p][round], head, false));
                    shown++;
                }
    }
    *more = total - shown;
    return list;
}

/* Short: one line per dictionary, its first briefs joined. */
static json_t *
meanings_short(const struct dict_meaning *m, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n;) {
        size_t k = i;
        struct buf b = BUF_INIT;
        int used = 0;
        for (; k < n && m[k].name == m[i].name; k++) {
            if (used == BRIEFS_PER_BOOK || m[k].brief.n == 0)
                continue;
            if (b.len && memmem(b.p, b.len, m[k].brief.p, m[k].brief.n))
                continue;
            if (b.len)
                buf_adds(&b, "; ");
            buf_add(&b, m[k].brief.p, m[k].brief.n);
            used++;
        }
        if (b.len) {
            size_t len = cut(b.p, b.len, BRIEF_MAX);
            if (len < b.len) {
                b.len = len;
                buf_adds(&b, "\u2026"); /* … */
            }
            json_t *text = json_stringn(b.p, b.len);
            json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "lang", m[i].lang, "dict",
                                                  m[i].name, "text",
                                                  text ? text : json_string("")));
        }
        buf_release(&b);
        i = k;
    }
    return list;
}

/* Full: per dictionary, its entries with head line and whole text. */
static json_t *
meanings_full(const struct dict_meaning *m, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n;) {
        json_t *items = json_array();
        size_t k = i;
        for (; k < n && m[k].name == m[i].name; k++)
            json_array_append_new(items, json_pack("{s:o, s:o}", "head", strn(m[k].head), "text",
                                                   strn(m[k].text)));
        json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "lang", m[i].lang, "dict",
                                              m[i].name, "items", items));
        i = k;
    }
    return list;
}

json_t *
dict_entry_json(const struct dict *d, const struct dict_lemma *l, bool full)
{
    char head[DICT_WORD_MAX + 8];
    display(l, head);
    struct buf url = BUF_INIT;
    buf_adds(&url, "/dict/");
    url_encode(&url, head, l->len);
    json_t *pos = json_array();
    for (int p = 0; p < DICT_NPOS; p++)
        if (l->posmask & (1u << p))
            json_array_append_new(pos, json_string(dict_pos_name((enum dict_pos)p)));
    size_t more = 0;
    json_t *senses = senses_json(d, l, head, full, &more);
    struct dict_meaning m[MEANINGS_MAX];
    size_t nm = dict_meanings(d, head, l->len, m, full ? MEANINGS_MAX : 12);
    json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:o}", "lemma", head, "head", head,
                          "url", url.p, "pos", pos, "senses", senses, "more", (json_int_t)more,
                          "meanings", full ? meanings_full(m, nm) : meanings_short(m, nm));
    buf_release(&url);
    return j;
}

json_t *
dict_lookup_json(const struct dict *d, const char *word, size_t n, bool full)
{
    struct dict_lemma lemmas[DICT_LEMMAS_MAX];
    size_t k = dict_lemmas(d, word, n, lemmas, DICT_LEMMAS_MAX);
    json_t *entries = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(entries, dict_entry_json(d, &lemmas[i], full));
    json_t *q = json_stringn(word, n);
    return json_pack("{s:o, s:o}", "query", q ? q : json_string(""), "entries", entries);
}
