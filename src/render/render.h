/*
 * render: templates with escaping by context, the escapers themselves, and
 * Markdown to HTML.
 *
 * Templates are files parsed once at start-up. In an HTML template, the
 * engine follows the markup and escapes every {{ value }} for where it
 * lands: element text, a quoted attribute, a URL attribute (unsafe schemes
 * are neutralised, later parts percent-encoded), or a JSON-LD script. Places
 * where no escaping is safe (unquoted attributes, event handlers, style,
 * other scripts) are refused at load with file:line. .xml templates escape
 * for XML, .json for JSON strings, .txt not at all.
 *
 * Syntax: {{ path.to.value | filter | filter("arg") }}, {{{ raw }}} (visibly
 * different; the data must already be safe HTML, and the template says why
 * in a {# comment #}), {% if cond %} {% elif cond %} {% else %} {% end %},
 * {% for x in list %} ... {% else %} ... {% end %} (with loop.index,
 * loop.first, loop.last), {% include "name.html" %}, {# comment #}.
 * Conditions: value, not value, a == b, a != b. A '-' inside a tag's
 * braces ({%- or -%}) trims whitespace on that side.
 *
 * The data is a Jansson tree; values are never modified.
 */
#ifndef BROADSHEET_RENDER_H
#define BROADSHEET_RENDER_H

#include <jansson.h>

#include "core/core.h"

struct tmpl_set;

/* Loads every template under the folders, the first folder winning for a
 * name found in several (a theme before the default). On error returns
 * NULL and "file:line: message" in err. */
struct tmpl_set *tmpl_set_load(const char *const *dirs, size_t ndirs, char *err, size_t errlen);
/* Parses one template from memory (tests, fuzzing). */
struct tmpl_set *tmpl_set_parse(const char *name, const char *src, size_t len, char *err,
                                size_t errlen);
void tmpl_set_free(struct tmpl_set *set);
bool tmpl_exists(const struct tmpl_set *set, const char *name);
/* Renders template name with data into out. -1 if the template is unknown
 * or the output exceeded out's cap. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out);
/* Minutes east of UTC used by the date filter. */
void tmpl_set_tz(int minutes);

/* --- escapers, one per context --- */
void esc_html(struct buf *out, const char *p, size_t n);
void esc_attr(struct buf *out, const char *p, size_t n);
void esc_xml(struct buf *out, const char *p, size_t n);
/* A JSON string literal with quotes, safe inside <script> (no </, <!--). */
void esc_json_string(struct buf *out, const char *p, size_t n);
/* Percent-encodes all but unreserved characters, '/' and '@'. */
void esc_url_part(struct buf *out, const char *p, size_t n);
/* A URL safe to put in href/src: relative, or http, https, mailto, tel. */
bool url_is_safe(const char *p, size_t n);

/* --- Markdown (cmark-gfm, safe mode: raw HTML and unsafe links dropped;
 * tables, autolinks, strikethrough) --- */
int markdown_to_html(const char *md, size_t n, struct buf *out);
/* Plain text of the Markdown (for summaries, search and the glossary). */
int markdown_to_text(const char *md, size_t n, struct buf *out);

#endif
