/*
 * search: full-text search over published articles (SQLite FTS5 through
 * the store).
 *
 * English and other space-separated languages are matched as words with
 * Porter stemming ("summit" finds "summits"). Korean words carry particles
 * (서울에서 = 서울 + 에서) and most nouns are two syllables, so Hangul and
 * Han text is also indexed as overlapping two-character pieces (bigrams)
 * in a column of its own; a Korean query term becomes a phrase of its
 * bigrams there, which finds 서울 inside 서울에서. Text is NFC-normalised
 * before indexing and before querying.
 *
 * User text never reaches FTS5 as syntax: the query is split into words
 * and "quoted phrases" here, every piece is quoted, and the pieces are
 * joined with AND. A query that is too long, has an unmatched quotation
 * mark or no word to look for is refused with a status and a sentence for
 * the reader.
 */
#ifndef BROADSHEET_SEARCH_H
#define BROADSHEET_SEARCH_H

#include <jansson.h>

#include "core/core.h"

struct store;
struct arena;

#define SEARCH_MAX_CHARS 200 /* user-perceived characters */
#define SEARCH_MAX_TERMS 12
#define SEARCH_PAGE_SIZE 10

enum search_status {
    SEARCH_OK = 0,
    SEARCH_EMPTY,      /* no word to look for */
    SEARCH_TOO_LONG,   /* over SEARCH_MAX_CHARS */
    SEARCH_TOO_MANY,   /* over SEARCH_MAX_TERMS words or phrases */
    SEARCH_UNBALANCED, /* an odd number of '"' */
    SEARCH_BAD_TEXT,   /* not UTF-8 */
};

/* A parsed query: the FTS5 expression and the Hangul/Han pieces the
 * index cannot mark in a snippet (we mark them ourselves). */
struct search_query {
    char *match;
    char **cjk_terms;
    size_t ncjk;
};

enum search_status search_query_parse(const char *text, size_t n, struct search_query *out);
void search_query_release(struct search_query *q);
/* A sentence for the reader that says what to do. */
const char *search_status_text(enum search_status st);

/* The overlapping two-character pieces of every Hangul/Han run in NFC
 * text, separated by spaces; a run of one character stays whole. */
void search_cjk_bigrams(const char *text, size_t n, struct buf *out);
bool search_is_cjk(int32_t cp);

/* Rebuilds the index entries of changed articles, at most max of them
 * (0: all). Returns how many were written, or -1 on a store failure. Only
 * one thread refreshes at a time; others return 0 at once. */
long search_index_refresh(struct store *st, long max);

/* A text with matches between \x01 and \x02 (from the store), as a JSON
 * array of {"text", "hit"} segments for a template to escape; Hangul/Han
 * query terms are marked too. */
json_t *search_marked_json(const char *marked, const struct search_query *q);
/* The excerpt of a hit: the index's snippet, or, when the match was on the
 * bigrams (the snippet has no mark), a window around the first Korean term
 * in the body. */
json_t *search_excerpt_json(const char *snippet, const char *body, const struct search_query *q);

#endif
