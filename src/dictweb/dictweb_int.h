/* Private to the dictweb module. */
#ifndef BROADSHEET_DICTWEB_INT_H
#define BROADSHEET_DICTWEB_INT_H

#include "dictweb/dictweb.h"

/* A token bucket per client address, in memory: burst lookups at once,
 * refilled at rate per minute. A fixed table; the least recently seen
 * address gives way when its neighbourhood is full. Thread-safe. */
struct ratelimit;
struct ratelimit *ratelimit_new(int per_minute, int burst);
void ratelimit_free(struct ratelimit *rl);
/* true if addr may go ahead; otherwise false with the seconds to wait. */
bool ratelimit_take(struct ratelimit *rl, const char *addr, int *retry_after);

#endif
