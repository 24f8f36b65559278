/*
 * Photos uploaded in the editor: a quick look at the first bytes for a
 * clear message, then the media module (libvips) validates by decoding,
 * strips metadata and stores the renditions; then the store gets its row.
 * Any failure removes what was made, so nothing is left behind.
 */
#include "newsroom/newsroom_int.h"

#include <stdio.h>
#include <string.h>

#include "media/media.h"

/* JPEG, PNG or WebP by their signatures; the decoder has the last word. */
static bool
looks_like_image(const unsigned char *p, size_t n)
{
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return true;
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return true;
    return n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0;
}

static const char *
size_text(struct arena *a, size_t bytes)
{
    if (bytes >= 1024 * 1024)
        return arena_printf(a, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
    return arena_printf(a, "%zu KB", (bytes + 1023) / 1024);
}

int
nr_photo_upload(const struct http_file *f, const char *caption, const char *credit,
                const char *alt, struct store_photo *out, struct arena *a, const char **err)
{
    const struct newsroom_config *c = &nr_ctx.cfg;
    if (f->len == 0) {
        *err = "the photo file is empty; choose the file again";
        return -1;
    }
    if (f->len > c->max_photo_bytes) {
        *err = arena_printf(a, "the photo is %s; the limit is %s: make it smaller and try again",
                            size_text(a, f->len), size_text(a, c->max_photo_bytes));
        return -1;
    }
    if (!looks_like_image(f->data, f->len)) {
        *err = "the file is not a JPEG, PNG or WebP image (SVG and other formats are not "
               "accepted)";
        return -1;
    }
    struct media_limits lim = {.max_bytes = c->max_photo_bytes, .max_side = c->max_photo_side,
                               .max_pixels = c->max_photo_pixels};
    struct media_photo mp;
    char msg[256] = "";
    if (media_init() != 0 ||
        media_photo_store(c->media_dir, f->data, f->len, &lim, &mp, msg, sizeof(msg)) != 0) {
        *err = arena_strdup(a, msg[0] ? msg : "the photo could not be processed");
        return -1;
    }
    memset(out, 0, sizeof(*out));
    out->name = arena_strdup(a, mp.name);
    out->width = mp.width;
    out->height = mp.height;
    out->widths = arena_strdup(a, mp.widths);
    out->caption = (char *)caption;
    out->credit = (char *)credit;
    out->alt = (char *)alt;
    if (store_call(nr_ctx.store, photo_save, out) != STORE_OK) {
        media_photo_remove(c->media_dir, mp.name);
        *err = "the photo could not be saved; try again";
        return -1;
    }
    return 0;
}

void
nr_photo_discard(const struct store_photo *p)
{
    if (p->id)
        store_call(nr_ctx.store, photo_delete, p->id);
    if (p->name)
        media_photo_remove(nr_ctx.cfg.media_dir, p->name);
}
