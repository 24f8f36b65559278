/*
 * dict: the reader's dictionary. English words from WordNet 3.0 (our own
 * loader of Debian's wordnet-base files), reduced to their dictionary form
 * by WordNet's morphology (exception lists, then detachment rules checked
 * against the index); bilingual dictionaries imported from dictd, StarDict
 * and tab-separated files into our compact file format (.bsdict) and mapped
 * at start; the per-article glossary.
 *
 * Everything is loaded once by dict_open and read-only afterwards: any
 * number of threads may look words up at the same time without locks. A
 * lookup never touches the database or the disk. No http here.
 */
#ifndef BROADSHEET_DICT_H
#define BROADSHEET_DICT_H

#include <jansson.h>

#include "core/core.h"

/* A word a reader may look up: at most this many bytes after NFC. */
#define DICT_WORD_MAX 64
/* Lemmas one word can reduce to ("leaves": leaf, leave). */
#define DICT_LEMMAS_MAX 8

enum dict_pos { DICT_NOUN, DICT_VERB, DICT_ADJ, DICT_ADV, DICT_NPOS };
/* "noun", "verb", "adjective", "adverb" */
const char *dict_pos_name(enum dict_pos pos);

struct dict;

struct dict_config {
    const char *wordnet_dir; /* "/usr/share/wordnet" */
    const char *data_dir;    /* imported dictionaries (*.bsdict); NULL for none */
    const char *language;    /* meanings in this language come first ("ko") */
};

/* Loads WordNet and every imported dictionary. NULL with a message in err
 * if WordNet cannot be read; a broken imported dictionary is skipped with a
 * warning in the log. */
struct dict *dict_open(const struct dict_config *cfg, char *err, size_t errlen);
void dict_free(struct dict *d);

struct dict_stats {
    size_t words;      /* distinct WordNet lemmas */
    size_t lemmas;     /* (lemma, part of speech) pairs */
    size_t synsets;
    size_t senses;
    size_t exceptions;
    size_t heap_bytes; /* WordNet in memory: pool, records, hash tables */
    size_t books;      /* imported dictionaries */
    size_t book_entries;
    size_t mapped_bytes; /* imported dictionaries, mapped read-only */
};
void dict_stats_get(const struct dict *d, struct dict_stats *out);

/* --- words --- */

enum dict_word_status {
    DICT_WORD_OK = 0,
    DICT_WORD_EMPTY,
    DICT_WORD_TOO_LONG,
    DICT_WORD_BAD_CHAR, /* only letters, hyphens, apostrophes and single spaces */
    DICT_WORD_BAD_UTF8,
};
const char *dict_word_error(enum dict_word_status st);
/* A reader's query made ready for lookup: NFC, trimmed, curly apostrophes
 * straightened; out must have room for DICT_WORD_MAX + 1 bytes. */
enum dict_word_status dict_word_clean(const char *p, size_t n, char *out, size_t *outlen);

/* One dictionary form of a word. word is lower case with '_' between the
 * parts of a collocation ("cozy_up"), as WordNet spells it. */
struct dict_lemma {
    char word[DICT_WORD_MAX + 8];
    size_t len;
    unsigned posmask;  /* 1 << enum dict_pos: where WordNet has it; 0 if only bilingual */
    bool surface;      /* the word itself, not a reduced form */
};

/* The dictionary forms of a word, reduced forms first ("relations":
 * relation, then relations), at most max. 0 if no dictionary knows it. */
size_t dict_lemmas(const struct dict *d, const char *word, size_t n, struct dict_lemma *out,
                   size_t max);

/* --- senses (WordNet) --- */

struct dict_sense {
    enum dict_pos pos;
    struct str def;      /* the definition, without examples */
    struct str examples; /* the rest of the gloss: "\"ex one\"; \"ex two\"", see below */
    struct str words;    /* the synset's words, "summit, peak, top" ('_' in collocations) */
};
/* The senses of lemma as part of speech pos, most frequent first; fills up
 * to max and returns how many there are. */
size_t dict_senses(const struct dict *d, const char *lemma, size_t n, enum dict_pos pos,
                   struct dict_sense *out, size_t max);
/* Takes the next example out of a sense's examples: true with the text
 * without its quotes in out, false when there are no more. */
bool dict_example_next(struct str *examples, struct str *out);

/* --- bilingual meanings --- */

struct dict_meaning {
    const char *lang; /* "ko" */
    const char *name; /* the dictionary: "freedict-eng-deu" */
    struct str head;  /* the headword line: "hold /hˈəʊld/ (held, held)" */
    struct str text;  /* the whole entry, plain text with newlines */
    struct str brief; /* one line of text for a pop-up */
};
/* Meanings of a headword (any case; '_' and ' ' alike) in every imported
 * dictionary, the configured language first; fills up to max, returns how
 * many were filled. */
size_t dict_meanings(const struct dict *d, const char *word, size_t n, struct dict_meaning *out,
                     size_t max);

/* --- JSON for the reader's side --- */

