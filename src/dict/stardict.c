/*
 * StarDict: the .ifo (text: a magic first line, then key=value), the .idx
 * (per entry: the word, NUL, its data offset in 32 or 64 bits and its size
 * in 32 bits, big-endian) and the .dict (the entries' data, each a
 * sequence of typed fields: lower-case types are NUL-terminated text,
 * upper-case ones carry a 32-bit size; with sametypesequence the type
 * letters are left out and the last field runs to the end of the entry).
 *
 * We keep the text fields: plain ('m', 'l'), the phonetic line ('t') for
 * the head, and markup ('g' Pango, 'x' XDXF, 'h' HTML, 'k') turned into
 * text by libxml2's HTML parser. Every count, size and offset is checked
 * against the files before use.
 */
#include "dict/dict_int.h"

#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IFO_MAGIC "StarDict's dict ifo file"

struct ifo {
    long wordcount;
    long idxfilesize;
    int offsetbits;
    char types[16]; /* sametypesequence, or "" */
    bool v3;
};

static bool
is_type(char t)
{
    return t && strchr("mltgxykwhnrWPX", t) != NULL;
}

static int
ifo_key(struct ifo *f, const char *k, size_t kn, const char *v, size_t vn, char *err,
        size_t errlen)
{
#define IS(lit) (kn == sizeof(lit) - 1 && memcmp(k, lit, kn) == 0)
    if (IS("version")) {
        f->v3 = vn == 5 && memcmp(v, "3.0.0", 5) == 0;
        if (!f->v3 && !(vn == 5 && memcmp(v, "2.4.2", 5) == 0))
            return dict_failf(err, errlen, "unsupported StarDict version '%.*s' (2.4.2 or 3.0.0)",
                              (int)(vn > 20 ? 20 : vn), v);
    } else if (IS("wordcount")) {
        if (parse_long(v, vn, 1, BSDICT_ENTRIES_MAX, &f->wordcount) != 0)
            return dict_failf(err, errlen, "bad wordcount in the .ifo (1 to %u)",
                              BSDICT_ENTRIES_MAX);
    } else if (IS("idxfilesize")) {
        if (parse_long(v, vn, 1, 1L << 40, &f->idxfilesize) != 0)
            return dict_failf(err, errlen, "bad idxfilesize in the .ifo");
    } else if (IS("idxoffsetbits")) {
        long bits;
        if (parse_long(v, vn, 32, 64, &bits) != 0 || (bits != 32 && bits != 64))
            return dict_failf(err, errlen, "bad idxoffsetbits in the .ifo (32 or 64)");
        f->offsetbits = (int)bits;
    } else if (IS("sametypesequence")) {
        if (vn == 0 || vn >= sizeof(f->types))
            return dict_failf(err, errlen, "bad sametypesequence in the .ifo");
        for (size_t i = 0; i < vn; i++)
            if (!is_type(v[i]))
                return dict_failf(err, errlen, "unknown field type '%c' in sametypesequence", v[i]);
        memcpy(f->types, v, vn);
        f->types[vn] = '\0';
    }
#undef IS
    return 0;
}

static int
parse_ifo(const char *p, size_t n, struct ifo *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof(*f));
    f->offsetbits = 32;
    size_t ml = strlen(IFO_MAGIC);
    if (n < ml || memcmp(p, IFO_MAGIC, ml) != 0)
        return dict_failf(err, errlen, "the .ifo file does not start with \"%s\"", IFO_MAGIC);
    bool version = false;
    for (size_t i = ml; i < n;) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - p) : n;
        size_t len = end - i;
        if (len && p[i + len - 1] == '\r')
            len--;
        const char *eq = memchr(p + i, '=', len);
        if (eq) {
            size_t kn = (size_t)(eq - (p + i));
            version |= kn == 7 && memcmp(p + i, "version", 7) == 0;
            if (ifo_key(f, p + i, kn, eq + 1, len - kn - 1, err, errlen) != 0)
                return -1;
        }
        i = end + 1;
    }
    if (!version || f->wordcount == 0 || f->idxfilesize == 0)
        return dict_failf(err, errlen, "the .ifo lacks version, wordcount or idxfilesize");
    if (f->offsetbits == 64 && !f->v3)
        return dict_failf(err, errlen, "idxoffsetbits=64 needs version 3.0.0");
    return 0;
}

/* --- markup to text --- */

