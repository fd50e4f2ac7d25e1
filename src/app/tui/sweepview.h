/* sweepview.h — the sweep view (sweepview.c): the results.csv of any sweep below the runs
 * directory (a workbench :sweep's sweep-TIME folder, or a `clickseq sweep --out` folder) as a
 * sortable table of configurations (mean ± std over seeds); the marked rows (or the
 * selected one) open in compare, each configuration a seed group. */
#ifndef CLICKSEQ_TUI_SWEEPVIEW_H
#define CLICKSEQ_TUI_SWEEPVIEW_H

#include "app/tui/screen.h"

#define TUI_SW_MAXDIRS 64
#define TUI_SW_MAXCOLS 40
#define TUI_SW_MAXROWS 256

typedef struct tui_sweepview_state {
    char dirs[TUI_SW_MAXDIRS][600];     /* folders holding a results.csv, newest name last */
    int ndirs, cur;
    char head[TUI_SW_MAXCOLS][48];
    int ncols, nkeys;                   /* key columns come before "runs" */
    char (*cell)[TUI_SW_MAXCOLS][64];   /* rows x columns (owned) */
    int nrows;
    int order[TUI_SW_MAXROWS];
    unsigned char marked[TUI_SW_MAXROWS];
    int sel, top, sort, sort_desc;
} tui_sweepview_state;

extern const tui_screen tui_sweepview_screen;
tui_sweepview_state *tui_sweepview(void);
/* Find the sweeps (plus dir, when not NULL) and show the newest (or dir): reaction bits. */
int tui_sweepview_open(tui_app *a, const char *dir);

#endif
