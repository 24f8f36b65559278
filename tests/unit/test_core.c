/*
 * core: buffers, arenas, UTF-8 and the one character count, text cleaning,
 * slugs, percent-decoding and forms, time, integer parsing. Each test states
 * what a reader or an editor would see if the function were wrong.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Test strings, spelled out in bytes so the intent is unambiguous. */
#define HAN_NFC "\xED\x95\x9C"                           /* 한 U+D55C */
#define GUK_NFC "\xEA\xB5\xAD"                           /* 국 U+AD6D */
#define HAN_NFD "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"   /* U+1112 U+1161 U+11AB */
#define GUK_NFD "\xE1\x84\x80\xE1\x85\xAE\xE1\x86\xA8"   /* U+1100 U+116E U+11A8 */
#define E_ACUTE_NFC "\xC3\xA9"                           /* é U+00E9 */
#define E_ACUTE_NFD "e\xCC\x81"                          /* e U+0301 */
#define THUMBS_MEDIUM "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD" /* 👍🏽 */
#define FAMILY                                                                                     \
    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F" \
    "\x91\xA6"                                     /* 👨‍👩‍👧‍👦 */
#define FLAG_KR "\xF0\x9F\x87\xB0\xF0\x9F\x87\xB7" /* 🇰🇷 */
#define GA "\xEA\xB0\x80"                          /* 가 */

static long
len_of(const char *s)
{
    return text_length(s, strlen(s));
}

/* --- buf ----------------------------------------------------------------- */

Test(buf, grows_and_keeps_every_byte)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < 5000; i++)
        buf_addch(&b, (char)('a' + i % 26));
    cr_assert_eq(b.len, 5000);
    cr_assert_eq(b.p[5000], '\0', "the buffer must stay NUL-terminated");
    for (int i = 0; i < 5000; i++)
        cr_assert_eq(b.p[i], 'a' + i % 26, "byte %d lost while growing", i);
    cr_assert_geq(b.cap, 5001);
    buf_release(&b);
    cr_assert_null(b.p);
    cr_assert_eq(b.len, 0);
}

Test(buf, add_and_adds_append_in_order)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "Nov. ");
    buf_add(&b, "29, 2026xyz", 8);
    buf_addch(&b, '!');
    buf_add(&b, NULL, 0);
    cr_assert_str_eq(b.p, "Nov. 29, 2026!");
    cr_assert_eq(b.len, 14);
    buf_release(&b);
}

Test(buf, cap_sets_overflow_and_drops_what_does_not_fit)
{
    struct buf b;
    buf_init(&b, 10);
    buf_adds(&b, "12345678");
    cr_assert_not(b.overflow);
    buf_adds(&b, "abc"); /* 11 > 10 */
    cr_assert(b.overflow, "appending past the cap must set overflow");
    cr_assert_str_eq(b.p, "12345678", "nothing of a refused append may land");
    buf_adds(&b, "x"); /* would fit, but overflow is sticky */
    cr_assert_str_eq(b.p, "12345678", "after an overflow, later appends are dropped too");
    cr_assert(b.overflow);
    buf_reset(&b);
    cr_assert_not(b.overflow);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.p, "");
    buf_adds(&b, "0123456789"); /* exactly the cap */
    cr_assert_not(b.overflow, "exactly max bytes must fit");
    cr_assert_eq(b.len, 10);
    buf_release(&b);
}

Test(buf, cap_refuses_a_huge_length_without_wrapping)
{
    struct buf b;
    buf_init(&b, 100);
    buf_adds(&b, "abc");
    buf_add(&b, "", SIZE_MAX - 1); /* never read: the cap refuses first */
    cr_assert(b.overflow);
    cr_assert_eq(b.len, 3);
    buf_release(&b);
}

Test(buf, addf_formats_and_respects_the_cap)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "%d-%s-%05.1f", 42, "x", 3.14159);
    cr_assert_str_eq(b.p, "42-x-003.1");
    buf_addf(&b, "%s", "");
    cr_assert_eq(b.len, 10);
    /* more than the first growth step in one call */
    char big[1000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    buf_addf(&b, "[%s]", big);
    cr_assert_eq(b.len, 10 + 1001);
    cr_assert_eq(b.p[b.len - 1], ']');
    cr_assert_eq(b.p[b.len], '\0');
    buf_release(&b);

    buf_init(&b, 8);
    buf_addf(&b, "%s", "1234");
    buf_addf(&b, "%d", 123456);
    cr_assert(b.overflow);
    cr_assert_str_eq(b.p, "1234");
    buf_release(&b);
}

