/*
 * The template engine: escaping chosen by where a value lands, refusals at
 * load with file:line, the language (if, for, filters, include, trim), the
 * XML/JSON/text modes and the output cap.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/render.h"

#define HAN_NFD "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"   /* 한 decomposed */
#define GUK_NFD "\xE1\x84\x80\xE1\x85\xAE\xE1\x86\xA8"   /* 국 decomposed */
#define THUMBS_MEDIUM "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD" /* 👍🏽 */

static char err[1024];

static json_t *
data_of(const char *json)
{
    json_error_t je;
    json_t *data = json_loads(json ? json : "{}", 0, &je);
    cr_assert_not_null(data, "bad test JSON '%s': %s", json, je.text);
    return data;
}

/* Renders src (a template called name) with the JSON data; the output is malloc'ed. */
static char *
render_named(const char *name, const char *src, const char *json)
{
    err[0] = '\0';
    struct tmpl_set *set = tmpl_set_parse(name, src, strlen(src), err, sizeof(err));
    cr_assert_not_null(set, "template refused: %s\n%s", err, src);
    json_t *data = data_of(json);
    struct buf b = BUF_INIT;
    int rc = tmpl_render(set, name, data, &b);
    cr_assert_eq(rc, 0, "render failed for\n%s", src);
    json_decref(data);
    tmpl_set_free(set);
    return buf_detach(&b, NULL);
}

static void
assert_render(const char *src, const char *json, const char *want)
{
    char *got = render_named("t.html", src, json);
    cr_assert_str_eq(got, want, "template\n%s\nwith %s", src, json ? json : "{}");
    free(got);
}

/* The template must be refused with "t.html:<line>: " and a message containing why. */
static void
assert_refused(const char *src, int line, const char *why)
{
    err[0] = '\0';
    struct tmpl_set *set = tmpl_set_parse("t.html", src, strlen(src), err, sizeof(err));
    cr_assert_null(set, "template accepted:\n%s", src);
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "t.html:%d: ", line);
    cr_assert(strncmp(err, prefix, strlen(prefix)) == 0, "message '%s' does not start with '%s'",
              err, prefix);
    cr_assert_not_null(strstr(err, why), "message '%s' does not say '%s'", err, why);
}

/* --- escaping by context ------------------------------------------------------- */

Test(template_context, element_text_is_escaped)
{
    assert_render("<p>{{ s }}</p>", "{\"s\": \"<script>alert(\\\"x\\\")</script> & 'y'\"}",
                  "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>");
    assert_render("<textarea>{{ s }}</textarea>", "{\"s\": \"</textarea><b>\"}",
                  "<textarea>&lt;/textarea&gt;&lt;b&gt;</textarea>");
}

Test(template_context, quoted_attributes_are_escaped)
{
    assert_render(
        "<p title=\"{{ s }}\" data-x='{{ s }}'>", "{\"s\": \"a\\\"b'c<d>&\"}",
        "<p title=\"a&quot;b&#39;c&lt;d&gt;&amp;\" data-x='a&quot;b&#39;c&lt;d&gt;&amp;'>");
    assert_render("<input value = \"{{ s }}\">", "{\"s\": \"\\\" autofocus onfocus=\\\"x\"}",
                  "<input value = \"&quot; autofocus onfocus=&quot;x\">");
}

Test(template_context, url_attribute_neutralises_script_schemes)
{
    const char *src = "<a href=\"{{ u }}\">x</a><img src=\"{{ u }}\" alt=\"\">"
                      "<form action=\"{{ u }}\"></form>";
    const char *bad[] = {"javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\\tscript:alert(1)",
                         "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char json[200];
        snprintf(json, sizeof(json), "{\"u\": \"%s\"}", bad[i]);
        assert_render(src, json,
                      "<a href=\"#\">x</a><img src=\"#\" alt=\"\"><form action=\"#\"></form>");
    }
    assert_render("<a HREF=\"{{ u }}\">x</a>", "{\"u\": \"javascript:alert(1)\"}",
                  "<a HREF=\"#\">x</a>");
    assert_render("<a href='{{ u }}'>x</a>", "{\"u\": \"https://example.com/?a=1&b=\\\"2\\\"\"}",
                  "<a href='https://example.com/?a=1&amp;b=&quot;2&quot;'>x</a>");
    assert_render("<a href=\"{{ u }}\">x</a>", "{\"u\": \"/article/1/slug\"}",
                  "<a href=\"/article/1/slug\">x</a>");
}

