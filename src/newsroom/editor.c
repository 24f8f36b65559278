/*
 * The editor's handlers: a new article, editing, saving with the workflow
 * actions (ready, back to draft, publish, schedule, unpublish), autosave,
 * and the preview rendered by the public article page's own code.
 *
 * A save names the version it edits; when another save came first, the
 * person sees both versions side by side and nothing is overwritten. A
 * save with a photo stores the photo first and removes it again if the
 * article could not be saved, so a failure leaves disk and store as they
 * were.
 */
#include "newsroom/newsroom_int.h"

#include <string.h>

#include "render/render.h"

enum action { ACT_SAVE, ACT_READY, ACT_DRAFT, ACT_PUBLISH, ACT_SCHEDULE, ACT_UNPUBLISH };

static const char *const action_notes[] = {"saved", "marked ready", "back to draft",
                                           "published", "scheduled", "unpublished"};

static int
editor_page(struct http_req *r, const struct staff_user *u, const struct site_sections *secs,
            const struct store_article *cur, const struct draft *d, int status, json_t *extra)
{
    json_t *data = draft_json(r, u, secs, cur, d);
    if (extra)
        json_object_update(data, extra);
    json_decref(extra);
    int rc = newsroom_render(r, u, "newsroom/editor.html", data);
    return rc == 200 ? status : rc;
}

int
nr_editor_show(struct http_req *r, const struct staff_user *u, const struct store_article *cur,
               int status, json_t *extra)
{
    struct site_sections secs;
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0) {
        json_decref(extra);
        return http_error(r, 503, NULL);
    }
    struct draft d;
    draft_from_article(r, cur, &d);
    return editor_page(r, u, &secs, cur, &d, status, extra);
}

static int
article_new(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE, &u);
    if (st)
        return st;
    struct site_sections secs;
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    char *none = (char *)"";
    struct store_article blank = {.headline = none, .summary = none, .body = none, .slug = none,
                                  .credit = none};
    struct draft d;
    draft_from_article(r, &blank, &d);
    d.section_id = nr_id(http_query(r, "section"));
    if (d.section_id == 0 && secs.n)
        d.section_id = secs.items[0].id;
    return editor_page(r, &u, &secs, NULL, &d, 200, NULL);
}

static int
article_edit(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct store_article cur;
    struct site_sections secs;
    int st = nr_guard_article(r, STAFF_WRITE, &u, &cur);
    if (st)
        return st;
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    struct draft d;
    draft_from_article(r, &cur, &d);
    return editor_page(r, &u, &secs, &cur, &d, 200, NULL);
}

/* --- checks --- */

/* What the action requires of the article; problems go into d. */
static void
check_action(const struct staff_user *u, const struct store_article *cur, enum action act,
             struct draft *d)
{
    enum store_article_status s = cur ? cur->status : ARTICLE_DRAFT;
    bool pub = (u->caps & STAFF_PUBLISH) != 0;
    if ((s == ARTICLE_PUBLISHED || s == ARTICLE_SCHEDULED) && !pub)
        draft_error(d, "status",
                    "only an editor can change a scheduled or published article; your changes "
                    "are kept below but not saved");
    if ((act == ACT_PUBLISH || act == ACT_SCHEDULE) && d->body[0] == '\0')
        draft_error(d, "body", "write the article's text before it is published");
    if ((act == ACT_PUBLISH || act == ACT_SCHEDULE) && s == ARTICLE_PUBLISHED)
        draft_error(d, "status", "the article is already published");
    if (act == ACT_SCHEDULE && d->publish_at == 0)
        draft_error(d, "publish_at", "choose the date and time it should go live");
    else if (act == ACT_SCHEDULE && d->publish_at <= time_now())
        draft_error(d, "publish_at", "choose a time in the future, or publish it now");
    if (act == ACT_READY && s != ARTICLE_DRAFT && s != ARTICLE_UNPUBLISHED)
        draft_error(d, "status", "only a draft can be marked ready for editing");
    if (act == ACT_DRAFT && s != ARTICLE_READY && s != ARTICLE_SCHEDULED)
        draft_error(d, "status", "only an article ready for editing or scheduled goes back to draft");
    if (act == ACT_UNPUBLISH && s != ARTICLE_PUBLISHED)
        draft_error(d, "status", "only a published article can be unpublished");
}

