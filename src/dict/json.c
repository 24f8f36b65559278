/*
 * Entries as JSON. Two forms:
 *
 *  - short, for the pop-up (the glossary and the lookup endpoint): a
 *    lemma's parts of speech, four senses (the first of each part of
 *    speech, then the next ones) without examples, and one line of
 *    meaning per bilingual dictionary, the configured language first.
 *    Written straight into a buffer, strings through the template
 *    engine's JSON escaper (render's esc_json_string), because a glossary
 *    of a few hundred entries built as a Jansson tree and dumped took ten
 *    times the time budget.
 *  - full, for the entry page: a Jansson tree the template renders, with
 *    every sense, its examples and synonyms, and whole bilingual entries.
 */
#include "dict/dict_int.h"

#include <string.h>

#include "render/render.h"

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

static void
display(const struct dict_lemma *l, char *out)
{
    for (size_t i = 0; i <= l->len; i++)
        out[i] = l->word[i] == '_' ? ' ' : l->word[i];
}

/* The senses to show, in the short order (sense 1 of each part of speech,
 * then sense 2 of each, ...) or all of them by part of speech. */
struct sense_pick {
    struct dict_sense s[DICT_NPOS][FULL_SENSES];
    size_t have[DICT_NPOS];
    size_t total;
};

static void
senses_load(const struct dict *d, const struct dict_lemma *l, size_t want, struct sense_pick *sp)
{
    sp->total = 0;
    for (int p = 0; p < DICT_NPOS; p++) {
        sp->have[p] = 0;
        if (!(l->posmask & (1u << p)))
            continue;
        size_t all = dict_senses(d, l->word, l->len, (enum dict_pos)p, sp->s[p], want);
        sp->have[p] = all < want ? all : want;
        sp->total += all;
    }
}

/* Calls fn on the senses in the short order, at most max; returns how many. */
static size_t
senses_short(const struct sense_pick *sp, size_t max,
             void (*fn)(const struct dict_sense *s, void *ctx), void *ctx)
{
    size_t shown = 0;
    for (size_t round = 0; round < max && shown < max; round++)
        for (int p = 0; p < DICT_NPOS && shown < max; p++)
            if (round < sp->have[p]) {
                fn(&sp->s[p][round], ctx);
                shown++;
            }
    return shown;
}

/* One line per dictionary: its first briefs joined by "; ", cut to
 * BRIEF_MAX bytes (and an ellipsis). Returns the next dictionary's first
 * meaning; the line goes to line/len. */
struct line {
    char p[BRIEF_MAX + 8];
    size_t len;
};

static void
line_add(struct line *l, const char *p, size_t n)
{
    size_t room = BRIEF_MAX + 1 - l->len; /* one byte over tells that it was cut */
    if (n > room)
        n = room;
    memcpy(l->p + l->len, p, n);
    l->len += n;
}

static size_t
brief_line(const struct dict_meaning *m, size_t n, size_t i, struct line *l)
{
    size_t k = i;
    int used = 0;
    l->len = 0;
    for (; k < n && m[k].name == m[i].name; k++) {
        if (used == BRIEFS_PER_BOOK || m[k].brief.n == 0)
            continue;
        if (l->len && memmem(l->p, l->len, m[k].brief.p, m[k].brief.n))
            continue;
        if (l->len)
            line_add(l, "; ", 2);
        line_add(l, m[k].brief.p, m[k].brief.n);
        used++;
    }
    if (l->len > BRIEF_MAX) {
        l->len = cut(l->p, l->len, BRIEF_MAX);
        memcpy(l->p + l->len, "\u2026", 3); /* … */
        l->len += 3;
    }
    return k;
}

/* --- the short form, written --- */

/* A literal appended without strlen */
#define ADD(out, lit) buf_add((out), (lit), sizeof(lit) - 1)

static void
add_uint(struct buf *out, size_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_add(out, tmp + i, sizeof(tmp) - i);
}

static void
put_str(struct buf *out, const char *p, size_t n)
{
    esc_json_string(out, p, n);
}

static void
put_sense(const struct dict_sense *s, void *ctx)
{
    struct buf *out = ctx;
    if (out->p[out->len - 1] != '[')
        ADD(out, ",");
    ADD(out, "{\"pos\":\"");
    buf_adds(out, dict_pos_name(s->pos));
    ADD(out, "\",\"def\":");
    put_str(out, s->def.p, s->def.n);
    ADD(out, "}");
}

