/*
 * app: the program's top: configuration, subcommands, and the wiring of
 * store, templates, server and handlers. main.c only parses arguments and
 * calls in here.
 */
#ifndef BROADSHEET_APP_H
#define BROADSHEET_APP_H

#include "core/core.h"

struct config {
    /* [server] */
    char *listen_host;
    int listen_port;
    int threads;
    int max_connections;
    int request_timeout;
    size_t max_body;
    size_t max_upload;
    char *access_log;
    bool behind_tls;
    bool trust_proxy;
    size_t cache_mb;
    /* [site] */
    char *site_name;
    char *tagline;
    char *base_url; /* "" to take it from each request */
    char *language;
    int tz_minutes;
    char *web_dir;
    char *theme_dir;
    char *media_dir;
    /* [database] */
    char *db_path;
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
/* Applies "host:port" (or ":port"); -1 on a malformed value. */
int config_set_listen(struct config *c, const char *value);

/* The language of the bilingual meanings shown first: [dict] language, or
 * else [site] language unless that is English, or else "ko". */
const char *config_dict_language(const struct config *c);

int app_serve(struct config *c, bool demo_if_new);
int app_init(struct config *c, bool demo);
int app_backup(struct config *c, const char *dest);
/* broadsheet dict import FORMAT PATH | list | lookup WORD */
int app_dict(struct config *c, const char *const *args, size_t nargs, const char *lang,
             const char *name);

#endif
