/* libFuzzer: the tab-separated importer and, through the round trip, the
 * .bsdict loader. Input: the file's bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_dict_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    err[0] = '\0';
    struct dict_builder *b = dict_builder_new();
    if (dict_parse_tsv(b, (const char *)data, size, err, sizeof(err)) == 0)
        fuzz_dict_roundtrip(b);
    else if (err[0] == '\0')
        abort();
    dict_builder_free(b);
    /* the bytes as a .bsdict image too */
    dict_book_free(dict_book_open_mem(data, size, err, sizeof(err)));
    return 0;
}
