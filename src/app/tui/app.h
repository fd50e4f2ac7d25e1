/* app.h — the workbench's shared state: what more than one screen reads (the data, the
 * configuration, the runs list, the training queue, the message line).
 *
 * The UI is one state variable (screen, an index into the table of screen.h) plus
 * overlays (help, command line).  What a single screen needs lives in that screen's
 * module (panes.h, compare.h, replay.h, early.h), not here.  Only the UI thread touches
 * this struct; the worker publishes into a monitor.
 */
#ifndef CLICKSEQ_TUI_APP_H
#define CLICKSEQ_TUI_APP_H

#include "app/tui/canvas.h"
#include "app/tui/cmdline.h"
#include "app/tui/engine.h"
#include "app/tui/layout.h"
#include "app/tui/screen.h"
#include "app/tui/worker.h"
#include "clickseq/sweep.h"

#define TUI_MAX_RUNS 256
#define TUI_MAX_QUEUE 64
#define TUI_MAX_PATHS 32

typedef struct tui_run_row {
    char name[64];
    char cell[8];
    double f1, pr_auc, seconds;
    int epochs, marked;
} tui_run_row;

/* A job waiting in the queue (queue.c): one run, a grid of cells, or a `:sweep`. */
enum { TUI_Q_RUN = 0, TUI_Q_CELLS, TUI_Q_SWEEP };
typedef struct tui_queued {
    int kind;
    cs_run_config cfg;                /* the run, or the grid's base */
    cs_sweep_grid grid;               /* TUI_Q_CELLS, TUI_Q_SWEEP (owned) */
    size_t runs;
} tui_queued;

/* The `:sweep` queued or running (one at a time): where its table goes when it ends. */
typedef struct tui_sweep {
    int active;
    char dir[600];                    /* RUNS/sweep-YYYYmmdd-HHMMSS */
    size_t runs, finished;            /* runs in the grid; finished and saved */
    char cmd[700];                    /* the command, recorded in results.md */
    double t0;                        /* wall clock at the start (seconds) */
} tui_sweep;

struct tui_app {
    tui_screen_id screen;             /* the one state variable (screen.h) */
    tui_screen_id back[8];            /* the screens Esc returns to (tui_screen_push) */
    int nback;
    int help, cmdline;                /* overlays */
    int braille, unicode;
    /* data and settings */
    cs_run_config cfg;
    tui_data_info data;
    int data_ok;
    /* training (queue.c) */
    tui_worker worker;                /* the job running (and the data cache) */
    int job_kind;                     /* what it runs: TUI_Q_* */
    tui_loader loader;                /* `:load` in progress when loader.job.active */
    cs_data_cache *pending_cache;     /* a `:load`'s data, for the worker's next job */
    int train_after_load;             /* --train: start training once the first load is in */
    cs_snapshot snap;                 /* latest copy of the running (or last) run */
    int have_snap;
    tui_queued queue[TUI_MAX_QUEUE];
    int nqueue;                       /* jobs waiting */
    tui_sweep sweep;
    int quit_discard;                 /* quitting: drop the run in progress (quit prompt) */
    tui_run last;                     /* the last finished run (saved) */
    int have_last;
    /* the saved runs (the main screen's runs pane, compare, completion) */
    char runs_dir[512];
    tui_run_row runs[TUI_MAX_RUNS];
    int nruns, runs_sel;              /* runs_sel: 0 = the newest */
    size_t runs_bad;                  /* damaged runs skipped by the last listing */
    /* runs outside the runs directory, listed by the library too: the paths given on the
     * command line (clickseq RUN|DIR...) and to :compare (tui_run_is_path) */
    char paths[TUI_MAX_PATHS][TUI_RUN_REF];
    int npaths;
    /* the command line (rl.c; NULL in tests) */
    void (*cmd_begin)(void);
    int (*cmd_feed)(int key, int fn, char **line);   /* as tui_rl_feed */
    const char *(*cmd_text)(int *cursor_col);
    const char *(*cmd_hint)(void);
    /* the settings file (settings.h): where (empty: none, --no-config), the demo's path
     * (not remembered as the last data file) */
    char settings_path[1024];
    char demo_data[1024];
    /* messages */
    char msg[512];
    int msg_err;
};

/* Show screen id, remembering the current one for `back` (Esc); tui_screen_back returns
 * to it (the main screen when none is left): reaction bits. */
void tui_screen_push(tui_app *a, tui_screen_id id);
int tui_screen_back(tui_app *a);

void tui_app_message(tui_app *a, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tui_app_refresh_runs(tui_app *a);
/* The run under the cursor of the runs list (newest first), or NULL. */
const char *tui_app_selected_run(tui_app *a);
/* Load the saved run name (with its history) into r; -1 with a message when it cannot be
 * read or has no epochs. */
int tui_app_load_run(tui_app *a, const char *name, tui_run *r);
/* Remember a path of runs for the library (once; the oldest is forgotten when full). */
void tui_app_add_path(tui_app *a, const char *path);

/* ---- the queue and its jobs (queue.c) ---- */
/* Queue one run / a grid of cells (T) / a :sweep's grid (taken); 0, or -1 with a message. */
int tui_queue_run(tui_app *a, const cs_run_config *c);
int tui_queue_cells(tui_app *a, const char *const *cells, int n, int seeds);   /* N seeds each */
int tui_queue_sweep(tui_app *a, cs_sweep_grid *g, const char *cmd);
/* Runs waiting: in the queue, and in the running grid after the current run. */
int tui_app_waiting(tui_app *a);
void tui_app_clear_queue(tui_app *a);
/* Start the next queued job if the worker is idle. */
void tui_app_start_next(tui_app *a);
/* Collect what the jobs did since the last call (a snapshot, ended runs and jobs, a :load,
 * an :early curve): TUI_JOB_* bits. */
enum { TUI_JOB_LIVE = 1, TUI_JOB_CHANGED = 2, TUI_JOB_ENDED = 4 };
int tui_app_poll_jobs(tui_app *a);
/* Clear the queue, stop the running job and collect it (its run saved, a sweep's table
 * written), wait for a :load (at exit). */
void tui_app_stop_jobs(tui_app *a);
/* A `:load` finished: adopt its data (or report the error). */
void tui_app_finish_load(tui_app *a);

/* Draw the whole screen for the current state into cv (sized to the terminal); views.c. */
void tui_draw(tui_app *a, tui_canvas *cv);
/* The help overlay (help.c). */
void tui_draw_help(tui_app *a, tui_canvas *cv);
/* Shared pieces (panes.c) */
void tui_draw_runs_pane(tui_app *a, tui_canvas *cv, tui_rect r);

/* Run a parsed command (also what keys do).  Returns reaction bits. */
int tui_exec(tui_app *a, const tui_cmd *c);
int tui_exec_line(tui_app *a, const char *line);

/* The screens: each module's state and entry points. */
#include "app/tui/panes.h"
#include "app/tui/compare.h"
#include "app/tui/replay.h"
#include "app/tui/early.h"
#include "app/tui/quitask.h"
#include "app/tui/library.h"
#include "app/tui/sweepview.h"
#include "app/tui/watch.h"

#endif
