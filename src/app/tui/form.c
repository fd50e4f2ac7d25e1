/* form.c — the main screen's parameter form: selection, stepping, editing a value, and
 * drawing it.  Rows come from the engine's parameter table, in form order. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ncurses.h>

#include "app/tui/app.h"
#include "app/tui/settings.h"

static tui_form *form(void) { return &tui_main()->form; }

/* Rows of the form: -1 - group for a group heading, else a parameter index, in the
 * parameter table's form order. */
static int form_rows(int *rows, int max, int headings)
{
    int n = 0;
    for (int k = 0; k < CS_PARAM_GROUPS; k++) {
        int g = cs_param_form_group(k), first = 1;
        for (size_t i = 0; i < cs_param_count() && n < max; i++) {
            if (cs_param_at(i)->group != g) continue;
            if (headings && first && n < max) rows[n++] = -1 - g;
            first = 0;
            if (n < max) rows[n++] = (int)i;
        }
    }
    return n;
}

void tui_form_select(const char *name)
{
    for (size_t i = 0; i < cs_param_count(); i++)
        if (!strcmp(cs_param_at(i)->name, name)) form()->sel = (int)i;
}

int tui_form_move(tui_app *a, int dir)
{
    (void)a;
    int order[128], n = form_rows(order, 128, 0), k = 0;
    if (n == 0) return R_NONE;
    while (k < n && order[k] != form()->sel) k++;
    int next = order[(k + dir + n) % n];
    if (next == form()->sel) return R_NONE;
    form()->sel = next;
    return R_REDRAW;
}

/* Left/Right: the parameter table's step rule (cs_param_step). */
int tui_form_step(tui_app *a, int dir)
{
    const cs_param *p = cs_param_at((size_t)form()->sel);
    if (p->type == CS_P_STRING) {
        tui_app_message(a, 0, "%s: Enter edits the text", p->name);
        return R_REDRAW;
    }
    char msg[512];
    /* through the honest :set: what else changed, refusals, threads bounded; an enum skips
     * the choices that do not fit (the cells of the other view) */
    int rc = tui_step(&a->cfg, p->name, dir, msg, sizeof msg);
    tui_app_message(a, rc != 0, "%s", msg);
    return R_REDRAW;
}

int tui_form_enter(tui_app *a)
{
    const cs_param *p = cs_param_at((size_t)form()->sel);
    if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) return tui_form_step(a, 1);
    cs_param_get(&a->cfg, p->name, form()->edit, sizeof form()->edit);
    form()->editing = 1;
    tui_app_message(a, 0, "%s: %s  (Enter sets, Esc cancels)", p->name, p->help);
    return R_REDRAW;
}

int tui_form_grab(tui_app *a, int key, int fn)
{
    tui_form *f = form();
    if (!f->editing) return -1;
    size_t n = strlen(f->edit);
    if (!fn && key == 27) { f->editing = 0; a->msg[0] = '\0'; return R_REDRAW; }
    if ((!fn && (key == '\r' || key == '\n')) || (fn && key == KEY_ENTER)) {
        const cs_param *p = cs_param_at((size_t)f->sel);
        char msg[512];
        f->editing = 0;
        int rc = tui_set(&a->cfg, p->name, f->edit, msg, sizeof msg);
        tui_app_message(a, rc != 0, "%s", msg);
        return R_REDRAW;
    }
    if ((fn && key == KEY_BACKSPACE) || (!fn && (key == 127 || key == 8))) {
        if (!n) return R_NONE;
        f->edit[n - 1] = '\0';
        return R_REDRAW;
    }
    if (!fn && key >= 32 && key < 127 && n + 1 < sizeof f->edit) {
        f->edit[n] = (char)key;
        f->edit[n + 1] = '\0';
        return R_REDRAW;
    }
    return R_NONE;   /* other keys do nothing while a value is typed */
}

/* ======================= drawing ======================= */
void tui_form_draw(tui_app *a, tui_canvas *cv, tui_rect r)
{
    const tui_form *f = form();
    int focus = tui_main()->focus == 0;
    tui_box(cv, r, "Model", focus ? TC_TITLE : TC_BORDER);
    int rows[64], n = form_rows(rows, 64, 1), inner = r.h - 3, sel_row = 0;
    for (int i = 0; i < n; i++)
        if (rows[i] == f->sel) sel_row = i;
    int top = 0;
    if (sel_row >= inner) top = sel_row - inner + 1;
    if (top > 0 && rows[top - 1] < 0 && sel_row - top + 1 < inner) top--;   /* keep the heading */
    for (int i = top, y = r.y + 1; i < n && y < r.y + 1 + inner; i++, y++) {
        if (rows[i] < 0) {
            tui_printf(cv, r.x + 1, y, r.w - 2, TC_DIM, 0, "%s", cs_param_group_name(-1 - rows[i]));
            continue;
        }
        const cs_param *p = cs_param_at((size_t)rows[i]);
        int sel = rows[i] == f->sel && focus;
        char v[128];
        cs_param_get(&a->cfg, p->name, v, sizeof v);
        if (sel) tui_canvas_fill(cv, (tui_rect){r.x + 1, y, r.w - 2, 1}, L' ', TC_SEL, 0);
        int col = sel ? TC_SEL : TC_NORMAL;
        int nw = r.w >= 30 ? 14 : CS_PARAM_SHORT_LEN, vx = r.x + 3 + nw;
        /* a short label in a narrow form, never a cut name ("emb-categor") */
        tui_printf(cv, r.x + 2, y, nw, col, 0, "%s", cs_param_label(p, nw));
        if (sel && f->editing) {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "%s_", f->edit);
        } else if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "[%s]", v);
            if (sel && vx + (int)strlen(v) + 2 + 4 <= r.x + r.w - 1)   /* arrows when they fit */
                tui_puts(cv, r.x + r.w - 5, y, 3, cv->unicode ? "◂ ▸" : "< >", col, 0);
        } else {
            /* a value too long for the column (a path): its end, after a "…" -- the file
             * name is what tells two paths apart */
            int room = r.x + r.w - 1 - vx, vw = tui_strwidth(v);
            if (vw > room && room > 2) {
                const char *tail = v + strlen(v) - (size_t)(room - 1);
                while ((*tail & 0xC0) == 0x80) tail++;   /* not inside a UTF-8 character */
                tui_puts(cv, vx, y, 1, cv->unicode ? "…" : "~", col, TA_BOLD);
                tui_puts(cv, vx + 1, y, room - 1, tail, col, TA_BOLD);
            } else {
                tui_printf(cv, vx, y, room, col, TA_BOLD, "%s", v);
            }
        }
    }
    char np[32];
    size_t k = tui_eng_nparams(&a->cfg);
    if (k >= 1000000) snprintf(np, sizeof np, "%zu,%03zu,%03zu", k / 1000000, k / 1000 % 1000, k % 1000);
    else if (k >= 1000) snprintf(np, sizeof np, "%zu,%03zu", k / 1000, k % 1000);
    else snprintf(np, sizeof np, "%zu", k);
    tui_printf(cv, r.x + 2, r.y + r.h - 2, r.w - 3, TC_HEAD, TA_BOLD, "params   %s", np);
}
