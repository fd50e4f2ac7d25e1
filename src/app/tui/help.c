/* help.c — the '?' overlay: every key, and the command each one runs (the compare screen
 * has its own page). */
#include "config.h"

#include "app/tui/app.h"

static const char *const main_lines[] = {
    "Main screen                         (every key has a : command)",
    "  Up/Down k/j  select a setting      Tab    focus form / runs (focus)",
    "  Left/Right   change the setting    Enter  edit a value (set NAME VALUE)",
    "  t  train (train)   T  RNN+GRU+LSTM x 3 seeds (train rnn gru lstm seeds=3)",
    "  p  pause/resume   s  stop the run   w  save the last run (save [NAME])",
    "  g  plot focus: Left/Right cursor  x  x axis  y  log y  [ ]  smoothing",
    "  1-5  batch/train/valid/F1/PR-AUC on/off   (plot x|smooth|log|toggle ..)",
    "  v            loss/metrics/data     (view loss|metrics|data)",
    "  space        mark a run (mark)     c      compare marked (compare [RUN..])",
    "  r            replay selected run   (replay [RUN [SPEED]])",
    "  :            command line (Tab completes, Up/Down history, Esc cancels)",
    "  e            early prediction: F1, PR-AUC vs k  (early [RUN] [K])",
    "  ?            this help             q, ^C  quit; asks while training",
    "Compare, library L, sweeps S, watch W (other processes' runs): ? lists keys",
    "Replay:   space pause (pause/resume)  n step, b back (step N)  +/- speed",
    "          (speed X)  0 restart (step 0)  q/Esc back one screen",
    "Commands: load FILE [FORMAT] [OUTCOMES] [k=v..] (Esc cancels)  set NAME VALUE",
    "  train [CELL..] queue CELL.. pause resume stop save [NAME] compare [RUN..]",
    "  sweep NAME=V1,V2 .. [seeds=N]  (table in RUNS/sweep-*/)  early [RUN] [K]",
    "  replay [RUN [SPEED]] mark [RUN] step N speed X view focus plot main quit",
    "Press any key to close.",
};

/* the compare screen's own page (at most 22 lines: the overlay fits 80x24) */
static const char *const compare_lines[] = {
    "Compare                       (runs that differ only by seed form a group)",
    "  m / M      next / previous metric: loss (train solid, validation dotted),",
    "             validation loss, train loss, F1, precision, recall, PR/ROC-AUC",
    "  x          x axis: epoch, step, wall time       y  log y",
    "  s          smoothing off, 0.6, 0.8, 0.9 (the raw mean faint behind)",
    "  Left/Right the cursor: every group's value there  Home/End  ends  c  on/off",
    "  b          the ± std band      i  seeds faintly      l  next legend page",
    "  ◎          a run's best epoch, on its group's (validation) curve",
    "  t          table: test metrics | the curve per run: min, max, at best, last",
    "  o / O      sort the table by the next column / reverse",
    "  { }        scroll the verdicts     [ ]  scroll the parameters that differ",
    "  p          below 120 columns: the parameters instead of the verdicts",
    "  r          replay the first run (q comes back)    e  early prediction",
    "  :export F.csv|F.md|F.json   the histories (long CSV), the table, the JSON",
    "  :plot x MODE | smooth W | log on|off | cursor on|off",
    "  q, Esc     back one screen",
    "Press any key to close.",
};

/* the watch view's page */
static const char *const watch_lines[] = {
    "Watch      (runs trained by other processes below the runs directory)",
    "  ● running  a live record (DIR/.NAME.live) whose writer beats every 2 s",
    "  ✗ stale    its writer is gone (pid gone on this host) or silent for 30 s",
    "  ✓ saved    finished while watched: the saved run replaced its record",
    "  Up/Down k/j  select: its loss and validation F1, PR-AUC are plotted",
    "  x          x axis: epoch, step, wall time       y  log y",
    "  [ ]        smoothing of the batch loss (the raw curve faint behind)",
    "  r          replay a saved run      L  the runs library",
    "  d          forget a stale record (removes its file; never a running one)",
    "  Polled once a second (inotify wakes it sooner where the folder is local);",
    "  over a shared filesystem other machines' runs show at the next poll.",
    "  clickseq --runs DIR --watch opens here;  q, Esc  back one screen",
    "Press any key to close.",
};

static const char *const library_lines[] = {
    "Runs library     (below --runs, and the paths given: clickseq RUN|DIR...)",
    "  Up/Down k/j  move     g / G  first / last     PgUp / PgDn  a page",
    "  Enter        on a folder: fold / unfold it; else compare",
    "  Right / Left unfold / fold the folder (sweep folders start folded)",
    "  f            seed groups as one row each: their means (± std)",
    "  space        mark the run, or every run of a folder or a group",
    "  c            compare the marked runs (none marked: every run shown)",
    "  / TEXT       filter: substring, or a regular expression (^$.*+?[](){}|)",
    "               over name, data, cell, parameters; Enter keeps, Esc clears",
    "  o / O        sort by the next column / reverse (folders and groups stand",
    "               where their first run is)",
    "  r  replay   e  early prediction   d  delete the run (y confirms)   W  watch",
    "  :rename NEW  rename the run (its config.txt's name too)",
    "  ● / ✗ (* / !) a run another process is training / one whose process died:",
    "               Enter watches it, c compares it so far; d r e refuse it",
    "  q, Esc       back one screen",
    "Press any key to close.",
};

static const char *const sweeps_lines[] = {
    "Sweep results            (a results.csv below --runs: :sweep, clickseq sweep)",
    "  Up/Down k/j  move     g / G  first / last     [ ]  the other sweeps",
    "  o / O        sort by the next column / reverse",
    "  space        mark a configuration",
    "  c, Enter     compare the marked rows' runs (none: the selected row), each",
    "               configuration a seed group",
    "  q, Esc       back one screen",
    "Press any key to close.",
};

void tui_draw_help(tui_app *a, tui_canvas *cv)
{
    const char *const *lines = main_lines;
    int n = (int)(sizeof main_lines / sizeof main_lines[0]);
    if (a->screen == SCR_COMPARE) {
        lines = compare_lines;
        n = (int)(sizeof compare_lines / sizeof compare_lines[0]);
    } else if (a->screen == SCR_WATCH) {
        lines = watch_lines;
        n = (int)(sizeof watch_lines / sizeof watch_lines[0]);
    } else if (a->screen == SCR_LIBRARY) {
        lines = library_lines;
        n = (int)(sizeof library_lines / sizeof library_lines[0]);
    } else if (a->screen == SCR_SWEEPS) {
        lines = sweeps_lines;
        n = (int)(sizeof sweeps_lines / sizeof sweeps_lines[0]);
    }
    int w = 84 < cv->w ? 84 : cv->w, h = n + 2 < cv->h ? n + 2 : cv->h;
    tui_rect r = {(cv->w - w) / 2, (cv->h - h) / 2, w, h};
    tui_canvas_fill(cv, r, L' ', TC_NORMAL, 0);
    tui_box(cv, r, "Help", TC_TITLE);
    for (int i = 0; i < n && i < h - 2; i++)
        tui_puts(cv, r.x + 2, r.y + 1 + i, w - 3, lines[i], i == 0 || lines[i][0] != ' ' ? TC_HEAD : TC_NORMAL,
                 lines[i][0] != ' ' ? TA_BOLD : 0);
}
