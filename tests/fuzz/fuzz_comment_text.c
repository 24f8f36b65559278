/* libFuzzer: a comment's text as the server takes it: cleaning and
 * counting, word lists, display names, and finding links. Checks that the
 * link pieces cover the text exactly and that links are http(s). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "comments/comments.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct cover {
    const char *base;
    size_t at;
};

static void
piece(const char *p, size_t n, bool link, void *ctx)
{
    struct cover *c = ctx;
    if (p != c->base + c->at || n == 0)
        abort();
    if (link && strncasecmp(p, "http://", 7) != 0 && strncasecmp(p, "https://", 8) != 0)
        abort();
    c->at += n;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *p = (const char *)data;
    char *clean = NULL;
    long chars = 0;
    enum comments_result r = comments_text_check(p, size, 250, &clean, &chars);
    if (clean) {
        if (r == COMMENTS_OK && (chars < 1 || chars > 250))
            abort();
        size_t n = strlen(clean);
        struct cover c = {clean, 0};
        comments_linkify(clean, n, piece, &c);
        if (c.at != n)
            abort();
        static struct comments_words *w;
        if (w == NULL) {
            w = comments_words_new();
            comments_words_add_list(w, "ass, 바보, spam link", true);
            comments_words_add(w, "maybe", false);
        }
        comments_words_check(w, clean, n);
        free(clean);
    }
    free(comments_name_clean(p, size));
    return 0;
}
