/* sweepview.c — a sweep's results table (see sweepview.h). */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ncurses.h>

#include "app/tui/app.h"
#include "clickseq/files.h"
#include "clickseq/runfind.h"

static tui_sweepview_state state;

tui_sweepview_state *tui_sweepview(void) { return &state; }

/* Split one CSV line (RFC 4180 quotes) into at most max fields of cap bytes. */
static int split_csv(const char *line, char (*out)[64], int max)
{
    int n = 0;
    const char *p = line;
    while (n < max) {
        char *o = out[n];
        size_t k = 0;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                if (k + 1 < 64) o[k++] = *p;
                p++;
            }
            if (*p == '"') p++;
        } else
            while (*p && *p != ',' && *p != '\n' && *p != '\r') {
                if (k + 1 < 64) o[k++] = *p;
                p++;
            }
        o[k] = '\0';
        n++;
        if (*p != ',') break;
        p++;
    }
    return n;
}

/* Field idx of a CSV line, whole (up to cap - 1 bytes). */
static void field_at(const char *line, int idx, char *out, size_t cap)
{
    const char *p = line;
    for (int i = 0; i < idx && *p; i++) {   /* skip idx fields */
        int q = 0;
        while (*p && (q || *p != ',')) {
            if (*p == '"') q = !q;
            p++;
        }
        if (*p == ',') p++;
    }
    size_t k = 0;
    int q = 0;
    while (*p && (q || (*p != ',' && *p != '\n' && *p != '\r'))) {
        if (*p == '"') {   /* quotes delimit; a doubled quote inside is kept once */
            if (q && p[1] == '"') p++;
            else { q = !q; p++; continue; }
        }
        if (k + 1 < cap) out[k++] = *p;
        p++;
    }
    out[k] = '\0';
}

static int has_results(const char *dir)
{
    char p[700];
    struct stat st;
    snprintf(p, sizeof p, "%s/results.csv", dir);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void find(const char *dir, int depth)
{
    if (state.ndirs >= TUI_SW_MAXDIRS) return;
    if (has_results(dir)) {
        snprintf(state.dirs[state.ndirs++], sizeof state.dirs[0], "%.599s", dir);
        return;
    }
    if (depth <= 0) return;
    DIR *d = opendir(dir);
    if (!d) return;
    char names[128][256];
    int nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 128)
        if (e->d_name[0] != '.') snprintf(names[nn++], sizeof names[0], "%.255s", e->d_name);
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < nn; i++) {
        char p[900];
        struct stat st;
        snprintf(p, sizeof p, "%.600s/%.255s", dir, names[i]);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && !cs_is_run_dir(p)) find(p, depth - 1);
    }
}

static double num(int r, int c)
{
    char *end;
    double v = strtod(state.cell[r][c], &end);
    return end == state.cell[r][c] || *end ? NAN : v;
}

static void apply_sort(void)
{
    for (int i = 0; i < state.nrows; i++) state.order[i] = i;
    int c = state.sort;
    if (c < 0 || c >= state.ncols) return;
    for (int i = 1; i < state.nrows; i++)
        for (int j = i; j > 0; j--) {
            int a = state.order[j - 1], b = state.order[j];
            double x = num(a, c), y = num(b, c);
            int cmp = !isnan(x) && !isnan(y) ? (x > y) - (x < y) : strcmp(state.cell[a][c], state.cell[b][c]);
            if (state.sort_desc) cmp = -cmp;
            if (cmp <= 0) break;
            state.order[j - 1] = b;
            state.order[j] = a;
        }
}

/* A sweep's results.csv / runs.csv as a stream, read whole through cs_slurp: a FIFO or a
 * device in a sweep folder must not hang the workbench (issue 9, item 6).  *buf is freed
 * by the caller after fclose. */
