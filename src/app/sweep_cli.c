/* sweep_cli.c — the command line of the experiment commands (see sweep_cli.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/sweep_cli.h"

cs_status sweep_grid_from_args(const cli_args *a, cs_run_config *base, cs_sweep_grid *g,
                               cs_error *err)
{
    cs_status st;
    if (a->preset && (st = cs_run_config_preset(base, a->preset, err)) != CS_OK)
        return st;
    for (int k = 0; k < a->n_set; k++) {
        const cs_param *p = cs_param_find(a->set_name[k]);
        const char *v = a->set_value[k];
        if (p && p->type != CS_P_STRING && strchr(v, ',')) {
            if ((st = cs_sweep_grid_add(g, p->name, v, err)) != CS_OK)
                return st;
            continue;
        }
        char one[1024];
        snprintf(one, sizeof one, "%s", v);
        if (p && p->type == CS_P_INTLIST)
            for (char *c = one; *c; c++)
                if (*c == ':')
                    *c = ',';
        if ((st = cs_param_set(base, a->set_name[k], one, err)) != CS_OK)
            return st;
    }
    return cs_sweep_grid_check(g, base, err);
}

int sweep_parse_count(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}
