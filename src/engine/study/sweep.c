/* sweep.c — sweep grids as text: axes of parameter values, their expansion into runs, and
 * run names, and configurations from the parameter table (see sweep.h).  Running the sweep
 * lives in sweep_run.c, which needs the data pipeline, the trainer and the run store. */
#include "clickseq/sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_sweep_grid_init(cs_sweep_grid *g)
{
    memset(g, 0, sizeof *g);
    g->seeds = 1;
}

static void axis_free(cs_sweep_axis *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->values[i]);
    free(a->values);
    memset(a, 0, sizeof *a);
}

void cs_sweep_grid_free(cs_sweep_grid *g)
{
    for (size_t i = 0; i < g->n_axes; i++)
        axis_free(&g->axes[i]);
    cs_sweep_grid_init(g);
}

/* Split list at commas into a fresh axis; ':' becomes ',' inside a value. */
static cs_status axis_parse(cs_sweep_axis *a, const char *name, const char *list, cs_error *err)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    size_t cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    a->values = calloc(cap, sizeof *a->values);
    if (!a->values)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for sweep axis %s", name);
    const char *p = list;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (!len)
            return cs_error_fmt(err, CS_EINPUT, "--%s: empty value in the list '%s'", name, list);
        char *v = malloc(len + 1);
        if (!v)
            return cs_error_fmt(err, CS_ENOMEM, "out of memory for sweep axis %s", name);
        for (size_t i = 0; i < len; i++)
            v[i] = p[i] == ':' ? ',' : p[i];
        v[len] = '\0';
        for (size_t i = 0; i < a->n; i++)
            if (!strcmp(a->values[i], v)) {
                free(v);
                return cs_error_fmt(err, CS_EINPUT, "--%s: value '%.*s' is listed twice", name,
                                    (int)len, p);
            }
        a->values[a->n++] = v;
        if (!e)
            break;
        p = e + 1;
    }
    return CS_OK;
}

cs_status cs_sweep_grid_add(cs_sweep_grid *g, const char *name, const char *list, cs_error *err)
{
    if (!name || !*name || strlen(name) >= sizeof g->axes[0].name)
        return cs_error_fmt(err, CS_EINPUT, "bad sweep parameter name '%s'", name ? name : "");
    size_t slot = g->n_axes;
    for (size_t i = 0; i < g->n_axes; i++)
        if (!strcmp(g->axes[i].name, name))
            slot = i;
    if (slot == CS_SWEEP_MAX_AXES)
        return cs_error_fmt(err, CS_EINPUT, "a sweep has at most %d varying parameters",
                            CS_SWEEP_MAX_AXES);
    cs_sweep_axis a;
    cs_status st = axis_parse(&a, name, list ? list : "", err);
    if (st) {
        axis_free(&a);
        return st;
    }
    if (slot < g->n_axes)
        axis_free(&g->axes[slot]);
    else
        g->n_axes++;
    g->axes[slot] = a;
    return CS_OK;
}

size_t cs_sweep_grid_size(const cs_sweep_grid *g)
{
    size_t n = 1;
    for (size_t i = 0; i < g->n_axes; i++)
        n *= g->axes[i].n;
    return n;
}

size_t cs_sweep_grid_runs(const cs_sweep_grid *g)
{
    return cs_sweep_grid_size(g) * (size_t)(g->seeds > 0 ? g->seeds : 1);
}

size_t cs_sweep_grid_values(const cs_sweep_grid *g, size_t i, const char **vals,
                            int *seed_index)
{
    size_t seeds = (size_t)(g->seeds > 0 ? g->seeds : 1);
    size_t combo = i / seeds, rest = combo;
    if (seed_index)
        *seed_index = (int)(i % seeds);
    for (size_t k = g->n_axes; k-- > 0;) {   /* the last axis varies fastest */
        vals[k] = g->axes[k].values[rest % g->axes[k].n];
        rest /= g->axes[k].n;
    }
    return combo;
}

static const char *short_prefix(const char *name)
{
    static const char *const map[][2] = {
        {"cell", ""}, {"view", ""}, {"method", ""}, {"policy", ""}, {"optim", ""},
        {"hidden", "h"}, {"layers", "l"}, {"lr", "lr"}, {"max-len", "len"},
        {"epochs", "e"}, {"batch", "b"}, {"dropout", "do"}, {"emb-type", "emb"},
        {"bidir", "bi"}, {"weight-decay", "wd"}, {"pos-weight", "pw"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], name))
            return map[i][1];
    return NULL;
}

