/*
 * Author profiles: name, address (slug), job title, e-mail, biography and
 * portrait. Every article page of an author carries the "au:<id>" cache key,
 * so a change reaches their bylines at once.
 */
#include "newsroom/newsroom_int.h"

#include <stdlib.h>
#include <string.h>

/* The form and the save in progress, in the request's arena (a new
 * portrait is processed on a worker between the checks and the save). */
struct author_form {
    struct staff_user u;
    struct store_author au;
    bool remove_photo;
    const struct http_file *file;
    json_t *errors;
    struct nr_upload up;
};

static void
form_error(struct author_form *f, const char *field, const char *msg)
{
    if (f->errors == NULL)
        f->errors = json_object();
    if (json_object_get(f->errors, field) == NULL)
        json_object_set_new(f->errors, field, json_string(msg));
}

static bool
email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    if (e[0] == '\0')
        return true; /* optional */
    if (at == NULL || at == e || strchr(at + 1, '@') || !strchr(at, '.') || strlen(e) > 200)
        return false;
    for (const char *p = e; *p; p++)
        if (*p == ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',')
            return false;
    return at[strlen(at) - 1] != '.';
}

static char *
text(struct http_req *r, struct author_form *f, const char *name, long max, const char *msg)
{
    char *v = nr_clean(r, nr_field(r, name), false);
    if (v == NULL || text_length(v, strlen(v)) > max) {
        form_error(f, name, msg);
        return v ? v : arena_strdup(http_arena(r), "");
    }
    return v;
}

static void
read_form(struct http_req *r, struct author_form *f)
{
    f->au.name = text(r, f, "name", 100, "the name may have at most 100 characters");
    if (f->au.name[0] == '\0')
        form_error(f, "name", "enter the author's name");
    f->au.role = text(r, f, "role", 100, "the job title may have at most 100 characters");
    f->au.email = text(r, f, "email", 200, "the e-mail address is too long");
    if (!email_ok(f->au.email))
        form_error(f, "email", "enter an e-mail address such as name@example.com, or leave it empty");
    f->au.bio = text(r, f, "bio", 2000, "the biography may have at most 2000 characters");
    const char *typed = nr_field(r, "slug");
    const char *from = typed[0] ? typed : f->au.name;
    char *slug = slug_make(from, strlen(from), 80);
    f->au.slug = arena_strdup(http_arena(r), slug);
    free(slug);
    if (f->au.slug[0] == '\0')
        form_error(f, "slug", "the address needs at least one letter or digit");
    f->remove_photo = nr_field(r, "remove_photo")[0] != '\0';
    f->file = http_file(r, "photo_file");
}

static json_t *
author_json(struct http_req *r, const struct store_author *au)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)au->id, "name",
                          au->name ? au->name : "", "slug", au->slug ? au->slug : "", "role",
                          au->role ? au->role : "", "email", au->email ? au->email : "", "bio",
                          au->bio ? au->bio : "", "public_url",
                          arena_printf(http_arena(r), "/author/%s", au->slug ? au->slug : ""));
    struct store_photo p;
    if (au->photo_id &&
        store_call(nr_ctx.store, photo_get, au->photo_id, http_arena(r), &p) == STORE_OK)
        json_object_set_new(j, "photo", site_photo_json(&p));
    return j;
}

static int
authors_list(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE | STAFF_PUBLISH, &u);
    if (st)
        return st;
    struct store_author *all;
    size_t n = 0;
    if (store_call(nr_ctx.store, author_list, http_arena(r), &all, &n) != STORE_OK)
        return http_error(r, 503, NULL);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, author_json(r, &all[i]));
    return newsroom_render(r, &u, "newsroom/authors.html",
                           json_pack("{s:s, s:o}", "title", "Authors", "authors", list));
}

static int
author_page(struct http_req *r, const struct staff_user *u, const struct store_author *au,
            json_t *errors, int status)
{
    json_t *data = json_pack("{s:s, s:o, s:b, s:o, s:s}", "title",
                             au->id ? "Edit author" : "New author", "author", author_json(r, au),
                             "is_new", au->id == 0, "errors",
                             errors ? json_incref(errors) : json_object(), "action",
                             au->id ? arena_printf(http_arena(r), "/newsroom/authors/%lld",
                                                   (long long)au->id)
                                    : "/newsroom/authors");
    int rc = newsroom_render(r, u, "newsroom/author.html", data);
    return rc == 200 ? status : rc;
}