/* The new status and times after the action. */
static void
apply_action(const struct store_article *cur, enum action act, const struct draft *d,
             struct store_article *art)
{
    int64_t now = time_now();
    enum store_article_status was = cur ? cur->status : ARTICLE_DRAFT;
    switch (act) {
    case ACT_SAVE:
        if (was == ARTICLE_PUBLISHED && d->substantive)
            art->updated_at = now;
        break;
    case ACT_READY:
        art->status = ARTICLE_READY;
        break;
    case ACT_DRAFT:
        if (was == ARTICLE_SCHEDULED)
            art->published_at = 0;
        art->status = ARTICLE_DRAFT;
        break;
    case ACT_PUBLISH:
        /* a republished article keeps its first publication time */
        if (was != ARTICLE_UNPUBLISHED || art->published_at == 0)
            art->published_at = now;
        art->status = ARTICLE_PUBLISHED;
        break;
    case ACT_SCHEDULE:
        art->published_at = d->publish_at;
        art->status = ARTICLE_SCHEDULED;
        break;
    case ACT_UNPUBLISH:
        art->status = ARTICLE_UNPUBLISHED;
        break;
    }
}

/* --- conflicts --- */

static json_t *
conflict_json(struct http_req *r, const struct store_article *theirs, const struct draft *mine)
{
    struct store_revision *revs;
    size_t n = 0;
    const char *who = "someone";
    if (store_call(nr_ctx.store, revision_list, theirs->id, http_arena(r), &revs, &n) ==
            STORE_OK &&
        n && revs[0].user_name[0])
        who = revs[0].user_name;
    struct diff dh, ds, db;
    diff_words(theirs->headline, strlen(theirs->headline), mine->headline, strlen(mine->headline),
               4000000, &dh);
    diff_words(theirs->summary, strlen(theirs->summary), mine->summary, strlen(mine->summary),
               4000000, &ds);
    diff_words(theirs->body, strlen(theirs->body), mine->body, strlen(mine->body), 4000000, &db);
    json_t *j = json_pack("{s:s, s:I, s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "who", who,
                          "saved_at", (json_int_t)theirs->saved_at, "version", theirs->version,
                          "status_label", nr_status_label(theirs->status), "headline",
                          theirs->headline, "summary", theirs->summary, "body", theirs->body,
                          "diff_headline", diff_json(&dh), "diff_summary", diff_json(&ds),
                          "diff_body", diff_json(&db));
    diff_release(&dh);
    diff_release(&ds);
    diff_release(&db);
    return j;
}

/* Shows what the other person saved beside what this one typed; the form
 * now carries the latest version, so saving again is a decision. */
static int
conflict_page(struct http_req *r, const struct staff_user *u, const struct site_sections *secs,
              struct draft *d)
{
    struct store_article theirs;
    if (nr_article_param(r, &theirs) != 0)
        return http_error(r, 503, NULL);
    json_t *c = conflict_json(r, &theirs, d);
    d->version = theirs.version;
    draft_error(d, "version",
                "this article was changed by someone else while you were editing; compare "
                "both versions below, then save again to keep yours");
    return editor_page(r, u, secs, &theirs, d, 409, json_pack("{s:o}", "conflict", c));
}

/* --- saving --- */

static void
update_photo_texts(const struct draft *d)
{
    for (size_t i = 0; i < d->nphotos; i++) {
        const struct draft_photo *p = &d->photos[i];
        const struct store_photo *s = p->stored;
        if (p->remove || (strcmp(p->caption, s->caption) == 0 &&
                          strcmp(p->credit, s->credit) == 0 && strcmp(p->alt, s->alt) == 0))
            continue;
        struct store_photo up = *s;
        up.caption = p->caption;
        up.credit = p->credit;
        up.alt = p->alt;
        store_call(nr_ctx.store, photo_save, &up);
    }
}

