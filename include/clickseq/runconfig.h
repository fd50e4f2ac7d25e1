/* runconfig.h — the run configuration (train layer): everything that defines a run (data
 * options, model, training), its defaults and presets, checks across parameters, and the
 * "key = value" text form a run's config.txt holds.  The parameter table (params.h) maps
 * names <-> fields. */
#ifndef CLICKSEQ_RUNCONFIG_H
#define CLICKSEQ_RUNCONFIG_H

#include <stdint.h>

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/model.h"
#include "clickseq/optim.h"

/* Everything that defines a run: the data options, the model and the training.  One
 * parameter table (below) maps names <-> fields for the CLI (--name value), the
 * workbench form and `:set name value`, the run's config file and sweeps. */
typedef struct cs_run_config {
    /* data */
    char data[512];           /* events file or features table */
    char outcomes[512];       /* yoochoose buys / outcomes file, "" if none */
    cs_format format;
    char map[256];            /* generic mapping */
    char purchase_event[64];  /* generic: the event value meaning purchase */
    int header;               /* -1 auto, 0 none, 1 header row */
    char delim;               /* 0 = by extension */
    double session_gap_min;   /* cut sessions per user after this gap (no session column) */
    char label[64];           /* features: label column */
    char time_col[64];        /* features: column ordering rows in time (e.g. Month) */
    char drop[256];           /* features: columns to exclude */
    int skip_bad_rows;
    cs_dataset_opts ds;       /* view, method, max_len, policy */
    cs_split_kind split;
    double train_frac, valid_frac;
    /* model */
    cs_model_config model;
    /* training */
    cs_optim_kind optim;
    double lr, momentum, weight_decay, clip;   /* clip 0 = off */
    double emb_decay;         /* L2 on the hashed-embedding rows a batch reads (cs_model_emb_decay) */
    int epochs, batch;
    double pos_weight;        /* < 0: auto = negatives / positives; 1 = no weighting */
    int patience;             /* early stopping on validation PR-AUC; 0 = off */
    int tune_threshold;       /* 1: F1-optimal on validation (honest); 0: fixed */
    double threshold;         /* used when tune_threshold == 0 (study: 0.5) */
    uint64_t seed;
    int threads;
    char name[64];            /* run name, e.g. "gru-h64"; "" = derived */
} cs_run_config;

/* Honest defaults (GRU h64, Adam 1e-3, batch 256, 20 epochs, time split 70/15/15...). */
void cs_run_config_init(cs_run_config *c);
/* The study's setup for a view (DESIGN.md §1): preset "study-rnn", "study-gru",
 * "study-lstm" (seed-compatible method, softmax2 head, 40/80 units, Adam 3e-4, 20 epochs,
 * batch 1000, random 70/30, threshold 0.5, no class weight). */
cs_status cs_run_config_preset(cs_run_config *c, const char *preset, cs_error *err);
/* The schedule a convex model (logistic regression) converges with, rather than the
 * networks' schedule: Adam lr 1e-2, at least 50 epochs, early-stopping patience at least
 * 10 when early stopping is on.  The parts named in keep (CS_KEEP_*) are the user's and
 * stay as they are (the optimiser kept, the lr is still 1e-2 unless it is kept too). */
#define CS_KEEP_LR 1u
#define CS_KEEP_EPOCHS 2u
#define CS_KEEP_PATIENCE 4u
#define CS_KEEP_OPTIM 8u
void cs_run_config_convex_schedule(cs_run_config *c, unsigned keep);
/* The CS_KEEP_* bit of a parameter name ("lr", "epochs", "patience", "optim"), else 0. */
unsigned cs_convex_keep_bit(const char *param);

/* Checks that span parameters (train-frac + valid-frac < 1, hidden sizes for every layer,
 * cells that need the features view...); a message naming the parameter. */
cs_status cs_run_config_check(const cs_run_config *c, cs_error *err);
/* Make data and outcomes absolute paths, so a saved run finds its data again from any
 * directory.  A path that does not resolve, or would not fit, is left as it is. */
void cs_run_config_absolute_paths(cs_run_config *c);
/* The whole configuration as "key = value\n" lines in table order (malloc'd; NULL on
 * allocation failure).  cs_run_config_parse reads it back exactly (doubles round-trip). */
char *cs_run_config_format(const cs_run_config *c);
/* Apply "key = value" lines (blank lines and '#' comments skipped) on top of c.  Unknown
 * keys are an error naming fname:line unless allow_unknown (run files carry extra keys). */
cs_status cs_run_config_parse(cs_run_config *c, const char *text, const char *fname,
                              int allow_unknown, cs_error *err);
/* Split one line in place into key and value (trimmed).  Blank/comment lines give
 * key = value = NULL.  CS_EINPUT when there is no '='. */
cs_status cs_config_line(char *line, char **key, char **value);
/* A value read from a config line: a quoted one (quote.h) decoded into *out (malloc'd),
 * else *out NULL and the value is used as it is.  CS_EINPUT for a bad quoted value. */
cs_status cs_config_value(const char *val, char **out);

#endif
