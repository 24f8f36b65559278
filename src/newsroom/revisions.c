/*
 * Revisions: every save of an article is one. The list, the difference
 * between two (words of headline, summary and text; which other fields
 * changed), and restoring one as a new save on top of the latest version.
 */
#include "newsroom/newsroom_int.h"

#include <string.h>

#define DIFF_MAX_CELLS 4000000

/* The list of the article's revisions: where a refusal leads back to. */
static const char *
revisions_url(struct http_req *r, int64_t article_id)
{
    return arena_printf(http_arena(r), "/newsroom/articles/%lld/revisions", (long long)article_id);
}

/* Whether this staff member may restore a revision of the article: a
 * scheduled or published one only with the right to publish. */
static bool
may_restore(const struct staff_user *u, const struct store_article *art)
{
    bool live = art->status == ARTICLE_PUBLISHED || art->status == ARTICLE_SCHEDULED;
    return !live || (u->caps & STAFF_PUBLISH) != 0;
}

/* A revision of this article, by id; 0 or a status. */
static int
load_revision(struct http_req *r, const struct staff_user *u, const struct store_article *art,
              const char *ids, struct store_revision *rev)
{
    int64_t id = nr_id(ids);
    int st = id ? store_call(nr_ctx.store, revision_get, id, http_arena(r), rev) : STORE_NOTFOUND;
    if (st == STORE_OK && rev->article_id != art->id)
        st = STORE_NOTFOUND;
    if (st == STORE_NOTFOUND)
        return nr_refuse(r, u, 404, "there is no such revision of this article",
                         revisions_url(r, art->id), "The article's revisions");
    return st == STORE_OK ? 0 : http_error(r, 503, NULL);
}

static json_t *
revision_json(struct http_req *r, const struct store_revision *v, const struct store_article *art)
{
    return json_pack("{s:I, s:i, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)v->id,
                     "version", v->version, "who", v->user_name[0] ? v->user_name : "System",
                     "note", v->note, "at", (json_int_t)v->created_at, "headline", v->headline,
                     "status_label", nr_status_label(v->status), "restore_url",
                     arena_printf(http_arena(r), "/newsroom/articles/%lld/revisions/%lld/restore",
                                  (long long)art->id, (long long)v->id));
}

static int
revisions(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct store_article art;
    int st = nr_guard_article(r, STAFF_WRITE, &u, &art);
    if (st)
        return st;
    struct store_revision *revs;
    size_t n = 0;
    if (store_call(nr_ctx.store, revision_list, art.id, http_arena(r), &revs, &n) != STORE_OK)
        return http_error(r, 503, NULL);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *j = revision_json(r, &revs[i], &art);
        json_object_set_new(j, "from_checked", json_boolean(i == 1 || (n == 1 && i == 0)));
        json_object_set_new(j, "to_checked", json_boolean(i == 0));
        json_object_set_new(j, "current", json_boolean(i == 0)); /* newest first */
        json_array_append_new(list, j);
    }
    json_t *data = json_pack("{s:s, s:{s:I, s:s, s:i, s:s}, s:o}", "title", "Revisions", "article",
                             "id", (json_int_t)art.id, "headline", art.headline, "version",
                             art.version, "status_label", nr_status_label(art.status),
                             "revisions", list);
    return newsroom_render(r, &u, "newsroom/revisions.html", data);
}

static json_t *
field_diff(const char *label, const char *a, const char *b)
{
    struct diff d;
    diff_words(a, strlen(a), b, strlen(b), DIFF_MAX_CELLS, &d);
    json_t *j = json_pack("{s:s, s:b, s:b, s:o}", "label", label, "changed", strcmp(a, b) != 0,
                          "coarse", d.coarse, "pieces", diff_json(&d));
    diff_release(&d);
    return j;
}

static const char *
section_name(const struct site_sections *secs, int64_t id)
{
    long k = site_section_find(secs, id);
    return k >= 0 ? secs->items[k].name : "(deleted section)";
}

/* Which of the other fields differ, for people. */
static json_t *
other_changes(const struct site_sections *secs, const struct store_revision *a,
              const struct store_revision *b)
{
    json_t *list = json_array();
    if (strcmp(a->slug, b->slug) != 0)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "label", "Slug", "from", a->slug,
                                              "to", b->slug));
    if (a->section_id != b->section_id)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "label", "Section", "from",
                                              section_name(secs, a->section_id), "to",
                                              section_name(secs, b->section_id)));
    if (a->status != b->status)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "label", "Status", "from",
                                              nr_status_label(a->status), "to",
                                              nr_status_label(b->status)));
    const char *names[] = {"Authors", "Tags", "Photos", "Other sections"};
    const char *fa[] = {a->authors, a->tags, a->photos, a->sections};
    const char *fb[] = {b->authors, b->tags, b->photos, b->sections};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strcmp(fa[i], fb[i]) != 0)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "label", names[i], "from",
                                                  "", "to", "changed"));
    return list;
}