/* Records what changed what readers see. */
static void
after_save(struct http_req *r, const struct staff_user *u, const struct store_article *cur,
           const struct store_article *art, enum action act)
{
    int64_t now = time_now();
    bool before = site_article_visible(cur, now), after = site_article_visible(art, now);
    if (before || after)
        nr_purge_article(before ? cur : NULL, after ? art : NULL);
    const char *subject = arena_printf(http_arena(r), "article %lld: %s", (long long)art->id,
                                       art->headline);
    if (act == ACT_PUBLISH || act == ACT_UNPUBLISH)
        newsroom_audit(r, u, action_notes[act], subject, NULL);
    else if (act == ACT_SCHEDULE) {
        char when[32];
        time_iso8601(art->published_at, when);
        newsroom_audit(r, u, "schedule", subject, when);
    } else if (before && after)
        newsroom_audit(r, u, "update", subject, art->updated_at == now ? "substantive" : "minor");
    if (act == ACT_SCHEDULE || (cur && cur->status == ARTICLE_SCHEDULED))
        nr_scheduler_kick();
}

static const char *
done_message(const struct store_article *cur, enum action act)
{
    static const char *const msgs[] = {"saved", "ready", "draft", "published", "scheduled",
                                       "unpublished"};
    if (cur == NULL)
        return "created";
    if (act == ACT_SAVE && cur->status == ARTICLE_PUBLISHED)
        return "updated";
    return msgs[act];
}

/* A save in progress, in the request's arena: with a new photo, the
 * photo's processing runs on a worker between the checks and the save
 * (nr_photo_upload), and the save resumes from here. */
struct save {
    enum action act;
    struct staff_user u;
    struct store_article curbuf;
    struct store_article *cur; /* NULL for a new article */
    struct site_sections secs;
    struct draft d;
    struct store_article art;
    struct nr_upload up;
};

/* Saves the article (with the new photo, if any) and answers. */
static int
save_finish(struct http_req *r, struct save *sv, int sst)
{
    int rc = 0;
    if (sst == STORE_OK)
        sst = draft_tags(r, &sv->d, &sv->art) == 0
                  ? store_call(nr_ctx.store, article_save, &sv->art)
                  : STORE_ERROR;
    if (sst != STORE_OK && sv->up.photo.id)
        nr_photo_discard(&sv->up.photo);
    if (sst == STORE_INVALID)
        rc = editor_page(r, &sv->u, &sv->secs, sv->cur, &sv->d, 422, NULL);
    else if (sst == STORE_CONFLICT)
        rc = conflict_page(r, &sv->u, &sv->secs, &sv->d);
    else if (sst != STORE_OK) {
        draft_error(&sv->d, "status", "the article could not be saved; try again in a moment");
        rc = editor_page(r, &sv->u, &sv->secs, sv->cur, &sv->d, 503, NULL);
    }
    if (rc == 0) {
        update_photo_texts(&sv->d);
        after_save(r, &sv->u, sv->cur, &sv->art, sv->act);
        rc = nr_done(r,
                     arena_printf(http_arena(r), "/newsroom/articles/%lld", (long long)sv->art.id),
                     done_message(sv->cur, sv->act));
    }
    return rc;
}

/* After the new photo was stored, or why it was not. */
static int
save_with_photo(struct http_req *r, struct nr_upload *up)
{
    struct save *sv = up->ctx;
    if (up->err) {
        draft_error(&sv->d, "photo_file", up->err);
        return save_finish(r, sv, STORE_INVALID);
    }
    sv->art.photos[sv->art.nphotos++] = up->photo;
    return save_finish(r, sv, STORE_OK);
}

static void
save_release(void *p)
{
    struct save *sv = p;
    draft_release(&sv->d);
}

/* The checks before anything is stored; 0, or the status of the page that
 * says what to fix. */
static int
save_check(struct http_req *r, struct save *sv)
{
    unsigned need = STAFF_WRITE;
    if (sv->act == ACT_PUBLISH || sv->act == ACT_SCHEDULE || sv->act == ACT_UNPUBLISH)
        need |= STAFF_PUBLISH;
    int st = newsroom_guard(r, need, &sv->u);
    if (st)
        return st;
    if (http_param(r, "id")) {
        if ((st = nr_article_param(r, &sv->curbuf)) != 0)
            return st;
        sv->cur = &sv->curbuf;
    }
    if (site_sections_load(nr_ctx.site, http_arena(r), &sv->secs) != 0)
        return http_error(r, 503, NULL);
    draft_from_form(r, &sv->secs, sv->cur, &sv->d);
    check_action(&sv->u, sv->cur, sv->act, &sv->d);
    if (sv->d.errors)
        return editor_page(r, &sv->u, &sv->secs, sv->cur, &sv->d, 422, NULL);
    if (sv->cur && sv->cur->version != sv->d.version)
        return conflict_page(r, &sv->u, &sv->secs, &sv->d);
    return 0;
}

