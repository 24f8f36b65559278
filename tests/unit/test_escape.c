/*
 * The escapers: each value must come out as text in its context, never as
 * markup, script or a dangerous link.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

typedef void (*esc_fn)(struct buf *out, const char *p, size_t n);

static char *
run(esc_fn fn, const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    fn(&b, s, n);
    return buf_detach(&b, NULL);
}

static void
assert_esc(esc_fn fn, const char *in, const char *want)
{
    char *got = run(fn, in, strlen(in));
    cr_assert_str_eq(got, want, "escaping '%s'", in);
    free(got);
}

Test(escape, html_text_and_attributes)
{
    const char *in = "<a href=\"x\" onclick='y'>Tom & Jerry</a>";
    const char *want = "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;";
    assert_esc(esc_html, in, want);
    assert_esc(esc_attr, in, want);
    assert_esc(esc_html, "", "");
    assert_esc(esc_html, "plain words", "plain words");
    assert_esc(esc_html, "&amp;", "&amp;amp;"); /* entities in data are shown, not decoded */
    /* other scripts pass through untouched */
    assert_esc(esc_attr, "\xEC\x84\x9C\xEC\x9A\xB8 & \xEB\xB6\x80\xEC\x82\xB0",
               "\xEC\x84\x9C\xEC\x9A\xB8 &amp; \xEB\xB6\x80\xEC\x82\xB0");
}

Test(escape, html_keeps_length_argument)
{
    struct buf b = BUF_INIT;
    esc_html(&b, "a<b>c", 2);
    cr_assert_str_eq(b.p, "a&lt;");
    buf_release(&b);
}

Test(escape, xml_drops_control_characters)
{
    assert_esc(esc_xml,
               "a\x01"
               "b\x08"
               "c\x0B"
               "d\x0C"
               "e\x1F"
               "f",
               "abcdef");
    assert_esc(esc_xml, "tab\tnl\ncr\r", "tab\tnl\ncr\r");
    assert_esc(esc_xml, "<title>Q&A \"now\" 'here'</title>",
               "&lt;title&gt;Q&amp;A &quot;now&quot; &#39;here&#39;&lt;/title&gt;");
    assert_esc(esc_xml, "\x01<\x02", "&lt;");
    char *got = run(esc_xml, "a\0b", 3);
    cr_assert_str_eq(got, "ab", "NUL is not allowed in XML");
    cr_assert_eq(strlen(got), 2);
    free(got);
}

/* The JSON string must parse back to exactly the input. */
static void
assert_json_round_trip(const char *in, size_t n)
{
    char *got = run(esc_json_string, in, n);
    json_error_t e;
    json_t *v = json_loads(got, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    cr_assert_not_null(v, "'%s' is not JSON: %s", got, e.text);
    cr_assert(json_is_string(v));
    cr_assert_eq(json_string_length(v), n);
    cr_assert_eq(memcmp(json_string_value(v), in, n), 0, "'%s' changed in the round trip", got);
    json_decref(v);
    free(got);
}

Test(escape, json_string_quotes_and_round_trips)
{
    assert_esc(esc_json_string, "say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"");
    assert_esc(esc_json_string, "a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
    assert_esc(esc_json_string, "\x01", "\"\\u0001\"");
    assert_esc(esc_json_string, "", "\"\"");
    const char *samples[] = {"plain",
                             "quote \" and back\\slash",
                             "</script><script>alert(1)</script>",
                             "<!-- x -->",
                             "it's & more",
                             "\xEC\x84\x9C\xEC\x9A\xB8",
                             "line\xE2\x80\xA8sep\xE2\x80\xA9para",
                             "ctl \x01\x1F\x7F"};
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
        assert_json_round_trip(samples[i], strlen(samples[i]));
    assert_json_round_trip("nul\0inside", 10);
}

Test(escape, json_string_cannot_end_a_script)
{
    char *got = run(esc_json_string, "</script><!--<script>", 21);
    cr_assert_null(strstr(got, "</"), "'</' in %s", got);
    cr_assert_null(strstr(got, "<!--"));
    cr_assert_null(strchr(got, '<'));
    cr_assert_null(strchr(got, '>'));
    free(got);
    /* U+2028 and U+2029 end a line in older JavaScript */
    got = run(esc_json_string,
              "a\xE2\x80\xA8"
              "b\xE2\x80\xA9",
              8);
    cr_assert_str_eq(got, "\"a\\u2028b\\u2029\"");
    free(got);
    /* a cut sequence at the end is not mistaken for one */
    got = run(esc_json_string, "a\xE2\x80", 3);
    cr_assert_str_eq(got, "\"a\xE2\x80\"");
    free(got);
}

Test(escape, url_part_percent_encodes)
{
    assert_esc(esc_url_part, "a b&c=d/e@f?g#h", "a%20b%26c%3Dd/e@f%3Fg%23h");
    assert_esc(esc_url_part, "\xEC\x84\x9C", "%EC%84%9C");
    assert_esc(esc_url_part, "\"'<>", "%22%27%3C%3E");
    assert_esc(esc_url_part, "javascript:alert(1)", "javascript%3Aalert%281%29");
    assert_esc(esc_url_part, "AZaz09-_.~", "AZaz09-_.~");
    assert_esc(esc_url_part, "100%", "100%25");
}

static bool
safe(const char *u)
{
    return url_is_safe(u, strlen(u));
}

Test(escape, url_is_safe_refuses_script_schemes)
{
    const char *bad[] = {
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\rscript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "javascript\t:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "blob:https://example.com/x",
        "x-unknown:thing",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(safe(bad[i]), "'%s' was called safe", bad[i]);
    cr_assert_not(url_is_safe("javascript:alert(1)", 11), "the length is respected");
}

Test(escape, url_is_safe_allows_links_a_paper_needs)
{
    const char *good[] = {
        "https://example.com/a?b=c#d",
        "HTTPS://EXAMPLE.COM",
        "http://example.com",
        "mailto:desk@example.com",
        "tel:+82-2-123-4567",
        "/article/12/slug",
        "article/12",
        "../up",
        "?page=2",
        "#comments",
        "//static.example.com/a.css",
        "",
        "/search?q=a:b",
        "path/with:colon",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert(safe(good[i]), "'%s' was refused", good[i]);
}
