/*
 * core: what every other module stands on. Allocation that aborts on
 * failure, string slices, capped growable buffers, arenas, UTF-8 and Unicode
 * (through utf8proc), slugs, percent-encoding and form decoding, time
 * formatting and the log. No dependency on any other Broadsheet module.
 */
#ifndef BROADSHEET_CORE_H
#define BROADSHEET_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define BROADSHEET_VERSION "0.1.0"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- allocation: failure aborts with a message ------------------------- */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- slices: a pointer and a length, never owning ---------------------- */
struct str {
    const char *p;
    size_t n;
};
#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
struct str str_from(const char *s);
bool str_eq(struct str a, const char *lit);
bool str_starts(struct str a, const char *prefix);

/* --- buf: growable byte buffer, always NUL-terminated, optional cap ------
 * When max is non-zero, appending beyond it sets overflow and drops the data;
 * callers check buf.overflow once at the end (curl's dynbuf). */
struct buf {
    char *p;
    size_t len;
    size_t cap;
    size_t max;
    bool overflow;
};
#define BUF_INIT {NULL, 0, 0, 0, false}
void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
char *buf_detach(struct buf *b, size_t *len);

/* --- arena: many small allocations freed in one go ---------------------- */
struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- UTF-8 and Unicode ---------------------------------------------------- */
bool utf8_valid(const char *p, size_t n);
/* NFC of valid UTF-8 into a fresh malloc'ed string; NULL if p is not valid. */
char *utf8_nfc(const char *p, size_t n, size_t *outlen);
/* The one character count of the product: user-perceived characters
 * (extended grapheme clusters) after NFC. -1 if the text is not UTF-8. */
long text_length(const char *p, size_t n);
/* Bytes of the first max characters of p, counted as text_length counts
 * them, so a cut never splits a character; n if p has no more than max. */
size_t text_prefix(const char *p, size_t n, long max);
/* A letter of any script, or a mark that combines with one (Unicode
 * categories L*, Mn and Mc): what words are made of. */
bool utf8_is_letter(int32_t cp);
/* Case-folded NFC copy (for comparisons and search), malloc'ed; NULL if invalid. */
char *utf8_fold(const char *p, size_t n, size_t *outlen);
/* Text with control characters (except \n and \t) removed, NFC, trimmed;
 * \r\n becomes \n. NULL if not valid UTF-8. */
char *text_clean(const char *p, size_t n, bool keep_newlines, size_t *outlen);

/* --- slugs ------------------------------------------------------------------
 * Lower-case letters and digits of any script, words joined by '-', at most
 * max bytes, never cut inside a character. Empty input gives "". */
char *slug_make(const char *title, size_t n, size_t max);
bool slug_valid(const char *s, size_t n);

/* --- URL encoding and forms -------------------------------------------------- */
/* Strict percent-decoding ('+' is a space when form is true). -1 on a bad
 * escape or a NUL byte. The output is at most n bytes. */
int url_decode(const char *p, size_t n, bool form, struct buf *out);
void url_encode(struct buf *out, const char *p, size_t n);
/* Decoded key/value pairs of a query string or an
 * application/x-www-form-urlencoded body. */
struct form_field {
    char *name;
    char *value;
    size_t value_len;
};
struct form {
    struct form_field *fields;
    size_t count;
};
enum form_status {
    FORM_OK = 0,
    FORM_BAD_ESCAPE,
    FORM_BAD_UTF8,
    FORM_TOO_MANY,
};
/* Fields and their strings come from the arena. Values must be valid UTF-8. */
enum form_status form_parse(struct arena *a, const char *p, size_t n, size_t max_fields,
                            struct form *out);
const char *form_get(const struct form *f, const char *name);
const char *form_error_text(enum form_status st);

/* --- time ------------------------------------------------------------------- */
int64_t time_now(void);
/* "2026-11-29T10:04:05Z" */
void time_iso8601(int64_t t, char out[32]);
/* RFC 822 for RSS and HTTP: "Sun, 29 Nov 2026 10:04:05 GMT" */
void time_rfc822(int64_t t, char out[40]);
/* For readers: "Nov. 29, 2026 10:04" in the paper's time zone offset. */
void time_human(int64_t t, int tz_offset_min, char out[40]);
/* Parses "YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm]" and "YYYY-MM-DD HH:MM"; -1 on error. */
int time_parse(const char *s, int64_t *out);

/* --- log ----------------------------------------------------------------------- */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* --- misc -------------------------------------------------------------------------- */
/* Parses a whole decimal integer in [min, max]; -1 on anything else. */
int parse_long(const char *s, size_t n, long min, long max, long *out);
/* Hex of random bytes from libsodium: 2*nbytes chars + NUL. */
void random_hex(char *out, size_t nbytes);
/* 64-bit FNV-1a, for ETags and hashing. */
uint64_t hash64(const void *p, size_t n);
/* Reads a whole file (at most max bytes); NULL with errno on failure. */
char *file_read(const char *path, size_t max, size_t *len);

#endif
