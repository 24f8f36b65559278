/* ingest: the readers on our samples (every format and version, and broken
 * files), agency HTML to Markdown, and filing drafts with versions. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "dist_helpers.h"
#include "ingest/ingest.h"
#include "render/render.h"

static struct ingest_story *
parse_file(const char *rel, struct arena *a, size_t *n)
{
    size_t len;
    char *data = dist_read(rel, &len);
    struct ingest_story *s;
    char err[256] = "";
    int rc = ingest_parse(data, len, a, &s, n, err, sizeof(err));
    free(data);
    cr_assert_eq(rc, 0, "%s: %s", rel, err);
    return s;
}

Test(ingest_parse, ninjs_1)
{
    struct arena *a = arena_new();
    size_t n;
    struct ingest_story *s = parse_file("ingest/ninjs1-story.json", a, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(s->format, "ninjs 1");
    cr_assert_str_eq(s->guid, "urn:test:ninjs1:harbour-crane");
    cr_assert_eq(s->version, 1);
    cr_assert_eq(s->urgency, 4);
    cr_assert_str_eq(s->headline, "New harbour crane arrives by barge");
    cr_assert_str_eq(s->summary, "The tallest crane on the coast reached the port on Saturday.");
    cr_assert(strstr(s->body, "It will start work in *January*, the port authority said."));
    cr_assert_eq(s->nsubjects, 2);
    cr_assert_str_eq(s->subjects[0], "Ports");
    cr_assert_str_eq(s->byline, "Staff reporter");
    arena_free(a);
}

Test(ingest_parse, ninjs_2_with_source_and_embargo)
{
    struct arena *a = arena_new();
    size_t n;
    struct ingest_story *s = parse_file("ingest/ninjs2-story.json", a, &n);
    cr_assert_str_eq(s->format, "ninjs 2");
    cr_assert_str_eq(s->source, "KCNA");
    cr_assert_eq(s->urgency, 2);
    int64_t emb;
    time_parse("2035-01-01T00:00:00Z", &emb);
    cr_assert_eq(s->embargo, emb);
    cr_assert_eq(s->nsubjects, 3);
    cr_assert_str_eq(s->subjects[2], "transport");
    /* no script, no javascript: link, the safe link kept */
    cr_assert_null(strstr(s->body, "alert"));
    cr_assert_null(strstr(s->body, "javascript"));
    cr_assert(strstr(s->body, "[a link](https://example.org/rail)"));
    cr_assert(strstr(s->body, "not a link"));
    arena_free(a);
}

Test(ingest_parse, ninjs_3_camel_case_korean)
{
    struct arena *a = arena_new();
    size_t n;
    struct ingest_story *s = parse_file("ingest/ninjs3-story.json", a, &n);
    cr_assert_str_eq(s->format, "ninjs 3");
    cr_assert_eq(s->version, 3);
    cr_assert_str_eq(s->headline, "서울에서 등불 축제 개막");
    cr_assert_str_eq(s->summary, "청계천을 따라 등불 수백 개가 켜졌다.");
    cr_assert_str_eq(
        s->body,
        "서울에서 등불 축제가 금요일 저녁 개막했다.\n\n축제는 다음 주 일요일까지 이어진다.");
    cr_assert_str_eq(s->source, "Yonhap");
    cr_assert_str_eq(s->language, "ko");
    arena_free(a);
}

