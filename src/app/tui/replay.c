/* replay.c — a saved run played back epoch by epoch at a chosen speed: the curves and
 * the confusion matrix animate as they did during training. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/plot.h"

void tui_draw_replay(tui_app *a, tui_canvas *cv)
{
    int w = cv->w, h = cv->h;
    const tui_run *run = &a->rep;
    size_t N = run->n_hist;
    double pos = a->rep_pos > (double)N ? (double)N : a->rep_pos;
    size_t shown = (size_t)floor(pos);
    long bpe = N ? (long)(run->n_batch_loss / N) : 0;
    size_t nbl = (size_t)(pos * (double)bpe);
    if (nbl > run->n_batch_loss) nbl = run->n_batch_loss;
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    char cellbuf[16];
    tui_eng_param_get(&run->cfg, "cell", cellbuf, sizeof cellbuf);
    tui_printf(cv, 0, 0, w, TC_SEL, TA_BOLD, " clickseq  replay: %s  (%s, hidden %d, %zu params)",
               run->name, cellbuf, run->cfg.model.hidden[0], run->nparams);
    int body = h - 3, cw = 32;
    int top_h = body * 55 / 100;
    tui_draw_curves(cv, (tui_rect){0, 1, w, top_h}, "Loss", run->hist, shown, run->batch_loss, nbl,
                    bpe, 0, (int)N, a->braille);
    tui_draw_curves(cv, (tui_rect){0, 1 + top_h, w - cw, body - top_h - 1}, "F1 / PR-AUC", run->hist,
                    shown, NULL, 0, bpe, 1, (int)N, a->braille);
    tui_rect cr = {w - cw, 1 + top_h, cw, body - top_h - 1};
    if (shown) {
        char t[48];
        snprintf(t, sizeof t, "Epoch %zu @ thr %.2f", shown, run->hist[shown - 1].valid.threshold);
        tui_box(cv, cr, t, TC_BORDER);
        tui_confusion(cv, (tui_rect){cr.x + 2, cr.y + 1, cr.w - 3, cr.h - 2}, &run->hist[shown - 1].valid);
    } else {
        tui_box(cv, cr, "Validation", TC_BORDER);
    }
    int y = h - 3, x = 1;
    x += tui_printf(cv, x, y, -1, TC_HEAD, 0, "epoch %zu/%zu ", shown, N);
    tui_progress(cv, x, y, w / 3, N ? pos / (double)N : 0, TC_GOOD);
    x += w / 3;
    tui_printf(cv, x, y, w - x, TC_NORMAL, 0, "  %.2g epochs/s  %s", a->rep_speed,
               a->rep_paused ? "paused" : shown >= N ? "end" : "playing");
    if (a->msg[0])
        tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    tui_puts(cv, 0, h - 1, w, " space pause  n step  b back  + faster  - slower  0 restart  q/Esc back  ? help",
             TC_DIM, 0);
}
