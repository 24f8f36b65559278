/* Shared by the dict fuzzers: a parsed builder goes through the .bsdict
 * image and back, and a few lookups read it. */
#ifndef FUZZ_DICT_COMMON_H
#define FUZZ_DICT_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"

static void
fuzz_dict_roundtrip(struct dict_builder *b)
{
    char err[512];
    struct buf img = BUF_INIT;
    if (dict_builder_image(b, "ko", "fuzz", &img, err, sizeof(err)) == 0) {
        struct dict_book *bk = dict_book_open_mem(img.p, img.len, err, sizeof(err));
        if (bk == NULL)
            abort(); /* our own image must load */
        static const char *const words[] = {"summit", "hold", "w", "a", ""};
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
            struct dict_meaning m[8];
            size_t n = dict_book_find(bk, words[i], strlen(words[i]), m, 8);
            /* every byte a lookup hands out must be readable */
            volatile unsigned char sink = 0;
            for (size_t k = 0; k < n; k++) {
                for (size_t j = 0; j < m[k].head.n; j++)
                    sink ^= (unsigned char)m[k].head.p[j];
                for (size_t j = 0; j < m[k].text.n; j++)
                    sink ^= (unsigned char)m[k].text.p[j];
                for (size_t j = 0; j < m[k].brief.n; j++)
                    sink ^= (unsigned char)m[k].brief.p[j];
            }
            (void)sink;
        }
        dict_book_free(bk);
        /* and a damaged copy must be refused or load, never crash */
        if (img.len > 200) {
            img.p[img.len / 2] ^= 0x5a;
            dict_book_free(dict_book_open_mem(img.p, img.len, err, sizeof(err)));
            dict_book_free(dict_book_open_mem(img.p, img.len / 2, err, sizeof(err)));
        }
    }
    buf_release(&img);
}

static uint32_t
fuzz_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
