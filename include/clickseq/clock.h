/* clock.h — the one clock (core layer): monotonic seconds, for durations, rates, ETAs and
 * rate limits (never for dates: a run's creation time is wall-clock UTC, rundir.h). */
#ifndef CLICKSEQ_CLOCK_H
#define CLICKSEQ_CLOCK_H

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC); only differences mean anything. */
double cs_now_s(void);

#endif
