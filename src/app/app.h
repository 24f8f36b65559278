/*
 * app: the program's top: configuration, subcommands, and the wiring of
 * store, templates, server and handlers. main.c only parses arguments and
 * calls in here.
 */
#ifndef BROADSHEET_APP_H
#define BROADSHEET_APP_H

#include "comments/comments.h"
#include "core/core.h"
#include "signin/signin.h"

struct config {
    /* [server] */
    char *listen_host;
    int listen_port;
    int threads;
    int workers;    /* threads for blocking work; 0 = one per core, 2 to 4 */
    int work_queue; /* blocking jobs that may wait for a worker */
    int max_connections;
    int request_timeout;
    size_t max_body;
    size_t max_upload;
    char *access_log;
    bool behind_tls;
    bool trust_proxy;
    size_t cache_mb;
    char *purge; /* shared caches to purge (purge.h), "" for none */
    /* [site] */
    char *site_name;
    char *tagline;
    char *contact;  /* e-mail address for readers, "" for none */
    char *base_url; /* "" to take it from each request */
    char *language;
    int tz_minutes;
    char *web_dir;
    char *theme_dir;
    char *media_dir;
    /* [feeds] */
    bool feeds_full_text; /* whole articles in feeds, or summaries only */
    int feeds_items;      /* entries per feed */
    /* [ingest] and [ingest.<agency>] */
    int ingest_interval; /* seconds between looks at the watched folders */
    struct config_agency {
        char *name;    /* from the section name: [ingest.yonhap] */
        char *credit;  /* "Yonhap" */
        char *key;     /* for POST /api/ingest; "" refuses HTTP */
        char *watch;   /* a folder to watch, or "" */
        char *section; /* section path for the drafts, or "" */
    } *agencies;
    size_t nagencies;
    /* [database] */
    char *db_path;
    /* [comments], [signin], [signin.<name>] (config_comments.c) */
    struct comments_config comments;
    struct signin_provider *signin;
    size_t nsignin;
    bool signin_demo;
    int signin_timeout;
    int session_days;
    /* [newsroom] */
    long session_idle;      /* seconds */
    long session_absolute;  /* seconds */
    int login_slow_after;
    int login_max_failures;
    size_t max_photo;
    /* [dict] */
    char *dict_wordnet;     /* WordNet's database files */
    char *dict_data;        /* imported dictionaries (*.bsdict) */
    char *dict_language;    /* meanings shown first; "" for config_dict_language's choice */
    int dict_lookup_rate;   /* lookups per minute per address */
    int dict_lookup_burst;  /* lookups at once before the rate applies */
};

void config_defaults(struct config *c);
void config_release(struct config *c);
/* Reads an INI file over the defaults; -1 with "file:line: ..." in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* Fills what defaults to other settings (media/ and dict/ beside the database). */
void config_finish(struct config *c);
/* Applies "host:port" (or ":port"); -1 on a malformed value. */
int config_set_listen(struct config *c, const char *value);

/* The language of the bilingual meanings shown first: [dict] language, or
 * else [site] language unless that is English, or else "ko". */
const char *config_dict_language(const struct config *c);

int app_serve(struct config *c, bool demo_if_new);
int app_init(struct config *c, bool demo);
int app_backup(struct config *c, const char *dest);
/* import wordpress|disqus FILE */
int app_import(struct config *c, const char *kind, const char *file);
/* ingest FILE: one agency file filed as the watcher would (agency NULL:
 * the only one configured). */
int app_ingest(struct config *c, const char *file, const char *agency);
/* Prints every route as "METHODS PATTERN FLAGS", without listening. */
int app_routes(struct config *c);

/* broadsheet user add|list|disable|enable|passwd */
struct user_args {
    const char *action;
    const char *login;
    const char *role;
    const char *name;
    bool generate;
};
int app_user(struct config *c, const struct user_args *u);
/* broadsheet dict import FORMAT PATH | list | lookup WORD */
int app_dict(struct config *c, const char *const *args, size_t nargs, const char *lang,
             const char *name);

#endif
