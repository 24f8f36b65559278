/*
 * The demo paper: our own sample writing, so that a new install shows a
 * living newspaper at once. Created only in an empty database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "store/store.h"

struct demo_section {
    const char *slug, *name, *parent, *description;
};

static const struct demo_section sections[] = {
    {"national", "National", NULL, "News from across the country."},
    {"politics", "Politics", "national", "The National Assembly, the parties and the presidency."},
    {"society", "Society", "national", "Schools, health, housing and the way we live."},
    {"business", "Business", NULL, "Markets, companies and the economy."},
    {"culture", "Culture", NULL, "Books, film, music, food and the arts."},
    {"sports", "Sports", NULL, "Scores, seasons and the people who play."},
    {"opinion", "Opinion", NULL, "Editorials, columns and letters."},
};

struct demo_author {
    const char *slug, *name, *email, *role, *bio;
};

static const struct demo_author authors[] = {
    {"han-seo-yeon", "Han Seo-yeon", "han.seoyeon@broadsheet.example", "Political correspondent",
     "Han Seo-yeon covers the National Assembly and the presidential office."},
    {"daniel-moore", "Daniel Moore", "daniel.moore@broadsheet.example", "Business editor",
     "Daniel Moore writes about trade, technology and the companies that shape them."},
    {"park-ji-ho", "Park Ji-ho", "park.jiho@broadsheet.example", "Culture writer",
     "Park Ji-ho reviews books and films and reports on the arts."},
};

struct demo_article {
    const char *section, *headline, *summary, *body, *tags;
    int author, coauthor; /* index into authors; -1 for none */
    int hours_ago;
};

static const struct demo_article articles[] = {
    {"politics", "Assembly agrees on a budget after a night of talks",
     "Lawmakers passed next year's budget hours before the deadline, with more money for "
     "child care and less for new roads.",
     "Lawmakers from the two largest parties agreed on next year's budget early on Tuesday, "
     "ending a standoff that had threatened to run past the legal deadline.\n\n"
     "The deal adds money for child care and for rural clinics, and trims spending on new "
     "roads. Both floor leaders called it a compromise that nobody loved.\n\n"
     "\"We did not get everything we wanted, and neither did they,\" one negotiator told "
     "reporters as the session closed.\n\n"
     "## What changes\n\n"
     "- Child-care vouchers rise by a tenth.\n"
     "- Rural clinics get a new fund for night staff.\n"
     "- Three highway projects are postponed for a year.\n",
     "budget, national assembly", 0, -1, 2},
    {"business", "Exporters brace for a slower year as orders thin",
     "Factory orders fell for a third month, and chip makers warn that the recovery may "
     "take longer than hoped.",
     "Orders at the country's factories fell for a third straight month in November, the "
     "statistics office said, as buyers abroad held back.\n\n"
     "Chip makers, which drove last year's rebound, said inventories remain high. Several "
     "smaller suppliers have cut night shifts.\n\n"
     "Economists still expect growth next year, but at a slower pace than the central "
     "bank's forecast.",
     "exports, semiconductors", 1, -1, 5},
    {"culture", "A quiet debut novel finds a loud following",
     "Word of mouth has turned a first novel about a seaside bakery into the surprise "
     "best seller of the season.",
     "Nobody expected much of a first novel about a bakery in a fishing town. Its first "
     "printing was three thousand copies.\n\n"
     "Six weeks later, it tops the best-seller lists, carried by readers who pass it on "
     "and by booksellers who press it into customers' hands.\n\n"
     "The author, a former pastry cook, says she wrote it at night over four winters.",
     "books", 2, -1, 8},
};

static int64_t
section_id(const int64_t *ids, const char *slug)
{
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
        if (strcmp(sections[i].slug, slug) == 0)
            return ids[i];
    return 0;
}

static int
add_tags(struct store *st, struct arena *a, const char *list, struct store_article *art)
{
    art->tags = arena_zalloc(a, 8 * sizeof(*art->tags));
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", list);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t && art->ntags < 8; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (store_call(st, tag_ensure, t, &art->tags[art->ntags].id) != STORE_OK)
            return -1;
        art->ntags++;
    }
    return 0;
}

int
demo_create(struct store *st, const char *media_dir)
{
    (void)media_dir;
    struct arena *a = arena_new();
    int64_t sec_ids[ARRAY_SIZE(sections)], au_ids[ARRAY_SIZE(authors)];
    int rc = -1;
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
        struct store_section s = {.slug = (char *)sections[i].slug,
                                  .name = (char *)sections[i].name,
                                  .description = (char *)sections[i].description,
                                  .position = (int)i};
        if (sections[i].parent)
            s.parent_id = section_id(sec_ids, sections[i].parent);
        if (store_call(st, section_save, &s) != STORE_OK)
            goto out;
        sec_ids[i] = s.id;
    }
    for (size_t i = 0; i < ARRAY_SIZE(authors); i++) {
        struct store_author au = {.slug = (char *)authors[i].slug, .name = (char *)authors[i].name,
                                  .email = (char *)authors[i].email, .role = (char *)authors[i].role,
                                  .bio = (char *)authors[i].bio};
        if (store_call(st, author_save, &au) != STORE_OK)
            goto out;
        au_ids[i] = au.id;
    }
    int64_t now = time_now(), lead = 0;
    for (size_t i = 0; i < ARRAY_SIZE(articles); i++) {
        const struct demo_article *d = &articles[i];
        struct store_article art = {0};
        char *slug = slug_make(d->headline, strlen(d->headline), 80);
        art.slug = arena_strdup(a, slug);
        free(slug);
        art.headline = (char *)d->headline;
        art.summary = (char *)d->summary;
        art.body = (char *)d->body;
        art.credit = (char *)"";
        art.status = ARTICLE_PUBLISHED;
        art.section_id = section_id(sec_ids, d->section);
        art.published_at = now - d->hours_ago * 3600;
        art.created_at = art.published_at;
        art.authors = arena_zalloc(a, 2 * sizeof(*art.authors));
        art.authors[art.nauthors++].id = au_ids[d->author];
        if (d->coauthor >= 0)
            art.authors[art.nauthors++].id = au_ids[d->coauthor];
        if (add_tags(st, a, d->tags, &art) != 0 || store_call(st, article_save, &art) != STORE_OK)
            goto out;
        if (i == 0)
            lead = art.id;
    }
    if (store_call(st, front_set, &lead, 1) != STORE_OK)
        goto out;
    rc = 0;
out:
    if (rc)
        log_error("demo: could not create the demo paper");
    arena_free(a);
    return rc;
}
