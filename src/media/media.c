/*
 * media: photos through libvips.
 *
 * What it owns: the files <media_dir>/<name>-<width>.{webp,jpg}. Nothing
 * else in the program writes there.
 *
 * The path of an upload, each step refusing with a message for a person:
 *   1. size cap on the bytes;
 *   2. format sniffed by libvips; only the JPEG, PNG and WebP loaders are
 *      ever called (by name, never "whatever loader matches"), and the
 *      untrusted loaders (ImageMagick, ...) are blocked process-wide;
 *   3. dimensions read from the header alone, checked against the caps;
 *   4. pixels decoded with fail_on=error, so a truncated or damaged file is
 *      an error instead of a grey half-picture; converted to 8-bit sRGB,
 *      alpha flattened on white, shrunk to the largest stored width, then
 *      turned upright (EXIF orientation) in memory;
 *   5. each width written as WebP and JPEG without any metadata, to a
 *      temporary name, fsync'ed and renamed into place.
 * Any failure removes every file this call wrote.
 *
 * Threads: media_init starts libvips once (pthread_once). Every other call
 * works on its own images and may run on any thread. libvips' operation
 * cache is off and its own worker threads are kept to one per pipeline:
 * the server already runs one event loop per core.
 */
#include "media/media.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>
#include <webp/mux.h>

#define DEFAULT_MAX_BYTES ((size_t)20 << 20)
#define DEFAULT_MAX_SIDE 12000
#define DEFAULT_MAX_PIXELS 50000000L
#define WEBP_QUALITY 80
#define WEBP_EFFORT 4       /* libvips' default: smaller files, more CPU */
#define WEBP_EFFORT_QUICK 1 /* about half the CPU, files a few percent larger */
#define JPEG_QUALITY 82
#define MAX_FILES 8 /* renditions * formats */

static const int widths[] = {360, 720, 1200};

typedef int (*load_fn)(void *buf, size_t len, VipsImage **out, ...);

struct loader {
    const char *class_name; /* as vips_foreign_find_load_buffer names it */
    load_fn load;
    bool shrink_on_load;
};

static const struct loader loaders[] = {
    {"VipsForeignLoadJpegBuffer", vips_jpegload_buffer, true},
    {"VipsForeignLoadPngBuffer", vips_pngload_buffer, false},
    {"VipsForeignLoadWebpBuffer", vips_webpload_buffer, false},
};

/* Formats libvips may recognise that we refuse, named for the message. */
static const struct {
    const char *class_part;
    const char *what;
} refused[] = {
    {"Svg", "an SVG drawing"},   {"Gif", "a GIF image"},        {"Heif", "a HEIF or AVIF image"},
    {"Pdf", "a PDF document"},   {"Tiff", "a TIFF image"},      {"Jxl", "a JPEG XL image"},
    {"Magick", "an image type"}, {"Jp2k", "a JPEG 2000 image"},
};

struct limits {
    size_t max_bytes;
    long max_side;
    long max_pixels;
};

/* One call's state: where it writes, what it wrote, what went wrong. */
struct job {
    const char *dir;
    char name[64];
    char *written[MAX_FILES];
    size_t nwritten;
    int webp_effort;
    char *err;
    size_t errlen;
};

/* --- start and stop ------------------------------------------------------ */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status = -1;

/* libvips' warnings ("error in tile ...") go to our log, not stderr. */
static void
log_from_vips(const char *domain, GLogLevelFlags level, const char *msg, void *data)
{
    (void)domain;
    (void)data;
    (void)level;
    log_msg(LOG_DEBUG, "vips: %s", msg);
}

static void
media_start(void)
{
    if (VIPS_INIT("broadsheet") != 0) {
        log_error("media: cannot start libvips: %s", vips_error_buffer());
        vips_error_clear();
        return;
    }
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, log_from_vips, NULL);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    vips_concurrency_set(1);
    vips_leak_set(getenv("VIPS_LEAK") != NULL); /* off unless a developer asks */
    vips_block_untrusted_set(TRUE);
    init_status = 0;
}

