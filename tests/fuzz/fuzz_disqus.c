/* libFuzzer: the Disqus export reader, with the comment text conversion. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "importers/importers.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
on_thread(void *ctx, const struct dsq_thread *t)
{
    (void)ctx;
    struct buf b = BUF_INIT;
    import_url_normalise(t->link, &b);
    buf_release(&b);
    return 0;
}

static int
on_post(void *ctx, const struct dsq_post *p)
{
    (void)ctx;
    struct buf b = BUF_INIT;
    ingest_html_to_text(p->message, strlen(p->message), &b);
    buf_release(&b);
    int64_t t;
    time_parse(p->created_at, &t);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dsq_handler h = {.thread = on_thread, .post = on_post};
    char err[256];
    import_disqus_parse_memory((const char *)data, size, &h, err, sizeof(err));
    return 0;
}
