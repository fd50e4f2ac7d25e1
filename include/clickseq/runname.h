/* runname.h — the one rule for a run's name (clickseq train --name, the workbench's :save,
 * sweep names): 1 to CS_RUN_NAME_MAX bytes of letters, digits, '.', '_' and '-', not
 * starting with '.' (hidden, and . / ..) or '-' (it would read as an option: -rf).  So a
 * name is never a path, a glob, a shell expansion (~, $(...), *) or a temporary. */
#ifndef CLICKSEQ_RUNNAME_H
#define CLICKSEQ_RUNNAME_H

#include "clickseq/error.h"

#define CS_RUN_NAME_MAX 63

/* CS_OK, or CS_EINPUT with a message saying what is wrong, to be put after the caller's
 * prefix: "'NAME' may hold only letters, digits, '.', '_' and '-'", "'NAME' is too long
 * (70 bytes, at most 63)", "'NAME' must not start with '-'". */
cs_status cs_run_name_check(const char *name, cs_error *err);

#endif
