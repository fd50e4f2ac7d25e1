/* panes.h — the main screen: the form (form.c), the curves, the data summary, the
 * confusion matrix, progress and the runs pane (panes.c).  Its state is here. */
#ifndef CLICKSEQ_TUI_PANES_H
#define CLICKSEQ_TUI_PANES_H

#include "app/tui/curves.h"
#include "app/tui/screen.h"

typedef struct tui_form {
    int sel;                  /* the selected parameter: an index of the parameter table */
    int editing;              /* its value is being typed (edit holds the text) */
    char edit[128];
} tui_form;

typedef struct tui_main_state {
    tui_form form;
    int focus;                /* 0 form, 1 runs, 2 plot (Left/Right move its cursor) */
    int plot_view;            /* narrow layout: 0 loss, 1 metrics, 2 data */
    tui_curve_view plot;      /* x axis, smoothing, log y, series, cursor (`:plot`) */
    int plot_ready;           /* plot holds its defaults (reset zeroes the state) */
    int plot_w;               /* width of the loss pane at the last draw (cursor steps) */
} tui_main_state;

extern const tui_screen tui_main_screen;
tui_main_state *tui_main(void);
/* The plot settings (with their defaults on first use). */
tui_curve_view *tui_main_plot(void);
/* The curves' data from a snapshot (live run) or NULL (nothing yet). */
tui_curve_data tui_curve_data_of(const cs_snapshot *s, int planned_epochs);
/* view [loss|metrics|data], focus [form|runs|plot], plot ... (also from other screens). */
int tui_main_command(tui_app *a, const tui_cmd *c);

/* ---- the form (form.c) ---- */
/* Select the parameter named name (no change when unknown). */
void tui_form_select(const char *name);
/* Move the selection in form order (model, training, data): reaction bits. */
int tui_form_move(tui_app *a, int dir);
/* Step the selected value (Left/Right): enums and flags cycle, sizes double/halve, other
 * numbers step; reaction bits. */
int tui_form_step(tui_app *a, int dir);
/* Enter: cycle an enum or flag, else start editing the value. */
int tui_form_enter(tui_app *a);
/* While editing: the typed keys (the screen's grab hook); -1 when not editing. */
int tui_form_grab(tui_app *a, int key, int fn);
void tui_form_draw(tui_app *a, tui_canvas *cv, tui_rect r);

#endif