Test(template_context, later_url_parts_are_percent_encoded)
{
    assert_render("<a href=\"/tag/{{ t }}?q={{ q }}\">", "{\"t\": \"a b\", \"q\": \"x&y=z#w\"}",
                  "<a href=\"/tag/a%20b?q=x%26y%3Dz%23w\">");
    assert_render("<a href=\"{{ base }}/{{ slug }}\">",
                  "{\"base\": \"https://example.com\", \"slug\": \"javascript:alert(1)\"}",
                  "<a href=\"https://example.com/javascript%3Aalert%281%29\">");
    assert_render("<a href=\"/search?q={{ q }}\">", "{\"q\": \"\\\"><script>\"}",
                  "<a href=\"/search?q=%22%3E%3Cscript%3E\">");
    /* after a branch that may have written the start of the URL, the value is a later part */
    assert_render("<a href=\"{% if x %}/a/{% end %}{{ u }}\">", "{\"u\": \"javascript:x\"}",
                  "<a href=\"javascript%3Ax\">");
}

/* Returns the text between the first '>' after "ld+json\"" and the next "</script". */
static char *
script_body(const char *html)
{
    const char *start = strstr(html, "ld+json\">");
    cr_assert_not_null(start);
    start += strlen("ld+json\">");
    const char *end = strstr(start, "</script");
    cr_assert_not_null(end, "the script element is not closed");
    return strndup(start, (size_t)(end - start));
}

Test(template_context, json_ld_gets_json_that_cannot_end_the_script)
{
    const char *evil = "</script><script>alert(1)</script><!--";
    char json[400];
    snprintf(json, sizeof(json),
             "{\"h\": \"%s\", \"n\": 3, \"ok\": true, \"authors\": [{\"name\": \"%s\"}], "
             "\"sep\": \"a\\u2028b\"}",
             "</script><script>alert(1)</script><!--", "</script>");
    char *out = render_named(
        "t.html",
        "<script type=\"application/ld+json\">{\"headline\": {{ h }}, \"n\": {{ n }}, "
        "\"ok\": {{ ok }}, \"author\": {{ authors }}, \"sep\": {{ sep }}, \"none\": {{ missing }}}"
        "</script><p>after</p>",
        json);
    const char *first = strstr(out, "</script");
    cr_assert_not_null(first);
    cr_assert_str_eq(first, "</script><p>after</p>", "the data ended the script early:\n%s", out);
    cr_assert_null(strstr(out, "<!--"));
    char *body = script_body(out);
    json_error_t je;
    json_t *v = json_loads(body, 0, &je);
    cr_assert_not_null(v, "JSON-LD does not parse: %s\n%s", je.text, body);
    cr_assert_str_eq(json_string_value(json_object_get(v, "headline")), evil);
    cr_assert_eq(json_integer_value(json_object_get(v, "n")), 3);
    cr_assert(json_is_true(json_object_get(v, "ok")));
    cr_assert_str_eq(
        json_string_value(json_object_get(json_array_get(json_object_get(v, "author"), 0), "name")),
        "</script>");
    cr_assert_str_eq(json_string_value(json_object_get(v, "sep")), "a\xE2\x80\xA8"
                                                                   "b");
    cr_assert(json_is_null(json_object_get(v, "none")));
    json_decref(v);
    free(body);
    free(out);
}

Test(template_context, raw_output_is_not_escaped)
{
    assert_render("<div>{# raw: produced by markdown_to_html #}{{{ html }}}</div>",
                  "{\"html\": \"<p>A <em>safe</em> body</p>\"}",
                  "<div><p>A <em>safe</em> body</p></div>");
}

/* --- refusals at load ----------------------------------------------------------- */

Test(template_refuse, unquoted_attribute_value)
{
    assert_refused("<p>\n<a href={{ u }}>x</a>", 2, "quoted");
    assert_refused("<p class=x{{ c }}>", 1, "quoted");
}

Test(template_refuse, event_handler_attribute)
{
    assert_refused("<ul>\n<li>\n<button onclick=\"go('{{ x }}')\">", 3, "event handler");
    assert_refused("<a OnMouseOver=\"{{ x }}\">", 1, "event handler");
}

Test(template_refuse, style_attribute)
{
    assert_refused("<p style=\"color: {{ c }}\">", 1, "style attribute");
}

