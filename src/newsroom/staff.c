/*
 * Staff accounts, for administrators: add (with a one-time password shown
 * once), rename, change role, disable and enable, reset a password. An
 * administrator cannot disable or demote themselves, so the newsroom always
 * keeps one. Every change goes to the audit log; disabling or a new
 * password ends the person's sessions at once.
 */
#include "newsroom/newsroom_int.h"

#include <sodium.h>
#include <string.h>

static json_t *
roles_json(const char *current)
{
    json_t *list = json_array();
    for (size_t i = 0; auth_roles[i]; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", auth_roles[i], "label",
                                              auth_role_label(auth_roles[i]), "selected",
                                              current && strcmp(current, auth_roles[i]) == 0));
    return list;
}

static json_t *
user_json(struct http_req *r, const struct store_user *su)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:s}", "id",
                     (json_int_t)su->id, "login", su->login, "name", su->name, "role", su->role,
                     "role_label", auth_role_label(su->role), "disabled", su->disabled,
                     "must_change", su->must_change, "created_at", (json_int_t)su->created_at,
                     "last_login_at", (json_int_t)su->last_login_at, "url",
                     arena_printf(http_arena(r), "/newsroom/staff/%lld", (long long)su->id));
}

static int
staff_page(struct http_req *r, const struct staff_user *u, json_t *extra, int status)
{
    struct store_user *all;
    size_t n = 0;
    if (store_call(nr_ctx.store, user_list, http_arena(r), &all, &n) != STORE_OK) {
        json_decref(extra);
        return http_error(r, 503, NULL);
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, user_json(r, &all[i]));
    json_t *data = json_pack("{s:s, s:o}", "title", "Staff", "staff", list);
    if (extra)
        json_object_update(data, extra);
    json_decref(extra);
    if (json_object_get(data, "roles") == NULL)
        json_object_set_new(data, "roles", roles_json("reporter"));
    int rc = newsroom_render(r, u, "newsroom/staff.html", data);
    return rc == 200 ? status : rc;
}

static int
staff_list(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    int st = newsroom_guard(r, STAFF_ADMIN, &u);
    return st ? st : staff_page(r, &u, NULL, 200);
}

/* A new account: its password is hashed (Argon2id) on a worker. */
struct add_job {
    struct staff_user u;
    const char *login;
    char *name;
    const char *role;
    char *password; /* the form's, or generated */
    char generated[24];
    bool one_time;
    int64_t id;
    const char *problem;
    int rc;
};

static void
add_work(void *p)
{
    struct add_job *j = p;
    j->rc = auth_user_add(nr_ctx.store, j->login, j->name ? j->name : "", j->role, j->password,
                          j->one_time, &j->id, &j->problem);
}

static int
add_done(struct http_req *r, void *p)
{
    struct add_job *j = p;
    json_t *extra =
        json_pack("{s:{s:s, s:s, s:s}, s:o}", "form", "login", j->login, "name",
                  j->name ? j->name : "", "role", j->role, "roles", roles_json(j->role));
    if (j->rc != STORE_OK) {
        json_object_set_new(
            extra, "error",
            json_string(j->problem ? j->problem : "the account could not be saved"));
        return staff_page(r, &j->u, extra, 422);
    }
    newsroom_audit(r, &j->u, "staff add", j->login, j->role);
    json_object_del(extra, "form");
    json_object_set_new(extra, "created",
                        json_pack("{s:s, s:s, s:s}", "login", j->login, "name", j->name, "password",
                                  j->one_time ? j->password : ""));
    return staff_page(r, &j->u, extra, 200);
}

static void
add_job_free(void *p)
{
    struct add_job *j = p;
    sodium_memzero(j->password, strlen(j->password));
}

static int
staff_add(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct add_job *j = arena_zalloc(http_arena(r), sizeof(*j));
    int st = newsroom_guard(r, STAFF_ADMIN, &j->u);
    if (st)
        return st;
    j->login = nr_field(r, "login");
    j->name = nr_clean(r, nr_field(r, "name"), false);
    j->role = nr_field(r, "role");
    j->password = (char *)nr_field(r, "password");
    j->one_time = j->password[0] == '\0';
    if (j->one_time) {
        auth_password_generate(j->generated);
        j->password = j->generated;
    }
    return http_defer(r, add_work, add_done, add_job_free, j);
}

static int
load_user(struct http_req *r, const struct staff_user *u, struct store_user *su)
{
    int64_t id = nr_id(http_param(r, "id"));
    int st = id ? store_call(nr_ctx.store, user_get, id, NULL, http_arena(r), su) : STORE_NOTFOUND;
    if (st == STORE_NOTFOUND)
        return nr_refuse(r, u, 404, "there is no such staff account", "/newsroom/staff",
                         "All staff");
    return st == STORE_OK ? 0 : http_error(r, 503, NULL);
}

static int
member_page(struct http_req *r, const struct staff_user *u, const struct store_user *su,
            json_t *extra, int status)
{
    json_t *data = json_pack("{s:s, s:o, s:o, s:b}", "title", su->name, "member", user_json(r, su),
                             "roles", roles_json(su->role), "self", su->id == u->id);
    if (extra)
        json_object_update(data, extra);
    json_decref(extra);
    int rc = newsroom_render(r, u, "newsroom/staff_member.html", data);
    return rc == 200 ? status : rc;
}

