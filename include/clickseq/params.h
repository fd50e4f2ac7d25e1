/* params.h — the parameter table (train layer): one row per run parameter (name, type,
 * help, choices, range, form group) mapping names <-> cs_run_config fields for the CLI
 * (--name value), the workbench form and `:set name value`, config files and sweeps. */
#ifndef CLICKSEQ_PARAMS_H
#define CLICKSEQ_PARAMS_H

#include <stddef.h>

#include "clickseq/error.h"
#include "clickseq/runconfig.h"

typedef enum cs_param_type { CS_P_INT, CS_P_DOUBLE, CS_P_BOOL, CS_P_ENUM, CS_P_STRING, CS_P_U64,
                             CS_P_INTLIST } cs_param_type;
/* How a step (the workbench form's Left/Right, cs_param_step) changes a number: by a fixed
 * amount (1 for integers, 0.05 for fractions -- max <= 1 --, 0.5 for other reals), or by
 * doubling and halving (sizes and rates that span orders of magnitude). */
typedef enum cs_step_rule { CS_STEP_ADD = 0, CS_STEP_DOUBLE } cs_step_rule;
typedef struct cs_param {
    const char *name;        /* "hidden", "lr", "cell", ... */
    cs_param_type type;
    const char *help;        /* one line */
    const char *const *choices; /* CS_P_ENUM: NULL-terminated names */
    double min, max;         /* numeric range */
    int group;               /* 0 data, 1 model, 2 training (form sections) */
    cs_step_rule step;       /* numbers: how a step changes the value */
    const char *short_name;  /* a label of at most CS_PARAM_SHORT_LEN characters where the
                                name is longer (the 80-column form); NULL: the name fits */
} cs_param;
#define CS_PARAM_SHORT_LEN 11
/* The form's sections in the order it shows them (model, training, data): the group of
 * section k (0 <= k < CS_PARAM_GROUPS), and a group's heading ("data", "model", "training"). */
#define CS_PARAM_GROUPS 3
int cs_param_form_group(int k);
const char *cs_param_group_name(int group);
/* The label of p in a column of width w: its name when it fits, else its short name. */
const char *cs_param_label(const cs_param *p, int w);
size_t cs_param_count(void);
const cs_param *cs_param_at(size_t i);
const cs_param *cs_param_find(const char *name);
/* Set a parameter from text, range-checked; a message naming the parameter on error. */
cs_status cs_param_set(cs_run_config *c, const char *name, const char *value, cs_error *err);
/* Current value as text (buf of size n). */
void cs_param_get(const cs_run_config *c, const char *name, char *buf, size_t n);
/* For enum params (cell, optim, ...): step to the next/previous choice. */
cs_status cs_param_cycle(cs_run_config *c, const char *name, int dir, cs_error *err);
/* One step up (dir > 0) or down: enums and flags cycle, numbers follow their step rule
 * (an integer list such as hidden "40,80" steps its first value; the result range-checked
 * as cs_param_set does); text parameters are CS_EINPUT. */
cs_status cs_param_step(cs_run_config *c, const char *name, int dir, cs_error *err);

#endif
