/*
 * libFuzzer target for the newsroom's word diff (src/newsroom/diff.c): the
 * input is two texts split at the first NUL byte. Joining the pieces must
 * give both texts back, whatever the bytes, and the JSON form must be made
 * for valid UTF-8.
 */
#include <stdlib.h>
#include <string.h>

#include "newsroom/newsroom_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(const struct diff *d, const char *text, size_t n, enum diff_op skip)
{
    size_t off = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->pieces[i].op == skip)
            continue;
        if (off + d->pieces[i].n > n || memcmp(text + off, d->pieces[i].p, d->pieces[i].n) != 0)
            abort();
        off += d->pieces[i].n;
    }
    if (off != n)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *a = (const char *)data;
    const char *nul = memchr(a, '\0', size);
    size_t an = nul ? (size_t)(nul - a) : size;
    const char *b = nul ? nul + 1 : "";
    size_t bn = nul ? size - an - 1 : 0;
    struct diff d;
    diff_words(a, an, b, bn, 200000, &d);
    same(&d, a, an, DIFF_INS);
    same(&d, b, bn, DIFF_DEL);
    if (utf8_valid(a, an) && utf8_valid(b, bn)) {
        json_t *j = diff_json(&d);
        if (j == NULL || json_array_size(j) != d.n)
            abort();
        json_decref(j);
    }
    diff_release(&d);
    return 0;
}
