/*
 * Markdown through cmark-gfm in its default safe mode: raw HTML is replaced
 * by a comment and javascript:, vbscript:, file: and most data: links are
 * dropped. Never CMARK_OPT_UNSAFE. The GFM extensions are registered once.
 */
#include "render/render.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
register_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

static cmark_node *
parse(const char *md, size_t n, cmark_parser **parserp)
{
    pthread_once(&once, register_extensions);
    int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
    cmark_parser *parser = cmark_parser_new(opts);
    static const char *exts[] = {"table", "autolink", "strikethrough", "tagfilter"};
    for (size_t i = 0; i < ARRAY_SIZE(exts); i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(parser, e);
    }
    cmark_parser_feed(parser, md, n);
    *parserp = parser;
    return cmark_parser_finish(parser);
}

int
markdown_to_html(const char *md, size_t n, struct buf *out)
{
    cmark_parser *parser;
    cmark_node *doc = parse(md, n, &parser);
    if (doc == NULL) {
        cmark_parser_free(parser);
        return -1;
    }
    char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
    buf_adds(out, html);
    free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return out->overflow ? -1 : 0;
}

int
markdown_to_text(const char *md, size_t n, struct buf *out)
{
    cmark_parser *parser;
    cmark_node *doc = parse(md, n, &parser);
    if (doc == NULL) {
        cmark_parser_free(parser);
        return -1;
    }
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
            buf_adds(out, cmark_node_get_literal(node));
        } else if (ev == CMARK_EVENT_ENTER &&
                   (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)) {
            buf_addch(out, ' ');
        } else if (ev == CMARK_EVENT_EXIT &&
                   (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
                    t == CMARK_NODE_ITEM)) {
            buf_addch(out, '\n');
        }
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return out->overflow ? -1 : 0;
}