/* The editor's form posted with an action (ctx: the enum action). */
static int
editor_post(struct http_req *r, void *ctx)
{
    enum action act = *(const enum action *)ctx;
    struct save *sv = arena_zalloc(http_arena(r), sizeof(*sv));
    sv->act = act;
    int rc = save_check(r, sv);
    if (rc) {
        draft_release(&sv->d);
        return rc;
    }
    draft_apply(r, &sv->d, sv->cur, &sv->art);
    apply_action(sv->cur, act, &sv->d, &sv->art);
    sv->art.saved_by = sv->u.id;
    sv->art.save_note = action_notes[act];
    if (sv->d.file == NULL) {
        rc = save_finish(r, sv, STORE_OK);
        draft_release(&sv->d);
        return rc;
    }
    struct nr_upload *up = &sv->up;
    up->file = sv->d.file;
    up->caption = sv->d.new_caption;
    up->credit = sv->d.new_credit;
    up->alt = sv->d.new_alt;
    up->then = save_with_photo;
    up->release = save_release;
    up->ctx = sv;
    return nr_photo_upload(r, up);
}

/* Unpublishing changes only the status: the form's version must be current. */
static int
article_unpublish(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE | STAFF_PUBLISH, &u);
    if (st)
        return st;
    struct store_article cur;
    if ((st = nr_article_param(r, &cur)) != 0)
        return st;
    long v = 0;
    const char *vs = nr_field(r, "version");
    const char *base = arena_printf(http_arena(r), "/newsroom/articles/%lld", (long long)cur.id);
    if (cur.status != ARTICLE_PUBLISHED)
        return nr_refuse(r, &u, 409, "only a published article can be unpublished", base,
                         "Back to the article");
    if (parse_long(vs, strlen(vs), 1, 1L << 30, &v) != 0 || v != cur.version)
        return nr_refuse(r, &u, 409,
                         "the article changed since you opened it; open it again, check the "
                         "changes and try again",
                         base, "Back to the article");
    struct store_article art = cur;
    art.status = ARTICLE_UNPUBLISHED;
    art.saved_by = u.id;
    art.save_note = "unpublished";
    int rc = store_call(nr_ctx.store, article_save, &art);
    if (rc == STORE_CONFLICT)
        return http_error(r, 409, "the article changed since you opened it; reload it and try again");
    if (rc != STORE_OK)
        return http_error(r, 503, NULL);
    after_save(r, &u, &cur, &art, ACT_UNPUBLISH);
    return nr_done(r, base, "unpublished");
}

/* --- autosave: JSON for the editor's script --- */

static int
autosave_refused(struct http_req *r, int status, const char *message)
{
    return nr_json(r, status, json_pack("{s:b, s:s}", "ok", 0, "message", message));
}

static int
article_autosave(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE, &u);
    if (st)
        return st;
    struct store_article cur;
    struct site_sections secs;
    if ((st = nr_article_param(r, &cur)) != 0)
        return st;
    if (cur.status == ARTICLE_PUBLISHED || cur.status == ARTICLE_SCHEDULED)
        return autosave_refused(r, 409, "Autosave is off for published and scheduled articles: "
                                        "use Update to change what readers see.");
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    struct draft d;
    draft_from_form(r, &secs, &cur, &d);
    if (d.file)
        draft_error(&d, "photo_file", "photos are added with Save");
    if (d.errors) {
        json_t *body = json_pack("{s:b, s:s, s:O}", "ok", 0, "message",
                                 "Not saved automatically: fix the marked fields.", "errors",
                                 d.errors);
        draft_release(&d);
        return nr_json(r, 422, body);
    }
    struct store_article art;
    draft_apply(r, &d, &cur, &art);
    art.saved_by = u.id;
    art.save_note = "autosave";
    int rc = draft_tags(r, &d, &art) == 0 ? store_call(nr_ctx.store, article_save, &art)
                                          : STORE_ERROR;
    if (rc == STORE_CONFLICT)
        return autosave_refused(r, 409,
                                "Someone else saved this article while you were editing; your "
                                "latest changes are not saved. Press Save to compare both "
                                "versions.");
    if (rc != STORE_OK)
        return autosave_refused(r, 503, "Autosave failed; your text is still here. Try Save.");
    update_photo_texts(&d);
    char when[40];
    time_human(time_now(), nr_ctx.site->cfg.tz_minutes, when);
    return nr_json(r, 200, json_pack("{s:b, s:i, s:s}", "ok", 1, "version", art.version,
                                     "message", arena_printf(http_arena(r), "Saved at %s", when)));
}

