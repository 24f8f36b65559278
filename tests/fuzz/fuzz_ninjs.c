/* libFuzzer: the ninjs reader (every version), with its HTML to Markdown. */
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct ingest_story s;
    char err[256];
    ingest_ninjs_parse((const char *)data, size, a, &s, err, sizeof(err));
    arena_free(a);
    return 0;
}
