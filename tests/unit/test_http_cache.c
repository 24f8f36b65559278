/*
 * The page cache (src/http/cache.c): a page is kept until something on it
 * changes, a purge drops exactly the pages carrying its key, and a page
 * rendered from data read before a purge is never kept after it.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "http/http_int.h"

static struct http_cache *cache;

static void
setup(void)
{
    cache = http_cache_new(1u << 20);
}

static void
teardown(void)
{
    http_cache_free(cache);
}

TestSuite(page_cache, .init = setup, .fini = teardown);

/* Puts a page with the given surrogate keys, rendered when the cache was at gen. */
static void
put(uint64_t gen, const char *path, const char *body, const char *k1, const char *k2)
{
    const char *keys[] = {"all", k1, k2};
    size_t n = k2 ? 3 : k1 ? 2 : 1;
    http_cache_unref(
        http_cache_put(cache, gen, path, "text/html", "public", body, strlen(body), 60, keys, n));
}

static bool
cached(const char *path, const char *body)
{
    struct http_cache_entry *e = http_cache_get(cache, path, strlen(path));
    bool ok = e && e->len == strlen(body) && memcmp(e->body, body, e->len) == 0;
    http_cache_unref(e);
    return ok;
}

Test(page_cache, a_page_is_served_until_a_purge_names_it)
{
    uint64_t g = http_cache_generation(cache);
    put(g, "/national/1-a", "article one", "article:1", "section:1");
    put(g, "/business/2-b", "article two", "article:2", "section:2");
    cr_assert(cached("/national/1-a", "article one"));
    cr_assert(cached("/business/2-b", "article two"));

    http_cache_drop(cache, "article:1");
    cr_assert_not(cached("/national/1-a", "article one"));
    cr_assert(cached("/business/2-b", "article two"), "a purge must drop only its own pages");

    /* a key is matched whole: "article:2" does not purge "article:21" */
    put(http_cache_generation(cache), "/business/21-c", "article 21", "article:21", NULL);
    http_cache_drop(cache, "article:2");
    cr_assert(cached("/business/21-c", "article 21"));
    cr_assert_not(cached("/business/2-b", "article two"));
}

Test(page_cache, a_page_rendered_before_a_purge_is_not_kept)
{
    /* a request begins and reads the article ... */
    uint64_t before = http_cache_generation(cache);
    /* ... meanwhile an editor saves it and the pages showing it are purged ... */
    http_cache_drop(cache, "article:1");
    /* ... and the request's page, made from what it read before, arrives */
    struct http_cache_entry *e = http_cache_put(cache, before, "/national/1-a", "text/html",
                                                "public", "old headline", 12, 60, NULL, 0);
    cr_assert_not_null(e, "the request still gets its page to send");
    cr_assert_eq(e->len, 12);
    http_cache_unref(e);
    cr_assert_not(cached("/national/1-a", "old headline"),
                  "a page from before a purge must not be served after it");

    /* the next request, begun after the purge, is kept */
    put(http_cache_generation(cache), "/national/1-a", "new headline", "article:1", NULL);
    cr_assert(cached("/national/1-a", "new headline"));
}

Test(page_cache, purge_all_drops_everything_and_stales_requests_in_flight)
{
    uint64_t g = http_cache_generation(cache);
    put(g, "/", "front", "front", NULL);
    put(g, "/culture/", "culture", "section:4", NULL);
    http_cache_drop_all(cache);
    cr_assert_not(cached("/", "front"));
    cr_assert_not(cached("/culture/", "culture"));
    put(g, "/", "front", "front", NULL);
    cr_assert_not(cached("/", "front"));
}

Test(page_cache, a_page_too_big_for_the_budget_is_sent_but_not_kept)
{
    http_cache_free(cache);
    cache = http_cache_new(4096);
    static char big[8192];
    memset(big, 'x', sizeof(big) - 1);
    struct http_cache_entry *e =
        http_cache_put(cache, http_cache_generation(cache), "/big", "text/html", "public", big,
                       strlen(big), 60, NULL, 0);
    cr_assert_not_null(e);
    cr_assert_eq(e->len, strlen(big));
    http_cache_unref(e);
    cr_assert_null(http_cache_get(cache, "/big", 4));
}

static char keybuf[256];

static const char *
key(const char *path)
{
    h2o_iovec_t k = http_cache_key(h2o_iovec_init(path, strlen(path)), keybuf, sizeof(keybuf));
    static char out[256];
    snprintf(out, sizeof(out), "%.*s", (int)k.len, k.base);
    return out;
}

Test(page_cache, tracking_parameters_are_left_out_of_the_key)
{
    cr_assert_str_eq(key("/article/1/a"), "/article/1/a");
    cr_assert_str_eq(key("/article/1/a?fbclid=IwAR0"), "/article/1/a");
    cr_assert_str_eq(key("/article/1/a?utm_source=x&utm_medium=social"), "/article/1/a");
    cr_assert_str_eq(key("/national/?utm_source=x&page=2&gclid=1"), "/national/?page=2");
    cr_assert_str_eq(key("/national/?page=2&_ga=1&q=a"), "/national/?page=2&q=a");
    /* whole names only: these are somebody's own parameters */
    cr_assert_str_eq(key("/search?q=fbclid&notutm_source=1&utm_=2"),
                     "/search?q=fbclid&notutm_source=1&utm_=2");
    cr_assert_str_eq(key("/?&&fbclid&"), "/");
}
