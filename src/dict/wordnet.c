/*
 * Our loader of the WordNet 3.0 database files (wndb(5WN)): data.<pos>
 * (synsets: words and gloss), index.<pos> (lemmas and their senses, most
 * frequent first) and <pos>.exc (irregular forms). The text files are read
 * once; what a reader needs is copied into one string pool and fixed-size
 * records, and the files are freed. Read-only afterwards.
 *
 * Invariants: every lemma's senses point at synsets of its part of speech;
 * exception records keep only base forms that the index of their part of
 * speech has; every offset stays inside the pool.
 */
#include "dict/dict_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WN_FILE_MAX (64u * 1024 * 1024)

static const char *const pos_file[DICT_NPOS] = {"noun", "verb", "adj", "adv"};

/* --- a growable array of records ---------------------------------------- */
struct vec {
    void *p;
    size_t n, cap, size;
};

static void *
vec_push(struct vec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->p = xrealloc(v->p, v->cap * v->size);
    }
    return (char *)v->p + v->size * v->n++;
}

/* --- the loader's state --------------------------------------------------- */
struct loader {
    struct wordnet *wn;
    struct buf pool;
    struct vec lemmas, senses, synsets, excs;
    uint32_t *offsets[DICT_NPOS]; /* data file offset of each synset, ascending */
    size_t first[DICT_NPOS];      /* index of the first synset of each pos */
    size_t count[DICT_NPOS];
    size_t cap[DICT_NPOS]; /* of offsets[pos], doubled as it fills */
    char *err;
    size_t errlen;
};

static uint32_t
pool_add(struct loader *l, const char *p, size_t n)
{
    uint32_t off = (uint32_t)l->pool.len;
    buf_add(&l->pool, p, n);
    return off;
}

/* A line cursor: fields separated by single spaces. */
struct cur {
    const char *p, *end;
};

static struct str
field(struct cur *c)
{
    while (c->p < c->end && *c->p == ' ')
        c->p++;
    const char *s = c->p;
    while (c->p < c->end && *c->p != ' ')
        c->p++;
    return (struct str){s, (size_t)(c->p - s)};
}

static int
field_num(struct cur *c, int base, unsigned long *out)
{
    struct str f = field(c);
    if (f.n == 0 || f.n > 10)
        return -1;
    unsigned long v = 0;
    for (size_t i = 0; i < f.n; i++) {
        char ch = f.p[i];
        int d = ch >= '0' && ch <= '9'                ? ch - '0'
                : base == 16 && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : base == 16 && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                       : -1;
        if (d < 0)
            return -1;
        v = v * (unsigned long)base + (unsigned long)d;
    }
    *out = v;
    return 0;
}

static int
fail(struct loader *l, const char *file, size_t line, const char *what)
{
    snprintf(l->err, l->errlen, "WordNet file '%s' line %zu: %s", file, line, what);
    return -1;
}

static char *
read_file(struct loader *l, const char *dir, const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *data = file_read(path, WN_FILE_MAX, len);
    if (data == NULL)
        snprintf(l->err, l->errlen, "cannot read WordNet file '%s': %s (is wordnet-base installed?)",
                 path, strerror(errno));
    return data;
}

/* --- data.<pos>: synsets ---------------------------------------------------- */

/* The definition ends where the first quoted example starts. */
static size_t
definition_length(const char *g, size_t n)
{
    if (n && g[0] == '"')
        return 0;
    for (size_t i = 0; i + 2 < n; i++)
        if (g[i] == ';' && g[i + 1] == ' ' && g[i + 2] == '"')
            return i;
    return n;
}

/* Appends one synset word for display: '_' as ' ', without the
 * adjective's syntactic marker "(p)", "(a)", "(ip)". */
static void
add_word(struct buf *b, struct str w)
{
    if (w.n > 2 && w.p[w.n - 1] == ')') {
        const char *open = memchr(w.p, '(', w.n);
        if (open)
            w.n = (size_t)(open - w.p);
    }
    if (b->len)
        buf_add(b, ", ", 2);
    for (size_t i = 0; i < w.n; i++)
        buf_addch(b, w.p[i] == '_' ? ' ' : w.p[i]);
}

