/*
 * Importing bilingual dictionaries: dictd (.index + .dict or .dict.dz),
 * tab-separated files, and the file side of every format (StarDict's
 * parser is in stardict.c). Parsers take bytes and check everything a
 * damaged or hostile file could get wrong (truncation, offsets past the
 * end, bad UTF-8, a .dz that is not gzip, absurd counts) before a byte of
 * it is used; the file side writes the .bsdict through a temporary file
 * and a rename, so a failure leaves nothing half-written.
 */
#include "dict/dict_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define INDEX_MAX (512u * 1024 * 1024)
#define DATA_MAX (1024u * 1024 * 1024)

int
dict_format_parse(const char *s, enum dict_format *out)
{
    if (strcmp(s, "dictd") == 0)
        *out = DICT_FORMAT_DICTD;
    else if (strcmp(s, "stardict") == 0)
        *out = DICT_FORMAT_STARDICT;
    else if (strcmp(s, "tsv") == 0)
        *out = DICT_FORMAT_TSV;
    else
        return -1;
    return 0;
}

int
dict_failf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* --- gzip (dictzip is gzip with an index of chunks in its extra field) --- */

int
dict_gunzip(const char *p, size_t n, size_t max, char **out, size_t *outlen, char *err,
            size_t errlen)
{
    *out = NULL;
    *outlen = 0;
    if (n < 18 || (unsigned char)p[0] != 0x1f || (unsigned char)p[1] != 0x8b)
        return dict_failf(err, errlen, "not a gzip (dictzip) file");
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return dict_failf(err, errlen, "cannot start zlib");
    struct buf b = BUF_INIT;
    buf_init(&b, max);
    z.next_in = (Bytef *)p;
    int rc = Z_OK;
    size_t left = n;
    unsigned char chunk[65536];
    while (rc == Z_OK) {
        if (z.avail_in == 0 && left) {
            z.avail_in = left > (1u << 30) ? (1u << 30) : (uInt)left;
            left -= z.avail_in;
        }
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        rc = inflate(&z, Z_NO_FLUSH);
        buf_add(&b, chunk, sizeof(chunk) - z.avail_out);
        if (b.overflow)
            break;
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0)
            break;
        if (rc == Z_BUF_ERROR)
            rc = Z_OK;
    }
    inflateEnd(&z);
    if (rc == Z_STREAM_END && !b.overflow) {
        *outlen = b.len;
        *out = buf_detach(&b, NULL);
        return 0;
    }
    buf_release(&b);
    if (b.overflow)
        return dict_failf(err, errlen, "the compressed data inflates to more than %zu MiB",
                          max >> 20);
    if (rc == Z_BUF_ERROR || rc == Z_OK)
        return dict_failf(err, errlen, "the compressed data is truncated");
    return dict_failf(err, errlen, "the compressed data is damaged (%s)",
                      z.msg ? z.msg : "zlib error");
}

/* --- lines ------------------------------------------------------------------ */

struct line {
    const char *p;
    size_t n;
    size_t no;
};

/* The next line of text (without \n or \r\n); false at the end. */
static bool
next_line(const char *text, size_t len, size_t *pos, struct line *l)
{
    if (*pos >= len)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - s) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    if (n && s[n - 1] == '\r')
        n--;
    l->p = s;
    l->n = n;
    l->no++;
    return true;
}

/* Splits at tabs; returns the number of fields (at most max). */
static size_t
split_tabs(const char *p, size_t n, struct str *f, size_t max)
{
    size_t k = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '\t')
            continue;
        if (k == max)
            return max + 1;
        f[k++] = (struct str){p + start, i - start};
        start = i + 1;
    }
    return k;
}

/* --- dictd ------------------------------------------------------------------ */

/* dictd's numbers: base64 digits, most significant first. */
static int
b64_number(struct str s, uint64_t *out)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (s.n == 0 || s.n > 10)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < s.n; i++) {
        const char *d = s.p[i] ? strchr(digits, s.p[i]) : NULL;
        if (d == NULL)
            return -1;
        v = v * 64 + (uint64_t)(d - digits);
    }
    *out = v;
    return 0;
}

static bool
has_prefix(struct str s, const char *lit)
{
    size_t k = strlen(lit);
    return s.n >= k && memcmp(s.p, lit, k) == 0;
}

