/* live.h — the live record of a run still training (runs layer): a small file beside the
 * run's final place that any process (a headless train, a sweep rank, an MPI job on a
 * shared filesystem) keeps up to date, so that a workbench elsewhere can watch the run.
 *
 * Run DIR/NAME, while it trains, has the record DIR/.NAME.live (hidden: listings and
 * older versions ignore it).  The record is replaced whole, atomically (written to a
 * hidden temporary, fsynced, renamed over the old one, the directory fsynced: files.h),
 * at every finished epoch and every CS_LIVE_HEARTBEAT_S seconds; a reader therefore sees
 * the previous record or the new one, never half of one, also over NFS (close-to-open:
 * a new open sees the renamed file).  When the run is saved (DIR/NAME renamed into place)
 * the writer removes the record; in between, a record whose DIR/NAME is already a run is
 * not live (cs_live_find skips it): no run is ever shown twice, none half-saved.
 *
 * Format 1 (text, one item a line, in this order; numbers in C locale):
 *   clickseq-live 1
 *   run = NAME                   the run directory's base name
 *   pid = 12345                  the writer (a process id on host)
 *   host = node17                gethostname()
 *   pidns = pid:[4026531836]     readlink /proc/self/ns/pid ("-" when unknown)
 *   started = 1764688801.250     Unix time (s) the record was first written
 *   heartbeat = 1764688805.002   Unix time (s) of this write
 *   state = running              loading running paused done stopped failed
 *   epoch = 3                    current (0 before the first)
 *   epochs = 30                  planned
 *   batch = 120                  within the epoch (0 when unknown)
 *   batches = 300                per epoch (0 when unknown)
 *   elapsed = 12.5               seconds training so far
 *   eta = 110.2                  seconds to go (estimate)
 *   events_per_s = 41000
 *   nparams = 11882
 *   desc = gru h32 lr 0.001 ...  the configuration in a few words (no newline)
 *   history = N                  then history.csv's header and N rows (rundir.h)
 *   batch_losses = FIRST COUNT TOTAL   then COUNT lines, one loss each: the losses of the
 *                                run's batches FIRST .. FIRST+COUNT-1 (0-based over the
 *                                run) of TOTAL so far; COUNT <= CS_LIVE_BATCHES (the
 *                                recent ones: batches.csv holds them all once saved)
 *   end
 * Read with the run files' hardening: cs_slurp (a regular file of at most CS_LIVE_MAX
 * bytes), every number range-checked, errors "FILE:LINE:COL: ..." (CS_EINPUT). */
#ifndef CLICKSEQ_LIVE_H
#define CLICKSEQ_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/monitor.h"

#define CS_LIVE_FORMAT      1
#define CS_LIVE_MAX         ((size_t)2 << 20)   /* the largest record read (bytes) */
#define CS_LIVE_BATCHES     2048                /* recent batch losses kept in a record */
#define CS_LIVE_HISTORY_MAX 100000              /* epochs in a record (the epochs limit) */
#define CS_LIVE_HEARTBEAT_S 2.0                 /* a writer rewrites at least this often */
#define CS_LIVE_STALE_S     30.0                /* no heartbeat for this long: stale */

typedef struct cs_live {
    char path[1024];          /* the record (DIR/.NAME.live) */
    char run[1024];           /* the run's final place (DIR/NAME) */
    char name[64];
    long pid;
    char host[256], pidns[64];
    double started, heartbeat;
    cs_run_state state;
    int epoch, epochs;
    long batch, batches;
    double elapsed_s, eta_s, events_per_s;
    size_t nparams;
    char desc[256];
    cs_epoch *hist; size_t n_hist;
    size_t batch_first, n_batch, batch_total;   /* losses of batches first .. first+n-1 */
    float *batch_loss;
} cs_live;
void cs_live_free(cs_live *l);

/* The record of run directory run_dir: "DIR/.NAME.live" (0, or -1 when it does not fit n). */
int cs_live_path(const char *run_dir, char *out, size_t n);

/* What the writer says about itself (cs_live_write fills pid, host, pidns when 0/empty). */
typedef struct cs_live_meta {
    double started;           /* Unix time of the first write */
    const char *desc;         /* may be NULL */
    cs_run_state state;       /* used when snap is NULL (loading) */
} cs_live_meta;
/* Write (replace atomically) the record of run_dir from a snapshot of its monitor (NULL:
 * nothing yet, state meta->state).  The last CS_LIVE_BATCHES batch losses go in. */
cs_status cs_live_write(const char *run_dir, const cs_live_meta *meta, const cs_snapshot *snap,
                        cs_error *err);
/* Remove run_dir's record (and fsync its directory); missing is fine. */
void cs_live_remove(const char *run_dir);

/* Parse a record (the bytes of the file at path): CS_EINPUT naming path:line:col. */
cs_status cs_live_parse(const char *path, const char *text, size_t n, cs_live *out, cs_error *err);
/* Read the record at path (cs_slurp: regular file, CS_LIVE_MAX) and parse it. */
cs_status cs_live_read(const char *path, cs_live *out, cs_error *err);

/* Is the writer gone?  1 (stale) when the heartbeat is older than CS_LIVE_STALE_S at now
 * (Unix time), or when the writer ran on this host, in this pid namespace, and its pid
 * no longer exists (a kill -9, a crash: recognised at once); why (may be NULL) says
 * which.  A record in a final state (done, stopped, failed) whose run was never saved is
 * stale once its heartbeat is old. */
int cs_live_stale(const cs_live *l, double now, char *why, size_t n);

/* A record found on disk (cs_live_find): where, and what identifies its version. */
typedef struct cs_live_entry {
    char path[1024], run[1024];
    int64_t mtime_ns;
    uint64_t ino;
    int64_t size;
} cs_live_entry;
/* Every live record below root (root itself and the folders under it, at most max_depth
 * levels, as cs_run_find walks; run directories are not entered) whose run is not saved
 * yet (DIR/NAME not a run directory), sorted by path.  Only regular files count (a FIFO
 * or a link is skipped).  Appends to *out / *n (start with NULL / 0); costs one readdir
 * per folder and one lstat per entry, no reads. */
cs_status cs_live_find(const char *root, int max_depth, cs_live_entry **out, size_t *n,
                       cs_error *err);

#endif