static int
parse_synset(struct loader *l, int pos, const char *line, size_t n, const char *file, size_t lineno)
{
    struct cur c = {line, line + n};
    unsigned long offset, lexfile, wcnt;
    if (field_num(&c, 10, &offset) || field_num(&c, 10, &lexfile))
        return fail(l, file, lineno, "expected the synset offset and lexicographer file");
    struct str type = field(&c);
    if (type.n != 1 || !strchr("nvasr", type.p[0]) || field_num(&c, 16, &wcnt) || wcnt == 0)
        return fail(l, file, lineno, "expected the synset type and word count");
    struct buf words = BUF_INIT;
    for (unsigned long i = 0; i < wcnt; i++) {
        struct str w = field(&c);
        unsigned long lexid;
        if (w.n == 0 || field_num(&c, 16, &lexid)) {
            buf_release(&words);
            return fail(l, file, lineno, "a synset word is missing");
        }
        add_word(&words, w);
    }
    const char *bar = memchr(c.p, '|', (size_t)(c.end - c.p));
    struct str gloss = {"", 0};
    if (bar) {
        gloss.p = bar + 1;
        gloss.n = (size_t)(c.end - gloss.p);
        while (gloss.n && gloss.p[0] == ' ')
            gloss.p++, gloss.n--;
        while (gloss.n && gloss.p[gloss.n - 1] == ' ')
            gloss.n--;
    }
    if (gloss.n > UINT16_MAX)
        gloss.n = UINT16_MAX;
    struct wn_synset *s = vec_push(&l->synsets);
    memset(s, 0, sizeof(*s));
    s->pos = (uint8_t)pos;
    s->gloss = pool_add(l, gloss.p, gloss.n);
    s->gloss_len = (uint16_t)gloss.n;
    s->def_len = (uint16_t)definition_length(gloss.p, gloss.n);
    size_t wl = words.len > UINT16_MAX ? UINT16_MAX : words.len;
    s->words = pool_add(l, words.p, wl);
    s->words_len = (uint16_t)wl;
    buf_release(&words);
    size_t k = l->count[pos]++;
    if (k == l->cap[pos]) {
        /* doubling: one element at a time copied the array at every synset
         * (quadratic under AddressSanitizer, whose realloc always moves) */
        l->cap[pos] = l->cap[pos] ? l->cap[pos] * 2 : 1024;
        l->offsets[pos] = xrealloc(l->offsets[pos], l->cap[pos] * sizeof(uint32_t));
    }
    if (k && offset <= l->offsets[pos][k - 1])
        return fail(l, file, lineno, "synset offsets are not in ascending order");
    l->offsets[pos][k] = (uint32_t)offset;
    return 0;
}

/* Calls fn for each line that is not part of the license header (those
 * start with two spaces). */
typedef int (*line_fn)(struct loader *l, int pos, const char *line, size_t n, const char *file,
                       size_t lineno);

static int
each_line(struct loader *l, const char *data, size_t len, int pos, const char *file, line_fn fn)
{
    size_t lineno = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;
        lineno++;
        size_t n = end - i;
        if (n && data[i + n - 1] == '\r')
            n--;
        if (n && !(n >= 2 && data[i] == ' ' && data[i + 1] == ' ') &&
            fn(l, pos, data + i, n, file, lineno) != 0)
            return -1;
        i = end + 1;
    }
    return 0;
}

/* --- index.<pos>: lemmas and senses ------------------------------------------ */

static long
synset_of(const struct loader *l, int pos, unsigned long offset)
{
    const uint32_t *o = l->offsets[pos];
    size_t lo = 0, hi = l->count[pos];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o[mid] < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < l->count[pos] && o[lo] == offset)
        return (long)(l->first[pos] + lo);
    return -1;
}

