/* sweep_cli.h — helpers shared by the experiment commands (sweep, study, early). */
#ifndef CLICKSEQ_SWEEP_CLI_H
#define CLICKSEQ_SWEEP_CLI_H

#include "app/cli.h"
#include "clickseq/sweep.h"

/* Apply the parsed command line to base, turning every list-valued parameter into a grid
 * axis: a value with a comma for any parameter that is not free text (data, map, drop...
 * keep their commas).  In a single value, ':' stands for ',' (hidden 40:80). */
cs_status sweep_grid_from_args(const cli_args *a, cs_run_config *base, cs_sweep_grid *g,
                               cs_error *err);
/* Strict positive integer; 0 ok, -1 bad. */
int sweep_parse_count(const char *s, int *out);
/* results.csv, runs.csv and results.md (title, the command, the table, the wall time)
 * in dir. */
cs_status sweep_write_tables(const cs_results *res, const char *dir, const char *title,
                             const char *cmdline, double wall_s, int pivot, cs_error *err);
/* The results as JSON on f: {"seconds", "runs": [...one per run...], "groups": [...mean and
 * std per configuration...]}; every metric NaN is null. */
cs_status sweep_print_json(FILE *f, const cs_results *res, double wall_s, cs_error *err);

#endif
