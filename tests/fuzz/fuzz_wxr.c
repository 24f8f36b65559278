/* libFuzzer: the WordPress export reader, with the conversions the
 * importer applies to each post and comment. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "importers/importers.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
on_post(void *ctx, const struct wxr_post *p)
{
    (void)ctx;
    struct buf b = BUF_INIT;
    ingest_html_to_markdown(p->content, strlen(p->content), &b);
    buf_reset(&b);
    ingest_html_to_text(p->excerpt, strlen(p->excerpt), &b);
    for (size_t i = 0; i < p->ncomments; i++) {
        buf_reset(&b);
        ingest_html_to_text(p->comments[i].content, strlen(p->comments[i].content), &b);
    }
    buf_reset(&b);
    import_url_normalise(p->link, &b);
    buf_release(&b);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wxr_handler h = {.post = on_post};
    char err[256];
    import_wxr_parse_memory((const char *)data, size, &h, err, sizeof(err));
    return 0;
}
