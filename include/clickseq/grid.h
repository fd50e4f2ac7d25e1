/* grid.h — grids of runs (study layer).
 *  - A grid is a list of axes, each a parameter of the table (params.h) and a list of
 *    values given as text ("gru,lstm", "32,64", "1e-3,3e-3").  In a grid a comma always
 *    separates grid values; a per-layer list (hidden "40,80") is written with ':' ("40:80").
 *  - Expansion is the nested loops of the axes in the order they were added (the last axis
 *    varies fastest), each configuration run with seeds base, base+1, ... base+seeds-1. */
#ifndef CLICKSEQ_GRID_H
#define CLICKSEQ_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/runconfig.h"

#define CS_SWEEP_MAX_AXES 16

typedef struct cs_sweep_axis {
    char name[32];            /* parameter name (train.h table) */
    char **values;            /* n values as text, owned */
    size_t n;
} cs_sweep_axis;

typedef struct cs_sweep_grid {
    cs_sweep_axis axes[CS_SWEEP_MAX_AXES];
    size_t n_axes;
    int seeds;                /* runs per configuration (>= 1) */
    /* convex: a run of cell logreg gets cs_run_config_convex_schedule (the baseline's
     * schedule), keeping the parts in convex_keep (CS_KEEP_*: what the user set) and the
     * parts that are axes.  0 (cs_sweep_grid_init): configurations as they are. */
    int convex;
    unsigned convex_keep;
} cs_sweep_grid;

void cs_sweep_grid_init(cs_sweep_grid *g);
void cs_sweep_grid_free(cs_sweep_grid *g);
/* Add an axis: a parameter name and a comma list of values (':' inside a value becomes
 * ',', for list parameters such as hidden "40:80").  Text only: empty values, duplicate
 * values and too many axes are CS_EINPUT; the values are checked against the parameter
 * table by cs_sweep_grid_check.  Adding an axis twice replaces it. */
cs_status cs_sweep_grid_add(cs_sweep_grid *g, const char *name, const char *list, cs_error *err);
/* Check every axis value by setting it on a copy of base (names the parameter and value). */
cs_status cs_sweep_grid_check(const cs_sweep_grid *g, const cs_run_config *base, cs_error *err);
/* The axis values of run i (vals: n_axes pointers into the grid) and its seed offset
 * (i % seeds); returns the configuration index i / seeds. */
size_t cs_sweep_grid_values(const cs_sweep_grid *g, size_t i, const char **vals,
                            int *seed_index);
/* The run's name from its axis values and seed, e.g. "gru-h32-l1-lr0.001-s1": cell, view,
 * method and policy values as they are, other axes as a short prefix + value ("h" hidden,
 * "l" layers, "lr", "len" max-len, "e" epochs, "b" batch; else the parameter name), unsafe
 * characters replaced by '_'. */
void cs_sweep_run_name(const cs_sweep_grid *g, size_t i, uint64_t seed, char *buf, size_t n);
/* Number of configurations (product of the axis sizes; 1 with no axis). */
size_t cs_sweep_grid_size(const cs_sweep_grid *g);
/* Runs = configurations x seeds. */
size_t cs_sweep_grid_runs(const cs_sweep_grid *g);
/* Run i (0 <= i < runs): out = base with the axis values of configuration i / seeds set,
 * seed = base->seed + i % seeds, and out->name = the run's name (axis values, then
 * "-s<seed>"; the cell first when it is not an axis), e.g. "gru-h32-l1-lr0.001-s1".  combo (may be NULL) receives the index of the
 * configuration. */
cs_status cs_sweep_grid_config(const cs_sweep_grid *g, const cs_run_config *base, size_t i,
                               cs_run_config *out, size_t *combo, cs_error *err);

#endif
