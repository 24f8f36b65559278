/*
 * broadsheet: arguments, configuration, the subcommand, the exit code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"

static const char usage[] =
    "usage: broadsheet <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve            serve the paper (a new database gets the demo paper)\n"
    "  init [--demo]    create or upgrade the database; --demo adds the demo paper\n"
    "  backup FILE      write a consistent copy of the database to FILE, also while serving\n"
    "  import wordpress FILE   articles, sections, tags, authors and comments from a\n"
    "                   WordPress export (safe to run again: nothing is imported twice)\n"
    "  import disqus FILE      comments from a Disqus export, onto the matching articles\n"
    "  ingest FILE [--agency NAME]  file one agency story (ninjs or NewsML-G2) as a draft\n"
    "  routes           list every route: methods, pattern, flags\n"
    "  user add LOGIN [--role ROLE] [--name NAME] [--generate]\n"
    "                   add a staff account (reporter, editor, moderator, admin); the\n"
    "                   password is read from standard input, or a one-time password is\n"
    "                   printed at a terminal or with --generate\n"
    "  user list        list the staff accounts\n"
    "  user disable LOGIN | user enable LOGIN\n"
    "  user passwd LOGIN [--generate]   set a new password (as for add)\n"
    "  dict import FORMAT PATH --lang LANG [--name NAME]\n"
    "                   import a bilingual dictionary (FORMAT: dictd, stardict or tsv)\n"
    "  dict list        list the imported dictionaries\n"
    "  dict lookup WORD look a word up as the reader's pop-up would\n"
    "\n"
    "options:\n"
    "  --config FILE    read settings from an INI file (see README.md)\n"
    "  --db PATH        the SQLite database (default data/broadsheet.db)\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080)\n"
    "  --web DIR        templates and static files (default web)\n"
    "  --threads N      event loops (default one per core)\n"
    "  --no-demo        serve: do not create the demo paper in a new database\n"
    "  --agency NAME    ingest: the agency ([ingest.NAME] in the config)\n"
    "  --lang CODE      dict import: the language of the meanings (ko, de, ...)\n"
    "  --name NAME      dict import: the dictionary's name (default: from the file name)\n"
    "  --help, --version\n";

struct args {
    const char *command;
    const char *config;
    const char *db;
    const char *listen;
    const char *web;
    const char *threads;
    const char *positional;
    const char *more[3]; /* positionals after the first */
    size_t nmore;
    const char *agency;
    const char *role;
    const char *name;
    const char *lang;
    bool generate;
    bool demo;
    bool no_demo;
};

static int
bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "broadsheet: %s '%s'\n\n%s", what, arg, usage);
    return 2;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = NULL;
        if (!strcmp(arg, "--config"))
            slot = &a->config;
        else if (!strcmp(arg, "--db"))
            slot = &a->db;
        else if (!strcmp(arg, "--listen"))
            slot = &a->listen;
        else if (!strcmp(arg, "--web"))
            slot = &a->web;
        else if (!strcmp(arg, "--threads"))
            slot = &a->threads;
        else if (!strcmp(arg, "--agency"))
            slot = &a->agency;
        else if (!strcmp(arg, "--role"))
            slot = &a->role;
        else if (!strcmp(arg, "--lang"))
            slot = &a->lang;
        else if (!strcmp(arg, "--name"))
            slot = &a->name;
        if (slot) {
            if (i + 1 >= argc)
                return bad_usage("missing value after", arg);
            *slot = argv[++i];
        } else if (!strcmp(arg, "--demo")) {
            a->demo = true;
        } else if (!strcmp(arg, "--no-demo")) {
            a->no_demo = true;
        } else if (!strcmp(arg, "--generate")) {
            a->generate = true;
        } else if (arg[0] == '-') {
            return bad_usage("unknown option", arg);
        } else if (a->command == NULL) {
            a->command = arg;
        } else if (a->positional == NULL) {
            a->positional = arg;
        } else if (a->nmore < ARRAY_SIZE(a->more)) {
            a->more[a->nmore++] = arg;
        } else {
            return bad_usage("unexpected argument", arg);
        }
    }
    return 0;
}

static int
apply_args(struct config *c, const struct args *a)
{
    char err[512];
    const char *config = a->config ? a->config : getenv("BROADSHEET_CONFIG");
    if (config && config_load(c, config, err, sizeof(err)) != 0) {
        fprintf(stderr, "broadsheet: %s\n", err);
        return 1;
    }
    if (a->db) {
        free(c->db_path);
        c->db_path = xstrdup(a->db);
    }
    if (a->web) {
        free(c->web_dir);
        c->web_dir = xstrdup(a->web);
    }
    if (a->listen && config_set_listen(c, a->listen) != 0)
        return bad_usage("bad --listen value (expected ADDR:PORT)", a->listen);
    if (a->threads) {
        long n;
        if (parse_long(a->threads, strlen(a->threads), 0, 256, &n) != 0)
            return bad_usage("bad --threads value", a->threads);
        c->threads = (int)n;
    }
    config_finish(c);
    return 0;
}

int
main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("broadsheet %s\n", BROADSHEET_VERSION);
            return 0;
        }
    }
    struct args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    if (a.command == NULL) {
        fputs(usage, stderr);
        return 2;
    }
    struct config c;
    config_defaults(&c);
    rc = apply_args(&c, &a);
    if (rc == 0) {
        struct user_args ua = {.action = a.positional, .login = a.more[0], .role = a.role,
                               .name = a.name, .generate = a.generate};
        bool takes_two = !strcmp(a.command, "import") || !strcmp(a.command, "user");
        if (a.nmore > (!strcmp(a.command, "dict") ? 3u : takes_two ? 1u : 0u))
            rc = bad_usage("unexpected argument", a.more[a.nmore - 1]);
        else if (!strcmp(a.command, "serve") && !a.positional)
            rc = app_serve(&c, !a.no_demo);
        else if (!strcmp(a.command, "init") && !a.positional)
            rc = app_init(&c, a.demo);
        else if (!strcmp(a.command, "backup") && a.positional)
            rc = app_backup(&c, a.positional);
        else if (!strcmp(a.command, "backup"))
            rc = bad_usage("backup needs a destination file, e.g.", "broadsheet backup copy.db");
        else if (!strcmp(a.command, "import") && a.positional && a.more[0])
            rc = app_import(&c, a.positional, a.more[0]);
        else if (!strcmp(a.command, "import"))
            rc = bad_usage("import needs what and a file, e.g.",
                           "broadsheet import wordpress export.xml");
        else if (!strcmp(a.command, "ingest") && a.positional)
            rc = app_ingest(&c, a.positional, a.agency);
        else if (!strcmp(a.command, "ingest"))
            rc = bad_usage("ingest needs a file, e.g.", "broadsheet ingest story.json");
        else if (!strcmp(a.command, "dict") && a.positional) {
            const char *args[4] = {a.positional, a.more[0], a.more[1], a.more[2]};
            rc = app_dict(&c, args, 1 + a.nmore, a.lang, a.name);
        } else if (!strcmp(a.command, "dict"))
            rc = bad_usage("dict needs a command, e.g.",
                           "broadsheet dict import tsv en-ko.tsv --lang ko");
        else if (!strcmp(a.command, "routes") && !a.positional)
            rc = app_routes(&c);
        else if (!strcmp(a.command, "user"))
            rc = app_user(&c, &ua);
        else
            rc = bad_usage("unknown command", a.command);
    }
    config_release(&c);
    return rc;
}
