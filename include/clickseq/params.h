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
typedef struct cs_param {
    const char *name;        /* "hidden", "lr", "cell", ... */
    cs_param_type type;
    const char *help;        /* one line */
    const char *const *choices; /* CS_P_ENUM: NULL-terminated names */
    double min, max;         /* numeric range */
    int group;               /* 0 data, 1 model, 2 training (form sections) */
} cs_param;
size_t cs_param_count(void);
const cs_param *cs_param_at(size_t i);
const cs_param *cs_param_find(const char *name);
/* Set a parameter from text, range-checked; a message naming the parameter on error. */
cs_status cs_param_set(cs_run_config *c, const char *name, const char *value, cs_error *err);
/* Current value as text (buf of size n). */
void cs_param_get(const cs_run_config *c, const char *name, char *buf, size_t n);
/* For enum params (cell, optim, ...): step to the next/previous choice. */
cs_status cs_param_cycle(cs_run_config *c, const char *name, int dir, cs_error *err);

#endif
