/*
 * The .bsdict file: an imported bilingual dictionary in our compact form,
 * written once by `broadsheet dict import` and mapped read-only by `serve`.
 *
 * Layout (all integers little-endian):
 *
 *   0    magic "BSDICT1\n"
 *   8    u32 version (1)
 *   12   u32 header size (128)
 *   16   u32 entry size (32)
 *   20   u32 number of entries
 *   24   u64 pool offset (= 128 + entries * 32 + slots * 4)
 *   32   u64 pool length (the file ends with the pool)
 *   40   u32 CRC-32 (zlib) of the index: the entries and the slots
 *   44   u32 number of hash slots (a power of two, at least 2 * entries)
 *   48   char lang[16]  the meanings' language ("ko"), NUL-padded
 *   64   char name[48]  the dictionary ("freedict-eng-deu"), NUL-padded
 *   112  u32 CRC-32 of the pool
 *   116  12 bytes reserved (0)
 *   128  entries, sorted by key (bytes), then in the source's order:
 *          u32 key_off, key_len     folded headword (NFC, case folded, spaces)
 *          u32 head_off, head_len   the headword line as the source shows it
 *          u32 text_off, text_len   the entry: plain UTF-8 text with newlines
 *          u32 brief_off, brief_len one line of the text for a pop-up
 *        offsets are relative to the pool; entries may share text
 *   then the hash slots: u32 each, 1 + the first entry of a key, 0 empty;
 *        FNV-1a of the key, linear probing
 *   pool the strings, valid UTF-8 (checked at import): first every key,
 *        so that lookups and the loader's checks touch only that part,
 *        then the heads and texts
 *
 * Loading checks the sizes, the index's CRC, every offset and length
 * against the pool, the order of keys and the slots, so a lookup can trust
 * the records: a hash probe, then the neighbouring entries with that key.
 * The pool's CRC is checked by dict_book_verify (at import, by `dict
 * list`, and for images in memory), not at every start: a mapped file's
 * pages are read only when a lookup needs them.
 */
#include "dict/dict_int.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC "BSDICT1\n"
#define HEADER_SIZE 128
#define ENTRY_SIZE 32

/* --- the builder ----------------------------------------------------------- */

struct bentry {
    uint32_t f[8]; /* key, key_len, head, head_len, text, text_len, brief, brief_len */
    uint32_t seq;
};

struct dict_builder {
    struct buf keys; /* the keys, which go first in the file's pool */
    struct buf pool; /* heads and texts */
    struct bentry *e;
    size_t n, cap;
};

struct dict_builder *
dict_builder_new(void)
{
    struct dict_builder *b = xcalloc(1, sizeof(*b));
    buf_init(&b->keys, BSDICT_POOL_MAX / 4);
    buf_init(&b->pool, BSDICT_POOL_MAX);
    return b;
}

void
dict_builder_free(struct dict_builder *b)
{
    if (b == NULL)
        return;
    buf_release(&b->keys);
    buf_release(&b->pool);
    free(b->e);
    free(b);
}

size_t
dict_builder_count(const struct dict_builder *b)
{
    return b->n;
}

static struct bentry *
push(struct dict_builder *b, char *err, size_t errlen)
{
    if (b->n >= BSDICT_ENTRIES_MAX) {
        snprintf(err, errlen, "more than %u entries", BSDICT_ENTRIES_MAX);
        return NULL;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->e = xrealloc(b->e, b->cap * sizeof(*b->e));
    }
    struct bentry *e = &b->e[b->n];
    memset(e, 0, sizeof(*e));
    e->seq = (uint32_t)b->n++;
    return e;
}

static uint32_t
pool_put(struct dict_builder *b, const char *p, size_t n)
{
    uint32_t off = (uint32_t)b->pool.len;
    buf_add(&b->pool, p, n);
    return off;
}

static int
add_key(struct dict_builder *b, struct bentry *e, const char *headword, size_t hlen, char *err,
        size_t errlen)
{
    char key[BSDICT_KEY_MAX + 1];
    size_t kn = dict_key_fold(headword, hlen, key, BSDICT_KEY_MAX);
    if (kn == 0) {
        snprintf(err, errlen, "a headword is empty, too long (over %d bytes) or not valid UTF-8",
                 BSDICT_KEY_MAX);
        return -1;
    }
    e->f[0] = (uint32_t)b->keys.len;
    e->f[1] = (uint32_t)kn;
    buf_add(&b->keys, key, kn);
    return 0;
}