static int
diff_page(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct store_article art;
    struct store_revision from, to;
    struct site_sections secs;
    int st;
    if ((st = nr_guard_article(r, STAFF_WRITE, &u, &art)) != 0 ||
        (st = load_revision(r, &u, &art, http_query(r, "from"), &from)) != 0 ||
        (st = load_revision(r, &u, &art, http_query(r, "to"), &to)) != 0)
        return st;
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    json_t *fields = json_pack("[o, o, o]", field_diff("Headline", from.headline, to.headline),
                               field_diff("Summary", from.summary, to.summary),
                               field_diff("Text", from.body, to.body));
    json_t *data = json_pack("{s:s, s:{s:I, s:s, s:i}, s:o, s:o, s:o, s:o}", "title",
                             "Compare revisions", "article", "id", (json_int_t)art.id, "headline",
                             art.headline, "version", art.version, "from",
                             revision_json(r, &from, &art), "to", revision_json(r, &to, &art),
                             "fields", fields, "others", other_changes(&secs, &from, &to));
    json_object_set_new(data, "may_restore", json_boolean(may_restore(&u, &art)));
    return newsroom_render(r, &u, "newsroom/diff.html", data);
}

/* --- restoring --- */

/* Ids from a revision's JSON array; unknown ones are dropped by keep(). */
static size_t
ids_from(const char *text, int64_t *out, size_t max)
{
    json_t *arr = json_loads(text, 0, NULL);
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(arr, i, v)
        if (json_is_integer(v) && n < max)
            out[n++] = json_integer_value(v);
    json_decref(arr);
    return n;
}

static void
restore_relations(struct http_req *r, const struct site_sections *secs,
                  const struct store_revision *rev, struct store_article *art)
{
    struct arena *a = http_arena(r);
    int64_t ids[64];
    size_t n = ids_from(rev->authors, ids, NR_AUTHORS_MAX);
    art->authors = arena_zalloc(a, (n + 1) * sizeof(*art->authors));
    art->nauthors = 0;
    for (size_t i = 0; i < n; i++)
        if (store_call(nr_ctx.store, author_get, ids[i], NULL, a, &art->authors[art->nauthors]) ==
            STORE_OK)
            art->nauthors++;
    n = ids_from(rev->tags, ids, NR_TAGS_MAX);
    art->tags = arena_zalloc(a, (n + 1) * sizeof(*art->tags));
    art->ntags = 0;
    for (size_t i = 0; i < n; i++)
        if (store_call(nr_ctx.store, tag_get, ids[i], NULL, a, &art->tags[art->ntags]) == STORE_OK)
            art->ntags++;
    n = ids_from(rev->photos, ids, NR_PHOTOS_MAX);
    art->photos = arena_zalloc(a, (n + 1) * sizeof(*art->photos));
    art->nphotos = 0;
    for (size_t i = 0; i < n; i++)
        if (store_call(nr_ctx.store, photo_get, ids[i], a, &art->photos[art->nphotos]) == STORE_OK)
            art->nphotos++;
    n = ids_from(rev->sections, ids, NR_SECTIONS_MAX);
    art->extra_sections = arena_zalloc(a, (n + 1) * sizeof(int64_t));
    art->nextra_sections = 0;
    for (size_t i = 0; i < n; i++)
        if (site_section_find(secs, ids[i]) >= 0 && ids[i] != art->section_id)
            art->extra_sections[art->nextra_sections++] = ids[i];
}

static int
restore(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct store_article cur;
    struct store_revision rev;
    struct site_sections secs;
    int st;
    if ((st = nr_guard_article(r, STAFF_WRITE, &u, &cur)) != 0 ||
        (st = load_revision(r, &u, &cur, http_param(r, "rev"), &rev)) != 0)
        return st;
    if (!may_restore(&u, &cur))
        return nr_refuse(r, &u, 403, "only an editor can change a scheduled or published article",
                         revisions_url(r, cur.id), "The article's revisions");
    long v = 0;
    const char *vs = nr_field(r, "version");
    if (parse_long(vs, strlen(vs), 1, 1L << 30, &v) != 0 || v != cur.version)
        return nr_refuse(r, &u, 409,
                         "the article changed since you opened its revisions; open them "
                         "again and choose again",
                         revisions_url(r, cur.id), "The article's revisions");
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    struct store_article art = cur;
    art.headline = rev.headline;
    art.summary = rev.summary;
    art.body = rev.body;
    art.slug = rev.slug;
    if (site_section_find(&secs, rev.section_id) >= 0)
        art.section_id = rev.section_id;
    restore_relations(r, &secs, &rev, &art);
    art.saved_by = u.id;
    art.save_note = arena_printf(http_arena(r), "restored version %d", rev.version);
    int rc = store_call(nr_ctx.store, article_save, &art);
    if (rc == STORE_CONFLICT)
        return nr_refuse(r, &u, 409, "the article changed meanwhile; open its revisions again",
                         revisions_url(r, cur.id), "The article's revisions");
    if (rc != STORE_OK)
        return http_error(r, 503, NULL);
    if (site_article_visible(&cur, time_now())) {
        nr_purge_article(&cur, &art);
        newsroom_audit(r, &u, "restore",
                       arena_printf(http_arena(r), "article %lld: %s", (long long)art.id,
                                    art.headline),
                       art.save_note);
    }
    return nr_done(r, arena_printf(http_arena(r), "/newsroom/articles/%lld", (long long)art.id),
                   "restored");
}

void
nr_revision_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/articles/:id/revisions", 0, revisions, NULL);
    http_route(srv, HTTP_GET, "/newsroom/articles/:id/diff", 0, diff_page, NULL);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/revisions/:rev/restore", 0, restore, NULL);
}
