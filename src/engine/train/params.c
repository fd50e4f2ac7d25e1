/* params.c — the ONE parameter table: names <-> fields of cs_run_config, with types,
 * ranges, help text and form groups.  The CLI, the workbench form, `:set`, the run's
 * config file and sweeps all go through it, so a parameter exists once.
 *
 * Enum names are kept here (not borrowed from the data/nn modules) so that this file
 * links on its own; their order must match the enums in events.h, dataset.h, model.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clickseq/quote.h"
#include "clickseq/runname.h"
#include "clickseq/train.h"

/* ------------------------------------------------------------------ the table */

/* How a parameter is stored in cs_run_config. */
typedef enum store {
    ST_INT, ST_DOUBLE, ST_FLOAT, ST_BOOL, ST_ENUM, ST_STR, ST_U64,
    ST_HIDDEN,   /* model.hidden[] as "40,80" or one number for all layers */
    ST_DELIM,    /* char: "auto", ",", "tab", ";", "|" */
    ST_POSW,     /* "auto" (stored < 0) or a number */
} store;

typedef struct param_impl {
    cs_param p;      /* public part: first, so &impl->p is what callers see */
    store st;
    size_t off;      /* offsetof(cs_run_config, field) */
    size_t size;     /* ST_STR: buffer size */
    int base;        /* ST_ENUM: value of the first choice (header: -1) */
} param_impl;

static const char *const header_choices[] = {"auto", "no", "yes", NULL};
static const char *const view_choices[] = {"sequence", "features", "hybrid", NULL};
static const char *const method_choices[] = {"honest", "compat", NULL};
static const char *const policy_choices[] = {"truncate", "filter", NULL};
static const char *const head_choices[] = {"sigmoid", "softmax2", NULL};
static const char *const optim_choices[] = {"adam", "sgd", NULL};
static const char *const init_choices[] = {"torch", "keras", NULL};

#define OFF(f) offsetof(cs_run_config, f)
#define SZ(f) sizeof(((cs_run_config *)0)->f)
#define P(nm, ty, hl, ch, lo, hi, grp) \
    {.name = nm, .type = ty, .help = hl, .choices = ch, .min = lo, .max = hi, .group = grp}
/* with the form's facts: the step rule and a short label (NULL: none) */
#define PF(nm, ty, hl, ch, lo, hi, grp, stp, shrt) \
    {.name = nm, .type = ty, .help = hl, .choices = ch, .min = lo, .max = hi, .group = grp, \
     .step = stp, .short_name = shrt}

