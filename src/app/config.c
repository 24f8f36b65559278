/*
 * The configuration file: INI, read with inih. Every key is known and
 * checked; a mistake names the file, the line and the key, and start-up
 * stops.
 */
#include "app/app.h"
#include "app/app_int.h"

#include "purge/purge.h"

#include <ini.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    c->listen_host = xstrdup("127.0.0.1");
    c->listen_port = 8080;
    c->threads = 0;
    c->workers = 0;
    c->work_queue = 64;
    c->max_connections = 4096;
    c->request_timeout = 10;
    c->max_body = 256 * 1024;
    c->max_upload = 16 * 1024 * 1024;
    c->access_log = xstrdup("-");
    c->cache_mb = 256;
    c->purge = xstrdup("");
    c->site_name = xstrdup("The Broadsheet");
    c->tagline = xstrdup("Independent news, carefully edited");
    c->base_url = xstrdup("");
    c->contact = xstrdup("");
    c->language = xstrdup("en");
    c->tz_minutes = 9 * 60;
    c->web_dir = xstrdup("web");
    c->theme_dir = xstrdup("");
    c->media_dir = xstrdup(""); /* beside the database unless set */
    c->db_path = xstrdup("data/broadsheet.db");
    config_comments_defaults(c);
    c->feeds_full_text = true;
    c->feeds_items = 20;
    c->ingest_interval = 2;
    c->session_idle = 30 * 60;
    c->session_absolute = 12 * 3600;
    c->login_slow_after = 5;
    c->login_max_failures = 100;
    c->max_photo = 12u << 20;
    c->dict_wordnet = xstrdup("/usr/share/wordnet");
    c->dict_data = xstrdup(""); /* beside the database unless set */
    c->dict_language = xstrdup("");
    c->dict_lookup_rate = 60;
    c->dict_lookup_burst = 30;
}

const char *
config_dict_language(const struct config *c)
{
    if (c->dict_language[0])
        return c->dict_language;
    if (c->language[0] && strncmp(c->language, "en", 2) != 0)
        return c->language;
    return "ko";
}

void
config_release(struct config *c)
{
    char **strs[] = {&c->listen_host, &c->access_log, &c->site_name, &c->tagline, &c->base_url,
                     &c->language,    &c->web_dir,    &c->theme_dir, &c->media_dir, &c->db_path,
                     &c->dict_wordnet, &c->dict_data, &c->dict_language, &c->purge, &c->contact};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
    config_comments_release(c);
    for (size_t i = 0; i < c->nagencies; i++) {
        struct config_agency *ag = &c->agencies[i];
        if (ag->key)
            sodium_memzero(ag->key, strlen(ag->key));
        free(ag->name);
        free(ag->credit);
        free(ag->key);
        free(ag->watch);
        free(ag->section);
    }
    free(c->agencies);
    c->agencies = NULL;
    c->nagencies = 0;
}

/* An empty *dir becomes <the database's folder>/<name>. */
static void
beside_db(const struct config *c, char **dir, const char *name)
{
    if ((*dir)[0])
        return;
    const char *slash = strrchr(c->db_path, '/');
    int dirlen = slash ? (int)(slash - c->db_path) : 0;
    size_t len = (size_t)dirlen + strlen(name) + 2;
    free(*dir);
    *dir = xmalloc(len);
    if (slash)
        snprintf(*dir, len, "%.*s/%s", dirlen, c->db_path, name);
    else
        snprintf(*dir, len, "%s", name);
}

void
config_finish(struct config *c)
{
    beside_db(c, &c->media_dir, "media");
    beside_db(c, &c->dict_data, "dict");
}

int
config_set_listen(struct config *c, const char *value)
{
    const char *colon = strrchr(value, ':');
    if (colon == NULL)
        return -1;
    long port;
    if (parse_long(colon + 1, strlen(colon + 1), 1, 65535, &port) != 0)
        return -1;
    size_t hlen = (size_t)(colon - value);
    if (hlen >= 2 && value[0] == '[' && value[hlen - 1] == ']') {
        value++;
        hlen -= 2;
    }
    free(c->listen_host);
    c->listen_host = hlen ? xstrndup(value, hlen) : xstrdup("0.0.0.0");
    c->listen_port = (int)port;
    return 0;
}

