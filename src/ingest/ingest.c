/*
 * From agency stories to newsroom drafts. See ingest.h for the rules on
 * versions, holding and quarantine.
 */
#include "ingest/ingest_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store.h"

#define WITHDRAWN "[Withdrawn by the agency] "

const char *
ingest_outcome_name(enum ingest_outcome o)
{
    static const char *names[] = {"created",  "updated",     "duplicate", "held",
                                  "canceled", "quarantined", "failed"};
    return (unsigned)o < ARRAY_SIZE(names) ? names[o] : "failed";
}

char *
ingest_clean(struct arena *a, const char *s, size_t n, bool newlines, size_t max)
{
    size_t len = 0;
    char *c = text_clean(s, n, newlines, &len);
    if (c == NULL)
        return arena_strdup(a, "");
    if (max && len > max) {
        len = max;
        while (len > 0 && ((unsigned char)c[len] & 0xC0) == 0x80)
            len--;
    }
    char *out = arena_strndup(a, c, len);
    free(c);
    return out;
}

int
ingest_parse(const char *p, size_t n, struct arena *a, struct ingest_story **out, size_t *nout,
             char *err, size_t errlen)
{
    *out = NULL;
    *nout = 0;
    size_t i = 0;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i == n) {
        snprintf(err, errlen, "the file is empty");
        return -1;
    }
    if (p[i] == '{') {
        *out = arena_zalloc(a, sizeof(**out));
        if (ingest_ninjs_parse(p + i, n - i, a, *out, err, errlen) != 0)
            return -1;
        *nout = 1;
        return 0;
    }
    if (p[i] == '<')
        return ingest_newsml_parse(p, n, a, out, nout, err, errlen);
    snprintf(err, errlen, "neither ninjs (JSON) nor NewsML-G2 (XML)");
    return -1;
}

/* --- filing stories --- */

struct intake {
    struct store *st;
    const struct ingest_agency *ag;
    const char *name;
    struct arena *a;
};

static void
log_event(struct intake *in, const struct ingest_story *s, enum ingest_outcome o,
          int64_t article_id, const char *reason)
{
    struct store_ingest_event ev = {
        .agency = (char *)in->ag->name,
        .guid = s ? s->guid : (char *)"",
        .version = s ? s->version : 0,
        .article_id = article_id,
        .outcome = (char *)ingest_outcome_name(o),
        .file = (char *)in->name,
        .reason = (char *)(reason ? reason : ""),
    };
    if (store_call(in->st, ingest_log_add, &ev) != STORE_OK)
        log_error("ingest: cannot record '%s' for '%s'", ev.outcome, in->name);
}

/* "KCNA via Yonhap", or the agency's credit alone. */
static char *
credit_of(struct arena *a, const struct ingest_agency *ag, const struct ingest_story *s)
{
    const char *credit = ag->credit && ag->credit[0] ? ag->credit : ag->name;
    if (s->source && s->source[0] && strcasecmp(s->source, credit) != 0)
        return arena_printf(a, "%s via %s", s->source, credit);
    return arena_strdup(a, credit);
}

/* The section for the agency's drafts: its configured path, else the first
 * top-level section. 0 if there is none. */
static int64_t
section_for(struct intake *in)
{
    struct store_section *secs;
    size_t n = 0;
    if (store_call(in->st, section_list, in->a, &secs, &n) != STORE_OK || n == 0)
        return 0;
    const char *path = in->ag->section ? in->ag->section : "";
    int64_t parent = 0, found = 0;
    while (*path) {
        const char *slash = strchr(path, '/');
        size_t len = slash ? (size_t)(slash - path) : strlen(path);
        found = 0;
        for (size_t i = 0; i < n && len; i++)
            if (secs[i].parent_id == parent && strlen(secs[i].slug) == len &&
                strncmp(secs[i].slug, path, len) == 0)
                found = secs[i].id;
        if (found == 0)
            break;
        parent = found;
        path += len + (slash ? 1 : 0);
    }
    if (found)
        return found;
    for (size_t i = 0; i < n; i++)
        if (secs[i].parent_id == 0)
            return secs[i].id;
    return secs[0].id;
}

static int
add_subject_tags(struct intake *in, const struct ingest_story *s, struct store_article *art)
{
    size_t have = art->ntags;
    struct store_tag *tags = arena_zalloc(in->a, (have + s->nsubjects + 1) * sizeof(*tags));
    if (have)
        memcpy(tags, art->tags, have * sizeof(*tags));
    for (size_t i = 0; i < s->nsubjects; i++) {
        int64_t id;
        int rc = store_call(in->st, tag_ensure, s->subjects[i], &id);
        if (rc == STORE_INVALID)
            continue; /* a name with no letters makes no tag */
        if (rc != STORE_OK)
            return -1;
        bool dup = false;
        for (size_t k = 0; k < have; k++)
            dup |= tags[k].id == id;
        if (!dup)
            tags[have++].id = id;
    }
    art->tags = tags;
    art->ntags = have;
    return 0;
}

