/*
 * libFuzzer target for the multipart/form-data glue (src/http/multipart.c):
 * the input is a body sent with a fixed boundary; whatever GMime makes of
 * it, the fields we keep must be UTF-8 text within the caps and the files
 * must be whole.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char type[] = "multipart/form-data; boundary=XyZzY";
    struct arena *a = arena_new();
    struct form fields;
    struct http_file *files;
    size_t nfiles;
    const char *err = NULL;
    int rc = http_multipart_parse(a, type, (const char *)data, size, &fields, &files, &nfiles, &err);
    if (rc != 0 && err == NULL)
        abort();
    for (size_t i = 0; i < fields.count; i++)
        if (!utf8_valid(fields.fields[i].value, fields.fields[i].value_len) ||
            strlen(fields.fields[i].value) != fields.fields[i].value_len)
            abort();
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].len > size || files[i].name == NULL || files[i].content_type == NULL)
            abort();
    arena_free(a);
    return 0;
}