#define TUI_SW_MAXBYTES ((size_t)64 << 20)
static FILE *open_table(tui_app *a, const char *p, char **buf)
{
    size_t n = 0;
    cs_error err;
    *buf = NULL;
    if (cs_slurp(p, TUI_SW_MAXBYTES, buf, &n, &err) != CS_OK) {
        tui_app_message(a, 1, "sweeps: %s", err.msg);
        return NULL;
    }
    FILE *f = n ? fmemopen(*buf, n, "r") : NULL;
    if (!f) {
        tui_app_message(a, 1, "sweeps: %s is empty", p);
        free(*buf);
        *buf = NULL;
    }
    return f;
}

static int load_table(tui_app *a)
{
    free(state.cell);
    state.cell = NULL;
    state.nrows = state.ncols = state.nkeys = 0;
    memset(state.marked, 0, sizeof state.marked);
    state.sel = state.top = 0;
    if (state.cur < 0 || state.cur >= state.ndirs) return -1;
    char p[700], line[4096];
    snprintf(p, sizeof p, "%s/results.csv", state.dirs[state.cur]);
    char *text;
    FILE *f = open_table(a, p, &text);
    if (!f)
        return -1;
    char fields[TUI_SW_MAXCOLS][64];
    if (fgets(line, sizeof line, f)) {
        state.ncols = split_csv(line, fields, TUI_SW_MAXCOLS);
        for (int c = 0; c < state.ncols; c++) snprintf(state.head[c], sizeof state.head[c], "%.47s", fields[c]);
    }
    state.nkeys = 0;
    while (state.nkeys < state.ncols && strcmp(state.head[state.nkeys], "runs")) state.nkeys++;
    state.cell = calloc(TUI_SW_MAXROWS, sizeof *state.cell);
    while (state.cell && state.nrows < TUI_SW_MAXROWS && fgets(line, sizeof line, f)) {
        int n = split_csv(line, state.cell[state.nrows], TUI_SW_MAXCOLS);
        if (n >= state.ncols && state.ncols) state.nrows++;
    }
    fclose(f);
    free(text);
    apply_sort();
    return 0;
}

int tui_sweepview_open(tui_app *a, const char *dir)
{
    state.ndirs = 0;
    find(a->runs_dir, 3);
    for (int k = 0; k < a->npaths; k++) find(a->paths[k], 1);   /* a sweep given: clickseq DIR */
    if (dir && !has_results(dir)) {
        tui_app_message(a, 1, "sweeps: %s has no results.csv", dir);
        return R_REDRAW;
    }
    state.cur = state.ndirs - 1;   /* the newest by name (sweep-YYYYmmdd-HHMMSS sorts by time) */
    if (dir) {
        int k = 0;
        while (k < state.ndirs && strcmp(state.dirs[k], dir)) k++;
        if (k == state.ndirs && state.ndirs < TUI_SW_MAXDIRS)
            snprintf(state.dirs[state.ndirs++], sizeof state.dirs[0], "%.599s", dir);
        state.cur = k;
    }
    if (state.ndirs == 0) {
        tui_app_message(a, 1, "sweeps: no results.csv below %s (run :sweep first)", a->runs_dir);
        return R_REDRAW;
    }
    load_table(a);
    tui_screen_push(a, SCR_SWEEPS);
    return R_REDRAW;
}