Test(ingest_parse, newsml_item_with_xhtml)
{
    struct arena *a = arena_new();
    size_t n;
    struct ingest_story *s = parse_file("ingest/newsml-item.xml", a, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(s->format, "NewsML-G2");
    cr_assert_str_eq(s->guid, "urn:newsml:test:2026:fishing-fleet");
    cr_assert_eq(s->urgency, 3);
    cr_assert_str_eq(s->source, "KCNA");
    cr_assert_str_eq(s->headline, "Fishing fleet returns early as storm nears");
    cr_assert_str_eq(s->summary, "Boats were called back a day ahead of the storm.");
    cr_assert_str_eq(s->body, "## Called back\n\nThe fleet was called back on **Saturday**, a day "
                              "ahead of the storm.\n\n- Forty boats\n- Two ports\n\nOfficials said "
                              "no one was hurt & all boats were safe.");
    cr_assert_eq(s->nsubjects, 2);
    int64_t emb;
    time_parse("2035-06-01T00:00:00Z", &emb);
    cr_assert_eq(s->embargo, emb);
    arena_free(a);
}

Test(ingest_parse, newsml_message_with_two_items)
{
    struct arena *a = arena_new();
    size_t n;
    struct ingest_story *s = parse_file("ingest/newsml-message.xml", a, &n);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(s[0].headline, "Winter market opens in the old town");
    cr_assert_str_eq(s[0].body,
                     "Stalls opened on Saturday morning.\n\nThe market runs until the new year.");
    cr_assert_str_eq(s[1].guid, "urn:newsml:test:2026:market-2");
    arena_free(a);
}

Test(ingest_parse, broken_files_say_why)
{
    static const struct {
        const char *file, *why;
    } cases[] = {
        {"truncated.json", "not valid JSON"},
        {"no-headline.json", "no headline"},
        {"picture.json", "not a text story"},
        {"bad-version.json", "version"},
        {"array.json", "neither"},
        {"empty.json", "empty"},
        {"doctype.xml", "DOCTYPE"},
        {"not-newsml.xml", "not a NewsML-G2"},
        {"malformed.xml", "not well-formed"},
        {"no-guid.xml", "no guid"},
        {"plain.txt", "neither"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char rel[128];
        snprintf(rel, sizeof(rel), "ingest/broken/%s", cases[i].file);
        size_t len, n;
        char *data = dist_read(rel, &len);
        struct arena *a = arena_new();
        struct ingest_story *s;
        char err[256] = "";
        cr_assert_eq(ingest_parse(data, len, a, &s, &n, err, sizeof(err)), -1, "%s", rel);
        cr_assert(strstr(err, cases[i].why), "%s: '%s' lacks '%s'", rel, err, cases[i].why);
        cr_assert_null(strchr(err, '\n'), "%s: one line please: '%s'", rel, err);
        free(data);
        arena_free(a);
    }
}

static char *
md(const char *html)
{
    struct buf b = BUF_INIT;
    cr_assert_eq(ingest_html_to_markdown(html, strlen(html), &b), 0);
    return buf_detach(&b, NULL);
}

Test(ingest_markdown, html_becomes_safe_markdown)
{
    char *m = md("<h1>Title</h1><p>a <em>b</em> <strong> c "
                 "</strong></p><blockquote><p>quoted</p></blockquote>"
                 "<ol><li>one</li><li>two<ul><li>inner</li></ul></li></ol><pre>code *here*</pre>");
    cr_assert_str_eq(m, "## Title\n\na *b* **c**\n\n> quoted\n\n1. one\n2. two\n   - "
                        "inner\n\n```\ncode *here*\n```\n");
    free(m);
    m = md("<p># not a heading, 1. not a list, [not](a link) &amp;amp; <img src=x "
           "onerror=alert(1)></p>");
    cr_assert_str_eq(m, "\\# not a heading, 1. not a list, \\[not\\](a link) \\&amp;\n");
    free(m);
    m = md("<p>a<br>- b</p><iframe src=\"https://evil.example\"></iframe><p><a "
           "href=\"data:text/html,x\">d</a></p>");
    cr_assert_str_eq(m, "a\\\n\\- b\n\nd\n");
    free(m);
    m = md("First paragraph\n\nSecond paragraph");
    cr_assert_str_eq(m, "First paragraph\n\nSecond paragraph\n");
    free(m);
    m = md("<p><a href=\"https://example.org/a b(c)\">link</a></p>");
    cr_assert_str_eq(m, "[link](https://example.org/a%20b%28c%29)\n");
    free(m);
}

/* --- filing drafts --- */

static const struct ingest_agency yonhap = {
    .name = "yonhap", .credit = "Yonhap", .section = "national/politics"};

static struct ingest_result
file(struct store *st, const char *rel)
{
    size_t len;
    char *data = dist_read(rel, &len);
    struct ingest_result res;
    ingest_bytes(st, &yonhap, rel, data, len, &res);
    free(data);
    return res;
}

Test(ingest_store, drafts_versions_holding_and_quarantine)
{
    struct store *st = dist_store_new();
    int64_t national = dist_section(st, 0, "national", "National");
    int64_t politics = dist_section(st, national, "politics", "Politics");
    struct ingest_result r = file(st, "ingest/ninjs2-story.json");
    cr_assert_eq(r.outcome, INGEST_CREATED, "%s", r.reason);
    int64_t id = r.article_id;
    struct arena *a = arena_new();
    struct store_article art;
    cr_assert_eq(store_call(st, article_get, id, a, &art), STORE_OK);
    cr_assert_eq(art.status, ARTICLE_DRAFT);
    cr_assert_str_eq(art.credit, "KCNA via Yonhap");
    cr_assert_eq(art.section_id, politics);
    cr_assert_str_eq(art.headline, "North reports test run on new rail link");
    cr_assert_eq(art.ntags, 3);
    int64_t emb;
    time_parse("2035-01-01T00:00:00Z", &emb);
    cr_assert_eq(art.published_at, emb, "the embargo is the earliest publication time");
    struct store_ingest_item item;
    cr_assert_eq(
        store_call(st, ingest_item_get, "yonhap", "urn:test:yonhap:2026:kcna-rail-link", a, &item),
        STORE_OK);
    cr_assert_eq(item.urgency, 2);
    cr_assert_str_eq(item.source, "KCNA");

    /* the same version again: a duplicate; a newer one updates the draft */
    cr_assert_eq(file(st, "ingest/ninjs2-story.json").outcome, INGEST_DUPLICATE);
    r = file(st, "ingest/ninjs2-story-v2.json");
    cr_assert_eq(r.outcome, INGEST_UPDATED, "%s", r.reason);
    cr_assert_eq(r.article_id, id);
    cr_assert_eq(store_call(st, article_get, id, a, &art), STORE_OK);
    cr_assert_str_eq(art.headline, "North reports second test run on rail link");

    /* once published, a newer version is held, never applied */
    art.status = ARTICLE_PUBLISHED;
    art.published_at = time_now() - 10;
    cr_assert_eq(store_call(st, article_save, &art), STORE_OK);
    const char *v3 = "{\"uri\": \"urn:test:yonhap:2026:kcna-rail-link\", \"version\": \"3\","
                     " \"headlines\": [{\"value\": \"Rewritten by the agency\"}]}";
    ingest_bytes(st, &yonhap, "v3.json", v3, strlen(v3), &r);
    cr_assert_eq(r.outcome, INGEST_HELD);
    cr_assert(strstr(r.reason, "published"));
    cr_assert_eq(store_call(st, article_get, id, a, &art), STORE_OK);
    cr_assert_str_eq(art.headline, "North reports second test run on rail link");

    /* unreadable copy is listed with its reason */
    cr_assert_eq(file(st, "ingest/broken/doctype.xml").outcome, INGEST_QUARANTINED);
    struct store_ingest_event *ev;
    size_t n;
    cr_assert_eq(store_call(st, ingest_log_list, "quarantined", 10, a, &ev, &n), STORE_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(ev[0].file, "ingest/broken/doctype.xml");
    cr_assert(strstr(ev[0].reason, "DOCTYPE"));
    cr_assert_eq(store_call(st, ingest_log_list, "held", 10, a, &ev, &n), STORE_OK);
    cr_assert_eq(n, 1);
    arena_free(a);
    dist_store_free(st);
}

Test(ingest_store, canceled_story_is_marked_withdrawn)
{
    struct store *st = dist_store_new();
    dist_section(st, 0, "national", "National");
    struct ingest_result r = file(st, "ingest/ninjs1-story.json");
    cr_assert_eq(r.outcome, INGEST_CREATED);
    const char *kill =
        "{\"uri\": \"urn:test:ninjs1:harbour-crane\", \"version\": \"2\", "
        "\"pubstatus\": \"canceled\", \"headline\": \"New harbour crane arrives by barge\"}";
    ingest_bytes(st, &yonhap, "kill.json", kill, strlen(kill), &r);
    cr_assert_eq(r.outcome, INGEST_CANCELED, "%s", r.reason);
    struct arena *a = arena_new();
    struct store_article art;
    cr_assert_eq(store_call(st, article_get, r.article_id, a, &art), STORE_OK);
    cr_assert(strncmp(art.headline, "[Withdrawn by the agency]", 25) == 0, "%s", art.headline);
    arena_free(a);
    dist_store_free(st);
}

static bool
exists(const char *dir, const char *sub, const char *name)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void
copy_in(const char *dir, const char *rel, const char *name)
{
    size_t len;
    char *data = dist_read(rel, &len);
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);
    /* written two seconds ago: complete */
    struct timespec t[2];
    clock_gettime(CLOCK_REALTIME, &t[0]);
    t[0].tv_sec -= 2;
    t[1] = t[0];
    utimensat(AT_FDCWD, path, t, 0);
}

Test(ingest_watch, folder_files_go_to_done_or_quarantine)
{
    struct store *st = dist_store_new();
    dist_section(st, 0, "national", "National");
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/inbox", dist_tmp);
    cr_assert_eq(mkdir(dir, 0755), 0);
    copy_in(dir, "ingest/broken/malformed.xml", "a-broken.xml");
    copy_in(dir, "ingest/newsml-item.xml", "b-item.xml");
    copy_in(dir, "ingest/ninjs3-story.json", "c-story.json");
    copy_in(dir, "ingest/ninjs1-story.json", ".hidden.json");
    struct ingest_agency ag = {.name = "yonhap", .credit = "Yonhap", .watch = dir};
    ingest_watch_poll(st, &ag, 1);
    cr_assert(exists(dir, "quarantine", "a-broken.xml"));
    cr_assert(exists(dir, "done", "b-item.xml"), "a bad file must not block the next");
    cr_assert(exists(dir, "done", "c-story.json"));
    cr_assert(exists(dir, ".", ".hidden.json"), "hidden files are left alone");
    /* the same name again does not overwrite the earlier copy */
    copy_in(dir, "ingest/newsml-item.xml", "b-item.xml");
    ingest_watch_poll(st, &ag, 1);
    cr_assert(exists(dir, "done", "b-item.xml.1"));
    struct arena *a = arena_new();
    struct store_ingest_event *ev;
    size_t n;
    cr_assert_eq(store_call(st, ingest_log_list, NULL, 10, a, &ev, &n), STORE_OK);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(ev[0].outcome, "duplicate");
    arena_free(a);
    dist_store_free(st);
}

/* The quarantine list as staff see it: every value escaped. */
Test(ingest_page, quarantine_list_renders_escaped)
{
    const char *dirs[] = {"web/templates"};
    char err[512];
    struct tmpl_set *set = tmpl_set_load(dirs, 1, err, sizeof(err));
    cr_assert_not_null(set, "%s", err);
    json_t *ev = json_pack("{s:I, s:I, s:s, s:s, s:i, s:I, s:s, s:s, s:s}", "id", (json_int_t)1,
                           "at", (json_int_t)1795910400, "agency", "yonhap", "guid", "", "version",
                           0, "article_id", (json_int_t)0, "outcome", "quarantined", "file",
                           "<img src=x onerror=alert(1)>.xml", "reason",
                           "not well-formed XML (line 3: <b>)");
    json_t *data =
        json_pack("{s:{s:s, s:s}, s:s, s:s, s:{s:s, s:s, s:{s:b}}, s:{s:[o], s:[]}}", "site",
                  "name", "The Broadsheet", "language", "en", "title", "Agency copy", "nav",
                  "intake", "me", "name", "Rita Reporter", "role_label", "Reporter", "can", "write",
                  1, "intake", "quarantine", ev, "recent");
    struct buf out = BUF_INIT;
    cr_assert_eq(tmpl_render(set, "newsroom/intake.html", data, &out), 0);
    cr_assert(strstr(out.p, "&lt;img src=x onerror=alert(1)&gt;.xml"));
    cr_assert(strstr(out.p, "not well-formed XML (line 3: &lt;b&gt;)"));
    cr_assert_null(strstr(out.p, "<img src=x"));
    cr_assert(strstr(out.p, "No agency story has arrived yet."));
    /* inside the newsroom's layout, its menu marking where the staff member is */
    cr_assert(strstr(out.p, "<title>Agency copy · Newsroom · The Broadsheet</title>"));
    cr_assert(strstr(out.p, "<a href=\"/newsroom/intake\" aria-current=\"page\">Agency copy</a>"));
    cr_assert(strstr(out.p, "Rita Reporter"));
    buf_release(&out);
    json_decref(data);
    tmpl_set_free(set);
}
