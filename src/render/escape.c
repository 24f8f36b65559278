/*
 * The escapers: one per place a value can land. Used by the template engine
 * and by code that writes HTML, XML or JSON directly.
 */
#include "render/render.h"

#include <string.h>
#include <strings.h>

static void
esc_table(struct buf *out, const char *p, size_t n, bool quotes)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (p[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = quotes ? "&quot;" : NULL;
            break;
        case '\'':
            rep = quotes ? "&#39;" : NULL;
            break;
        default:
            break;
        }
        if (rep == NULL)
            continue;
        buf_add(out, p + start, i - start);
        buf_adds(out, rep);
        start = i + 1;
    }
    buf_add(out, p + start, n - start);
}

void
esc_html(struct buf *out, const char *p, size_t n)
{
    esc_table(out, p, n, true);
}

void
esc_attr(struct buf *out, const char *p, size_t n)
{
    esc_table(out, p, n, true);
}

void
esc_xml(struct buf *out, const char *p, size_t n)
{
    /* XML 1.0 forbids most control characters even escaped: drop them */
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            esc_table(out, p + start, i - start, true);
            start = i + 1;
        }
    }
    esc_table(out, p + start, n - start, true);
}

/* U+2028 and U+2029 end lines in older JavaScript parsers */
static bool
line_separator(const char *p, size_t i, size_t n)
{
    return (unsigned char)p[i] == 0xE2 && i + 2 < n && (unsigned char)p[i + 1] == 0x80 &&
           ((unsigned char)p[i + 2] == 0xA8 || (unsigned char)p[i + 2] == 0xA9);
}

/* Bytes from 0x20 up that may need escaping in a JSON string: 1 */
static const unsigned char json_special[256] = {
    ['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, ['\''] = 1, [0xE2] = 1,
};

void
esc_json_string(struct buf *out, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_addch(out, '"');
    size_t run = 0; /* bytes from here on are copied as they are, in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c >= 0x20 && !json_special[c]) || (c == 0xE2 && !line_separator(p, i, n)))
            continue;
        buf_add(out, p + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            buf_adds(out, "\\\"");
            break;
        case '\\':
            buf_adds(out, "\\\\");
            break;
        case '\n':
            buf_adds(out, "\\n");
            break;
        case '\r':
            buf_adds(out, "\\r");
            break;
        case '\t':
            buf_adds(out, "\\t");
            break;
        case 0xE2:
            buf_adds(out, (unsigned char)p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
            i += 2;
            run = i + 1;
            break;
        default:
            /* control characters, and < > & ' so that </script> and <!-- cannot end
             * or confuse a script element */
            buf_adds(out, "\\u00");
            buf_addch(out, hex[c >> 4]);
            buf_addch(out, hex[c & 15]);
        }
    }
    buf_add(out, p + run, n - run);
    buf_addch(out, '"');
}

void
esc_url_part(struct buf *out, const char *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || c == '/' || c == '@') {
            buf_addch(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(out, e, 3);
        }
    }
}

bool
url_is_safe(const char *p, size_t n)
{
    /* a scheme is letters, digits, + - . before the first ':'; anything
     * before a '/', '?' or '#' decides whether there is one */
    size_t i = 0;
    for (; i < n; i++) {
        char c = p[i];
        if (c == ':' || c == '/' || c == '?' || c == '#')
            break;
        if ((unsigned char)c <= 0x20)
            return false; /* browsers strip these inside a scheme: "java\tscript:" */
    }
    if (i == n || p[i] != ':')
        return true; /* relative */
    static const char *ok[] = {"http", "https", "mailto", "tel"};
    for (size_t k = 0; k < ARRAY_SIZE(ok); k++)
        if (strlen(ok[k]) == i && strncasecmp(p, ok[k], i) == 0)
            return true;
    return false;
}
