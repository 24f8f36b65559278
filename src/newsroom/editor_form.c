/*
 * The editor's form: read as typed, cleaned (NFC, no control characters)
 * and checked against the limits a person sees; what fails is reported per
 * field and the typed text is kept, so a form error never loses work.
 */
#include "newsroom/newsroom_int.h"

#include <stdlib.h>
#include <string.h>

void
draft_error(struct draft *d, const char *field, const char *message)
{
    if (d->errors == NULL)
        d->errors = json_object();
    if (json_object_get(d->errors, field) == NULL)
        json_object_set_new(d->errors, field, json_string(message));
}

void
draft_release(struct draft *d)
{
    json_decref(d->errors);
    d->errors = NULL;
}

/* Splits comma-separated tags into cleaned, non-empty names. */
static size_t
split_tags(struct arena *a, const char *text, char **names, size_t max, bool *too_many)
{
    size_t n = 0;
    *too_many = false;
    const char *p = text;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len && n == max)
            *too_many = true;
        else if (len)
            names[n++] = arena_strndup(a, p, len);
        p = comma ? comma + 1 : p + strlen(p);
    }
    return n;
}

void
draft_from_article(struct http_req *r, const struct store_article *a, struct draft *d)
{
    struct arena *ar = http_arena(r);
    memset(d, 0, sizeof(*d));
    d->headline = a->headline;
    d->summary = a->summary;
    d->body = a->body;
    d->slug = a->slug;
    d->credit = a->credit;
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < a->ntags; i++)
        buf_addf(&b, "%s%s", i ? ", " : "", a->tags[i].name);
    d->tags = arena_strndup(ar, b.p ? b.p : "", b.len);
    buf_release(&b);
    d->section_id = a->section_id;
    for (size_t i = 0; i < a->nextra_sections && d->nextra < NR_SECTIONS_MAX; i++)
        d->extra[d->nextra++] = a->extra_sections[i];
    for (size_t i = 0; i < a->nauthors && d->nauthors < NR_AUTHORS_MAX; i++)
        d->authors[d->nauthors++] = a->authors[i].id;
    d->version = a->version;
    d->comments_locked = a->comments_locked;
    if (a->status == ARTICLE_SCHEDULED)
        d->publish_at = a->published_at;
    char local[32];
    nr_local_input(d->publish_at, local);
    d->publish_at_text = arena_strdup(ar, local);
    for (size_t i = 0; i < a->nphotos && d->nphotos < NR_PHOTOS_MAX; i++) {
        struct draft_photo *p = &d->photos[d->nphotos++];
        p->stored = &a->photos[i];
        p->caption = a->photos[i].caption;
        p->credit = a->photos[i].credit;
        p->alt = a->photos[i].alt;
        p->position = (long)d->nphotos;
    }
    d->new_caption = d->new_credit = d->new_alt = (char *)"";
}

/* A cleaned text field with a limit in characters; "" and an error if not text. */
static char *
text_field(struct http_req *r, struct draft *d, const char *name, bool newlines, long max,
           const char *label)
{
    char *v = nr_clean(r, nr_field(r, name), newlines);
    if (v == NULL) {
        draft_error(d, name, arena_printf(http_arena(r), "%s is not valid text", label));
        return (char *)"";
    }
    long n = text_length(v, strlen(v));
    if (n > max)
        draft_error(d, name,
                    arena_printf(http_arena(r), "%s has %ld characters; the limit is %ld: shorten it",
                                 label, n, max));
    return v;
}

static void
read_slug(struct http_req *r, struct draft *d)
{
    const char *typed = nr_field(r, "slug");
    const char *from = typed[0] ? typed : d->headline;
    char *slug = slug_make(from, strlen(from), 80);
    d->slug = arena_strdup(http_arena(r), slug);
    free(slug);
    if (d->slug[0] == '\0' && d->headline[0])
        draft_error(d, "slug", "the slug needs at least one letter or digit");
}

static bool
section_exists(const struct site_sections *secs, int64_t id)
{
    return id > 0 && site_section_find(secs, id) >= 0;
}

