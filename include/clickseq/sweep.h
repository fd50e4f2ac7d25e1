/* sweep.h — sweeps: every header of the study layer's sweep API, for code written before
 * they were split (one concept each; include the one you need):
 *   results.h       results tables, grouping, mean ± std over seeds
 *   resultswrite.h  results as CSV and Markdown
 *   grid.h          grids of runs (axes, expansion, run names)
 *   sweeprun.h      running a grid (cs_sweep_run, hooks) and one-run building blocks
 *   datacache.h     the dataset kept across runs
 * (and files.h for cs_write_file_atomic, which was declared here) */
#ifndef CLICKSEQ_SWEEP_H
#define CLICKSEQ_SWEEP_H

#include "clickseq/datacache.h"
#include "clickseq/files.h"
#include "clickseq/grid.h"
#include "clickseq/results.h"
#include "clickseq/resultswrite.h"
#include "clickseq/sweeprun.h"
#include "clickseq/train.h"

#endif
