/*
 * Markdown through cmark-gfm in safe mode: what reporters write becomes
 * HTML that cannot carry script, with the GFM extensions a paper uses.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/render.h"

static char *
html_of(const char *md)
{
    struct buf b = BUF_INIT;
    cr_assert_eq(markdown_to_html(md, strlen(md), &b), 0);
    return buf_detach(&b, NULL);
}

static char *
text_of(const char *md)
{
    struct buf b = BUF_INIT;
    cr_assert_eq(markdown_to_text(md, strlen(md), &b), 0);
    return buf_detach(&b, NULL);
}

static bool
contains_ci(const char *hay, const char *needle)
{
    return strcasestr(hay, needle) != NULL;
}

Test(markdown, basic_blocks_and_escaping)
{
    char *h = html_of("# Budget passes\n\nThe *assembly* voted **yes**: 5 < 7 & \"done\".\n");
    cr_assert_not_null(strstr(h, "<h1>Budget passes</h1>"), "%s", h);
    cr_assert_not_null(strstr(h, "<em>assembly</em>"), "%s", h);
    cr_assert_not_null(strstr(h, "<strong>yes</strong>"), "%s", h);
    cr_assert_not_null(strstr(h, "5 &lt; 7 &amp; &quot;done&quot;."), "%s", h);
    free(h);
}

Test(markdown, raw_html_is_removed)
{
    const char *attacks[] = {
        "<script>alert(1)</script>",
        "Hello <script>alert(1)</script> world",
        "<img src=x onerror=alert(1)>",
        "text <img src=x onerror=\"alert(1)\"> text",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<div onmouseover=\"alert(1)\">hover</div>",
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
    };
    for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
        char *h = html_of(attacks[i]);
        cr_assert_not(contains_ci(h, "<script"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "<img"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "<iframe"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "<svg"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "<style"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "onerror"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "onload"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "onmouseover"), "'%s' gave %s", attacks[i], h);
        cr_assert_not(contains_ci(h, "javascript:"), "'%s' gave %s", attacks[i], h);
        free(h);
    }
}

/* Every href and src in the HTML is empty or a URL url_is_safe accepts. */
static void
assert_links_safe(const char *html, const char *md)
{
    static const char *attrs[] = {"href=\"", "src=\""};
    for (size_t a = 0; a < 2; a++) {
        for (const char *p = strstr(html, attrs[a]); p; p = strstr(p, attrs[a])) {
            p += strlen(attrs[a]);
            const char *end = strchr(p, '"');
            cr_assert_not_null(end);
            cr_assert(url_is_safe(p, (size_t)(end - p)), "'%s' gave a dangerous link: %s", md,
                      html);
            /* a character reference would be decoded by the browser before the check */
            const char *ref = strstr(p, "&#");
            cr_assert(ref == NULL || ref > end, "'%s' gave a character reference: %s", md, html);
        }
    }
}

Test(markdown, dangerous_links_lose_their_target)
{
    const char *links[] = {
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](java&#115;cript:alert(1))",
    };
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        char *h = html_of(links[i]);
        assert_links_safe(h, links[i]);
        free(h);
    }
    char *h = html_of("[the report](https://example.com/report?a=1&b=2 \"Title\")");
    cr_assert_not_null(strstr(h, "<a href=\"https://example.com/report?a=1&amp;b=2\" "
                                 "title=\"Title\">the report</a>"),
                       "%s", h);
    free(h);
}

Test(markdown, tables)
{
    char *h = html_of("| City | Votes |\n|------|------:|\n| Seoul | 1,024 |\n| Busan | 512 |\n");
    cr_assert_not_null(strstr(h, "<table>"), "%s", h);
    cr_assert_not_null(strstr(h, "<th>City</th>"), "%s", h);
    cr_assert_not_null(strstr(h, "<td>Seoul</td>"), "%s", h);
    cr_assert_not_null(strstr(h, "1,024</td>"), "%s", h);
    cr_assert_not_null(strstr(h, "<td align=\"right\">512</td>"), "%s", h);
    free(h);
}

Test(markdown, autolinks)
{
    char *h = html_of("Read https://example.com/story and www.example.org today.");
    cr_assert_not_null(
        strstr(h, "<a href=\"https://example.com/story\">https://example.com/story</a>"), "%s", h);
    cr_assert_not_null(strstr(h, "<a href=\"http://www.example.org\">www.example.org</a>"), "%s",
                       h);
    free(h);
}

Test(markdown, strikethrough)
{
    char *h = html_of("The minister ~~resigned~~ stayed.");
    cr_assert_not_null(strstr(h, "<del>resigned</del>"), "%s", h);
    free(h);
}

Test(markdown, invalid_utf8_becomes_replacement_characters)
{
    char *h = html_of("caf\xC3 and \xFF bytes");
    cr_assert(utf8_valid(h, strlen(h)), "the HTML must be valid UTF-8: %s", h);
    cr_assert_not_null(strstr(h, "\xEF\xBF\xBD"), "%s", h);
    free(h);
}

Test(markdown, cap_overflow_is_an_error)
{
    const char *md = "A paragraph long enough to pass a tiny cap of output bytes.";
    struct buf b;
    buf_init(&b, 16);
    cr_assert_eq(markdown_to_html(md, strlen(md), &b), -1);
    buf_release(&b);
    buf_init(&b, 16);
    cr_assert_eq(markdown_to_text(md, strlen(md), &b), -1);
    buf_release(&b);
}

Test(markdown, text_has_the_words_without_markup)
{
    char *t = text_of("# Title\n\nSome *emphasis* and `code`, a [link](https://example.com)\n"
                      "over two lines.\n\n- first\n- second\n\n<script>alert(1)</script>\n");
    cr_assert_not_null(strstr(t, "Title\n"), "%s", t);
    cr_assert_not_null(strstr(t, "Some emphasis and code, a link over two lines.\n"), "%s", t);
    cr_assert_not_null(strstr(t, "first"), "%s", t);
    cr_assert_not_null(strstr(t, "second"), "%s", t);
    cr_assert_null(strchr(t, '*'), "%s", t);
    cr_assert_null(strchr(t, '#'), "%s", t);
    cr_assert_null(strchr(t, '`'), "%s", t);
    cr_assert_null(strchr(t, '<'), "%s", t);
    cr_assert_null(strstr(t, "https://"), "link targets are not text: %s", t);
    cr_assert_null(strstr(t, "alert"), "raw HTML is not text: %s", t);
    free(t);
    t = text_of("");
    cr_assert_str_eq(t, "");
    free(t);
}