static const param_impl table[] = {
    /* ---- data ---- */
    {P("data", CS_P_STRING, "events file (CSV/TSV) or features table", NULL, 0, 0, 0), ST_STR, OFF(data), SZ(data), 0},
    {P("outcomes", CS_P_STRING, "yoochoose buys file or outcomes file (session[,time])", NULL, 0, 0, 0), ST_STR, OFF(outcomes), SZ(outcomes), 0},
    {P("format", CS_P_ENUM, "input format", cs_format_names, 0, 0, 0), ST_ENUM, OFF(format), 0, 0},
    {P("map", CS_P_STRING, "generic column mapping, e.g. session=user_session,time=event_time,event=event_type", NULL, 0, 0, 0), ST_STR, OFF(map), SZ(map), 0},
    {PF("purchase-event", CS_P_STRING, "generic: the event value that means purchase", NULL, 0, 0, 0, CS_STEP_ADD, "purchase"), ST_STR, OFF(purchase_event), SZ(purchase_event), 0},
    {P("header", CS_P_ENUM, "the file has a header row (auto: guess from the first row)", header_choices, 0, 0, 0), ST_ENUM, OFF(header), 0, -1},
    {P("delim", CS_P_STRING, "field delimiter: auto (by extension), ',', tab, ';', '|'", NULL, 0, 0, 0), ST_DELIM, OFF(delim), 0, 0},
    {PF("session-gap", CS_P_DOUBLE, "minutes of inactivity that cut a user's sessions (no session column)", NULL, 0.001, 1e7, 0, CS_STEP_ADD, "gap"), ST_DOUBLE, OFF(session_gap_min), 0, 0},
    {PF("skip-bad-rows", CS_P_BOOL, "skip and count bad rows instead of stopping at the first", NULL, 0, 1, 0, CS_STEP_ADD, "skip-bad"), ST_BOOL, OFF(skip_bad_rows), 0, 0},
    {P("label", CS_P_STRING, "features table: the label column", NULL, 0, 0, 0), ST_STR, OFF(label), SZ(label), 0},
    {P("drop", CS_P_STRING, "features table: comma-separated columns to exclude", NULL, 0, 0, 0), ST_STR, OFF(drop), SZ(drop), 0},
    {P("time-col", CS_P_STRING, "features table: column ordering rows in time (e.g. Month)", NULL, 0, 0, 0), ST_STR, OFF(time_col), SZ(time_col), 0},
    {P("view", CS_P_ENUM, "sequence (one step per event), features (one vector per session) or hybrid (the sequence and the session features of the same events, joined before the head)", view_choices, 0, 0, 0), ST_ENUM, OFF(ds.view), 0, 0},
    {PF("history-inputs", CS_P_BOOL, "per-event inputs from the session's earlier events: times this item and this category were seen before, seconds since the start, position (log1p)", NULL, 0, 1, 0, CS_STEP_ADD, "history"), ST_BOOL, OFF(ds.history), 0, 0},
    {P("method", CS_P_ENUM, "honest, or compat (the study's seed-compatible method)", method_choices, 0, 0, 0), ST_ENUM, OFF(ds.method), 0, 0},
    {P("max-len", CS_P_INT, "maximum session length in events (0 = no limit)", NULL, 0, 1000000, 0), ST_INT, OFF(ds.max_len), 0, 0},
    {P("min-len", CS_P_INT, "minimum input events kept per session", NULL, 1, 1000000, 0), ST_INT, OFF(ds.min_len), 0, 0},
    {P("policy", CS_P_ENUM, "longer sessions: truncate (keep the last max-len) or filter (drop)", policy_choices, 0, 0, 0), ST_ENUM, OFF(ds.policy), 0, 0},
    {P("split", CS_P_ENUM, "train/valid/test split: time, random, stratified", cs_split_kind_names, 0, 0, 0), ST_ENUM, OFF(split), 0, 0},
    {PF("train-frac", CS_P_DOUBLE, "fraction of sessions for training", NULL, 0.01, 0.99, 0, CS_STEP_ADD, "train"), ST_DOUBLE, OFF(train_frac), 0, 0},
    {PF("valid-frac", CS_P_DOUBLE, "fraction of sessions for validation (test = the rest)", NULL, 0, 0.98, 0, CS_STEP_ADD, "valid"), ST_DOUBLE, OFF(valid_frac), 0, 0},
    /* ---- model ---- */
    {P("cell", CS_P_ENUM, "recurrent cell (mlp/logreg/xgboost: features view only; xgboost is gradient boosting)", cs_cell_names, 0, 0, 1), ST_ENUM, OFF(model.cell), 0, 0},
    {P("layers", CS_P_INT, "stacked layers", NULL, 1, CS_MAX_LAYERS, 1), ST_INT, OFF(model.layers), 0, 0},
    {PF("hidden", CS_P_INTLIST, "hidden units: one number for all layers or a list, e.g. 40,80", NULL, 1, 4096, 1, CS_STEP_DOUBLE, NULL), ST_HIDDEN, OFF(model.hidden), 0, 0},
    {P("bidir", CS_P_BOOL, "bidirectional layers", NULL, 0, 1, 1), ST_BOOL, OFF(model.bidir), 0, 0},
    {P("dropout", CS_P_DOUBLE, "dropout between stacked layers", NULL, 0, 0.95, 1), ST_FLOAT, OFF(model.dropout), 0, 0},
    {PF("emb-type", CS_P_INT, "event-type embedding size (0 = one-hot)", NULL, 0, 1024, 1, CS_STEP_DOUBLE, NULL), ST_INT, OFF(model.emb_type), 0, 0},
    {PF("emb-category", CS_P_INT, "hashed category embedding size (0 = off)", NULL, 0, 1024, 1, CS_STEP_DOUBLE, "emb-cat"), ST_INT, OFF(model.emb_category), 0, 0},
    {PF("emb-brand", CS_P_INT, "hashed brand embedding size (0 = off)", NULL, 0, 1024, 1, CS_STEP_DOUBLE, NULL), ST_INT, OFF(model.emb_brand), 0, 0},
    {PF("emb-item", CS_P_INT, "hashed item embedding size (0 = off)", NULL, 0, 1024, 1, CS_STEP_DOUBLE, NULL), ST_INT, OFF(model.emb_item), 0, 0},
    {PF("hash-buckets", CS_P_INT, "buckets of the hashed embeddings", NULL, 1, 16777216, 1, CS_STEP_DOUBLE, "buckets"), ST_INT, OFF(model.hash_buckets), 0, 0},
    {P("dwell", CS_P_BOOL, "log dwell time since the previous event as an input", NULL, 0, 1, 1), ST_BOOL, OFF(model.use_dwell), 0, 0},
    {P("price", CS_P_BOOL, "log price as an input", NULL, 0, 1, 1), ST_BOOL, OFF(model.use_price), 0, 0},
    {P("head", CS_P_ENUM, "output: sigmoid (one logit) or softmax2 (the study's two classes)", head_choices, 0, 0, 1), ST_ENUM, OFF(model.head), 0, 0},
    {PF("feat-hidden", CS_P_INT, "hybrid view: a dense relu layer of this width on the standardised features before they join the last hidden state (0 = the features join as they are)", NULL, 0, 4096, 1, CS_STEP_DOUBLE, "feat-hid"), ST_INT, OFF(model.feat_hidden), 0, 0},
    /* ---- training ---- */
    {P("optim", CS_P_ENUM, "optimizer", optim_choices, 0, 0, 2), ST_ENUM, OFF(optim), 0, 0},
    {PF("lr", CS_P_DOUBLE, "learning rate", NULL, 1e-9, 10, 2, CS_STEP_DOUBLE, NULL), ST_DOUBLE, OFF(lr), 0, 0},
    {P("momentum", CS_P_DOUBLE, "SGD momentum", NULL, 0, 0.9999, 2), ST_DOUBLE, OFF(momentum), 0, 0},
    {PF("weight-decay", CS_P_DOUBLE, "L2 weight decay on weight matrices (not biases)", NULL, 0, 1, 2, CS_STEP_DOUBLE, "w-decay"), ST_DOUBLE, OFF(weight_decay), 0, 0},
    {P("clip", CS_P_DOUBLE, "clip the gradient norm to this (0 = off)", NULL, 0, 1e6, 2), ST_DOUBLE, OFF(clip), 0, 0},
    {PF("emb-dropout", CS_P_DOUBLE, "drop each hashed-embedding row (category, brand, item) a batch reads with this probability, for the whole batch (training only)", NULL, 0, 0.95, 2, CS_STEP_ADD, "emb-drop"), ST_FLOAT, OFF(model.emb_dropout), 0, 0},
    {PF("emb-decay", CS_P_DOUBLE, "L2 decay on the hashed-embedding rows each batch reads (rows it does not read are left alone)", NULL, 0, 1, 2, CS_STEP_DOUBLE, "emb-dec"), ST_DOUBLE, OFF(emb_decay), 0, 0},
    {P("epochs", CS_P_INT, "training epochs", NULL, 1, 100000, 2), ST_INT, OFF(epochs), 0, 0},
    {PF("batch", CS_P_INT, "sessions per mini-batch", NULL, 1, 1000000, 2, CS_STEP_DOUBLE, NULL), ST_INT, OFF(batch), 0, 0},
    {P("pos-weight", CS_P_DOUBLE, "positive-class weight: auto (negatives/positives) or a number", NULL, 1e-6, 1e6, 2), ST_POSW, OFF(pos_weight), 0, 0},
    {P("patience", CS_P_INT, "early stopping: epochs without a better validation PR-AUC (0 = off)", NULL, 0, 100000, 2), ST_INT, OFF(patience), 0, 0},
    {PF("tune-threshold", CS_P_BOOL, "choose the F1-optimal threshold on validation", NULL, 0, 1, 2, CS_STEP_ADD, "tune-thr"), ST_BOOL, OFF(tune_threshold), 0, 0},
    {P("threshold", CS_P_DOUBLE, "fixed decision threshold (when tune-threshold is off)", NULL, 0, 1, 2), ST_DOUBLE, OFF(threshold), 0, 0},
    {P("init", CS_P_ENUM, "weight initialisation: torch (PyTorch's) or keras (Glorot inputs, orthogonal recurrent, zero biases: the study's framework)", init_choices, 0, 0, 2), ST_ENUM, OFF(model.init), 0, 0},
    {P("forget-bias", CS_P_DOUBLE, "LSTM forget-gate bias at initialisation (0 = the scheme's own)", NULL, -10, 10, 2), ST_FLOAT, OFF(model.forget_bias), 0, 0},
    {P("seed", CS_P_U64, "random seed (initialisation, shuffling, splits, dropout)", NULL, 0, 1.8446744073709552e19, 2), ST_U64, OFF(seed), 0, 0},
    {P("threads", CS_P_INT, "compute threads (0 = all cores); results are deterministic per count", NULL, 0, 256, 2), ST_INT, OFF(threads), 0, 0},
    {P("name", CS_P_STRING, "run name: up to 63 letters, digits, . _ - (not first: . -); empty = derived", NULL, 0, 0, 2), ST_STR, OFF(name), SZ(name), 0},
};
#define NPARAMS (sizeof table / sizeof table[0])

