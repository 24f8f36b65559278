/*
 * Sections: a tree (National > Politics). Editors add, rename, move and
 * order them; a section still holding articles or sub-sections cannot be
 * deleted. Every change reaches the navigation of every page, so the
 * "sections" cache key goes.
 */
#include "newsroom/newsroom_int.h"

#include <stdlib.h>
#include <string.h>

struct section_form {
    char *name;
    char *slug;
    char *description;
    int64_t parent_id;
    long position;
    json_t *errors;
};

static void
form_error(struct section_form *f, const char *field, const char *msg)
{
    if (f->errors == NULL)
        f->errors = json_object();
    if (json_object_get(f->errors, field) == NULL)
        json_object_set_new(f->errors, field, json_string(msg));
}

/* Whether candidate is id or lies below it (moving id there makes a cycle). */
static bool
within(const struct site_sections *secs, int64_t candidate, int64_t id)
{
    for (int depth = 0; candidate && depth < 16; depth++) {
        if (candidate == id)
            return true;
        long k = site_section_find(secs, candidate);
        candidate = k >= 0 ? secs->items[k].parent_id : 0;
    }
    return false;
}

static int
depth_of(const struct site_sections *secs, int64_t id)
{
    int depth = 0;
    for (long k = site_section_find(secs, id); k >= 0 && depth < 16; depth++)
        k = secs->items[k].parent_id ? site_section_find(secs, secs->items[k].parent_id) : -1;
    return depth;
}

static void
read_form(struct http_req *r, const struct site_sections *secs, int64_t id, struct section_form *f)
{
    memset(f, 0, sizeof(*f));
    f->name = nr_clean(r, nr_field(r, "name"), false);
    f->description = nr_clean(r, nr_field(r, "description"), false);
    if (f->name == NULL || f->name[0] == '\0' || text_length(f->name, strlen(f->name)) > 80) {
        form_error(f, "name", "give the section a name of at most 80 characters");
        f->name = f->name ? f->name : (char *)"";
    }
    if (f->description == NULL || text_length(f->description, strlen(f->description)) > 500) {
        form_error(f, "description", "the description may have at most 500 characters");
        f->description = f->description ? f->description : (char *)"";
    }
    const char *typed = nr_field(r, "slug");
    char *slug = slug_make(typed[0] ? typed : f->name, strlen(typed[0] ? typed : f->name), 80);
    f->slug = arena_strdup(http_arena(r), slug);
    free(slug);
    if (f->slug[0] == '\0')
        form_error(f, "slug", "the address needs at least one letter or digit");
    f->parent_id = nr_id(nr_field(r, "parent"));
    if (f->parent_id && site_section_find(secs, f->parent_id) < 0)
        form_error(f, "parent", "choose a parent section from the list");
    else if (f->parent_id && id && within(secs, f->parent_id, id))
        form_error(f, "parent", "a section cannot be placed inside itself or its sub-sections");
    else if (f->parent_id && depth_of(secs, f->parent_id) >= 3)
        form_error(f, "parent", "sections go at most three levels deep");
    const char *pos = nr_field(r, "position");
    if (pos[0] == '\0')
        f->position = 0;
    else if (parse_long(pos, strlen(pos), 0, 1000, &f->position) != 0)
        form_error(f, "position", "the order is a number from 0 to 1000");
}

static json_t *
form_json(const struct section_form *f)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:i}", "name", f->name, "slug", f->slug,
                     "description", f->description, "parent_id", (json_int_t)f->parent_id,
                     "position", (int)f->position);
}

static int
sections_page(struct http_req *r, const struct staff_user *u, const struct site_sections *secs,
              const struct section_form *newf, int status)
{
    json_t *tree = nr_sections_json(r, secs, newf ? newf->parent_id : 0, NULL, 0);
    size_t i;
    json_t *s;
    json_array_foreach(tree, i, s)
    {
        long k = site_section_find(secs, json_integer_value(json_object_get(s, "id")));
        json_object_set_new(s, "position", json_integer(k >= 0 ? secs->items[k].position : 0));
        json_object_set_new(s, "description", json_string(k >= 0 ? secs->items[k].description : ""));
    }
    /* the new section's parent may be any of them */
    json_t *data =
        json_pack("{s:s, s:o, s:O}", "title", "Sections", "sections", tree, "parents", tree);
    if (newf) {
        json_object_set_new(data, "form", form_json(newf));
        json_object_set_new(data, "errors", newf->errors ? json_incref(newf->errors) : json_object());
    }
    int rc = newsroom_render(r, u, "newsroom/sections.html", data);
    return rc == 200 ? status : rc;
}

/* Lets in staff who publish, loads the sections and, when the route names
 * one, finds the section of :id (*id 0 otherwise); 0 or the status answered. */
