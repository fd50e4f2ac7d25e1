/* runmatch.c — a features-view run's inputs matched to new data BY NAME (rundir.h:
 * cs_run_match_features).  A table's columns (and a derived view's features) come in the
 * order of the file, one-hot levels in the order of the values the file holds, so the
 * data's feature vector is rebuilt in the run's order: missing inputs are refused (or are
 * a one-hot level / event type that does not occur: 0), extra columns are dropped.
 *
 * Both name lists are sorted (stable, by name then position) and merged, so equal names
 * (a header repeating a column) pair up in order of appearance; O(n log n). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/quote.h"
#include "clickseq/rundir.h"

typedef struct named {
    const char *s;
    size_t i;
} named;

static int cmp_named(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static named *sorted(char *const *names, size_t n)
{
    named *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++)
        v[i] = (named){names[i] ? names[i] : "", i};
    qsort(v, n, sizeof *v, cmp_named);
    return v;
}

/* Is there a data feature "B=..." for the run's one-hot level "B=L"?  (The data's
 * categorical column B then simply has no row with the value L.) */
static int has_level_of(const named *d, size_t nd, const char *name)
{
    const char *eq = strchr(name, '=');
    if (!eq || eq == name)
        return 0;
    size_t k = (size_t)(eq - name) + 1;   /* "B=" */
    size_t lo = 0, hi = nd;               /* first data name >= "B=" */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strncmp(d[mid].s, name, k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nd && !strncmp(d[lo].s, name, k);
}

/* A count of an event type ("n_T", "leaky_n_T") of a view derived from events: a type the
 * data never shows counts 0 in every session. */
static int is_type_count(const cs_dataset *ds, const char *name)
{
    return ds->session_names && (!strncmp(name, "n_", 2) || !strncmp(name, "leaky_n_", 8));
}

/* Append 'name' (shown escaped) to a "'a', 'b'" list of cap bytes; "..." ends a full one. */
static void list_add(char *buf, size_t cap, size_t *count, const char *name)
{
    char shown[120];
    size_t len = strlen(buf);
    (*count)++;
    if (len >= 3 && !strcmp(buf + len - 3, "..."))
        return;
    cs_show_str(shown, sizeof shown, name);
    if (len + strlen(shown) + 12 < cap)
        snprintf(buf + len, cap - len, "%s'%s'", len ? ", " : "", shown);
    else
        snprintf(buf + len, cap - len, "%s...", len ? ", " : "");
}

cs_status cs_run_match_features(const cs_run *run, cs_dataset *ds, cs_feat_match *m,
                                cs_error *err)
{
    memset(m, 0, sizeof *m);
    if (!CS_VIEW_HAS_FEAT(ds->view) || run->cfg.model.view != ds->view)   /* features, hybrid */
        return CS_OK;
    size_t nr = (size_t)run->cfg.model.n_feat, nd = ds->n_feat;
    if (run->n_feat_names <= 0 || !run->feat_names) {   /* saved before feat_names */
        m->positional = 1;
        if (nd != nr)
            return cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                                "the data gives %zu features, the run was trained on %zu (the run "
                                "stores no feature names: columns are matched by position)", nd, nr);
        return CS_OK;
    }
    if (!ds->feat_names && nd)
        return cs_error_fmt(err, CS_ERUNTIME, "the data's features have no names");
    named *r = sorted(run->feat_names, nr), *d = sorted(ds->feat_names, nd);
    size_t *src = malloc((nr ? nr : 1) * sizeof *src);    /* run input j <- data column src[j] */
    unsigned char *used = calloc(nd ? nd : 1, 1);
    char **names = calloc(nr ? nr : 1, sizeof *names);
    float *x = malloc((ds->n * nr + 1) * sizeof *x);
    cs_status st = CS_OK;
    if (!r || !d || !src || !used || !names || !x) {
        st = cs_error_fmt(err, CS_ENOMEM, "out of memory");
        goto done;
    }
    char missing[600] = "";
    size_t n_missing = 0;
    for (size_t a = 0, b = 0; a < nr; a++) {
        while (b < nd && strcmp(d[b].s, r[a].s) < 0)
            b++;
        if (b < nd && !strcmp(d[b].s, r[a].s)) {
            src[r[a].i] = d[b].i;
            used[d[b].i] = 1;
            b++;
        } else if (has_level_of(d, nd, r[a].s) || is_type_count(ds, r[a].s)) {
            src[r[a].i] = SIZE_MAX;   /* does not occur in this data: 0 */
            list_add(m->zero, sizeof m->zero, &m->n_zero, r[a].s);
        } else {
            list_add(missing, sizeof missing, &n_missing, r[a].s);
        }
    }
    if (n_missing) {
        st = cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                          "the data lacks %zu of the run's %zu feature column%s (matched by name): %s", n_missing, nr,
                          nr == 1 ? "" : "s", missing);
        goto done;
    }
    for (size_t k = 0; k < nd; k++)
        if (!used[k])
            list_add(m->extra, sizeof m->extra, &m->n_extra, ds->feat_names[k] ? ds->feat_names[k] : "");
    for (size_t j = 0; j < nr; j++)
        if (!(names[j] = strdup(run->feat_names[j]))) {
            st = cs_error_fmt(err, CS_ENOMEM, "out of memory");
            goto done;
        }
    for (size_t i = 0; i < ds->n; i++)
        for (size_t j = 0; j < nr; j++)
            x[i * nr + j] = src[j] == SIZE_MAX ? 0.0f : ds->feat[i * nd + src[j]];
    m->reordered = nr != nd || m->n_zero;
    for (size_t j = 0; j < nr && !m->reordered; j++)
        m->reordered = src[j] != j;
    for (size_t k = 0; k < nd; k++)
        free(ds->feat_names[k]);
    free(ds->feat_names);
    free(ds->feat);
    ds->feat_names = names;
    ds->feat = x;
    ds->n_feat = nr;
    names = NULL;
    x = NULL;
done:
    if (names)
        for (size_t j = 0; j < nr; j++)
            free(names[j]);
    free(names);
    free(x);
    free(used);
    free(src);
    free(r);
    free(d);
    return st;
}
