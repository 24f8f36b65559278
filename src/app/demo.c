/*
 * The demo paper: our own sample writing (demo_text.c) and illustrations
 * (demo_photos.c), so that a new install shows a living newspaper at once.
 * Created only in an empty database; everything goes through the store
 * and the media pipeline like the newsroom's own work. Tests create fresh
 * demo databases often, so this stays fast (well under a second here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app_int.h"
#include "app/demo_int.h"
#include "store/store.h"

#define MAX_TAGS 8

struct demo_ids {
    int64_t sections[16];
    int64_t authors[16];
    int64_t photos[PH_COUNT];
    int64_t *articles;
};

static int64_t
section_id(const struct demo_ids *ids, const char *slug)
{
    for (size_t i = 0; i < demo_nsections; i++)
        if (strcmp(demo_sections[i].slug, slug) == 0)
            return ids->sections[i];
    return 0;
}

static int
article_index(const char *key)
{
    for (size_t i = 0; i < demo_narticles; i++)
        if (strcmp(demo_articles[i].key, key) == 0)
            return (int)i;
    return -1;
}

static int
add_sections(struct store *st, struct demo_ids *ids)
{
    for (size_t i = 0; i < demo_nsections; i++) {
        const struct demo_section *d = &demo_sections[i];
        struct store_section s = {.slug = (char *)d->slug,
                                  .name = (char *)d->name,
                                  .description = (char *)d->description,
                                  .position = (int)i};
        if (d->parent)
            s.parent_id = section_id(ids, d->parent);
        if (store_call(st, section_save, &s) != STORE_OK)
            return -1;
        ids->sections[i] = s.id;
    }
    return 0;
}

static int
add_authors(struct store *st, struct demo_ids *ids)
{
    for (size_t i = 0; i < demo_nauthors; i++) {
        const struct demo_author *d = &demo_authors[i];
        struct store_author au = {.slug = (char *)d->slug,
                                  .name = (char *)d->name,
                                  .email = (char *)d->email,
                                  .role = (char *)d->role,
                                  .bio = (char *)d->bio};
        if (store_call(st, author_save, &au) != STORE_OK)
            return -1;
        ids->authors[i] = au.id;
    }
    return 0;
}

/* "a, b, c" into tag records, created as needed. */
static int
add_tags(struct store *st, struct arena *a, const char *list, struct store_article *art)
{
    art->tags = arena_zalloc(a, MAX_TAGS * sizeof(*art->tags));
    for (const char *p = list; *p && art->ntags < MAX_TAGS;) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *name = arena_strndup(a, p, n);
        if (store_call(st, tag_ensure, name, &art->tags[art->ntags].id) != STORE_OK)
            return -1;
        art->ntags++;
        p += end ? n + 1 : n;
    }
    return 0;
}

static void
set_people_and_photo(struct arena *a, const struct demo_article *d, const struct demo_ids *ids,
                     struct store_article *art)
{
    art->authors = arena_zalloc(a, 2 * sizeof(*art->authors));
    art->authors[art->nauthors++].id = ids->authors[d->author];
    if (d->coauthor >= 0)
        art->authors[art->nauthors++].id = ids->authors[d->coauthor];
    if (d->photo == PH_NONE)
        return;
    art->photos = arena_zalloc(a, sizeof(*art->photos));
    art->photos[art->nphotos++].id = ids->photos[d->photo];
}

static int
add_article(struct store *st, struct arena *a, int64_t now, const struct demo_article *d,
            struct demo_ids *ids, int64_t *id)
{
    struct store_article art = {0};
    char *slug = slug_make(d->headline, strlen(d->headline), 80);
    art.slug = arena_strdup(a, slug);
    free(slug);
    art.headline = (char *)d->headline;
    art.summary = (char *)d->summary;
    art.body = (char *)d->body;
    art.credit = (char *)(d->credit ? d->credit : "");
    art.status = ARTICLE_PUBLISHED;
    art.section_id = section_id(ids, d->section);
    art.published_at = now - (int64_t)d->age * 60;
    art.created_at = art.published_at - 90 * 60;
    art.updated_at = d->updated ? art.published_at + (int64_t)d->updated * 60 : 0;
    set_people_and_photo(a, d, ids, &art);
    if (art.section_id == 0 || add_tags(st, a, d->tags, &art) != 0 ||
        store_call(st, article_save, &art) != STORE_OK)
        return -1;
    *id = art.id;
    return 0;
}

static int
add_articles(struct store *st, struct arena *a, int64_t now, struct demo_ids *ids)
{
    for (size_t i = 0; i < demo_narticles; i++) {
        if (add_article(st, a, now, &demo_articles[i], ids, &ids->articles[i]) != 0) {
            log_error("demo: cannot save the article '%s'", demo_articles[i].key);
            return -1;
        }
    }
    return 0;
}

static int
set_front(struct store *st, const struct demo_ids *ids)
{
    int64_t front[16];
    size_t n = 0;
    for (size_t i = 0; i < demo_nfront && n < ARRAY_SIZE(front); i++) {
        int k = article_index(demo_front[i]);
        if (k < 0)
            return -1;
        front[n++] = ids->articles[k];
    }
    return store_call(st, front_set, front, n) == STORE_OK ? 0 : -1;
}

static int
add_correction(struct store *st, int64_t now, const struct demo_ids *ids)
{
    int k = article_index(demo_correction.article);
    if (k < 0)
        return -1;
    int64_t published = now - (int64_t)demo_articles[k].age * 60;
    struct store_correction c = {.article_id = ids->articles[k],
                                 .kind = CORRECTION_CORRECTION,
                                 .text = (char *)demo_correction.text,
                                 .created_at = published + (int64_t)demo_correction.after * 60};
    return store_call(st, correction_add, &c) == STORE_OK ? 0 : -1;
}

static double
seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int
demo_create(struct store *st, const char *media_dir)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct arena *a = arena_new();
    struct demo_ids ids = {.articles = arena_zalloc(a, demo_narticles * sizeof(int64_t))};
    int64_t now = time_now();
    int rc = -1;
    if (demo_nsections > ARRAY_SIZE(ids.sections) || demo_nauthors > ARRAY_SIZE(ids.authors))
        goto out;
    if (add_sections(st, &ids) != 0 || add_authors(st, &ids) != 0 ||
        demo_photos_create(st, media_dir, ids.photos) != 0 || add_articles(st, a, now, &ids) != 0 ||
        set_front(st, &ids) != 0 || add_correction(st, now, &ids) != 0)
        goto out;
    rc = 0;
    log_info("demo: %zu articles, %d photos, %zu authors in %.2f s", demo_narticles, PH_COUNT,
             demo_nauthors, seconds_since(&t0));
out:
    if (rc)
        log_error("demo: could not create the demo paper");
    arena_free(a);
    return rc;
}
