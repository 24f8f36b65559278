/*
 * broadsheet user: staff accounts from the command line, for the first
 * administrator and for operators. A password comes from standard input
 * (one line), or, at a terminal or with --generate, a one-time password is
 * printed that the person replaces at their first sign-in.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/app_int.h"
#include "auth/auth.h"
#include "store/store.h"

/* The password to set: read from stdin, or generated (*one_time). */
static int
read_password(const struct user_args *u, char *pw, size_t n, bool *one_time)
{
    *one_time = u->generate || isatty(STDIN_FILENO);
    if (*one_time) {
        auth_password_generate(pw);
        return 0;
    }
    if (fgets(pw, (int)n, stdin) == NULL) {
        fprintf(stderr, "broadsheet: no password on standard input (or use --generate)\n");
        return -1;
    }
    size_t len = strlen(pw);
    if (len && pw[len - 1] != '\n' && !feof(stdin)) {
        fprintf(stderr, "broadsheet: the password is too long\n");
        return -1;
    }
    while (len && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
        pw[--len] = '\0';
    return 0;
}

static void
audit(struct store *st, const char *action, const char *login, const char *detail)
{
    struct store_audit e = {.login = (char *)"cli", .action = (char *)action,
                            .subject = (char *)login, .detail = (char *)(detail ? detail : ""),
                            .addr = (char *)"command line"};
    store_call(st, audit_add, &e);
}

static void
announce(const char *login, const char *pw, bool one_time, const char *what)
{
    if (one_time)
        printf("%s '%s'; one-time password (to be replaced at the first sign-in):\n%s\n", what,
               login, pw);
    else
        printf("%s '%s'\n", what, login);
}

static int
user_add(struct store *st, const struct user_args *u)
{
    char pw[512];
    bool one_time;
    const char *role = u->role ? u->role : "reporter";
    if (!auth_role_valid(role)) {
        fprintf(stderr, "broadsheet: unknown role '%s' (reporter, editor, moderator, admin)\n", role);
        return 2;
    }
    if (read_password(u, pw, sizeof(pw), &one_time) != 0)
        return 1;
    const char *problem = NULL;
    int64_t id;
    int rc = auth_user_add(st, u->login, u->name ? u->name : u->login, role, pw, one_time, &id,
                           &problem);
    if (rc == STORE_OK) {
        audit(st, "staff add", u->login, role);
        announce(u->login, pw, one_time, "added staff account");
    } else {
        fprintf(stderr, "broadsheet: cannot add '%s': %s\n", u->login,
                problem ? problem : "the database refused it");
    }
    sodium_memzero(pw, sizeof(pw));
    return rc == STORE_OK ? 0 : 1;
}

int
app_demo_admin(struct store *st, const char *newsroom_url)
{
    char pw[24];
    int64_t id;
    const char *problem = NULL;
    auth_password_generate(pw);
    int rc = auth_user_add(st, "admin", "Demo Administrator", "admin", pw, true, &id, &problem);
    if (rc == STORE_OK) {
        audit(st, "staff add", "admin", "admin (the demo paper)");
        printf("The newsroom: %s\n"
               "  sign in as 'admin' with the one-time password %s\n"
               "  (you choose your own at the first sign-in; more staff: broadsheet user add)\n",
               newsroom_url, pw);
        fflush(stdout);
    } else {
        fprintf(stderr, "broadsheet: the demo's newsroom account was not added: %s\n",
                problem ? problem : "the database refused it");
    }
    sodium_memzero(pw, sizeof(pw));
    return rc == STORE_OK ? 0 : -1;
}

static int
user_list(struct store *st)
{
    struct arena *a = arena_new();
    struct store_user *all;
    size_t n = 0;
    int rc = store_call(st, user_list, a, &all, &n);
    if (rc == STORE_OK) {
        printf("%-20s %-10s %-9s %-20s %s\n", "LOGIN", "ROLE", "STATUS", "LAST SIGN-IN", "NAME");
        for (size_t i = 0; i < n; i++) {
            char when[32] = "never";
            if (all[i].last_login_at)
                time_iso8601(all[i].last_login_at, when);
            printf("%-20s %-10s %-9s %-20s %s\n", all[i].login, all[i].role,
                   all[i].disabled ? "disabled" : "active", when, all[i].name);
        }
    }
    arena_free(a);
    return rc == STORE_OK ? 0 : 1;
}

static int
user_set(struct store *st, const struct user_args *u, bool disable)
{
    struct arena *a = arena_new();
    struct store_user su;
    int rc = store_call(st, user_get, 0, u->login, a, &su);
    if (rc == STORE_OK) {
        su.disabled = disable;
        rc = store_call(st, user_save, &su);
    }
    if (rc == STORE_OK) {
        audit(st, disable ? "staff disable" : "staff enable", su.login, NULL);
        printf("%s staff account '%s'\n", disable ? "disabled" : "enabled", su.login);
    } else {
        fprintf(stderr, "broadsheet: no staff account '%s'\n", u->login);
    }
    arena_free(a);
    return rc == STORE_OK ? 0 : 1;
}

static int
user_passwd(struct store *st, const struct user_args *u)
{
    struct arena *a = arena_new();
    struct store_user su;
    char pw[512];
    bool one_time = false;
    const char *problem = NULL;
    int rc = store_call(st, user_get, 0, u->login, a, &su);
    if (rc != STORE_OK)
        fprintf(stderr, "broadsheet: no staff account '%s'\n", u->login);
    else if (read_password(u, pw, sizeof(pw), &one_time) != 0)
        rc = STORE_INVALID;
    else if ((rc = auth_user_password(st, su.id, pw, one_time, &problem)) != STORE_OK)
        fprintf(stderr, "broadsheet: %s\n", problem ? problem : "the password was not saved");
    if (rc == STORE_OK) {
        audit(st, "password reset", su.login, NULL);
        announce(su.login, pw, one_time, "new password for");
    }
    sodium_memzero(pw, sizeof(pw));
    arena_free(a);
    return rc == STORE_OK ? 0 : 1;
}

int
app_user(struct config *c, const struct user_args *u)
{
    const char *a = u->action ? u->action : "";
    bool needs_login = strcmp(a, "list") != 0;
    if (strcmp(a, "add") && strcmp(a, "list") && strcmp(a, "disable") && strcmp(a, "enable") &&
        strcmp(a, "passwd")) {
        fprintf(stderr, "broadsheet: user needs add, list, disable, enable or passwd\n");
        return 2;
    }
    if (needs_login && (u->login == NULL || u->login[0] == '\0')) {
        fprintf(stderr, "broadsheet: user %s needs a login name, e.g. broadsheet user %s kim\n", a, a);
        return 2;
    }
    bool created;
    struct store *st = app_store_open(c, &created);
    if (st == NULL)
        return 1;
    int rc;
    if (!strcmp(a, "add"))
        rc = user_add(st, u);
    else if (!strcmp(a, "list"))
        rc = user_list(st);
    else if (!strcmp(a, "passwd"))
        rc = user_passwd(st, u);
    else
        rc = user_set(st, u, !strcmp(a, "disable"));
    store_close(st);
    return rc;
}
