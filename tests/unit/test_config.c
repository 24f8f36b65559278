/*
 * The configuration file (src/app/config.c): a list may go on over indented
 * lines or be given again, a line too long for inih is named, and the purge
 * URLs are checked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/app_int.h"
#include "purge/purge.h"

static struct config cfg;
static char path[64];
static char err[512];

static void
setup(void)
{
    config_defaults(&cfg);
    snprintf(path, sizeof(path), "/tmp/bs-config-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
}

static void
teardown(void)
{
    config_release(&cfg);
    unlink(path);
}

TestSuite(config, .init = setup, .fini = teardown);

static int
load(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    err[0] = '\0';
    return config_load(&cfg, path, err, sizeof(err));
}

Test(config, a_word_list_goes_on_over_indented_lines_and_repeated_keys)
{
    cr_assert_eq(load("[comments]\n"
                      "banned_words = alpha, beta\n"
                      "  gamma, delta\n"
                      "suspect_words = maybe\n"
                      "banned_words = epsilon\n"),
                 0, "%s", err);
    cr_assert_str_eq(cfg.comments.banned_words, "alpha, beta, gamma, delta, epsilon");
    cr_assert_str_eq(cfg.comments.suspect_words, "maybe");
}

Test(config, a_line_longer_than_inih_reads_is_named)
{
    char text[400];
    snprintf(text, sizeof(text), "[site]\nname = Paper\n[comments]\nbanned_words = %0250d\n", 7);
    cr_assert_eq(load(text), -1);
    cr_assert(strstr(err, ":4: the line is longer than 198 characters") != NULL, "%s", err);
    /* 198 characters are fine */
    snprintf(text, sizeof(text), "[site]\nname = %0191d\n", 7);
    cr_assert_eq(strlen(strchr(text, '\n') + 1), 199);
    cr_assert_eq(load(text), 0, "%s", err);
}

Test(config, purge_takes_up_to_eight_cache_urls)
{
    cr_assert_eq(load("[server]\npurge = http://10.0.0.1:6081/ http://10.0.0.2:6081/\n"
                      "  https://cache.example/\n"),
                 0, "%s", err);
    cr_assert_str_eq(cfg.purge, "http://10.0.0.1:6081/ http://10.0.0.2:6081/, https://cache.example/");
    cr_assert_eq(load("[server]\npurge = cache.example:6081\n"), -1);
    cr_assert(strstr(err, "bad value") && strstr(err, "'purge'"), "%s", err);
    cr_assert_null(purger_urls_check("http://a/ http://b/,http://c/"));
    cr_assert_not_null(purger_urls_check("http://1/ http://2/ http://3/ http://4/ http://5/ "
                                         "http://6/ http://7/ http://8/ http://9/"));
    cr_assert_not_null(purger_urls_check(""));
    cr_assert_not_null(purger_urls_check("http://"));
}
