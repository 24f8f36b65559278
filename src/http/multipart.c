/*
 * multipart/form-data bodies (uploads), parsed by GMime: the parts become
 * the request's form fields (so the CSRF field works as in any form) and
 * its files. Caps: the number of parts and files, the size of a text field,
 * a name's length, and the lines that may be boundaries (which also bounds
 * nesting); text fields must be UTF-8 like any form. An empty
 * file input (filename="" and no bytes) is no file.
 */
#include "http/http_int.h"

#include <gmime/gmime.h>
#include <string.h>
#include <strings.h>

#define MP_MAX_PARTS 128
#define MP_MAX_FILES 8
#define MP_MAX_FIELD (2u << 20)
#define MP_MAX_NAME 128
/* Lines that could be boundary delimiters (they begin with "--"). GMime
 * compares each with every boundary open at that depth, so a body of nested
 * multiparts costs the square of their number: 40,000 of them took 50 s.
 * A form of MP_MAX_PARTS parts needs a tenth of this. */
#define MP_MAX_DASH_LINES 1024

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void
gmime_start(void)
{
    g_mime_init();
}

struct mp_state {
    struct arena *a;
    struct form *fields;
    struct http_file *files;
    size_t nfiles;
    size_t parts;
    const char *err;
};

/* The decoded bytes of a leaf part, in a GByteArray owned by the returned stream. */
static GMimeStream *
part_bytes(GMimePart *part, const guint8 **data, size_t *len)
{
    GMimeStream *out = g_mime_stream_mem_new();
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    if (w && g_mime_data_wrapper_write_to_stream(w, out) < 0) {
        g_object_unref(out);
        return NULL;
    }
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    *data = ba->len ? ba->data : (const guint8 *)""; /* an empty array has no data */
    *len = ba->len;
    return out;
}

static int
add_field(struct mp_state *s, const char *name, const guint8 *data, size_t len)
{
    if (len > MP_MAX_FIELD) {
        s->err = "a form field is too large";
        return -1;
    }
    if (!utf8_valid((const char *)data, len) || memchr(data, '\0', len)) {
        s->err = "a form field is not valid UTF-8 text";
        return -1;
    }
    struct form *f = s->fields;
    struct form_field *grown = arena_alloc(s->a, (f->count + 1) * sizeof(*grown));
    if (f->count)
        memcpy(grown, f->fields, f->count * sizeof(*grown));
    f->fields = grown;
    struct form_field *field = &f->fields[f->count++];
    field->name = arena_strdup(s->a, name);
    field->value = arena_strndup(s->a, (const char *)data, len);
    field->value_len = len;
    return 0;
}

static int
add_file(struct mp_state *s, GMimeObject *obj, const char *name, const char *filename,
         const guint8 *data, size_t len)
{
    if (filename[0] == '\0' && len == 0)
        return 0; /* a file input left empty */
    if (s->nfiles == MP_MAX_FILES) {
        s->err = "too many files in one form";
        return -1;
    }
    struct http_file *grown = arena_alloc(s->a, (s->nfiles + 1) * sizeof(*grown));
    if (s->nfiles)
        memcpy(grown, s->files, s->nfiles * sizeof(*grown));
    s->files = grown;
    struct http_file *f = &s->files[s->nfiles++];
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
    f->name = arena_strdup(s->a, name);
    f->filename = utf8_valid(filename, strlen(filename)) ? arena_strdup(s->a, filename) : "";
    f->content_type = arena_strdup(s->a, mime ? mime : "application/octet-stream");
    g_free(mime);
    unsigned char *copy = arena_alloc(s->a, len ? len : 1);
    if (len)
        memcpy(copy, data, len);
    f->data = copy;
    f->len = len;
    return 0;
}

static int
take_part(struct mp_state *s, GMimeObject *obj)
{
    if (++s->parts > MP_MAX_PARTS) {
        s->err = "the form has too many fields";
        return -1;
    }
    GMimeContentDisposition *disp = g_mime_object_get_content_disposition(obj);
    const char *kind = disp ? g_mime_content_disposition_get_disposition(disp) : NULL;
    if (!GMIME_IS_PART(obj) || kind == NULL || strcasecmp(kind, "form-data") != 0)
        return 0; /* not a form field: ignored */
    const char *name = g_mime_content_disposition_get_parameter(disp, "name");
    if (name == NULL || name[0] == '\0' || strlen(name) > MP_MAX_NAME ||
        !utf8_valid(name, strlen(name)))
        return 0;
    const char *filename = g_mime_content_disposition_get_parameter(disp, "filename");
    const guint8 *data;
    size_t len;
    GMimeStream *held = part_bytes(GMIME_PART(obj), &data, &len);
    if (held == NULL) {
        s->err = "a part of the form could not be read";
        return -1;
    }
    int rc = filename ? add_file(s, obj, name, filename, data, len) : add_field(s, name, data, len);
    g_object_unref(held);
    return rc;
}

static size_t
dash_lines(const char *body, size_t len)
{
    size_t n = len >= 2 && body[0] == '-' && body[1] == '-';
    for (const char *p = body, *end = body + len; (p = memmem(p, (size_t)(end - p), "\n--", 3));
         p += 3)
        n++;
    return n;
}

/* The body as a MIME entity: our Content-Type header, a blank line, the body. */
static GMimeObject *
parse_entity(const char *content_type, const char *body, size_t len)
{
    struct buf head = BUF_INIT;
    buf_addf(&head, "Content-Type: %s\r\n\r\n", content_type);
    GMimeStream *cat = g_mime_stream_cat_new();
    GMimeStream *h = g_mime_stream_mem_new_with_buffer(head.p, head.len);
    GMimeStream *b = g_mime_stream_mem_new_with_buffer(body, len);
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), h);
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), b);
    g_object_unref(h);
    g_object_unref(b);
    buf_release(&head);
    GMimeParser *parser = g_mime_parser_new_with_stream(cat);
    GMimeObject *obj = g_mime_parser_construct_part(parser, NULL);
    g_object_unref(parser);
    g_object_unref(cat);
    return obj;
}

int
http_multipart_parse(struct arena *a, const char *content_type, const char *body, size_t len,
                     struct form *fields, struct http_file **files, size_t *nfiles,
                     const char **err)
{
    pthread_once(&gmime_once, gmime_start);
    *files = NULL;
    *nfiles = 0;
    memset(fields, 0, sizeof(*fields));
    if (strncasecmp(content_type, "multipart/form-data", 19) != 0 || strchr(content_type, '\r') ||
        strchr(content_type, '\n') || strlen(content_type) > 1024) {
        *err = "the upload is not multipart/form-data";
        return -1;
    }
    if (dash_lines(body, len) > MP_MAX_DASH_LINES) {
        *err = "the form has too many parts";
        return -1;
    }
    GMimeObject *obj = parse_entity(content_type, body, len);
    if (obj == NULL || !GMIME_IS_MULTIPART(obj)) {
        if (obj)
            g_object_unref(obj);
        *err = "the upload's form data is malformed";
        return -1;
    }
    struct mp_state s = {.a = a, .fields = fields};
    GMimeMultipart *mp = GMIME_MULTIPART(obj);
    int count = g_mime_multipart_get_count(mp);
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++)
        rc = take_part(&s, g_mime_multipart_get_part(mp, i));
    g_object_unref(obj);
    *files = s.files;
    *nfiles = s.nfiles;
    *err = s.err;
    return rc;
}