void
dict_entry_write(const struct dict *d, const struct dict_lemma *l, struct buf *out)
{
    char head[DICT_WORD_MAX + 8];
    display(l, head);
    ADD(out, "{\"lemma\":");
    put_str(out, head, l->len);
    ADD(out, ",\"pos\":[");
    for (int p = 0, first = 1; p < DICT_NPOS; p++)
        if (l->posmask & (1u << p)) {
            if (!first)
                ADD(out, ",");
            ADD(out, "\"");
            buf_adds(out, dict_pos_name((enum dict_pos)p));
            ADD(out, "\"");
            first = 0;
        }
    ADD(out, "],\"senses\":[");
    static _Thread_local struct sense_pick sp;
    senses_load(d, l, SHORT_SENSES, &sp);
    size_t shown = senses_short(&sp, SHORT_SENSES, put_sense, out);
    ADD(out, "],\"more\":");
    add_uint(out, sp.total - shown);
    ADD(out, ",\"meanings\":[");
    struct dict_meaning m[12];
    size_t nm = dict_meanings(d, head, l->len, m, ARRAY_SIZE(m));
    struct line line;
    bool first = true;
    for (size_t i = 0; i < nm;) {
        size_t next = brief_line(m, nm, i, &line);
        if (line.len) {
            if (!first)
                ADD(out, ",");
            ADD(out, "{\"lang\":");
            put_str(out, m[i].lang, strlen(m[i].lang));
            ADD(out, ",\"text\":");
            put_str(out, line.p, line.len);
            ADD(out, "}");
            first = false;
        }
        i = next;
    }
    ADD(out, "]}");
}

size_t
dict_lookup_write(const struct dict *d, const char *word, size_t n, struct buf *out)
{
    struct dict_lemma lemmas[DICT_LEMMAS_MAX];
    size_t k = dict_lemmas(d, word, n, lemmas, DICT_LEMMAS_MAX);
    buf_adds(out, "{\"query\":");
    put_str(out, word, n);
    buf_adds(out, ",\"entries\":[");
    for (size_t i = 0; i < k; i++) {
        if (i)
            buf_addch(out, ',');
        dict_entry_write(d, &lemmas[i], out);
    }
    buf_adds(out, "]}");
    return k;
}

/* --- the full form, as a Jansson tree for the entry page --- */

static json_t *
strn(struct str s)
{
    json_t *j = json_stringn(s.p, s.n);
    return j ? j : json_string("");
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
sense_full(const struct dict_sense *s, const char *head)
{
    json_t *ex = json_array();
    struct str rest = s->examples, one;
    for (int i = 0; i < 16 && dict_example_next(&rest, &one); i++)
        if (one.n)
            json_array_append_new(ex, strn(one));
    return json_pack("{s:s, s:o, s:o, s:o}", "pos", dict_pos_name(s->pos), "def", strn(s->def),
                     "examples", ex, "synonyms", synonyms(s->words, head));
}

/* Per dictionary, its entries with head line and whole text; primary
 * when in the configured language. */
static json_t *
meanings_full(const struct dict *d, const struct dict_meaning *m, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n;) {
        json_t *items = json_array();
        size_t k = i;
        for (; k < n && m[k].name == m[i].name; k++)
            json_array_append_new(items, json_pack("{s:o, s:o}", "head", strn(m[k].head), "text",
                                                   strn(m[k].text)));
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:b}", "lang", m[i].lang, "dict",
                                              m[i].name, "items", items, "primary",
                                              strcmp(m[i].lang, d->language) == 0));
        i = k;
    }
    return list;
}

static json_t *
entry_full(const struct dict *d, const struct dict_lemma *l)
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
    static _Thread_local struct sense_pick sp;
    senses_load(d, l, FULL_SENSES, &sp);
    json_t *senses = json_array();
    size_t shown = 0;
    for (int p = 0; p < DICT_NPOS; p++)
        for (size_t i = 0; i < sp.have[p]; i++, shown++)
            json_array_append_new(senses, sense_full(&sp.s[p][i], head));
    struct dict_meaning m[MEANINGS_MAX];
    size_t nm = dict_meanings(d, head, l->len, m, MEANINGS_MAX);
    json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:o}", "lemma", head, "head", head,
                          "url", url.p, "pos", pos, "senses", senses, "more",
                          (json_int_t)(sp.total - shown), "meanings", meanings_full(d, m, nm));
    buf_release(&url);
    return j;
}

json_t *
dict_lookup_json(const struct dict *d, const char *word, size_t n)
{
    struct dict_lemma lemmas[DICT_LEMMAS_MAX];
    size_t k = dict_lemmas(d, word, n, lemmas, DICT_LEMMAS_MAX);
    json_t *entries = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(entries, entry_full(d, &lemmas[i]));
    json_t *q = json_stringn(word, n);
    return json_pack("{s:o, s:o}", "query", q ? q : json_string(""), "entries", entries);
}