Test(template_refuse, inline_script_and_style)
{
    assert_refused("<p>\n<script>var x = {{ x }};</script>", 2, "script");
    assert_refused("<script type=\"text/javascript\">var x = {{ x }};</script>", 1, "script");
    assert_refused("<script type=\"module\">\n{{ x }}</script>", 2, "script");
    assert_refused("<style>p { color: {{ c }} }</style>", 1, "style");
}

Test(template_refuse, value_in_html_comment_or_tag)
{
    assert_refused("<!-- built for {{ user }} -->", 1, "comment");
    assert_refused("<p {{ attrs }}>", 1, "tag");
    assert_refused("<p title=\"{{{ raw }}}\">", 1, "raw output");
    assert_refused("<p title=\"{% include \"x.html\" %}\">", 1, "include");
}

/* The markup is followed the way a browser reads it, so a value cannot land
 * in a script the engine believed closed or never opened. */
Test(template_refuse, markup_read_as_a_browser_reads_it)
{
    /* "<!-->" and "<!--->" are whole (empty) comments; "--!>" ends one */
    assert_refused("<!--><script>-->{{ x }}</script>", 1, "script");
    assert_refused("<!---><script>-->{{ x }}</script>", 1, "script");
    assert_refused("<!-- a --!><script>-->{{ x }}</script>", 1, "script");
    /* the text of textarea, title, xmp, iframe, noembed and noframes is not markup */
    assert_refused("<textarea><p title=\"</textarea><script>//\">\n{{ x }}</script>", 2, "script");
    assert_refused("<title><a title=\"</title><style>\">{{ x }}</style>", 1, "style");
    assert_refused("<xmp><b title=\"</xmp><script>\">{{ x }}</script>", 1, "script");
    /* an end tag needs its whole name: "</scriptx>" does not end a script */
    assert_refused("<script type=\"application/ld+json\">\"</scriptx>\"</script>"
                   "<script>\"</scriptx>\"; {{ x }}</script>",
                   1, "script");
}

Test(template_context, text_only_elements_escape_their_values)
{
    assert_render("<title>{{ t }} | Paper</title><textarea name=\"c\">{{ t }}</textarea>",
                  "{\"t\": \"<b>&</b>\"}",
                  "<title>&lt;b&gt;&amp;&lt;/b&gt; | Paper</title>"
                  "<textarea name=\"c\">&lt;b&gt;&amp;&lt;/b&gt;</textarea>");
    assert_render("<TEXTAREA>{{ t }}</TEXTAREA ><p title=\"{{ t }}\">", "{\"t\": \"x\"}",
                  "<TEXTAREA>x</TEXTAREA ><p title=\"x\">");
    assert_render("<!----><p>{{ t }}</p>", "{\"t\": \"<\"}", "<!----><p>&lt;</p>");
}

Test(template_refuse, unknown_filter_and_tag)
{
    assert_refused("a\n\n{{ x | shout }}", 3, "unknown filter 'shout'");
    assert_refused("{% frobnicate %}", 1, "unknown tag");
    assert_refused("{{ x | truncate(y) }}", 1, "literal argument");
    assert_refused("{{ }}", 1, "expected a value");
    assert_refused("{{ x y }}", 1, "unexpected");
}

Test(template_refuse, unclosed_and_stray_blocks)
{
    assert_refused("<p>\n{% if x %}\nyes\n", 2, "never closed");
    assert_refused("{% for x in xs %}{{ x }}", 1, "never closed");
    assert_refused("a\n{% end %}", 2, "without a matching block");
    assert_refused("{% else %}", 1, "without a matching block");
    assert_refused("a\n{{ x ", 2, "never closed");
    assert_refused("{# comment", 1, "never closed");
}

Test(template_refuse, branches_leaving_different_states)
{
    assert_refused("{% if x %}<a href=\"{% else %}<b>{% end %}", 1, "different states");
    assert_refused("<p>\n{% if x %}<!--{% end %}-->", 2, "different states");
    assert_refused("{% for x in xs %}<p class=\"{% end %}\">", 1, "different states");
}

Test(template_refuse, missing_include_and_other_faults)
{
    assert_refused("<p>\n\n{% include \"nope.html\" %}", 3, "'nope.html' does not exist");
    assert_refused("<p class=\"x", 1, "ends inside");
    assert_refused("ok \xFF", 1, "UTF-8");
    struct buf deep = BUF_INIT;
    for (int i = 0; i < 40; i++)
        buf_adds(&deep, "{% if x %}");
    for (int i = 0; i < 40; i++)
        buf_adds(&deep, "{% end %}");
    assert_refused(deep.p, 1, "nested too deeply");
    buf_release(&deep);
}

