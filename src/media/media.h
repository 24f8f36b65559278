/*
 * media: photos. An upload is validated by decoding it with libvips (only
 * JPEG, PNG and WebP; dimensions checked from the header before any pixel
 * is decoded), its metadata stripped, turned upright, and re-encoded at a
 * few widths as WebP and JPEG under a generated name in the media folder:
 *   <media_dir>/<name>-<width>.webp and .jpg
 * A failure leaves no file behind. Safe to call from several threads.
 */
#ifndef BROADSHEET_MEDIA_H
#define BROADSHEET_MEDIA_H

#include "core/core.h"

struct media_limits {
    size_t max_bytes; /* of the upload; 0 = 20 MiB */
    int max_side;     /* pixels; 0 = 12000 */
    long max_pixels;  /* width * height; 0 = 50 million */
    bool quick;       /* encode with less effort: files a little larger, about half the
                       * CPU (the demo paper, which tests create often) */
};

struct media_photo {
    char name[64]; /* generated base name, e.g. "p-3f9c0a1b2d4e5f60" */
    int width;     /* of the largest rendition */
    int height;
    char widths[64]; /* stored widths, ascending, space-separated: "360 720 1200" */
};

/* Starts libvips once per process (idempotent) and stops it at exit. */
int media_init(void);
void media_shutdown(void);

/* Stores a photo from the bytes of an uploaded file. 0 on success; -1 with
 * a message for a person in err ("the file is not a JPEG, PNG or WebP
 * image", "the image is 20000 x 20000 pixels; the limit is ..."). */
int media_photo_store(const char *media_dir, const void *bytes, size_t len,
                      const struct media_limits *limits, struct media_photo *out, char *err,
                      size_t errlen);
/* Removes every rendition of a stored photo. */
void media_photo_remove(const char *media_dir, const char *name);

#endif
