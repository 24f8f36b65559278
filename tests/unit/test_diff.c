/*
 * The newsroom's word diff: joining the pieces gives both texts back, the
 * changed words are found, and large inputs fall back to a coarse diff.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "newsroom/newsroom_int.h"

static char *
join(const struct diff *d, bool new_side)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < d->n; i++) {
        enum diff_op skip = new_side ? DIFF_DEL : DIFF_INS;
        if (d->pieces[i].op != skip)
            buf_add(&b, d->pieces[i].p, d->pieces[i].n);
    }
    return buf_detach(&b, NULL);
}

static char *
render(const struct diff *d)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < d->n; i++) {
        const char *open = d->pieces[i].op == DIFF_DEL ? "[-" : d->pieces[i].op == DIFF_INS ? "{+" : "";
        const char *close = d->pieces[i].op == DIFF_DEL ? "-]" : d->pieces[i].op == DIFF_INS ? "+}" : "";
        buf_addf(&b, "%s%.*s%s", open, (int)d->pieces[i].n, d->pieces[i].p, close);
    }
    return buf_detach(&b, NULL);
}

static void
check(const char *a, const char *b, const char *want)
{
    struct diff d;
    diff_words(a, strlen(a), b, strlen(b), 1000000, &d);
    char *old = join(&d, false), *new = join(&d, true), *shown = render(&d);
    cr_assert_str_eq(old, a);
    cr_assert_str_eq(new, b);
    if (want)
        cr_assert_str_eq(shown, want);
    free(old);
    free(new);
    free(shown);
    diff_release(&d);
}

Test(diff, words)
{
    check("The council voted nine to two.", "The council voted eight to three.",
          "The council voted [-nine-]{+eight+} to [-two-]{+three+}.");
    check("same", "same", "same");
    check("", "new text", "{+new text+}");
    check("old text", "", "[-old text-]");
    check("", "", "");
}

Test(diff, punctuation_and_spaces_are_their_own_tokens)
{
    check("Hello, world", "Hello; world", "Hello[-,-]{+;+} world");
    check("a  b", "a b", "a[-  -]{+ +}b");
}

Test(diff, multibyte_text_is_never_cut_inside_a_character)
{
    check("서울 시장 선거", "서울 시장 보궐선거", "서울 시장 [-선거-]{+보궐선거+}");
    check("👍🏽 good", "👍🏽 great", "👍🏽 [-good-]{+great+}");
}

Test(diff, large_changes_fall_back_to_coarse)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    for (int i = 0; i < 3000; i++) {
        buf_addf(&a, "w%d ", i);
        buf_addf(&b, "v%d ", i);
    }
    struct diff d;
    diff_words(a.p, a.len, b.p, b.len, 100000, &d);
    cr_assert(d.coarse);
    char *old = join(&d, false), *new = join(&d, true);
    cr_assert_str_eq(old, a.p);
    cr_assert_str_eq(new, b.p);
    free(old);
    free(new);
    diff_release(&d);
    /* a small change inside a long text is still exact: start and end are trimmed */
    char *c = xstrdup(a.p);
    c[a.len / 2] = 'X';
    diff_words(a.p, a.len, c, a.len, 100000, &d);
    cr_assert_not(d.coarse);
    size_t changed = 0;
    for (size_t i = 0; i < d.n; i++)
        changed += d.pieces[i].op != DIFF_SAME;
    cr_assert_eq(changed, 2);
    diff_release(&d);
    free(c);
    buf_release(&a);
    buf_release(&b);
}

Test(diff, json_shape)
{
    struct diff d;
    diff_words("a b", 3, "a c", 3, 1000, &d);
    json_t *j = diff_json(&d);
    char *s = json_dumps(j, JSON_COMPACT);
    cr_assert_str_eq(s, "[{\"op\":\"same\",\"text\":\"a \"},{\"op\":\"del\",\"text\":\"b\"},"
                        "{\"op\":\"ins\",\"text\":\"c\"}]");
    free(s);
    json_decref(j);
    diff_release(&d);
}
