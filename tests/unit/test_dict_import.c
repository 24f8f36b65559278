/*
 * The bilingual importers on good and broken input (dictd, StarDict,
 * tab-separated), the .bsdict image and loader, the file side (a failure
 * writes nothing), and Debian's real FreeDict English-German dictionary.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "dict/dict.h"

#define DATA "tests/data/dict/"
#define FREEDICT "/usr/share/dictd/freedict-eng-deu"

TestSuite(dict_import, .timeout = 300);

static char err[1024];

/* --- helpers --- */

static struct dict_book *
book_of(struct dict_builder *b)
{
    struct buf img = BUF_INIT;
    cr_assert_eq(dict_builder_image(b, "ko", "test", &img, err, sizeof(err)), 0, "%s", err);
    struct dict_book *bk = dict_book_open_mem(img.p, img.len, err, sizeof(err));
    cr_assert_not_null(bk, "%s", err);
    buf_release(&img);
    return bk;
}

/* The text of the first entry for word, or "" */
static char *
text_of(struct dict_book *bk, const char *word)
{
    struct dict_meaning m[4];
    static char out[4096];
    out[0] = '\0';
    if (dict_book_find(bk, word, strlen(word), m, 4) > 0)
        snprintf(out, sizeof(out), "%.*s", (int)m[0].text.n, m[0].text.p);
    return out;
}

static int
tsv(const char *text)
{
    struct dict_builder *b = dict_builder_new();
    err[0] = '\0';
    int rc = dict_parse_tsv(b, text, strlen(text), err, sizeof(err));
    dict_builder_free(b);
    return rc;
}

static char *
slurp(const char *path, size_t *len)
{
    char *p = file_read(path, 64u << 20, len);
    cr_assert_not_null(p, "cannot read %s", path);
    return p;
}

static char *
gz(const char *p, size_t n, size_t *outlen)
{
    uLong cap = compressBound(n) + 64;
    char *out = xmalloc(cap);
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *outlen = z.total_out;
    deflateEnd(&z);
    return out;
}

