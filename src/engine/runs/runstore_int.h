/* runstore_int.h — helpers shared by runstore.c and runfile.c (not public). */
#ifndef CLICKSEQ_RUNSTORE_INT_H
#define CLICKSEQ_RUNSTORE_INT_H

#include <stddef.h>

#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/files.h"
#include "clickseq/model.h"

/* cs_model_config_hash without zeroing unused hidden sizes (runs saved before the fix). */
uint64_t cs_model_config_hash_raw(const cs_model_config *m);

#endif
