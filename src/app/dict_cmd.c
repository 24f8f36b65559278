/*
 * `broadsheet dict ...`: importing bilingual dictionaries into the data
 * folder, listing them, and looking a word up from the terminal.
 */
#include "app/app.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"

static int
dict_import_cmd(struct config *c, const char *format, const char *path, const char *lang,
                const char *name)
{
    enum dict_format fmt;
    if (dict_format_parse(format, &fmt) != 0) {
        fprintf(stderr, "broadsheet: unknown dictionary format '%s' (dictd, stardict or tsv)\n",
                format);
        return 2;
    }
    if (lang == NULL) {
        fprintf(stderr, "broadsheet: dict import needs the language of the meanings, "
                        "e.g. --lang ko\n");
        return 2;
    }
    char out[4096], err[1024];
    if (dict_import(fmt, path, lang, name, c->dict_data, out, sizeof(out), err, sizeof(err)) != 0) {
        fprintf(stderr, "broadsheet: dict import: %s\nnothing was written\n", err);
        return 1;
    }
    struct dict_book *bk = dict_book_open(out, err, sizeof(err));
    if (bk == NULL) {
        fprintf(stderr, "broadsheet: %s\n", err);
        return 1;
    }
    printf("imported '%s' (%s): %zu entries into '%s'; restart `broadsheet serve` to use it\n",
           dict_book_name(bk), dict_book_lang(bk), dict_book_count(bk), out);
    dict_book_free(bk);
    return 0;
}

static int
dict_list_cmd(struct config *c)
{
    DIR *d = opendir(c->dict_data);
    if (d == NULL) {
        printf("no dictionaries imported (folder '%s' does not exist)\n", c->dict_data);
        return 0;
    }
    int n = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 8 || strcmp(e->d_name + len - 7, ".bsdict") != 0)
            continue;
        char path[4096], err[512];
        snprintf(path, sizeof(path), "%s/%s", c->dict_data, e->d_name);
        struct dict_book *bk = dict_book_open(path, err, sizeof(err));
        if (bk == NULL || dict_book_verify(bk, err, sizeof(err)) != 0) {
            printf("%-40s  damaged: %s\n", e->d_name, err);
            dict_book_free(bk);
            continue;
        }
        printf("%-40s  %-5s  %8zu entries\n", dict_book_name(bk), dict_book_lang(bk),
               dict_book_count(bk));
        dict_book_free(bk);
        n++;
    }
    closedir(d);
    if (n == 0)
        printf("no dictionaries imported in '%s'\n", c->dict_data);
    return 0;
}

static int
dict_lookup_cmd(struct config *c, const char *word)
{
    char err[512], clean[DICT_WORD_MAX + 1];
    size_t n;
    enum dict_word_status st = dict_word_clean(word, strlen(word), clean, &n);
    if (st != DICT_WORD_OK) {
        fprintf(stderr, "broadsheet: %s\n", dict_word_error(st));
        return 2;
    }
    struct dict_config dc = {c->dict_wordnet, c->dict_data, config_dict_language(c)};
    struct dict *d = dict_open(&dc, err, sizeof(err));
    if (d == NULL) {
        fprintf(stderr, "broadsheet: %s\n", err);
        return 1;
    }
    /* the pop-up's JSON, indented by Jansson for people */
    struct buf out = BUF_INIT;
    size_t found = dict_lookup_write(d, clean, n, &out);
    json_t *j = json_loadb(out.p, out.len, 0, NULL);
    char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
    puts(text ? text : out.p);
    free(text);
    json_decref(j);
    buf_release(&out);
    dict_free(d);
    return found ? 0 : 1;
}

int
app_dict(struct config *c, const char *const *args, size_t nargs, const char *lang,
         const char *name)
{
    if (nargs == 3 && strcmp(args[0], "import") == 0)
        return dict_import_cmd(c, args[1], args[2], lang, name);
    if (nargs == 1 && strcmp(args[0], "list") == 0)
        return dict_list_cmd(c);
    if (nargs == 2 && strcmp(args[0], "lookup") == 0)
        return dict_lookup_cmd(c, args[1]);
    fprintf(stderr, "broadsheet: usage: broadsheet dict import FORMAT PATH --lang LANG "
                    "[--name NAME] | dict list | dict lookup WORD\n");
    return 2;
}
