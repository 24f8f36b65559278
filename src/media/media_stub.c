/*
 * Stand-in for the media module while src/media/media.c is being written
 * elsewhere: the Makefile builds this file only when media.c is absent.
 * Every upload is refused, so nothing is ever stored. Delete this file once
 * media.c is merged.
 */
#include "media/media.h"

#include <stdio.h>

int
media_init(void)
{
    return 0;
}

void
media_shutdown(void)
{
}

int
media_photo_store(const char *media_dir, const void *bytes, size_t len,
                  const struct media_limits *limits, struct media_photo *out, char *err,
                  size_t errlen)
{
    (void)media_dir;
    (void)bytes;
    (void)len;
    (void)limits;
    (void)out;
    snprintf(err, errlen, "photo processing is not built into this server");
    return -1;
}

void
media_photo_remove(const char *media_dir, const char *name)
{
    (void)media_dir;
    (void)name;
}
