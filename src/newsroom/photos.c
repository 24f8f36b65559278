/*
 * Photos uploaded in the editor and with author profiles: a quick look at
 * the first bytes for a clear message, then the media module (libvips)
 * validates by decoding, strips metadata and stores the renditions, on a
 * worker thread (http_defer: a few hundred milliseconds that no reader on
 * the loop should wait for); then, back on the loop, the store gets its
 * row and the caller's next step runs. Any failure removes what was made,
 * so nothing is left behind, also when the client leaves meanwhile.
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

/* The quick checks, before any decoding; 0, or -1 with up->err. */
static int
photo_check(struct nr_upload *up, struct arena *a)
{
    const struct newsroom_config *c = &nr_ctx.cfg;
    const struct http_file *f = up->file;
    if (f->len == 0)
        up->err = "the photo file is empty; choose the file again";
    else if (f->len > c->max_photo_bytes)
        up->err = arena_printf(a, "the photo is %s; the limit is %s: make it smaller and try again",
                               size_text(a, f->len), size_text(a, c->max_photo_bytes));
    else if (!looks_like_image(f->data, f->len))
        up->err = "the file is not a JPEG, PNG or WebP image (SVG and other formats are not "
                  "accepted)";
    return up->err ? -1 : 0;
}

/* On a worker: libvips decodes, strips and writes the renditions. Reads
 * the uploaded bytes from the request's arena (http_defer's rules). */
static void
upload_work(void *p)
{
    struct nr_upload *up = p;
    const struct newsroom_config *c = &nr_ctx.cfg;
    struct media_limits lim = {.max_bytes = c->max_photo_bytes, .max_side = c->max_photo_side,
                               .max_pixels = c->max_photo_pixels};
    up->msg[0] = '\0';
    up->processed =
        media_init() == 0 && media_photo_store(c->media_dir, up->file->data, up->file->len, &lim,
                                               &up->mp, up->msg, sizeof(up->msg)) == 0;
}

/* Back on the loop: the store's row, then the caller's step. */
static int
upload_done(struct http_req *r, void *p)
{
    struct nr_upload *up = p;
    struct arena *a = http_arena(r);
    if (!up->processed) {
        up->err = arena_strdup(a, up->msg[0] ? up->msg : "the photo could not be processed");
        return up->then(r, up);
    }
    up->processed = false; /* the row or the removal below takes the files over */
    struct store_photo *out = &up->photo;
    memset(out, 0, sizeof(*out));
    out->name = arena_strdup(a, up->mp.name);
    out->width = up->mp.width;
    out->height = up->mp.height;
    out->widths = arena_strdup(a, up->mp.widths);
    out->caption = (char *)up->caption;
    out->credit = (char *)up->credit;
    out->alt = (char *)up->alt;
    if (store_call(nr_ctx.store, photo_save, out) != STORE_OK) {
        media_photo_remove(nr_ctx.cfg.media_dir, up->mp.name);
        memset(out, 0, sizeof(*out));
        up->err = "the photo could not be saved; try again";
    }
    return up->then(r, up);
}

/* After the caller's step, or instead of it when the client went away:
 * files that no row took over are removed. */
static void
upload_free(void *p)
{
    struct nr_upload *up = p;
    if (up->processed)
        media_photo_remove(nr_ctx.cfg.media_dir, up->mp.name);
    up->processed = false;
    if (up->release)
        up->release(up->ctx);
}

int
nr_photo_upload(struct http_req *r, struct nr_upload *up)
{
    up->err = NULL;
    if (photo_check(up, http_arena(r)) != 0) {
        int st = up->then(r, up);
        upload_free(up);
        return st;
    }
    return http_defer(r, upload_work, upload_done, upload_free, up);
}

void
nr_photo_discard(const struct store_photo *p)
{
    if (p->id)
        store_call(nr_ctx.store, photo_delete, p->id);
    if (p->name)
        media_photo_remove(nr_ctx.cfg.media_dir, p->name);
}