size_t cs_param_count(void) { return NPARAMS; }

const cs_param *cs_param_at(size_t i) { return i < NPARAMS ? &table[i].p : NULL; }

static const param_impl *find_impl(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < NPARAMS; i++)
        if (!strcmp(table[i].p.name, name))
            return &table[i];
    /* accept "max_len" for "max-len" */
    char norm[64];
    size_t n = strlen(name);
    if (n >= sizeof norm)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        norm[i] = name[i] == '_' ? '-' : (char)tolower((unsigned char)name[i]);
    for (size_t i = 0; i < NPARAMS; i++)
        if (!strcmp(table[i].p.name, norm))
            return &table[i];
    return NULL;
}

const cs_param *cs_param_find(const char *name)
{
    const param_impl *pi = find_impl(name);
    return pi ? &pi->p : NULL;
}

/* ------------------------------------------------------------------ defaults, presets */

/* Settings by parameter name, applied in order through cs_param_set (the same parsing and
 * ranges as the command line).  They are constants of this file: setting one cannot fail
 * (tests/test_params checks every list). */
typedef struct setting {
    const char *name, *value;
} setting;

static void apply(cs_run_config *c, const setting *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        (void)cs_param_set(c, s[i].name, s[i].value, NULL);
}

/* The honest defaults (README's table). */
static const setting defaults[] = {
    /* data */
    {"format", "auto"}, {"purchase-event", "purchase"}, {"header", "auto"}, {"delim", "auto"},
    {"session-gap", "30"}, {"label", "Revenue"}, {"view", "sequence"}, {"method", "honest"},
    {"max-len", "300"}, {"policy", "truncate"}, {"min-len", "1"}, {"split", "time"},
    {"history-inputs", "no"},
    {"train-frac", "0.70"}, {"valid-frac", "0.15"},
    /* training */
    {"optim", "adam"}, {"lr", "1e-3"}, {"momentum", "0.9"}, {"weight-decay", "0"}, {"clip", "5"},
    {"emb-dropout", "0"}, {"emb-decay", "0"},
    {"epochs", "20"}, {"batch", "256"}, {"pos-weight", "auto"}, {"patience", "5"},
    {"tune-threshold", "yes"}, {"threshold", "0.5"}, {"seed", "1"}, {"threads", "0"},
};