static void
fill_article(struct intake *in, const struct ingest_story *s, struct store_article *art)
{
    char *slug = slug_make(s->headline, strlen(s->headline), 80);
    art->slug = arena_strdup(in->a, slug[0] ? slug : "story");
    free(slug);
    bool canceled = strcmp(s->pubstatus ? s->pubstatus : "", "canceled") == 0;
    art->headline = canceled ? arena_printf(in->a, WITHDRAWN "%s", s->headline) : s->headline;
    art->summary = s->summary ? s->summary : (char *)"";
    art->body = s->body ? s->body : (char *)"";
    art->credit = credit_of(in->a, in->ag, s);
    /* an embargo becomes the earliest publication time */
    art->published_at = s->embargo > time_now() ? s->embargo : art->published_at;
}

static void
fill_item(const struct intake *in, const struct ingest_story *s, struct store_ingest_item *it)
{
    memset(it, 0, sizeof(*it));
    it->agency = (char *)in->ag->name;
    it->guid = s->guid;
    it->version = s->version;
    it->urgency = s->urgency;
    it->source = s->source;
    it->byline = s->byline;
    it->pubstatus = s->pubstatus;
    it->embargo_until = s->embargo;
    it->received_at = time_now();
}

static enum ingest_outcome
create_draft(struct intake *in, const struct ingest_story *s, int64_t *id, char *why, size_t wlen)
{
    struct store_article art = {0};
    art.section_id = section_for(in);
    if (art.section_id == 0) {
        snprintf(why, wlen, "there is no section to file the draft in: create one first");
        return INGEST_FAILED;
    }
    art.status = ARTICLE_DRAFT;
    fill_article(in, s, &art);
    if (add_subject_tags(in, s, &art) != 0)
        return INGEST_FAILED;
    struct store_ingest_item it;
    fill_item(in, s, &it);
    if (store_call(in->st, ingest_item_save, &it, &art) != STORE_OK)
        return INGEST_FAILED;
    *id = art.id;
    return INGEST_CREATED;
}

static enum ingest_outcome
update_draft(struct intake *in, const struct ingest_story *s, const struct store_ingest_item *old,
             int64_t *id, char *why, size_t wlen)
{
    struct store_article art;
    int rc = store_call(in->st, article_get, old->article_id, in->a, &art);
    if (rc == STORE_NOTFOUND)
        return create_draft(in, s, id, why, wlen); /* the draft was deleted */
    if (rc != STORE_OK)
        return INGEST_FAILED;
    *id = art.id;
    if (art.status != ARTICLE_DRAFT && art.status != ARTICLE_READY)
        goto held;
    fill_article(in, s, &art);
    if (add_subject_tags(in, s, &art) != 0)
        return INGEST_FAILED;
    struct store_ingest_item it;
    fill_item(in, s, &it);
    rc = store_call(in->st, ingest_item_save, &it, &art);
    if (rc == STORE_CONFLICT)
        goto held;
    if (rc != STORE_OK)
        return INGEST_FAILED;
    return strcmp(s->pubstatus, "canceled") == 0 ? INGEST_CANCELED : INGEST_UPDATED;
held:
    snprintf(why, wlen,
             "version %d arrived after the article was %s; it was not applied (an editor can "
             "apply it by hand)",
             s->version, store_article_status_name(art.status));
    return INGEST_HELD;
}

static enum ingest_outcome
file_story(struct intake *in, const struct ingest_story *s, int64_t *id, char *why, size_t wlen)
{
    struct store_ingest_item old;
    int rc = store_call(in->st, ingest_item_get, in->ag->name, s->guid, in->a, &old);
    if (rc == STORE_NOTFOUND || (rc == STORE_OK && old.article_id == 0))
        return create_draft(in, s, id, why, wlen);
    if (rc != STORE_OK)
        return INGEST_FAILED;
    *id = old.article_id;
    if (s->version <= old.version) {
        snprintf(why, wlen, "version %d is not newer than version %d, already received", s->version,
                 old.version);
        return INGEST_DUPLICATE;
    }
    return update_draft(in, s, &old, id, why, wlen);
}

int
ingest_bytes(struct store *st, const struct ingest_agency *ag, const char *name, const char *p,
             size_t n, struct ingest_result *res)
{
    memset(res, 0, sizeof(*res));
    struct intake in = {.st = st, .ag = ag, .name = name, .a = arena_new()};
    struct ingest_story *stories;
    size_t count = 0;
    int rc = 0;
    if (ingest_parse(p, n, in.a, &stories, &count, res->reason, sizeof(res->reason)) != 0) {
        res->outcome = INGEST_QUARANTINED;
        log_event(&in, NULL, INGEST_QUARANTINED, 0, res->reason);
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        char why[256] = "";
        int64_t id = 0;
        enum ingest_outcome o = file_story(&in, &stories[i], &id, why, sizeof(why));
        res->outcome = o;
        res->article_id = id;
        res->nstories++;
        if (why[0])
            snprintf(res->reason, sizeof(res->reason), "%.250s", why);
        if (o == INGEST_FAILED) {
            /* kept aside like an unreadable file, so the next files go on */
            snprintf(res->reason, sizeof(res->reason), "could not be filed: %.200s",
                     why[0] ? why : "the database refused the draft");
            res->outcome = INGEST_QUARANTINED;
            log_event(&in, &stories[i], INGEST_QUARANTINED, 0, res->reason);
            rc = -1;
            break;
        }
        log_event(&in, &stories[i], o, id, why);
    }
out:
    arena_free(in.a);
    return rc;
}
