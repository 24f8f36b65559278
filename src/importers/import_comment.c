/*
 * What an imported comment keeps of its author and its text. The author
 * becomes a key that names them at the source without saying who they are:
 * a prefix for what it was made from and a BLAKE2b hash of it, their id
 * there ("u:"), their e-mail address ("e:", trimmed and lower-cased) or
 * their name ("n:"); "anonymous" when the export gives none. The key is
 * the subject of the commenter's "import:<source>" identity, so the same
 * author's comments share one commenter, and nobody signing in later is
 * ever joined to them. The text is kept whole up to the comments table's
 * limit.
 */
#include "importers/importers_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define KEY_HASH_BYTES 16

static const char *
hashed(struct arena *a, const char *prefix, const char *s, size_t n)
{
    unsigned char h[KEY_HASH_BYTES];
    char hex[KEY_HASH_BYTES * 2 + 1];
    crypto_generichash(h, sizeof(h), (const unsigned char *)s, n, NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return arena_printf(a, "%s%s", prefix, hex);
}

/* The address without surrounding spaces, ASCII letters lower-cased. */
static char *
email_normal(const char *email, size_t *n)
{
    while (*email == ' ' || *email == '\t')
        email++;
    size_t len = strlen(email);
    while (len && (email[len - 1] == ' ' || email[len - 1] == '\t'))
        len--;
    char *e = xmalloc(len + 1);
    for (size_t i = 0; i < len; i++)
        e[i] = email[i] >= 'A' && email[i] <= 'Z' ? (char)(email[i] - 'A' + 'a') : email[i];
    e[len] = '\0';
    *n = len;
    return e;
}

const char *
import_author_key(struct arena *a, const char *user_id, const char *email, const char *name)
{
    if (user_id && user_id[0] && strcmp(user_id, "0") != 0)
        return hashed(a, "u:", user_id, strlen(user_id));
    size_t n = 0;
    char *e = email ? email_normal(email, &n) : NULL;
    const char *key = NULL;
    if (n > 0)
        key = hashed(a, "e:", e, n);
    else if (name && name[0])
        key = hashed(a, "n:", name, strlen(name));
    free(e);
    return key ? key : "anonymous";
}

const char *
import_comment_text(struct arena *a, const char *text)
{
    size_t len = strlen(text);
    if (len <= STORE_IMPORT_COMMENT_MAX)
        return text;
    /* room for the ellipsis, cut between characters */
    size_t cut = STORE_IMPORT_COMMENT_MAX - 3;
    while (cut && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    return arena_printf(a, "%.*s\xe2\x80\xa6", (int)cut, text);
}