/* ======================= drawing ======================= */
static const char *const shown[] = {"runs", "f1_mean", "pr_auc_mean", "roc_auc_mean", "seconds_mean", "nparams"};
static void draw(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h;
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    tui_printf(cv, 0, 0, w, TC_SEL, TA_BOLD, " clickseq  sweep results: %s  (%d/%d, [ ] other sweeps)",
               state.ndirs ? state.dirs[state.cur] : "-", state.cur + 1, state.ndirs);
    /* columns: the keys, runs, then the means ± std of f1, pr_auc, roc_auc, seconds, nparams */
    int cols[TUI_SW_MAXCOLS], nc = 0;
    for (int c = 0; c < state.nkeys; c++) cols[nc++] = c;
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
        for (int c = 0; c < state.ncols; c++)
            if (!strcmp(state.head[c], shown[k])) cols[nc++] = c;
    int y = 1;
    for (int k = 0, x = 2; k < nc; k++) {
        int c = cols[k], cw = c < state.nkeys ? 20 : strstr(state.head[c], "_mean") ? 15 : 10;
        char hd[64];
        snprintf(hd, sizeof hd, "%s%s", state.head[c], state.sort == c ? (state.sort_desc ? "↓" : "↑") : "");
        char *m = strstr(hd, "_mean");
        if (m) memmove(m, m + 5, strlen(m + 5) + 1);
        tui_puts(cv, x, y, cw - 1, hd, TC_HEAD, TA_BOLD | (state.sort == c ? TA_UNDERLINE : 0));
        x += cw;
    }
    y++;
    int rows = h - 4;
    if (state.sel < state.top) state.top = state.sel;
    if (state.sel >= state.top + rows) state.top = state.sel - rows + 1;
    for (int k = state.top; k < state.nrows && y < h - 2; k++, y++) {
        int r = state.order[k], sel = k == state.sel;
        if (sel) tui_canvas_fill(cv, (tui_rect){0, y, w, 1}, L' ', TC_SEL, 0);
        if (state.marked[r]) tui_putc(cv, 0, y, cv->unicode ? L'●' : L'*', sel ? TC_SEL : TC_GOOD, TA_BOLD);
        for (int j = 0, x = 2; j < nc; j++) {
            int c = cols[j], cw = c < state.nkeys ? 20 : strstr(state.head[c], "_mean") ? 15 : 10;
            char v[96];
            if (strstr(state.head[c], "_mean") && c + 1 < state.ncols) {
                double m = num(r, c), s = num(r, c + 1);
                if (!strncmp(state.head[c], "seconds", 7)) snprintf(v, sizeof v, "%.1f±%.1f", m, s);
                else snprintf(v, sizeof v, "%.3f±%.3f", m, s);
            } else
                snprintf(v, sizeof v, "%s", state.cell[r][c]);
            tui_puts(cv, x, y, cw - 1, v, sel ? TC_SEL : TC_NORMAL, 0);
            x += cw;
        }
    }
    if (a->msg[0]) tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    tui_puts(cv, 0, h - 1, w, " space mark  c/Enter compare (marked rows, else the selected)  o/O sort  [ ] sweep  Esc back",
             TC_DIM, 0);
}

/* ======================= actions ======================= */
static int mv(int d)
{
    int s = state.sel + d;
    if (s >= state.nrows) s = state.nrows - 1;
    if (s < 0) s = 0;
    if (s == state.sel) return R_NONE;
    state.sel = s;
    return R_REDRAW;
}
static int a_up(tui_app *a) { (void)a; return mv(-1); }
static int a_down(tui_app *a) { (void)a; return mv(1); }
static int a_top(tui_app *a) { (void)a; return mv(-state.nrows); }
static int a_bottom(tui_app *a) { (void)a; return mv(state.nrows); }
static int a_mark(tui_app *a)
{
    (void)a;
    if (!state.nrows) return R_NONE;
    state.marked[state.order[state.sel]] ^= 1;
    mv(1);
    return R_REDRAW;
}

static int is_shown(int c)
{
    if (c < state.nkeys) return 1;
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
        if (!strcmp(state.head[c], shown[k])) return 1;
    return 0;
}

/* the next column shown on screen */
static int a_sort(tui_app *a)
{
    (void)a;
    if (!state.ncols) return R_NONE;
    do state.sort = (state.sort + 1) % state.ncols;
    while (!is_shown(state.sort));
    apply_sort();
    return R_REDRAW;
}
static int a_sort_rev(tui_app *a) { (void)a; state.sort_desc = !state.sort_desc; apply_sort(); return R_REDRAW; }
static int a_next(tui_app *a)
{
    if (state.cur + 1 >= state.ndirs) return R_NONE;
    state.cur++;
    load_table(a);
    return R_REDRAW;
}
static int a_prev(tui_app *a)
{
    if (state.cur <= 0) return R_NONE;
    state.cur--;
    load_table(a);
    return R_REDRAW;
}

