/*
 * Private to the demo paper: demo.c (what goes into the store),
 * demo_text.c (the sections, authors and articles, our own writing) and
 * demo_photos.c (illustrations drawn from scratch and stored through the
 * media pipeline).
 */
#ifndef BROADSHEET_DEMO_INT_H
#define BROADSHEET_DEMO_INT_H

#include "core/core.h"

struct store;

struct demo_section {
    const char *slug, *name, *parent, *description;
};

struct demo_author {
    const char *slug, *name, *email, *role, *bio;
};

/* Indices into demo_photos (see demo_photos.c). */
enum demo_photo_id {
    PH_NONE = -1,
    PH_ASSEMBLY,
    PH_SKYLINE,
    PH_CHART,
    PH_STADIUM,
    PH_HARBOUR,
    PH_MOUNTAINS,
    PH_GALLERY,
    PH_BOOKS,
    PH_RAIL,
    PH_SCHOOL,
    PH_BANQUET,
    PH_NEWSPAPER,
    PH_STAGE,
    PH_COUNT
};

#define DEMO_MINUTES(days, hours, minutes) ((days)*1440 + (hours)*60 + (minutes))

struct demo_article {
    const char *key;                              /* for the front page and the correction below */
    const char *section;                          /* slug */
    const char *headline, *summary, *body, *tags; /* tags comma-separated */
    const char *credit;                           /* agency credit or NULL */
    int author, coauthor; /* indices into demo_authors; coauthor -1 for none */
    enum demo_photo_id photo;
    int age;     /* published this many minutes ago */
    int updated; /* updated this many minutes after publication; 0 for never */
};

struct demo_correction {
    const char *article; /* key */
    const char *text;
    int after; /* minutes after publication */
};

extern const struct demo_section demo_sections[];
extern const size_t demo_nsections;
extern const struct demo_author demo_authors[];
extern const size_t demo_nauthors;
extern const struct demo_article demo_articles[];
extern const size_t demo_narticles;
extern const char *const demo_front[]; /* keys: the lead, then the top slots */
extern const size_t demo_nfront;
extern const struct demo_correction demo_correction;

/* Draws every demo illustration, stores it through the media pipeline
 * under media_dir and saves its record; ids[PH_COUNT] receives the photo
 * ids. 0 on success. */
int demo_photos_create(struct store *st, const char *media_dir, int64_t ids[PH_COUNT]);

#endif
