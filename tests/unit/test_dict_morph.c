/*
 * WordNet's morphology against the real WordNet 3.0 files of wordnet-base:
 * a table of inflected forms and the dictionary form each must reduce to,
 * words WordNet does not have, and the order readers see.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "dict/dict.h"

static struct dict *d;

static void
load(void)
{
    char err[512];
    struct dict_config cfg = {"/usr/share/wordnet", NULL, "ko"};
    d = dict_open(&cfg, err, sizeof(err));
    cr_assert_not_null(d, "WordNet did not load: %s", err);
}

static void
unload(void)
{
    dict_free(d);
    d = NULL;
}

TestSuite(dict_morph, .init = load, .fini = unload, .timeout = 60);

/* true if word reduces to lemma (among its dictionary forms) */
static bool
reduces_to(const char *word, const char *lemma, char *got, size_t gotlen)
{
    struct dict_lemma out[DICT_LEMMAS_MAX];
    size_t n = dict_lemmas(d, word, strlen(word), out, DICT_LEMMAS_MAX);
    got[0] = '\0';
    bool found = false;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t wn = strlen(out[i].word);
        if (len + wn + 2 < gotlen) {
            if (i)
                got[len++] = ',';
            memcpy(got + len, out[i].word, wn + 1);
            len += wn;
        }
        found |= strcmp(out[i].word, lemma) == 0;
    }
    return found;
}

struct inflection {
    const char *word, *lemma;
};

static const struct inflection forms[] = {
    /* the words of the reference article */
    {"cozying", "cozy"}, {"summits", "summit"}, {"held", "hold"}, {"relations", "relation"},
    {"leaders", "leader"}, {"messages", "message"}, {"talks", "talk"}, {"courts", "court"},
    {"letters", "letter"}, {"thawed", "thaw"}, {"reported", "report"}, {"remained", "remain"},
    /* regular plurals */
    {"islands", "island"}, {"ministers", "minister"}, {"officials", "official"},
    {"diplomats", "diplomat"}, {"treaties", "treaty"}, {"countries", "country"},
    {"parties", "party"}, {"cities", "city"}, {"policies", "policy"}, {"boxes", "box"},
    {"churches", "church"}, {"wishes", "wish"}, {"buses", "bus"}, {"glasses", "glass"},
    {"quizzes", "quiz"}, {"fishermen", "fisherman"}, {"foxes", "fox"}, {"taxes", "tax"},
    {"dishes", "dish"}, {"benches", "bench"}, {"ideas", "idea"}, {"hours", "hour"},
    /* irregular nouns from the exception list */
    {"women", "woman"}, {"children", "child"}, {"mice", "mouse"}, {"geese", "goose"},
    {"feet", "foot"}, {"teeth", "tooth"}, {"data", "datum"}, {"criteria", "criterion"},
    {"analyses", "analysis"}, {"leaves", "leaf"}, {"wolves", "wolf"}, {"lives", "life"},
    {"men", "man"},
    /* verbs: -s, -es, -ies */
    {"sends", "send"}, {"watches", "watch"}, {"goes", "go"}, {"studies", "study"},
    {"carries", "carry"}, {"agrees", "agree"},
    /* -ing with e-dropping and doubling */
    {"hoping", "hope"}, {"making", "make"}, {"taking", "take"}, {"writing", "write"},
    {"running", "run"}, {"stopping", "stop"}, {"sitting", "sit"}, {"walking", "walk"},
    {"opening", "open"}, {"dying", "die"}, {"lying", "lie"}, {"tying", "tie"},
    /* -ed with e-dropping and doubling */
    {"hoped", "hope"}, {"agreed", "agree"}, {"promised", "promise"}, {"described", "describe"},
    {"resumed", "resume"}, {"stopped", "stop"}, {"planned", "plan"}, {"chatted", "chat"},
    {"snubbed", "snub"}, {"tried", "try"}, {"carried", "carry"}, {"passed", "pass"},
    {"reached", "reach"}, {"visited", "visit"}, {"asked", "ask"},
    /* irregular verbs from the exception list */
    {"went", "go"}, {"ran", "run"}, {"saw", "see"}, {"was", "be"}, {"were", "be"},
    {"is", "be"}, {"bought", "buy"}, {"taught", "teach"}, {"thought", "think"},
    {"wrote", "write"}, {"written", "write"}, {"spoken", "speak"}, {"began", "begin"},
    {"flew", "fly"}, {"took", "take"}, {"given", "give"}, {"sent", "send"}, {"met", "meet"},
    {"has", "have"}, {"had", "have"}, {"did", "do"}, {"fought", "fight"}, {"chose", "choose"},
    /* adjectives: -er, -est, with e-dropping, doubling, -ier, and irregulars */
    {"larger", "large"}, {"largest", "large"}, {"smaller", "small"}, {"warmer", "warm"},
    {"nicer", "nice"}, {"nicest", "nice"}, {"bigger", "big"}, {"biggest", "big"},
    {"hotter", "hot"}, {"sadder", "sad"}, {"happier", "happy"}, {"happiest", "happy"},
    {"cozier", "cozy"}, {"better", "good"}, {"best", "good"}, {"worse", "bad"},
    {"worst", "bad"},
    /* adverbs from their exception list */
    {"further", "far"}, {"farther", "far"},
    /* case, curly apostrophes and possessives as they come from a text */
    {"Summits", "summit"}, {"RELATIONS", "relation"}, {"China's", "china"},
    {"China\xE2\x80\x99s", "china"}, {"leaders'", "leader"},
    /* collocations: the first word of a verb, the last of a noun */
    {"cozying up", "cozy_up"}, {"held up", "hold_up"}, {"prime ministers", "prime_minister"},
    /* words that are their own dictionary form */
    {"news", "news"}, {"summit", "summit"}, {"hold", "hold"},
};

