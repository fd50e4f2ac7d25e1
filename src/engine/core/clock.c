/* clock.c — monotonic seconds (see clock.h). */
#include "config.h"

#include <time.h>

#include "clickseq/clock.h"

double cs_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
