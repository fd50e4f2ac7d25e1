/* dist.h — clickseq over MPI (dist layer, src/engine/dist/; built only with configure
 * --with-mpi, HAVE_MPI).  The program starts and ends MPI (src/app/dist.c: MPI_Init_thread,
 * MPI_Finalize, MPI_Abort); the engine only uses an MPI that is running, never prints and
 * never exits.
 *
 *   cs_dist_comm_world   the cs_comm (comm.h) of MPI_COMM_WORLD: data-parallel training
 *                        (cs_run_opts.comm: one MPI_Allreduce over the gradient arena per
 *                        step, the evaluation scores gathered with MPI_Allgatherv), the
 *                        work counter and the gathers of distributed sweeps
 *   cs_dist_events_load  sharded loading: each rank parses its byte range of the file(s),
 *                        the events are exchanged by session hash (MPI_Alltoallv)
 */
#ifndef CLICKSEQ_DIST_H
#define CLICKSEQ_DIST_H

#include <stddef.h>

#include "clickseq/comm.h"
#include "clickseq/error.h"
#include "clickseq/events.h"

/* Fill c for MPI_COMM_WORLD (MPI must be initialised).  c stays valid until MPI ends. */
cs_status cs_dist_comm_world(cs_comm *c, cs_error *err);

/* A load spread over the ranks of MPI_COMM_WORLD (collective: every rank calls it with the
 * same opts).  Each rank parses only its line-aligned byte range of the events file (and of
 * a yoochoose buys file; cs_events_load_shard), then every event goes to the rank its
 * session name hashes to (FNV-1a 64 mod ranks), in one MPI_Alltoallv: afterwards every
 * event of a session is on one rank, each rank holds about 1/N of the events, in the
 * one-process load's order, and the ranks' ledgers (led, zeroed first) add up to a
 * one-process load's exactly (rows read, used, skipped per reason).  ev must be empty; its
 * intern ids are its own (not a one-process load's), its fingerprint 0.  A load that cannot
 * be sharded exactly (info->whole says why: no session column, a generic outcomes file, a
 * quoted field across a range boundary, a file that is not regular) or fails on any rank
 * is done whole on every rank, each keeping its own sessions (rank 0 then holds the whole
 * ledger): the same events per rank, the one-process error message. */
typedef struct cs_dist_load_info {
    int sharded;              /* 1: this rank parsed only its range */
    const char *whole;        /* else why not */
    size_t parsed_events;     /* events this rank parsed from its range (before the exchange) */
} cs_dist_load_info;
cs_status cs_dist_events_load(cs_events *ev, const cs_load_opts *o, cs_ledger *led,
                              cs_dist_load_info *info, cs_error *err);

#endif
