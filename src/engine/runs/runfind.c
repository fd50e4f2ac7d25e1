/* runfind.c — runs under a directory, recursively (see runfind.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clickseq/runfind.h"

int cs_is_run_dir(const char *dir)
{
    char p[1200];
    struct stat st;
    if (snprintf(p, sizeof p, "%s/config.txt", dir) >= (int)sizeof p || stat(p, &st) != 0)
        return 0;
    snprintf(p, sizeof p, "%s/summary.txt", dir);
    return stat(p, &st) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static cs_status add_run(const char *dir, unsigned what, cs_run **runs, size_t *n, size_t *n_bad,
                         cs_error *bad_msg, cs_error *err)
{
    cs_run *g = realloc(*runs, (*n + 1) * sizeof *g);
    if (!g)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory listing runs");
    *runs = g;
    cs_error e;
    if (cs_run_load(dir, what, &g[*n], &e) == CS_OK)
        (*n)++;
    else {
        if (n_bad && (*n_bad)++ == 0 && bad_msg)
            *bad_msg = e;
    }
    return CS_OK;
}

static cs_status walk(const char *dir, unsigned what, int depth, cs_run **runs, size_t *n,
                      size_t *n_bad, cs_error *bad_msg, cs_error *err)
{
    if (cs_is_run_dir(dir))
        return add_run(dir, what, runs, n, n_bad, bad_msg, err);
    if (depth <= 0)
        return CS_OK;
    DIR *d = opendir(dir);
    if (!d)
        return CS_OK;   /* unreadable folders below the root are not runs */
    char **names = NULL;
    size_t nn = 0, cap = 0;
    cs_status s = CS_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[1200];
        struct stat st;
        if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
            continue;
        if (lstat(p, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (nn == cap) {
            cap = cap ? 2 * cap : 32;
            char **g = realloc(names, cap * sizeof *g);
            if (!g) {
                s = cs_error_fmt(err, CS_ENOMEM, "out of memory listing %s", dir);
                break;
            }
            names = g;
        }
        if (!(names[nn] = strdup(p))) {
            s = cs_error_fmt(err, CS_ENOMEM, "out of memory listing %s", dir);
            break;
        }
        nn++;
    }
    closedir(d);
    if (s == CS_OK && nn)
        qsort(names, nn, sizeof *names, cmp_str);
    for (size_t i = 0; i < nn && s == CS_OK; i++)
        s = walk(names[i], what, depth - 1, runs, n, n_bad, bad_msg, err);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return s;
}

cs_status cs_run_find(const char *root, unsigned what, int max_depth, cs_run **runs, size_t *n,
                      size_t *n_bad, cs_error *bad_msg, cs_error *err)
{
    struct stat st;
    if (stat(root, &st) != 0)
        return cs_error_set(err, CS_EINPUT, root, 0, 0, "cannot open: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cs_error_set(err, CS_EINPUT, root, 0, 0, "not a directory");
    return walk(root, what, max_depth, runs, n, n_bad, bad_msg, err);
}
