/* stopsig.h — headless commands stopped by a signal (app layer).  SIGINT, SIGTERM and
 * SIGHUP (a closed terminal) only record the signal (the handler is async-signal-safe);
 * the command turns it into cs_monitor_interrupt on the run in progress — train through
 * its progress thread, sweep and study through a watcher thread (stopsig_watch_*) — so the
 * run stops after the current batch and is saved as `interrupted`, and the command then
 * ends with 128 + the signal (130, 143, 129).  A second SIGINT kills the program (the run
 * store keeps the disk consistent whatever the moment).  A signal that was ignored when
 * the program started stays ignored (`nohup clickseq sweep ...` survives a closed
 * terminal; a script's background job is not stopped by the terminal's Ctrl-C). */
#ifndef CLICKSEQ_APP_STOPSIG_H
#define CLICKSEQ_APP_STOPSIG_H

#include <pthread.h>
#include <stdatomic.h>

#include "clickseq/monitor.h"

/* Install the handlers (until stopsig_restore); stopsig_caught() is then the signal
 * number caught, 0 if none. */
void stopsig_catch(void);
void stopsig_restore(void);
int stopsig_caught(void);
const char *stopsig_name(int sig);   /* "SIGINT", "SIGTERM", "SIGHUP" */

/* A thread that interrupts mon (every 50 ms) once a signal was caught, for commands whose
 * runs have no progress thread of their own; mon is shared by their runs one after the
 * other (cs_monitor_finish clears a request, so the next run is asked again; the command
 * checks stopsig_caught() between runs). */
typedef struct stopsig_watch {
    cs_monitor *mon;
    pthread_t th;
    atomic_int done;
    int running;
} stopsig_watch;
int stopsig_watch_start(stopsig_watch *w, cs_monitor *mon);   /* 0 ok */
void stopsig_watch_stop(stopsig_watch *w);

#endif