/* --- the language ------------------------------------------------------------------ */

Test(template_lang, if_elif_else)
{
    const char *src = "{% if a %}A{% elif b %}B{% else %}C{% end %}";
    assert_render(src, "{\"a\": 1}", "A");
    assert_render(src, "{\"b\": true}", "B");
    assert_render(src, "{}", "C");
    assert_render(src, "{\"a\": 0, \"b\": \"\"}", "C");
    assert_render(src, "{\"a\": [], \"b\": {}}", "C");
    assert_render(src, "{\"a\": false, \"b\": null}", "C");
    assert_render(src, "{\"a\": 0.0, \"b\": [0]}", "B");
    assert_render(src, "{\"a\": {\"k\": 1}}", "A");
    assert_render("{% if a %}A{% end %}.", "{}", ".");
}

Test(template_lang, not_eq_ne)
{
    assert_render("{% if not flag %}off{% else %}on{% end %}", "{\"flag\": false}", "off");
    assert_render("{% if not flag %}off{% else %}on{% end %}", "{\"flag\": 1}", "on");
    const char *src = "{% if s == \"x\" %}eq{% end %}|{% if n != 2 %}ne{% end %}|"
                      "{% if a.id == b.id %}same{% end %}|{% if missing == other %}nulls{% end %}";
    assert_render(src, "{\"s\": \"x\", \"n\": 2, \"a\": {\"id\": 7}, \"b\": {\"id\": 7}}",
                  "eq||same|nulls");
    assert_render(src, "{\"s\": \"y\", \"n\": 3, \"a\": {\"id\": 7}, \"b\": {\"id\": 8}}",
                  "|ne||nulls");
    assert_render("{% if not s == \"x\" %}differs{% end %}", "{\"s\": \"y\"}", "differs");
}

Test(template_lang, for_with_else_and_loop)
{
    const char *src = "{% for x in xs %}{{ loop.index }}:{{ x }}{% if loop.first %}^{% end %}"
                      "{% if loop.last %}${% end %} {% else %}none{% end %}";
    assert_render(src, "{\"xs\": [\"a\", \"b\", \"c\"]}", "1:a^ 2:b 3:c$ ");
    assert_render(src, "{\"xs\": [\"only\"]}", "1:only^$ ");
    assert_render(src, "{\"xs\": []}", "none");
    assert_render(src, "{}", "none");
    assert_render(src, "{\"xs\": \"not a list\"}", "none");
    /* nested loops: loop is the innermost; outer names stay visible */
    assert_render("{% for r in rows %}{% for c in r.cells %}{{ r.name }}{{ loop.index }}={{ c }},"
                  "{% end %}{% if not loop.last %};{% end %}{% end %}",
                  "{\"rows\": [{\"name\": \"a\", \"cells\": [1, 2]}, {\"name\": \"b\", "
                  "\"cells\": [3]}]}",
                  "a1=1,a2=2,;b1=3,");
    assert_render("{% for a in authors %}{{ a.name }}{% if not loop.last %}, {% end %}{% end %}",
                  "{\"authors\": [{\"name\": \"Kim\"}, {\"name\": \"Lee\"}, {\"name\": \"Park\"}]}",
                  "Kim, Lee, Park");
}

Test(template_lang, values_paths_and_literals)
{
    assert_render("{{ a.b.c }}|{{ a.b.missing }}|{{ a.s.x }}|{{ nothing.at.all }}",
                  "{\"a\": {\"b\": {\"c\": \"deep\"}, \"s\": \"str\"}}", "deep|||");
    assert_render("{{ n }} {{ r }} {{ t }} {{ f }} {{ z }}",
                  "{\"n\": -42, \"r\": 1.5, \"t\": true, \"f\": false, \"z\": null}",
                  "-42 1.5 true false ");
    assert_render("{{ \"lit<\" }} {{ 7 }}", "{}", "lit&lt; 7");
}

Test(template_lang, comments_vanish)
{
    assert_render("a{# a note for designers {{ x }} #}b", "{\"x\": 1}", "ab");
}

