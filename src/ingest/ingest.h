/*
 * ingest: copy from news agencies. A story arrives as IPTC ninjs (1.x, 2.x
 * or 3.x) or NewsML-G2, through a watched folder or an HTTP POST with the
 * agency's key, and becomes a draft in the newsroom credited to the agency
 * and its source ("KCNA via Yonhap"), with headline, summary, body (agency
 * HTML or text turned into our Markdown; raw HTML is never kept), subjects
 * as tags, urgency and embargo.
 *
 * Versions: a story is known by (agency, guid). A higher version updates
 * its draft while it is still a draft (or marked ready). Once an editor has
 * scheduled or published it, the newer version is not applied: it is
 * recorded as "held" in the intake log (and its file kept in done/) for an
 * editor to apply by hand, so that agency copy never silently rewrites a
 * published article. A lower or equal version is a duplicate. A
 * "canceled" story marks its draft as withdrawn.
 *
 * A file that cannot be read (malformed, too large, no headline, a DTD) is
 * moved to quarantine/ and listed in the intake log with the reason; it
 * never stops the files after it.
 *
 * XML is parsed by libxml2 with network access off (XML_PARSE_NONET),
 * without loading or honouring DTDs, entity substitution off, and with a
 * size cap; a document that declares a DOCTYPE is refused before parsing.
 */
#ifndef BROADSHEET_INGEST_H
#define BROADSHEET_INGEST_H

#include "core/core.h"

struct store;
struct arena;

#define INGEST_MAX_FILE (4u << 20)
#define INGEST_MAX_ITEMS 50 /* stories in one NewsML-G2 newsMessage */
#define INGEST_MAX_SUBJECTS 10
#define INGEST_MAX_BODY (1u << 20)

/* One story as the agency sent it, in our terms; strings in an arena. */
struct ingest_story {
    const char *format; /* "ninjs 2", "NewsML-G2", ... */
    char *guid;
    int version;
    int urgency; /* 0 unknown */
    char *headline;
    char *summary;
    char *body; /* Markdown */
    char *byline;
    char *source; /* the originating agency when it is not the sender */
    char *language;
    char *pubstatus; /* "usable", "withheld", "canceled" */
    int64_t embargo;
    char **subjects;
    size_t nsubjects;
};

/* An agency from the configuration ([ingest.<name>]). */
struct ingest_agency {
    const char *name;    /* "yonhap" */
    const char *credit;  /* "Yonhap" */
    const char *key;     /* for HTTP POST; "" to refuse HTTP */
    const char *watch;   /* a folder to watch; "" for none */
    const char *section; /* section path for the drafts, "" for the first section */
};

enum ingest_outcome {
    INGEST_CREATED,
    INGEST_UPDATED,
    INGEST_DUPLICATE,
    INGEST_HELD,
    INGEST_CANCELED,
    INGEST_QUARANTINED,
    INGEST_FAILED, /* the store failed: try again later */
};
const char *ingest_outcome_name(enum ingest_outcome o);

struct ingest_result {
    enum ingest_outcome outcome; /* of the file: the last story's, or QUARANTINED */
    size_t nstories;
    int64_t article_id; /* of the last story */
    char reason[256];   /* why it was quarantined or held */
};

/* --- parsing (no store): 0, or -1 with a reason for a person in err --- */
int ingest_parse(const char *p, size_t n, struct arena *a, struct ingest_story **out, size_t *nout,
                 char *err, size_t errlen);
int ingest_ninjs_parse(const char *p, size_t n, struct arena *a, struct ingest_story *out,
                       char *err, size_t errlen);
int ingest_newsml_parse(const char *p, size_t n, struct arena *a, struct ingest_story **out,
                        size_t *nout, char *err, size_t errlen);

/* --- the intake --- */
/* Parses the bytes and files every story as a draft; records each outcome
 * in the intake log under the name given (a file name, or "http"). */
int ingest_bytes(struct store *st, const struct ingest_agency *ag, const char *name, const char *p,
                 size_t n, struct ingest_result *res);

/* The folder watcher: a thread that polls each agency's folder every
 * interval seconds, files what arrives, and moves each file to done/ or
 * quarantine/ inside the folder; then calls tick (may be NULL). */
struct ingest_watch;
struct ingest_watch *ingest_watch_start(struct store *st, const struct ingest_agency *agencies,
                                        size_t n, int interval_s, void (*tick)(void *),
                                        void *tick_ctx);
void ingest_watch_stop(struct ingest_watch *w);
/* One pass over every folder (the thread's work; tests and the CLI). */
void ingest_watch_poll(struct store *st, const struct ingest_agency *agencies, size_t n);

/* --- shared with the importers --- */
/* 0 if the XML has no DOCTYPE in its prolog; -1 with a reason otherwise. */
int ingest_xml_prolog_check(const char *p, size_t n, char *err, size_t errlen);
/* Agency or export HTML to safe Markdown: paragraphs, headings, lists,
 * quotes, emphasis, code and http(s)/mailto links; everything else becomes
 * text. Blank lines in text nodes start paragraphs (WordPress). */
int ingest_html_to_markdown(const char *html, size_t n, struct buf *out);
/* Plain text to Markdown paragraphs, escaped. */
void ingest_text_to_markdown(const char *text, size_t n, struct buf *out);
/* The text of HTML, paragraphs separated by blank lines (comments, summaries). */
int ingest_html_to_text(const char *html, size_t n, struct buf *out);
/* Makes libxml2 ready for use from several threads (once). */
void ingest_xml_init(void);

#endif