struct loader {
    struct config *c;
    char problem[256];
};

static int
parse_size(const char *v, size_t *out)
{
    size_t n = strlen(v);
    size_t mult = 1;
    if (n && (v[n - 1] == 'k' || v[n - 1] == 'K'))
        mult = 1024, n--;
    else if (n && (v[n - 1] == 'm' || v[n - 1] == 'M'))
        mult = 1024 * 1024, n--;
    long x;
    if (parse_long(v, n, 1, 1L << 40, &x) != 0)
        return -1;
    *out = (size_t)x * mult;
    return 0;
}

static int
parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on"))
        *out = true;
    else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
             !strcasecmp(v, "off"))
        *out = false;
    else
        return -1;
    return 0;
}

/* "90", "90s", "30m", "12h": seconds */
static int
parse_duration(const char *v, long *out)
{
    size_t n = strlen(v);
    long mult = 1;
    if (n && v[n - 1] == 's')
        n--;
    else if (n && v[n - 1] == 'm')
        mult = 60, n--;
    else if (n && v[n - 1] == 'h')
        mult = 3600, n--;
    long x;
    if (parse_long(v, n, 1, 30L * 24 * 3600, &x) != 0 || x * mult > 30L * 24 * 3600)
        return -1;
    *out = x * mult;
    return 0;
}

/* "+09:00", "-05:30", "UTC" */
static int
parse_tz(const char *v, int *out)
{
    if (!strcasecmp(v, "UTC") || !strcasecmp(v, "Z")) {
        *out = 0;
        return 0;
    }
    long h, m;
    if (strlen(v) != 6 || (v[0] != '+' && v[0] != '-') || v[3] != ':' ||
        parse_long(v + 1, 2, 0, 14, &h) || parse_long(v + 4, 2, 0, 59, &m))
        return -1;
    *out = (int)((h * 60 + m) * (v[0] == '-' ? -1 : 1));
    return 0;
}

static void
set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = xstrdup(v);
}

void
config_list_add(char **list, const char *value)
{
    if ((*list)[0] == '\0') {
        set_str(list, value);
        return;
    }
    size_t n = strlen(*list) + strlen(value) + 3;
    char *joined = xmalloc(n);
    snprintf(joined, n, "%s, %s", *list, value);
    free(*list);
    *list = joined;
}

/* [ingest.<name>]: the agency of that name, created on first use. */
static struct config_agency *
agency(struct config *c, const char *name)
{
    for (size_t i = 0; i < c->nagencies; i++)
        if (strcmp(c->agencies[i].name, name) == 0)
            return &c->agencies[i];
    c->agencies = xrealloc(c->agencies, (c->nagencies + 1) * sizeof(*c->agencies));
    struct config_agency *ag = &c->agencies[c->nagencies++];
    ag->name = xstrdup(name);
    ag->credit = xstrdup(name);
    ag->key = xstrdup("");
    ag->watch = xstrdup("");
    ag->section = xstrdup("");
    return ag;
}

/* Keys of [feeds], [ingest] and [ingest.<agency>]; NULL when fine, else
 * what is wrong. *known is false for a key that is not one of them. */
