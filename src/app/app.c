/*
 * serve, init, backup: open the store, load the templates, wire the
 * handlers to the server, run, and release everything at the end so
 * leak checkers stay quiet.
 */
#include "app/app.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app_int.h"
#include "distribution/distribution.h"
#include "dict/dict.h"
#include "dictweb/dictweb.h"
#include "http/http.h"
#include "media/media.h"
#include "importers/importers.h"
#include "ingest/ingest.h"
#include "newsroom/newsroom.h"
#include "purge/purge.h"
#include "render/render.h"
#include "search/search.h"
#include "site/site.h"
#include "store/store.h"
#include "talk/talk.h"

/* Creates the folders above path (mkdir -p of its dirname). */
static int
make_parent_dirs(const char *path)
{
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *s = '/';
    }
    free(p);
    return rc;
}

static bool
file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

struct store *
app_store_open(struct config *c, bool *created)
{
    char err[512];
    *created = !file_exists(c->db_path);
    if (*created && make_parent_dirs(c->db_path) != 0) {
        fprintf(stderr, "broadsheet: cannot create the folder for '%s': %s\n", c->db_path,
                strerror(errno));
        return NULL;
    }
    struct store *st = store_sqlite_open(c->db_path, err, sizeof(err));
    if (st == NULL)
        fprintf(stderr, "broadsheet: %s\n", err);
    return st;
}

/* The site's address: [site] url, or else the one it listens on. */
static char *
site_url(const struct config *c)
{
    if (c->base_url[0])
        return xstrdup(c->base_url);
    const char *host = strcmp(c->listen_host, "0.0.0.0") == 0 ? "127.0.0.1" : c->listen_host;
    size_t n = strlen(host) + 32;
    char *url = xmalloc(n);
    snprintf(url, n, "http://%s:%d", host, c->listen_port);
    return url;
}

/* The demo paper with its administrator. */
static int
add_demo(struct store *st, const struct config *c)
{
    if (demo_create(st, c->media_dir) != 0)
        return -1;
    char *url = site_url(c);
    size_t n = strlen(url) + 16;
    char *newsroom = xmalloc(n);
    snprintf(newsroom, n, "%s/newsroom/", url);
    int rc = app_demo_admin(st, newsroom);
    free(newsroom);
    free(url);
    return rc;
}

int
app_init(struct config *c, bool demo)
{
    bool created;
    struct store *st = app_store_open(c, &created);
    if (st == NULL)
        return 1;
    int rc = 0;
    if (demo) {
        long n = 0;
        struct store_article_query q = {.limit = 1};
        if (store_call(st, article_count, &q, &n) == STORE_OK && n > 0) {
            fprintf(stderr, "broadsheet: '%s' already has articles; the demo paper was not added\n",
                    c->db_path);
            rc = 1;
        } else if (add_demo(st, c) != 0) {
            rc = 1;
        }
    }
    if (rc == 0)
        printf("database '%s' is ready%s\n", c->db_path, demo ? " with the demo paper" : "");
    store_close(st);
    media_shutdown();
    return rc;
}

int
app_backup(struct config *c, const char *dest)
{
    if (!file_exists(c->db_path)) {
        fprintf(stderr, "broadsheet: database '%s' does not exist; nothing to back up\n",
                c->db_path);
        return 1;
    }
    bool created;
    struct store *st = app_store_open(c, &created);
    if (st == NULL)
        return 1;
    int rc = store_call(st, backup, dest) == STORE_OK ? 0 : 1;
    if (rc == 0)
        printf("backup of '%s' written to '%s'\n", c->db_path, dest);
    else
        fprintf(stderr, "broadsheet: backup to '%s' failed\n", dest);
    store_close(st);
    return rc;
}

