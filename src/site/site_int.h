/* Private to the site module. */
#ifndef BROADSHEET_SITE_INT_H
#define BROADSHEET_SITE_INT_H

#include "site/site.h"

#define SITE_PAGE_SIZE 20

void site_pages_routes(struct site *s, struct http_server *srv);

#endif