static int
pool_check(struct dict_builder *b, char *err, size_t errlen)
{
    if (b->pool.overflow || b->keys.overflow) {
        snprintf(err, errlen, "the dictionary is larger than %u MiB", BSDICT_POOL_MAX >> 20);
        return -1;
    }
    return 0;
}

int
dict_builder_add(struct dict_builder *b, const char *headword, size_t hlen, const char *head,
                 size_t headlen, const char *text, size_t tlen, char *err, size_t errlen)
{
    if (tlen > BSDICT_TEXT_MAX) {
        snprintf(err, errlen, "an entry is longer than %u KiB", BSDICT_TEXT_MAX >> 10);
        return -1;
    }
    size_t cn, hn;
    struct bentry *e = NULL;
    char *clean = text_clean(text, tlen, true, &cn);
    char *chead = text_clean(head, headlen, false, &hn);
    int rc = -1;
    if (clean == NULL || chead == NULL) {
        snprintf(err, errlen, "an entry is not valid UTF-8");
        goto out;
    }
    e = push(b, err, errlen);
    if (e == NULL || add_key(b, e, headword, hlen, err, errlen) != 0)
        goto out;
    struct str brief = dict_text_brief(clean, cn);
    e->f[2] = pool_put(b, chead, hn);
    e->f[3] = (uint32_t)hn;
    e->f[4] = pool_put(b, clean, cn);
    e->f[5] = (uint32_t)cn;
    e->f[6] = e->f[4] + (uint32_t)(brief.p - clean);
    e->f[7] = (uint32_t)brief.n;
    rc = pool_check(b, err, errlen);
out:
    if (rc != 0 && e != NULL && b->n)
        b->n--;
    free(clean);
    free(chead);
    return rc;
}

int
dict_builder_add_same(struct dict_builder *b, const char *headword, size_t hlen, size_t entry,
                      char *err, size_t errlen)
{
    if (entry >= b->n) {
        snprintf(err, errlen, "internal: no entry %zu", entry);
        return -1;
    }
    struct bentry *e = push(b, err, errlen);
    if (e == NULL)
        return -1;
    memcpy(&e->f[2], &b->e[entry].f[2], 6 * sizeof(uint32_t));
    if (add_key(b, e, headword, hlen, err, errlen) != 0 || pool_check(b, err, errlen) != 0) {
        b->n--;
        return -1;
    }
    return 0;
}

/* --- the image ---------------------------------------------------------------- */

static int
cmp_entry(const void *a, const void *b, void *keys)
{
    const struct bentry *x = a, *y = b;
    const char *p = keys;
    size_t n = x->f[1] < y->f[1] ? x->f[1] : y->f[1];
    int c = memcmp(p + x->f[0], p + y->f[0], n);
    if (c == 0)
        c = x->f[1] < y->f[1] ? -1 : x->f[1] > y->f[1];
    return c ? c : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static void
put32(unsigned char *p, uint32_t v)
{
    v = htole32(v);
    memcpy(p, &v, 4);
}

static void
put64(unsigned char *p, uint64_t v)
{
    v = htole64(v);
    memcpy(p, &v, 8);
}

static uint32_t
get32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return le32toh(v);
}

static uint64_t
get64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return le64toh(v);
}

bool
dict_lang_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 15)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (i >= 2 && (c == '-' || (c >= '0' && c <= '9') ||
                                                         (c >= 'A' && c <= 'Z')));
        if (!ok)
            return false;
    }
    return true;
}

bool
dict_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 47)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    }
    return true;
}

/* FNV-1a, 32 bits: part of the .bsdict format (the slot table is written
 * with it), so not core's hash64, whose low bits differ. */
static uint32_t
key_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static size_t
slots_for(size_t n)
{
    size_t s = 16;
    while (s < 2 * n)
        s <<= 1;
    return s;
}

static bool
same_key(const struct dict_builder *b, size_t i, size_t j)
{
    return b->e[i].f[1] == b->e[j].f[1] &&
           memcmp(b->keys.p + b->e[i].f[0], b->keys.p + b->e[j].f[0], b->e[i].f[1]) == 0;
}