static int
parse_index(struct loader *l, int pos, const char *line, size_t n, const char *file, size_t lineno)
{
    struct cur c = {line, line + n};
    struct str lemma = field(&c);
    struct str p = field(&c);
    unsigned long nsyn, nptr, nsense, ntag;
    if (lemma.n == 0 || p.n != 1 || field_num(&c, 10, &nsyn) || field_num(&c, 10, &nptr))
        return fail(l, file, lineno, "expected lemma, part of speech and counts");
    for (unsigned long i = 0; i < nptr; i++)
        if (field(&c).n == 0)
            return fail(l, file, lineno, "a pointer symbol is missing");
    if (field_num(&c, 10, &nsense) || field_num(&c, 10, &ntag) || nsyn == 0 || nsyn > UINT16_MAX)
        return fail(l, file, lineno, "expected the sense counts");
    if (lemma.n > 255)
        return 0; /* longer than any word a reader selects */
    struct wn_lemma *rec = vec_push(&l->lemmas);
    rec->str = pool_add(l, lemma.p, lemma.n);
    rec->len = (uint8_t)lemma.n;
    rec->pos = (uint8_t)pos;
    rec->nsenses = (uint16_t)nsyn;
    rec->sense0 = (uint32_t)l->senses.n;
    for (unsigned long i = 0; i < nsyn; i++) {
        unsigned long off;
        if (field_num(&c, 10, &off))
            return fail(l, file, lineno, "expected a synset offset");
        long syn = synset_of(l, pos, off);
        if (syn < 0)
            return fail(l, file, lineno, "a synset offset is not in the data file");
        *(uint32_t *)vec_push(&l->senses) = (uint32_t)syn;
    }
    return 0;
}

/* --- hashing ------------------------------------------------------------------- */

static size_t
slots_for(size_t n)
{
    size_t s = 1024;
    while (s < n * 2)
        s <<= 1;
    return s;
}

static int
cmp_lemma(const void *a, const void *b, void *pool)
{
    const struct wn_lemma *x = a, *y = b;
    const char *p = pool;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(p + x->str, p + y->str, n);
    if (c == 0)
        c = (int)x->len - (int)y->len;
    return c ? c : (int)x->pos - (int)y->pos;
}

static int
cmp_exc(const void *a, const void *b, void *pool)
{
    const struct wn_exc *x = a, *y = b;
    const char *p = pool;
    size_t n = x->infl_len < y->infl_len ? x->infl_len : y->infl_len;
    int c = memcmp(p + x->infl, p + y->infl, n);
    if (c == 0)
        c = (int)x->infl_len - (int)y->infl_len;
    if (c == 0)
        c = (int)x->pos - (int)y->pos;
    return c ? c : (x->base < y->base ? -1 : x->base > y->base);
}

static bool
same_as_previous(const struct wordnet *wn, size_t i)
{
    const struct wn_lemma *r = &wn->lemmas[i];
    return i && r->len == r[-1].len && memcmp(wn->pool + r->str, wn->pool + r[-1].str, r->len) == 0;
}

static void
build_lemma_hash(struct wordnet *wn)
{
    size_t distinct = 0;
    for (size_t i = 0; i < wn->nlemmas; i++)
        distinct += !same_as_previous(wn, i);
    wn->nwords = distinct;
    size_t nslots = slots_for(distinct);
    wn->lemma_slots = xcalloc(nslots, sizeof(uint32_t));
    wn->lemma_mask = nslots - 1;
    for (size_t i = 0; i < wn->nlemmas; i++) {
        const struct wn_lemma *r = &wn->lemmas[i];
        if (same_as_previous(wn, i))
            continue;
        size_t s = (size_t)hash64(wn->pool + r->str, r->len) & wn->lemma_mask;
        while (wn->lemma_slots[s])
            s = (s + 1) & wn->lemma_mask;
        wn->lemma_slots[s] = (uint32_t)i + 1;
    }
}

