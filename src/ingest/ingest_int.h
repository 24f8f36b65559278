/* Private to the ingest module. */
#ifndef BROADSHEET_INGEST_INT_H
#define BROADSHEET_INGEST_INT_H

#include <libxml/tree.h>

#include "ingest/ingest.h"

/* The Markdown of an (X)HTML element tree (the children of node). */
void ingest_node_markdown(xmlNode *node, struct buf *out);
/* The plain text of an element tree, blocks separated by blank lines. */
void ingest_node_text(xmlNode *node, struct buf *out);
/* text_clean into the arena; "" for invalid UTF-8. Cut at max bytes on a
 * character boundary when max is non-zero. */
char *ingest_clean(struct arena *a, const char *s, size_t n, bool newlines, size_t max);

#endif
