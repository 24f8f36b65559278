/*
 * The dictionary's benchmark: time per lookup, time to build the glossary
 * of a 700-word article, and the memory the dictionaries take.
 *
 *   make bench-dict    (imports web/dict/en-ko.tsv and Debian's
 *                       FreeDict English-German into build/bench-dict once)
 *
 * Goals from the issue: under 5 µs per lookup, under 2 ms per glossary.
 * Times are this thread's CPU time (the machine is shared, and waiting for
 * a core is not the dictionary's cost), with the wall-clock time beside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dict/dict.h"
#include "render/render.h"

static double
clock_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
    return clock_of(CLOCK_MONOTONIC);
}

static double
cpu(void)
{
    return clock_of(CLOCK_THREAD_CPUTIME_ID);
}

/* VmRSS of this process in KiB */
static long
rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

static void
ensure(const char *dir, enum dict_format fmt, const char *src, const char *lang, const char *file)
{
    char path[4096], out[4096], err[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    struct stat sb;
    if (stat(path, &sb) == 0)
        return;
    fprintf(stderr, "bench: importing %s\n", src);
    if (dict_import(fmt, src, lang, NULL, dir, out, sizeof(out), err, sizeof(err)) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
}

/* The words of a text, as the glossary splits them (letters, ' and -). */
static size_t
words_of(const char *text, char words[][DICT_WORD_MAX + 1], size_t max)
{
    size_t n = 0, len = 0;
    for (const char *p = text;; p++) {
        char c = *p;
        bool in = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' || c == '-';
        if (in && len < DICT_WORD_MAX) {
            words[n][len++] = c;
        } else if (!in && len) {
            words[n][len] = '\0';
            if (++n == max)
                break;
            len = 0;
        }
        if (c == '\0')
            break;
    }
    return n;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    const char *article = argc > 1 ? argv[1] : "tests/data/dict/article-700.md";
    const char *dir = argc > 2 ? argv[2] : "build/bench-dict";
    mkdir(dir, 0755);
    ensure(dir, DICT_FORMAT_TSV, "web/dict/en-ko.tsv", "ko", "ko-en-ko.bsdict");
    ensure(dir, DICT_FORMAT_DICTD, "/usr/share/dictd/freedict-eng-deu.index", "de",
           "de-freedict-eng-deu.bsdict");

    char err[512];
    long rss0 = rss_kib();
    double t0 = now();
    struct dict_config cfg = {"/usr/share/wordnet", dir, "ko"};
    struct dict *d = dict_open(&cfg, err, sizeof(err));
    double t1 = now();
    if (d == NULL) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    long rss1 = rss_kib();
    struct dict_stats st;
    dict_stats_get(d, &st);

    size_t mdlen;
    char *md = file_read(article, 1 << 20, &mdlen);
    if (md == NULL) {
        fprintf(stderr, "bench: cannot read %s\n", article);
        return 1;
    }
    struct buf text = BUF_INIT;
    markdown_to_text(md, mdlen, &text);
    static char words[4096][DICT_WORD_MAX + 1];
    size_t nwords = words_of(text.p, words, 4096);

    /* lookups: the word reduced to its dictionary forms, and for each
     * form its senses and bilingual meanings (what a pop-up shows) */
    const int rounds = 200;
    size_t lookups = 0, found = 0;
    double l0 = now(), lc0 = cpu();
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < nwords; i++) {
            struct dict_lemma lem[DICT_LEMMAS_MAX];
            size_t n = dict_lemmas(d, words[i], strlen(words[i]), lem, DICT_LEMMAS_MAX);
            for (size_t k = 0; k < n; k++) {
                struct dict_sense s[4];
                struct dict_meaning m[8];
                for (int p = 0; p < DICT_NPOS; p++)
                    if (lem[k].posmask & (1u << p))
                        dict_senses(d, lem[k].word, lem[k].len, (enum dict_pos)p, s, 4);
                dict_meanings(d, lem[k].word, lem[k].len, m, 8);
            }
            found += n > 0;
            lookups++;
        }
    }
    double l1 = now(), lc1 = cpu();

    /* the same as the JSON the lookup endpoint sends */
    size_t jlookups = 0;
    double j0 = now(), jc0 = cpu();
    for (int r = 0; r < 20; r++) {
        for (size_t i = 0; i < nwords; i++) {
            struct buf out = BUF_INIT;
            dict_lookup_write(d, words[i], strlen(words[i]), &out);
            buf_release(&out);
            jlookups++;
        }
    }
    double j1 = now(), jc1 = cpu();

    /* the glossary of the article: Markdown to text, then the glossary */
    enum { GRUNS = 200 };
    static double g[GRUNS], gw[GRUNS];
    size_t gsize = 0;
    for (int r = 0; r < GRUNS; r++) {
        double a = cpu(), aw = now();
        struct buf t = BUF_INIT, out = BUF_INIT;
        markdown_to_text(md, mdlen, &t);
        dict_glossary_build(d, t.p, t.len, &out);
        g[r] = cpu() - a;
        gw[r] = now() - aw;
        gsize = out.len;
        buf_release(&t);
        buf_release(&out);
    }
    qsort(g, GRUNS, sizeof(double), cmp_double);
    qsort(gw, GRUNS, sizeof(double), cmp_double);
    double gsum = 0;
    for (int r = 0; r < GRUNS; r++)
        gsum += g[r];

    printf("dictionary benchmark (%s, %zu words of text)\n", article, nwords);
    printf("  load:      %.0f ms (WordNet %zu words, %zu senses; %zu imported, %zu entries)\n",
           (t1 - t0) * 1e3, st.words, st.senses, st.books, st.book_entries);
    printf("  memory:    WordNet %.1f MiB on the heap; imported %.1f MiB mapped read-only; "
           "RSS +%.1f MiB after load\n",
           st.heap_bytes / 1048576.0, st.mapped_bytes / 1048576.0, (rss1 - rss0) / 1024.0);
    printf("  lookup:    %.2f us per word of CPU (%.2f us wall): forms, senses, meanings; "
           "%zu lookups, %.0f%% found; goal < 5 us\n",
           (lc1 - lc0) * 1e6 / (double)lookups, (l1 - l0) * 1e6 / (double)lookups, lookups,
           100.0 * (double)found / (double)lookups);
    printf("  lookup as JSON: %.2f us per word of CPU (%.2f us wall): what /dict/lookup sends\n",
           (jc1 - jc0) * 1e6 / (double)jlookups, (j1 - j0) * 1e6 / (double)jlookups);
    printf("  glossary:  median %.2f ms of CPU (mean %.2f, p95 %.2f; wall median %.2f ms), "
           "%zu bytes of JSON; goal < 2 ms\n",
           g[GRUNS / 2] * 1e3, gsum / GRUNS * 1e3, g[GRUNS * 95 / 100] * 1e3,
           gw[GRUNS / 2] * 1e3, gsize);
    printf("  rss now:   %.1f MiB\n", rss_kib() / 1024.0);
    buf_release(&text);
    free(md);
    dict_free(d);
    return 0;
}
