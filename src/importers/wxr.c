/*
 * WordPress export (WXR 1.0-1.2) reader: the channel's authors and
 * categories, then each <item> with its terms and comments.
 */
#include "importers/importers_int.h"

#include <stdlib.h>
#include <string.h>

#define NS_WP "wordpress.org/export/"
#define NS_CONTENT "purl.org/rss/1.0/modules/content"
#define NS_DC "purl.org/dc/elements"
#define MAX_TERMS 64
#define MAX_COMMENTS 10000

static int
author(struct wxr_handler *h, xmlNode *n, struct arena *a)
{
    struct wxr_author au = {
        .login = import_text(a, n, NS_WP, "author_login"),
        .email = import_text(a, n, NS_WP, "author_email"),
        .display_name = import_text(a, n, NS_WP, "author_display_name"),
    };
    if (au.login[0] == '\0' || h->author == NULL)
        return 0;
    return h->author(h->ctx, &au);
}

static int
category(struct wxr_handler *h, xmlNode *n, struct arena *a)
{
    struct wxr_category c = {
        .nicename = import_text(a, n, NS_WP, "category_nicename"),
        .name = import_text(a, n, NS_WP, "cat_name"),
        .parent = import_text(a, n, NS_WP, "category_parent"),
    };
    if (c.nicename[0] == '\0' || h->category == NULL)
        return 0;
    return h->category(h->ctx, &c);
}

static void
comment(xmlNode *n, struct arena *a, struct wxr_comment *c)
{
    c->id = import_text(a, n, NS_WP, "comment_id");
    c->parent = import_text(a, n, NS_WP, "comment_parent");
    c->author = import_text(a, n, NS_WP, "comment_author");
    c->email = import_text(a, n, NS_WP, "comment_author_email");
    c->url = import_text(a, n, NS_WP, "comment_author_url");
    c->ip = import_text(a, n, NS_WP, "comment_author_IP");
    c->user_id = import_text(a, n, NS_WP, "comment_user_id");
    c->date_gmt = import_text(a, n, NS_WP, "comment_date_gmt");
    c->content = import_text(a, n, NS_WP, "comment_content");
    c->approved = import_text(a, n, NS_WP, "comment_approved");
    c->type = import_text(a, n, NS_WP, "comment_type");
}

static void
terms_and_comments(xmlNode *n, struct arena *a, struct wxr_post *p)
{
    size_t nterms = 0, ncomments = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        bool wp = c->ns && c->ns->href && strstr((const char *)c->ns->href, NS_WP);
        nterms += !c->ns && strcmp((const char *)c->name, "category") == 0;
        ncomments += wp && strcmp((const char *)c->name, "comment") == 0;
    }
    p->terms = arena_zalloc(a, (nterms < MAX_TERMS ? nterms : MAX_TERMS) * sizeof(*p->terms) + 1);
    p->comments = arena_zalloc(
        a, (ncomments < MAX_COMMENTS ? ncomments : MAX_COMMENTS) * sizeof(*p->comments) + 1);
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        bool wp = c->ns && c->ns->href && strstr((const char *)c->ns->href, NS_WP);
        if (!c->ns && strcmp((const char *)c->name, "category") == 0 && p->nterms < MAX_TERMS) {
            struct wxr_term *t = &p->terms[p->nterms++];
            t->domain = import_attr(a, c, "domain");
            t->nicename = import_attr(a, c, "nicename");
            xmlChar *name = xmlNodeGetContent(c);
            t->name = arena_strdup(a, name ? (const char *)name : "");
            xmlFree(name);
        } else if (wp && strcmp((const char *)c->name, "comment") == 0 &&
                   p->ncomments < MAX_COMMENTS) {
            comment(c, a, &p->comments[p->ncomments++]);
        }
    }
}

static int
item(struct wxr_handler *h, xmlNode *n, struct arena *a)
{
    struct wxr_post p = {
        .id = import_text(a, n, NS_WP, "post_id"),
        .title = import_text(a, n, NULL, "title"),
        .link = import_text(a, n, NULL, "link"),
        .guid = import_text(a, n, NULL, "guid"),
        .creator = import_text(a, n, NS_DC, "creator"),
        .content = import_text(a, n, NS_CONTENT, "encoded"),
        .excerpt = NULL,
        .name = import_text(a, n, NS_WP, "post_name"),
        .status = import_text(a, n, NS_WP, "status"),
        .type = import_text(a, n, NS_WP, "post_type"),
        .date_gmt = import_text(a, n, NS_WP, "post_date_gmt"),
        .date = import_text(a, n, NS_WP, "post_date"),
        .pubdate = import_text(a, n, NULL, "pubDate"),
    };
    /* excerpt:encoded lives in WordPress's excerpt namespace */
    xmlNode *ex = NULL;
    for (xmlNode *c = n->children; c && ex == NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
            strstr((const char *)c->ns->href, "excerpt") &&
            strcmp((const char *)c->name, "encoded") == 0)
            ex = c;
    xmlChar *exs = ex ? xmlNodeGetContent(ex) : NULL;
    p.excerpt = arena_strdup(a, exs ? (const char *)exs : "");
    xmlFree(exs);
    terms_and_comments(n, a, &p);
    if (p.id[0] == '\0' || h->post == NULL)
        return 0;
    return h->post(h->ctx, &p);
}

static void
set_site(struct wxr_handler *h, xmlNode *n, bool prefer)
{
    if (h->site[0] && !prefer)
        return;
    xmlChar *t = xmlNodeGetContent(n);
    if (t && t[0])
        snprintf(h->site, sizeof(h->site), "%s", (const char *)t);
    xmlFree(t);
}

static int
on_record(void *ctx, xmlNode *n, struct arena *a)
{
    struct wxr_handler *h = ctx;
    const char *name = (const char *)n->name;
    bool wp = n->ns && n->ns->href && strstr((const char *)n->ns->href, NS_WP);
    if (!n->ns && strcmp(name, "item") == 0)
        return item(h, n, a);
    if (wp && strcmp(name, "author") == 0)
        return author(h, n, a);
    if (wp && strcmp(name, "category") == 0)
        return category(h, n, a);
    if (wp && strcmp(name, "base_site_url") == 0)
        set_site(h, n, true);
    else if (!n->ns && strcmp(name, "link") == 0)
        set_site(h, n, false);
    return 0;
}

static void
on_progress(void *ctx, long bytes)
{
    struct wxr_handler *h = ctx;
    if (h->progress)
        h->progress(h->ctx, bytes);
}

static struct import_stream
stream(struct wxr_handler *h)
{
    return (struct import_stream){.root = "rss",
                                  .what = "WordPress export",
                                  .record_depth = 2,
                                  .on_record = on_record,
                                  .progress = on_progress,
                                  .ctx = h};
}

int
import_wxr_parse_memory(const char *p, size_t n, struct wxr_handler *h, char *err, size_t errlen)
{
    struct import_stream s = stream(h);
    return import_stream_memory(p, n, &s, err, errlen);
}

int
import_wxr_parse_file(const char *path, struct wxr_handler *h, char *err, size_t errlen)
{
    struct import_stream s = stream(h);
    return import_stream_file(path, &s, err, errlen);
}