static const char *
distribution_key(struct config *c, const char *section, const char *name, const char *value,
                 bool *known)
{
    long n = 0;
    *known = true;
    if (strcmp(section, "feeds") == 0 && strcmp(name, "full_text") == 0)
        return parse_bool(value, &c->feeds_full_text) ? "expected true or false" : NULL;
    if (strcmp(section, "feeds") == 0 && strcmp(name, "items") == 0) {
        if (parse_long(value, strlen(value), 1, 100, &n))
            return "expected a number of entries from 1 to 100";
        c->feeds_items = (int)n;
        return NULL;
    }
    if (strcmp(section, "ingest") == 0 && strcmp(name, "interval") == 0) {
        if (parse_long(value, strlen(value), 1, 3600, &n))
            return "expected seconds from 1 to 3600";
        c->ingest_interval = (int)n;
        return NULL;
    }
    const char *ag = strncmp(section, "ingest.", 7) == 0 ? section + 7 : NULL;
    if (ag == NULL || !slug_valid(ag, strlen(ag))) {
        *known = false;
        return NULL;
    }
    struct config_agency *a = agency(c, ag);
    if (strcmp(name, "credit") == 0) {
        set_str(&a->credit, value);
    } else if (strcmp(name, "key") == 0) {
        if (strlen(value) < 24)
            return "an agency key must be at least 24 characters (use e.g. openssl rand -hex 24)";
        set_str(&a->key, value);
    } else if (strcmp(name, "watch") == 0) {
        set_str(&a->watch, value);
    } else if (strcmp(name, "section") == 0) {
        set_str(&a->section, value);
    } else {
        *known = false;
    }
    return NULL;
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
    struct loader *l = user;
    struct config *c = l->c;
    long n = 0;
    const char *bad = NULL;
#define KEY(s, k) (strcmp(section, s) == 0 && strcmp(name, k) == 0)
    if (KEY("server", "listen")) {
        if (config_set_listen(c, value))
            bad = "expected host:port, e.g. 127.0.0.1:8080";
    } else if (KEY("server", "threads")) {
        if (parse_long(value, strlen(value), 0, 256, &n))
            bad = "expected a number of threads from 0 (one per core) to 256";
        c->threads = (int)n;
    } else if (KEY("server", "workers")) {
        if (parse_long(value, strlen(value), 0, 64, &n))
            bad = "expected a number of worker threads from 0 (one per core, 2 to 4) to 64";
        c->workers = (int)n;
    } else if (KEY("server", "work_queue")) {
        if (parse_long(value, strlen(value), 1, 100000, &n))
            bad = "expected a number of waiting jobs from 1 to 100000";
        c->work_queue = (int)n;
    } else if (KEY("server", "max_connections")) {
        if (parse_long(value, strlen(value), 1, 1000000, &n))
            bad = "expected a number from 1 to 1000000";
        c->max_connections = (int)n;
    } else if (KEY("server", "request_timeout")) {
        if (parse_long(value, strlen(value), 1, 3600, &n))
            bad = "expected seconds from 1 to 3600";
        c->request_timeout = (int)n;
    } else if (KEY("server", "max_body")) {
        if (parse_size(value, &c->max_body))
            bad = "expected a size such as 256k or 1m";
    } else if (KEY("server", "max_upload")) {
        if (parse_size(value, &c->max_upload))
            bad = "expected a size such as 16m";
    } else if (KEY("server", "access_log")) {
        set_str(&c->access_log, value);
    } else if (KEY("server", "behind_tls")) {
        if (parse_bool(value, &c->behind_tls))
            bad = "expected true or false";
    } else if (KEY("server", "trust_proxy")) {
        if (parse_bool(value, &c->trust_proxy))
            bad = "expected true or false";
    } else if (KEY("server", "cache_mb")) {
        if (parse_long(value, strlen(value), 1, 65536, &n))
            bad = "expected megabytes from 1 to 65536";
        c->cache_mb = (size_t)n;
    } else if (KEY("server", "purge")) {
        config_list_add(&c->purge, value);
        bad = purger_urls_check(c->purge);
    } else if (KEY("site", "name")) {
        set_str(&c->site_name, value);
    } else if (KEY("site", "tagline")) {
        set_str(&c->tagline, value);
    } else if (KEY("site", "url")) {
        if (value[0] && strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
            bad = "expected a URL starting with http:// or https://";
        set_str(&c->base_url, value);
        size_t len = strlen(c->base_url);
        if (len && c->base_url[len - 1] == '/')
            c->base_url[len - 1] = '\0';
    } else if (KEY("site", "contact")) {
        const char *at = strchr(value, '@');
        if (value[0] && (at == NULL || at == value || at[1] == '\0' || strpbrk(value, " \t<>\"'")))
            bad = "expected an e-mail address, such as standards@example.com";
        set_str(&c->contact, value);
    } else if (KEY("site", "language")) {
        set_str(&c->language, value);
    } else if (KEY("site", "timezone")) {
        if (parse_tz(value, &c->tz_minutes))
            bad = "expected an offset such as +09:00, or UTC";
    } else if (KEY("site", "web")) {
        set_str(&c->web_dir, value);
    } else if (KEY("site", "theme")) {
        set_str(&c->theme_dir, value);
    } else if (KEY("site", "media")) {
        set_str(&c->media_dir, value);
    } else if (KEY("database", "path")) {
        set_str(&c->db_path, value);
    } else if (config_comments_key(c, section, name, value, &bad)) {
        /* [comments], [signin], [signin.<name>] */
    } else if (KEY("newsroom", "idle_timeout")) {
        if (parse_duration(value, &c->session_idle))
            bad = "expected a duration such as 30m, 1800 or 1800s";
    } else if (KEY("newsroom", "absolute_timeout")) {
        if (parse_duration(value, &c->session_absolute))
            bad = "expected a duration such as 12h";
    } else if (KEY("newsroom", "login_slow_after")) {
        if (parse_long(value, strlen(value), 1, 1000000, &n))
            bad = "expected a number of failed sign-ins";
        c->login_slow_after = (int)n;
    } else if (KEY("newsroom", "login_max_failures")) {
        if (parse_long(value, strlen(value), 1, 1000000, &n))
            bad = "expected a number of failed sign-ins per hour";
        c->login_max_failures = (int)n;
    } else if (KEY("newsroom", "max_photo")) {
        if (parse_size(value, &c->max_photo))
            bad = "expected a size such as 12m";
    } else if (KEY("dict", "wordnet")) {
        set_str(&c->dict_wordnet, value);
    } else if (KEY("dict", "data")) {
        set_str(&c->dict_data, value);
    } else if (KEY("dict", "language")) {
        set_str(&c->dict_language, value);
    } else if (KEY("dict", "lookup_rate")) {
        if (parse_long(value, strlen(value), 1, 100000, &n))
            bad = "expected lookups per minute from 1 to 100000";
        c->dict_lookup_rate = (int)n;
    } else if (KEY("dict", "lookup_burst")) {
        if (parse_long(value, strlen(value), 1, 100000, &n))
            bad = "expected a number of lookups from 1 to 100000";
        c->dict_lookup_burst = (int)n;
    } else {
        bool known;
        bad = distribution_key(c, section, name, value, &known);
        if (!known) {
            snprintf(l->problem, sizeof(l->problem), "unknown key '%s' in [%s]", name, section);
            return 0;
        }
    }
#undef KEY
    if (bad) {
        /* a secret is never repeated back */
        snprintf(l->problem, sizeof(l->problem), "bad value '%s' for '%s' in [%s]: %s",
                 strcmp(name, "key") == 0 ? "(hidden)" : value, name, section, bad);
        return 0;
    }
    return 1;
}

/* inih reads a line into INI_MAX_LINE bytes and would take the rest for a
 * line of its own: its reader stops at such a line instead, so that the
 * error names it rather than nonsense about the remainder. */
struct line_reader {
    FILE *f;
    int line;     /* lines read */
    int too_long; /* the line that did not fit, or 0 */
};

static char *
read_line(char *str, int num, void *stream)
{
    struct line_reader *lr = stream;
    if (fgets(str, num, lr->f) == NULL)
        return NULL;
    lr->line++;
    if (strchr(str, '\n') == NULL) {
        int next = getc(lr->f);
        if (next != EOF) {
            lr->too_long = lr->line;
            return NULL;
        }
    }
    return str;
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
    struct loader l = {.c = c};
    struct line_reader lr = {.f = fopen(path, "r")};
    if (lr.f == NULL) {
        snprintf(err, errlen, "cannot read config file '%s'", path);
        return -1;
    }
    int rc = ini_parse_stream(read_line, &lr, on_key, &l);
    fclose(lr.f);
    if (rc == 0 && lr.too_long) {
        snprintf(err, errlen,
                 "%s:%d: the line is longer than %d characters; continue a list on the next "
                 "line, indented, or give the key again",
                 path, lr.too_long, INI_MAX_LINE - 2);
        return -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s:%d: %s", path, rc,
                 l.problem[0] ? l.problem : "malformed line (expected key = value or [section])");
        return -1;
    }
    return 0;
}