int
media_init(void)
{
    pthread_once(&init_once, media_start);
    return init_status;
}

void
media_shutdown(void)
{
    if (init_status == 0)
        vips_shutdown();
    init_status = -1;
}

/* --- checks before decoding ------------------------------------------------ */

static void
limits_resolve(const struct media_limits *in, struct limits *out)
{
    out->max_bytes = in && in->max_bytes ? in->max_bytes : DEFAULT_MAX_BYTES;
    out->max_side = in && in->max_side > 0 ? in->max_side : DEFAULT_MAX_SIDE;
    out->max_pixels = in && in->max_pixels > 0 ? in->max_pixels : DEFAULT_MAX_PIXELS;
}

static int
check_bytes(size_t len, const struct limits *lim, struct job *job)
{
    if (len == 0) {
        snprintf(job->err, job->errlen, "the file is empty; choose a JPEG, PNG or WebP image");
        return -1;
    }
    if (len > lim->max_bytes) {
        snprintf(job->err, job->errlen, "the file is %.1f MB; the limit is %.1f MB",
                 (double)len / (1 << 20), (double)lim->max_bytes / (1 << 20));
        return -1;
    }
    return 0;
}

static const struct loader *
find_loader(const void *bytes, size_t len, struct job *job)
{
    const char *cls = vips_foreign_find_load_buffer(bytes, len);
    vips_error_clear();
    for (size_t i = 0; cls && i < ARRAY_SIZE(loaders); i++)
        if (strcmp(cls, loaders[i].class_name) == 0)
            return &loaders[i];
    for (size_t i = 0; cls && i < ARRAY_SIZE(refused); i++) {
        if (strcasestr(cls, refused[i].class_part)) {
            snprintf(job->err, job->errlen,
                     "the file is %s, which is not accepted; "
                     "upload a JPEG, PNG or WebP image",
                     refused[i].what);
            return NULL;
        }
    }
    snprintf(job->err, job->errlen, "the file is not a JPEG, PNG or WebP image");
    return NULL;
}

/* Reads the header only (sequential access decodes no pixels yet). */
static int
check_header(const struct loader *ld, const void *bytes, size_t len, const struct limits *lim,
             struct job *job, int *upright_width)
{
    VipsImage *hdr = NULL;
    if (ld->load((void *)bytes, len, &hdr, "access", VIPS_ACCESS_SEQUENTIAL, NULL) != 0) {
        log_msg(LOG_DEBUG, "media: header: %s", vips_error_buffer());
        vips_error_clear();
        snprintf(job->err, job->errlen, "the image could not be read; the file is damaged");
        return -1;
    }
    long w = hdr->Xsize, h = hdr->Ysize;
    bool swap = vips_image_get_orientation_swap(hdr);
    g_object_unref(hdr);
    if (w > lim->max_side || h > lim->max_side || w * h > lim->max_pixels) {
        snprintf(job->err, job->errlen,
                 "the image is %ld x %ld pixels (%.0f megapixels); "
                 "the limit is %ld pixels on a side and %.0f megapixels; make it smaller and "
                 "upload it again",
                 w, h, (double)w * h / 1e6, lim->max_side, (double)lim->max_pixels / 1e6);
        return -1;
    }
    *upright_width = (int)(swap ? h : w);
    return 0;
}

/* --- decoding to the base image ------------------------------------------- */

/* The JPEG decoder can shrink by 2, 4 or 8 for free: the largest factor
 * that still leaves at least the largest stored width. */
static int
jpeg_shrink(int upright_width)
{
    int top = widths[ARRAY_SIZE(widths) - 1];
    int shrink = 8;
    while (shrink > 1 && upright_width / shrink < top)
        shrink /= 2;
    return shrink;
}

