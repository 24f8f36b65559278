/*
 * Allocation, slices, capped buffers and arenas. Allocation failure aborts,
 * as in H2O and git: a server that cannot allocate cannot answer anyway.
 */
#include "core/core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("broadsheet: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        die("out of memory allocating %zu bytes", n);
    return p;
}

void *
xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (p == NULL)
        die("out of memory allocating %zu x %zu bytes", count, n);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        die("out of memory reallocating %zu bytes", n);
    return q;
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

struct str
str_from(const char *s)
{
    return (struct str){s, s ? strlen(s) : 0};
}

bool
str_eq(struct str a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && memcmp(a.p, lit, n) == 0;
}

bool
str_starts(struct str a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.n >= n && memcmp(a.p, prefix, n) == 0;
}

/* --- buf --- */

void
buf_init(struct buf *b, size_t max)
{
    *b = (struct buf)BUF_INIT;
    b->max = max;
}

void
buf_release(struct buf *b)
{
    free(b->p);
    *b = (struct buf)BUF_INIT;
}

void
buf_reset(struct buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->p)
        b->p[0] = '\0';
}

static bool
buf_grow(struct buf *b, size_t extra)
{
    if (b->overflow)
        return false;
    if (b->max && (extra > b->max || b->len > b->max - extra)) {
        b->overflow = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
    return true;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
    if (!buf_grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || !buf_grow(b, (size_t)n))
        return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

char *
buf_detach(struct buf *b, size_t *len)
{
    char *p = b->p ? b->p : xstrdup("");
    if (len)
        *len = b->len;
    *b = (struct buf)BUF_INIT;
    return p;
}

/* --- arena: a list of chunks; large requests get a chunk of their own --- */

#define ARENA_CHUNK 8192

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    _Alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct arena_chunk *head;
};

struct arena *
arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

void
arena_free(struct arena *a)
{
    if (a == NULL)
        return;
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    struct arena_chunk *c = a->head;
    if (c == NULL || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
        c = xmalloc(sizeof(*c) + size);
        c->used = 0;
        c->size = size;
        if (n > ARENA_CHUNK / 2 && a->head) {
            /* keep the current chunk on top for later small requests */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *
file_read(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct buf b;
    buf_init(&b, max);
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err || b.overflow) {
        buf_release(&b);
        errno = err ? EIO : EFBIG;
        return NULL;
    }
    return buf_detach(&b, len);
}