void cs_run_config_init(cs_run_config *c)
{
    memset(c, 0, sizeof *c);
    /* model: the model's own defaults (cs_model_config_init, model.h: GRU h64, ...) */
    cs_model_config_init(&c->model);
    for (int l = 1; l < CS_MAX_LAYERS; l++)
        c->model.hidden[l] = c->model.hidden[0];   /* so --layers N alone has a size per layer */
    c->model.view = CS_VIEW_SEQUENCE;
    c->model.n_types = 0;      /* the shape comes from the data (cs_model_config_from_data) */
    apply(c, defaults, sizeof defaults / sizeof *defaults);
}

/* The study (DESIGN.md §1): seed-compatible data handling, sessions of at most 10 events
 * (filtered), 2 layers of 40 and 80 units (LSTM bidirectional), a 2-class softmax head,
 * Adam 3e-4, 20 epochs, batch 1000, random 70/30, argmax = 0.5. */
static const setting study[] = {
    {"method", "compat"}, {"max-len", "10"}, {"policy", "filter"}, {"split", "random"},
    {"train-frac", "0.70"}, {"valid-frac", "0"},
    {"hidden", "40,80"}, {"dropout", "0"}, {"emb-type", "0"}, {"emb-category", "0"},
    {"emb-brand", "0"}, {"emb-item", "0"}, {"dwell", "no"}, {"price", "no"},
    {"head", "softmax2"},
    {"init", "keras"}, {"forget-bias", "1"},   /* the study's framework, unit_forget_bias on */
    {"optim", "adam"}, {"lr", "3e-4"}, {"weight-decay", "0"}, {"clip", "0"}, {"epochs", "20"},
    {"batch", "1000"}, {"pos-weight", "1"}, {"patience", "0"}, {"tune-threshold", "no"},
    {"threshold", "0.5"},
};
/* The study's presets: its settings with one cell each. */
static const setting study_cells[][2] = {
    {{"name", "study-rnn"}, {"cell", "rnn"}},
    {{"name", "study-gru"}, {"cell", "gru"}},
    {{"name", "study-lstm"}, {"cell", "lstm"}},
};

/* "best": the strongest honest configuration found on the YooChoose sample (time split
 * 70/15/15), chosen on the VALIDATION split only (EXPERIMENTS.md, "Choosing --preset best",
 * has the grid, the commands and the validation numbers).  Applied over the defaults. */
static const setting best[] = {
    {"view", "hybrid"}, {"history-inputs", "yes"},
    {"cell", "lstm"}, {"layers", "1"}, {"hidden", "64"}, {"emb-type", "16"},
    {"emb-category", "8"}, {"emb-item", "0"}, {"feat-hidden", "0"},
    {"name", "best"},
};

/* The load options (how the file is read) survive a preset: a preset describes a model and
 * its training, not the file. */
static const char *const load_options[] = {"data", "outcomes", "format", "map", "purchase-event",
                                           "header", "delim", "session-gap", "skip-bad-rows",
                                           "label", "drop", "time-col"};

