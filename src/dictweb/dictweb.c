/*
 * The dictionary's routes.
 *
 *   GET /dict/glossary/<id>.json  the glossary of a published article: its
 *        words reduced to dictionary forms with short entries, built once
 *        and kept in the page cache under the article's key "a:<id>", so an
 *        edit (which purges that key) rebuilds it. 404 for any article a
 *        reader cannot see.
 *   GET /dict/lookup?q=WORD  JSON for any other word: at most 64 bytes of
 *        letters, hyphens and apostrophes after NFC; a token bucket per
 *        address (429 with Retry-After).
 *   GET /dict/<word>  the full entry page, cacheable.
 *   GET /dict/  the dictionary's home and the target of the lookup form
 *        (?q= redirects to /dict/<word>), so the form works without
 *        JavaScript.
 *
 * The dictionary is read-only and needs no lock; the rate limiter has its
 * own.
 */
#include "dictweb/dictweb_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"
#include "http/http.h"
#include "render/render.h"
#include "site/site.h"
#include "store/store.h"

#define GLOSSARY_MAX (4u << 20)

struct dictweb {
    struct site *site;
    const struct dict *dict;
    struct ratelimit *rl;
};

struct dictweb *
dictweb_new(struct site *site, const struct dict *dict, const struct dictweb_config *cfg)
{
    struct dictweb *w = xcalloc(1, sizeof(*w));
    w->site = site;
    w->dict = dict;
    w->rl = ratelimit_new(cfg->lookup_rate, cfg->lookup_burst);
    return w;
}

void
dictweb_free(struct dictweb *w)
{
    if (w == NULL)
        return;
    ratelimit_free(w->rl);
    free(w);
}

/* --- JSON responses --- */

static int
send_json(struct http_req *r, int status, json_t *j)
{
    http_set_type(r, "application/json; charset=utf-8");
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    buf_adds(http_body(r), text ? text : "{}");
    free(text);
    return status;
}

static int
json_error(struct http_req *r, int status, const char *message)
{
    return send_json(r, status, json_pack("{s:s}", "error", message));
}

/* false (and the 429 prepared) when the address has used its lookups */
static bool
rate_ok(struct dictweb *w, struct http_req *r, int *retry)
{
    *retry = 0;
    if (ratelimit_take(w->rl, http_peer(r), retry))
        return true;
    http_set_header(r, "retry-after", arena_printf(http_arena(r), "%d", *retry));
    return false;
}

/* --- the glossary --- */

/* "12.json" -> 12 */
static int
glossary_id(const char *file, long *id)
{
    const char *dot = file ? strchr(file, '.') : NULL;
    if (dot == NULL || strcmp(dot, ".json") != 0)
        return -1;
    return parse_long(file, (size_t)(dot - file), 1, INT64_MAX / 2, id);
}

static void
article_text(const struct store_article *art, struct buf *text)
{
    buf_adds(text, art->headline);
    buf_addch(text, '\n');
    buf_adds(text, art->summary);
    buf_addch(text, '\n');
    markdown_to_text(art->body, strlen(art->body), text);
}

static int
glossary(struct http_req *r, void *ctx)
{
    struct dictweb *w = ctx;
    long id;
    if (glossary_id(http_param(r, "file"), &id) != 0)
        return json_error(r, 404, "no such article");
    if (w->dict == NULL)
        return json_error(r, 503, "the dictionary is not available");
    struct store_article art;
    int st = store_call(w->site->store, article_get, id, http_arena(r), &art);
    if (st == STORE_NOTFOUND || (st == STORE_OK && !site_article_visible(&art, time_now())))
        return json_error(r, 404, "no such article");
    if (st != STORE_OK)
        return json_error(r, 503, "the article could not be loaded");
    struct buf text = BUF_INIT;
    buf_init(&text, GLOSSARY_MAX);
    article_text(&art, &text);
    struct buf *out = http_body(r);
    int rc = dict_glossary_build(w->dict, text.p ? text.p : "", text.len, out);
    buf_release(&text);
    if (rc != 0) {
        buf_reset(out);
        return json_error(r, 500, "the glossary could not be built");
    }
    http_set_type(r, "application/json; charset=utf-8");
    const char **keys = arena_alloc(http_arena(r), 2 * sizeof(char *));
    keys[0] = arena_printf(http_arena(r), "a:%ld", id);
    keys[1] = "dict";
    http_cache_page(r, w->site->cfg.cache_seconds, keys, 2);
    return 200;
}

/* --- lookups --- */

static int
lookup(struct http_req *r, void *ctx)
{
    struct dictweb *w = ctx;
    int retry;
    if (!rate_ok(w, r, &retry))
        return send_json(r, 429, json_pack("{s:s, s:i}", "error",
                                           "too many lookups; try again in a moment",
                                           "retry_after", retry));
    if (w->dict == NULL)
        return json_error(r, 503, "the dictionary is not available");
    const char *q = http_query(r, "q");
    char word[DICT_WORD_MAX + 1];
    size_t n;
    enum dict_word_status ws = dict_word_clean(q ? q : "", q ? strlen(q) : 0, word, &n);
    if (ws != DICT_WORD_OK)
        return json_error(r, 400, dict_word_error(ws));
    http_set_type(r, "application/json; charset=utf-8");
    size_t found = dict_lookup_write(w->dict, word, n, http_body(r));
    return found ? 200 : 404;
}

/* --- pages --- */