/* The short form, for the pop-up: {"query": word, "entries": [{"lemma",
 * "pos": [...], "senses": [{"pos", "def"}], "more", "meanings": [{"lang",
 * "text"}]}]}, appended to out (the entry page is /dict/<lemma>). Returns the number of
 * entries (0 if no dictionary knows the word). */
size_t dict_lookup_write(const struct dict *d, const char *word, size_t n, struct buf *out);
/* One lemma's short entry object, appended to out. */
void dict_entry_write(const struct dict *d, const struct dict_lemma *lemma, struct buf *out);
/* The full form, for the entry page: {"query", "entries": [{"lemma",
 * "head", "url", "pos", "senses": [{"pos", "def", "examples",
 * "synonyms"}], "more", "meanings": [{"lang", "dict", "primary" (the
 * configured language), "items": [{"head", "text"}]}]}]}. */
json_t *dict_lookup_json(const struct dict *d, const char *word, size_t n);

/* The glossary of a text (an article's headline, summary and body as plain
 * text): {"v": 1, "lang": ..., "words": {"summits": ["summit"], ...},
 * "phrases": {"cozying": ["cozy up"]}, "entries": {"summit": {...short
 * entry...}}}. A word no dictionary knows
 * maps to []; common function words are left out (the lookup endpoint
 * covers them). Appends JSON to out; -1 if out overflowed. */
int dict_glossary_build(const struct dict *d, const char *text, size_t n, struct buf *out);
/* How a word of a text becomes a glossary key: lower case, curly
 * apostrophes straightened, possessive 's dropped. The pop-up's script does
 * the same. Returns the length written to out (DICT_WORD_MAX + 1 bytes), 0
 * if the word is not one to look up. */
size_t dict_word_key(const char *p, size_t n, char *out);

/* --- importing bilingual dictionaries --- */

enum dict_format { DICT_FORMAT_DICTD, DICT_FORMAT_STARDICT, DICT_FORMAT_TSV };
int dict_format_parse(const char *s, enum dict_format *out);

/* Entries gathered by a parser before they are written as a .bsdict file. */
struct dict_builder;
struct dict_builder *dict_builder_new(void);
void dict_builder_free(struct dict_builder *b);
size_t dict_builder_count(const struct dict_builder *b);

/* The parsers take bytes, so that they can be tested and fuzzed without
 * files. Each returns 0, or -1 with a message for a person in err, in which
 * case b may hold some entries and must not be written. */
/* dictd: the .index text and the .dict data (dz: data is dictzip, i.e.
 * gzip, and is inflated first). */
int dict_parse_dictd(struct dict_builder *b, const char *index, size_t ilen, const char *data,
                     size_t dlen, bool dz, char *err, size_t errlen);
/* StarDict: .ifo text, .idx bytes (idx_gz: .idx.gz), .dict bytes (dz). */
int dict_parse_stardict(struct dict_builder *b, const char *ifo, size_t ifolen, const char *idx,
                        size_t idxlen, bool idx_gz, const char *data, size_t dlen, bool dz,
                        char *err, size_t errlen);
/* Tab-separated: "headword<TAB>meaning" per line, '#' comments. */
int dict_parse_tsv(struct dict_builder *b, const char *p, size_t n, char *err, size_t errlen);

/* The builder as a .bsdict image (the format is described in bsdict.c). */
int dict_builder_image(struct dict_builder *b, const char *lang, const char *name,
                       struct buf *out, char *err, size_t errlen);
/* Reads FORMAT's files at path (for dictd and StarDict the .index / .ifo
 * file or their common base name), converts them and writes
 * data_dir/<lang>-<name>.bsdict through a temporary file and a rename, so
 * that a failure leaves nothing half-written. name may be NULL (taken from
 * the file name). The written path goes to out_path. */
int dict_import(enum dict_format fmt, const char *path, const char *lang, const char *name,
                const char *data_dir, char *out_path, size_t out_path_len, char *err,
                size_t errlen);

/* One imported dictionary, loaded from a .bsdict image. */
struct dict_book;
/* From memory (copied); validates every offset. NULL with a message in err. */
struct dict_book *dict_book_open_mem(const void *p, size_t n, char *err, size_t errlen);
/* Maps the file read-only and validates its header, entries and hash
 * slots (the strings' pages are read only when a lookup needs them). */
struct dict_book *dict_book_open(const char *path, char *err, size_t errlen);
/* Checks the strings too, against their checksum: 0 or -1 with err. */
int dict_book_verify(const struct dict_book *bk, char *err, size_t errlen);
void dict_book_free(struct dict_book *bk);
const char *dict_book_lang(const struct dict_book *bk);
const char *dict_book_name(const struct dict_book *bk);
size_t dict_book_count(const struct dict_book *bk);
/* Entries for a headword (folded as at import); fills up to max. */
size_t dict_book_find(const struct dict_book *bk, const char *word, size_t n,
                      struct dict_meaning *out, size_t max);

#endif
