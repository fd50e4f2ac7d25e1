/* comm_mpi.c — the cs_comm of MPI_COMM_WORLD (dist.h): sums with MPI_Allreduce, gathers
 * with MPI_Allgatherv in place, bytes to rank 0 with MPI_Gatherv, and the work counter of
 * distributed sweeps.  Counts above INT_MAX are refused (MPI's int counts).
 *
 * The work counter lives on rank 0.  Rank 0 takes its own jobs under a mutex; a thread of
 * rank 0 (started by work_begin, joined by work_end) answers the other ranks' requests on
 * a communicator of its own: MPI_Iprobe, then a 1 ms sleep when nothing came (blocking in
 * MPI_Recv would spin a core: Open MPI polls), so rank 0 trains its own runs meanwhile.
 * This needs MPI_THREAD_MULTIPLE; without it the jobs are shared statically (job j to rank
 * j % size), which still runs every job once. */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static cs_status world_gather_bytes(void *ctx, const void *mine, size_t n, void **all,
                                    size_t *counts, cs_error *err)
{
    cs_comm *c = ctx;
    *all = NULL;
    unsigned long long mine_n = n, *ns = NULL;
    int *cnt = NULL, *displ = NULL;
    if (c->rank == 0) {
        ns = malloc((size_t)c->size * sizeof *ns);
        cnt = malloc(2 * (size_t)c->size * sizeof *cnt);
        if (!ns || !cnt) {
            free(ns);
            free(cnt);
            return cs_error_fmt(err, CS_ENOMEM, "MPI: out of memory");   /* the others wait: */
        }                                                               /* the job aborts */
        displ = cnt + c->size;
    }
    int rc = MPI_Gather(&mine_n, 1, MPI_UNSIGNED_LONG_LONG, ns, 1, MPI_UNSIGNED_LONG_LONG, 0,
                        MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) {
        free(ns);
        free(cnt);
        return mpi_failed(err, "MPI_Gather", rc);
    }
    cs_status st = n > INT_MAX ? cs_error_fmt(err, CS_EINPUT, "MPI: %zu bytes are too many for "
                                                              "MPI_Gatherv", n)
                               : CS_OK;
    char *buf = NULL;
    if (c->rank == 0) {
        unsigned long long off = 0;
        for (int r = 0; r < c->size && !st; r++) {
            if (ns[r] > INT_MAX || off > INT_MAX - ns[r])
                st = cs_error_fmt(err, CS_EINPUT, "MPI: %llu bytes are too many for MPI_Gatherv",
                                  off + ns[r]);
            else {
                cnt[r] = (int)ns[r];
                displ[r] = (int)off;
                counts[r] = (size_t)ns[r];
                off += ns[r];
            }
        }
        if (!st && !(buf = malloc(off ? off : 1)))
            st = cs_error_fmt(err, CS_ENOMEM, "MPI: out of memory for %llu bytes", off);
    }
    if (st) {   /* the others are in MPI_Gatherv: end the job rather than leave them there */
        free(ns);
        free(cnt);
        return st;
    }
    rc = MPI_Gatherv(mine, (int)n, MPI_BYTE, buf, cnt, displ, MPI_BYTE, 0, MPI_COMM_WORLD);
    free(ns);
    free(cnt);
    if (rc != MPI_SUCCESS) {
        free(buf);
        return mpi_failed(err, "MPI_Gatherv", rc);
    }
    *all = buf;
    return CS_OK;
}

/* ---- the work counter ---- */
enum { TAG_ASK = 1, TAG_JOB = 2 };

static struct work {
    pthread_mutex_t mu;
    long next, n;
    int threaded, serving;
    MPI_Comm comm;
    pthread_t th;
    cs_comm *c;
} work = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, MPI_COMM_NULL, 0, NULL};

/* Under work.mu: the next job, or -1 (stop: none from now on). */
static long take(int stop)
{
    if (stop)
        work.next = work.n;
    return work.next < work.n ? work.next++ : -1;
}