Test(template_lang, whitespace_trim)
{
    assert_render("<ul>\n  {%- for x in xs -%}\n  <li>{{ x }}</li>\n  {%- end -%}\n</ul>",
                  "{\"xs\": [\"a\", \"b\"]}", "<ul><li>a</li><li>b</li></ul>");
    assert_render("<b>  {{- x -}}  </b>", "{\"x\": \"v\"}", "<b>v</b>");
    assert_render("a  {{ x }}  b", "{\"x\": \"v\"}", "a  v  b");
}

/* --- filters ------------------------------------------------------------------------- */

Test(template_filter, dates)
{
    tmpl_set_tz(540);
    assert_render("{{ t | date }}|{{ t | iso }}|{{ t | rfc822 }}", "{\"t\": 1000000000}",
                  "Sept. 9, 2001 10:46|2001-09-09T01:46:40Z|Sun, 09 Sep 2001 01:46:40 GMT");
    tmpl_set_tz(0);
    assert_render("{{ t | date }}", "{\"t\": 1000000000}", "Sept. 9, 2001 01:46");
    assert_render("<time datetime=\"{{ t | iso }}\">", "{\"t\": 0}",
                  "<time datetime=\"1970-01-01T00:00:00Z\">");
    assert_render("{{ s | date }}", "{\"s\": \"not a time\"}", "not a time");
}

Test(template_filter, length_counts_characters)
{
    char json[200];
    snprintf(json, sizeof(json),
             "{\"ko\": \"%s%s\", \"ko_nfc\": \"\\ud55c\\uad6d\", \"e\": \"%s\", \"xs\": [1, 2, 3],"
             " \"o\": {\"a\": 1, \"b\": 2}}",
             HAN_NFD, GUK_NFD, THUMBS_MEDIUM);
    assert_render("{{ ko | length }} {{ ko_nfc | length }} {{ e | length }} {{ xs | length }} "
                  "{{ o | length }} {{ missing | length }}",
                  json, "2 2 1 3 2 0");
    assert_render("{% if xs | length == 3 %}three{% end %}", "{\"xs\": [1, 2, 3]}", "three");
}

Test(template_filter, default_first_upper_lower)
{
    const char *src = "{{ v | default(\"none\") }}";
    assert_render(src, "{}", "none");
    assert_render(src, "{\"v\": \"\"}", "none");
    assert_render(src, "{\"v\": 0}", "none");
    assert_render(src, "{\"v\": \"set\"}", "set");
    assert_render("{{ xs | first }}", "{\"xs\": [\"a\", \"b\"]}", "a");
    assert_render("{{ xs | first }}", "{\"xs\": []}", "");
    assert_render("{{ s | upper }}|{{ s | lower }}", "{\"s\": \"Seoul \\ud55c <b>\"}",
                  "SEOUL \xED\x95\x9C &lt;B&gt;|seoul \xED\x95\x9C &lt;b&gt;");
    assert_render("{{ missing | default(\"x\") | upper }}", "{}", "X");
}

Test(template_filter, truncate_at_a_word)
{
    const char *src = "{{ s | truncate(10) }}";
    assert_render(src, "{\"s\": \"The quick brown fox jumps\"}", "The quick\xE2\x80\xA6");
    assert_render(src, "{\"s\": \"Short\"}", "Short");
    assert_render(src, "{\"s\": \"Exactly 10\"}", "Exactly 10");
    assert_render("{{ s | truncate(3) }}",
                  "{\"s\": \"\\uac00\\ub098\\ub2e4\\ub77c\\ub9c8\"}", /* 가나다라마 */
                  "\xEA\xB0\x80\xEB\x82\x98\xEB\x8B\xA4\xE2\x80\xA6");
    assert_render("{{ s | truncate(5) }}", "{\"s\": \"Supercalifragilistic\"}",
                  "Super\xE2\x80\xA6");
}

Test(template_filter, truncate_never_splits_a_character)
{
    /* four thumbs with a skin tone: the cut keeps each one whole */
    char json[200];
    snprintf(json, sizeof(json), "{\"s\": \"%s%s%s%s\", \"k\": \"%s%s%s\"}", THUMBS_MEDIUM,
             THUMBS_MEDIUM, THUMBS_MEDIUM, THUMBS_MEDIUM, HAN_NFD, GUK_NFD, HAN_NFD);
    assert_render("{{ s | truncate(3) }}", json,
                  THUMBS_MEDIUM THUMBS_MEDIUM THUMBS_MEDIUM "\xE2\x80\xA6");
    assert_render("{{ k | truncate(2) }}", json, HAN_NFD GUK_NFD "\xE2\x80\xA6");
}