Test(buf, detach_hands_over_the_string)
{
    struct buf b = BUF_INIT;
    size_t n = 99;
    char *s = buf_detach(&b, &n);
    cr_assert_str_eq(s, "", "an empty buffer detaches as an empty string");
    cr_assert_eq(n, 0);
    free(s);
    buf_adds(&b, "lead story");
    s = buf_detach(&b, &n);
    cr_assert_str_eq(s, "lead story");
    cr_assert_eq(n, 10);
    cr_assert_null(b.p, "the buffer is empty after detaching");
    free(s);
}

/* --- arena ----------------------------------------------------------------- */

Test(arena, allocations_are_aligned_distinct_and_kept)
{
    struct arena *a = arena_new();
    char *ptrs[3000];
    for (size_t i = 0; i < ARRAY_SIZE(ptrs); i++) {
        size_t n = 1 + i % 97;
        ptrs[i] = arena_alloc(a, n);
        cr_assert_eq((uintptr_t)ptrs[i] % _Alignof(max_align_t), 0, "allocation %zu misaligned", i);
        memset(ptrs[i], (int)(i & 0xff), n);
    }
    /* a large block gets its own chunk and later small ones still work */
    char *big = arena_alloc(a, 100000);
    memset(big, 0xAB, 100000);
    char *after = arena_strdup(a, "after the big one");
    for (size_t i = 0; i < ARRAY_SIZE(ptrs); i++) {
        size_t n = 1 + i % 97;
        for (size_t k = 0; k < n; k++)
            cr_assert_eq((unsigned char)ptrs[i][k], i & 0xff, "allocation %zu was overwritten", i);
    }
    cr_assert_eq((unsigned char)big[99999], 0xAB);
    cr_assert_str_eq(after, "after the big one");
    arena_free(a);
}

Test(arena, zalloc_strdup_printf)
{
    struct arena *a = arena_new();
    unsigned char *z = arena_zalloc(a, 64);
    for (int i = 0; i < 64; i++)
        cr_assert_eq(z[i], 0);
    cr_assert_str_eq(arena_strndup(a, "politics-extra", 8), "politics");
    cr_assert_str_eq(arena_strndup(a, NULL, 0), "");
    cr_assert_null(arena_strdup(a, NULL));
    cr_assert_str_eq(arena_printf(a, "/article/%d/%s", 12, "slug"), "/article/12/slug");
    char *zero = arena_alloc(a, 0);
    cr_assert_not_null(zero);
    arena_free(a);
    arena_free(NULL);
}

/* --- UTF-8 ------------------------------------------------------------------- */

Test(utf8, valid_text_of_any_script)
{
    const char *ok[] = {"",
                        "plain ASCII",
                        HAN_NFC GUK_NFC,
                        THUMBS_MEDIUM,
                        FAMILY,
                        E_ACUTE_NFD,
                        "\xF4\x8F\xBF\xBF" /* U+10FFFF */,
                        "\xEF\xBF\xBD"};
    for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
        cr_assert(utf8_valid(ok[i], strlen(ok[i])), "valid text %zu refused", i);
}

