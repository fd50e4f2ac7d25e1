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
 * need them again (e.g. early prediction); otherwise the sessionising consumes them as
 * it goes (cs_dataset_from_events_consume: the same dataset, a lower peak). */
cs_status cs_pipeline_load(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                           cs_events *ev_out, cs_error *err);
/* The same, the events consumed even with ev_out: it receives what is left of them, their
 * type column and type names (dataset.h), e.g. for a summary of the event types. */
cs_status cs_pipeline_load_lean(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                                cs_events *ev_out, cs_error *err);
/* cs_pipeline_load_lean with a progress callback (as cs_pipeline_load_progress). */
cs_status cs_pipeline_load_lean_progress(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                                         cs_events *ev_out, cs_load_progress_fn progress, void *ctx,
                                         cs_error *err);
/* The same with a progress callback for the events load (cs_load_opts.progress; a nonzero
 * return cancels: CS_ECANCEL).  progress may be NULL. */
cs_status cs_pipeline_load_progress(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                                    cs_events *ev_out, cs_load_progress_fn progress, void *ctx,
                                    cs_error *err);

/* What the load will use when the format or the delimiter is auto, from the file's first
 * line (sniff.h): the delimiter (`,` `;` tab `|`, the most frequent one), a features table
 * when the first line has the label column (cfg->label, default Revenue), and generic when
 * a mapping is given.  CS_EIO when the file cannot be read. */
typedef struct cs_pipeline_guess {
    cs_format format;         /* resolved: features, generic, or as configured */
    char delim;               /* the delimiter to use */
    int delim_sniffed;        /* 1: counted in the first line (worth reporting) */
    int features_by_label;    /* 1: auto became features because of the label column */
} cs_pipeline_guess;
cs_status cs_pipeline_resolve(const cs_run_config *cfg, cs_pipeline_guess *g, cs_error *err);

#endif
