/* layout.c — pane rectangles for a terminal size (see layout.h). */
#include "config.h"

#include <string.h>

#include "app/tui/layout.h"

static tui_rect R(int x, int y, int w, int h)
{
    tui_rect r = {x, y, w, h};
    return r;
}

int tui_layout_compute(int w, int h, tui_layout *L)
{
    memset(L, 0, sizeof *L);
    if (w < TUI_MIN_W || h < TUI_MIN_H) {
        L->status = R(0, 0, w, 1);
        return -1;
    }
    int bh = h - 3;            /* body rows 1 .. h-3 */
    L->header = R(0, 0, w, 1);
    L->status = R(0, h - 2, w, 1);
    L->keys = R(0, h - 1, w, 1);
    if (w >= 120 && h >= 30) {
        /* the form and data column widens with the terminal (32 at 120, 44 from 180) */
        int lw = 32 + (w - 120) / 5, rw = 34;
        if (lw > 44) lw = 44;
        int mw = w - lw - rw;
        L->wide = 1;
        int dh = bh >= 36 ? 13 : 11;
        L->form = R(0, 1, lw, bh - dh);
        L->data = R(0, 1 + bh - dh, lw, dh);
        int ph = (bh - 1) / 2;
        L->loss = R(lw, 1, mw, ph);
        L->metrics = R(lw, 1 + ph, mw, bh - 1 - ph);
        L->progress = R(lw, bh, mw, 1);
        L->confusion = R(lw + mw, 1, rw, 9);
        L->runs = R(lw + mw, 10, rw, bh - 9);
        return 0;
    }
    int lw = 24, rw = w - lw, bottom = 8;
    L->form = R(0, 1, lw, bh);
    int ph = bh - 1 - bottom;
    if (ph >= 20) {            /* tall: loss and metrics both */
        L->loss = R(lw, 1, rw, ph / 2);
        L->metrics = R(lw, 1 + ph / 2, rw, ph - ph / 2);
    } else {
        L->loss = R(lw, 1, rw, ph);
        L->cycled = 1;
    }
    L->progress = R(lw, 1 + ph, rw, 1);
    int cw = 30;
    L->confusion = R(lw, 2 + ph, cw, bottom);
    L->runs = R(lw + cw, 2 + ph, rw - cw, bottom);
    return 0;
}