static char *
make_tmpdir(void)
{
    char *dir = xstrdup("/tmp/bs-dict-test-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static size_t
count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    size_t n = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        n += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

static void
remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e = readdir(d); e; e = readdir(d)) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[4096];
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* --- tab-separated --- */

Test(dict_import, tsv_our_english_korean_file)
{
    size_t len;
    char *text = slurp("web/dict/en-ko.tsv", &len);
    struct dict_builder *b = dict_builder_new();
    cr_assert_eq(dict_parse_tsv(b, text, len, err, sizeof(err)), 0, "%s", err);
    cr_expect_geq(dict_builder_count(b), 300);
    struct dict_book *bk = book_of(b);
    cr_expect_str_eq(text_of(bk, "summit"), "정상, 꼭대기; 정상 회담");
    cr_expect_str_eq(text_of(bk, "Summit"), "정상, 꼭대기; 정상 회담", "any case");
    for (const char *const *w = (const char *const[]){"relation", "cozy", "message", "leader",
                                                      "talks", "hold", NULL};
         *w; w++)
        cr_expect_neq(text_of(bk, *w)[0], '\0', "'%s' is in the test dictionary", *w);
    cr_expect_str_eq(text_of(bk, "state-run"), "국영의");
    cr_expect_str_eq(text_of(bk, "blorfendip"), "");
    cr_expect_str_eq(dict_book_lang(bk), "ko");
    dict_book_free(bk);
    dict_builder_free(b);
    free(text);
}

Test(dict_import, tsv_comments_bom_crlf_and_escapes)
{
    const char *t = "\xEF\xBB\xBF# a comment\r\n\r\nhold\thalten\\nabhalten\r\n  lead  \t führen \r\n";
    struct dict_builder *b = dict_builder_new();
    cr_assert_eq(dict_parse_tsv(b, t, strlen(t), err, sizeof(err)), 0, "%s", err);
    cr_expect_eq(dict_builder_count(b), 2);
    struct dict_book *bk = book_of(b);
    cr_expect_str_eq(text_of(bk, "hold"), "halten\nabhalten");
    cr_expect_str_eq(text_of(bk, "lead"), "führen");
    struct dict_meaning m[2];
    cr_assert_eq(dict_book_find(bk, "hold", 4, m, 2), 1);
    cr_expect_eq(m[0].brief.n, strlen("halten"), "the brief is the first line");
    dict_book_free(bk);
    dict_builder_free(b);
}

Test(dict_import, tsv_broken_input_is_refused_with_the_line)
{
    cr_expect_eq(tsv("summit\tGipfel\nno tab here\n"), -1);
    cr_expect(strstr(err, "line 2: expected headword<TAB>meaning"), "%s", err);
    cr_expect_eq(tsv("a\tb\nbad\t\xC3\x28\n"), -1);
    cr_expect(strstr(err, "line 2: not valid UTF-8"), "%s", err);
    cr_expect_eq(tsv("summit\t   \n"), -1);
    cr_expect(strstr(err, "line 1: the meaning is empty"), "%s", err);
    cr_expect_eq(tsv("\tGipfel\n"), -1);
    cr_expect(strstr(err, "the headword is empty"), "%s", err);
    cr_expect_eq(tsv("# only a comment\n\n"), -1);
    cr_expect(strstr(err, "no entries"), "%s", err);
    struct dict_builder *b = dict_builder_new();
    cr_expect_eq(dict_parse_tsv(b, "a\tb\0c\n", 6, err, sizeof(err)), -1);
    cr_expect(strstr(err, "NUL"), "%s", err);
    dict_builder_free(b);
    char longword[300];
    memset(longword, 'x', 299);
    longword[299] = '\0';
    char line[400];
    snprintf(line, sizeof(line), "%s\tmeaning\n", longword);
    cr_expect_eq(tsv(line), -1, "a headword over 255 bytes");
}

/* --- dictd --- */

Test(dict_import, dictd_small_plain_and_dictzip)
{
    for (int dz = 0; dz < 2; dz++) {
        size_t ilen, dlen;
        char *index = slurp(dz ? DATA "small-dz.index" : DATA "small.index", &ilen);
        char *data = slurp(dz ? DATA "small-dz.dict.dz" : DATA "small.dict", &dlen);
        struct dict_builder *b = dict_builder_new();
        cr_assert_eq(dict_parse_dictd(b, index, ilen, data, dlen, dz, err, sizeof(err)), 0, "%s",
                     err);
        cr_expect_eq(dict_builder_count(b), 7, "six words and 'held'; no metadata");
        struct dict_book *bk = book_of(b);
        cr_expect_str_eq(text_of(bk, "summit"), "Gipfel\nGipfeltreffen\n see: summits",
                         "head line split off, braces dropped");
        cr_expect_str_eq(text_of(bk, "held"), text_of(bk, "hold"), "shared text");
        struct dict_meaning m[2];
        cr_assert_eq(dict_book_find(bk, "held", 4, m, 2), 1);
        cr_expect_eq(m[0].head.n, strlen("hold /hold/"));
        cr_expect_str_eq(text_of(bk, "00-database-info"), "");
        dict_book_free(bk);
        dict_builder_free(b);
        free(index);
        free(data);
    }
}

static int
dictd(const char *index, const char *data, size_t dlen, bool dz)
{
    struct dict_builder *b = dict_builder_new();
    err[0] = '\0';
    int rc = dict_parse_dictd(b, index, strlen(index), data, dlen, dz, err, sizeof(err));
    dict_builder_free(b);
    return rc;
}

Test(dict_import, dictd_broken_input_is_refused)
{
    const char *data = "summit /s/\nGipfel\n";
    size_t dlen = strlen(data);
    cr_expect_eq(dictd("summit\tA\tS\n", data, dlen, false), 0, "%s", err);
    /* offsets or lengths past the end of the data */
    cr_expect_eq(dictd("summit\tA\tT\n", data, dlen, false), -1);
    cr_expect(strstr(err, "points past the end of the data"), "%s", err);
    cr_expect_eq(dictd("summit\tZZZZZZ\tB\n", data, dlen, false), -1);
    cr_expect(strstr(err, "line 1"), "%s", err);
    /* not dictd's base64 */
    cr_expect_eq(dictd("summit\tA\t!x\n", data, dlen, false), -1);
    cr_expect(strstr(err, "bad offset or length"), "%s", err);
    cr_expect_eq(dictd("summit\tAAAAAAAAAAAAAAAA\tB\n", data, dlen, false), -1, "overflow");
    /* wrong number of fields */
    cr_expect_eq(dictd("summit\tA\n", data, dlen, false), -1);
    cr_expect(strstr(err, "expected headword<TAB>offset<TAB>length"), "%s", err);
    /* bad UTF-8 in the headword and in the text */
    cr_expect_eq(dictd("summ\xC3\x28t\tA\tS\n", data, dlen, false), -1);
    cr_expect(strstr(err, "headword is not valid UTF-8"), "%s", err);
    cr_expect_eq(dictd("summit\tA\tC\n", "a\xFF", 2, false), -1);
    cr_expect(strstr(err, "not valid UTF-8"), "%s", err);
    /* nothing to import */
    cr_expect_eq(dictd("\n\n", data, dlen, false), -1);
    cr_expect(strstr(err, "no entries"), "%s", err);
    /* a .dz that is not gzip, and a truncated one */
    cr_expect_eq(dictd("summit\tA\tS\n", data, dlen, true), -1);
    cr_expect(strstr(err, "not a gzip (dictzip) file"), "%s", err);
    size_t zlen;
    char *z = gz(data, dlen, &zlen);
    cr_expect_eq(dictd("summit\tA\tS\n", z, zlen, true), 0, "%s", err);
    cr_expect_eq(dictd("summit\tA\tS\n", z, zlen - 6, true), -1);
    cr_expect(strstr(err, "truncated"), "%s", err);
    z[12] ^= 0xff;
    cr_expect_eq(dictd("summit\tA\tS\n", z, zlen, true), -1);
    cr_expect(strstr(err, "damaged") || strstr(err, "truncated"), "%s", err);
    free(z);
}

/* --- StarDict --- */

struct star {
    struct buf ifo, idx, dict;
};

static void
star_entry(struct star *s, const char *word, const char *fields, size_t flen, int offbits)
{
    buf_add(&s->idx, word, strlen(word) + 1);
    unsigned char be[12];
    uint64_t off = s->dict.len;
    size_t k = 0;
    for (int i = offbits / 8 - 1; i >= 0; i--)
        be[k++] = (unsigned char)(off >> (8 * i));
    for (int i = 3; i >= 0; i--)
        be[k++] = (unsigned char)(flen >> (8 * i));
    buf_add(&s->idx, be, k);
    buf_add(&s->dict, fields, flen);
}

static void
star_ifo(struct star *s, const char *version, long count, long idxsize, const char *extra)
{
    buf_reset(&s->ifo);
    buf_addf(&s->ifo, "StarDict's dict ifo file\nversion=%s\nbookname=Test\nwordcount=%ld\n"
                      "idxfilesize=%ld\n%s",
             version, count, idxsize, extra);
}

static int
star_parse(struct star *s, struct dict_builder **out)
{
    struct dict_builder *b = dict_builder_new();
    err[0] = '\0';
    int rc = dict_parse_stardict(b, s->ifo.p, s->ifo.len, s->idx.p, s->idx.len, false, s->dict.p,
                                 s->dict.len, false, err, sizeof(err));
    if (out && rc == 0)
        *out = b;
    else
        dict_builder_free(b);
    return rc;
}

static void
star_release(struct star *s)
{
    buf_release(&s->ifo);
    buf_release(&s->idx);
    buf_release(&s->dict);
}

Test(dict_import, stardict_sametypesequence_files)
{
    size_t ilen, xlen, dlen;
    char *ifo = slurp(DATA "small-star.ifo", &ilen);
    char *idx = slurp(DATA "small-star.idx", &xlen);
    char *dz = slurp(DATA "small-star.dict.dz", &dlen);
    struct dict_builder *b = dict_builder_new();
    cr_assert_eq(dict_parse_stardict(b, ifo, ilen, idx, xlen, false, dz, dlen, true, err,
                                     sizeof(err)),
                 0, "%s", err);
    cr_expect_eq(dict_builder_count(b), 6);
    struct dict_book *bk = book_of(b);
    cr_expect_str_eq(text_of(bk, "summit"), "Gipfel\nGipfeltreffen");
    cr_expect_str_eq(text_of(bk, "cozy"), "gemütlich, behaglich\n\"a cozy room\"");
    dict_book_free(bk);
    dict_builder_free(b);
    free(ifo);
    free(idx);
    free(dz);
}

Test(dict_import, stardict_typed_fields_and_64_bit_offsets)
{
    struct star s = {BUF_INIT, BUF_INIT, BUF_INIT};
    static const char f1[] = "t"
                             "s\xCA\x8C"
                             "mit\0"
                             "mGipfel\0"
                             "W\0\0\0\3abc"
                             "h<b>Gipfel</b>treffen<br>Spitze &amp; Kuppe\0";
    star_entry(&s, "summit", f1, sizeof(f1) - 1, 64);
    star_ifo(&s, "3.0.0", 1, (long)s.idx.len, "idxoffsetbits=64\n");
    struct dict_builder *b = NULL;
    cr_assert_eq(star_parse(&s, &b), 0, "%s", err);
    struct dict_book *bk = book_of(b);
    cr_expect_str_eq(text_of(bk, "summit"), "Gipfel\nGipfeltreffen\nSpitze & Kuppe");
    struct dict_meaning m[1];
    cr_assert_eq(dict_book_find(bk, "summit", 6, m, 1), 1);
    cr_expect_eq(m[0].head.n, strlen("summit /s\xCA\x8Cmit/"), "the phonetic field");
    dict_book_free(bk);
    dict_builder_free(b);
    star_release(&s);
}

Test(dict_import, stardict_broken_input_is_refused)
{
    struct star s = {BUF_INIT, BUF_INIT, BUF_INIT};
    star_entry(&s, "summit", "Gipfel", 6, 32);
    star_entry(&s, "hold", "halten", 6, 32);
    long size = (long)s.idx.len;

    star_ifo(&s, "2.4.2", 2, size, "sametypesequence=m\n");
    cr_expect_eq(star_parse(&s, NULL), 0, "%s", err);
    /* the .ifo's sizes and counts */
    star_ifo(&s, "2.4.2", 2, size + 1, "sametypesequence=m\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "the .ifo says"), "%s", err);
    star_ifo(&s, "2.4.2", 3, size, "sametypesequence=m\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "wordcount"), "%s", err);
    star_ifo(&s, "2.4.2", 1, size, "sametypesequence=m\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "more entries than"), "%s", err);
    star_ifo(&s, "2.4.2", 5000000, size, "sametypesequence=m\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "impossible"), "%s", err);
    star_ifo(&s, "2.4.2", 2, size, "idxoffsetbits=64\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "needs version 3.0.0"), "%s", err);
    star_ifo(&s, "9.9", 2, size, "");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "unsupported StarDict version"), "%s", err);
    star_ifo(&s, "2.4.2", 2, size, "sametypesequence=m?\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    buf_reset(&s.ifo);
    buf_adds(&s.ifo, "not a stardict file\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "does not start with"), "%s", err);
    /* a truncated .dict: the second entry's data is past the end */
    star_ifo(&s, "2.4.2", 2, size, "sametypesequence=m\n");
    s.dict.len = 8;
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "entry 2 'hold': data past the end"), "%s", err);
    s.dict.len = 12;
    /* a truncated .idx */
    s.idx.len -= 3;
    star_ifo(&s, "2.4.2", 2, (long)s.idx.len, "sametypesequence=m\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "truncated"), "%s", err);
    s.idx.len += 3;
    /* bad UTF-8 in a word and in a text */
    s.idx.p[1] = (char)0xFF;
    star_ifo(&s, "2.4.2", 2, size, "sametypesequence=m\n");
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "not valid UTF-8"), "%s", err);
    s.idx.p[1] = 'u';
    s.dict.p[0] = (char)0xC3;
    s.dict.p[1] = '(';
    cr_expect_eq(star_parse(&s, NULL), -1);
    cr_expect(strstr(err, "not valid UTF-8"), "%s", err);
    /* typed fields that run past the entry */
    struct star t = {BUF_INIT, BUF_INIT, BUF_INIT};
    star_entry(&t, "x", "W\0\0\1\0ab", 8, 32);
    star_ifo(&t, "2.4.2", 1, (long)t.idx.len, "");
    cr_expect_eq(star_parse(&t, NULL), -1);
    cr_expect(strstr(err, "malformed"), "%s", err);
    /* a .dict.dz that is not gzip */
    struct dict_builder *b = dict_builder_new();
    star_ifo(&t, "2.4.2", 1, (long)t.idx.len, "");
    cr_expect_eq(dict_parse_stardict(b, t.ifo.p, t.ifo.len, t.idx.p, t.idx.len, false, t.dict.p,
                                     t.dict.len, true, err, sizeof(err)),
                 -1);
    cr_expect(strstr(err, "not a gzip"), "%s", err);
    dict_builder_free(b);
    star_release(&s);
    star_release(&t);
}

/* --- the image --- */

Test(dict_import, damaged_images_are_refused)
{
    struct dict_builder *b = dict_builder_new();
    const char *t = "summit\tGipfel\nhold\thalten\n";
    cr_assert_eq(dict_parse_tsv(b, t, strlen(t), err, sizeof(err)), 0);
    struct buf img = BUF_INIT;
    cr_assert_eq(dict_builder_image(b, "de", "tiny", &img, err, sizeof(err)), 0);
    struct dict_book *bk = dict_book_open_mem(img.p, img.len, err, sizeof(err));
    cr_assert_not_null(bk, "%s", err);
    cr_expect_str_eq(dict_book_name(bk), "tiny");
    dict_book_free(bk);
    cr_expect_null(dict_book_open_mem(img.p, img.len - 1, err, sizeof(err)), "truncated");
    cr_expect(strstr(err, "truncated"), "%s", err);
    cr_expect_null(dict_book_open_mem(img.p, 20, err, sizeof(err)));
    img.p[img.len - 2] ^= 1;
    cr_expect_null(dict_book_open_mem(img.p, img.len, err, sizeof(err)), "damaged pool");
    cr_expect(strstr(err, "checksum"), "%s", err);
    img.p[img.len - 2] ^= 1;
    img.p[0] = 'X';
    cr_expect_null(dict_book_open_mem(img.p, img.len, err, sizeof(err)), "magic");
    buf_release(&img);
    cr_expect_eq(dict_builder_image(b, "Korean!", "tiny", &img, err, sizeof(err)), -1);
    cr_expect_eq(dict_builder_image(b, "ko", "../up", &img, err, sizeof(err)), -1);
    buf_release(&img);
    dict_builder_free(b);
}

/* --- files --- */

Test(dict_import, files_are_written_whole_or_not_at_all)
{
    char *dir = make_tmpdir();
    char out[4096];
    cr_assert_eq(dict_import(DICT_FORMAT_TSV, "web/dict/en-ko.tsv", "ko", NULL, dir, out, sizeof(out),
                             err, sizeof(err)),
                 0, "%s", err);
    cr_expect(strstr(out, "/ko-en-ko.bsdict"), "%s", out);
    cr_expect_eq(count_files(dir), 1);
    cr_assert_eq(dict_import(DICT_FORMAT_DICTD, DATA "small.index", "de", "small", dir, out,
                             sizeof(out), err, sizeof(err)),
                 0, "%s", err);
    cr_assert_eq(dict_import(DICT_FORMAT_STARDICT, DATA "small-star.ifo", "de", NULL, dir, out,
                             sizeof(out), err, sizeof(err)),
                 0, "%s", err);
    cr_expect(strstr(out, "/de-small-star.bsdict"), "%s", out);
    cr_expect_eq(count_files(dir), 3);
    /* a broken source: an error, and the folder as it was */
    char bad[4200];
    snprintf(bad, sizeof(bad), "%s/broken.tsv", dir);
    FILE *f = fopen(bad, "w");
    fputs("summit\tGipfel\nbroken line\n", f);
    fclose(f);
    cr_expect_eq(dict_import(DICT_FORMAT_TSV, bad, "ko", NULL, dir, out, sizeof(out), err,
                             sizeof(err)),
                 -1);
    cr_expect(strstr(err, "line 2"), "%s", err);
    cr_expect_eq(count_files(dir), 4, "only the three dictionaries and broken.tsv");
    cr_expect_eq(dict_import(DICT_FORMAT_DICTD, "/nonexistent/x.index", "de", NULL, dir, out,
                             sizeof(out), err, sizeof(err)),
                 -1);
    cr_expect(strstr(err, "cannot read"), "%s", err);
    cr_expect_eq(dict_import(DICT_FORMAT_TSV, "web/dict/en-ko.tsv", "../etc", NULL, dir, out,
                             sizeof(out), err, sizeof(err)),
                 -1);
    cr_expect_eq(count_files(dir), 4);
    unlink(bad);

    /* the set loads them, the configured language first */
    struct dict_config cfg = {"/usr/share/wordnet", dir, "ko"};
    struct dict *d = dict_open(&cfg, err, sizeof(err));
    cr_assert_not_null(d, "%s", err);
    struct dict_meaning m[8];
    size_t n = dict_meanings(d, "summit", 6, m, 8);
    cr_assert_geq(n, 3);
    cr_expect_str_eq(m[0].lang, "ko");
    cr_expect_str_eq(m[1].lang, "de");
    struct dict_stats st;
    dict_stats_get(d, &st);
    cr_expect_eq(st.books, 3);
    dict_free(d);
    remove_dir(dir);
    free(dir);
}

Test(dict_import, debian_freedict_english_german)
{
    char *dir = make_tmpdir();
    char out[4096];
    cr_assert_eq(dict_import(DICT_FORMAT_DICTD, FREEDICT ".index", "de", NULL, dir, out,
                             sizeof(out), err, sizeof(err)),
                 0, "%s", err);
    struct dict_book *bk = dict_book_open(out, err, sizeof(err));
    cr_assert_not_null(bk, "%s", err);
    cr_expect_str_eq(dict_book_name(bk), "freedict-eng-deu");
    cr_expect_gt(dict_book_count(bk), 400000);
    struct dict_meaning m[16];
    size_t n = dict_book_find(bk, "summit", 6, m, 16);
    cr_assert_geq(n, 2);
    bool gipfel = false;
    for (size_t i = 0; i < n; i++)
        gipfel |= memmem(m[i].brief.p, m[i].brief.n, "Gipfel", 6) != NULL;
    cr_expect(gipfel, "summit is Gipfel");
    cr_expect_gt(dict_book_find(bk, "HOLD", 4, m, 16), 0, "any case");
    dict_book_free(bk);

    /* the same dictionary with its data cut in half: refused, nothing written */
    size_t ilen, dlen;
    char *index = slurp(FREEDICT ".index", &ilen);
    char *data = slurp(FREEDICT ".dict.dz", &dlen);
    struct dict_builder *b = dict_builder_new();
    cr_expect_eq(dict_parse_dictd(b, index, ilen, data, dlen / 2, true, err, sizeof(err)), -1);
    cr_expect(strstr(err, "truncated"), "%s", err);
    dict_builder_free(b);
    free(index);
    free(data);
    remove_dir(dir);
    free(dir);
}