/* the runs of the marked rows (runs.csv: the same key columns, then seed ... run) */
static int a_compare(tui_app *a)
{
    int any = 0;
    for (int r = 0; r < state.nrows; r++) any |= state.marked[r];
    if (!state.nrows) return R_NONE;
    char p[700], line[4096];
    snprintf(p, sizeof p, "%s/runs.csv", state.dirs[state.cur]);
    char *text;
    FILE *f = open_table(a, p, &text);
    if (!f)
        return R_REDRAW;
    char (*fl)[64] = calloc(TUI_SW_MAXCOLS, 64);
    int runcol = -1, ncol = 0;
    if (fl && fgets(line, sizeof line, f)) {
        ncol = split_csv(line, fl, TUI_SW_MAXCOLS);
        for (int c = 0; c < ncol; c++)
            if (!strcmp(fl[c], "run")) runcol = c;
    }
    cs_run *runs = NULL;
    size_t n = 0;
    char rl[1][600];
    while (runcol >= 0 && fgets(line, sizeof line, f)) {
        int k = split_csv(line, fl, TUI_SW_MAXCOLS);
        if (k <= runcol || !fl[runcol][0]) continue;
        int hit = 0;
        for (int r = 0; r < state.nrows && !hit; r++) {
            if (any ? !state.marked[r] : r != state.order[state.sel]) continue;
            int same = 1;
            for (int c = 0; c < state.nkeys && same; c++) same = !strcmp(state.cell[r][c], fl[c]);
            hit = same;
        }
        if (!hit) continue;
        /* the path as the sweep wrote it (whole: the field may be longer than a cell), else
         * its name inside the sweep's folder */
        field_at(line, runcol, rl[0], sizeof rl[0]);
        char path[1300];
        if (cs_is_run_dir(rl[0])) snprintf(path, sizeof path, "%s", rl[0]);
        else {
            const char *b = strrchr(rl[0], '/');
            snprintf(path, sizeof path, "%s/%s", state.dirs[state.cur], b ? b + 1 : rl[0]);
        }
        if (!cs_is_run_dir(path)) continue;   /* a baseline row, or a run that was lost */
        cs_run *g = realloc(runs, (n + 1) * sizeof *g);
        if (!g) break;
        runs = g;
        cs_error err;
        if (cs_run_load(path, CS_RUN_HISTORY | CS_RUN_BATCHES | CS_RUN_SCORES, &runs[n], &err) == CS_OK) n++;
    }
    fclose(f);
    free(text);
    free(fl);
    if (n == 0) {
        free(runs);
        tui_app_message(a, 1, "sweeps: no saved run for the chosen row%s", any ? "s" : "");
        return R_REDRAW;
    }
    return tui_compare_show(a, runs, n);
}

static void reset(void)
{
    free(state.cell);
    memset(&state, 0, sizeof state);
}

static const tui_key keys[] = {
    {KEY_UP, 1, a_up, NULL}, {'k', 0, a_up, NULL}, {KEY_DOWN, 1, a_down, NULL}, {'j', 0, a_down, NULL},
    {'g', 0, a_top, NULL}, {'G', 0, a_bottom, NULL}, {' ', 0, a_mark, NULL}, {'o', 0, a_sort, NULL},
    {'O', 0, a_sort_rev, NULL}, {']', 0, a_next, NULL}, {'[', 0, a_prev, NULL}, {'c', 0, a_compare, NULL},
    {'\r', 0, a_compare, NULL}, {'q', 0, NULL, "back"}, {27, 0, NULL, "back"}, {0, 0, NULL, NULL},
};

const tui_screen tui_sweepview_screen = {
    .name = "sweeps", .draw = draw, .keys = keys, .state = &state, .reset = reset,
};