/* Rank 0's thread: answer until every other rank has had its -1. */
static void *serve(void *arg)
{
    (void)arg;
    int left = work.c->size - 1;
    struct timespec nap = {0, 1000000};
    while (left > 0) {
        int flag = 0;
        MPI_Status s;
        if (MPI_Iprobe(MPI_ANY_SOURCE, TAG_ASK, work.comm, &flag, &s) != MPI_SUCCESS)
            break;
        if (!flag) {
            nanosleep(&nap, NULL);
            continue;
        }
        int stop = 0;
        MPI_Recv(&stop, 1, MPI_INT, s.MPI_SOURCE, TAG_ASK, work.comm, MPI_STATUS_IGNORE);
        pthread_mutex_lock(&work.mu);
        long job = take(stop);
        pthread_mutex_unlock(&work.mu);
        MPI_Send(&job, 1, MPI_LONG, s.MPI_SOURCE, TAG_JOB, work.comm);
        left -= job < 0;
    }
    return NULL;
}

static cs_status world_work_begin(void *ctx, long n, cs_error *err)
{
    cs_comm *c = ctx;
    int level = MPI_THREAD_SINGLE;
    MPI_Query_thread(&level);
    work.c = c;
    work.n = n;
    work.threaded = level >= MPI_THREAD_MULTIPLE;
    work.next = work.threaded ? 0 : c->rank;
    int rc = MPI_Comm_dup(MPI_COMM_WORLD, &work.comm);
    if (rc != MPI_SUCCESS)
        return mpi_failed(err, "MPI_Comm_dup", rc);
    work.serving = 0;
    if (work.threaded && c->rank == 0 && c->size > 1) {
        if (pthread_create(&work.th, NULL, serve, NULL) != 0)
            return cs_error_fmt(err, CS_ERUNTIME, "MPI: cannot start the work-counter thread");
        work.serving = 1;
    }
    return CS_OK;
}

static cs_status world_work_next(void *ctx, int stop, long *job, cs_error *err)
{
    cs_comm *c = ctx;
    if (!work.threaded) {   /* static: rank, rank + size, ... */
        if (stop)
            work.next = work.n;
        *job = work.next < work.n ? work.next : -1;
        if (*job >= 0)
            work.next += c->size;
        return CS_OK;
    }
    if (c->rank == 0) {
        pthread_mutex_lock(&work.mu);
        *job = take(stop);
        pthread_mutex_unlock(&work.mu);
        return CS_OK;
    }
    int rc = MPI_Send(&stop, 1, MPI_INT, 0, TAG_ASK, work.comm);
    if (rc == MPI_SUCCESS)
        rc = MPI_Recv(job, 1, MPI_LONG, 0, TAG_JOB, work.comm, MPI_STATUS_IGNORE);
    return rc == MPI_SUCCESS ? CS_OK : mpi_failed(err, "MPI_Send/MPI_Recv", rc);
}

static cs_status world_work_end(void *ctx, cs_error *err)
{
    (void)ctx;
    if (work.serving)
        pthread_join(work.th, NULL);
    work.serving = 0;
    int rc = MPI_Comm_free(&work.comm);
    return rc == MPI_SUCCESS ? CS_OK : mpi_failed(err, "MPI_Comm_free", rc);
}

cs_status cs_dist_comm_world(cs_comm *c, cs_error *err)
{
    int init = 0;
    MPI_Initialized(&init);
    if (!init)
        return cs_error_fmt(err, CS_ERUNTIME, "MPI: not initialised");
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *c = (cs_comm){.rank = rank, .size = size, .ctx = c,
                   .sum_f32 = world_sum, .gather_f32 = world_gather,
                   .gather_bytes = world_gather_bytes, .work_begin = world_work_begin,
                   .work_next = world_work_next, .work_end = world_work_end};
    return CS_OK;
}