/* Sorts the entries and lays out the header, the entry table and the hash
 * slots; the pool follows them unchanged. */
static unsigned char *
layout(struct dict_builder *b, const char *lang, const char *name, size_t *len)
{
    qsort_r(b->e, b->n, sizeof(*b->e), cmp_entry, b->keys.p);
    size_t nslots = slots_for(b->n);
    size_t index = b->n * ENTRY_SIZE + nslots * 4;
    unsigned char *h = xcalloc(1, HEADER_SIZE + index);
    unsigned char *slots = h + HEADER_SIZE + b->n * ENTRY_SIZE;
    uint32_t shift = (uint32_t)b->keys.len; /* heads and texts follow the keys */
    for (size_t i = 0; i < b->n; i++) {
        for (size_t k = 0; k < 8; k++)
            put32(h + HEADER_SIZE + i * ENTRY_SIZE + k * 4,
                  b->e[i].f[k] + (k >= 2 && k % 2 == 0 ? shift : 0));
        if (i && same_key(b, i, i - 1))
            continue;
        size_t sl = key_hash(b->keys.p + b->e[i].f[0], b->e[i].f[1]) & (nslots - 1);
        while (get32(slots + sl * 4))
            sl = (sl + 1) & (nslots - 1);
        put32(slots + sl * 4, (uint32_t)i + 1);
    }
    memcpy(h, MAGIC, 8);
    put32(h + 8, 1);
    put32(h + 12, HEADER_SIZE);
    put32(h + 16, ENTRY_SIZE);
    put32(h + 20, (uint32_t)b->n);
    put64(h + 24, HEADER_SIZE + index);
    put64(h + 32, (uint64_t)b->keys.len + b->pool.len);
    put32(h + 40, (uint32_t)crc32_z(0, h + HEADER_SIZE, index));
    put32(h + 44, (uint32_t)nslots);
    memcpy(h + 48, lang, strlen(lang));
    memcpy(h + 64, name, strlen(name));
    uLong crc = crc32_z(0, (const Bytef *)(b->keys.p ? b->keys.p : ""), b->keys.len);
    crc = crc32_z(crc, (const Bytef *)(b->pool.p ? b->pool.p : ""), b->pool.len);
    put32(h + 112, (uint32_t)crc);
    *len = HEADER_SIZE + index;
    return h;
}

static int
image_check_args(const struct dict_builder *b, const char *lang, const char *name, char *err,
                 size_t errlen)
{
    if (!dict_lang_valid(lang)) {
        snprintf(err, errlen, "bad language '%s' (expected a code such as ko or de)", lang);
        return -1;
    }
    if (!dict_name_valid(name)) {
        snprintf(err, errlen, "bad dictionary name '%s' (letters, digits, '-', '_' and '.')",
                 name);
        return -1;
    }
    if (b->n == 0) {
        snprintf(err, errlen, "the dictionary has no entries");
        return -1;
    }
    return 0;
}

int
dict_builder_image(struct dict_builder *b, const char *lang, const char *name, struct buf *out,
                   char *err, size_t errlen)
{
    if (image_check_args(b, lang, name, err, errlen) != 0)
        return -1;
    size_t hlen;
    unsigned char *h = layout(b, lang, name, &hlen);
    buf_add(out, h, hlen);
    buf_add(out, b->keys.p ? b->keys.p : "", b->keys.len);
    buf_add(out, b->pool.p ? b->pool.p : "", b->pool.len);
    free(h);
    if (out->overflow) {
        snprintf(err, errlen, "the image does not fit its buffer");
        return -1;
    }
    return 0;
}

static int
write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t k = write(fd, s, n > (1u << 30) ? (1u << 30) : n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

int
dict_builder_write_fd(struct dict_builder *b, const char *lang, const char *name, int fd,
                      char *err, size_t errlen)
{
    if (image_check_args(b, lang, name, err, errlen) != 0)
        return -1;
    size_t hlen;
    unsigned char *h = layout(b, lang, name, &hlen);
    int rc = write_all(fd, h, hlen) == 0 &&
                     write_all(fd, b->keys.p ? b->keys.p : "", b->keys.len) == 0 &&
                     write_all(fd, b->pool.p ? b->pool.p : "", b->pool.len) == 0 && fsync(fd) == 0
                 ? 0
                 : -1;
    free(h);
    if (rc != 0)
        snprintf(err, errlen, "cannot write the dictionary file: %s", strerror(errno));
    return rc;
}

/* --- a loaded dictionary ------------------------------------------------------------ */

struct dict_book {
    const unsigned char *base;
    size_t size;
    bool mapped;
    const unsigned char *entries;
    const unsigned char *slots;
    uint32_t mask;
    const char *pool;
    uint64_t pool_len;
    uint32_t n;
    char lang[16];
    char name[48];
};

static int
bad(char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "not a valid .bsdict file: %s", what);
    return -1;
}