static void
node_text(xmlNode *node, struct buf *out, int depth)
{
    for (xmlNode *n = node; n && depth < 64; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                buf_adds(out, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            bool block = !strcmp(name, "br") || !strcmp(name, "p") || !strcmp(name, "div") ||
                         !strcmp(name, "li") || !strcmp(name, "def");
            if (block && out->len && out->p[out->len - 1] != '\n')
                buf_addch(out, '\n');
            node_text(n->children, out, depth + 1);
            if (block && out->len && out->p[out->len - 1] != '\n')
                buf_addch(out, '\n');
        }
    }
}

static void
markup_text(const char *p, size_t n, struct buf *out)
{
    if (n == 0 || n > BSDICT_TEXT_MAX)
        return;
    htmlDocPtr doc = htmlReadMemory(p, (int)n, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (doc == NULL)
        return;
    node_text(xmlDocGetRootElement(doc), out, 0);
    xmlFreeDoc(doc);
}

/* --- entries --- */

struct fields {
    struct buf text;
    struct buf phonetic;
};

static void
use_field(struct fields *fs, char type, const char *p, size_t n)
{
    if (n == 0)
        return;
    struct buf *t = &fs->text;
    if (t->len && t->p[t->len - 1] != '\n' && strchr("mlgxhkw", type))
        buf_addch(t, '\n');
    switch (type) {
    case 'm':
    case 'l':
    case 'w':
        buf_add(t, p, n);
        break;
    case 'g':
    case 'x':
    case 'h':
    case 'k':
        markup_text(p, n, t);
        break;
    case 't':
        buf_add(&fs->phonetic, p, n);
        break;
    default:
        break; /* pictures, sounds, resources, yinbiao */
    }
}

/* One field at *pos; last: with sametypesequence, runs to the end. */
static int
take_field(const char *d, size_t n, size_t *pos, char type, bool last, struct fields *fs)
{
    size_t at = *pos;
    if (type >= 'a' && type <= 'z') {
        const char *nul = memchr(d + at, '\0', n - at);
        if (!last && nul == NULL)
            return -1;
        size_t len = nul ? (size_t)(nul - (d + at)) : n - at;
        use_field(fs, type, d + at, len);
        *pos = last ? n : at + len + 1;
        return 0;
    }
    size_t len;
    if (last) {
        len = n - at;
    } else {
        if (n - at < 4)
            return -1;
        const unsigned char *u = (const unsigned char *)d + at;
        len = (size_t)u[0] << 24 | (size_t)u[1] << 16 | (size_t)u[2] << 8 | u[3];
        at += 4;
        if (len > n - at)
            return -1;
    }
    use_field(fs, type, d + at, len);
    *pos = at + len;
    return 0;
}

static int
entry_fields(const struct ifo *f, const char *d, size_t n, struct fields *fs)
{
    size_t pos = 0;
    if (f->types[0]) {
        size_t nt = strlen(f->types);
        for (size_t i = 0; i < nt; i++)
            if (take_field(d, n, &pos, f->types[i], i + 1 == nt, fs) != 0)
                return -1;
        return 0;
    }
    while (pos < n) {
        char type = d[pos++];
        if (!is_type(type) || take_field(d, n, &pos, type, false, fs) != 0)
            return -1;
    }
    return 0;
}

static int
add_entry(struct dict_builder *b, const struct ifo *f, const char *word, size_t wn,
          const char *d, size_t n, char *err, size_t errlen)
{
    struct fields fs = {BUF_INIT, BUF_INIT};
    buf_init(&fs.text, BSDICT_TEXT_MAX);
    buf_init(&fs.phonetic, 1024);
    int rc = 0;
    if (entry_fields(f, d, n, &fs) != 0) {
        rc = dict_failf(err, errlen, "malformed data (a field runs past the entry)");
    } else if (fs.text.overflow) {
        rc = dict_failf(err, errlen, "an entry is longer than %u KiB", BSDICT_TEXT_MAX >> 10);
    } else if (!utf8_valid(fs.text.p ? fs.text.p : "", fs.text.len)) {
        rc = dict_failf(err, errlen, "the text is not valid UTF-8");
    } else if (fs.text.len) {
        struct buf head = BUF_INIT;
        buf_add(&head, word, wn);
        if (fs.phonetic.len && !fs.phonetic.overflow)
            buf_addf(&head, " /%.*s/", (int)fs.phonetic.len, fs.phonetic.p);
        rc = dict_builder_add(b, word, wn, head.p, head.len, fs.text.p, fs.text.len, err, errlen);
        buf_release(&head);
    }
    buf_release(&fs.text);
    buf_release(&fs.phonetic);
    return rc;
}

static uint64_t
be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

static int
parse_idx(struct dict_builder *b, const struct ifo *f, const char *idx, size_t ilen,
          const char *d, size_t dlen, char *err, size_t errlen)
{
    int ob = f->offsetbits / 8;
    size_t pos = 0;
    long count = 0;
    while (pos < ilen) {
        const char *w = idx + pos;
        const char *nul = memchr(w, '\0', ilen - pos < 257 ? ilen - pos : 257);
        if (nul == NULL || nul == w)
            return dict_failf(err, errlen,
                              "the .idx is damaged at entry %ld (no word, or over 256 bytes)",
                              count + 1);
        size_t wn = (size_t)(nul - w);
        pos += wn + 1;
        if (ilen - pos < (size_t)ob + 4)
            return dict_failf(err, errlen, "the .idx is truncated at entry %ld", count + 1);
        uint64_t off = be((const unsigned char *)idx + pos, ob);
        uint64_t size = be((const unsigned char *)idx + pos + ob, 4);
        pos += (size_t)ob + 4;
        if (++count > f->wordcount)
            return dict_failf(err, errlen,
                              "the .idx has more entries than the .ifo's wordcount %ld",
                              f->wordcount);
        if (!utf8_valid(w, wn))
            return dict_failf(err, errlen, "entry %ld: the word is not valid UTF-8", count);
        if (off > dlen || size > dlen - off)
            return dict_failf(err, errlen,
                              "entry %ld '%.*s': data past the end of the .dict "
                              "(offset %llu + size %llu > %zu bytes)",
                              count, (int)(wn > 60 ? 60 : wn), w, (unsigned long long)off,
                              (unsigned long long)size, dlen);
        char why[200];
        if (add_entry(b, f, w, wn, d + off, (size_t)size, why, sizeof(why)) != 0)
            return dict_failf(err, errlen, "entry %ld '%.*s': %s", count, (int)(wn > 60 ? 60 : wn),
                              w, why);
    }
    if (count != f->wordcount)
        return dict_failf(err, errlen, "the .idx has %ld entries but the .ifo's wordcount is %ld",
                          count, f->wordcount);
    return 0;
}

int
dict_parse_stardict(struct dict_builder *b, const char *ifo, size_t ifolen, const char *idx,
                    size_t idxlen, bool idx_gz, const char *data, size_t dlen, bool dz,
                    char *err, size_t errlen)
{
    struct ifo f;
    if (parse_ifo(ifo, ifolen, &f, err, errlen) != 0)
        return -1;
    char *idx_in = NULL, *data_in = NULL;
    char why[200];
    int rc = -1;
    if (idx_gz && dict_gunzip(idx, idxlen, DICT_INFLATE_MAX, &idx_in, &idxlen, why,
                              sizeof(why)) != 0) {
        dict_failf(err, errlen, "the .idx.gz file: %s", why);
        goto out;
    }
    if (dz && dict_gunzip(data, dlen, DICT_INFLATE_MAX, &data_in, &dlen, why, sizeof(why)) != 0) {
        dict_failf(err, errlen, "the .dict.dz file: %s", why);
        goto out;
    }
    if ((uint64_t)f.idxfilesize != idxlen) {
        dict_failf(err, errlen, "the .idx is %zu bytes but the .ifo says %ld (truncated?)", idxlen,
                   f.idxfilesize);
        goto out;
    }
    if ((uint64_t)f.wordcount > idxlen / (2 + (size_t)f.offsetbits / 8 + 4)) {
        dict_failf(err, errlen, "the .ifo's wordcount %ld is impossible for a .idx of %zu bytes",
                   f.wordcount, idxlen);
        goto out;
    }
    rc = parse_idx(b, &f, idx_in ? idx_in : idx, idxlen, data_in ? data_in : data, dlen, err,
                   errlen);
    if (rc == 0 && dict_builder_count(b) == 0)
        rc = dict_failf(err, errlen, "the dictionary has no text entries");
out:
    free(idx_in);
    free(data_in);
    return rc;
}
