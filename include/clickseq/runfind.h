/* runfind.h — every run under a directory, recursively (sweep folders hold their runs one
 * level down; the runs library shows them as groups). */
#ifndef CLICKSEQ_RUNFIND_H
#define CLICKSEQ_RUNFIND_H

#include <stddef.h>

#include "clickseq/error.h"
#include "clickseq/runstore.h"

#define CS_RUN_FIND_DEPTH 4

/* A run directory: config.txt and summary.txt present (not checked further). */
int cs_is_run_dir(const char *dir);

/* root itself when it is a run, else every run in the directories below it (at most
 * max_depth levels; hidden entries and symbolic links to directories skipped), sorted by
 * path, loaded with `what`; a run that fails to load is skipped and counted in *n_bad
 * (may be NULL), and its message kept in bad_msg (may be NULL) for the first one.
 * Appends to *runs / *n (start with NULL / 0). */
cs_status cs_run_find(const char *root, unsigned what, int max_depth, cs_run **runs, size_t *n,
                      size_t *n_bad, cs_error *bad_msg, cs_error *err);

#endif