static void
build_exc_hash(struct wordnet *wn)
{
    size_t nslots = slots_for(wn->nexcs);
    wn->exc_slots = xcalloc(nslots, sizeof(uint32_t));
    wn->exc_mask = nslots - 1;
    for (size_t i = 0; i < wn->nexcs; i++) {
        const struct wn_exc *r = &wn->excs[i];
        if (i && r->infl_len == wn->excs[i - 1].infl_len &&
            memcmp(wn->pool + r->infl, wn->pool + wn->excs[i - 1].infl, r->infl_len) == 0)
            continue;
        size_t s = (size_t)hash64(wn->pool + r->infl, r->infl_len) & wn->exc_mask;
        while (wn->exc_slots[s])
            s = (s + 1) & wn->exc_mask;
        wn->exc_slots[s] = (uint32_t)i + 1;
    }
}

size_t
wn_find(const struct wordnet *wn, const char *w, size_t n, const struct wn_lemma **first)
{
    if (wn->lemma_slots == NULL || n == 0 || n > 255)
        return 0;
    size_t s = (size_t)hash64(w, n) & wn->lemma_mask;
    for (uint32_t v; (v = wn->lemma_slots[s]) != 0; s = (s + 1) & wn->lemma_mask) {
        const struct wn_lemma *r = &wn->lemmas[v - 1];
        if (r->len != n || memcmp(wn->pool + r->str, w, n) != 0)
            continue;
        size_t count = 1;
        while (v - 1 + count < wn->nlemmas && r[count].len == n &&
               memcmp(wn->pool + r[count].str, w, n) == 0)
            count++;
        *first = r;
        return count;
    }
    return 0;
}

const struct wn_lemma *
wn_find_pos(const struct wordnet *wn, const char *w, size_t n, enum dict_pos pos)
{
    const struct wn_lemma *r;
    size_t count = wn_find(wn, w, n, &r);
    for (size_t i = 0; i < count; i++)
        if (r[i].pos == pos)
            return &r[i];
    return NULL;
}

size_t
wn_exc_find(const struct wordnet *wn, const char *w, size_t n, const struct wn_exc **first)
{
    if (wn->exc_slots == NULL || n == 0 || n > 255)
        return 0;
    size_t s = (size_t)hash64(w, n) & wn->exc_mask;
    for (uint32_t v; (v = wn->exc_slots[s]) != 0; s = (s + 1) & wn->exc_mask) {
        const struct wn_exc *r = &wn->excs[v - 1];
        if (r->infl_len != n || memcmp(wn->pool + r->infl, w, n) != 0)
            continue;
        size_t count = 1;
        while (v - 1 + count < wn->nexcs && r[count].infl_len == n &&
               memcmp(wn->pool + r[count].infl, w, n) == 0)
            count++;
        *first = r;
        return count;
    }
    return 0;
}

/* The pool as it is now, for the lookups that parse_exc makes. */
static void
publish(struct loader *l)
{
    l->wn->pool = l->pool.p;
    l->wn->pool_len = l->pool.len;
}

/* --- <pos>.exc ------------------------------------------------------------------ */

static int
parse_exc(struct loader *l, int pos, const char *line, size_t n, const char *file, size_t lineno)
{
    (void)file;
    (void)lineno;
    struct cur c = {line, line + n};
    struct str infl = field(&c);
    if (infl.n == 0 || infl.n > 255)
        return 0;
    uint32_t infl_off = UINT32_MAX;
    for (struct str base = field(&c); base.n; base = field(&c)) {
        if (base.n > 255 || wn_find_pos(l->wn, base.p, base.n, (enum dict_pos)pos) == NULL)
            continue; /* the lists name many words WordNet does not have */
        if (infl_off == UINT32_MAX)
            infl_off = pool_add(l, infl.p, infl.n);
        struct wn_exc *e = vec_push(&l->excs);
        *e = (struct wn_exc){.infl = infl_off, .infl_len = (uint8_t)infl.n,
                             .base = pool_add(l, base.p, base.n), .base_len = (uint8_t)base.n,
                             .pos = (uint8_t)pos};
        publish(l); /* the pool may have moved; wn_find_pos reads it */
    }
    return 0;
}