static int
load_pixels(const struct loader *ld, const void *bytes, size_t len, int upright_width,
            VipsImage **out)
{
    if (ld->shrink_on_load)
        return ld->load((void *)bytes, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                        VIPS_FAIL_ON_ERROR, "shrink", jpeg_shrink(upright_width), NULL);
    return ld->load((void *)bytes, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                    VIPS_FAIL_ON_ERROR, NULL);
}

/* Embedded profile applied if there is one, then sRGB, 8 bits a sample. */
static int
to_srgb(VipsImage *in, VipsImage **out)
{
    VipsImage *icc = NULL;
    if (vips_image_get_typeof(in, VIPS_META_ICC_NAME) &&
        vips_icc_transform(in, &icc, "srgb", "embedded", TRUE, "depth", 8, NULL) != 0) {
        vips_error_clear(); /* a broken profile: fall back to the colour space alone */
        icc = NULL;
    }
    VipsImage *src = icc ? icc : in;
    VipsImage *rgb = NULL;
    int rc = vips_colourspace(src, &rgb, VIPS_INTERPRETATION_sRGB, NULL);
    if (rc == 0 && rgb->BandFmt != VIPS_FORMAT_UCHAR)
        rc = vips_cast_uchar(rgb, out, NULL);
    else if (rc == 0)
        *out = g_object_ref(rgb);
    if (rgb)
        g_object_unref(rgb);
    if (icc)
        g_object_unref(icc);
    return rc;
}

static int
flatten_alpha(VipsImage *in, VipsImage **out)
{
    if (!vips_image_hasalpha(in)) {
        *out = g_object_ref(in);
        return 0;
    }
    VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
    int rc = vips_flatten(in, out, "background", white, NULL);
    vips_area_unref(VIPS_AREA(white));
    return rc;
}

/* Shrinks so that the upright width is at most the largest stored width. */
static int
shrink_to_top(VipsImage *in, bool swap, VipsImage **out)
{
    int top = widths[ARRAY_SIZE(widths) - 1];
    int w = swap ? in->Ysize : in->Xsize;
    if (w <= top) {
        *out = g_object_ref(in);
        return 0;
    }
    return vips_resize(in, out, (double)top / w, NULL);
}

/* Removes every metadata item (EXIF, XMP, IPTC, ICC, comments, ...) from
 * an image only we hold. The savers' "strip" is asked for too, but the
 * WebP saver of libvips 8.14 keeps EXIF and XMP despite it. */
static void
strip_metadata(VipsImage *img)
{
    char **fields = vips_image_get_fields(img);
    for (size_t i = 0; fields[i] != NULL; i++)
        vips_image_remove(img, fields[i]);
    g_strfreev(fields);
}

/* Decodes every pixel (errors surface here), then turns the small image
 * upright in memory. */
static VipsImage *
decode_base(const struct loader *ld, const void *bytes, size_t len, int upright_width)
{
    VipsImage *ctx = vips_image_new();
    VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(ctx), 6);
    VipsImage *base = NULL;
    if (load_pixels(ld, bytes, len, upright_width, &t[0]) != 0 || to_srgb(t[0], &t[1]) != 0 ||
        flatten_alpha(t[1], &t[2]) != 0 ||
        shrink_to_top(t[2], vips_image_get_orientation_swap(t[0]), &t[3]) != 0)
        goto out;
    t[4] = vips_image_copy_memory(t[3]);
    if (t[4] == NULL || vips_autorot(t[4], &t[5], NULL) != 0)
        goto out;
    base = vips_image_copy_memory(t[5]);
    if (base)
        strip_metadata(base);
out:
    g_object_unref(ctx);
    return base;
}

/* --- writing ------------------------------------------------------------------ */

