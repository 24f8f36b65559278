/* Private to the dict module. */
#ifndef BROADSHEET_DICT_INT_H
#define BROADSHEET_DICT_INT_H

#include "dict/dict.h"

/* --- WordNet in memory (wordnet.c) ---------------------------------------
 * One string pool; fixed-size records refer to it by offset. Lemma records
 * are sorted by (string, part of speech), so the records of one string are
 * neighbours; an open-addressing hash table maps a string to its first
 * record. Senses are synset numbers in WordNet's sense order. */

struct wn_lemma {
    uint32_t str;     /* offset in the pool, lower case, '_' between words */
    uint8_t len;
    uint8_t pos;      /* enum dict_pos */
    uint16_t nsenses;
    uint32_t sense0;  /* index into senses[] */
};

struct wn_synset {
    uint32_t gloss;     /* offset of the whole gloss */
    uint32_t words;     /* "summit, peak, top" */
    uint16_t gloss_len;
    uint16_t def_len;   /* the definition: gloss[0 .. def_len) */
    uint16_t words_len;
    uint8_t pos;
    uint8_t pad;
};

struct wn_exc {
    uint32_t infl; /* the inflected form */
    uint32_t base;
    uint8_t infl_len;
    uint8_t base_len;
    uint8_t pos;
    uint8_t pad;
};

struct wordnet {
    char *pool;
    size_t pool_len;
    struct wn_lemma *lemmas;
    size_t nlemmas;
    size_t nwords; /* distinct strings */
    uint32_t *senses;
    size_t nsenses;
    struct wn_synset *synsets;
    size_t nsynsets;
    struct wn_exc *excs;
    size_t nexcs;
    uint32_t *lemma_slots; /* first record + 1; 0 is empty */
    size_t lemma_mask;
    uint32_t *exc_slots;
    size_t exc_mask;
};

int wn_load(struct wordnet *wn, const char *dir, char *err, size_t errlen);
void wn_release(struct wordnet *wn);
size_t wn_bytes(const struct wordnet *wn);
/* The records of a lemma string (one per part of speech); 0 if none. */
size_t wn_find(const struct wordnet *wn, const char *w, size_t n, const struct wn_lemma **first);
const struct wn_lemma *wn_find_pos(const struct wordnet *wn, const char *w, size_t n,
                                   enum dict_pos pos);
/* The exception records of an inflected form; 0 if none. */
size_t wn_exc_find(const struct wordnet *wn, const char *w, size_t n, const struct wn_exc **first);

/* --- morphology (morph.c) --- */
/* The lemmas of a lower-case word ('_' between words) that WordNet has. */
size_t morph_lemmas(const struct wordnet *wn, const char *w, size_t n, struct dict_lemma *out,
                    size_t max);

/* --- the dictionary set (dict.c) --- */
struct dict {
    struct wordnet wn;
    struct dict_book **books; /* the configured language first */
    size_t nbooks;
    char *language;
};

/* dict_lemmas of a word already made a key by dict_word_key. */
size_t dict_lemmas_of_key(const struct dict *d, const char *key, size_t kn,
                          struct dict_lemma *out, size_t max);

/* --- the builder and the .bsdict image (bsdict.c) --- */
#define BSDICT_KEY_MAX 255
#define BSDICT_TEXT_MAX (256u * 1024)
#define BSDICT_ENTRIES_MAX (8u * 1024 * 1024)
#define BSDICT_POOL_MAX (1536u * 1024 * 1024)

/* Adds an entry: headword (folded into the key), head line, text. The
 * strings must be valid UTF-8 (the parsers check); text is cleaned (NFC,
 * no control characters). Returns 0, or -1 with a reason in err. */
int dict_builder_add(struct dict_builder *b, const char *headword, size_t hlen, const char *head,
                     size_t headlen, const char *text, size_t tlen, char *err, size_t errlen);
/* The same text as the previous add (dictd entries that share data). */
int dict_builder_add_same(struct dict_builder *b, const char *headword, size_t hlen, size_t entry,
                          char *err, size_t errlen);
/* A language code ("ko", "pt-BR") and a dictionary name ([a-z0-9._-]). */
bool dict_lang_valid(const char *s);
bool dict_name_valid(const char *s);
/* Writes the image to an open file and syncs it. */
int dict_builder_write_fd(struct dict_builder *b, const char *lang, const char *name, int fd,
                          char *err, size_t errlen);
/* dict_book_find with a key already folded by dict_key_fold. */
size_t dict_book_find_key(const struct dict_book *bk, const char *key, size_t kn,
                          struct dict_meaning *out, size_t max);
/* The size of a loaded dictionary's image (mapped or copied). */
size_t dict_book_bytes(const struct dict_book *bk);
/* The brief of a text: its first line that is a meaning. */
struct str dict_text_brief(const char *text, size_t n);
/* Folds a headword into a lookup key (NFC, case folded, '_' as ' ', spaces
 * squeezed); returns the length or 0 if the headword is empty or invalid. */
size_t dict_key_fold(const char *p, size_t n, char *out, size_t max);

/* An import's error: the message formatted into err; returns -1 (import.c). */
int dict_failf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* gzip / dictzip inflation with a cap on the output. */
int dict_gunzip(const char *p, size_t n, size_t max, char **out, size_t *outlen, char *err,
                size_t errlen);
#define DICT_INFLATE_MAX (1024u * 1024 * 1024)

#endif
