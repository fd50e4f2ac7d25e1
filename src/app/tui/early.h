/* early.h — the early-prediction screen (:early, e): F1 and PR-AUC of a saved sequence run
 * against k, the events seen so far, computed on a job thread (early.c). */
#ifndef CLICKSEQ_TUI_EARLY_H
#define CLICKSEQ_TUI_EARLY_H

#include "app/tui/screen.h"
#include "app/tui/worker.h"

typedef struct tui_early_state {
    tui_early_job job;                   /* the computation in progress */
    char name[TUI_RUN_REF];              /* the run shown (its reference, tui_run_path) */
    cs_early_point pts[TUI_EARLY_MAXK];
    int n;
} tui_early_state;

extern const tui_screen tui_early_screen;
tui_early_state *tui_early(void);
/* Start computing run name's curve for k = 1..k_max: reaction bits. */
int tui_early_open(tui_app *a, const char *name, int k_max);
/* Once the job has finished: show its curve (or report the error); 1 when it did. */
int tui_early_collect_job(tui_app *a);

#endif