static int
load_author(struct http_req *r, const struct staff_user *u, struct store_author *au)
{
    int64_t id = nr_id(http_param(r, "id"));
    int st = id ? store_call(nr_ctx.store, author_get, id, NULL, http_arena(r), au) : STORE_NOTFOUND;
    if (st == STORE_NOTFOUND)
        return nr_refuse(r, u, 404, "there is no such author", "/newsroom/authors", "All authors");
    return st == STORE_OK ? 0 : http_error(r, 503, NULL);
}

static int
author_form_page(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_WRITE | STAFF_PUBLISH, &u);
    if (st)
        return st;
    struct store_author au = {0};
    if (http_param(r, "id") && (st = load_author(r, &u, &au)) != 0)
        return st;
    return author_page(r, &u, &au, NULL, 200);
}

/* The page with what to fix, or the way back to the profile. */
static int
author_answer(struct http_req *r, struct author_form *f)
{
    if (f->errors) {
        int st = author_page(r, &f->u, &f->au, f->errors, 422);
        json_decref(f->errors);
        f->errors = NULL;
        return st;
    }
    nr_purge(arena_printf(http_arena(r), "au:%lld", (long long)f->au.id));
    newsroom_audit(r, &f->u, "author", f->au.name, f->au.slug);
    return nr_done(r, arena_printf(http_arena(r), "/newsroom/authors/%lld", (long long)f->au.id),
                   "author");
}

/* Saves the profile (with its new portrait, undone on failure) and answers. */
static int
save_author(struct http_req *r, struct author_form *f, const struct store_photo *added)
{
    int rc = store_call(nr_ctx.store, author_save, &f->au);
    if (rc != STORE_OK && added)
        nr_photo_discard(added);
    if (rc == STORE_CONFLICT)
        form_error(f, "slug", "another author has this address; change it");
    else if (rc != STORE_OK)
        form_error(f, "name", "the profile could not be saved; try again");
    return author_answer(r, f);
}

/* After the portrait was stored (on a worker), or why it was not. */
static int
save_with_portrait(struct http_req *r, struct nr_upload *up)
{
    struct author_form *f = up->ctx;
    if (up->err) {
        form_error(f, "photo_file", up->err);
        return author_answer(r, f);
    }
    f->au.photo_id = up->photo.id;
    return save_author(r, f, &up->photo);
}

static void
form_release(void *p)
{
    struct author_form *f = p;
    json_decref(f->errors);
    f->errors = NULL;
}

static int
author_write(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct author_form *f = arena_zalloc(http_arena(r), sizeof(*f));
    int st = newsroom_guard(r, STAFF_WRITE | STAFF_PUBLISH, &f->u);
    if (st)
        return st;
    if (http_param(r, "id") && (st = load_author(r, &f->u, &f->au)) != 0)
        return st;
    read_form(r, f);
    if (f->errors)
        return author_answer(r, f);
    if (f->file == NULL) {
        if (f->remove_photo)
            f->au.photo_id = 0;
        return save_author(r, f, NULL);
    }
    struct nr_upload *up = &f->up;
    up->file = f->file;
    up->caption = f->au.name;
    up->credit = "";
    up->alt = arena_printf(http_arena(r), "Portrait of %s", f->au.name);
    up->then = save_with_portrait;
    up->release = form_release;
    up->ctx = f;
    return nr_photo_upload(r, up);
}

void
nr_author_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/authors", 0, authors_list, NULL);
    http_route(srv, HTTP_GET, "/newsroom/authors/new", 0, author_form_page, NULL);
    http_route(srv, HTTP_POST, "/newsroom/authors", HTTP_ROUTE_UPLOAD, author_write, NULL);
    http_route(srv, HTTP_GET, "/newsroom/authors/:id", 0, author_form_page, NULL);
    http_route(srv, HTTP_POST, "/newsroom/authors/:id", HTTP_ROUTE_UPLOAD, author_write, NULL);
}