static int
entry_cmp(const struct dict_book *bk, const unsigned char *a, const unsigned char *b)
{
    uint32_t an = get32(a + 4), bn = get32(b + 4);
    int c = memcmp(bk->pool + get32(a), bk->pool + get32(b), an < bn ? an : bn);
    return c ? c : (an < bn ? -1 : an > bn);
}

static int
check_entries(struct dict_book *bk, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < bk->n; i++) {
        const unsigned char *e = bk->entries + (size_t)i * ENTRY_SIZE;
        for (int k = 0; k < 4; k++) {
            uint64_t off = get32(e + k * 8), len = get32(e + k * 8 + 4);
            if (off > bk->pool_len || len > bk->pool_len - off)
                return bad(err, errlen, "an entry points past the end of the file");
        }
        uint32_t klen = get32(e + 4);
        if (klen == 0 || klen > BSDICT_KEY_MAX)
            return bad(err, errlen, "an entry has an empty or overlong key");
        if (i && entry_cmp(bk, e - ENTRY_SIZE, e) > 0)
            return bad(err, errlen, "the entries are not sorted");
    }
    return 0;
}

static int
check_slots(struct dict_book *bk, char *err, size_t errlen)
{
    size_t used = 0;
    for (size_t i = 0; i <= bk->mask; i++) {
        uint32_t v = get32(bk->slots + i * 4);
        if (v > bk->n)
            return bad(err, errlen, "a hash slot points past the entries");
        used += v != 0;
    }
    if (used > bk->n || used == bk->mask + 1)
        return bad(err, errlen, "the hash slots are inconsistent");
    return 0;
}

static int
check_header(struct dict_book *bk, char *err, size_t errlen)
{
    const unsigned char *h = bk->base;
    if (bk->size < HEADER_SIZE || memcmp(h, MAGIC, 8) != 0)
        return bad(err, errlen, "wrong magic (not made by `broadsheet dict import`?)");
    if (get32(h + 8) != 1 || get32(h + 12) != HEADER_SIZE || get32(h + 16) != ENTRY_SIZE)
        return bad(err, errlen, "unknown version");
    bk->n = get32(h + 20);
    uint32_t nslots = get32(h + 44);
    uint64_t pool_off = get64(h + 24);
    bk->pool_len = get64(h + 32);
    uint64_t index = (uint64_t)bk->n * ENTRY_SIZE + (uint64_t)nslots * 4;
    if (bk->n > BSDICT_ENTRIES_MAX || nslots < 2 * (uint64_t)bk->n || nslots > 4 * BSDICT_ENTRIES_MAX ||
        (nslots & (nslots - 1)) != 0 || pool_off != HEADER_SIZE + index || pool_off > bk->size ||
        bk->pool_len != bk->size - pool_off)
        return bad(err, errlen, "the sizes do not match the file (truncated?)");
    if (h[48 + 15] != '\0' || h[64 + 47] != '\0')
        return bad(err, errlen, "the language or name is not terminated");
    memcpy(bk->lang, h + 48, 16);
    memcpy(bk->name, h + 64, 48);
    if (!dict_lang_valid(bk->lang) || !dict_name_valid(bk->name))
        return bad(err, errlen, "bad language or name");
    if ((uint32_t)crc32_z(0, h + HEADER_SIZE, (size_t)index) != get32(h + 40))
        return bad(err, errlen, "index checksum mismatch (damaged file)");
    bk->entries = h + HEADER_SIZE;
    bk->slots = bk->entries + (size_t)bk->n * ENTRY_SIZE;
    bk->mask = nslots - 1;
    bk->pool = (const char *)h + pool_off;
    return 0;
}

