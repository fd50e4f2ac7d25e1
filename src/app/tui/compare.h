/* compare.h — the compare screen (compare.c): any number of saved runs, folded into seed
 * groups (compare.h of the engine); a group's mean curve with a ± std band (and its seeds
 * faintly on request), any stored metric, x by epoch / step / wall time; the groups'
 * table (mean ± std, sortable); the verdict lines of the paired bootstrap; the parameters
 * that differ with full values (scrollable); :export FILE.csv|.md|.json. */
#ifndef CLICKSEQ_TUI_COMPARE_H
#define CLICKSEQ_TUI_COMPARE_H

#include "app/report.h"
#include "app/tui/screen.h"
#include "clickseq/runstore.h"

#define TUI_CMP_MAX 64
#define TUI_CMP_NMETRICS 7

typedef struct tui_compare_state {
    cs_run *runs;                 /* loaded with history, batches and scores (owned) */
    size_t n;
    report rep;                   /* groups and differences of runs (built at open) */
    int have_rep;
    int metric;                   /* 0..TUI_CMP_NMETRICS-1: valid loss, train loss, F1, P, R, PR-AUC, ROC-AUC */
    int xmode;                    /* TUI_X_EPOCH / STEP / TIME (curves.h) */
    int seeds;                    /* 1: the individual seeds faintly behind the means */
    int band;                     /* 1: the ± std band (default on) */
    int logy;
    int sort;                     /* table column to sort by (0 = group order) */
    int sort_desc;
    int legend_page;
    int param_scroll;
} tui_compare_state;

extern const tui_screen tui_compare_screen;
tui_compare_state *tui_compare(void);
/* Load the runs (names in the runs directory, paths, or folders holding runs such as a
 * sweep's) and show them: reaction bits (a message when one cannot be read). */
int tui_compare_open(tui_app *a, const char *const *names, int n);
/* Take over runs[0..n-1] (already loaded) and show them (tests, the library). */
int tui_compare_show(tui_app *a, cs_run *runs, size_t n);
/* The name of metric m ("valid loss"...). */
const char *tui_compare_metric_name(int m);
/* Group g's value of the current metric at epoch index i (mean, std over the runs that
 * reached it; count 0 when none did) and its x (mean over those runs). */
int tui_compare_group_point(const tui_compare_state *s, size_t g, size_t i, double *x, double *mean,
                            double *std);

#endif
