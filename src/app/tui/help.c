/* help.c — the '?' overlay: every key, and the command each one runs. */
#include "config.h"

#include "app/tui/app.h"

static const char *const lines[] = {
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
    "Compare:  m next metric   r replay   e early      q/Esc back (main)",
    "Replay:   space pause (pause/resume)  n step, b back (step N)  +/- speed",
    "          (speed X)  0 restart (step 0)  q/Esc back (main)",
    "Commands: load PATH [FORMAT]  set NAME VALUE  train [CELL..]  queue CELL..",
    "  pause resume stop  save [NAME]  compare [RUN..]  replay [RUN [SPEED]]",
    "  sweep NAME=V1,V2 .. [seeds=N]  (table in RUNS/sweep-*/)  early [RUN] [K]",
    "  mark [RUN]  step N  speed X  view  focus  plot  main  help  quit",
    "Press any key to close.",
};

void tui_draw_help(tui_app *a, tui_canvas *cv)
{
    (void)a;
    int n = (int)(sizeof lines / sizeof lines[0]);
    int w = 84 < cv->w ? 84 : cv->w, h = n + 2 < cv->h ? n + 2 : cv->h;
    tui_rect r = {(cv->w - w) / 2, (cv->h - h) / 2, w, h};
    tui_canvas_fill(cv, r, L' ', TC_NORMAL, 0);
    tui_box(cv, r, "Help", TC_TITLE);
    for (int i = 0; i < n && i < h - 2; i++)
        tui_puts(cv, r.x + 2, r.y + 1 + i, w - 3, lines[i], i == 0 || lines[i][0] != ' ' ? TC_HEAD : TC_NORMAL,
                 lines[i][0] != ' ' ? TA_BOLD : 0);
}
