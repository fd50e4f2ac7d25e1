/* datacache.h — a loaded dataset kept across runs (study layer).
 *
 * Keeps the loaded events while the load options (data, outcomes, format, map,
 * purchase-event, header, delim, session-gap, skip-bad-rows, label, drop, time-col) stay
 * the same, and the dataset while the view options (view, method, max-len, min-len,
 * policy) stay the same as well.  A cache belongs to one thread at a time (no lock): the
 * workbench keeps one on its worker thread, a sweep one for its runs. */
#ifndef CLICKSEQ_DATACACHE_H
#define CLICKSEQ_DATACACHE_H

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/runconfig.h"

typedef struct cs_data_cache cs_data_cache;
cs_data_cache *cs_data_cache_new(void);
void cs_data_cache_free(cs_data_cache *dc);
/* A progress callback for the loads this cache makes (cs_load_opts.progress; NULL: none). */
void cs_data_cache_set_progress(cs_data_cache *dc, cs_load_progress_fn fn, void *ctx);
/* The dataset for cfg (owned by the cache, valid until the next call); led (may be NULL)
 * receives the ledger of the load. */
cs_status cs_data_cache_get(cs_data_cache *dc, const cs_run_config *cfg, const cs_dataset **ds,
                            cs_ledger *led, cs_error *err);
/* The cached dataset for cfg and its split by cfg (split, fractions, seed) in *sp, which the
 * caller frees with cs_split_free (also on error: it is zeroed first). */
cs_status cs_data_cache_split(cs_data_cache *dc, const cs_run_config *cfg, const cs_dataset **ds,
                              cs_split *sp, cs_error *err);

#endif
