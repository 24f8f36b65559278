/*
 * Purging a shared HTTP cache in front (Varnish with the xkey module, or
 * anything that takes the same request): every surrogate key the server
 * purges from its own page cache is sent on, batched, as
 *
 *     PURGE / HTTP/1.1
 *     xkey-purge: a:12 s:3 front
 *
 * to each configured cache, from a thread of its own so that no request
 * waits for it. A key purged again before it was sent is sent once; when
 * too many wait, "all" goes instead.
 */
#ifndef BROADSHEET_PURGE_H
#define BROADSHEET_PURGE_H

#include <stddef.h>

struct purger;

/* urls: one or more http(s) URLs separated by spaces or commas. NULL with a
 * message in err when one is malformed or there are too many. */
struct purger *purger_new(const char *urls, char *err, size_t errlen);
/* Checks a configuration value as purger_new would: NULL, or why not. */
const char *purger_urls_check(const char *urls);
/* Queues a surrogate key; thread-safe, never blocks on the network. Its
 * signature is http_purge_fn's, so it is the server's purge hook. */
void purger_key(const char *key, void *purger);
/* Sends what is queued (a few seconds at most), then stops the thread. */
void purger_free(struct purger *p);

#endif
