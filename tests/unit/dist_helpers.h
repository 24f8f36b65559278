/* Shared by the distribution unit tests: a fresh database with a section
 * and published articles. Static, so each test file has its own copy. */
#ifndef BROADSHEET_TEST_DIST_HELPERS_H
#define BROADSHEET_TEST_DIST_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/data"
#endif

static char dist_tmp[256];

static inline struct store *
dist_store_new(void)
{
    snprintf(dist_tmp, sizeof(dist_tmp), "/tmp/bs-dist-XXXXXX");
    cr_assert_not_null(mkdtemp(dist_tmp));
    char path[300], err[256];
    snprintf(path, sizeof(path), "%s/test.db", dist_tmp);
    struct store *st = store_sqlite_open(path, err, sizeof(err));
    cr_assert_not_null(st, "%s", err);
    return st;
}

static inline void
dist_store_free(struct store *st)
{
    store_close(st);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dist_tmp);
    cr_assert_eq(system(cmd), 0);
}

static inline int64_t
dist_section(struct store *st, int64_t parent, const char *slug, const char *name)
{
    struct store_section s = {
        .parent_id = parent, .slug = (char *)slug, .name = (char *)name, .description = (char *)""};
    cr_assert_eq(store_call(st, section_save, &s), STORE_OK);
    return s.id;
}

static inline int64_t
dist_article(struct store *st, int64_t section, const char *headline, const char *body,
             enum store_article_status status, int64_t published_at)
{
    struct store_article a = {.slug = (char *)"story",
                              .headline = (char *)headline,
                              .summary = (char *)"",
                              .body = (char *)body,
                              .credit = (char *)"",
                              .status = status,
                              .section_id = section,
                              .published_at = published_at};
    cr_assert_eq(store_call(st, article_save, &a), STORE_OK);
    return a.id;
}

static inline char *
dist_read(const char *rel, size_t *len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", DATA_DIR, rel);
    char *data = file_read(path, 8u << 20, len);
    cr_assert_not_null(data, "cannot read %s", path);
    return data;
}

#endif