static bool
starts_ci(const char *p, size_t n, struct str word)
{
    if (n < word.n)
        return false;
    for (size_t i = 0; i < word.n; i++) {
        char a = p[i], b = word.p[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

/* A dictd entry usually repeats its headword (with pronunciation) on the
 * first line; that line becomes the head, the rest the text, without the
 * {braces} that mark cross references. */
static int
dictd_add(struct dict_builder *b, struct str word, const char *data, size_t len, char *err,
          size_t errlen)
{
    const char *nl = memchr(data, '\n', len);
    struct str head = word;
    const char *text = data;
    size_t tlen = len;
    if (nl) {
        size_t l1 = (size_t)(nl - data);
        const char *slash = memchr(data, '/', l1);
        bool ipa = slash && memchr(slash + 1, '/', l1 - (size_t)(slash + 1 - data));
        const char *rest = nl + 1;
        bool more = false;
        for (const char *q = rest; q < data + len && !more; q++)
            more = *q != ' ' && *q != '\n' && *q != '\t' && *q != '\r';
        if (more && (starts_ci(data, l1, word) || ipa)) {
            head = (struct str){data, l1};
            text = rest;
            tlen = len - l1 - 1;
        }
    }
    char *plain = xmalloc(tlen + 1);
    size_t pn = 0;
    for (size_t i = 0; i < tlen; i++)
        if (text[i] != '{' && text[i] != '}')
            plain[pn++] = text[i];
    int rc = dict_builder_add(b, word.p, word.n, head.p, head.n, plain, pn, err, errlen);
    free(plain);
    return rc;
}

/* (offset, length) -> the entry that holds that text: dictd indexes often
 * point several headwords ("held", "hold") at the same text. */
struct seen {
    uint64_t *keys;
    uint32_t *entry;
    size_t mask;
};

static void
seen_init(struct seen *s, size_t n)
{
    size_t slots = 1024;
    while (slots < n * 2)
        slots <<= 1;
    s->keys = xcalloc(slots, sizeof(uint64_t));
    s->entry = xcalloc(slots, sizeof(uint32_t));
    s->mask = slots - 1;
}

static void
seen_release(struct seen *s)
{
    free(s->keys);
    free(s->entry);
}

/* The slot for (off, len): *found tells whether it is taken. */
static size_t
seen_slot(struct seen *s, uint64_t off, uint64_t len, bool *found)
{
    uint64_t key = ((off << 24) ^ len) + 1;
    size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & s->mask;
    while (s->keys[i] && s->keys[i] != key)
        i = (i + 1) & s->mask;
    *found = s->keys[i] == key;
    s->keys[i] = key;
    return i;
}

static size_t
count_lines(const char *p, size_t n)
{
    size_t c = 1;
    for (const char *q = p; (q = memchr(q, '\n', n - (size_t)(q - p))) != NULL; q++)
        c++;
    return c;
}

static int
dictd_line(struct dict_builder *b, struct seen *seen, const struct line *l, const char *data,
           size_t dlen, char *err, size_t errlen)
{
    struct str f[4];
    size_t nf = split_tabs(l->p, l->n, f, 4);
    if (nf < 3 || nf > 4)
        return dict_failf(err, errlen, "index line %zu: expected headword<TAB>offset<TAB>length",
                          l->no);
    if (!utf8_valid(f[0].p, f[0].n))
        return dict_failf(err, errlen, "index line %zu: the headword is not valid UTF-8", l->no);
    uint64_t off, len;
    if (b64_number(f[1], &off) || b64_number(f[2], &len))
        return dict_failf(err, errlen,
                          "index line %zu: bad offset or length (dictd's base64 numbers)", l->no);
    if (off > dlen || len > dlen - off)
        return dict_failf(err, errlen,
                          "index line %zu: entry '%.*s' points past the end of the data "
                          "(offset %llu + length %llu > %zu bytes; truncated .dict?)",
                          l->no, (int)(f[0].n > 60 ? 60 : f[0].n), f[0].p, (unsigned long long)off,
                          (unsigned long long)len, dlen);
    if (has_prefix(f[0], "00-database-") || has_prefix(f[0], "00database"))
        return 0; /* the dictionary's own metadata */
    char key[BSDICT_KEY_MAX + 1];
    if (dict_key_fold(f[0].p, f[0].n, key, BSDICT_KEY_MAX) == 0)
        return 0; /* an empty headword: nothing a reader can look up */
    if (len > BSDICT_TEXT_MAX)
        return dict_failf(err, errlen, "index line %zu: entry longer than %u KiB", l->no,
                          BSDICT_TEXT_MAX >> 10);
    bool found;
    size_t slot = seen_slot(seen, off, len, &found);
    char why[200];
    int rc = found ? dict_builder_add_same(b, f[0].p, f[0].n, seen->entry[slot], why, sizeof(why))
                   : dictd_add(b, f[0], data + off, (size_t)len, why, sizeof(why));
    if (rc != 0)
        return dict_failf(err, errlen, "index line %zu, entry '%.*s': %s", l->no,
                          (int)(f[0].n > 60 ? 60 : f[0].n), f[0].p, why);
    if (!found)
        seen->entry[slot] = (uint32_t)(dict_builder_count(b) - 1);
    return 0;
}

int
dict_parse_dictd(struct dict_builder *b, const char *index, size_t ilen, const char *data,
                 size_t dlen, bool dz, char *err, size_t errlen)
{
    char *inflated = NULL;
    if (dz) {
        char why[200];
        if (dict_gunzip(data, dlen, DICT_INFLATE_MAX, &inflated, &dlen, why, sizeof(why)) != 0)
            return dict_failf(err, errlen, "the .dict.dz file: %s", why);
        data = inflated;
    }
    size_t nlines = count_lines(index, ilen);
    int rc = -1;
    struct seen seen = {0};
    if (nlines > BSDICT_ENTRIES_MAX) {
        dict_failf(err, errlen, "the index has %zu lines, more than %u", nlines,
                   BSDICT_ENTRIES_MAX);
        goto out;
    }
    seen_init(&seen, nlines);
    size_t pos = 0;
    struct line l = {0};
    while (next_line(index, ilen, &pos, &l))
        if (l.n && dictd_line(b, &seen, &l, data, dlen, err, errlen) != 0)
            goto out;
    if (dict_builder_count(b) == 0) {
        dict_failf(err, errlen, "the index has no entries");
        goto out;
    }
    rc = 0;
out:
    seen_release(&seen);
    free(inflated);
    return rc;
}

/* --- tab-separated ---------------------------------------------------------- */

/* "\n" and "\t" written out in a meaning become the characters. */
static char *
unescape(const char *p, size_t n, size_t *outlen)
{
    char *s = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\' && i + 1 < n && (p[i + 1] == 'n' || p[i + 1] == 't')) {
            s[o++] = p[i + 1] == 'n' ? '\n' : ' ';
            i++;
        } else {
            s[o++] = p[i];
        }
    }
    s[o] = '\0';
    *outlen = o;
    return s;
}

static struct str
trim(struct str s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t'))
        s.p++, s.n--;
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
        s.n--;
    return s;
}

static int
tsv_line(struct dict_builder *b, const struct line *l, char *err, size_t errlen)
{
    if (!utf8_valid(l->p, l->n))
        return dict_failf(err, errlen, "line %zu: not valid UTF-8", l->no);
    const char *tab = memchr(l->p, '\t', l->n);
    if (tab == NULL)
        return dict_failf(err, errlen, "line %zu: expected headword<TAB>meaning", l->no);
    struct str word = trim((struct str){l->p, (size_t)(tab - l->p)});
    struct str meaning = trim((struct str){tab + 1, l->n - (size_t)(tab + 1 - l->p)});
    if (word.n == 0 || meaning.n == 0)
        return dict_failf(err, errlen, "line %zu: the %s is empty", l->no,
                          word.n == 0 ? "headword" : "meaning");
    size_t mn;
    char *m = unescape(meaning.p, meaning.n, &mn);
    char why[200];
    int rc = dict_builder_add(b, word.p, word.n, word.p, word.n, m, mn, why, sizeof(why));
    free(m);
    if (rc != 0)
        return dict_failf(err, errlen, "line %zu: %s", l->no, why);
    return 0;
}

int
dict_parse_tsv(struct dict_builder *b, const char *p, size_t n, char *err, size_t errlen)
{
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3, n -= 3; /* a byte order mark */
    if (memchr(p, '\0', n))
        return dict_failf(err, errlen, "the file contains NUL bytes (not a text file?)");
    size_t pos = 0;
    struct line l = {0};
    while (next_line(p, n, &pos, &l)) {
        struct str t = trim((struct str){l.p, l.n});
        if (t.n == 0 || t.p[0] == '#')
            continue;
        if (tsv_line(b, &l, err, errlen) != 0)
            return -1;
    }
    if (dict_builder_count(b) == 0)
        return dict_failf(err, errlen, "the file has no entries");
    return 0;
}

/* --- files -------------------------------------------------------------------- */

static bool
exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static bool
ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* path without the first of the suffixes it ends with */
static char *
base_of(const char *path, const char *const *suffixes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ends(path, suffixes[i]))
            return xstrndup(path, strlen(path) - strlen(suffixes[i]));
    return xstrdup(path);
}