int
dict_book_verify(const struct dict_book *bk, char *err, size_t errlen)
{
    uLong crc = crc32_z(0, (const Bytef *)bk->pool, (size_t)bk->pool_len);
    if ((uint32_t)crc != get32(bk->base + 112))
        return bad(err, errlen, "pool checksum mismatch (damaged file)");
    return 0;
}

struct dict_book *
dict_book_open_mem(const void *p, size_t n, char *err, size_t errlen)
{
    struct dict_book *bk = xcalloc(1, sizeof(*bk));
    unsigned char *copy = xmalloc(n ? n : 1);
    if (n)
        memcpy(copy, p, n);
    bk->base = copy;
    bk->size = n;
    if (check_header(bk, err, errlen) != 0 || check_entries(bk, err, errlen) != 0 ||
        check_slots(bk, err, errlen) != 0 || dict_book_verify(bk, err, errlen) != 0) {
        dict_book_free(bk);
        return NULL;
    }
    return bk;
}

struct dict_book *
dict_book_open(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    struct dict_book *bk = NULL;
    if (fstat(fd, &sb) != 0 || sb.st_size < HEADER_SIZE) {
        snprintf(err, errlen, "'%s' is not a valid .bsdict file: too short", path);
        goto out;
    }
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "cannot map '%s': %s", path, strerror(errno));
        goto out;
    }
    bk = xcalloc(1, sizeof(*bk));
    bk->base = m;
    bk->size = (size_t)sb.st_size;
    bk->mapped = true;
    char why[200];
    if (check_header(bk, why, sizeof(why)) != 0 || check_entries(bk, why, sizeof(why)) != 0 ||
        check_slots(bk, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "'%s': %s", path, why);
        dict_book_free(bk);
        bk = NULL;
    }
out:
    close(fd);
    return bk;
}

void
dict_book_free(struct dict_book *bk)
{
    if (bk == NULL)
        return;
    if (bk->mapped)
        munmap((void *)bk->base, bk->size);
    else
        free((void *)bk->base);
    free(bk);
}

const char *
dict_book_lang(const struct dict_book *bk)
{
    return bk->lang;
}

const char *
dict_book_name(const struct dict_book *bk)
{
    return bk->name;
}

size_t
dict_book_count(const struct dict_book *bk)
{
    return bk->n;
}

size_t
dict_book_bytes(const struct dict_book *bk)
{
    return bk->size;
}

static int
key_cmp(const struct dict_book *bk, const unsigned char *e, const char *key, size_t n)
{
    uint32_t en = get32(e + 4);
    int c = memcmp(bk->pool + get32(e), key, en < n ? en : n);
    return c ? c : (en < n ? -1 : en > n);
}

static struct str
slice(const struct dict_book *bk, const unsigned char *e, int field)
{
    return (struct str){bk->pool + get32(e + field * 8), get32(e + field * 8 + 4)};
}

size_t
dict_book_find(const struct dict_book *bk, const char *word, size_t n, struct dict_meaning *out,
               size_t max)
{
    char key[BSDICT_KEY_MAX + 1];
    size_t kn = dict_key_fold(word, n, key, BSDICT_KEY_MAX);
    return kn ? dict_book_find_key(bk, key, kn, out, max) : 0;
}

size_t
dict_book_find_key(const struct dict_book *bk, const char *key, size_t kn,
                   struct dict_meaning *out, size_t max)
{
    if (kn == 0 || bk->n == 0)
        return 0;
    size_t first = SIZE_MAX;
    size_t sl = key_hash(key, kn) & bk->mask;
    for (size_t probes = 0; probes <= bk->mask; probes++, sl = (sl + 1) & bk->mask) {
        uint32_t v = get32(bk->slots + sl * 4);
        if (v == 0)
            break;
        if (key_cmp(bk, bk->entries + (size_t)(v - 1) * ENTRY_SIZE, key, kn) == 0) {
            first = v - 1;
            break;
        }
    }
    size_t k = 0;
    for (size_t i = first; i < bk->n && k < max; i++) {
        const unsigned char *e = bk->entries + i * ENTRY_SIZE;
        if (key_cmp(bk, e, key, kn) != 0)
            break;
        out[k++] = (struct dict_meaning){.lang = bk->lang, .name = bk->name,
                                         .head = slice(bk, e, 1), .text = slice(bk, e, 2),
                                         .brief = slice(bk, e, 3)};
    }
    return k;
}
