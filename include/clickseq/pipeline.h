/* pipeline.h — from a run configuration to a dataset: load the events (or the features
 * table) with the configured format/mapping, sessionise, build the view.  Used by every
 * headless command and by the workbench, so they all read data the same way. */
#ifndef CLICKSEQ_PIPELINE_H
#define CLICKSEQ_PIPELINE_H

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/events.h"
#include "clickseq/train.h"

/* Load cfg->data (+ cfg->outcomes) and build the dataset for cfg->ds.  led receives the
 * row and session counts.  ev_out (may be NULL) receives the events, for callers that
 * need them again (e.g. early prediction); otherwise they are freed. */
cs_status cs_pipeline_load(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                           cs_events *ev_out, cs_error *err);

#endif