static void
read_sections(struct http_req *r, const struct site_sections *secs, struct draft *d)
{
    d->section_id = nr_id(nr_field(r, "section"));
    if (!section_exists(secs, d->section_id)) {
        d->section_id = 0;
        draft_error(d, "section", "choose the article's section");
    }
    const char *vals[64];
    size_t n = nr_fields(r, "sections", vals, ARRAY_SIZE(vals));
    for (size_t i = 0; i < n; i++) {
        int64_t id = nr_id(vals[i]);
        bool dup = id == d->section_id;
        for (size_t k = 0; k < d->nextra; k++)
            dup = dup || d->extra[k] == id;
        if (!section_exists(secs, id) || dup)
            continue;
        if (d->nextra == NR_SECTIONS_MAX) {
            draft_error(d, "sections", "choose at most 16 other sections");
            break;
        }
        d->extra[d->nextra++] = id;
    }
}

static void
read_authors(struct http_req *r, struct draft *d)
{
    const char *vals[64];
    size_t n = nr_fields(r, "authors", vals, ARRAY_SIZE(vals));
    struct store_author au;
    for (size_t i = 0; i < n; i++) {
        int64_t id = nr_id(vals[i]);
        bool dup = false;
        for (size_t k = 0; k < d->nauthors; k++)
            dup = dup || d->authors[k] == id;
        if (dup || id == 0 ||
            store_call(nr_ctx.store, author_get, id, NULL, http_arena(r), &au) != STORE_OK)
            continue;
        if (d->nauthors == NR_AUTHORS_MAX) {
            draft_error(d, "authors", "choose at most 10 authors");
            break;
        }
        d->authors[d->nauthors++] = id;
    }
}

static void
read_tags(struct http_req *r, struct draft *d)
{
    d->tags = text_field(r, d, "tags", false, 2000, "The tags");
    char *names[NR_TAGS_MAX];
    bool too_many;
    size_t n = split_tags(http_arena(r), d->tags, names, NR_TAGS_MAX, &too_many);
    if (too_many)
        draft_error(d, "tags", "use at most 20 tags");
    for (size_t i = 0; i < n; i++) {
        if (text_length(names[i], strlen(names[i])) > NR_TAG_MAX)
            draft_error(d, "tags", "a tag may have at most 60 characters");
        char *slug = slug_make(names[i], strlen(names[i]), 80);
        if (slug[0] == '\0')
            draft_error(d, "tags", "each tag needs at least one letter or digit");
        free(slug);
    }
}

static void
read_publish_at(struct http_req *r, struct draft *d)
{
    d->publish_at_text = nr_clean(r, nr_field(r, "publish_at"), false);
    if (d->publish_at_text == NULL)
        d->publish_at_text = (char *)"";
    if (d->publish_at_text[0] && nr_local_parse(d->publish_at_text, &d->publish_at) != 0) {
        d->publish_at = 0;
        draft_error(d, "publish_at", "enter the time as a date and a time, e.g. 2026-12-01 07:00");
    }
}

static int
photo_order(const void *x, const void *y)
{
    const struct draft_photo *a = x, *b = y;
    return a->position < b->position ? -1 : a->position > b->position;
}

