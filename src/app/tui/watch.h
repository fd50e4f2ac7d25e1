/* watch.h — the watch view (watch.c; W, :watch, `clickseq --runs DIR --watch`): the runs
 * being trained below the runs directory by any process — a headless train, a sweep, a
 * sweep rank, an MPI job on a shared filesystem — found by their live records (live.h),
 * each row marked running or stale (the writer gone, or no heartbeat for 30 s), and the
 * runs that finished while watched (saved); the selected run's loss and validation
 * metrics plotted as it progresses.
 *
 * Bounded cost: the records are looked for at most once a second (a directory walk as
 * the library's, no reads), and again at once when inotify reports a change in a folder
 * that holds one (where available; over NFS other machines' writes show at the next
 * poll); a record is read only when its size, mtime or inode changed; the interval grows
 * to 20 x the time one scan took, so a huge tree costs at most ~5 % of a core. */
#ifndef CLICKSEQ_TUI_WATCH_H
#define CLICKSEQ_TUI_WATCH_H

#include "app/tui/curves.h"
#include "app/tui/screen.h"
#include "clickseq/live.h"
#include "clickseq/runstore.h"

#define TUI_WATCH_MAX 64          /* runs shown (the newest records past it are counted) */
#define TUI_WATCH_POLL_S 1.0

enum { TUI_W_RUNNING = 0, TUI_W_STALE, TUI_W_SAVED };

typedef struct tui_watch_run {
    char run[1024];               /* the run's final place */
    char rel[600];                /* relative to the runs directory */
    int kind;                     /* TUI_W_* */
    cs_live live;                 /* the last record read */
    int have_live;
    int64_t mtime_ns, size;       /* the record's version read */
    uint64_t ino;
    float *bl; size_t n_bl, cap_bl;   /* batch losses over the run (NaN: never seen) */
    cs_run saved; int have_saved;     /* once saved: the run itself */
    char why[200];                /* stale: why; a record that does not read: its error */
    int seen;                     /* found by the last scan */
} tui_watch_run;

typedef struct tui_watch_state {
    tui_watch_run *runs; size_t n, cap;
    size_t sel, more;             /* more: records past TUI_WATCH_MAX */
    double since, poll_s, scan_s; /* seconds since the last scan, interval, last scan's cost */
    int scans;
    tui_curve_view view;
    int view_ready;               /* view initialised (the library may scan first) */
    int inotify_fd;               /* -1: none */
    int nwatch;
    char watched[16][600];        /* folders watched by inotify */
} tui_watch_state;

extern const tui_screen tui_watch_screen;
tui_watch_state *tui_watch(void);
/* Show the watch view (scanning at once): reaction bits. */
int tui_watch_open(tui_app *a);
/* Scan the runs directory now (tests; the tick hook calls it): 1 when anything changed. */
int tui_watch_scan(tui_app *a);
/* The tick hook (also the library's, for its live marker): scans when the poll is due
 * (or inotify saw a change); nonzero when something is to be redrawn. */
int tui_watch_tick(tui_app *a, double dt);
/* Runs listed as running and as stale by the last scan. */
void tui_watch_counts(size_t *running, size_t *stale);

#endif
