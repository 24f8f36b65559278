/*
 * The config file's sections for comments and sign-in:
 *   [comments]        the limits and word lists (see README, "Comments")
 *   [signin]          demo, timeout, session_days
 *   [signin.<name>]   a provider: a preset name (google, kakao, naver, x,
 *                     facebook) or any OpenID Connect provider by issuer
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app_int.h"

void
config_comments_defaults(struct config *c)
{
    comments_config_defaults(&c->comments);
    c->signin = NULL;
    c->nsignin = 0;
    c->signin_demo = true;
    c->signin_timeout = 10;
    c->session_days = 30;
}

void
config_comments_release(struct config *c)
{
    comments_config_release(&c->comments);
    for (size_t i = 0; i < c->nsignin; i++)
        signin_provider_release(&c->signin[i]);
    free(c->signin);
    c->signin = NULL;
    c->nsignin = 0;
}

struct int_key {
    const char *name;
    size_t offset;
    long min, max;
};

static const struct int_key comment_ints[] = {
    {"max_chars", offsetof(struct comments_config, max_chars), 1, 10000},
    {"per_article", offsetof(struct comments_config, per_article), 0, 100000},
    {"min_interval", offsetof(struct comments_config, min_interval_s), 0, 86400},
    {"per_day", offsetof(struct comments_config, per_day), 0, 100000},
    {"address_per_hour", offsetof(struct comments_config, address_per_hour), 0, 1000000},
    {"edit_window", offsetof(struct comments_config, edit_window_s), 0, 31536000},
    {"delete_window", offsetof(struct comments_config, delete_window_s), 0, 31536000},
    {"close_after_days", offsetof(struct comments_config, close_after_days), 0, 36500},
    {"report_threshold", offsetof(struct comments_config, report_threshold), 0, 100000},
    {"page_size", offsetof(struct comments_config, page_size), 1, 200},
};

static int
comments_key(struct comments_config *cc, const char *name, const char *value, const char **bad)
{
    for (size_t i = 0; i < ARRAY_SIZE(comment_ints); i++) {
        if (strcmp(name, comment_ints[i].name) != 0)
            continue;
        long n;
        if (parse_long(value, strlen(value), comment_ints[i].min, comment_ints[i].max, &n))
            *bad = "expected a whole number in range (0 turns a limit off)";
        else
            *(int *)((char *)cc + comment_ints[i].offset) = (int)n;
        return 1;
    }
    char **words = strcmp(name, "banned_words") == 0    ? &cc->banned_words
                   : strcmp(name, "suspect_words") == 0 ? &cc->suspect_words
                                                        : NULL;
    if (words == NULL)
        return 0;
    config_list_add(words, value);
    return 1;
}

static int
signin_key(struct config *c, const char *name, const char *value, const char **bad)
{
    long n;
    if (strcmp(name, "demo") == 0) {
        if (!strcasecmp(value, "true") || !strcmp(value, "1") || !strcasecmp(value, "yes"))
            c->signin_demo = true;
        else if (!strcasecmp(value, "false") || !strcmp(value, "0") || !strcasecmp(value, "no"))
            c->signin_demo = false;
        else
            *bad = "expected true or false";
    } else if (strcmp(name, "timeout") == 0) {
        if (parse_long(value, strlen(value), 1, 60, &n))
            *bad = "expected seconds from 1 to 60";
        c->signin_timeout = (int)n;
    } else if (strcmp(name, "session_days") == 0) {
        if (parse_long(value, strlen(value), 1, 365, &n))
            *bad = "expected days from 1 to 365";
        c->session_days = (int)n;
    } else {
        return 0;
    }
    return 1;
}

static bool
provider_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32 || strcmp(s, "demo") == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* The provider of [signin.<name>], created (from a preset when the name is
 * one) at its first key. */
static struct signin_provider *
provider_for(struct config *c, const char *name)
{
    for (size_t i = 0; i < c->nsignin; i++)
        if (strcmp(c->signin[i].name, name) == 0)
            return &c->signin[i];
    c->signin = xrealloc(c->signin, (c->nsignin + 1) * sizeof(*c->signin));
    struct signin_provider *p = &c->signin[c->nsignin++];
    if (signin_preset(name, p) != 0)
        signin_provider_init(p, name);
    return p;
}

static int
provider_key(struct signin_provider *p, const char *name, const char *value, const char **bad)
{
    struct {
        const char *key;
        char **slot;
    } strs[] = {
        {"label", &p->label},           {"issuer", &p->issuer},
        {"client_id", &p->client_id},   {"client_secret", &p->client_secret},
        {"authorize_url", &p->authorize_url}, {"token_url", &p->token_url},
        {"userinfo_url", &p->userinfo_url},   {"scope", &p->scope},
        {"subject_field", &p->subject_field}, {"name_field", &p->name_field},
        {"email_field", &p->email_field},
    };
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
        if (strcmp(name, strs[i].key) == 0) {
            free(*strs[i].slot);
            *strs[i].slot = xstrdup(value);
            if (strs[i].slot == &p->authorize_url)
                p->kind = SIGNIN_OAUTH2;
            return 1;
        }
    }
    long n;
    if (strcmp(name, "token_auth") == 0) {
        if (strcmp(value, "basic") && strcmp(value, "post"))
            *bad = "expected basic or post";
        p->token_auth_basic = strcmp(value, "basic") == 0;
    } else if (strcmp(name, "leeway") == 0) {
        if (parse_long(value, strlen(value), 0, 600, &n))
            *bad = "expected seconds from 0 to 600";
        p->leeway_s = (int)n;
    } else if (strcmp(name, "kind") == 0) {
        if (strcmp(value, "oidc") && strcmp(value, "oauth2"))
            *bad = "expected oidc or oauth2";
        p->kind = strcmp(value, "oidc") == 0 ? SIGNIN_OIDC : SIGNIN_OAUTH2;
    } else {
        return 0;
    }
    return 1;
}

int
config_comments_key(struct config *c, const char *section, const char *name, const char *value,
                    const char **bad)
{
    if (strcmp(section, "comments") == 0)
        return comments_key(&c->comments, name, value, bad);
    if (strcmp(section, "signin") == 0)
        return signin_key(c, name, value, bad);
    if (strncmp(section, "signin.", 7) != 0)
        return 0;
    if (!provider_name_ok(section + 7)) {
        *bad = "a provider's name is lower-case letters, digits and '-' (and not 'demo')";
        return 1;
    }
    return provider_key(provider_for(c, section + 7), name, value, bad);
}