static int
write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes bytes to a temporary name, syncs, renames into place. */
static int
write_file(struct job *job, int width, const char *ext, const void *bytes, size_t len)
{
    char path[4096], tmp[4096 + 16];
    snprintf(path, sizeof(path), "%s/%s-%d.%s", job->dir, job->name, width, ext);
    snprintf(tmp, sizeof(tmp), "%s/.%s-%d.%s.tmp", job->dir, job->name, width, ext);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        log_error("media: cannot create '%s': %s", tmp, strerror(errno));
        return -1;
    }
    int rc = write_all(fd, bytes, len) == 0 && fsync(fd) == 0 ? 0 : -1;
    if (rc != 0)
        log_error("media: cannot write '%s': %s", tmp, strerror(errno));
    if (close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) {
        log_error("media: cannot rename '%s': %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        unlink(tmp);
        return -1;
    }
    job->written[job->nwritten++] = xstrdup(path);
    return 0;
}

/* libvips 8.14's WebP saver writes an EXIF chunk (resolution, version)
 * even with "strip"; libwebpmux takes every metadata chunk out. */
static int
webp_strip(const void *bytes, size_t len, WebPData *out)
{
    static const char *chunks[] = {"EXIF", "XMP ", "ICCP"};
    WebPData in = {bytes, len};
    WebPMux *mux = WebPMuxCreate(&in, 0);
    if (mux == NULL)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(chunks); i++)
        WebPMuxDeleteChunk(mux, chunks[i]);
    int rc = WebPMuxAssemble(mux, out) == WEBP_MUX_OK ? 0 : -1;
    WebPMuxDelete(mux);
    return rc;
}

static int
save_webp(struct job *job, VipsImage *img)
{
    void *webp = NULL;
    size_t len = 0;
    WebPData clean;
    WebPDataInit(&clean);
    int rc = -1;
    if (vips_webpsave_buffer(img, &webp, &len, "Q", WEBP_QUALITY, "strip", TRUE, "effort",
                             job->webp_effort, NULL) == 0 &&
        webp_strip(webp, len, &clean) == 0)
        rc = write_file(job, img->Xsize, "webp", clean.bytes, clean.size);
    WebPDataClear(&clean);
    g_free(webp);
    return rc;
}

static int
save_jpeg(struct job *job, VipsImage *img)
{
    void *jpeg = NULL;
    size_t len = 0;
    int rc = -1;
    if (vips_jpegsave_buffer(img, &jpeg, &len, "Q", JPEG_QUALITY, "interlace", TRUE,
                             "optimize_coding", TRUE, "strip", TRUE, NULL) == 0)
        rc = write_file(job, img->Xsize, "jpg", jpeg, len);
    g_free(jpeg);
    return rc;
}

static int
save_formats(struct job *job, VipsImage *img)
{
    return save_webp(job, img) == 0 && save_jpeg(job, img) == 0 ? 0 : -1;
}

static int
save_width(struct job *job, VipsImage *base, int width)
{
    if (width == base->Xsize)
        return save_formats(job, base);
    VipsImage *small = NULL;
    if (vips_resize(base, &small, (double)width / base->Xsize, NULL) != 0)
        return -1;
    VipsImage *mem = vips_image_copy_memory(small);
    g_object_unref(small);
    if (mem == NULL)
        return -1;
    int rc = save_formats(job, mem);
    g_object_unref(mem);
    return rc;
}

/* Stored widths: every standard width the image reaches, or its own
 * width when it is narrower than the smallest. Never upscaled. */
static size_t
plan_widths(int width, int out[ARRAY_SIZE(widths)])
{
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(widths); i++)
        if (widths[i] <= width)
            out[n++] = widths[i];
    if (n == 0)
        out[n++] = width;
    return n;
}

static int
save_renditions(struct job *job, VipsImage *base, struct media_photo *out)
{
    int plan[ARRAY_SIZE(widths)];
    size_t n = plan_widths(base->Xsize, plan);
    size_t used = 0;
    out->widths[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (save_width(job, base, plan[i]) != 0)
            return -1;
        used += (size_t)snprintf(out->widths + used, sizeof(out->widths) - used, "%s%d",
                                 i ? " " : "", plan[i]);
    }
    out->width = plan[n - 1];
    out->height = (int)((double)base->Ysize * plan[n - 1] / base->Xsize + 0.5);
    if (out->height < 1)
        out->height = 1;
    return 0;
}

