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
#define TUI_CMP_NMETRICS 8

/* The plotted metric: loss draws train (solid) and validation (dotted) together; the
 * others are validation curves (the history stores no train metrics). */
enum { TUI_CMP_LOSS = 0, TUI_CMP_VLOSS, TUI_CMP_TLOSS, TUI_CMP_F1, TUI_CMP_P, TUI_CMP_R, TUI_CMP_PRAUC,
       TUI_CMP_ROCAUC };
/* What the table shows: the test metrics, or the plotted curve's min / max / value at the
 * best epoch / last value per run (mean ± std over a group's runs). */
enum { TUI_CMP_TAB_TEST = 0, TUI_CMP_TAB_CURVE, TUI_CMP_TAB_COUNT };
/* Per-run statistics of a curve (tui_compare_curve_stat). */
enum { TUI_CMP_ST_MIN = 0, TUI_CMP_ST_MAX, TUI_CMP_ST_ATBEST, TUI_CMP_ST_LAST, TUI_CMP_ST_BESTEP };

typedef struct tui_compare_state {
    cs_run *runs;                 /* loaded with history, batches and scores (owned) */
    size_t n;
    unsigned char *live;          /* runs[j] is another process's run in training: it follows
                                     the watch's record (compare_tick) */
    report rep;                   /* groups and differences of runs (built at open, again
                                     when a live run moves) */
    int have_rep;
    int metric;                   /* TUI_CMP_LOSS.. */
    int xmode;                    /* TUI_X_EPOCH / STEP / TIME (curves.h) */
    int seeds;                    /* 1: the individual seeds faintly behind the means */
    int band;                     /* 1: the ± std band (default on) */
    int logy;
    double smooth;                /* debiased EMA weight of the past (0 = raw); the raw mean faint behind */
    int cursor;                   /* 1: a cursor at cursor_x reads out every group */
    double cursor_x;              /* in the units of xmode */
    double plot_xmin, plot_xmax;  /* the x range and curve columns of the last draw (cursor steps) */
    int plot_w;
    int table;                    /* TUI_CMP_TAB_* */
    int sort;                     /* table column to sort by (0 = group order) */
    int sort_desc;
    int legend_page;
    int param_scroll;
    int verdict_scroll;
    int lower;                    /* narrow screens: 0 verdicts, 1 parameters below the table */
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
/* The value of metric m (TUI_CMP_*; loss = validation loss) at epoch index i of run r. */
double tui_compare_value(const cs_run *r, size_t i, int m);
/* x of epoch index i of run r in x mode xmode (epoch, batches so far, seconds so far). */
double tui_compare_run_x(const cs_run *r, size_t i, int xmode);
/* Statistic stat (TUI_CMP_ST_MIN..) of metric m over run r's history (NaN when none). */
double tui_compare_curve_stat(const cs_run *r, int m, int stat);
/* Group g's value of the current metric at epoch index i (mean, std over the runs that
 * reached it; count 0 when none did) and its x (mean over those runs). */
int tui_compare_group_point(const tui_compare_state *s, size_t g, size_t i, double *x, double *mean,
                            double *std);
/* The same for metric m. */
int tui_compare_group_point_m(const tui_compare_state *s, size_t g, size_t i, int m, double *x, double *mean,
                              double *std);

/* Shared by compare.c and compare_draw.c. */
void tui_compare_draw(tui_app *a, tui_canvas *cv, const tui_layout *L);
wchar_t tui_compare_marker(const tui_canvas *cv, size_t g);
int tui_compare_colour(size_t g);
/* The table's columns for the current table mode: count, and column c's header, width,
 * whether it shows at 80 columns, and group g's mean and std (NaN when none). */
int tui_compare_ncols(const tui_compare_state *s);
const char *tui_compare_col_head(const tui_compare_state *s, int c, char *buf, size_t n);
int tui_compare_col_width(const tui_compare_state *s, int c);
int tui_compare_col_narrow(const tui_compare_state *s, int c);
int tui_compare_col_integer(const tui_compare_state *s, int c);
void tui_compare_col_stat(const tui_compare_state *s, int c, size_t g, double *mean, double *std);
/* Groups in table order (the sort column; malloc'd, free it). */
size_t *tui_compare_sorted_groups(const tui_compare_state *s);

#endif
