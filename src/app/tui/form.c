/* form.c — the main screen's parameter form: selection, stepping, editing a value, and
 * drawing it.  Rows come from the engine's parameter table, in form order. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ncurses.h>

#include "app/tui/app.h"

static tui_form *form(void) { return &tui_main()->form; }

/* Rows of the form: -1 - group for a group heading, else a parameter index.  Model
 * first: what people change most. */
static const int group_order[3] = {1, 2, 0};

static int form_rows(int *rows, int max, int headings)
{
    int n = 0;
    for (int k = 0; k < 3; k++) {
        int g = group_order[k], first = 1;
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

int tui_form_step(tui_app *a, int dir)
{
    const cs_param *p = cs_param_at((size_t)form()->sel);
    cs_error err;
    if (p->type == CS_P_STRING) {
        tui_app_message(a, 0, "%s: Enter edits the text", p->name);
        return R_REDRAW;
    }
    if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) {
        cs_param_cycle(&a->cfg, p->name, dir, &err);
        return R_REDRAW;
    }
    char v[128], nv[128];
    cs_param_get(&a->cfg, p->name, v, sizeof v);
    double x = strtod(v, NULL);
    int mult = !strcmp(p->name, "hidden") || !strcmp(p->name, "batch") || !strncmp(p->name, "emb-", 4) ||
               !strcmp(p->name, "lr") || !strcmp(p->name, "hash-buckets") || !strcmp(p->name, "weight-decay");
    if (mult) x = dir > 0 ? (x > 0 ? x * 2 : 1) : x / 2;
    else if (p->type == CS_P_DOUBLE)
        x += dir * (p->max <= 1 ? 0.05 : 0.5);   /* fractions step by 0.05 */
    else x += dir;
    if (p->type == CS_P_DOUBLE) snprintf(nv, sizeof nv, "%.6g", x);
    else snprintf(nv, sizeof nv, "%.0f", floor(x));
    if (cs_param_set(&a->cfg, p->name, nv, &err) != CS_OK)
        tui_app_message(a, 1, "%s", err.msg);
    else
        a->msg[0] = '\0';
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
        cs_error err;
        f->editing = 0;
        if (cs_param_set(&a->cfg, p->name, f->edit, &err) != CS_OK)
            tui_app_message(a, 1, "refused: %s", err.msg);
        else
            tui_app_message(a, 0, "%s = %s", p->name, f->edit);
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
/* A parameter's label in nw columns: its name, or a short form of it in a narrow form
 * (80x24), instead of cutting "emb-category" to "emb-categor".  `:set` takes full names. */
static const char *form_label(const char *name, int nw)
{
    static const char *const shorts[][2] = {
        {"emb-category", "emb-cat"}, {"hash-buckets", "buckets"}, {"weight-decay", "w-decay"},
        {"tune-threshold", "tune-thr"}, {"purchase-event", "purchase"}, {"skip-bad-rows", "skip-bad"},
        {"session-gap", "gap"}, {"train-frac", "train"}, {"valid-frac", "valid"}};
    if ((int)strlen(name) <= nw)
        return name;
    for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
        if (!strcmp(name, shorts[i][0]))
            return shorts[i][1];
    return name;   /* cut by the caller's width */
}

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
    static const char *const groups[3] = {"data", "model", "training"};
    for (int i = top, y = r.y + 1; i < n && y < r.y + 1 + inner; i++, y++) {
        if (rows[i] < 0) {
            tui_printf(cv, r.x + 1, y, r.w - 2, TC_DIM, 0, "%s", groups[-1 - rows[i]]);
            continue;
        }
        const cs_param *p = cs_param_at((size_t)rows[i]);
        int sel = rows[i] == f->sel && focus;
        char v[128];
        cs_param_get(&a->cfg, p->name, v, sizeof v);
        if (sel) tui_canvas_fill(cv, (tui_rect){r.x + 1, y, r.w - 2, 1}, L' ', TC_SEL, 0);
        int col = sel ? TC_SEL : TC_NORMAL;
        int nw = r.w >= 30 ? 14 : 11, vx = r.x + 3 + nw;
        tui_printf(cv, r.x + 2, y, nw, col, 0, "%s", form_label(p->name, nw));
        if (sel && f->editing) {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "%s_", f->edit);
        } else if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "[%s]", v);
            if (sel && vx + (int)strlen(v) + 2 + 4 <= r.x + r.w - 1)   /* arrows when they fit */
                tui_puts(cv, r.x + r.w - 5, y, 3, cv->unicode ? "◂ ▸" : "< >", col, 0);
        } else {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "%s", v);
        }
    }
    char np[32];
    size_t k = tui_eng_nparams(&a->cfg);
    if (k >= 1000000) snprintf(np, sizeof np, "%zu,%03zu,%03zu", k / 1000000, k / 1000 % 1000, k % 1000);
    else if (k >= 1000) snprintf(np, sizeof np, "%zu,%03zu", k / 1000, k % 1000);
    else snprintf(np, sizeof np, "%zu", k);
    tui_printf(cv, r.x + 2, r.y + r.h - 2, r.w - 3, TC_HEAD, TA_BOLD, "params   %s", np);
}
