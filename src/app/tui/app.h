/* app.h — the workbench's state, shared by the screens.
 *
 * The UI is one state variable (screen) plus overlays (help, command line).  Each
 * screen has a draw function (state -> canvas, pure apart from reading the state) and
 * keys routed through a key table to actions that return reaction bits; actions never
 * draw.  Only the UI thread touches this struct; the worker publishes into a monitor.
 */
#ifndef CLICKSEQ_TUI_APP_H
#define CLICKSEQ_TUI_APP_H

#include "app/tui/canvas.h"
#include "app/tui/cmdline.h"
#include "app/tui/engine.h"
#include "app/tui/layout.h"
#include "app/tui/worker.h"
#include "clickseq/sweep.h"

typedef enum tui_screen { SCR_MAIN = 0, SCR_COMPARE, SCR_REPLAY, SCR_EARLY } tui_screen;

/* Reaction bits returned by actions. */
enum { R_NONE = 0, R_REDRAW = 1, R_QUIT = 2 };

#define TUI_MAX_RUNS 256
#define TUI_MAX_QUEUE 64

typedef struct tui_run_row {
    char name[64];
    char cell[8];
    double f1, pr_auc, seconds;
    int epochs, marked;
} tui_run_row;

/* A `:sweep` in progress: its grid (sweep.h), the results rows collected as its runs finish
 * (on the UI thread), and the directory its table goes to when the queue drains. */
typedef struct tui_sweep {
    int active;
    cs_sweep_grid grid;
    cs_results res;
    char dir[600];                    /* RUNS/sweep-YYYYmmdd-HHMMSS */
    size_t runs, finished, failed;    /* runs in the grid; collected; failed or not saved */
    char cmd[700];                    /* the command, recorded in results.md */
    double t0;                        /* wall clock at the start (seconds) */
} tui_sweep;

typedef struct tui_app {
    tui_screen screen;
    int help, cmdline;                /* overlays */
    int braille, unicode;
    /* data and settings */
    cs_run_config cfg;
    tui_data_info data;
    int data_ok;
    /* form */
    int form_sel, form_edit;          /* selected parameter; editing its text */
    char edit[128];
    int focus;                        /* 0 form, 1 runs */
    int plot_view;                    /* narrow layout: 0 loss, 1 metrics, 2 data */
    /* training */
    tui_worker worker;
    tui_loader loader;                /* `:load` in progress when loader.active */
    cs_snapshot snap;                 /* latest copy of the running (or last) job */
    int have_snap;
    cs_run_config queue[TUI_MAX_QUEUE];
    int queue_tag[TUI_MAX_QUEUE];     /* run index in the sweep, or -1 */
    int nqueue;
    int cur_tag;                      /* the worker's run: its sweep index, or -1 */
    tui_sweep sweep;
    tui_run last;                     /* the last finished run (saved) */
    int have_last;
    /* runs */
    char runs_dir[512];
    tui_run_row runs[TUI_MAX_RUNS];
    int nruns, runs_sel;
    /* compare */
    tui_run cmp[4];
    int ncmp, cmp_metric;             /* 0 loss, 1 F1, 2 PR-AUC */
    /* replay */
    tui_run rep;
    int have_rep, rep_paused;
    double rep_pos, rep_speed;        /* epochs shown (fractional), epochs per second */
    /* early prediction (:early): the job on its thread, then the curve shown */
    tui_early_job early_job;
    char early_name[64];
    cs_early_point early[TUI_EARLY_MAXK];
    int nearly;
    long early_test;                  /* sessions evaluated at k = 1 */
    /* the command line's text and completion listing (rl.c; NULL in tests) */
    const char *(*cmd_text)(int *cursor_col);
    const char *(*cmd_hint)(void);
    /* messages */
    char msg[512];
    int msg_err;
} tui_app;

void tui_app_message(tui_app *a, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tui_app_refresh_runs(tui_app *a);
/* The worker finished: save the run, report it, keep it as the last run (exec.c). */
void tui_app_finish_run(tui_app *a);
/* The queue drained: write a finished (or stopped) sweep's results table (exec.c). */
void tui_app_finish_sweep(tui_app *a);
/* An `:early` job finished: show its curve (or report the error). */
void tui_app_finish_early(tui_app *a);
/* Start the next queued run if the worker is idle. */
void tui_app_start_next(tui_app *a);
/* A `:load` finished: adopt its data (or report the error). */
void tui_app_finish_load(tui_app *a);

/* Draw the whole screen for the current state into cv (sized to the terminal); views.c. */
void tui_draw(tui_app *a, tui_canvas *cv);
/* Screens (panes.c, compare.c, replay.c, help.c) */
void tui_draw_main(tui_app *a, tui_canvas *cv, const tui_layout *L);
void tui_draw_compare(tui_app *a, tui_canvas *cv);
void tui_draw_replay(tui_app *a, tui_canvas *cv);
void tui_draw_help(tui_app *a, tui_canvas *cv);
void tui_draw_early(tui_app *a, tui_canvas *cv);
/* Shared pieces */
void tui_draw_curves(tui_canvas *cv, tui_rect r, const char *title, const cs_epoch *h, size_t n,
                     const float *bl, size_t nbl, long bpe, int metrics, int epochs, int braille);
void tui_draw_runs_pane(tui_app *a, tui_canvas *cv, tui_rect r);

/* Run a parsed command (also what keys do).  Returns reaction bits. */
int tui_exec(tui_app *a, const tui_cmd *c);
int tui_exec_line(tui_app *a, const char *line);

#endif