void cs_sweep_run_name(const cs_sweep_grid *g, size_t i, uint64_t seed, char *buf, size_t n)
{
    const char *vals[CS_SWEEP_MAX_AXES];
    cs_sweep_grid_values(g, i, vals, NULL);
    char tmp[512];
    size_t len = 0;
    tmp[0] = '\0';
    for (size_t k = 0; k < g->n_axes && len < sizeof tmp; k++) {
        const char *pre = short_prefix(g->axes[k].name);
        int w = snprintf(tmp + len, sizeof tmp - len, "%s%s%s", len ? "-" : "",
                         pre ? pre : g->axes[k].name, vals[k]);
        if (w > 0)
            len += (size_t)w;
    }
    /* too long for a run name: keep the start, then the configuration's index, so names
     * stay unique */
    char tail[64];
    size_t combo = i / (size_t)(g->seeds > 0 ? g->seeds : 1);
    int tl = snprintf(tail, sizeof tail, "%ss%llu", len ? "-" : "", (unsigned long long)seed);
    if (len + (size_t)tl >= n && n > 0) {
        tl = snprintf(tail, sizeof tail, "-c%zu-s%llu", combo, (unsigned long long)seed);
        len = n - 1 > (size_t)tl ? n - 1 - (size_t)tl : 0;
        if (len > sizeof tmp - 1)
            len = sizeof tmp - 1;
    }
    if (len < sizeof tmp)
        snprintf(tmp + len, sizeof tmp - len, "%s", tail);
    for (char *p = tmp; *p; p++) {
        int safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+';
        if (*p == ',')
            *p = '-';
        else if (!safe)
            *p = '_';
    }
    snprintf(buf, n, "%s", tmp);
}

/* ---- configurations from the grid ---- */

cs_status cs_sweep_grid_check(const cs_sweep_grid *g, const cs_run_config *base, cs_error *err)
{
    for (size_t k = 0; k < g->n_axes; k++) {
        if (!cs_param_find(g->axes[k].name))
            return cs_error_fmt(err, CS_EINPUT, "sweep: unknown parameter '%s'", g->axes[k].name);
        for (size_t v = 0; v < g->axes[k].n; v++) {
            cs_run_config c = *base;
            cs_status st = cs_param_set(&c, g->axes[k].name, g->axes[k].values[v], err);
            if (st)
                return st;
        }
    }
    return CS_OK;
}

cs_status cs_sweep_grid_config(const cs_sweep_grid *g, const cs_run_config *base, size_t i,
                               cs_run_config *out, size_t *combo, cs_error *err)
{
    const char *vals[CS_SWEEP_MAX_AXES];
    int s = 0;
    size_t c = cs_sweep_grid_values(g, i, vals, &s);
    if (combo)
        *combo = c;
    *out = *base;
    for (size_t k = 0; k < g->n_axes; k++) {
        cs_status st = cs_param_set(out, g->axes[k].name, vals[k], err);
        if (st)
            return st;
    }
    out->seed = base->seed + (uint64_t)s;
    if (g->convex && out->model.cell == CS_CELL_LOGREG) {
        unsigned keep = g->convex_keep;
        for (size_t k = 0; k < g->n_axes; k++)
            keep |= cs_convex_keep_bit(g->axes[k].name);
        cs_run_config_convex_schedule(out, keep);
    }
    int has_cell = 0;
    for (size_t k = 0; k < g->n_axes; k++)
        has_cell |= !strcmp(g->axes[k].name, "cell");
    /* the cell first when it is not an axis, so a run's name says what it is */
    const char *cell = has_cell ? "" : cs_cell_name(out->model.cell);
    size_t room = sizeof out->name - (has_cell ? 0 : strlen(cell) + 1);
    char nm[sizeof out->name];
    cs_sweep_run_name(g, i, out->seed, nm, room);
    size_t cl = strlen(cell);
    memcpy(out->name, cell, cl);
    if (!has_cell)
        out->name[cl++] = '-';
    memcpy(out->name + cl, nm, strlen(nm) + 1);   /* fits: room was set aside */
    return cs_run_config_check(out, err);
}
