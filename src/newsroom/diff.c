/*
 * A word-level diff for revisions and edit conflicts. Texts are split into
 * tokens (a run of letters and digits, any byte of a multi-byte character
 * counting as a letter; one punctuation mark; a run of spaces), the common
 * start and end are trimmed, and the middle is compared by the longest
 * common subsequence in a table of 16-bit cells. The table is capped: past
 * max_cells the middle is shown as removed and inserted whole. Pieces point
 * into the two texts, so joining the "same" and "del" pieces gives the old
 * text back and the "same" and "ins" pieces the new one.
 */
#include "newsroom/newsroom_int.h"

#include <stdlib.h>
#include <string.h>

struct tok {
    const char *p;
    size_t n;
};

static int
kind(unsigned char c)
{
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
        return 0;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
        return 1;
    return 2; /* punctuation: one token each */
}

static struct tok *
tokenize(const char *s, size_t n, size_t *count)
{
    struct tok *t = xmalloc((n ? n : 1) * sizeof(*t));
    size_t k = 0, i = 0;
    while (i < n) {
        int c = kind((unsigned char)s[i]);
        size_t j = i + 1;
        while (c != 2 && j < n && kind((unsigned char)s[j]) == c)
            j++;
        t[k].p = s + i;
        t[k].n = j - i;
        k++;
        i = j;
    }
    *count = k;
    return t;
}

static bool
tok_eq(const struct tok *a, const struct tok *b)
{
    return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* Appends a token, merging it into the last piece when contiguous. */
static void
emit(struct diff *d, enum diff_op op, const struct tok *t)
{
    if (d->n) {
        struct diff_piece *last = &d->pieces[d->n - 1];
        if (last->op == op && last->p + last->n == t->p) {
            last->n += t->n;
            return;
        }
    }
    d->pieces[d->n++] = (struct diff_piece){op, t->p, t->n};
}

/* LCS over a[0..m) and b[0..k): L[i][j] is the LCS of a[i..] and b[j..]. */
static void
lcs(struct diff *d, const struct tok *a, size_t m, const struct tok *b, size_t k)
{
    size_t w = k + 1;
    uint16_t *L = xcalloc((m + 1) * w, sizeof(uint16_t));
    for (size_t i = m; i-- > 0;)
        for (size_t j = k; j-- > 0;)
            L[i * w + j] = tok_eq(&a[i], &b[j])
                               ? (uint16_t)(L[(i + 1) * w + j + 1] + 1)
                               : (L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                       : L[i * w + j + 1]);
    size_t i = 0, j = 0;
    while (i < m && j < k) {
        if (tok_eq(&a[i], &b[j])) {
            emit(d, DIFF_SAME, &b[j]);
            i++, j++;
        } else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
            emit(d, DIFF_DEL, &a[i++]);
        } else {
            emit(d, DIFF_INS, &b[j++]);
        }
    }
    while (i < m)
        emit(d, DIFF_DEL, &a[i++]);
    while (j < k)
        emit(d, DIFF_INS, &b[j++]);
    free(L);
}

void
diff_words(const char *a, size_t an, const char *b, size_t bn, size_t max_cells, struct diff *out)
{
    size_t na, nb;
    struct tok *ta = tokenize(a, an, &na), *tb = tokenize(b, bn, &nb);
    memset(out, 0, sizeof(*out));
    out->pieces = xmalloc((na + nb + 1) * sizeof(*out->pieces));
    size_t pre = 0;
    while (pre < na && pre < nb && tok_eq(&ta[pre], &tb[pre]))
        pre++;
    size_t suf = 0;
    while (suf < na - pre && suf < nb - pre && tok_eq(&ta[na - 1 - suf], &tb[nb - 1 - suf]))
        suf++;
    for (size_t i = 0; i < pre; i++)
        emit(out, DIFF_SAME, &tb[i]);
    size_t m = na - pre - suf, k = nb - pre - suf;
    bool fits = m < 65535 && k < 65535 && (m + 1) * (k + 1) <= max_cells;
    if (fits) {
        lcs(out, ta + pre, m, tb + pre, k);
    } else {
        out->coarse = true;
        for (size_t i = 0; i < m; i++)
            emit(out, DIFF_DEL, &ta[pre + i]);
        for (size_t j = 0; j < k; j++)
            emit(out, DIFF_INS, &tb[pre + j]);
    }
    for (size_t i = nb - suf; i < nb; i++)
        emit(out, DIFF_SAME, &tb[i]);
    free(ta);
    free(tb);
}

void
diff_release(struct diff *d)
{
    free(d->pieces);
    memset(d, 0, sizeof(*d));
}

json_t *
diff_json(const struct diff *d)
{
    static const char *const names[] = {"same", "del", "ins"};
    json_t *list = json_array();
    for (size_t i = 0; i < d->n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s%}", "op", names[d->pieces[i].op], "text",
                                              d->pieces[i].p, d->pieces[i].n));
    return list;
}