static const char *
lang_name(const char *code)
{
    static const char *const names[][2] = {
        {"ko", "Korean"},  {"de", "German"},     {"ja", "Japanese"}, {"zh", "Chinese"},
        {"fr", "French"},  {"es", "Spanish"},    {"it", "Italian"},  {"ru", "Russian"},
        {"pt", "Portuguese"}, {"nl", "Dutch"},   {"en", "English"},  {"vi", "Vietnamese"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strncmp(code, names[i][0], 2) == 0 && (code[2] == '\0' || code[2] == '-'))
            return names[i][1];
    return code;
}

/* Adds each meaning's language name and its number of entries. */
static void
name_languages(json_t *lookup)
{
    size_t i, k;
    json_t *e, *m;
    json_array_foreach(json_object_get(lookup, "entries"), i, e)
    {
        json_array_foreach(json_object_get(e, "meanings"), k, m)
        {
            const char *lang = json_string_value(json_object_get(m, "lang"));
            json_object_set_new(m, "lang_name", json_string(lang_name(lang ? lang : "")));
            size_t items = json_array_size(json_object_get(m, "items"));
            json_object_set_new(m, "count",
                                json_sprintf("%zu %s", items, items == 1 ? "entry" : "entries"));
        }
    }
}

/* Renders dict.html; the status stays whatever the caller says. */
static int
render_page(struct dictweb *w, struct http_req *r, int status, const char *title, const char *path,
            json_t *dict)
{
    struct site_sections secs;
    bool have = site_sections_load(w->site, http_arena(r), &secs) == 0;
    json_t *data = site_page_data(w->site, have ? &secs : NULL, title, path);
    json_object_set_new(data, "dict", dict);
    if (status != 200)
        json_object_set_new(json_object_get(data, "page"), "robots", json_string("noindex"));
    int rc = site_render(w->site, r, "dict.html", data);
    return rc == 200 ? status : rc;
}

static char *
entry_path(struct arena *a, const char *word, size_t n)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "/dict/");
    url_encode(&b, word, n);
    char *p = arena_strndup(a, b.p, b.len);
    buf_release(&b);
    return p;
}

/* Entry pages live at the lower-case form: /dict/Summits -> /dict/summits */
static void
lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 'a' - 'A');
}

/* The entry page of a clean, lower-case word; cacheable when found and
 * asked for at its own address. */
static int
show_entry(struct dictweb *w, struct http_req *r, const char *word, size_t n, bool cache)
{
    struct arena *a = http_arena(r);
    if (w->dict == NULL)
        return http_error(r, 503, "the dictionary is not available");
    int retry;
    if (!rate_ok(w, r, &retry))
        return http_error(r, 429, "too many lookups from your address; try again in a moment");
    json_t *j = dict_lookup_json(w->dict, word, n);
    name_languages(j);
    bool found = json_array_size(json_object_get(j, "entries")) > 0;
    json_object_set_new(j, "found", json_boolean(found));
    const char *first = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "entries"), 0), "lemma"));
    if (found && first && strcmp(first, word) != 0)
        json_object_set_new(j, "reduced", json_true());
    const char *title = arena_printf(a, "%s: Dictionary", word);
    if (!found)
        return render_page(w, r, 404, title, entry_path(a, word, n), j);
    static const char *const keys[] = {"dict"};
    if (cache)
        http_cache_page(r, w->site->cfg.cache_seconds, keys, 1);
    return render_page(w, r, 200, title, entry_path(a, word, n), j);
}

static int
entry_page(struct http_req *r, void *ctx)
{
    struct dictweb *w = ctx;
    struct arena *a = http_arena(r);
    const char *raw = http_param(r, "word");
    char word[DICT_WORD_MAX + 1];
    size_t n;
    enum dict_word_status ws = dict_word_clean(raw ? raw : "", raw ? strlen(raw) : 0, word, &n);
    if (ws != DICT_WORD_OK)
        return render_page(w, r, 400, "Dictionary", "/dict/",
                           json_pack("{s:s, s:o}", "error", dict_word_error(ws), "entries",
                                     json_array()));
    lower_ascii(word);
    if (strcmp(word, raw) != 0)
        return http_redirect(r, 301, entry_path(a, word, n));
    return show_entry(w, r, word, n, true);
}

static int
home(struct http_req *r, void *ctx)
{
    struct dictweb *w = ctx;
    const char *q = http_query(r, "q");
    if (q == NULL) {
        static const char *const keys[] = {"dict"};
        http_cache_page(r, w->site->cfg.cache_seconds, keys, 1);
        return render_page(w, r, 200, "Dictionary", "/dict/",
                           json_pack("{s:o}", "entries", json_array()));
    }
    char word[DICT_WORD_MAX + 1];
    size_t n;
    enum dict_word_status ws = dict_word_clean(q, strlen(q), word, &n);
    if (ws != DICT_WORD_OK)
        return render_page(w, r, 400, "Dictionary", "/dict/",
                           json_pack("{s:s, s:s, s:o}", "error", dict_word_error(ws), "query", q,
                                     "entries", json_array()));
    lower_ascii(word);
    if (strcmp(word, "lookup") == 0) /* /dict/lookup is the JSON endpoint */
        return show_entry(w, r, word, n, false);
    return http_redirect(r, 303, entry_path(http_arena(r), word, n));
}

static int
home_slash(struct http_req *r, void *ctx)
{
    (void)ctx;
    return http_redirect(r, 301, "/dict/");
}

void
dictweb_routes(struct dictweb *w, struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/dict", 0, home_slash, w);
    http_route(srv, HTTP_GET, "/dict/", HTTP_ROUTE_CACHE, home, w);
    http_route(srv, HTTP_GET, "/dict/lookup", 0, lookup, w);
    http_route(srv, HTTP_GET, "/dict/glossary/:file", HTTP_ROUTE_CACHE, glossary, w);
    http_route(srv, HTTP_GET, "/dict/:word", HTTP_ROUTE_CACHE, entry_page, w);
}
