/* test_mpi_comm.c — the MPI communicator (dist.h) under mpirun (tests/mpi_comm.sh runs it
 * on 1, 2 and 3 ranks): sums over ranks, in-place gathers with uneven and empty parts, and
 * cs_comm_share's partition.  Prints "FAIL ..." and exits 1 on the first wrong value. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

int main(int argc, char **argv)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    cs_comm c;
    cs_error err;
    CHECK(cs_dist_comm_world(&c, &err) == CS_OK, "%s", err.msg);
    rank_g = c.rank;
    int world;
    MPI_Comm_size(MPI_COMM_WORLD, &world);
    CHECK(c.size == world && c.rank >= 0 && c.rank < c.size, "rank %d size %d", c.rank, c.size);
    /* sum: element i of rank r holds (r + 1) * (i + 1); the sum is (i + 1) * N(N+1)/2 */
    size_t n = 100003;
    float *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (float)((c.rank + 1) * (double)((i % 1000) + 1));
    CHECK(c.sum_f32(c.ctx, v, n, &err) == CS_OK, "%s", err.msg);
    double tri = c.size * (c.size + 1) / 2.0;
    for (size_t i = 0; i < n; i++)
        CHECK(v[i] == (float)(tri * (double)((i % 1000) + 1)), "sum[%zu] = %g", i, v[i]);
    /* gather: rank r owns r * 7 values (rank 0: none), each r * 1000 + j */
    size_t *counts = malloc((size_t)c.size * sizeof *counts), total = 0, off = 0;
    for (int r = 0; r < c.size; r++) {
        counts[r] = (size_t)r * 7;
        if (r < c.rank)
            off += counts[r];
        total += counts[r];
    }
    float *all = calloc(total + 1, sizeof *all);
    for (size_t j = 0; j < counts[c.rank]; j++)
        all[off + j] = (float)(c.rank * 1000 + (int)j);
    CHECK(c.gather_f32(c.ctx, all, counts, &err) == CS_OK, "%s", err.msg);
    size_t k = 0;
    for (int r = 0; r < c.size; r++)
        for (size_t j = 0; j < counts[r]; j++, k++)
            CHECK(all[k] == (float)(r * 1000 + (int)j), "gather[%zu] = %g", k, all[k]);
    /* the shares of n items cover 0..n exactly, in rank order */
    for (size_t items = 0; items < 12; items++) {
        CHECK(cs_comm_share(items, 0, c.size) == 0, "share start");
        CHECK(cs_comm_share(items, c.size, c.size) == items, "share end");
        for (int r = 0; r < c.size; r++)
            CHECK(cs_comm_share(items, r, c.size) <= cs_comm_share(items, r + 1, c.size), "order");
    }
    if (c.rank == 0)
        printf("ok - sum over %d ranks, gather of %zu values, shares\n", c.size, total);
    free(v);
    free(counts);
    free(all);
    MPI_Finalize();
    return 0;
}
