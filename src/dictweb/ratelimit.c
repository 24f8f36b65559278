/*
 * Token buckets per client address for the dictionary's lookups. One
 * mutex guards a fixed table of slots (no allocation per request); an
 * address hashes to a neighbourhood of PROBE slots, and when none is its
 * own or free, the one seen longest ago is reused.
 */
#include "dictweb/dictweb_int.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define PROBE 8

struct slot {
    char addr[48];
    double tokens;
    double last; /* seconds, monotonic */
};

struct ratelimit {
    pthread_mutex_t lock;
    double rate; /* tokens per second */
    double burst;
    struct slot slots[SLOTS];
};

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct ratelimit *
ratelimit_new(int per_minute, int burst)
{
    struct ratelimit *rl = xcalloc(1, sizeof(*rl));
    pthread_mutex_init(&rl->lock, NULL);
    rl->rate = (per_minute > 0 ? per_minute : 60) / 60.0;
    rl->burst = burst > 0 ? burst : 1;
    return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/* An empty slot beats any used one; among used ones, the oldest. */
static bool
better(const struct slot *cand, const struct slot *pick)
{
    if (pick == NULL)
        return true;
    if (cand->addr[0] == '\0' || pick->addr[0] == '\0')
        return cand->addr[0] == '\0' && pick->addr[0] != '\0';
    return cand->last < pick->last;
}

static struct slot *
find_slot(struct ratelimit *rl, const char *addr, double now)
{
    size_t base = (size_t)hash64(addr, strlen(addr));
    struct slot *pick = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        struct slot *s = &rl->slots[(base + i) % SLOTS];
        if (strcmp(s->addr, addr) == 0)
            return s;
        if (better(s, pick))
            pick = s;
    }
    snprintf(pick->addr, sizeof(pick->addr), "%s", addr);
    pick->tokens = rl->burst;
    pick->last = now;
    return pick;
}

bool
ratelimit_take(struct ratelimit *rl, const char *addr, int *retry_after)
{
    double now = now_seconds();
    pthread_mutex_lock(&rl->lock);
    struct slot *s = find_slot(rl, addr && addr[0] ? addr : "unknown", now);
    s->tokens += (now - s->last) * rl->rate;
    if (s->tokens > rl->burst)
        s->tokens = rl->burst;
    s->last = now;
    bool ok = s->tokens >= 1.0;
    if (ok)
        s->tokens -= 1.0;
    else
        *retry_after = (int)ceil((1.0 - s->tokens) / rl->rate);
    pthread_mutex_unlock(&rl->lock);
    return ok;
}
