/* Private to the app module. */
#ifndef BROADSHEET_APP_INT_H
#define BROADSHEET_APP_INT_H

#include "app/app.h"

struct store;

struct store *app_store_open(struct config *c, bool *created);
/* Fills an empty database with the demo paper: sections, authors,
 * articles with photos (written under media_dir), tags, a front page. */
int demo_create(struct store *st, const char *media_dir);

#endif