/* --- the whole load ------------------------------------------------------------------ */

/* Files "data.noun" (kind "data") or "noun.exc" (kind "exc", after). */
static int
load_pos_files(struct loader *l, const char *dir, const char *kind, bool after, line_fn fn)
{
    for (int pos = 0; pos < DICT_NPOS; pos++) {
        char name[32];
        snprintf(name, sizeof(name), "%s.%s", after ? pos_file[pos] : kind,
                 after ? kind : pos_file[pos]);
        size_t len;
        char *data = read_file(l, dir, name, &len);
        if (data == NULL)
            return -1;
        if (fn == parse_synset)
            l->first[pos] = l->synsets.n;
        int rc = each_line(l, data, len, pos, name, fn);
        free(data);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int
wn_load(struct wordnet *wn, const char *dir, char *err, size_t errlen)
{
    memset(wn, 0, sizeof(*wn));
    struct loader l = {.wn = wn, .err = err, .errlen = errlen};
    l.lemmas.size = sizeof(struct wn_lemma);
    l.senses.size = sizeof(uint32_t);
    l.synsets.size = sizeof(struct wn_synset);
    l.excs.size = sizeof(struct wn_exc);
    buf_init(&l.pool, 1u << 30);
    int rc = -1;
    if (load_pos_files(&l, dir, "data", false, parse_synset) != 0 ||
        load_pos_files(&l, dir, "index", false, parse_index) != 0)
        goto out;
    if (l.pool.overflow || l.lemmas.n == 0) {
        snprintf(err, errlen, "WordNet in '%s' is empty or too large", dir);
        goto out;
    }
    publish(&l);
    wn->lemmas = l.lemmas.p;
    wn->nlemmas = l.lemmas.n;
    l.lemmas.p = NULL;
    qsort_r(wn->lemmas, wn->nlemmas, sizeof(struct wn_lemma), cmp_lemma, wn->pool);
    build_lemma_hash(wn);
    if (load_pos_files(&l, dir, "exc", true, parse_exc) != 0)
        goto out;
    publish(&l);
    wn->excs = l.excs.p;
    wn->nexcs = l.excs.n;
    l.excs.p = NULL;
    qsort_r(wn->excs, wn->nexcs, sizeof(struct wn_exc), cmp_exc, wn->pool);
    build_exc_hash(wn);
    wn->senses = l.senses.p;
    wn->nsenses = l.senses.n;
    wn->synsets = l.synsets.p;
    wn->nsynsets = l.synsets.n;
    l.senses.p = l.synsets.p = NULL;
    l.pool.p = NULL;
    rc = 0;
out:
    if (rc != 0) {
        free(l.lemmas.p);
        free(l.excs.p);
        buf_release(&l.pool);
        wn->pool = NULL;
        wn_release(wn);
    }
    free(l.senses.p);
    free(l.synsets.p);
    for (int pos = 0; pos < DICT_NPOS; pos++)
        free(l.offsets[pos]);
    return rc;
}

void
wn_release(struct wordnet *wn)
{
    free(wn->pool);
    free(wn->lemmas);
    free(wn->senses);
    free(wn->synsets);
    free(wn->excs);
    free(wn->lemma_slots);
    free(wn->exc_slots);
    memset(wn, 0, sizeof(*wn));
}

size_t
wn_bytes(const struct wordnet *wn)
{
    return wn->pool_len + wn->nlemmas * sizeof(struct wn_lemma) + wn->nsenses * sizeof(uint32_t) +
           wn->nsynsets * sizeof(struct wn_synset) + wn->nexcs * sizeof(struct wn_exc) +
           (wn->lemma_slots ? (wn->lemma_mask + 1) * sizeof(uint32_t) : 0) +
           (wn->exc_slots ? (wn->exc_mask + 1) * sizeof(uint32_t) : 0);
}
