/* comm_mpi.c — the cs_comm of MPI_COMM_WORLD (dist.h): sums with MPI_Allreduce, gathers
 * with MPI_Allgatherv in place.  Counts above INT_MAX are refused (MPI's int counts). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>

#include <mpi.h>

#include "clickseq/dist.h"

static cs_status mpi_failed(cs_error *err, const char *what, int rc)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(rc, msg, &len) != MPI_SUCCESS)
        len = 0;
    msg[len] = '\0';
    return cs_error_fmt(err, CS_ERUNTIME, "MPI: %s failed: %s", what, msg);
}

static cs_status world_sum(void *ctx, float *buf, size_t n, cs_error *err)
{
    (void)ctx;
    if (n > INT_MAX)
        return cs_error_fmt(err, CS_EINPUT, "MPI: %zu values are too many for one MPI_Allreduce", n);
    int rc = MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    return rc == MPI_SUCCESS ? CS_OK : mpi_failed(err, "MPI_Allreduce", rc);
}

static cs_status world_gather(void *ctx, float *all, const size_t *counts, cs_error *err)
{
    cs_comm *c = ctx;
    int *cnt = malloc(2 * (size_t)c->size * sizeof *cnt);
    if (!cnt)
        return cs_error_fmt(err, CS_ENOMEM, "MPI: out of memory");
    int *displ = cnt + c->size;
    size_t off = 0;
    for (int r = 0; r < c->size; r++) {
        if (counts[r] > INT_MAX || off > INT_MAX - counts[r]) {
            free(cnt);
            return cs_error_fmt(err, CS_EINPUT, "MPI: %zu values are too many for MPI_Allgatherv",
                                off + counts[r]);
        }
        cnt[r] = (int)counts[r];
        displ[r] = (int)off;
        off += counts[r];
    }
    int rc = MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, all, cnt, displ, MPI_FLOAT,
                            MPI_COMM_WORLD);
    free(cnt);
    return rc == MPI_SUCCESS ? CS_OK : mpi_failed(err, "MPI_Allgatherv", rc);
}

cs_status cs_dist_comm_world(cs_comm *c, cs_error *err)
{
    int init = 0;
    MPI_Initialized(&init);
    if (!init)
        return cs_error_fmt(err, CS_ERUNTIME, "MPI: not initialised");
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    c->ctx = c;
    c->sum_f32 = world_sum;
    c->gather_f32 = world_gather;
    return CS_OK;
}
