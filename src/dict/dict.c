/*
 * The dictionary set: WordNet plus the imported dictionaries of the data
 * folder, the configured language's first. Owns them from dict_open to
 * dict_free; read-only in between, so lookups need no lock.
 */
#include "dict/dict_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
dict_pos_name(enum dict_pos pos)
{
    static const char *const names[DICT_NPOS] = {"noun", "verb", "adjective", "adverb"};
    return pos < DICT_NPOS ? names[pos] : "word";
}

static int
cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_book_file(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 7 && strcmp(name + n - 7, ".bsdict") == 0;
}

/* The *.bsdict names in dir, sorted (at most 256). */
static char **
list_books(const char *dir, size_t *count)
{
    *count = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (!is_book_file(e->d_name) || n >= 256)
            continue;
        names = xrealloc(names, (n + 1) * sizeof(char *));
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(char *), cmp_name);
    *count = n;
    return names;
}

static void
load_books(struct dict *d, const char *dir)
{
    size_t n;
    char **names = list_books(dir, &n);
    struct dict_book **opened = n ? xcalloc(n, sizeof(*opened)) : NULL;
    for (size_t i = 0; i < n; i++) {
        char path[4096], err[512];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        opened[i] = dict_book_open(path, err, sizeof(err));
        if (opened[i] == NULL)
            log_warn("dict: skipped %s", err);
        free(names[i]);
    }
    free(names);
    d->books = n ? xcalloc(n, sizeof(*d->books)) : NULL;
    /* each book opened once; the configured language first, the others after */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++)
            if (opened[i] &&
                (strcmp(dict_book_lang(opened[i]), d->language) == 0) == (pass == 0))
                d->books[d->nbooks++] = opened[i];
    free(opened);
}

struct dict *
dict_open(const struct dict_config *cfg, char *err, size_t errlen)
{
    struct dict *d = xcalloc(1, sizeof(*d));
    d->language = xstrdup(cfg->language ? cfg->language : "");
    if (wn_load(&d->wn, cfg->wordnet_dir, err, errlen) != 0) {
        dict_free(d);
        return NULL;
    }
    if (cfg->data_dir && cfg->data_dir[0])
        load_books(d, cfg->data_dir);
    return d;
}

void
dict_free(struct dict *d)
{
    if (d == NULL)
        return;
    wn_release(&d->wn);
    for (size_t i = 0; i < d->nbooks; i++)
        dict_book_free(d->books[i]);
    free(d->books);
    free(d->language);
    free(d);
}

void
dict_stats_get(const struct dict *d, struct dict_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->words = d->wn.nwords;
    out->lemmas = d->wn.nlemmas;
    out->synsets = d->wn.nsynsets;
    out->senses = d->wn.nsenses;
    out->exceptions = d->wn.nexcs;
    out->heap_bytes = wn_bytes(&d->wn) + sizeof(*d) + d->nbooks * sizeof(void *);
    out->books = d->nbooks;
    for (size_t i = 0; i < d->nbooks; i++) {
        out->book_entries += dict_book_count(d->books[i]);
        out->mapped_bytes += dict_book_bytes(d->books[i]);
    }
}

size_t
dict_lemmas(const struct dict *d, const char *word, size_t n, struct dict_lemma *out, size_t max)
{
    char key[DICT_WORD_MAX + 1];
    size_t kn = dict_word_key(word, n, key);
    return dict_lemmas_of_key(d, key, kn, out, max);
}

size_t
dict_lemmas_of_key(const struct dict *d, const char *key, size_t kn, struct dict_lemma *out,
                   size_t max)
{
    if (kn == 0 || max == 0)
        return 0;
    size_t k = morph_lemmas(&d->wn, key, kn, out, max);
    if (k == 0) {
        struct dict_meaning m;
        if (dict_meanings(d, key, kn, &m, 1) > 0) {
            memcpy(out[0].word, key, kn + 1);
            out[0].len = kn;
            out[0].posmask = 0;
            out[0].surface = true;
            k = 1;
        }
    }
    return k;
}

size_t
dict_senses(const struct dict *d, const char *lemma, size_t n, enum dict_pos pos,
            struct dict_sense *out, size_t max)
{
    const struct wn_lemma *r = wn_find_pos(&d->wn, lemma, n, pos);
    if (r == NULL)
        return 0;
    for (size_t i = 0; i < r->nsenses && i < max; i++) {
        const struct wn_synset *s = &d->wn.synsets[d->wn.senses[r->sense0 + i]];
        const char *g = d->wn.pool + s->gloss;
        size_t rest = s->def_len < s->gloss_len ? s->def_len + 1u : s->gloss_len;
        out[i] = (struct dict_sense){
            .pos = pos,
            .def = {g, s->def_len},
            .examples = {g + rest, (size_t)(s->gloss_len - rest)},
            .words = {d->wn.pool + s->words, s->words_len},
        };
    }
    return r->nsenses;
}

bool
dict_example_next(struct str *ex, struct str *out)
{
    const char *p = ex->p, *end = ex->p + ex->n;
    while (p < end && (*p == ' ' || *p == ';'))
        p++;
    if (p == end) {
        *ex = (struct str){end, 0};
        return false;
    }
    bool quoted = *p == '"';
    const char *start = quoted ? p + 1 : p;
    const char *stop = end;
    for (const char *q = start; q + 2 < end; q++) {
        if (q[0] == '"' && q[1] == ';' && q[2] == ' ') {
            stop = q;
            break;
        }
        if (!quoted && q[0] == ';' && q[1] == ' ') {
            stop = q;
            break;
        }
    }
    const char *text_end = stop;
    if (stop == end && quoted && end > start && end[-1] == '"')
        text_end = end - 1;
    *out = (struct str){start, (size_t)(text_end - start)};
    const char *next = stop == end ? end : stop + (stop[0] == '"' ? 1 : 0);
    *ex = (struct str){next, (size_t)(end - next)};
    return out->n > 0 || next < end;
}

size_t
dict_meanings(const struct dict *d, const char *word, size_t n, struct dict_meaning *out,
              size_t max)
{
    char key[BSDICT_KEY_MAX + 1];
    size_t kn = d->nbooks ? dict_key_fold(word, n, key, BSDICT_KEY_MAX) : 0;
    size_t k = 0;
    for (size_t i = 0; i < d->nbooks && k < max && kn; i++)
        k += dict_book_find_key(d->books[i], key, kn, out + k, max - k);
    return k;
}