static void
job_release(struct job *job, bool failed)
{
    for (size_t i = 0; i < job->nwritten; i++) {
        if (failed)
            unlink(job->written[i]);
        free(job->written[i]);
    }
    job->nwritten = 0;
}

/* Creates the media folder and those above it when missing. */
static int
ensure_dir(const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; rc == 0; s++) {
        bool end = *s == '\0';
        if (!end && *s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -1;
        if (end)
            break;
        *s = '/';
    }
    free(p);
    return rc;
}

static void
sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int
store_decoded(struct job *job, const struct loader *ld, const void *bytes, size_t len,
              int upright_width, struct media_photo *out)
{
    VipsImage *base = decode_base(ld, bytes, len, upright_width);
    if (base == NULL) {
        log_msg(LOG_DEBUG, "media: decode: %s", vips_error_buffer());
        vips_error_clear();
        snprintf(job->err, job->errlen,
                 "the image could not be decoded; the file is truncated "
                 "or damaged. Export it again and upload the new file");
        return -1;
    }
    int rc = save_renditions(job, base, out);
    g_object_unref(base);
    if (rc != 0) {
        log_error("media: cannot store a photo: %s", vips_error_buffer());
        vips_error_clear();
        snprintf(job->err, job->errlen, "the photo could not be saved; try again later");
    }
    return rc;
}

int
media_photo_store(const char *media_dir, const void *bytes, size_t len,
                  const struct media_limits *limits, struct media_photo *out, char *err,
                  size_t errlen)
{
    struct job job = {.dir = media_dir, .err = err, .errlen = errlen, .webp_effort = WEBP_EFFORT};
    struct limits lim;
    int upright_width = 0, rc = -1;
    const struct loader *ld = NULL;
    memset(out, 0, sizeof(*out));
    limits_resolve(limits, &lim);
    if (limits && limits->quick)
        job.webp_effort = WEBP_EFFORT_QUICK;
    if (media_init() != 0) {
        snprintf(err, errlen, "photos cannot be processed on this server (libvips did not start)");
        return -1;
    }
    if (check_bytes(len, &lim, &job) != 0 || (ld = find_loader(bytes, len, &job)) == NULL ||
        check_header(ld, bytes, len, &lim, &job, &upright_width) != 0)
        return -1;
    if (ensure_dir(media_dir) != 0) {
        log_error("media: cannot create '%s': %s", media_dir, strerror(errno));
        snprintf(err, errlen, "the photo could not be saved; try again later");
        return -1;
    }
    memcpy(job.name, "p-", 2);
    random_hex(job.name + 2, 8);
    rc = store_decoded(&job, ld, bytes, len, upright_width, out);
    if (rc == 0) {
        sync_dir(media_dir);
        snprintf(out->name, sizeof(out->name), "%s", job.name);
    }
    job_release(&job, rc != 0);
    return rc;
}

/* --- removal ------------------------------------------------------------------ */

static bool
name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n != 18 || strncmp(name, "p-", 2) != 0)
        return false;
    return strspn(name + 2, "0123456789abcdef") == 16;
}

/* "<name>-<digits>.webp" or ".jpg" */
static bool
is_rendition(const char *file, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(file, name, n) != 0 || file[n] != '-')
        return false;
    const char *p = file + n + 1;
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || digits > 5)
        return false;
    return strcmp(p + digits, ".webp") == 0 || strcmp(p + digits, ".jpg") == 0;
}

void
media_photo_remove(const char *media_dir, const char *name)
{
    if (!name_valid(name))
        return;
    DIR *d = opendir(media_dir);
    if (d == NULL)
        return;
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        if (!is_rendition(e->d_name, name))
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", media_dir, e->d_name);
        if (unlink(path) != 0 && errno != ENOENT)
            log_warn("media: cannot remove '%s': %s", path, strerror(errno));
    }
    closedir(d);
}
