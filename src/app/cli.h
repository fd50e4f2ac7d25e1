/* cli.h — command-line parsing for every headless command, driven by the parameter
 * table (train.h): `--name value`, `--name=value`, boolean flags `--bidir` / `--no-bidir`,
 * `--preset NAME` (applied before every other parameter wherever it appears), `--help`
 * (generated from the table).  Commands add their own options (`--out`, `--json`...)
 * with a small cli_opt list.  Used by train/eval/predict/compare/replay and reusable by
 * the sessions, tui and experiment commands. */
#ifndef CLICKSEQ_CLI_H
#define CLICKSEQ_CLI_H

#include <stdio.h>

#include "clickseq/error.h"
#include "clickseq/train.h"

/* Parameter groups a command accepts (bits); the group numbers are cs_param.group. */
#define CLI_DATA  1u
#define CLI_MODEL 2u
#define CLI_TRAIN 4u
#define CLI_ALL   7u

typedef struct cli_opt {
    const char *name;      /* without dashes: "out" */
    const char *metavar;   /* "DIR"; NULL for a flag without a value */
    const char *help;
    const char **value;    /* options with a value: receives the text (points into argv) */
    int *flag;             /* flags: set to 1 */
} cli_opt;

typedef struct cli_spec {
    const char *cmd;       /* "train" */
    const char *usage;     /* "--data FILE [options]" */
    const char *summary;   /* one line */
    const cli_opt *opts;   /* command-specific options, may be NULL */
    size_t n_opts;
    unsigned groups;       /* parameter groups accepted (CLI_DATA | ...) */
    int max_pos;           /* positional arguments accepted */
} cli_spec;

#define CLI_MAX_SET 256
/* What the command line asked for, in order, so a command can re-apply the parameters
 * on top of another configuration (eval: the run's config, then --data...). */
typedef struct cli_args {
    const char *preset;
    int n_set;
    const char *set_name[CLI_MAX_SET], *set_value[CLI_MAX_SET];
    int n_pos;
    char *pos[CLI_MAX_SET];
} cli_args;

enum { CLI_OK = 0, CLI_HELP = 1, CLI_ERROR = 2 };

/* Parse argv[1..argc-1] (argv[0] is the command name).  Parameters are applied to cfg
 * (may be NULL: then only recorded) after the preset.  On CLI_ERROR the message is in
 * err (code CS_EINPUT); on CLI_HELP nothing is printed: call cli_help. */
int cli_parse(const cli_spec *sp, int argc, char **argv, cs_run_config *cfg, cli_args *a,
              cs_error *err);
/* Apply the recorded preset and parameters to c. */
cs_status cli_apply(const cli_args *a, cs_run_config *c, cs_error *err);
/* The parts of a convex model's schedule the command line set (CS_KEEP_* of lr, epochs,
 * patience, optim): cli_apply and the sweep's grid keep them for logreg. */
unsigned cli_schedule_keep(const cli_args *a);
/* Help text: usage, the command's options, then the parameters of its groups with their
 * current values in cfg (defaults) and choices. */
void cli_help(const cli_spec *sp, const cs_run_config *cfg, FILE *f);
/* cli_parse, then answer what needs no command: --help (printed on stdout with cfg's
 * values, or the defaults when cfg is NULL) gives 0, a usage error is reported (exit
 * code 2).  Returns -1 when the command should go on, else the exit code to return. */
int cli_begin(const cli_spec *sp, int argc, char **argv, cs_run_config *cfg, cli_args *a);
/* The start of a command that applies the recorded parameters itself (study, sweep):
 * cfg set to the defaults, err cleared, then cli_begin with no config.  The same return. */
int cli_start(const cli_spec *sp, int argc, char **argv, cs_run_config *cfg, cs_error *err,
              cli_args *a);
/* A command option's value as a strict integer in lo..hi (the whole text).  Returns 0, or
 * -1 with err (CS_EINPUT) naming the command and option and quoting the value. */
int cli_long(const cli_spec *sp, const char *opt, const char *s, long lo, long hi, long *out,
             cs_error *err);
/* Print "clickseq: MESSAGE" to stderr; return the exit code for the status. */
int cli_report(const cs_error *err);

/* JSON helpers: a number (NaN/Inf as null) and a string with escapes. */
void cli_json_num(FILE *f, double v);
void cli_json_str(FILE *f, const char *s);
/* A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break. */
void cli_csv_str(FILE *f, const char *s);
/* "metrics": {...} members (no braces) for a cs_metrics. */
void cli_json_metrics(FILE *f, const cs_metrics *m);
/* One epoch of a history as a JSON object {"epoch":..,"train_loss":..,metrics..}. */
void cli_json_epoch(FILE *f, const cs_epoch *e);
/* One-line human summary of metrics: "F1 0.512  P 0.41  R 0.68  PR-AUC ...". */
void cli_print_metrics(FILE *f, const char *label, const cs_metrics *m);

#endif
