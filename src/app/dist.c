/* dist.c (app) — starting and ending MPI for the commands (see dist.h).  The only file of
 * the program that calls MPI directly; the engine's MPI code is in src/engine/dist/. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "app/dist.h"
#include "clickseq/kernels.h"

#ifdef HAVE_MPI
#include <mpi.h>

#include "clickseq/dist.h"

static int started, rank, size = 1, local_size = 1, threaded = 1;
static cs_comm world;
static char tag[48];

/* Set by Open MPI's mpirun, PMIx (srun --mpi=pmix) and PMI-1/2 starters. */
static int launched_by_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK") ||
           getenv("PMI_SIZE");
}

int app_dist_init(int *argc, char ***argv)
{
    if (!launched_by_mpi())
        return 0;
    int provided = MPI_THREAD_SINGLE;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "clickseq: MPI_Init_thread failed\n");
        return 1;
    }
    started = 1;
    threaded = provided >= MPI_THREAD_MULTIPLE;
    cs_error err;
    if (cs_dist_comm_world(&world, &err) != CS_OK) {
        fprintf(stderr, "clickseq: %s\n", err.msg);
        return 1;
    }
    rank = world.rank;
    size = world.size;
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
        MPI_SUCCESS) {
        MPI_Comm_size(node, &local_size);
        MPI_Comm_free(&node);
    }
    if (size > 1)
        snprintf(tag, sizeof tag, "rank %d/%d: ", rank, size);
    return 0;
}

int app_dist_rank(void) { return rank; }
int app_dist_size(void) { return size; }
int app_dist_threaded(void) { return threaded; }
const cs_comm *app_dist_comm(void) { return started && size > 1 ? &world : NULL; }
const char *app_dist_tag(void) { return tag; }

int app_dist_threads(int threads)
{
    if (threads > 0 || local_size <= 1)
        return cs_threads_resolve(threads);
    int n = cs_threads_resolve(0) / local_size;
    return n > 0 ? n : 1;
}

int app_dist_finish(int rc)
{
    if (!started)
        return rc;
    started = 0;
    if (rc != 0 && size > 1) {
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, rc);
    }
    MPI_Finalize();
    return rc;
}
#else
int app_dist_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
int app_dist_rank(void) { return 0; }
int app_dist_size(void) { return 1; }
int app_dist_threaded(void) { return 1; }
const cs_comm *app_dist_comm(void) { return NULL; }
const char *app_dist_tag(void) { return ""; }
int app_dist_threads(int threads) { return cs_threads_resolve(threads); }
int app_dist_finish(int rc) { return rc; }
#endif