Test(utf8, refuses_what_is_not_utf8)
{
    static const struct {
        const char *s;
        const char *why;
    } bad[] = {
        {"\xC0\xAF", "overlong '/' in two bytes"},
        {"\xC1\xBF", "overlong in two bytes"},
        {"\xE0\x80\xAF", "overlong '/' in three bytes"},
        {"\xE0\x9F\xBF", "overlong U+07FF in three bytes"},
        {"\xF0\x80\x80\xAF", "overlong '/' in four bytes"},
        {"\xF0\x8F\xBF\xBF", "overlong U+FFFF in four bytes"},
        {"\xED\xA0\x80", "surrogate U+D800"},
        {"\xED\xBF\xBF", "surrogate U+DFFF"},
        {"\xED\xA0\xBD\xED\xB1\x8D", "CESU-8 surrogate pair"},
        {"\xE2\x82", "truncated three-byte sequence"},
        {"\xF0\x9F\x91", "truncated four-byte sequence"},
        {"abc\xC3", "lead byte at the end"},
        {"\x80", "lone continuation byte"},
        {"a\xBFz", "continuation byte in ASCII"},
        {"\xC3(", "lead byte followed by ASCII"},
        {"\xF8\x88\x80\x80\x80", "five-byte sequence"},
        {"\xFC\x84\x80\x80\x80\x80", "six-byte sequence"},
        {"\xF4\x90\x80\x80", "beyond U+10FFFF"},
        {"\xF5\x80\x80\x80", "lead byte F5"},
        {"\xFE", "byte FE"},
        {"\xFF", "byte FF"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_not(utf8_valid(bad[i].s, strlen(bad[i].s)), "accepted: %s", bad[i].why);
}

Test(utf8, length_is_respected_not_the_nul)
{
    /* only the first n bytes count: a cut inside a character is invalid */
    cr_assert_not(utf8_valid(HAN_NFC, 2));
    cr_assert(utf8_valid(HAN_NFC "\xFF", 3));
}

Test(utf8, nfc_composes_hangul_and_accents)
{
    size_t n = 0;
    char *s = utf8_nfc(HAN_NFD, strlen(HAN_NFD), &n);
    cr_assert_not_null(s);
    cr_assert_str_eq(s, HAN_NFC, "decomposed jamo must compose to one syllable");
    cr_assert_eq(n, 3);
    free(s);
    s = utf8_nfc(E_ACUTE_NFD "cole", strlen(E_ACUTE_NFD "cole"), &n);
    cr_assert_str_eq(s, E_ACUTE_NFC "cole");
    free(s);
    s = utf8_nfc("", 0, &n);
    cr_assert_str_eq(s, "");
    cr_assert_eq(n, 0);
    free(s);
    cr_assert_null(utf8_nfc("\xC0\xAF", 2, &n), "invalid input gives NULL");
}

Test(utf8, fold_makes_case_insensitive_keys)
{
    size_t n;
    char *a = utf8_fold("SEOUL Stra\xC3\x9F"
                        "e",
                        strlen("SEOUL Stra\xC3\x9F"
                               "e"),
                        &n);
    cr_assert_str_eq(a, "seoul strasse");
    free(a);
}

/* --- the one character count -------------------------------------------------- */

/* What words are made of, for the dictionary's tokens and slugs: letters
 * of every script and the marks that combine with them. */
Test(utf8, letters_and_combining_marks_make_words)
{
    /* a, Z, é, 가, 中, ж, a combining acute, a Devanagari vowel sign */
    const int32_t letters[] = {'a', 'Z', 0xE9, 0xAC00, 0x4E2D, 0x0436, 0x0301, 0x093E};
    /* digits, space, hyphen, apostrophes, full stops, an emoji, a joiner */
    const int32_t others[] = {'0', '7', ' ', '-', '\'', 0x2019, '.', 0x3002, 0x1F44D, 0x200D};
    for (size_t i = 0; i < ARRAY_SIZE(letters); i++)
        cr_assert(utf8_is_letter(letters[i]), "U+%04X", (unsigned)letters[i]);
    for (size_t i = 0; i < ARRAY_SIZE(others); i++)
        cr_assert_not(utf8_is_letter(others[i]), "U+%04X", (unsigned)others[i]);
}

Test(text_length, hangul_counts_once_composed_or_decomposed)
{
    cr_assert_eq(len_of(HAN_NFC GUK_NFC), 2);
    cr_assert_eq(len_of(HAN_NFD GUK_NFD), 2);
    cr_assert_eq(len_of(HAN_NFC GUK_NFD), 2);
}

Test(text_length, emoji_and_accents_count_once)
{
    cr_assert_eq(len_of(THUMBS_MEDIUM), 1, "thumbs up with a skin tone is one character");
    cr_assert_eq(len_of(FAMILY), 1, "a ZWJ family is one character");
    cr_assert_eq(len_of(FLAG_KR), 1, "a flag is one character");
    cr_assert_eq(len_of(FLAG_KR FLAG_KR), 2);
    cr_assert_eq(len_of(E_ACUTE_NFD), 1);
    cr_assert_eq(len_of(E_ACUTE_NFC), 1);
    cr_assert_eq(len_of("a" THUMBS_MEDIUM "b"), 3);
    cr_assert_eq(len_of("\r\n"), 1);
    cr_assert_eq(len_of(""), 0);
    cr_assert_eq(len_of("hello"), 5);
}

Test(text_length, invalid_utf8_is_minus_one)
{
    cr_assert_eq(len_of("abc\xFF"), -1);
    cr_assert_eq(len_of("\xED\xA0\x80"), -1);
    cr_assert_eq(len_of("\xC0\xAF"), -1);
}

static char *
repeat(const char *unit, int times)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < times; i++)
        buf_adds(&b, unit);
    return buf_detach(&b, NULL);
}

Test(text_length, comment_limit_boundaries)
{
    static const char *units[] = {"a", GA, HAN_NFD, THUMBS_MEDIUM, FAMILY, E_ACUTE_NFD};
    for (size_t u = 0; u < ARRAY_SIZE(units); u++) {
        char *s250 = repeat(units[u], 250), *s251 = repeat(units[u], 251);
        cr_assert_eq(len_of(s250), 250, "250 of unit %zu", u);
        cr_assert_eq(len_of(s251), 251, "251 of unit %zu", u);
        free(s250);
        free(s251);
    }
    /* 249 letters and one emoji with a modifier is still 250 */
    char *s = repeat("x", 249);
    size_t n = strlen(s);
    s = xrealloc(s, n + sizeof(THUMBS_MEDIUM));
    memcpy(s + n, THUMBS_MEDIUM, sizeof(THUMBS_MEDIUM));
    cr_assert_eq(len_of(s), 250);
    free(s);
}

