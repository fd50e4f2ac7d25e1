/* progress.h — the headless commands' load progress on stderr (app layer).
 *
 * On a terminal (stderr is a TTY) and without --quiet, a load draws one line that it
 * redraws in place ("\r\033[K"): "loading FILE  312.4 MB / 1.05 GB  30%  1.2M rows/s  ETA
 * 0:03", then "building the sessions ..." once the file is read; the line is erased when
 * the load ends (app_loadbar_done), so what the command prints next starts on a clean
 * line.  Not on a terminal, or with --quiet: nothing at all (no bytes on stderr). */
#ifndef CLICKSEQ_APP_PROGRESS_H
#define CLICKSEQ_APP_PROGRESS_H

#include "clickseq/events.h"

typedef struct app_loadbar {
    int on;                 /* drawing (a TTY and not quiet) */
    int drawn;              /* a line is on the screen */
    double t0, last;        /* start, last redraw (cs_now_s) */
    char name[128];         /* the file's name (no directory) */
} app_loadbar;

/* on = !quiet && isatty(2).  path: the data file (its name is shown). */
void app_loadbar_init(app_loadbar *b, int quiet, const char *path);
/* The load's progress callback (cs_load_opts.progress): ctx is an app_loadbar; returns 0. */
int app_loadbar_cb(void *ctx, const cs_load_progress *p);
/* Erase the line if one is drawn. */
void app_loadbar_done(app_loadbar *b);

#endif