/* --- preview: the public page's code on the unsaved text --- */

static void
preview_relations(struct http_req *r, const struct draft *d, struct store_article *art)
{
    struct arena *a = http_arena(r);
    art->authors = arena_zalloc(a, (d->nauthors ? d->nauthors : 1) * sizeof(*art->authors));
    art->nauthors = 0;
    for (size_t i = 0; i < d->nauthors; i++)
        if (store_call(nr_ctx.store, author_get, d->authors[i], NULL, a,
                       &art->authors[art->nauthors]) == STORE_OK)
            art->nauthors++;
    art->tags = arena_zalloc(a, NR_TAGS_MAX * sizeof(*art->tags));
    art->ntags = 0;
    const char *p = d->tags;
    while (*p && art->ntags < NR_TAGS_MAX) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *name = nr_clean(r, arena_strndup(a, p, len), false);
        char *slug = name ? slug_make(name, strlen(name), 80) : NULL;
        if (slug && slug[0]) {
            art->tags[art->ntags].name = name;
            art->tags[art->ntags++].slug = arena_strdup(a, slug);
        }
        free(slug);
        p = comma ? comma + 1 : p + len;
    }
}

static int
preview(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE, &u);
    if (st)
        return st;
    struct store_article curbuf, *cur = NULL;
    if (http_param(r, "id")) {
        if ((st = nr_article_param(r, &curbuf)) != 0)
            return st;
        cur = &curbuf;
    }
    struct site_sections secs;
    if (site_sections_load(nr_ctx.site, http_arena(r), &secs) != 0)
        return http_error(r, 503, NULL);
    struct draft d;
    draft_from_form(r, &secs, cur, &d);
    draft_release(&d);
    struct store_article art;
    draft_apply(r, &d, cur, &art);
    preview_relations(r, &d, &art);
    if (art.slug[0] == '\0')
        art.slug = (char *)"preview";
    if (art.published_at == 0 || art.status != ARTICLE_PUBLISHED)
        art.published_at = time_now();
    json_t *aj = site_article_json(nr_ctx.site, &secs, &art, http_arena(r));
    const char *accept = http_header(r, "accept");
    if (accept && strstr(accept, "application/json"))
        return nr_json(r, 200, aj);
    json_t *data = site_page_data(nr_ctx.site, &secs, art.headline, NULL);
    json_object_set_new(json_object_get(data, "page"), "robots", json_string("noindex"));
    json_object_set_new(data, "article", aj);
    json_object_set_new(data, "preview",
                        json_string("Preview: not published. This is how readers will see it."));
    http_no_store(r);
    return site_render(nr_ctx.site, r, "article.html", data);
}

void
nr_editor_routes(struct http_server *srv)
{
    const unsigned up = HTTP_ROUTE_UPLOAD;
    http_route(srv, HTTP_GET, "/newsroom/articles/new", 0, article_new, NULL);
    static const enum action save = ACT_SAVE, ready = ACT_READY, draft = ACT_DRAFT,
                             publish = ACT_PUBLISH, schedule = ACT_SCHEDULE;
    http_route(srv, HTTP_POST, "/newsroom/articles", up, editor_post, (void *)&save);
    http_route(srv, HTTP_POST, "/newsroom/preview", up, preview, NULL);
    http_route(srv, HTTP_GET, "/newsroom/articles/:id", 0, article_edit, NULL);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id", up, editor_post, (void *)&save);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/ready", up, editor_post, (void *)&ready);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/draft", up, editor_post, (void *)&draft);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/publish", up, editor_post, (void *)&publish);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/schedule", up, editor_post, (void *)&schedule);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/unpublish", up, article_unpublish, NULL);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/autosave", up, article_autosave, NULL);
    http_route(srv, HTTP_POST, "/newsroom/articles/:id/preview", up, preview, NULL);
}
