/* test_scratch.h — a private scratch directory per cmocka test group: `root` is created by
 * scratch_setup (from the template in SCRATCH_TEMPLATE) and removed by scratch_teardown. */
#ifndef CLICKSEQ_TEST_SCRATCH_H
#define CLICKSEQ_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>

static char root[256];

static int scratch_setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "%s", SCRATCH_TEMPLATE);
    return mkdtemp(root) ? 0 : -1;
}

static int scratch_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

#endif
