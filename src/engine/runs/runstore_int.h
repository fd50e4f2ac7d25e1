/* runstore_int.h — helpers shared by runstore.c and runfile.c (not public). */
#ifndef CLICKSEQ_RUNSTORE_INT_H
#define CLICKSEQ_RUNSTORE_INT_H

#include <stddef.h>

#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/model.h"

/* fsync the directory that holds path (the parent of a file, or of a directory). */
cs_status cs_fsync_dir_of(const char *path, cs_error *err);
/* Read a whole file, NUL-terminated; *n excludes the NUL.  Missing file: CS_EINPUT. */
cs_status cs_slurp(const char *path, char **out, size_t *n, cs_error *err);

/* cs_model_config_hash without zeroing unused hidden sizes (runs saved before the fix). */
uint64_t cs_model_config_hash_raw(const cs_model_config *m);

#endif