cs_status cs_run_config_preset(cs_run_config *c, const char *preset, cs_error *err)
{
    if (!preset)
        return cs_error_fmt(err, CS_EINPUT, "preset: missing name");
    if (!strcasecmp(preset, "best")) {
        cs_run_config d;
        cs_run_config_init(&d);
        for (size_t k = 0; k < sizeof load_options / sizeof *load_options; k++) {
            char v[600];
            cs_param_get(c, load_options[k], v, sizeof v);
            (void)cs_param_set(&d, load_options[k], v, NULL);
        }
        apply(&d, best, sizeof best / sizeof *best);
        *c = d;
        return CS_OK;
    }
    if (!strcasecmp(preset, "default") || !strcasecmp(preset, "honest")) {
        /* keep the data options, reset everything else */
        cs_run_config d;
        cs_run_config_init(&d);
        d.ds.view = c->ds.view;
        memcpy(d.data, c->data, sizeof d.data);
        memcpy(d.outcomes, c->outcomes, sizeof d.outcomes);
        d.format = c->format;
        *c = d;
        return CS_OK;
    }
    for (size_t k = 0; k < sizeof study_cells / sizeof *study_cells; k++)
        if (!strcasecmp(preset, study_cells[k][0].value)) {
            apply(c, study, sizeof study / sizeof *study);
            apply(c, study_cells[k], 2);
            c->model.bidir = c->model.cell == CS_CELL_LSTM;
            return CS_OK;
        }
    return cs_error_fmt(err, CS_EINPUT,
                        "preset: unknown preset '%s' (best, study-rnn, study-gru, study-lstm, default)",
                        preset);
}

unsigned cs_convex_keep_bit(const char *n)
{
    return !strcmp(n, "lr") ? CS_KEEP_LR : !strcmp(n, "epochs") ? CS_KEEP_EPOCHS
         : !strcmp(n, "patience") ? CS_KEEP_PATIENCE : !strcmp(n, "optim") ? CS_KEEP_OPTIM : 0u;
}

void cs_run_config_convex_schedule(cs_run_config *c, unsigned keep)
{
    if (!(keep & CS_KEEP_OPTIM))
        c->optim = CS_OPT_ADAM;
    if (!(keep & CS_KEEP_LR))
        c->lr = 1e-2;
    if (!(keep & CS_KEEP_EPOCHS) && c->epochs < 50)
        c->epochs = 50;
    if (!(keep & CS_KEEP_PATIENCE) && c->patience > 0 && c->patience < 10)
        c->patience = 10;
}

static void absolute_path(char *path, size_t cap)
{
    char *abs = path[0] ? realpath(path, NULL) : NULL;
    if (abs && strlen(abs) < cap)
        memcpy(path, abs, strlen(abs) + 1);
    free(abs);
}

void cs_run_config_absolute_paths(cs_run_config *c)
{
    absolute_path(c->data, sizeof c->data);
    absolute_path(c->outcomes, sizeof c->outcomes);
}

cs_status cs_run_config_check(const cs_run_config *c, cs_error *err)
{
    if (c->train_frac + c->valid_frac >= 1.0 - 1e-9)
        return cs_error_fmt(err, CS_EINPUT,
                            "train-frac + valid-frac must be below 1 (got %g + %g): the rest is the test set",
                            c->train_frac, c->valid_frac);
    if (c->model.layers < 1 || c->model.layers > CS_MAX_LAYERS)
        return cs_error_fmt(err, CS_EINPUT, "layers: %d is out of range 1..%d", c->model.layers,
                            CS_MAX_LAYERS);
    for (int l = 0; l < c->model.layers; l++)
        if (c->model.hidden[l] < 1)
            return cs_error_fmt(err, CS_EINPUT, "hidden: layer %d has no size (give one number or %d)",
                                l + 1, c->model.layers);
#ifndef HAVE_XGBOOST
    if (c->model.cell == CS_CELL_XGBOOST)
        return cs_error_fmt(err, CS_EINPUT, "cell: this clickseq was built without XGBoost, so "
                            "cell xgboost is not available (install libxgboost-dev and run "
                            "./configure --with-xgboost)");
#endif
    if ((c->model.cell == CS_CELL_MLP || c->model.cell == CS_CELL_LOGREG ||
         c->model.cell == CS_CELL_XGBOOST) &&
        c->ds.view != CS_VIEW_FEATURES && c->ds.method != CS_METHOD_COMPAT)
        return cs_error_fmt(err, CS_EINPUT, "cell: %s needs the features view (--view features)",
                            cs_cell_names[c->model.cell]);
    if (c->ds.max_len > 0 && c->ds.min_len > c->ds.max_len)
        return cs_error_fmt(err, CS_EINPUT, "min-len: %d is above max-len %d", c->ds.min_len,
                            c->ds.max_len);
    return CS_OK;
}

/* ------------------------------------------------------------------ parsing values */

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* A number may have spaces around it and nothing else; errno is cleared for the caller's
 * strto* call. */
static const char *number_start(const char *s)
{
    errno = 0;
    return skip_space(s);
}

