/* layout.h — where the panes of the main screen go for a terminal size (pure).
 *
 * Wide (>= 120x30): form + data summary | loss over metrics + progress | confusion + runs,
 * as the sketch in DESIGN.md §10.  Narrow (80x24 up): form | one plot pane (loss, metrics
 * or data, cycled with `v`; both curves when tall enough) + progress + confusion + runs.
 * A rect with w == 0 is not shown.  Row 0 is the header, h-2 the status, h-1 the keys or
 * the command line.
 */
#ifndef CLICKSEQ_TUI_LAYOUT_H
#define CLICKSEQ_TUI_LAYOUT_H

#include "app/tui/canvas.h"

typedef struct tui_layout {
    int wide;
    tui_rect header, form, data, loss, metrics, confusion, runs, progress, status, keys;
    int cycled;          /* 1: loss/metrics/data share one pane (narrow) */
} tui_layout;

#define TUI_MIN_W 80
#define TUI_MIN_H 24

/* Fills L; returns 0, or -1 when the terminal is below 80x24 (L then holds only the
 * status row, to say so). */
int tui_layout_compute(int w, int h, tui_layout *L);

#endif