static void
read_photos(struct http_req *r, const struct store_article *cur, struct draft *d)
{
    const char *vals[NR_PHOTOS_MAX];
    size_t n = nr_fields(r, "photos", vals, ARRAY_SIZE(vals));
    struct arena *a = http_arena(r);
    for (size_t i = 0; cur && i < n; i++) {
        int64_t id = nr_id(vals[i]);
        const struct store_photo *stored = NULL;
        for (size_t k = 0; k < cur->nphotos; k++)
            if (cur->photos[k].id == id)
                stored = &cur->photos[k];
        bool dup = false;
        for (size_t k = 0; k < d->nphotos; k++)
            dup = dup || d->photos[k].stored == stored;
        if (stored == NULL || dup)
            continue;
        struct draft_photo *p = &d->photos[d->nphotos++];
        p->stored = stored;
        p->caption = text_field(r, d, arena_printf(a, "photo_caption_%lld", (long long)id), false,
                                NR_CAPTION_MAX, "The caption");
        p->credit = text_field(r, d, arena_printf(a, "photo_credit_%lld", (long long)id), false,
                               NR_CREDIT_MAX, "The credit");
        p->alt = text_field(r, d, arena_printf(a, "photo_alt_%lld", (long long)id), false,
                            NR_CAPTION_MAX, "The description");
        const char *pos = nr_field(r, arena_printf(a, "photo_position_%lld", (long long)id));
        if (parse_long(pos, strlen(pos), 1, 1000, &p->position) != 0)
            p->position = (long)(i + 1);
        p->position = p->position * 1000 + (long)i; /* ties keep the shown order */
        p->remove = nr_field(r, arena_printf(a, "photo_remove_%lld", (long long)id))[0] != '\0';
    }
    qsort(d->photos, d->nphotos, sizeof(d->photos[0]), photo_order);
    for (size_t i = 0; i < d->nphotos; i++)
        d->photos[i].position = (long)i + 1;
    d->file = http_file(r, "photo_file");
    d->new_caption = text_field(r, d, "photo_caption", false, NR_CAPTION_MAX, "The caption");
    d->new_credit = text_field(r, d, "photo_credit", false, NR_CREDIT_MAX, "The credit");
    d->new_alt = text_field(r, d, "photo_alt", false, NR_CAPTION_MAX, "The description");
    if (d->file && d->new_alt[0] == '\0')
        draft_error(d, "photo_alt", "describe the photo for readers who cannot see it");
    if (d->file && d->nphotos >= NR_PHOTOS_MAX)
        draft_error(d, "photo_file", "an article may have at most 30 photos");
}

void
draft_from_form(struct http_req *r, const struct site_sections *secs,
                const struct store_article *cur, struct draft *d)
{
    memset(d, 0, sizeof(*d));
    d->headline = text_field(r, d, "headline", false, NR_HEADLINE_MAX, "The headline");
    if (d->headline[0] == '\0')
        draft_error(d, "headline", "write a headline");
    d->summary = text_field(r, d, "summary", false, NR_SUMMARY_MAX, "The summary");
    d->body = text_field(r, d, "body", true, NR_BODY_MAX, "The text");
    d->credit = text_field(r, d, "credit", false, NR_CREDIT_MAX, "The credit");
    read_slug(r, d);
    read_sections(r, secs, d);
    read_authors(r, d);
    read_tags(r, d);
    read_publish_at(r, d);
    read_photos(r, cur, d);
    long v = 0;
    const char *vs = nr_field(r, "version");
    if (cur && parse_long(vs, strlen(vs), 1, 1L << 30, &v) != 0)
        draft_error(d, "version", "the form is missing the article's version: reload the editor");
    d->version = (int)v;
    d->comments_locked = nr_field(r, "comments_locked")[0] != '\0';
    d->substantive = nr_field(r, "substantive")[0] != '\0';
}

int
draft_tags(struct http_req *r, const struct draft *d, struct store_article *art)
{
    char *names[NR_TAGS_MAX];
    bool too_many;
    size_t n = split_tags(http_arena(r), d->tags, names, NR_TAGS_MAX, &too_many);
    art->tags = arena_zalloc(http_arena(r), (n ? n : 1) * sizeof(*art->tags));
    art->ntags = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t id;
        if (store_call(nr_ctx.store, tag_ensure, names[i], &id) != STORE_OK)
            return -1;
        bool dup = false;
        for (size_t k = 0; k < art->ntags; k++)
            dup = dup || art->tags[k].id == id;
        if (dup)
            continue;
        art->tags[art->ntags].id = id;
        art->tags[art->ntags].name = names[i];
        art->ntags++;
    }
    return 0;
}