Test(dict_morph, table_of_inflected_forms)
{
    cr_assert_geq(ARRAY_SIZE(forms), 100, "the table must have at least 100 forms");
    size_t bad = 0;
    for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
        char got[512];
        if (!reduces_to(forms[i].word, forms[i].lemma, got, sizeof(got))) {
            cr_log_error("'%s' should reduce to '%s', got '%s'", forms[i].word, forms[i].lemma,
                         got);
            bad++;
        }
    }
    cr_expect_eq(bad, 0, "%zu of %zu forms did not reduce", bad, ARRAY_SIZE(forms));
}

Test(dict_morph, words_wordnet_does_not_have)
{
    static const char *const missing[] = {
        "blorfendip", "xyzzyq",   "qwrtplk", "zzzzzzzz", "snorgles", "flimbered",
        "the",        "of",       "grobbing", "",        "'",        "--",
        "a1b2",       "1990s",    "ooo's",
    };
    for (size_t i = 0; i < ARRAY_SIZE(missing); i++) {
        struct dict_lemma out[DICT_LEMMAS_MAX];
        size_t n = dict_lemmas(d, missing[i], strlen(missing[i]), out, DICT_LEMMAS_MAX);
        cr_expect_eq(n, 0, "'%s' should not be found, got %zu lemmas ('%s')", missing[i], n,
                     n ? out[0].word : "");
    }
}

Test(dict_morph, reduced_forms_come_before_the_word_itself)
{
    struct dict_lemma out[DICT_LEMMAS_MAX];
    size_t n = dict_lemmas(d, "relations", 9, out, DICT_LEMMAS_MAX);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(out[0].word, "relation");
    cr_expect(!out[0].surface);
    cr_expect_str_eq(out[1].word, "relations");
    cr_expect(out[1].surface);
    n = dict_lemmas(d, "leaves", 6, out, DICT_LEMMAS_MAX);
    cr_assert_geq(n, 2);
    cr_expect_str_eq(out[0].word, "leaf");
    cr_expect_str_eq(out[1].word, "leave");
    cr_expect(out[1].posmask & (1u << DICT_NOUN));
    cr_expect(out[1].posmask & (1u << DICT_VERB), "'leaves' is also the verb 'leave'");
}

Test(dict_morph, parts_of_speech_and_senses)
{
    struct dict_lemma out[DICT_LEMMAS_MAX];
    size_t n = dict_lemmas(d, "summits", 7, out, DICT_LEMMAS_MAX);
    cr_assert_eq(n, 1);
    cr_expect_eq(out[0].posmask, (1u << DICT_NOUN) | (1u << DICT_VERB));
    struct dict_sense s[8];
    size_t total = dict_senses(d, "summit", 6, DICT_NOUN, s, 8);
    cr_assert_eq(total, 3, "WordNet 3.0 has three noun senses of summit");
    cr_expect(strstr(s[2].def.p, "a meeting of heads of governments") == s[2].def.p);
    cr_expect_eq(s[2].def.n, strlen("a meeting of heads of governments"));
    /* the examples are split from the definition */
    struct str ex = s[0].examples, one;
    size_t count = 0;
    bool ambition = false;
    while (dict_example_next(&ex, &one)) {
        count++;
        ambition |= one.n == 26 && memcmp(one.p, "the summit of his ambition", 26) == 0;
        cr_expect(one.n == 0 || (one.p[0] != '"' && one.p[one.n - 1] != '"'),
                  "an example keeps no quotes");
    }
    cr_expect_geq(count, 5);
    cr_expect(ambition, "the example \"the summit of his ambition\"");
    cr_expect(memmem(s[0].words.p, s[0].words.n, "acme", 4) != NULL);
    cr_expect_eq(dict_senses(d, "hold", 4, DICT_VERB, s, 8), 36);
    cr_expect_eq(dict_senses(d, "blorfendip", 10, DICT_NOUN, s, 8), 0);
}

Test(dict_morph, words_readers_type_are_cleaned)
{
    char out[DICT_WORD_MAX + 1];
    size_t n;
    cr_expect_eq(dict_word_clean("  summit ", 9, out, &n), DICT_WORD_OK);
    cr_expect_str_eq(out, "summit");
    cr_expect_eq(dict_word_clean("cozy   up", 9, out, &n), DICT_WORD_OK);
    cr_expect_str_eq(out, "cozy up");
    cr_expect_eq(dict_word_clean("don\xE2\x80\x99t", 7, out, &n), DICT_WORD_OK);
    cr_expect_str_eq(out, "don't");
    cr_expect_eq(dict_word_clean("cafe\xCC\x81", 6, out, &n), DICT_WORD_OK);
    cr_expect_str_eq(out, "caf\xC3\xA9", "NFC");
    cr_expect_eq(dict_word_clean("", 0, out, &n), DICT_WORD_EMPTY);
    cr_expect_eq(dict_word_clean("abc1", 4, out, &n), DICT_WORD_BAD_CHAR);
    cr_expect_eq(dict_word_clean("<b>", 3, out, &n), DICT_WORD_BAD_CHAR);
    cr_expect_eq(dict_word_clean("\xC3\x28", 2, out, &n), DICT_WORD_BAD_UTF8);
    char longw[70];
    memset(longw, 'a', sizeof(longw));
    cr_expect_eq(dict_word_clean(longw, 64, out, &n), DICT_WORD_OK);
    cr_expect_eq(dict_word_clean(longw, 65, out, &n), DICT_WORD_TOO_LONG);
    /* Korean letters are letters */
    cr_expect_eq(dict_word_clean("\xEC\xA0\x95\xEC\x83\x81", 6, out, &n), DICT_WORD_OK);
}
