/* libFuzzer: the NewsML-G2 reader (newsItem and newsMessage, inline XHTML). */
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct ingest_story *s;
    size_t n;
    char err[256];
    ingest_newsml_parse((const char *)data, size, a, &s, &n, err, sizeof(err));
    arena_free(a);
    return 0;
}