void
draft_apply(struct http_req *r, const struct draft *d, const struct store_article *cur,
            struct store_article *art)
{
    struct arena *a = http_arena(r);
    if (cur) {
        *art = *cur;
    } else {
        memset(art, 0, sizeof(*art));
        art->status = ARTICLE_DRAFT;
        art->created_at = time_now();
    }
    art->headline = d->headline;
    art->summary = d->summary;
    art->body = d->body;
    art->slug = d->slug;
    art->credit = d->credit;
    art->section_id = d->section_id;
    art->extra_sections = arena_alloc(a, (d->nextra ? d->nextra : 1) * sizeof(int64_t));
    memcpy(art->extra_sections, d->extra, d->nextra * sizeof(int64_t));
    art->nextra_sections = d->nextra;
    art->authors = arena_zalloc(a, (d->nauthors ? d->nauthors : 1) * sizeof(*art->authors));
    for (size_t i = 0; i < d->nauthors; i++)
        art->authors[i].id = d->authors[i];
    art->nauthors = d->nauthors;
    art->photos = arena_zalloc(a, (d->nphotos + 1) * sizeof(*art->photos));
    art->nphotos = 0;
    for (size_t i = 0; i < d->nphotos; i++) {
        if (d->photos[i].remove)
            continue;
        struct store_photo *p = &art->photos[art->nphotos++];
        *p = *d->photos[i].stored;
        p->caption = d->photos[i].caption;
        p->credit = d->photos[i].credit;
        p->alt = d->photos[i].alt;
    }
    art->comments_locked = d->comments_locked;
    art->version = cur ? d->version : 0;
}

/* --- the page's data --- */

static json_t *
authors_json(struct http_req *r, const struct draft *d)
{
    struct store_author *all;
    size_t n = 0;
    json_t *list = json_array();
    if (store_call(nr_ctx.store, author_list, http_arena(r), &all, &n) != STORE_OK)
        return list;
    /* the chosen authors first, in byline order, then everyone else */
    for (size_t k = 0; k < d->nauthors; k++)
        for (size_t i = 0; i < n; i++)
            if (all[i].id == d->authors[k])
                json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}", "id",
                                                      (json_int_t)all[i].id, "name", all[i].name,
                                                      "role", all[i].role, "checked", 1));
    for (size_t i = 0; i < n; i++) {
        bool chosen = false;
        for (size_t k = 0; k < d->nauthors; k++)
            chosen = chosen || all[i].id == d->authors[k];
        if (!chosen)
            json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}", "id",
                                                  (json_int_t)all[i].id, "name", all[i].name,
                                                  "role", all[i].role, "checked", 0));
    }
    return list;
}

static json_t *
photos_json(const struct draft *d)
{
    json_t *list = json_array();
    for (size_t i = 0; i < d->nphotos; i++) {
        const struct draft_photo *p = &d->photos[i];
        json_t *j = site_photo_json(p->stored);
        long smallest = strtol(p->stored->widths, NULL, 10);
        json_object_set_new(j, "thumb", json_sprintf("/media/%s-%ld.jpg", p->stored->name,
                                                     smallest > 0 ? smallest : p->stored->width));
        json_object_set_new(j, "caption", json_string(p->caption));
        json_object_set_new(j, "credit", json_string(p->credit));
        json_object_set_new(j, "alt", json_string(p->alt));
        json_object_set_new(j, "position", json_integer(p->position));
        json_object_set_new(j, "remove", json_boolean(p->remove));
        json_array_append_new(list, j);
    }
    return list;
}

static json_t *
corrections_json(const struct store_article *cur)
{
    json_t *list = json_array();
    for (size_t i = 0; cur && i < cur->ncorrections; i++) {
        const struct store_correction *c = &cur->corrections[i];
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:I, s:s}", "kind",
                            c->kind == CORRECTION_CLARIFICATION ? "Clarification" : "Correction",
                            "text", c->text, "date", (json_int_t)c->created_at, "where",
                            c->at_top ? "top" : "bottom"));
    }
    return list;
}