Test(template_filter, plural)
{
    const char *src = "{{ n }} comment{{ n | plural }}";
    assert_render(src, "{\"n\": 0}", "0 comments");
    assert_render(src, "{\"n\": 1}", "1 comment");
    assert_render(src, "{\"n\": 2}", "2 comments");
}

Test(template_filter, json_and_urlencode)
{
    assert_render("<div data-x=\"{{ o | json }}\">", "{\"o\": {\"a\": \"<b>\"}}",
                  "<div data-x=\"{&quot;a&quot;:&quot;&lt;b&gt;&quot;}\">");
    assert_render("{{ q | urlencode }}", "{\"q\": \"\\uc11c\\uc6b8 a&b/c\"}",
                  "%EC%84%9C%EC%9A%B8%20a%26b%2Fc");
    char *out = render_named("t.txt", "https://example.com/share?u={{ u | urlencode }}",
                             "{\"u\": \"https://paper.example/article/1/a b\"}");
    cr_assert_str_eq(
        out, "https://example.com/share?u=https%3A%2F%2Fpaper.example%2Farticle%2F1%2Fa%20b");
    free(out);
}

/* --- includes, from folders ------------------------------------------------------------- */

static char tmpdir[64];

static void
write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static void
make_tmpdir(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/bs-tmpl-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void
remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", tmpdir);
}

static char *
render_set(struct tmpl_set *set, const char *name, const char *json)
{
    json_t *data = data_of(json);
    struct buf b = BUF_INIT;
    cr_assert_eq(tmpl_render(set, name, data, &b), 0);
    json_decref(data);
    return buf_detach(&b, NULL);
}

Test(template_include, resolves_names_theme_first, .init = make_tmpdir, .fini = remove_tmpdir)
{
    write_file(
        "default/page.html",
        "{% include \"_head.html\" %}{% for card in cards %}{% include \"parts/card.html\" %}"
        "{% end %}{% include \"_footer.html\" %}");
    write_file("default/_head.html", "<h1>{{ title }}</h1>");
    write_file("default/parts/card.html", "<p>{{ card.title }}</p>");
    write_file("default/_footer.html", "<footer>default</footer>");
    write_file("theme/_footer.html", "<footer>theme</footer>");
    char theme[128], def[128];
    snprintf(theme, sizeof(theme), "%s/theme", tmpdir);
    snprintf(def, sizeof(def), "%s/default", tmpdir);
    const char *dirs[] = {theme, def};
    struct tmpl_set *set = tmpl_set_load(dirs, 2, err, sizeof(err));
    cr_assert_not_null(set, "%s", err);
    cr_assert(tmpl_exists(set, "parts/card.html"));
    cr_assert_not(tmpl_exists(set, "card.html"));
    char *out = render_set(
        set, "page.html",
        "{\"title\": \"A&B\", \"cards\": [{\"title\": \"one\"}, {\"title\": \"<two>\"}]}");
    cr_assert_str_eq(out, "<h1>A&amp;B</h1><p>one</p><p>&lt;two&gt;</p><footer>theme</footer>",
                     "the theme's footer wins; the loop variable reaches the include");
    free(out);
    struct buf b = BUF_INIT;
    json_t *empty = json_object();
    cr_assert_eq(tmpl_render(set, "nope.html", empty, &b), -1, "an unknown template is an error");
    json_decref(empty);
    buf_release(&b);
    tmpl_set_free(set);
}

Test(template_include, errors_name_the_file_and_line, .init = make_tmpdir, .fini = remove_tmpdir)
{
    write_file("t/good.html", "<p>fine</p>");
    write_file("t/bad.html", "<p>\nline two\n<a onclick=\"{{ x }}\">\n");
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/t", tmpdir);
    const char *dirs[] = {dir};
    cr_assert_null(tmpl_set_load(dirs, 1, err, sizeof(err)));
    cr_assert_not_null(strstr(err, "bad.html:3: "), "message: %s", err);
}

