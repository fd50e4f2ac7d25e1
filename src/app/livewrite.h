/* livewrite.h — the live record of the run a headless command is training (app layer):
 * a thread follows the command's monitor and keeps DIR/.NAME.live (live.h) up to date —
 * at once when a run is targeted (state loading), at every new epoch (epochs shorter than
 * half a second coalesced into one write), and at least every
 * CS_LIVE_HEARTBEAT_S seconds (the heartbeat: a writer that stops writing is stale) —
 * so that `clickseq --runs DIR --watch` elsewhere shows it as it trains.  Used by train
 * (rank 0 of an MPI job) and sweep (every run of the grid, one after the other).  The
 * writes are a few kilobytes, off the training thread. */
#ifndef CLICKSEQ_APP_LIVEWRITE_H
#define CLICKSEQ_APP_LIVEWRITE_H

#include "clickseq/monitor.h"
#include "clickseq/runconfig.h"

typedef struct app_live app_live;
/* Start following mon (NULL when out of memory or the thread fails: the calls below
 * accept NULL and do nothing; a record is a convenience, never a reason to fail). */
app_live *app_live_start(cs_monitor *mon);
/* The next run on mon (the one that begins after this call) will be saved as run_dir:
 * write its record from now on; cfg (may be NULL) gives the record's description. */
void app_live_target(app_live *w, const char *run_dir, const cs_run_config *cfg);
/* The run is saved (or failed, or was never trained): remove its record; after this no
 * write recreates it. */
void app_live_done(app_live *w);
/* Stop the thread (removing a record still targeted) and free w. */
void app_live_stop(app_live *w);

#endif
