/* Private to the app module. */
#ifndef BROADSHEET_APP_INT_H
#define BROADSHEET_APP_INT_H

#include "app/app.h"

struct store;

struct store *app_store_open(struct config *c, bool *created);
/* Fills an empty database with the demo paper: sections, authors,
 * articles with photos (written under media_dir), tags, a front page. */
int demo_create(struct store *st, const char *media_dir);
/* The demo paper's administrator, 'admin', with a one-time password printed
 * beside the newsroom's address. */
int app_demo_admin(struct store *st, const char *newsroom_url);

/* config_comments.c: [comments], [signin], [signin.<name>]; 1 when the key
 * was one of these (with *bad set when its value is wrong), 0 otherwise. */
void config_comments_defaults(struct config *c);
void config_comments_release(struct config *c);
int config_comments_key(struct config *c, const char *section, const char *name,
                        const char *value, const char **bad);
/* A list value (words, URLs): a key given again, or continued on an indented
 * line, adds to the list instead of replacing it. */
void config_list_add(char **list, const char *value);

#endif
