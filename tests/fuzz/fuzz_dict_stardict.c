/* libFuzzer: the StarDict importer. Input: a flags byte (1: .dict.dz,
 * 2: .idx.gz), the .ifo's length (u16 LE), the .idx's length (u32 LE),
 * the .ifo, the .idx, then the .dict. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_dict_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 7)
        return 0;
    bool dz = data[0] & 1, idx_gz = data[0] & 2;
    size_t rest = size - 7;
    size_t ifolen = (size_t)data[1] | (size_t)data[2] << 8;
    if (ifolen > rest)
        ifolen = rest;
    rest -= ifolen;
    size_t idxlen = fuzz_le32(data + 3);
    if (idxlen > rest)
        idxlen = rest;
    const char *ifo = (const char *)data + 7;
    const char *idx = ifo + ifolen;
    const char *dict = idx + idxlen;
    size_t dlen = rest - idxlen;
    char err[512];
    err[0] = '\0';
    struct dict_builder *b = dict_builder_new();
    if (dict_parse_stardict(b, ifo, ifolen, idx, idxlen, idx_gz, dict, dlen, dz, err,
                            sizeof(err)) == 0)
        fuzz_dict_roundtrip(b);
    else if (err[0] == '\0')
        abort();
    dict_builder_free(b);
    return 0;
}