Test(text_length, prefix_cuts_between_characters)
{
    const char *s = THUMBS_MEDIUM "a" HAN_NFD FAMILY "z";
    size_t n = strlen(s);
    cr_assert_eq(text_prefix(s, n, 0), 0);
    cr_assert_eq(text_prefix(s, n, -3), 0);
    cr_assert_eq(text_prefix(s, n, 1), strlen(THUMBS_MEDIUM), "the skin tone stays with its thumb");
    cr_assert_eq(text_prefix(s, n, 2), strlen(THUMBS_MEDIUM "a"));
    cr_assert_eq(text_prefix(s, n, 3), strlen(THUMBS_MEDIUM "a" HAN_NFD), "jamo stay together");
    cr_assert_eq(text_prefix(s, n, 4), strlen(THUMBS_MEDIUM "a" HAN_NFD FAMILY));
    cr_assert_eq(text_prefix(s, n, 5), n);
    cr_assert_eq(text_prefix(s, n, 500), n);
    for (long k = 0; k <= 5; k++)
        cr_assert_eq(text_length(s, text_prefix(s, n, k)), k);
}

/* --- text_clean ------------------------------------------------------------------ */

static char *
clean(const char *s, bool keep_newlines)
{
    return text_clean(s, strlen(s), keep_newlines, NULL);
}

