/* bench/mpi/allreduce.c — the time of one MPI_Allreduce (float sum, in place) of N floats,
 * as data-parallel training does once per step: median of REPS after a warm-up.
 *   mpicc -O2 -o allreduce allreduce.c && mpirun -np 2 ./allreduce N [REPS]
 * prints "allreduce FLOATS BYTES median_us min_us" on rank 0. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    long n = argc > 1 ? atol(argv[1]) : 100000;
    int reps = argc > 2 ? atoi(argv[2]) : 200;
    float *v = malloc((size_t)n * sizeof *v);
    double *t = malloc((size_t)reps * sizeof *t);
    for (long i = 0; i < n; i++)
        v[i] = 1e-3f * (float)(i % 1000);
    for (int k = 0; k < 20; k++)
        MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    for (int k = 0; k < reps; k++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        t[k] = MPI_Wtime() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp);
    if (rank == 0)
        printf("allreduce %ld %ld %.1f %.1f\n", n, n * 4, 1e6 * t[reps / 2], 1e6 * t[0]);
    free(v);
    free(t);
    MPI_Finalize();
    return 0;
}
