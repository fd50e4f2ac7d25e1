/* dist.h (app) — the program's side of MPI: started when clickseq runs under mpirun / srun
 * (built with configure --with-mpi), ended when the command returns.  Without MPI (or not
 * launched by an MPI starter) every call says "one process" and MPI is never touched. */
#ifndef CLICKSEQ_APP_DIST_H
#define CLICKSEQ_APP_DIST_H

#include "clickseq/comm.h"

/* MPI_Init_thread when the environment says an MPI starter launched us.  Returns 0, or an
 * exit status after printing why. */
int app_dist_init(int *argc, char ***argv);
int app_dist_rank(void);        /* 0 without MPI */
int app_dist_size(void);        /* 1 without MPI */
int app_dist_threaded(void);    /* MPI gives MPI_THREAD_MULTIPLE (1 without MPI) */
/* The world communicator for data-parallel training, NULL for one process. */
const cs_comm *app_dist_comm(void);
/* --threads 0 (all cores) under MPI: the cores divided by the ranks on this node. */
int app_dist_threads(int threads);
/* End MPI: MPI_Finalize when rc is 0 or there is one rank, else MPI_Abort(rc) (a rank
 * that failed must not leave the others waiting in a collective).  Returns rc. */
int app_dist_finish(int rc);
/* "rank R/N: " under several ranks, "" otherwise (for progress lines). */
const char *app_dist_tag(void);

#endif