Test(template_include, missing_target_and_cycles_are_refused, .init = make_tmpdir,
     .fini = remove_tmpdir)
{
    write_file("m/page.html", "<p>\n{% include \"gone.html\" %}");
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/m", tmpdir);
    const char *dirs[] = {dir};
    cr_assert_null(tmpl_set_load(dirs, 1, err, sizeof(err)));
    cr_assert_not_null(strstr(err, "page.html:2: "), "message: %s", err);
    cr_assert_not_null(strstr(err, "'gone.html' does not exist"), "message: %s", err);

    write_file("c/a.html", "{% include \"b.html\" %}");
    write_file("c/b.html", "{% include \"a.html\" %}");
    snprintf(dir, sizeof(dir), "%s/c", tmpdir);
    cr_assert_null(tmpl_set_load(dirs, 1, err, sizeof(err)));
    cr_assert_not_null(strstr(err, "cycle"), "message: %s", err);

    const char *none[] = {"/nonexistent/templates"};
    cr_assert_null(tmpl_set_load(none, 1, err, sizeof(err)));
    cr_assert_not_null(strstr(err, "/nonexistent/templates"), "message: %s", err);
}

/* --- other modes -------------------------------------------------------------------------- */

Test(template_mode, xml_escapes_for_xml)
{
    char *out = render_named(
        "feed.xml", "<item id=\"{{ id }}\"><title>{{ t }}</title><link>{{ u }}</link></item>",
        "{\"id\": \"a\\\"b\", \"t\": \"Q&A <now>\\u0001\", \"u\": \"/x?a=1&b=2\"}");
    cr_assert_str_eq(out, "<item id=\"a&quot;b\"><title>Q&amp;A &lt;now&gt;</title>"
                          "<link>/x?a=1&amp;b=2</link></item>");
    free(out);
}

Test(template_mode, json_escapes_for_json)
{
    char *out = render_named(
        "feed.json",
        "{\"title\": {{ t }}, \"n\": {{ n }}, \"tags\": {{ tags }}, "
        "\"items\": [{% for x in xs %}{{ x }}{% if not loop.last %},{% end %}{% end %}]}",
        "{\"t\": \"say \\\"hi\\\" </script>\", \"n\": 5, \"tags\": [\"a\", \"b\"], "
        "\"xs\": [\"x\", \"y\"]}");
    json_error_t je;
    json_t *v = json_loads(out, 0, &je);
    cr_assert_not_null(v, "not JSON: %s\n%s", je.text, out);
    cr_assert_str_eq(json_string_value(json_object_get(v, "title")), "say \"hi\" </script>");
    cr_assert_eq(json_integer_value(json_object_get(v, "n")), 5);
    cr_assert_eq(json_array_size(json_object_get(v, "tags")), 2);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(v, "items"), 1)), "y");
    json_decref(v);
    free(out);
}

Test(template_mode, text_is_not_escaped)
{
    char *out = render_named("mail.txt", "Hello {{ name }} <{{ email }}>",
                             "{\"name\": \"A & B\", "
                             "\"email\": \"a@b\"}");
    cr_assert_str_eq(out, "Hello A & B <a@b>");
    free(out);
}

/* --- the output cap ------------------------------------------------------------------------- */

Test(template_render, output_cap_overflow_returns_minus_one)
{
    const char *src = "{% for x in xs %}<p>{{ x }}</p>{% end %}";
    struct tmpl_set *set = tmpl_set_parse("t.html", src, strlen(src), err, sizeof(err));
    cr_assert_not_null(set, "%s", err);
    json_t *data = json_pack("{s:[sssss]}", "xs", "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc",
                             "dddddddddd", "eeeeeeeeee");
    struct buf b;
    buf_init(&b, 40);
    cr_assert_eq(tmpl_render(set, "t.html", data, &b), -1);
    cr_assert(b.overflow);
    cr_assert_leq(b.len, 40);
    buf_release(&b);
    buf_init(&b, 85);
    cr_assert_eq(tmpl_render(set, "t.html", data, &b), 0, "85 bytes is exactly enough");
    cr_assert_eq(b.len, 85);
    buf_release(&b);
    json_decref(data);
    tmpl_set_free(set);
}

/* --- the paper's own templates ------------------------------------------------------------- */

Test(template_shipped, the_paper_templates_load)
{
    const char *dirs[] = {"web/templates"};
    struct tmpl_set *set = tmpl_set_load(dirs, 1, err, sizeof(err));
    cr_assert_not_null(set, "web/templates (run from the top of the tree): %s", err);
    cr_assert(tmpl_exists(set, "article.html"));
    cr_assert(tmpl_exists(set, "front.html"));
    tmpl_set_free(set);
}
