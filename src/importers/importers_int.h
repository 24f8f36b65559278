/* Private to the importers. */
#ifndef BROADSHEET_IMPORTERS_INT_H
#define BROADSHEET_IMPORTERS_INT_H

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "importers/importers.h"

#define IMPORT_BATCH_POSTS 250
#define IMPORT_BATCH_COMMENTS 2000

/* A streamed export: each element at record_depth is expanded and given to
 * on_record; on_root checks the root element's name. */
struct import_stream {
    const char *root; /* the expected root element's local name */
    const char *what; /* "WordPress export", for messages */
    int record_depth;
    int (*on_record)(void *ctx, xmlNode *node, struct arena *a);
    void (*progress)(void *ctx, long bytes);
    void *ctx;
};
int import_stream_memory(const char *p, size_t n, const struct import_stream *s, char *err,
                         size_t errlen);
int import_stream_file(const char *path, const struct import_stream *s, char *err, size_t errlen);

/* The first child element with this local name whose namespace contains ns
 * (NULL: no namespace); its text, or "" when missing. */
xmlNode *import_child(xmlNode *n, const char *ns, const char *name);
const char *import_text(struct arena *a, xmlNode *n, const char *ns, const char *name);
const char *import_attr(struct arena *a, xmlNode *n, const char *name);

/* Imported comments (import_comment.c): the author's key at the source
 * ("u:", "e:" or "n:" and a hash, or "anonymous"; never the e-mail itself),
 * and the text cut to what the comments table holds. */
const char *import_author_key(struct arena *a, const char *user_id, const char *email,
                              const char *name);
const char *import_comment_text(struct arena *a, const char *text);

/* Text cleaned (text_clean: NFC, no control characters, newlines kept
 * when asked) and cut to max bytes on a character boundary (0: no limit),
 * in the arena; "" for text that is not UTF-8. */
char *import_clean(struct arena *a, const char *s, size_t max, bool newlines);

/* The progress display. */
struct import_progress {
    FILE *f;
    bool tty;
    bool quiet;
    long total; /* bytes in the file */
    int last_tenth;
    int64_t last_ms;
    long posts_read; /* records read so far (written in batches) */
    long comments_read;
};
void import_progress_init(struct import_progress *p, const struct import_options *opt,
                          const char *path);
void import_progress_update(struct import_progress *p, long bytes);
void import_progress_done(struct import_progress *p);
int64_t import_now_ms(void);

#endif
