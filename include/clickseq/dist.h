/* dist.h — clickseq over MPI (dist layer, src/engine/dist/; built only with configure
 * --with-mpi, HAVE_MPI).  The program starts and ends MPI (src/app/dist.c: MPI_Init_thread,
 * MPI_Finalize, MPI_Abort); the engine only uses an MPI that is running, never prints and
 * never exits.
 *
 *   cs_dist_comm_world   the cs_comm (comm.h) of MPI_COMM_WORLD: data-parallel training
 *                        (cs_run_opts.comm: one MPI_Allreduce over the gradient arena per
 *                        step, the evaluation scores gathered with MPI_Allgatherv)
 */
#ifndef CLICKSEQ_DIST_H
#define CLICKSEQ_DIST_H

#include "clickseq/comm.h"
#include "clickseq/error.h"

/* Fill c for MPI_COMM_WORLD (MPI must be initialised).  c stays valid until MPI ends. */
cs_status cs_dist_comm_world(cs_comm *c, cs_error *err);

#endif
