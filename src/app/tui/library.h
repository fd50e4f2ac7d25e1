/* library.h — the runs library (library.c): every run below the runs directory and below
 * the paths given (command line, :compare), with its data file and fingerprint, cell, key
 * hyperparameters, status, best epoch, validation and test metrics (labelled), parameters,
 * time and date; sorted by any column, filtered with `/` (substring, or a regular
 * expression, over name, data, cell and parameters); marked runs (or, with none marked,
 * every run shown) open in compare; rename, delete (asks).
 *
 * The list is made of rows: a run, a folder (a sweep's, or any folder holding runs: one row
 * that folds / unfolds its runs; folded at first unless it is a path given, unfolded while
 * a filter is set), or a seed group (with `f`: runs that differ only by seed, within one
 * folder, as one row with their means).  The sort orders the runs; a folder or a group
 * stands where its first run would.
 *
 * Runs that other processes are training below the runs directory (their live records,
 * watch.c) are rows too, marked ● running or ✗ stale (ASCII * and !) before the name, with
 * status "running" / "stale", their latest epoch in the best column and that epoch's
 * validation metrics; they sort, filter and fold into folders like the others (the filter
 * also matches "running" and "stale"); a folder holding one shows the marker on its row.
 * Enter on one opens it in the watch view (its curves, growing); marked, it is compared
 * with its history so far.  A run saved replaces its live row: the runs are listed first,
 * then the records, and a record whose run is listed (or whose DIR/NAME is a run
 * directory by then) is skipped, so no run is ever listed twice. */
#ifndef CLICKSEQ_TUI_LIBRARY_H
#define CLICKSEQ_TUI_LIBRARY_H

#include <stdint.h>

#include "app/tui/screen.h"
#include "clickseq/runstore.h"

#define TUI_LIB_NCOLS 13
enum { TUI_LIB_SAVED = 0, TUI_LIB_RUNNING, TUI_LIB_STALE };

enum { TUI_LIB_RUN = 0, TUI_LIB_FOLDER, TUI_LIB_SEEDS };
typedef struct tui_lib_row {
    int kind;                 /* TUI_LIB_* */
    size_t run;               /* RUN: the run; FOLDER, SEEDS: the first of its runs shown */
    int folder;               /* the folder the row is in (FOLDER: itself), -1 at the top */
    size_t group;             /* the seed group of run (SEEDS: the group) */
    size_t n;                 /* FOLDER, SEEDS: how many of its runs pass the filter */
} tui_lib_row;

typedef struct tui_library_state {
    cs_run *runs;             /* loaded with their histories (owned) */
    size_t n, n_bad;
    char (*rel)[600];         /* each run's reference: relative to the runs directory, or its
                                 path when it was found below one of the app's paths */
    char **real;              /* each run's realpath (NULL when it has none): duplicates out */
    unsigned char *marked;
    size_t *shown;            /* indices of the runs that pass the filter, sorted */
    size_t n_shown;
    int *folder_of;           /* each run's folder (index into folders), -1: none */
    char (*folders)[600];     /* the folders holding runs (a run's reference up to its last /) */
    unsigned char *open;      /* folder unfolded */
    size_t n_folders;
    size_t *group_of;         /* each run's seed group (cs_run_groups within its folder) */
    char (*group_names)[96];
    size_t n_groups;
    int fold_seeds;           /* f: a seed group of two or more runs is one row */
    tui_lib_row *rows;        /* what the list shows (tui_library_apply) */
    size_t n_rows;
    size_t sel, top;          /* cursor (index into rows) and first row drawn */
    int sort, sort_desc;      /* column (0..TUI_LIB_NCOLS-1) */
    char filter[128];
    int editing;              /* typing the / filter */
    int confirm_delete;       /* waiting for y */
    int page;                 /* rows per page at the last draw (PgUp/PgDn) */
    unsigned char *live;      /* each run: 0 saved, else TUI_LIB_RUNNING / TUI_LIB_STALE (its
                                 cs_run made from the live record: history, config from desc) */
    uint64_t live_sig;        /* the watch's running/stale runs the rows were made from */
} tui_library_state;

extern const tui_screen tui_library_screen;
tui_library_state *tui_library(void);
/* Scan the runs directory (and the app's paths) and show the library: reaction bits. */
int tui_library_open(tui_app *a);
/* The library with the runs below the app's paths (the command line's) marked, and compare
 * on top of it when they are two or more: reaction bits. */
int tui_library_open_paths(tui_app *a);
/* Re-read the runs (after training, rename, delete), keeping sort, filter and marks. */
void tui_library_refresh(tui_app *a);
/* Apply the filter and the sort to the loaded runs (tests). */
void tui_library_apply(void);
/* The library's tick hook: the watch's poll (tui_watch_tick); live rows follow it (a run
 * appearing, turning stale or saved re-lists the library; a new epoch updates its row). */
int tui_library_tick(tui_app *a, double dt);
/* Rename the run directory path to NEW in the same folder (and its config's name); the
 * new path in out.  0, or -1 with a message on the app's line. */
int tui_library_rename(tui_app *a, const char *path, const char *newname, char *out, size_t n);

#endif
