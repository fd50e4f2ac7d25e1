/* test_mpi_comm.c — the MPI communicator (dist.h) under mpirun (tests/mpi_comm.sh runs it
 * on 1, 2 and 3 ranks): sums over ranks, in-place gathers with uneven and empty parts, and
 * cs_comm_share's partition.  Prints "FAIL ..." and exits 1 on the first wrong value. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mpi.h>

#include "clickseq/dist.h"

#include "test_mpi_util.h"

int main(int argc, char **argv)
{
    cs_comm c;
    cs_error err;
    test_mpi_begin(&argc, &argv, &c);
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
    /* bytes to rank 0: rank r sends r + 1 bytes of value r */
    char mine[64];
    memset(mine, c.rank, sizeof mine);
    void *got = NULL;
    size_t *bc = calloc((size_t)c.size, sizeof *bc);
    CHECK(c.gather_bytes(c.ctx, mine, (size_t)c.rank + 1, &got, bc, &err) == CS_OK, "%s", err.msg);
    if (c.rank == 0) {
        const unsigned char *p = got;
        for (int r = 0; r < c.size; r++)
            for (size_t j = 0; j < (size_t)r + 1; j++, p++)
                CHECK(bc[r] == (size_t)r + 1 && *p == r, "bytes of rank %d", r);
    } else
        CHECK(got == NULL, "bytes on a rank other than 0");
    free(got);
    /* the work counter: every job of 0..n-1 handed out once over all ranks */
    long n_jobs = 61, done = 0;
    long *mine_jobs = malloc((size_t)n_jobs * sizeof *mine_jobs);
    CHECK(c.work_begin(c.ctx, n_jobs, &err) == CS_OK, "%s", err.msg);
    for (;;) {
        long j;
        CHECK(c.work_next(c.ctx, 0, &j, &err) == CS_OK, "%s", err.msg);
        if (j < 0)
            break;
        CHECK(j < n_jobs && done < n_jobs, "job %ld", j);
        mine_jobs[done++] = j;
        struct timespec nap = {0, 200000L * (c.rank + 1)};   /* the ranks interleave */
        nanosleep(&nap, NULL);
    }
    CHECK(c.work_end(c.ctx, &err) == CS_OK, "%s", err.msg);
    CHECK(c.gather_bytes(c.ctx, mine_jobs, (size_t)done * sizeof *mine_jobs, &got, bc, &err) == CS_OK,
          "%s", err.msg);
    if (c.rank == 0) {
        int *seen = calloc((size_t)n_jobs, sizeof *seen);
        size_t all_n = 0;
        for (int r = 0; r < c.size; r++)
            all_n += bc[r] / sizeof(long);
        for (size_t q = 0; q < all_n; q++)
            seen[((long *)got)[q]]++;
        for (long j = 0; j < n_jobs; j++)
            CHECK(seen[j] == 1, "job %ld handed out %d times", j, seen[j]);
        free(seen);
    }
    free(got);
    /* a stop: the last rank stops at once; nobody is handed a job after that, so with
     * several ranks far fewer than n_stop jobs run (each takes 1 ms: without the stop they
     * would take seconds; work_begin's MPI_Comm_dup lines the ranks up first) */
    long n_stop = c.size == 1 ? 100 : 20000;
    done = 0;
    CHECK(c.work_begin(c.ctx, n_stop, &err) == CS_OK, "%s", err.msg);
    for (;;) {
        long j;
        CHECK(c.work_next(c.ctx, c.size > 1 && c.rank == c.size - 1, &j, &err) == CS_OK, "%s", err.msg);
        if (j < 0)
            break;
        done++;
        struct timespec nap = {0, 1000000};
        nanosleep(&nap, NULL);
    }
    CHECK(c.work_end(c.ctx, &err) == CS_OK, "%s", err.msg);
    float took = (float)done;
    CHECK(c.sum_f32(c.ctx, &took, 1, &err) == CS_OK, "%s", err.msg);
    CHECK(c.size == 1 ? took == (float)n_stop : took < (float)n_stop / 2, "%g jobs ran after a stop", took);
    free(mine_jobs);
    free(bc);
    if (c.rank == 0)
        printf("ok - sum over %d ranks, gather of %zu values, shares, bytes, work counter (%d jobs "
               "after a stop)\n", c.size, total, (int)took);
    free(v);
    free(counts);
    free(all);
    MPI_Finalize();
    return 0;
}