Test(text_clean, drops_controls_and_normalises)
{
    char *s = clean("  Hello\x01 \x07world\x7F  ", false);
    cr_assert_str_eq(s, "Hello world");
    free(s);
    s = clean("line one\r\nline two\rline three\n", true);
    cr_assert_str_eq(s, "line one\nline two\nline three");
    free(s);
    s = clean("line one\r\nline two", false);
    cr_assert_str_eq(s, "line one line two");
    free(s);
    s = clean("tab\there", true);
    cr_assert_str_eq(s, "tab here");
    free(s);
    s = clean(HAN_NFD, false);
    cr_assert_str_eq(s, HAN_NFC, "clean text is NFC");
    free(s);
    size_t n = 5;
    s = text_clean("", 0, true, &n);
    cr_assert_str_eq(s, "");
    cr_assert_eq(n, 0);
    free(s);
    s = clean(" \n \r\n ", true);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(text_clean, drops_invisible_format_characters_but_keeps_emoji_joiners)
{
    /* right-to-left override (spoofing), zero-width space, line separator */
    char *s = clean("abc\xE2\x80\xAE"
                    "def\xE2\x80\x8Bghi\xE2\x80\xA8jkl",
                    false);
    cr_assert_str_eq(s, "abcdefghijkl");
    free(s);
    s = clean(FAMILY, false);
    cr_assert_str_eq(s, FAMILY, "the zero-width joiner inside an emoji must stay");
    free(s);
    size_t n;
    s = text_clean("x\0y", 3, false, &n);
    if (s != NULL)
        cr_assert_str_eq(s, "xy", "a NUL is either refused or dropped, never kept");
    free(s);
    cr_assert_null(clean("bad \xFF", false));
}

/* --- slugs ------------------------------------------------------------------------ */

static void
assert_slug(const char *title, size_t max, const char *want)
{
    char *s = slug_make(title, strlen(title), max);
    cr_assert_str_eq(s, want, "slug of '%s' (max %zu)", title, max);
    if (s[0])
        cr_assert(slug_valid(s, strlen(s)), "slug_make made an invalid slug '%s'", s);
    free(s);
}

Test(slug, words_joined_by_dashes)
{
    assert_slug("Hello, World!", 80, "hello-world");
    assert_slug("  --Budget: 2026 -- passes!--  ", 80, "budget-2026-passes");
    assert_slug("Minister resigns (again) & apologises", 80, "minister-resigns-again-apologises");
    assert_slug("a/b\\c?d#e%f", 80, "a-b-c-d-e-f");
}

Test(slug, apostrophes_join)
{
    assert_slug("China's economy", 80, "chinas-economy");
    assert_slug("China\xE2\x80\x99s economy", 80, "chinas-economy");
    assert_slug("Don't stop", 80, "dont-stop");
}

Test(slug, letters_of_every_script_are_kept)
{
    assert_slug("\xEC\x84\x9C\xEC\x9A\xB8 \xEC\x8B\x9C\xEC\x9E\xA5 \xEC\x84\xA0\xEA\xB1\xB0", 80,
                "\xEC\x84\x9C\xEC\x9A\xB8-\xEC\x8B\x9C\xEC\x9E\xA5-\xEC\x84\xA0\xEA\xB1\xB0");
    assert_slug(HAN_NFD GUK_NFD, 80, HAN_NFC GUK_NFC);
    assert_slug("Caf" E_ACUTE_NFD " au lait", 80, "caf" E_ACUTE_NFC "-au-lait");
    assert_slug("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 News", 80, "abc-news"); /* full-width */
    assert_slug("\xC3\x9C"
                "BER",
                80,
                "\xC3\xBC"
                "ber");
}

Test(slug, max_never_cuts_a_character)
{
    /* 가나다라: three bytes each */
    const char *t = GA "\xEB\x82\x98\xEB\x8B\xA4\xEB\x9D\xBC";
    assert_slug(t, 7, GA "\xEB\x82\x98");
    assert_slug(t, 6, GA "\xEB\x82\x98");
    assert_slug(t, 5, GA);
    assert_slug(t, 2, "");
    assert_slug("abc def", 3, "abc");
    assert_slug("abc def", 4, "abc");
    assert_slug("abc def", 5, "abc-d");
    for (size_t max = 0; max < 40; max++) {
        const char *title = "Seoul " GA " " THUMBS_MEDIUM " election, " HAN_NFD " results";
        char *s = slug_make(title, strlen(title), max);
        cr_assert_leq(strlen(s), max);
        cr_assert(utf8_valid(s, strlen(s)), "max %zu cut a character", max);
        cr_assert(s[0] == '\0' || s[strlen(s) - 1] != '-', "max %zu left a trailing dash", max);
        free(s);
    }
}

Test(slug, empty_or_no_letters)
{
    assert_slug("", 80, "");
    assert_slug("!!! ??? ...", 80, "");
    assert_slug(THUMBS_MEDIUM, 80, "");
    assert_slug("bad \xFF utf8", 80, "");
}

Test(slug, valid)
{
    cr_assert(slug_valid("hello-world", 11));
    cr_assert(slug_valid("2026", 4));
    const char *ko = "\xEC\x84\x9C\xEC\x9A\xB8-\xEC\x8B\x9C\xEC\x9E\xA5";
    cr_assert(slug_valid(ko, strlen(ko)));
    cr_assert_not(slug_valid("", 0));
    cr_assert_not(slug_valid("-lead", 5));
    cr_assert_not(slug_valid("trail-", 6));
    cr_assert_not(slug_valid("Upper", 5));
    cr_assert_not(slug_valid("with space", 10));
    cr_assert_not(slug_valid("under_score", 11));
    cr_assert_not(slug_valid("dot.dot", 7));
    cr_assert_not(slug_valid("a/b", 3));
    cr_assert_not(slug_valid("a\xFF", 2));
    cr_assert_not(slug_valid("a\0b", 3));
    char *long_ok = repeat("a", 200), *too_long = repeat("a", 201);
    cr_assert(slug_valid(long_ok, 200));
    cr_assert_not(slug_valid(too_long, 201));
    free(long_ok);
    free(too_long);
}

/* --- percent-decoding and forms ------------------------------------------------------ */

static int
decode(const char *s, bool form, char **out)
{
    struct buf b = BUF_INIT;
    int rc = url_decode(s, strlen(s), form, &b);
    *out = buf_detach(&b, NULL);
    return rc;
}

Test(url, decode_good)
{
    char *s;
    cr_assert_eq(decode("a%20b", false, &s), 0);
    cr_assert_str_eq(s, "a b");
    free(s);
    cr_assert_eq(decode("%E2%82%ac%2f", false, &s), 0);
    cr_assert_str_eq(s, "\xE2\x82\xAC/", "hex is case-insensitive");
    free(s);
    cr_assert_eq(decode("a+b", true, &s), 0);
    cr_assert_str_eq(s, "a b", "'+' is a space in a form");
    free(s);
    cr_assert_eq(decode("a+b", false, &s), 0);
    cr_assert_str_eq(s, "a+b", "'+' is itself in a path");
    free(s);
    cr_assert_eq(decode("%2B", true, &s), 0);
    cr_assert_str_eq(s, "+");
    free(s);
    cr_assert_eq(decode("", true, &s), 0);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(url, decode_bad)
{
    const char *bad[] = {"%",  "%4",  "abc%", "abc%4", "%zz",   "%g0", "%0g",
                         "%%", "%-1", "% 1",  "%00",   "a%00b", "%+1"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *s;
        cr_assert_eq(decode(bad[i], true, &s), -1, "'%s' was accepted", bad[i]);
        free(s);
    }
    struct buf b = BUF_INIT;
    cr_assert_eq(url_decode("a\0b", 3, false, &b), -1, "a raw NUL is refused");
    buf_release(&b);
}

Test(url, decode_output_never_longer_than_input)
{
    const char *in = "%41%42%43+x";
    struct buf b;
    buf_init(&b, strlen(in));
    cr_assert_eq(url_decode(in, strlen(in), true, &b), 0);
    cr_assert_not(b.overflow);
    cr_assert_str_eq(b.p, "ABC x");
    buf_release(&b);
}

Test(url, encode_and_round_trip)
{
    struct buf b = BUF_INIT;
    url_encode(&b, "a b/\xC3\xBC~-_.&=?#+%", strlen("a b/\xC3\xBC~-_.&=?#+%"));
    cr_assert_str_eq(b.p, "a%20b%2F%C3%BC~-_.%26%3D%3F%23%2B%25");
    char *back;
    cr_assert_eq(decode(b.p, true, &back), 0);
    cr_assert_str_eq(back, "a b/\xC3\xBC~-_.&=?#+%");
    free(back);
    buf_release(&b);
}

static enum form_status
parse_form(struct arena *a, const char *s, size_t max, struct form *f)
{
    return form_parse(a, s, strlen(s), max, f);
}

Test(form, fields_values_and_empties)
{
    struct arena *a = arena_new();
    struct form f;
    cr_assert_eq(parse_form(a, "q=seoul+election&page=2", 16, &f), FORM_OK);
    cr_assert_eq(f.count, 2);
    cr_assert_str_eq(form_get(&f, "q"), "seoul election");
    cr_assert_str_eq(form_get(&f, "page"), "2");
    cr_assert_null(form_get(&f, "missing"));

    cr_assert_eq(parse_form(a, "&&a=1&&b=&", 16, &f), FORM_OK);
    cr_assert_eq(f.count, 2, "empty fields between '&' are skipped");
    cr_assert_str_eq(form_get(&f, "b"), "");
    cr_assert_eq(f.fields[1].value_len, 0);

    cr_assert_eq(parse_form(a, "flag&x=1", 16, &f), FORM_OK);
    cr_assert_eq(f.count, 2);
    cr_assert_str_eq(form_get(&f, "flag"), "", "a name without '=' has an empty value");

    cr_assert_eq(parse_form(a, "eq=a=b", 16, &f), FORM_OK);
    cr_assert_str_eq(form_get(&f, "eq"), "a=b", "only the first '=' separates");

    cr_assert_eq(parse_form(a, "", 16, &f), FORM_OK);
    cr_assert_eq(f.count, 0);

    cr_assert_eq(parse_form(a, "%ED%95%9C=%EA%B5%AD", 16, &f), FORM_OK);
    cr_assert_str_eq(form_get(&f, HAN_NFC), GUK_NFC, "names are decoded too");
    arena_free(a);
}

Test(form, repeated_names_keep_every_value)
{
    struct arena *a = arena_new();
    struct form f;
    cr_assert_eq(parse_form(a, "tag=x&tag=y&tag=z", 16, &f), FORM_OK);
    cr_assert_eq(f.count, 3);
    cr_assert_str_eq(form_get(&f, "tag"), "x", "form_get returns the first");
    cr_assert_str_eq(f.fields[1].value, "y");
    cr_assert_str_eq(f.fields[2].value, "z");
    arena_free(a);
}

Test(form, values_with_nul_are_refused_and_lengths_are_exact)
{
    struct arena *a = arena_new();
    struct form f;
    cr_assert_eq(parse_form(a, "body=a%00b", 16, &f), FORM_BAD_ESCAPE);
    cr_assert_eq(parse_form(a, "body=caf%C3%A9", 16, &f), FORM_OK);
    cr_assert_eq(f.fields[0].value_len, 5);
    arena_free(a);
}

Test(form, too_many_fields)
{
    struct arena *a = arena_new();
    struct form f;
    cr_assert_eq(parse_form(a, "a=1&b=2&c=3&d=4", 4, &f), FORM_OK);
    cr_assert_eq(f.count, 4);
    cr_assert_eq(parse_form(a, "a=1&b=2&c=3&d=4&e=5", 4, &f), FORM_TOO_MANY);
    cr_assert_eq(parse_form(a, "a=1&&&&b=2&&&", 2, &f), FORM_OK, "empty fields do not count");
    /* many fields grow the array past its first size */
    struct buf b = BUF_INIT;
    for (int i = 0; i < 100; i++)
        buf_addf(&b, "%sk%d=v%d", i ? "&" : "", i, i);
    cr_assert_eq(form_parse(a, b.p, b.len, 100, &f), FORM_OK);
    cr_assert_eq(f.count, 100);
    cr_assert_str_eq(f.fields[99].name, "k99");
    cr_assert_str_eq(form_get(&f, "k57"), "v57");
    cr_assert_eq(form_parse(a, b.p, b.len, 99, &f), FORM_TOO_MANY);
    buf_release(&b);
    arena_free(a);
}

Test(form, bad_escapes_and_bad_utf8)
{
    struct arena *a = arena_new();
    struct form f;
    cr_assert_eq(parse_form(a, "q=%zz", 16, &f), FORM_BAD_ESCAPE);
    cr_assert_eq(parse_form(a, "q=abc%", 16, &f), FORM_BAD_ESCAPE);
    cr_assert_eq(parse_form(a, "%=1", 16, &f), FORM_BAD_ESCAPE);
    cr_assert_eq(parse_form(a, "q=%FF", 16, &f), FORM_BAD_UTF8);
    cr_assert_eq(parse_form(a, "q=%C3", 16, &f), FORM_BAD_UTF8, "a character cut in half");
    cr_assert_eq(parse_form(a, "q=%C0%AF", 16, &f), FORM_BAD_UTF8, "an overlong '/'");
    cr_assert_eq(parse_form(a, "q=%ED%A0%80", 16, &f), FORM_BAD_UTF8, "a surrogate");
    cr_assert_eq(parse_form(a, "%FF=1", 16, &f), FORM_BAD_UTF8);
    cr_assert_eq(parse_form(a, "ok=1&q=\xFF", 16, &f), FORM_BAD_UTF8, "raw bytes too");
    for (int st = FORM_OK; st <= FORM_TOO_MANY; st++) {
        const char *msg = form_error_text((enum form_status)st);
        cr_assert_not_null(msg);
        cr_assert_gt(strlen(msg), 0);
    }
    cr_assert_str_neq(form_error_text(FORM_BAD_UTF8), form_error_text(FORM_BAD_ESCAPE));
    arena_free(a);
}

/* --- time ------------------------------------------------------------------------------ */

Test(time, formats)
{
    char iso[32], rfc[40], human[40];
    time_iso8601(1000000000, iso);
    cr_assert_str_eq(iso, "2001-09-09T01:46:40Z");
    time_iso8601(0, iso);
    cr_assert_str_eq(iso, "1970-01-01T00:00:00Z");
    time_rfc822(1000000000, rfc);
    cr_assert_str_eq(rfc, "Sun, 09 Sep 2001 01:46:40 GMT");
    time_rfc822(1798761599, rfc);
    cr_assert_str_eq(rfc, "Thu, 31 Dec 2026 23:59:59 GMT");
    time_human(1000000000, 540, human);
    cr_assert_str_eq(human, "Sept. 9, 2001 10:46", "Seoul is nine hours ahead");
    time_human(1000000000, -300, human);
    cr_assert_str_eq(human, "Sept. 8, 2001 20:46");
}

Test(time, formats_never_read_garbage_for_times_beyond_the_calendar)
{
    char iso[32], rfc[40], human[40];
    const int64_t extremes[] = {INT64_MAX, INT64_MIN, INT64_MAX - 100, INT64_MIN + 100};
    for (size_t i = 0; i < ARRAY_SIZE(extremes); i++) {
        time_iso8601(extremes[i], iso);
        cr_assert_str_eq(iso, "1970-01-01T00:00:00Z");
        time_rfc822(extremes[i], rfc);
        cr_assert_str_eq(rfc, "Thu, 01 Jan 1970 00:00:00 GMT");
        time_human(extremes[i], 540, human); /* the offset must not overflow */
        cr_assert_str_eq(human, "Jan. 1, 1970 00:00");
        time_human(extremes[i], -540, human);
        cr_assert(strlen(human) > 0);
    }
    time_iso8601(32503680000LL, iso); /* year 3000 is still a date */
    cr_assert_str_eq(iso, "3000-01-01T00:00:00Z");
}

Test(time, parse_forms_and_offsets)
{
    static const struct {
        const char *s;
        int64_t t;
    } ok[] = {
        {"2001-09-09T01:46:40Z", 1000000000},      {"2001-09-09T01:46:40", 1000000000},
        {"2001-09-09T10:46:40+09:00", 1000000000}, {"2001-09-08T20:46:40-05:00", 1000000000},
        {"2001-09-09T01:46:40.123Z", 1000000000},  {"2001-09-09 01:46", 999999960},
        {"2001-09-09T01:46", 999999960},           {"2001-09-09", 999993600},
        {"2024-02-29T12:00:00Z", 1709208000},      {"1970-01-01T00:00:00Z", 0},
    };
    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        int64_t t = -1;
        cr_assert_eq(time_parse(ok[i].s, &t), 0, "'%s' refused", ok[i].s);
        cr_assert_eq(t, ok[i].t, "'%s' gave %lld", ok[i].s, (long long)t);
    }
}

Test(time, parse_refuses_bad_dates)
{
    const char *bad[] = {
        "",
        "2001",
        "2001-09",
        "2001-9-9",
        "01-09-09",
        "abcd-ef-gh",
        "2001/09/09",
        "2001-13-01",
        "2001-00-10",
        "2001-09-00",
        "2001-09-32",
        "2001-02-30",
        "2001-02-29",
        "2001-04-31",
        "2001-09-09T24:00",
        "2001-09-09T01:60",
        "2001-09-09T01:46:61",
        "2001-09-09T",
        "2001-09-09T1:46",
        "2001-09-09T01:46:4",
        "2001-09-09T01:46:40+0900",
        "2001-09-09T01:46:40+09",
        "2001-09-09T01:46:40+24:00",
        "2001-09-09T01:46:40+09:60",
        "2001-09-09T01:46:40Z junk",
        "2001-09-09 junk",
        "2001-09-09X01:46",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        int64_t t = 12345;
        cr_assert_eq(time_parse(bad[i], &t), -1, "'%s' was accepted", bad[i]);
    }
}

Test(time, round_trip)
{
    for (int64_t t = 0; t < 4102444800LL; t += 86400LL * 37 + 3671) {
        char iso[32];
        time_iso8601(t, iso);
        int64_t back = -1;
        cr_assert_eq(time_parse(iso, &back), 0, "'%s' refused", iso);
        cr_assert_eq(back, t, "'%s'", iso);
    }
}

/* --- parse_long --------------------------------------------------------------------------- */

static int
plong(const char *s, long min, long max, long *out)
{
    return parse_long(s, strlen(s), min, max, out);
}

Test(parse_long, numbers_and_bounds)
{
    long v = 0;
    cr_assert_eq(plong("42", 0, 100, &v), 0);
    cr_assert_eq(v, 42);
    cr_assert_eq(plong("-7", -10, 10, &v), 0);
    cr_assert_eq(v, -7);
    cr_assert_eq(plong("0", 0, 0, &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(plong("007", 0, 10, &v), 0);
    cr_assert_eq(v, 7);
    cr_assert_eq(plong("1", 1, 65535, &v), 0, "min is inclusive");
    cr_assert_eq(plong("65535", 1, 65535, &v), 0, "max is inclusive");
    v = 99;
    cr_assert_eq(plong("65536", 1, 65535, &v), -1);
    cr_assert_eq(plong("0", 1, 65535, &v), -1);
    cr_assert_eq(plong("-1", 0, 10, &v), -1);
    cr_assert_eq(v, 99, "out is untouched on failure");
}

Test(parse_long, junk)
{
    const char *bad[] = {"",     "-",   "+4",  " 4",  "4 ", "4a",
                         "0x10", "1.5", "1e3", "--1", "4-", "\xEF\xBC\x94" /* full-width 4 */};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        long v;
        cr_assert_eq(plong(bad[i], LONG_MIN, LONG_MAX, &v), -1, "'%s' accepted", bad[i]);
    }
    long v;
    cr_assert_eq(parse_long("12\0"
                            "3",
                            4, 0, 10000, &v),
                 -1, "an embedded NUL is junk");
}

Test(parse_long, overflow_is_refused_not_wrapped)
{
    long v = 0;
    cr_assert_eq(plong("9223372036854775807", LONG_MIN, LONG_MAX, &v), 0);
    cr_assert_eq(v, LONG_MAX);
    cr_assert_eq(plong("-9223372036854775807", LONG_MIN, LONG_MAX, &v), 0);
    cr_assert_eq(v, -LONG_MAX);
    v = 5;
    cr_assert_eq(plong("9223372036854775808", LONG_MIN, LONG_MAX, &v), -1);
    cr_assert_eq(plong("9999999999999999999", LONG_MIN, LONG_MAX, &v), -1);
    cr_assert_eq(plong("18446744073709551617", LONG_MIN, LONG_MAX, &v), -1);
    cr_assert_eq(plong("99999999999999999999999", LONG_MIN, LONG_MAX, &v), -1);
    cr_assert_eq(v, 5);
}

/* --- misc --------------------------------------------------------------------------------- */

Test(misc, random_hex_and_hash)
{
    char a[33], b[33];
    random_hex(a, 16);
    random_hex(b, 16);
    cr_assert_eq(strlen(a), 32);
    cr_assert_str_neq(a, b);
    for (int i = 0; i < 32; i++)
        cr_assert(strchr("0123456789abcdef", a[i]) != NULL);
    cr_assert_eq(hash64("", 0), 1469598103934665603ULL);
    cr_assert_neq(hash64("a", 1), hash64("b", 1));
    cr_assert_eq(hash64("story", 5), hash64("story", 5));
}

Test(misc, str_helpers)
{
    struct str s = str_from("national/politics");
    cr_assert_eq(s.n, 17);
    cr_assert(str_starts(s, "national/"));
    cr_assert_not(str_starts(s, "national/politics/more"));
    cr_assert(str_eq(s, "national/politics"));
    cr_assert_not(str_eq(s, "national"));
    cr_assert_eq(str_from(NULL).n, 0);
}
