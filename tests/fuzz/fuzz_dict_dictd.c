/* libFuzzer: the dictd importer. Input: a flags byte (1: the data is
 * dictzip), the index's length (u32 LE), the index, then the data. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_dict_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    bool dz = data[0] & 1;
    size_t ilen = fuzz_le32(data + 1);
    if (ilen > size - 5)
        ilen = size - 5;
    const char *index = (const char *)data + 5;
    const char *dict = index + ilen;
    size_t dlen = size - 5 - ilen;
    char err[512];
    err[0] = '\0';
    struct dict_builder *b = dict_builder_new();
    if (dict_parse_dictd(b, index, ilen, dict, dlen, dz, err, sizeof(err)) == 0)
        fuzz_dict_roundtrip(b);
    else if (err[0] == '\0')
        abort(); /* a refusal always says why */
    dict_builder_free(b);
    return 0;
}
