/*
 * The glossary and the short JSON written by hand around render's JSON
 * escaper: valid JSON whatever the dictionaries hold, the words of a text
 * reduced, phrasal verbs, possessives, hyphenated words, function words
 * left out, the configured language first.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict/dict.h"

static struct dict *d;
static char dir[64];

static void
setup(void)
{
    char err[512], out[4096];
    snprintf(dir, sizeof(dir), "/tmp/bs-gloss-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    /* meanings with everything JSON must escape */
    snprintf(path, sizeof(path), "%s/tricky.tsv", dir);
    FILE *f = fopen(path, "w");
    fputs("summit\ttop \"peak\" \\\\ </script><!-- end\\nsecond line\n"
          "hold\t잡다; 'grip' & keep\n",
          f);
    fclose(f);
    cr_assert_eq(dict_import(DICT_FORMAT_TSV, path, "ko", "tricky", dir, out, sizeof(out), err,
                             sizeof(err)),
                 0, "%s", err);
    snprintf(path, sizeof(path), "%s/de.tsv", dir);
    f = fopen(path, "w");
    fputs("summit\tGipfel\n", f);
    fclose(f);
    cr_assert_eq(dict_import(DICT_FORMAT_TSV, path, "de", "aa-first-by-name", dir, out,
                             sizeof(out), err, sizeof(err)),
                 0, "%s", err);
    unlink(path);
    snprintf(path, sizeof(path), "%s/tricky.tsv", dir);
    unlink(path);
    struct dict_config cfg = {"/usr/share/wordnet", dir, "ko"};
    d = dict_open(&cfg, err, sizeof(err));
    cr_assert_not_null(d, "%s", err);
}

static void
teardown(void)
{
    dict_free(d);
    DIR *dd = opendir(dir);
    for (struct dirent *e = dd ? readdir(dd) : NULL; e; e = readdir(dd)) {
        char p[600];
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(p);
    }
    if (dd)
        closedir(dd);
    rmdir(dir);
}

TestSuite(dict_glossary, .init = setup, .fini = teardown, .timeout = 120);

static json_t *
glossary_of(const char *text)
{
    struct buf out = BUF_INIT;
    cr_assert_eq(dict_glossary_build(d, text, strlen(text), &out), 0);
    json_error_t e;
    json_t *j = json_loadb(out.p, out.len, 0, &e);
    cr_assert_not_null(j, "not JSON: %s at %d: %.200s", e.text, e.position, out.p);
    cr_expect_null(strstr(out.p, "</script"), "no </script in the output");
    buf_release(&out);
    return j;
}

static bool
has(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return true;
    }
    return false;
}

Test(dict_glossary, words_of_a_text)
{
    json_t *g = glossary_of("Kim Jong-un is cozying up to China\xE2\x80\x99s Arvela as the leaders "
                            "held three summits. Their relations have thawed.\n"
                            "The state-run news agency's report was \"steadfast\".");
    json_t *w = json_object_get(g, "words");
    cr_expect(has(json_object_get(w, "summits"), "summit"));
    cr_expect(has(json_object_get(w, "held"), "hold"));
    cr_expect(has(json_object_get(w, "relations"), "relation"));
    cr_expect(has(json_object_get(w, "cozying"), "cozy"));
    cr_expect(has(json_object_get(w, "china"), "china"), "possessive dropped");
    cr_expect(has(json_object_get(w, "agency"), "agency"));
    cr_expect(has(json_object_get(w, "steadfast"), "steadfast"));
    cr_expect(has(json_object_get(w, "thawed"), "thaw"));
    cr_expect_null(json_object_get(w, "the"), "function words are left out");
    cr_expect_null(json_object_get(w, "is"));
    cr_expect_eq(json_array_size(json_object_get(w, "arvela")), 0, "an unknown word maps to []");
    cr_expect_not_null(json_object_get(w, "arvela"));
    /* a hyphenated word WordNet lacks is looked up by its parts */
    cr_expect_not_null(json_object_get(w, "jong-un"));
    cr_expect_not_null(json_object_get(w, "jong"));
    /* the phrasal verb of the text */
    cr_expect(has(json_object_get(json_object_get(g, "phrases"), "cozying"), "cozy up"));
    json_t *e = json_object_get(g, "entries");
    cr_assert_not_null(json_object_get(e, "cozy up"));
    cr_assert_not_null(json_object_get(e, "summit"));
    cr_expect_str_eq(json_string_value(json_object_get(g, "lang")), "ko");
    json_decref(g);
}

Test(dict_glossary, no_phrase_across_punctuation)
{
    json_t *g = glossary_of("They were cozying. Up the hill they went.");
    cr_expect_eq(json_object_size(json_object_get(g, "phrases")), 0);
    json_decref(g);
}

Test(dict_glossary, meanings_survive_escaping_and_come_in_order)
{
    json_t *g = glossary_of("summit");
    json_t *m = json_object_get(json_object_get(json_object_get(g, "entries"), "summit"),
                                "meanings");
    cr_assert_eq(json_array_size(m), 2);
    json_t *ko = json_array_get(m, 0);
    cr_expect_str_eq(json_string_value(json_object_get(ko, "lang")), "ko",
                     "the configured language first, whatever the file names");
    cr_expect_str_eq(json_string_value(json_object_get(ko, "text")),
                     "top \"peak\" \\\\ </script><!-- end",
                     "the first line, exactly, after escaping and parsing back");
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(m, 1), "text")), "Gipfel");
    json_decref(g);
}

Test(dict_glossary, lookup_short_form)
{
    struct buf out = BUF_INIT;
    cr_assert_eq(dict_lookup_write(d, "Held", 4, &out), 2);
    json_t *j = json_loadb(out.p, out.len, 0, NULL);
    cr_assert_not_null(j, "%s", out.p);
    json_t *first = json_array_get(json_object_get(j, "entries"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(first, "lemma")), "hold");
    cr_expect_eq(json_array_size(json_object_get(first, "senses")), 4);
    cr_expect_eq(json_integer_value(json_object_get(first, "more")), 32);
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(json_object_get(first, "meanings"), 0),
                                          "text")),
        "잡다; 'grip' & keep");
    json_decref(j);
    buf_reset(&out);
    cr_expect_eq(dict_lookup_write(d, "blorfendip", 10, &out), 0);
    cr_expect_str_eq(out.p, "{\"query\":\"blorfendip\",\"entries\":[]}");
    buf_release(&out);
}

Test(dict_glossary, an_empty_text)
{
    json_t *g = glossary_of("");
    cr_expect_eq(json_object_size(json_object_get(g, "words")), 0);
    json_decref(g);
    g = glossary_of("1990 2024 -- ''' \xF0\x9F\x98\x80");
    cr_expect_eq(json_object_size(json_object_get(g, "words")), 0);
    json_decref(g);
}