static int
staff_member(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct store_user su;
    int st = newsroom_guard(r, STAFF_ADMIN, &u);
    if (st || (st = load_user(r, &u, &su)) != 0)
        return st;
    return member_page(r, &u, &su, NULL, 200);
}

static int
staff_update(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct staff_user u;
    struct store_user su;
    int st = newsroom_guard(r, STAFF_ADMIN, &u);
    if (st || (st = load_user(r, &u, &su)) != 0)
        return st;
    char *name = nr_clean(r, nr_field(r, "name"), false);
    const char *role = nr_field(r, "role");
    const char *error = NULL;
    if (name == NULL || name[0] == '\0' || text_length(name, strlen(name)) > 200)
        error = "enter the person's name (at most 200 characters)";
    else if (!auth_role_valid(role))
        error = "choose one of the roles";
    else if (su.id == u.id && strcmp(role, su.role) != 0)
        error = "you cannot change your own role; ask another administrator";
    const char *old_role = su.role;
    su.name = name ? name : su.name;
    su.role = (char *)(auth_role_valid(role) ? role : su.role);
    if (error == NULL && store_call(nr_ctx.store, user_save, &su) != STORE_OK)
        error = "the account could not be saved; try again";
    if (error)
        return member_page(r, &u, &su, json_pack("{s:s}", "error", error), 422);
    if (strcmp(old_role, su.role) != 0)
        newsroom_audit(r, &u, "role", su.login,
                       arena_printf(http_arena(r), "%s -> %s", old_role, su.role));
    else
        newsroom_audit(r, &u, "staff update", su.login, su.name);
    return nr_done(r, arena_printf(http_arena(r), "/newsroom/staff/%lld", (long long)su.id),
                   "staff");
}

static int
set_disabled(struct http_req *r, bool disabled)
{
    struct staff_user u;
    struct store_user su;
    int st = newsroom_guard(r, STAFF_ADMIN, &u);
    if (st || (st = load_user(r, &u, &su)) != 0)
        return st;
    if (su.id == u.id)
        return member_page(r, &u, &su,
                           json_pack("{s:s}", "error",
                                     "you cannot disable your own account; ask another "
                                     "administrator"),
                           422);
    su.disabled = disabled;
    if (store_call(nr_ctx.store, user_save, &su) != STORE_OK)
        return http_error(r, 503, NULL);
    newsroom_audit(r, &u, disabled ? "staff disable" : "staff enable", su.login, NULL);
    return nr_done(r, arena_printf(http_arena(r), "/newsroom/staff/%lld", (long long)su.id),
                   disabled ? "staff_disabled" : "staff_enabled");
}

static int
staff_disable(struct http_req *r, void *ctx)
{
    (void)ctx;
    return set_disabled(r, true);
}

static int
staff_enable(struct http_req *r, void *ctx)
{
    (void)ctx;
    return set_disabled(r, false);
}

/* A new one-time password, shown once on the page that answers; hashed on
 * a worker. */
struct reset_job {
    struct staff_user u;
    struct store_user su;
    char pw[24];
    int rc;
};

static void
reset_work(void *p)
{
    struct reset_job *j = p;
    const char *problem = NULL;
    j->rc = auth_user_password(nr_ctx.store, j->su.id, j->pw, true, &problem);
}

static int
reset_done(struct http_req *r, void *p)
{
    struct reset_job *j = p;
    if (j->rc != STORE_OK)
        return http_error(r, 503, NULL);
    newsroom_audit(r, &j->u, "password reset", j->su.login, NULL);
    j->su.must_change = true;
    return member_page(r, &j->u, &j->su, json_pack("{s:s}", "new_password", j->pw), 200);
}

static void
reset_job_free(void *p)
{
    struct reset_job *j = p;
    sodium_memzero(j->pw, sizeof(j->pw));
}

static int
staff_password(struct http_req *r, void *ctx)
{
    (void)ctx;
    struct reset_job *j = arena_zalloc(http_arena(r), sizeof(*j));
    int st = newsroom_guard(r, STAFF_ADMIN, &j->u);
    if (st || (st = load_user(r, &j->u, &j->su)) != 0)
        return st;
    auth_password_generate(j->pw);
    return http_defer(r, reset_work, reset_done, reset_job_free, j);
}

void
nr_staff_routes(struct http_server *srv)
{
    http_route(srv, HTTP_GET, "/newsroom/staff", 0, staff_list, NULL);
    http_route(srv, HTTP_POST, "/newsroom/staff", 0, staff_add, NULL);
    http_route(srv, HTTP_GET, "/newsroom/staff/:id", 0, staff_member, NULL);
    http_route(srv, HTTP_POST, "/newsroom/staff/:id", 0, staff_update, NULL);
    http_route(srv, HTTP_POST, "/newsroom/staff/:id/disable", 0, staff_disable, NULL);
    http_route(srv, HTTP_POST, "/newsroom/staff/:id/enable", 0, staff_enable, NULL);
    http_route(srv, HTTP_POST, "/newsroom/staff/:id/password", 0, staff_password, NULL);
}