static int number_end(const char *start, const char *end)
{
    return end == start || *skip_space(end) || errno == ERANGE ? -1 : 0;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    s = number_start(s);
    double v = strtod(s, &end);
    if (number_end(s, end) || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_long(const char *s, long long *out)
{
    char *end;
    s = number_start(s);
    long long v = strtoll(s, &end, 10);
    if (number_end(s, end))
        return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"1", "yes", "true", "on", "y", NULL};
    static const char *const no[] = {"0", "no", "false", "off", "n", NULL};
    for (int i = 0; yes[i]; i++)
        if (!strcasecmp(s, yes[i]))
            return *out = 1, 0;
    for (int i = 0; no[i]; i++)
        if (!strcasecmp(s, no[i]))
            return *out = 0, 0;
    return -1;
}

static int enum_index(const param_impl *pi, const char *s)
{
    for (int i = 0; pi->p.choices[i]; i++)
        if (!strcasecmp(s, pi->p.choices[i]))
            return i;
    if (pi->off == OFF(ds.method) && (!strcasecmp(s, "seed-compatible") || !strcasecmp(s, "study")))
        return CS_METHOD_COMPAT;
    if (pi->off == OFF(header)) {
        int b;
        if (!parse_bool(s, &b))
            return b ? 2 : 1;
    }
    return -1;
}

static cs_status bad_choice(const param_impl *pi, const char *value, cs_error *err)
{
    char list[256] = "";
    size_t n = 0;
    for (int i = 0; pi->p.choices[i] && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", pi->p.choices[i]);
    return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not one of %s", pi->p.name, value, list);
}

static cs_status range_error(const param_impl *pi, const char *value, cs_error *err)
{
    return cs_error_fmt(err, CS_EINPUT, "%s: %s is out of range %g..%g", pi->p.name, value,
                        pi->p.min, pi->p.max);
}

static cs_status set_hidden(cs_run_config *c, const param_impl *pi, const char *value, cs_error *err)
{
    int h[CS_MAX_LAYERS] = {0};
    int n = 0;
    const char *s = value;
    for (;;) {
        char tok[32];
        size_t k = strcspn(s, ",");
        if (k == 0 || k >= sizeof tok || n == CS_MAX_LAYERS)
            return cs_error_fmt(err, CS_EINPUT,
                                "hidden: '%s' is not a size or a list of up to %d sizes (e.g. 40,80)",
                                value, CS_MAX_LAYERS);
        memcpy(tok, s, k);
        tok[k] = '\0';
        long long v;
        if (parse_long(tok, &v))
            return cs_error_fmt(err, CS_EINPUT, "hidden: '%s' is not an integer", tok);
        if (v < pi->p.min || v > pi->p.max)
            return range_error(pi, tok, err);
        h[n++] = (int)v;
        if (!s[k])
            break;
        s += k + 1;
    }
    if (n == 1)
        for (int l = 0; l < CS_MAX_LAYERS; l++)
            h[l] = h[0];
    else
        c->model.layers = n;   /* a list fixes the depth */
    memcpy(c->model.hidden, h, sizeof h);
    return CS_OK;
}

static cs_status set_string(char *dst, size_t size, const param_impl *pi, const char *value,
                            cs_error *err)
{
    size_t n = strlen(value);
    if (n >= size)
        return cs_error_fmt(err, CS_EINPUT, "%s: value is too long (%zu bytes, at most %zu)",
                            pi->p.name, n, size - 1);
    cs_error rule;
    if (pi->off == OFF(name) && n && cs_run_name_check(value, &rule) != CS_OK)
        return cs_error_fmt(err, CS_EINPUT, "name: %s", rule.msg); /* the one rule (runname.h); empty = derived */
    memcpy(dst, value, n + 1);
    return CS_OK;
}

static cs_status set_delim(char *dst, const char *value, cs_error *err)
{
    if (!*value || !strcasecmp(value, "auto"))
        *dst = 0;
    else if (!strcasecmp(value, "tab") || !strcmp(value, "\\t") || !strcmp(value, "\t"))
        *dst = '\t';
    else if (strlen(value) == 1 && strchr(",;|:", value[0]))
        *dst = value[0];
    else
        return cs_error_fmt(err, CS_EINPUT, "delim: '%s' is not auto, ',', tab, ';', '|' or ':'", value);
    return CS_OK;
}

cs_status cs_param_set(cs_run_config *c, const char *name, const char *value, cs_error *err)
{
    const param_impl *pi = find_impl(name);
    if (!pi)
        return cs_error_fmt(err, CS_EINPUT, "unknown parameter '%s'", name ? name : "(null)");
    if (!value)
        return cs_error_fmt(err, CS_EINPUT, "%s: missing value", pi->p.name);
    char *field = (char *)c + pi->off;
    double d;
    long long ll;
    int b;
    switch (pi->st) {
    case ST_STR:
        return set_string(field, pi->size, pi, value, err);
    case ST_DELIM:
        return set_delim(field, value, err);
    case ST_HIDDEN:
        return set_hidden(c, pi, value, err);
    case ST_BOOL:
        if (parse_bool(value, &b))
            return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not yes or no", pi->p.name, value);
        *(int *)field = b;
        return CS_OK;
    case ST_ENUM:
        if ((b = enum_index(pi, value)) < 0)
            return bad_choice(pi, value, err);
        *(int *)field = b + pi->base;
        return CS_OK;
    case ST_INT:
        if (parse_long(value, &ll))
            return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not an integer", pi->p.name, value);
        if (ll < pi->p.min || ll > pi->p.max)
            return range_error(pi, value, err);
        *(int *)field = (int)ll;
        return CS_OK;
    case ST_U64: {
        char *end;
        const char *s = number_start(value);   /* no sign, no trailing spaces */
        unsigned long long u = strtoull(s, &end, 10);
        if (!isdigit((unsigned char)*s) || *end || errno == ERANGE)
            return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not an unsigned integer", pi->p.name, value);
        *(uint64_t *)field = (uint64_t)u;
        return CS_OK;
    }
    case ST_POSW:
        if (!strcasecmp(value, "auto")) {
            *(double *)field = -1;
            return CS_OK;
        }
        /* a number */
        __attribute__((fallthrough));
    case ST_DOUBLE:
    case ST_FLOAT:
        if (parse_double(value, &d))
            return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not a number", pi->p.name, value);
        if (d < pi->p.min || d > pi->p.max)
            return range_error(pi, value, err);
        if (pi->st == ST_FLOAT)
            *(float *)field = (float)d;
        else
            *(double *)field = d;
        return CS_OK;
    }
    return cs_error_fmt(err, CS_ERUNTIME, "%s: unhandled parameter type", pi->p.name);
}

/* Shortest text that reads back to the same double. */
static void fmt_double(char *buf, size_t n, double v)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void cs_param_get(const cs_run_config *c, const char *name, char *buf, size_t n)
{
    const param_impl *pi = find_impl(name);
    if (!buf || n == 0)
        return;
    buf[0] = '\0';
    if (!pi)
        return;
    const char *field = (const char *)c + pi->off;
    switch (pi->st) {
    case ST_STR:
        snprintf(buf, n, "%s", field);
        break;
    case ST_DELIM: {
        char d = *field;
        snprintf(buf, n, "%s", d == 0 ? "auto" : d == '\t' ? "tab" : (char[]){d, 0});
        break;
    }
    case ST_HIDDEN: {
        int L = c->model.layers < 1 ? 1 : c->model.layers > CS_MAX_LAYERS ? CS_MAX_LAYERS : c->model.layers;
        int same = 1;
        for (int l = 1; l < L; l++)
            same &= c->model.hidden[l] == c->model.hidden[0];
        size_t k = 0;
        for (int l = 0; l < (same ? 1 : L) && k < n; l++)
            k += (size_t)snprintf(buf + k, n - k, "%s%d", l ? "," : "", c->model.hidden[l]);
        break;
    }
    case ST_BOOL:
        snprintf(buf, n, "%s", *(const int *)field ? "yes" : "no");
        break;
    case ST_ENUM: {
        int i = *(const int *)field - pi->base, k = 0;
        while (pi->p.choices[k])
            k++;
        snprintf(buf, n, "%s", i >= 0 && i < k ? pi->p.choices[i] : "?");
        break;
    }
    case ST_INT:
        snprintf(buf, n, "%d", *(const int *)field);
        break;
    case ST_U64:
        snprintf(buf, n, "%llu", (unsigned long long)*(const uint64_t *)field);
        break;
    case ST_POSW:
        if (*(const double *)field < 0) {
            snprintf(buf, n, "auto");
            break;
        }
        __attribute__((fallthrough));
    case ST_DOUBLE:
        fmt_double(buf, n, *(const double *)field);
        break;
    case ST_FLOAT:
        fmt_double(buf, n, (double)*(const float *)field);
        break;
    }
}

cs_status cs_param_cycle(cs_run_config *c, const char *name, int dir, cs_error *err)
{
    const param_impl *pi = find_impl(name);
    if (!pi)
        return cs_error_fmt(err, CS_EINPUT, "unknown parameter '%s'", name ? name : "(null)");
    int *field = (int *)((char *)c + pi->off);
    if (pi->st == ST_BOOL) {
        *field = !*field;
        return CS_OK;
    }
    if (pi->st != ST_ENUM)
        return cs_error_fmt(err, CS_EINPUT, "%s: not a choice (set a value instead)", pi->p.name);
    int k = 0;
    while (pi->p.choices[k])
        k++;
    int i = *field - pi->base;
    i = ((i + (dir < 0 ? -1 : 1)) % k + k) % k;
    *field = i + pi->base;
    return CS_OK;
}

cs_status cs_param_step(cs_run_config *c, const char *name, int dir, cs_error *err)
{
    const param_impl *pi = find_impl(name);
    if (!pi)
        return cs_error_fmt(err, CS_EINPUT, "unknown parameter '%s'", name ? name : "(null)");
    const cs_param *p = &pi->p;
    if (p->type == CS_P_ENUM || p->type == CS_P_BOOL)
        return cs_param_cycle(c, p->name, dir, err);
    if (p->type == CS_P_STRING)
        return cs_error_fmt(err, CS_EINPUT, "%s: a text (set a value instead)", p->name);
    char v[128], nv[128];
    cs_param_get(c, p->name, v, sizeof v);
    double x = strtod(v, NULL);   /* a list ("40,80"): its first value */
    if (p->step == CS_STEP_DOUBLE)
        x = dir > 0 ? (x > 0 ? x * 2 : 1) : x / 2;
    else if (p->type == CS_P_DOUBLE)
        x += dir * (p->max <= 1 ? 0.05 : 0.5);
    else
        x += dir;
    if (p->type == CS_P_DOUBLE)
        snprintf(nv, sizeof nv, "%.6g", x);
    else
        snprintf(nv, sizeof nv, "%.0f", floor(x));
    return cs_param_set(c, p->name, nv, err);
}

int cs_param_form_group(int k)
{
    static const int order[CS_PARAM_GROUPS] = {1, 2, 0};   /* model first: what people change most */
    return k >= 0 && k < CS_PARAM_GROUPS ? order[k] : -1;
}

const char *cs_param_group_name(int group)
{
    static const char *const names[CS_PARAM_GROUPS] = {"data", "model", "training"};
    return group >= 0 && group < CS_PARAM_GROUPS ? names[group] : "";
}

const char *cs_param_label(const cs_param *p, int w)
{
    return (int)strlen(p->name) <= w || !p->short_name ? p->name : p->short_name;
}

/* ------------------------------------------------------------------ config text */

char *cs_run_config_format(const cs_run_config *c)
{
    size_t cap = 8192, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < NPARAMS; i++) {
        char raw[1024];
        cs_param_get(c, table[i].p.name, raw, sizeof raw);
        /* a string that would not read back as it is (newline, blanks at an end, a
         * leading quote) is stored quoted */
        char *val = table[i].st == ST_STR ? cs_quote_value(raw, NULL) : strdup(raw);
        if (!val) {
            free(out);
            return NULL;
        }
        size_t need = strlen(table[i].p.name) + strlen(val) + 5;
        if (len + need >= cap) {
            char *g = realloc(out, cap * 2 + need);
            if (!g) {
                free(val);
                free(out);
                return NULL;
            }
            out = g;
            cap = cap * 2 + need;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s = %s\n", table[i].p.name, val);
        free(val);
    }
    return out;
}

cs_status cs_config_value(const char *val, char **out)
{
    *out = NULL;
    if (val[0] != '"')
        return CS_OK;
    const char *end;
    if (cs_unquote_value(val, out, &end) != 0)
        return *out ? CS_ENOMEM : CS_EINPUT;
    if (*end) {
        free(*out);
        *out = NULL;
        return CS_EINPUT;
    }
    return CS_OK;
}

cs_status cs_config_line(char *line, char **key, char **value)
{
    char *s = line;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    if (!*s || *s == '#') {
        *key = *value = NULL;
        return CS_OK;
    }
    char *eq = strchr(s, '=');
    if (!eq)
        return CS_EINPUT;
    char *k_end = eq;
    while (k_end > s && isspace((unsigned char)k_end[-1]))
        k_end--;
    *k_end = '\0';
    char *v = eq + 1;
    while (isspace((unsigned char)*v))
        v++;
    if (!*s)
        return CS_EINPUT;
    *key = s;
    *value = v;
    return CS_OK;
}

cs_status cs_run_config_parse(cs_run_config *c, const char *text, const char *fname,
                              int allow_unknown, cs_error *err)
{
    long lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        char line[2048];
        if (len >= sizeof line)
            return cs_error_set(err, CS_EINPUT, fname, lineno, 1, "line is too long");
        memcpy(line, p, len);
        line[len] = '\0';
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        char *key, *val;
        if (cs_config_line(line, &key, &val) != CS_OK)
            return cs_error_set(err, CS_EINPUT, fname, lineno, 1, "expected 'key = value'");
        if (key) {
            if (!cs_param_find(key)) {
                if (!allow_unknown)
                    return cs_error_set(err, CS_EINPUT, fname, lineno, 1, "unknown parameter '%s'", key);
            } else {
                cs_error e;
                char *uq = NULL;
                if (cs_config_value(val, &uq) != CS_OK)
                    return cs_error_set(err, CS_EINPUT, fname, lineno, 1, "%s: bad quoted value", key);
                cs_status ps = cs_param_set(c, key, uq ? uq : val, &e);
                free(uq);
                if (ps != CS_OK)
                    return cs_error_set(err, CS_EINPUT, fname, lineno, 1, "%s", e.msg);
            }
        }
        p += len + (nl ? 1 : 0);
    }
    return CS_OK;
}