/* A short version string for static URLs: changes when any asset changes. */
static char *
asset_version(const char *dir)
{
    const char *files[] = {"css/site.css",     "css/print.css",    "js/site.js",
                           "js/comments.js",   "css/newsroom.css", "js/newsroom.js",
                           "css/dict.css",     "js/dict.js"};
    uint64_t h = 0;
    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        size_t len;
        char *data = file_read(path, 8u << 20, &len);
        if (data)
            h ^= hash64(data, len) + i;
        free(data);
    }
    char *v = xmalloc(17);
    snprintf(v, 17, "%016llx", (unsigned long long)h);
    v[10] = '\0';
    return v;
}

/* The agencies of the configuration, as the ingest module sees them
 * (pointing into the configuration's strings). */
static struct ingest_agency *
agencies_of(const struct config *c)
{
    struct ingest_agency *ag = xcalloc(c->nagencies + 1, sizeof(*ag));
    for (size_t i = 0; i < c->nagencies; i++)
        ag[i] = (struct ingest_agency){.name = c->agencies[i].name,
                                       .credit = c->agencies[i].credit,
                                       .key = c->agencies[i].key,
                                       .watch = c->agencies[i].watch,
                                       .section = c->agencies[i].section};
    return ag;
}

struct app {
    struct config *cfg;
    struct store *store;
    struct tmpl_set *tmpl;
    struct http_server *http;
    struct site site;
    struct comments comments;
    struct signin *signin;
    struct talk talk;
    struct distribution dist;
    struct ingest_agency *agencies;
    struct newsroom_config newsroom;
    bool listing; /* `broadsheet routes`: wire, but touch no files */
    struct dict *dict;
    struct dictweb *dictweb;
    struct purger *purger; /* the shared caches in front, or NULL */
    char *base_url;
    char *asset_version;
    char *static_dir;
    char *theme_static;
};

static int
load_templates(struct app *app)
{
    char err[1024];
    char dflt[4096], theme[4096];
    snprintf(dflt, sizeof(dflt), "%s/templates", app->cfg->web_dir);
    const char *dirs[2];
    size_t n = 0;
    if (app->cfg->theme_dir[0]) {
        snprintf(theme, sizeof(theme), "%s/templates", app->cfg->theme_dir);
        if (file_exists(theme))
            dirs[n++] = theme;
    }
    dirs[n++] = dflt;
    app->tmpl = tmpl_set_load(dirs, n, err, sizeof(err));
    if (app->tmpl == NULL) {
        fprintf(stderr, "broadsheet: template error: %s\n", err);
        return -1;
    }
    tmpl_set_tz(app->cfg->tz_minutes);
    return 0;
}

/* The demo paper's readers get Korean meanings in the dictionary pop-up:
 * the small English-Korean list shipped in web/dict, imported once. */
static void
demo_dictionary(struct config *c)
{
    char path[4096], out[4096], err[512];
    snprintf(path, sizeof(path), "%s/dict/en-ko.tsv", c->web_dir);
    if (!file_exists(path))
        return;
    if (dict_import(DICT_FORMAT_TSV, path, "ko", "demo", c->dict_data, out, sizeof(out), err,
                    sizeof(err)) != 0)
        log_warn("demo: the English-Korean dictionary was not imported: %s", err);
}

/* The dictionary: WordNet and the imported dictionaries, in memory for
 * the whole run. Without WordNet the paper still serves; the dictionary's
 * routes answer 503. */
static void
load_dict(struct app *app)
{
    struct config *c = app->cfg;
    char err[512];
    struct dict_config dc = {c->dict_wordnet, c->dict_data, config_dict_language(c)};
    app->dict = dict_open(&dc, err, sizeof(err));
    if (app->dict == NULL) {
        log_warn("dictionary disabled: %s", err);
        return;
    }
    struct dict_stats st;
    dict_stats_get(app->dict, &st);
    log_info("dictionary: WordNet %zu words, %zu senses, %.1f MiB in memory; %zu imported "
             "(%zu entries, %.1f MiB mapped), '%s' first",
             st.words, st.senses, st.heap_bytes / 1048576.0, st.books, st.book_entries,
             st.mapped_bytes / 1048576.0, dc.language);
}

