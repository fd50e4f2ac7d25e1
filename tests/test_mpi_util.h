/* test_mpi_util.h — the MPI tests' check: on failure, the rank, file and line, then
 * MPI_Abort (a failed rank must not leave the others waiting in a collective). */
#ifndef TEST_MPI_UTIL_H
#define TEST_MPI_UTIL_H

#include <stdio.h>

#include <mpi.h>

#include "clickseq/dist.h"

static int rank_g;
#define CHECK(c, ...)                                                                      \
    do {                                                                                   \
        if (!(c)) {                                                                        \
            fprintf(stderr, "FAIL rank %d %s:%d: ", rank_g, __FILE__, __LINE__);          \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
            MPI_Abort(MPI_COMM_WORLD, 1);                                                  \
        }                                                                                  \
    } while (0)

/* MPI up with threads (the sweep's work counter needs them), the world communicator in
 * *c, rank_g set for CHECK. */
static inline void test_mpi_begin(int *argc, char ***argv, cs_comm *c)
{
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided);
    cs_error err;
    CHECK(cs_dist_comm_world(c, &err) == CS_OK, "%s", err.msg);
    rank_g = c->rank;
}

#endif