/* Which buttons the editor shows, by status and rights. */
static json_t *
actions_json(const struct staff_user *u, const struct store_article *cur)
{
    bool pub = (u->caps & STAFF_PUBLISH) != 0;
    enum store_article_status s = cur ? cur->status : ARTICLE_DRAFT;
    bool live = s == ARTICLE_PUBLISHED || s == ARTICLE_SCHEDULED;
    return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "save", !live || pub, "ready",
                     cur && (s == ARTICLE_DRAFT || s == ARTICLE_UNPUBLISHED), "draft",
                     cur && (s == ARTICLE_READY || (s == ARTICLE_SCHEDULED && pub)), "publish",
                     cur && pub && s != ARTICLE_PUBLISHED, "schedule",
                     cur && pub && s != ARTICLE_PUBLISHED, "unpublish",
                     cur && pub && s == ARTICLE_PUBLISHED, "correct",
                     cur && pub && s == ARTICLE_PUBLISHED, "locked", live && !pub);
}

static json_t *
article_json(struct http_req *r, const struct store_article *cur, const struct draft *d)
{
    struct arena *a = http_arena(r);
    enum store_article_status s = cur ? cur->status : ARTICLE_DRAFT;
    json_t *j = json_pack(
        "{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:I, s:I, s:b, s:i, s:i}",
        "id", (json_int_t)(cur ? cur->id : 0), "version", d->version, "status",
        store_article_status_name(s), "status_label", nr_status_label(s), "headline", d->headline,
        "summary", d->summary, "body", d->body, "slug", d->slug, "credit", d->credit, "tags",
        d->tags, "comments_locked", d->comments_locked, "publish_at", d->publish_at_text,
        "published", (json_int_t)(cur ? cur->published_at : 0), "updated",
        (json_int_t)(cur ? cur->updated_at : 0), "is_new", cur == NULL, "headline_count",
        (int)text_length(d->headline, strlen(d->headline)), "summary_count",
        (int)text_length(d->summary, strlen(d->summary)));
    json_object_set_new(j, "action", json_string("/newsroom/articles"));
    json_object_set_new(j, "preview_url", json_string("/newsroom/preview"));
    if (cur) {
        const char *base = arena_printf(a, "/newsroom/articles/%lld", (long long)cur->id);
        json_object_set_new(j, "url", json_string(base));
        json_object_set_new(j, "action", json_string(base));
        json_object_set_new(j, "preview_url", json_string(arena_printf(a, "%s/preview", base)));
        if (s == ARTICLE_DRAFT || s == ARTICLE_READY || s == ARTICLE_UNPUBLISHED)
            json_object_set_new(j, "autosave_url",
                                json_string(arena_printf(a, "%s/autosave", base)));
        json_object_set_new(j, "saved_at", json_integer(cur->saved_at));
        if (site_article_visible(cur, time_now()))
            json_object_set_new(j, "public_url", json_string(site_article_path(a, cur)));
    }
    json_object_set_new(j, "is_live", json_boolean(s == ARTICLE_PUBLISHED));
    json_object_set_new(j, "is_scheduled", json_boolean(s == ARTICLE_SCHEDULED));
    return j;
}

json_t *
draft_json(struct http_req *r, const struct staff_user *u, const struct site_sections *secs,
           const struct store_article *cur, const struct draft *d)
{
    json_t *errors = d->errors ? json_incref(d->errors) : json_object();
    json_t *error_list = json_array();
    const char *field;
    json_t *msg;
    json_object_foreach(errors, field, msg)
        json_array_append_new(error_list, json_pack("{s:s, s:O}", "field", field, "message", msg));
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:{s:s, s:s, s:s}, s:o, s:o, s:o, s:o, s:{s:i, s:i}, s:s}",
        "title", cur ? cur->headline : "New article", "article", article_json(r, cur, d),
        "sections", nr_sections_json(r, secs, d->section_id, d->extra, d->nextra), "authors",
        authors_json(r, d), "photos", photos_json(d), "new_photo", "caption", d->new_caption,
        "credit", d->new_credit, "alt", d->new_alt, "corrections", corrections_json(cur),
        "actions", actions_json(u, cur), "errors", errors, "error_list", error_list, "limits",
        "headline", NR_HEADLINE_MAX, "summary", NR_SUMMARY_MAX, "tz", nr_tz_label(r));
}