static char *
read_whole(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    char *data = file_read(path, max, len);
    if (data == NULL)
        dict_failf(err, errlen, "cannot read '%s': %s", path,
                   errno == EFBIG ? "the file is too large" : strerror(errno));
    return data;
}

/* "freedict-eng-deu" from "/usr/share/dictd/freedict-eng-deu.index" */
static void
default_name(const char *base, char *out, size_t max)
{
    const char *slash = strrchr(base, '/');
    const char *s = slash ? slash + 1 : base;
    size_t o = 0;
    for (; *s && *s != '.' && o + 1 < max && o < 48; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        out[o++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-';
    }
    out[o] = '\0';
    if (o == 0)
        snprintf(out, max, "dictionary");
}

static int
parse_dictd_files(struct dict_builder *b, const char *path, char **basep, char *err, size_t errlen)
{
    static const char *const sfx[] = {".index", ".dict.dz", ".dict"};
    char *base = base_of(path, sfx, ARRAY_SIZE(sfx));
    *basep = base;
    size_t plen = strlen(base) + 16;
    char *ipath = xmalloc(plen), *dpath = xmalloc(plen);
    snprintf(ipath, plen, "%s.index", base);
    snprintf(dpath, plen, "%s.dict.dz", base);
    bool dz = exists(dpath);
    if (!dz)
        snprintf(dpath, plen, "%s.dict", base);
    size_t ilen = 0, dlen = 0;
    char *index = read_whole(ipath, INDEX_MAX, &ilen, err, errlen);
    char *data = index ? read_whole(dpath, DATA_MAX, &dlen, err, errlen) : NULL;
    int rc = -1;
    char why[400];
    if (index && data) {
        rc = dict_parse_dictd(b, index, ilen, data, dlen, dz, why, sizeof(why));
        if (rc != 0)
            dict_failf(err, errlen, "'%s': %s", ipath, why);
    }
    free(index);
    free(data);
    free(ipath);
    free(dpath);
    return rc;
}

static int
parse_stardict_files(struct dict_builder *b, const char *path, char **basep, char *err,
                     size_t errlen)
{
    static const char *const sfx[] = {".ifo", ".idx.gz", ".idx", ".dict.dz", ".dict"};
    char *base = base_of(path, sfx, ARRAY_SIZE(sfx));
    *basep = base;
    size_t plen = strlen(base) + 16;
    char *ifop = xmalloc(plen), *idxp = xmalloc(plen), *dictp = xmalloc(plen);
    snprintf(ifop, plen, "%s.ifo", base);
    snprintf(idxp, plen, "%s.idx.gz", base);
    bool idx_gz = exists(idxp);
    if (!idx_gz)
        snprintf(idxp, plen, "%s.idx", base);
    snprintf(dictp, plen, "%s.dict.dz", base);
    bool dz = exists(dictp);
    if (!dz)
        snprintf(dictp, plen, "%s.dict", base);
    size_t ifolen = 0, idxlen = 0, dlen = 0;
    char *ifo = read_whole(ifop, 1u << 20, &ifolen, err, errlen);
    char *idx = ifo ? read_whole(idxp, INDEX_MAX, &idxlen, err, errlen) : NULL;
    char *data = idx ? read_whole(dictp, DATA_MAX, &dlen, err, errlen) : NULL;
    int rc = -1;
    char why[400];
    if (data) {
        rc = dict_parse_stardict(b, ifo, ifolen, idx, idxlen, idx_gz, data, dlen, dz, why,
                                 sizeof(why));
        if (rc != 0)
            dict_failf(err, errlen, "'%s': %s", ifop, why);
    }
    free(ifo);
    free(idx);
    free(data);
    free(ifop);
    free(idxp);
    free(dictp);
    return rc;
}

static int
parse_tsv_file(struct dict_builder *b, const char *path, char **basep, char *err, size_t errlen)
{
    static const char *const sfx[] = {".tsv", ".txt", ".tab"};
    *basep = base_of(path, sfx, ARRAY_SIZE(sfx));
    size_t len = 0;
    char *data = read_whole(path, INDEX_MAX, &len, err, errlen);
    if (data == NULL)
        return -1;
    char why[400];
    int rc = dict_parse_tsv(b, data, len, why, sizeof(why));
    if (rc != 0)
        dict_failf(err, errlen, "'%s': %s", path, why);
    free(data);
    return rc;
}

/* mkdir -p */
static int
make_dirs(const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *s = c;
        if (c == '\0' || rc != 0)
            break;
    }
    free(p);
    return rc;
}