static int
section_begin(struct http_req *r, struct staff_user *u, struct site_sections *secs, int64_t *id)
{
    int st = newsroom_guard(r, STAFF_WRITE | STAFF_PUBLISH, u);
    if (st)
        return st;
    *id = 0;
    if (site_sections_load(nr_ctx.site, http_arena(r), secs) != 0)
        return http_error(r, 503, NULL);
    if (http_param(r, "id") == NULL)
        return 0;
    *id = nr_id(http_param(r, "id"));
    if (*id == 0 || site_section_find(secs, *id) < 0)
        return nr_refuse(r, u, 404, "there is no such section", "/newsroom/sections",
                         "All sections");
    return 0;
}

static int
sections_list(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct site_sections secs;
    int64_t id;
    int st = section_begin(r, &u, &secs, &id);
    return st ? st : sections_page(r, &u, &secs, NULL, 200);
}

static int
section_edit_page(struct http_req *r, const struct staff_user *u, const struct site_sections *secs,
                  int64_t id, const struct section_form *f, int status)
{
    /* the parents a section may move under: not itself nor what is below it */
    json_t *all = nr_sections_json(r, secs, f->parent_id, NULL, 0);
    json_t *parents = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(all, i, s)
        if (!within(secs, json_integer_value(json_object_get(s, "id")), id))
            json_array_append(parents, s);
    json_decref(all);
    long k = site_section_find(secs, id);
    json_t *data = json_pack("{s:s, s:I, s:s, s:o, s:o, s:o}", "title", "Edit section", "id",
                             (json_int_t)id, "url",
                             arena_printf(http_arena(r), "/%s/", secs->paths[k]), "form",
                             form_json(f), "parents", parents, "errors",
                             f->errors ? json_incref(f->errors) : json_object());
    int rc = newsroom_render(r, u, "newsroom/section.html", data);
    return rc == 200 ? status : rc;
}

static int
section_edit(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct site_sections secs;
    int64_t id;
    int st = section_begin(r, &u, &secs, &id);
    if (st)
        return st;
    const struct store_section *sec = &secs.items[site_section_find(&secs, id)];
    struct section_form f = {.name = sec->name, .slug = sec->slug, .description = sec->description,
                             .parent_id = sec->parent_id, .position = sec->position};
    return section_edit_page(r, &u, &secs, id, &f, 200);
}

static int
section_write(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct site_sections secs;
    int64_t id;
    int st = section_begin(r, &u, &secs, &id);
    if (st)
        return st;
    struct section_form f;
    read_form(r, &secs, id, &f);
    struct store_section sec = {.id = id, .parent_id = f.parent_id, .slug = f.slug, .name = f.name,
                                .description = f.description, .position = (int)f.position};
    int rc = f.errors ? STORE_INVALID : store_call(nr_ctx.store, section_save, &sec);
    if (rc == STORE_CONFLICT)
        form_error(&f, "slug", "another section under the same parent has this address");
    else if (rc != STORE_OK && rc != STORE_INVALID)
        form_error(&f, "name", "the section could not be saved; try again");
    if (f.errors) {
        int out = id ? section_edit_page(r, &u, &secs, id, &f, 422)
                     : sections_page(r, &u, &secs, &f, 422);
        json_decref(f.errors);
        return out;
    }
    nr_purge("sections");
    nr_purge("front");
    nr_purge(arena_printf(http_arena(r), "s:%lld", (long long)sec.id));
    newsroom_audit(r, &u, id ? "section update" : "section add", f.name,
                   arena_printf(http_arena(r), "/%s", f.slug));
    return nr_done(r, "/newsroom/sections", "section");
}

static int
section_delete(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct site_sections secs;
    int64_t id;
    int st = section_begin(r, &u, &secs, &id);
    if (st)
        return st;
    const char *name = secs.items[site_section_find(&secs, id)].name;
    int rc = store_call(nr_ctx.store, section_delete, id);
    if (rc == STORE_CONFLICT)
        return nr_refuse(r, &u, 409,
                         "this section still has articles or sub-sections; move them first",
                         arena_printf(http_arena(r), "/newsroom/sections/%lld", (long long)id),
                         "Back to the section");
    if (rc != STORE_OK)
        return http_error(r, 503, NULL);
    nr_purge("sections");
    nr_purge("front");
    newsroom_audit(r, &u, "section delete", name, NULL);
    return nr_done(r, "/newsroom/sections", "section_deleted");
}

void
nr_section_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/sections", 0, sections_list, NULL);
    http_route(srv, HTTP_POST, "/newsroom/sections", 0, section_write, NULL);
    http_route(srv, HTTP_GET, "/newsroom/sections/:id", 0, section_edit, NULL);
    http_route(srv, HTTP_POST, "/newsroom/sections/:id", 0, section_write, NULL);
    http_route(srv, HTTP_POST, "/newsroom/sections/:id/delete", 0, section_delete, NULL);
}