static void
app_release(struct app *app)
{
    distribution_stop(&app->dist);
    free(app->agencies);
    http_server_free(app->http);
    purger_free(app->purger); /* after all that may purge has stopped */
    /* initialised also when `broadsheet routes` wires without a store */
    if (app->comments.config_words)
        comments_release(&app->comments);
    signin_free(app->signin);
    dictweb_free(app->dictweb);
    dict_free(app->dict);
    tmpl_set_free(app->tmpl);
    store_close(app->store);
    free(app->base_url);
    free(app->asset_version);
    free(app->static_dir);
    free(app->theme_static);
}

/* The newsroom's staff guard, for the staff pages other modules serve: the
 * comment queue (moderators and admins; the log names the staff member)
 * and the agency intake page (staff who write). */
static int
moderation_guard(struct http_req *r, void *ctx, struct staff_user *out)
{
    (void)ctx;
    return newsroom_guard(r, STAFF_MODERATE, out);
}

static int
intake_guard(struct http_req *r, void *ctx, struct staff_user *out)
{
    (void)ctx;
    return newsroom_guard(r, STAFF_WRITE, out);
}

/* Comments and sign-in: the providers of the config are handed over to
 * signin; the moderation queue is behind moderation_guard. */
static int
wire_comments(struct app *app)
{
    struct config *c = app->cfg;
    char err[512];
    for (size_t i = 0; i < c->nsignin; i++) {
        if (signin_provider_check(&c->signin[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "broadsheet: config: %s\n", err);
            return -1;
        }
    }
    comments_init(&app->comments, app->store, &c->comments);
    app->signin = signin_new(c->signin, c->nsignin, c->signin_timeout);
    free(c->signin);
    c->signin = NULL;
    c->nsignin = 0;
    app->talk = (struct talk){
        .site = &app->site,
        .comments = &app->comments,
        .signin = app->signin,
        .demo_signin = c->signin_demo && talk_demo_allowed(c->listen_host, c->base_url,
                                                            c->behind_tls, c->trust_proxy),
        .guard = moderation_guard,
        .session_days = c->session_days,
    };
    app->site.comments_json = talk_article_json;
    app->site.comments_ctx = &app->talk;
    talk_routes(&app->talk, app->http);
    return 0;
}

static int
app_wire(struct app *app)
{
    struct config *c = app->cfg;
    char err[512];
    struct http_config hc = {
        .host = c->listen_host,
        .port = c->listen_port,
        .threads = c->threads,
        .max_connections = c->max_connections,
        .request_timeout_s = c->request_timeout,
        .max_body = c->max_body,
        .max_upload = c->max_upload,
        .access_log = app->listing || strcmp(c->access_log, "off") == 0 ? NULL : c->access_log,
        .behind_tls = c->behind_tls,
        .trust_proxy = c->trust_proxy,
        .cache_max_bytes = c->cache_mb << 20,
        .workers = c->workers,
        .work_queue = c->work_queue,
    };
    app->http = http_server_new(&hc, err, sizeof(err));
    if (app->http == NULL) {
        fprintf(stderr, "broadsheet: %s\n", err);
        return -1;
    }
    if (c->purge[0] && !app->listing) {
        app->purger = purger_new(c->purge, err, sizeof(err));
        if (app->purger == NULL) {
            fprintf(stderr, "broadsheet: %s\n", err);
            return -1;
        }
        http_set_purge_hook(app->http, purger_key, app->purger);
    }
    app->static_dir = xmalloc(strlen(c->web_dir) + 8);
    snprintf(app->static_dir, strlen(c->web_dir) + 8, "%s/static", c->web_dir);
    app->asset_version = asset_version(app->static_dir);
    app->base_url = site_url(c);
    bool theme_css = false;
    if (c->theme_dir[0]) {
        app->theme_static = xmalloc(strlen(c->theme_dir) + 8);
        snprintf(app->theme_static, strlen(c->theme_dir) + 8, "%s/static", c->theme_dir);
        char css[4096];
        snprintf(css, sizeof(css), "%s/theme.css", app->theme_static);
        theme_css = file_exists(css);
        if (file_exists(app->theme_static))
            http_static(app->http, "/theme/", app->theme_static, 3600);
    }
    http_static(app->http, "/static/", app->static_dir, 31536000);
    if (!app->listing && make_parent_dirs(c->media_dir) == 0)
        mkdir(c->media_dir, 0755);
    http_static(app->http, "/media/", c->media_dir, 31536000);

    app->site = (struct site){
        .store = app->store,
        .tmpl = app->tmpl,
        .cfg = {.name = c->site_name, .tagline = c->tagline, .base_url = app->base_url,
                .language = c->language, .contact = c->contact, .tz_minutes = c->tz_minutes,
                .asset_version = app->asset_version, .theme_css = theme_css,
                .cache_seconds = 3600},
    };
    http_set_error_page(app->http, site_error_page, &app->site);
    site_routes(&app->site, app->http);
    if (wire_comments(app) != 0)
        return -1;
    app->agencies = agencies_of(c);
    app->dist = (struct distribution){
        .site = &app->site,
        .cfg = {.full_text = c->feeds_full_text, .items = c->feeds_items,
                .agencies = app->agencies, .nagencies = c->nagencies,
                .interval = c->ingest_interval},
        .guard = intake_guard,
    };
    distribution_routes(&app->dist, app->http);
    newsroom_config_defaults(&app->newsroom);
    app->newsroom.media_dir = c->media_dir;
    app->newsroom.idle_timeout = c->session_idle;
    app->newsroom.absolute_timeout = c->session_absolute;
    app->newsroom.login_slow_after = c->login_slow_after;
    app->newsroom.login_max_failures = c->login_max_failures;
    app->newsroom.max_photo_bytes = c->max_photo;
    newsroom_routes(&app->site, &app->newsroom, app->http);
    struct dictweb_config dwc = {c->dict_lookup_rate, c->dict_lookup_burst};
    app->dictweb = dictweb_new(&app->site, app->dict, &dwc);
    dictweb_routes(app->dictweb, app->http);
    site_section_route(&app->site, app->http);
    return 0;
}

int
app_serve(struct config *c, bool demo_if_new)
{
    struct app app = {.cfg = c};
    char err[512];
    bool created;
    int rc = 1;
    /* Before any thread starts (libvips starts some): SIGINT and SIGTERM
     * stay blocked in every thread and are read by the server's signalfd. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (media_init() != 0) {
        fprintf(stderr, "broadsheet: cannot start the image library (libvips)\n");
        return 1;
    }
    app.store = app_store_open(c, &created);
    if (app.store == NULL)
        goto out;
    if (created && demo_if_new) {
        log_info("new database '%s': adding the demo paper", c->db_path);
        if (add_demo(app.store, c) != 0)
            goto out;
        demo_dictionary(c);
    }
    if (load_templates(&app) != 0)
        goto out;
    load_dict(&app);
    if (app_wire(&app) != 0 || distribution_start(&app.dist) != 0)
        goto out;
    if (newsroom_scheduler_start() != 0)
        log_warn("the scheduler did not start: scheduled articles will not go live");
    if (http_server_run(app.http, err, sizeof(err)) != 0) {
        fprintf(stderr, "broadsheet: %s\n", err);
        newsroom_scheduler_stop();
        goto out;
    }
    newsroom_scheduler_stop();
    rc = 0;
out:
    app_release(&app);
    media_shutdown();
    return rc;
}

int
app_import(struct config *c, const char *kind, const char *file)
{
    bool wordpress = strcmp(kind, "wordpress") == 0;
    if (!wordpress && strcmp(kind, "disqus") != 0) {
        fprintf(stderr, "broadsheet: unknown import '%s' (use wordpress or disqus)\n", kind);
        return 2;
    }
    bool created;
    struct store *st = app_store_open(c, &created);
    if (st == NULL)
        return 1;
    struct import_stats stats;
    struct import_options opt = {.progress = stderr};
    char err[512];
    int rc = wordpress ? import_wordpress(st, file, &opt, &stats, err, sizeof(err))
                       : import_disqus(st, file, &opt, &stats, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "broadsheet: import of '%s' stopped: %s\n", file, err);
    import_stats_print(stdout, wordpress ? "wordpress" : "disqus", &stats);
    if (wordpress && stats.posts > 0) {
        fprintf(stderr, "indexing the new articles for search...\n");
        long n = search_index_refresh(st, 0);
        if (n < 0)
            rc = 1;
    }
    store_close(st);
    return rc == 0 ? 0 : 1;
}

int
app_ingest(struct config *c, const char *file, const char *agency)
{
    const struct config_agency *ca = NULL;
    for (size_t i = 0; i < c->nagencies; i++)
        if (agency ? strcmp(c->agencies[i].name, agency) == 0 : c->nagencies == 1)
            ca = &c->agencies[i];
    if (ca == NULL) {
        fprintf(stderr, "broadsheet: %s; agencies are [ingest.<name>] sections of the config\n",
                agency ? "no such agency" : "name the agency with --agency NAME");
        return 2;
    }
    size_t len;
    char *data = file_read(file, INGEST_MAX_FILE, &len);
    if (data == NULL) {
        fprintf(stderr, "broadsheet: cannot read '%s': %s\n", file, strerror(errno));
        return 1;
    }
    bool created;
    struct store *st = app_store_open(c, &created);
    int rc = 1;
    if (st) {
        struct ingest_agency ag = {.name = ca->name, .credit = ca->credit, .key = ca->key,
                                   .watch = ca->watch, .section = ca->section};
        struct ingest_result res;
        const char *base = strrchr(file, '/');
        ingest_bytes(st, &ag, base ? base + 1 : file, data, len, &res);
        printf("%s: %s", file, ingest_outcome_name(res.outcome));
        if (res.article_id)
            printf(" (article %lld)", (long long)res.article_id);
        printf("%s%s\n", res.reason[0] ? ": " : "", res.reason);
        rc = res.outcome == INGEST_QUARANTINED || res.outcome == INGEST_FAILED ? 1 : 0;
        search_index_refresh(st, 0);
        store_close(st);
    }
    free(data);
    return rc;
}

static void
print_route(unsigned methods, const char *pattern, unsigned flags, void *ctx)
{
    (void)ctx;
    static const struct {
        unsigned bit;
        const char *name;
    } ms[] = {{HTTP_GET, "GET"},       {HTTP_HEAD, "HEAD"},     {HTTP_POST, "POST"},
              {HTTP_PUT, "PUT"},       {HTTP_DELETE, "DELETE"}, {HTTP_PATCH, "PATCH"}},
      fs[] = {{HTTP_ROUTE_CACHE, "cache"},
              {HTTP_ROUTE_UPLOAD, "upload"},
              {HTTP_ROUTE_RAWBODY, "rawbody"},
              {HTTP_ROUTE_NO_CSRF, "no-csrf"}};
    struct buf m = BUF_INIT, f = BUF_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(ms); i++)
        if (methods & ms[i].bit)
            buf_addf(&m, "%s%s", m.len ? "," : "", ms[i].name);
    for (size_t i = 0; i < ARRAY_SIZE(fs); i++)
        if (flags & fs[i].bit)
            buf_addf(&f, "%s%s", f.len ? "," : "", fs[i].name);
    printf("%s %s %s\n", m.p ? m.p : "-", pattern, f.p ? f.p : "-");
    buf_release(&m);
    buf_release(&f);
}

int
app_routes(struct config *c)
{
    struct app app = {.cfg = c, .listing = true};
    int rc = 1;
    if (load_templates(&app) == 0 && app_wire(&app) == 0) {
        http_routes_visit(app.http, print_route, NULL);
        rc = 0;
    }
    app_release(&app);
    return rc;
}
