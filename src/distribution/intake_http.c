/*
 * Agency copy over HTTP, and the intake list for the newsroom.
 *
 * POST /api/ingest: the body is one ninjs or NewsML-G2 document; the
 * agency is the one whose key comes as "Authorization: Bearer <key>" (keys
 * compared in constant time, through a hash so that lengths do not leak).
 * The route is exempt from the CSRF check (it is not a browser form) and
 * takes the raw body. Answers JSON: 201 for a new draft, 200 for an update,
 * a duplicate or a held version, 422 with the reason for a document that
 * cannot be read (it is also listed in the quarantine), 401 without a
 * valid key.
 *
 * GET /newsroom/intake: quarantined files with their reasons and the
 * latest agency stories, for staff only (the guard; 403 without one), in
 * the newsroom's layout.
 */
#include "distribution/distribution_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "ingest/ingest.h"
#include "newsroom/newsroom.h"
#include "site/site.h"
#include "store/store.h"

static void
digest(const char *s, size_t n, unsigned char out[crypto_generichash_BYTES])
{
    crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)s, n, NULL, 0);
}

/* The agency whose key the request carries, or NULL. Every agency's key is
 * compared, so the time taken does not say which one came close. */
static const struct ingest_agency *
agency_of(const struct distribution *d, struct http_req *r)
{
    const char *auth = http_header(r, "authorization");
    if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
        return NULL;
    const char *key = auth + 7;
    while (*key == ' ')
        key++;
    unsigned char given[crypto_generichash_BYTES], want[crypto_generichash_BYTES];
    digest(key, strlen(key), given);
    const struct ingest_agency *found = NULL;
    for (size_t i = 0; i < d->cfg.nagencies; i++) {
        const struct ingest_agency *ag = &d->cfg.agencies[i];
        if (ag->key == NULL || ag->key[0] == '\0')
            continue;
        digest(ag->key, strlen(ag->key), want);
        if (sodium_memcmp(given, want, sizeof(want)) == 0)
            found = ag;
    }
    sodium_memzero(given, sizeof(given));
    return found;
}

static int
reply(struct http_req *r, int status, json_t *doc)
{
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    buf_adds(http_body(r), s ? s : "{}");
    buf_addch(http_body(r), '\n');
    free(s);
    http_set_type(r, "application/json; charset=utf-8");
    http_no_store(r);
    return status;
}

static int
ingest_post(struct http_req *r, void *ctx)
{
    struct distribution *d = ctx;
    const struct ingest_agency *ag = agency_of(d, r);
    if (ag == NULL) {
        http_set_header(r, "www-authenticate", "Bearer realm=\"ingest\"");
        return reply(
            r, 401,
            json_pack("{s:s}", "error", "send the agency's key as: Authorization: Bearer <key>"));
    }
    struct str body = http_body_raw(r);
    if (body.n > INGEST_MAX_FILE)
        return reply(r, 413, json_pack("{s:s}", "error", "the document is larger than 4 MB"));
    struct ingest_result res;
    ingest_bytes(d->site->store, ag, "POST /api/ingest", body.p, body.n, &res);
    int status = res.outcome == INGEST_CREATED       ? 201
                 : res.outcome == INGEST_QUARANTINED ? 422
                 : res.outcome == INGEST_FAILED      ? 503
                                                     : 200;
    json_t *doc = json_pack("{s:s, s:s, s:i}", "agency", ag->name, "outcome",
                            ingest_outcome_name(res.outcome), "stories", (int)res.nstories);
    if (res.article_id)
        json_object_set_new(doc, "article_id", json_integer(res.article_id));
    if (res.reason[0])
        json_object_set_new(doc, "reason", json_string(res.reason));
    log_info("ingest: %s: POST %s (article %lld)", ag->name, ingest_outcome_name(res.outcome),
             (long long)res.article_id);
    return reply(r, status, doc);
}

static json_t *
events_json(const struct store_ingest_event *ev, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list,
                              json_pack("{s:I, s:I, s:s, s:s, s:i, s:I, s:s, s:s, s:s}", "id",
                                        (json_int_t)ev[i].id, "at", (json_int_t)ev[i].at, "agency",
                                        ev[i].agency, "guid", ev[i].guid, "version", ev[i].version,
                                        "article_id", (json_int_t)ev[i].article_id, "outcome",
                                        ev[i].outcome, "file", ev[i].file, "reason", ev[i].reason));
    return list;
}

static int
intake_page(struct http_req *r, void *ctx)
{
    struct distribution *d = ctx;
    http_no_store(r);
    if (d->guard == NULL)
        return http_error(r, 403, "staff pages are not available");
    struct staff_user u;
    int st = d->guard(r, d->guard_ctx, &u);
    if (st != 0)
        return st;
    struct arena *a = http_arena(r);
    struct store_ingest_event *bad, *recent;
    size_t nbad = 0, nrecent = 0;
    struct store *s = d->site->store;
    if (store_call(s, ingest_log_list, "quarantined", 200, a, &bad, &nbad) != STORE_OK ||
        store_call(s, ingest_log_list, NULL, 50, a, &recent, &nrecent) != STORE_OK)
        return http_error(r, 503, NULL);
    json_t *data = json_pack("{s:s, s:{s:o, s:o}}", "title", "Agency copy", "intake", "quarantine",
                             events_json(bad, nbad), "recent", events_json(recent, nrecent));
    return newsroom_render(r, &u, "newsroom/intake.html", data);
}

void
dist_intake_routes(struct distribution *d, struct http_server *srv)
{
    http_route(srv, HTTP_POST, "/api/ingest",
               HTTP_ROUTE_NO_CSRF | HTTP_ROUTE_RAWBODY | HTTP_ROUTE_UPLOAD, ingest_post, d);
    http_route(srv, HTTP_GET, "/newsroom/intake", 0, intake_page, d);
}
