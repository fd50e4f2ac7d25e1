/* comm.h — a communicator between cooperating processes (core layer): what data-parallel
 * training needs from MPI, as function pointers, so that the trainer (train layer) does not
 * depend on MPI.  The MPI implementation is in src/engine/dist/ (dist.h, built with
 * configure --with-mpi); a NULL communicator, or one of size 1, means one process.
 *
 * Both operations are collective: every rank calls them in the same order with the same
 * sizes.  They return CS_OK or fill err (an MPI error handler that aborts the job is the
 * usual setting, so most failures never come back). */
#ifndef CLICKSEQ_COMM_H
#define CLICKSEQ_COMM_H

#include <stddef.h>

#include "clickseq/error.h"

typedef struct cs_comm {
    int rank, size;           /* this process, and how many take part (rank 0 writes) */
    void *ctx;
    /* buf[0..n) summed over the ranks, in place; every rank receives the same values. */
    cs_status (*sum_f32)(void *ctx, float *buf, size_t n, cs_error *err);
    /* all[] holds counts[0] + ... + counts[size-1] values; rank r has filled its part
     * (from counts[0] + ... + counts[r-1] on); afterwards every rank holds every part. */
    cs_status (*gather_f32)(void *ctx, float *all, const size_t *counts, cs_error *err);
    /* Bytes to rank 0: every rank gives n bytes at mine; on rank 0 *all (malloc'd, the
     * caller frees it) holds the ranks' parts in rank order and counts[r] their sizes
     * (counts: size entries); on the others *all is NULL.  NULL: not supported. */
    cs_status (*gather_bytes)(void *ctx, const void *mine, size_t n, void **all,
                              size_t *counts, cs_error *err);
    /* Dynamic work sharing (distributed sweeps).  work_begin (collective) starts handing
     * out the jobs 0..n-1; work_next gives this rank the next job no rank has taken yet,
     * or -1 when none is left; with stop != 0 it takes none and none is handed out from
     * then on, to any rank (a fatal error or a cancel: the others finish the job they
     * hold).  Once every rank has had its -1, work_end (collective) ends it.  NULL:
     * not supported. */
    cs_status (*work_begin)(void *ctx, long n, cs_error *err);
    cs_status (*work_next)(void *ctx, int stop, long *job, cs_error *err);
    cs_status (*work_end)(void *ctx, cs_error *err);
} cs_comm;

/* Rank r's share of n items: [cs_comm_share(n, r, size), cs_comm_share(n, r + 1, size)). */
static inline size_t cs_comm_share(size_t n, int r, int size)
{
    return size > 0 ? (size_t)((unsigned long long)n * (unsigned)r / (unsigned)size) : 0;
}

/* 1 when c is a communicator of more than one process. */
static inline int cs_comm_many(const cs_comm *c) { return c && c->size > 1; }

#endif