/* Writes the builder to data_dir/<lang>-<name>.bsdict via a temporary
 * file that is checked by loading it before the rename. */
static int
write_book(struct dict_builder *b, const char *lang, const char *name, const char *data_dir,
           char *out_path, size_t out_path_len, char *err, size_t errlen)
{
    if (make_dirs(data_dir) != 0)
        return dict_failf(err, errlen, "cannot create the folder '%s': %s", data_dir,
                          strerror(errno));
    snprintf(out_path, out_path_len, "%s/%s-%s.bsdict", data_dir, lang, name);
    size_t tlen = strlen(out_path) + 16;
    char *tmp = xmalloc(tlen);
    snprintf(tmp, tlen, "%s.XXXXXX", out_path);
    int fd = mkstemp(tmp);
    int rc = -1;
    if (fd < 0) {
        dict_failf(err, errlen, "cannot create a file in '%s': %s", data_dir, strerror(errno));
        goto out;
    }
    rc = dict_builder_write_fd(b, lang, name, fd, err, errlen);
    close(fd);
    if (rc == 0) {
        char why[300];
        struct dict_book *check = dict_book_open(tmp, why, sizeof(why));
        rc = check && dict_book_verify(check, why, sizeof(why)) == 0
                 ? 0
                 : dict_failf(err, errlen, "the written file does not load: %s", why);
        dict_book_free(check);
    }
    if (rc == 0 && (chmod(tmp, 0644) != 0 || rename(tmp, out_path) != 0))
        rc = dict_failf(err, errlen, "cannot rename '%s' to '%s': %s", tmp, out_path,
                        strerror(errno));
    if (rc != 0)
        unlink(tmp);
out:
    free(tmp);
    return rc;
}

int
dict_import(enum dict_format fmt, const char *path, const char *lang, const char *name,
            const char *data_dir, char *out_path, size_t out_path_len, char *err, size_t errlen)
{
    if (!dict_lang_valid(lang))
        return dict_failf(err, errlen, "bad language '%s' (expected a code such as ko or de)",
                          lang);
    if (name && name[0] && !dict_name_valid(name))
        return dict_failf(err, errlen, "bad dictionary name '%s' (use a-z, 0-9, '-', '_', '.')",
                          name);
    struct dict_builder *b = dict_builder_new();
    char *base = NULL;
    int rc;
    switch (fmt) {
    case DICT_FORMAT_DICTD: rc = parse_dictd_files(b, path, &base, err, errlen); break;
    case DICT_FORMAT_STARDICT: rc = parse_stardict_files(b, path, &base, err, errlen); break;
    default: rc = parse_tsv_file(b, path, &base, err, errlen); break;
    }
    if (rc == 0) {
        char dflt[64];
        default_name(base, dflt, sizeof(dflt));
        rc = write_book(b, lang, name && name[0] ? name : dflt, data_dir, out_path, out_path_len,
                        err, errlen);
    }
    free(base);
    dict_builder_free(b);
    return rc;
}
