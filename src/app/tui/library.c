/* library.c — the runs library (see library.h). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ncurses.h>

#include "app/tui/app.h"
#include "clickseq/params.h"
#include "clickseq/runfind.h"

static tui_library_state state;

tui_library_state *tui_library(void) { return &state; }

static const char *const col_names[TUI_LIB_NCOLS] = {
    "name", "data", "cell", "hidden", "lr", "status", "best", "valid PR-AUC", "test PR-AUC",
    "test F1", "params", "time", "date"};
static const int col_w[TUI_LIB_NCOLS] = {24, 22, 5, 7, 7, 8, 5, 13, 12, 8, 8, 7, 12};
/* shown at 80 columns */
static const int col_narrow[TUI_LIB_NCOLS] = {1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0};

static double valid_pr(const cs_run *r)
{
    return r->best_epoch >= 1 && (size_t)r->best_epoch <= r->n_hist ? r->hist[r->best_epoch - 1].valid.pr_auc : NAN;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int live_of(size_t i) { return state.live ? state.live[i] : TUI_LIB_SAVED; }
static const char *live_name(int k) { return k == TUI_LIB_RUNNING ? "running" : "stale"; }

/* the text of column c for run i (the filter and the sort of text columns read it too) */
static void cell_text(size_t i, int c, char *buf, size_t n)
{
    const cs_run *r = &state.runs[i];
    char t[64];
    switch (c) {
    case 0: snprintf(buf, n, "%s", state.rel[i]); break;
    case 1:
        if (live_of(i)) snprintf(buf, n, "%s", base_name(r->cfg.data));   /* no fingerprint yet */
        else snprintf(buf, n, "%s %.6llx", base_name(r->cfg.data), (unsigned long long)(r->fingerprint >> 40));
        break;
    case 2: snprintf(buf, n, "%s", cs_cell_name(r->cfg.model.cell)); break;
    case 3: cs_param_get(&r->cfg, "hidden", buf, n); break;
    case 4: cs_param_get(&r->cfg, "lr", buf, n); break;
    case 5: snprintf(buf, n, "%s", live_of(i) ? live_name(live_of(i)) : cs_run_status_name(r->status)); break;
    case 6: snprintf(buf, n, "%d", r->best_epoch); break;
    case 7: snprintf(buf, n, "%.3f", valid_pr(r)); break;
    case 8: snprintf(buf, n, r->has_test ? "%.3f" : "-", r->test.pr_auc); break;
    case 9: snprintf(buf, n, r->has_test ? "%.3f" : "-", r->test.f1); break;
    case 10: snprintf(buf, n, "%zu", r->nparams); break;
    case 11: snprintf(buf, n, "%s", tui_fmt_dur(r->seconds, t, sizeof t)); break;
    default:   /* 2026-12-02T06:41:07Z -> 12-02 06:41 */
        snprintf(buf, n, "%.5s %.5s", strlen(r->created) >= 16 ? r->created + 5 : r->created,
                 strlen(r->created) >= 16 ? r->created + 11 : "");
    }
}

static double cell_num(size_t i, int c)
{
    const cs_run *r = &state.runs[i];
    switch (c) {
    case 3: return r->cfg.model.hidden[0];
    case 4: return r->cfg.lr;
    case 6: return r->best_epoch;
    case 7: return valid_pr(r);
    case 8: return r->has_test ? r->test.pr_auc : NAN;
    case 9: return r->has_test ? r->test.f1 : NAN;
    case 10: return (double)r->nparams;
    case 11: return r->seconds;
    default: return NAN;
    }
}

static int cmp_rows(size_t a, size_t b)
{
    int c = state.sort, r;
    double x = cell_num(a, c), y = cell_num(b, c);
    if (!isnan(x) || !isnan(y)) {
        if (isnan(x)) return 1;   /* missing values last */
        if (isnan(y)) return -1;
        r = x < y ? -1 : x > y;
    } else {
        char s[700], t[700];
        cell_text(a, c, s, sizeof s);
        cell_text(b, c, t, sizeof t);
        r = strcmp(s, t);
    }
    if (r == 0) r = strcmp(state.rel[a], state.rel[b]);
    return state.sort_desc ? -r : r;
}

/* every searchable text of a run: name, data, cell and its parameters */
static int matches(size_t i, const regex_t *re)
{
    if (!state.filter[0]) return 1;
    char *text = cs_run_config_format(&state.runs[i].cfg);
    char head[1400];
    char d[700];
    cell_text(i, 1, d, sizeof d);
    snprintf(head, sizeof head, "%s\n%s\n%s\n%s\n", state.rel[i], d, cs_cell_name(state.runs[i].cfg.model.cell),
             live_of(i) ? live_name(live_of(i)) : "");
    int hit;
    if (re)
        hit = regexec(re, head, 0, NULL, 0) == 0 || (text && regexec(re, text, 0, NULL, 0) == 0);
    else
        hit = strcasestr(head, state.filter) || (text && strcasestr(text, state.filter));
    free(text);
    return hit;
}

/* ======================= rows: folders and seed groups ======================= */
static int lib_filtering(void) { return state.filter[0] != '\0'; }

static void add_row(int kind, size_t run, int folder, size_t group, size_t n)
{
    tui_lib_row *r = &state.rows[state.n_rows++];
    r->kind = kind;
    r->run = run;
    r->folder = folder;
    r->group = group;
    r->n = n;
}

/* the shown runs of folder f (-1: the top) in sorted order, as rows; a seed group of two or
 * more shown runs is one row when folded; counts: shown runs per group */
static void emit_runs(int f, const size_t *gcount, unsigned char *gdone)
{
    for (size_t k = 0; k < state.n_shown; k++) {
        size_t i = state.shown[k], g = state.group_of[i];
        if (state.folder_of[i] != f) continue;
        if (state.fold_seeds && gcount[g] >= 2) {
            if (!gdone[g]) add_row(TUI_LIB_SEEDS, i, f, g, gcount[g]);
            gdone[g] = 1;
            continue;
        }
        add_row(TUI_LIB_RUN, i, f, g, 1);
    }
}

/* Rows from the shown runs: each folder (with its runs when open, or while filtering) and
 * each top-level run or folded seed group where its first run stands in the sort. */
static void build_rows(void)
{
    state.n_rows = 0;
    if (!state.rows) return;
    size_t *gcount = calloc(state.n_groups + 1, sizeof *gcount), *fcount = calloc(state.n_folders + 1, sizeof *fcount);
    unsigned char *gdone = calloc(state.n_groups + 1, 1), *fdone = calloc(state.n_folders + 1, 1);
    if (gcount && fcount && gdone && fdone) {
        for (size_t k = 0; k < state.n_shown; k++) {
            size_t i = state.shown[k];
            gcount[state.group_of[i]]++;
            if (state.folder_of[i] >= 0) fcount[state.folder_of[i]]++;
        }
        for (size_t k = 0; k < state.n_shown; k++) {
            size_t i = state.shown[k], g = state.group_of[i];
            int f = state.folder_of[i];
            if (f >= 0) {
                if (fdone[f]) continue;
                fdone[f] = 1;
                add_row(TUI_LIB_FOLDER, i, f, g, fcount[f]);
                if (state.open[f] || lib_filtering()) emit_runs(f, gcount, gdone);
                continue;
            }
            if (state.fold_seeds && gcount[g] >= 2) {
                if (!gdone[g]) add_row(TUI_LIB_SEEDS, i, -1, g, gcount[g]);
                gdone[g] = 1;
                continue;
            }
            add_row(TUI_LIB_RUN, i, -1, g, 1);
        }
    }
    free(gcount);
    free(fcount);
    free(gdone);
    free(fdone);
}

/* 1 when row r holds run i (the run itself, its folded group or its folder) */
static int row_has(const tui_lib_row *r, size_t i)
{
    if (r->kind == TUI_LIB_RUN) return r->run == i;
    if (r->kind == TUI_LIB_SEEDS) return state.group_of[i] == r->group && state.folder_of[i] == r->folder;
    return state.folder_of[i] == r->folder;
}

/* the cursor onto the row of run i: its own row, else its group's, else its folder's */
static void select_run(size_t i)
{
    for (int kind = TUI_LIB_RUN; kind <= TUI_LIB_SEEDS; kind++) {
        int want = kind == TUI_LIB_RUN ? TUI_LIB_RUN : kind == TUI_LIB_FOLDER ? TUI_LIB_SEEDS : TUI_LIB_FOLDER;
        for (size_t k = 0; k < state.n_rows; k++)
            if (state.rows[k].kind == want && row_has(&state.rows[k], i)) {
                state.sel = k;
                return;
            }
    }
}

static const tui_lib_row *cur_row(void) { return state.sel < state.n_rows ? &state.rows[state.sel] : NULL; }

void tui_library_apply(void)
{
    const tui_lib_row *r = cur_row();
    long keep = r ? (long)r->run : -1;
    regex_t re;
    int use_re = strpbrk(state.filter, "^$.*+?[](){}|\\") &&
                 regcomp(&re, state.filter, REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0;
    state.n_shown = 0;
    for (size_t i = 0; i < state.n; i++)
        if (matches(i, use_re ? &re : NULL)) state.shown[state.n_shown++] = i;
    if (use_re) regfree(&re);
    for (size_t i = 1; i < state.n_shown; i++)   /* insertion sort: stable, a few hundred rows */
        for (size_t j = i; j > 0 && cmp_rows(state.shown[j - 1], state.shown[j]) > 0; j--) {
            size_t t = state.shown[j]; state.shown[j] = state.shown[j - 1]; state.shown[j - 1] = t;
        }
    build_rows();
    if (keep >= 0) select_run((size_t)keep);
    if (state.sel >= state.n_rows) state.sel = state.n_rows ? state.n_rows - 1 : 0;
}

static void free_runs(void)
{
    for (size_t i = 0; i < state.n; i++) cs_run_free(&state.runs[i]);
    for (size_t i = 0; state.real && i < state.n; i++) free(state.real[i]);
    /* every array the list owns, freed and forgotten */
#define LIB_DROP(f) (free(state.f), state.f = NULL)
    LIB_DROP(runs), LIB_DROP(real), LIB_DROP(rel), LIB_DROP(marked), LIB_DROP(shown);
    LIB_DROP(folder_of), LIB_DROP(folders), LIB_DROP(open), LIB_DROP(group_of);
    LIB_DROP(group_names), LIB_DROP(rows), LIB_DROP(live);
#undef LIB_DROP
    state.n = state.n_shown = state.n_folders = state.n_groups = state.n_rows = 0;
}

/* Folders (with the open ones of before by name; a new folder is open when it is a path
 * given) and the seed groups within each folder. 0, or -1 out of memory. */
static int build_structure(char (*was_open)[600], const unsigned char *open_flag, size_t n_was)
{
    size_t n = state.n;
    state.folder_of = malloc((n ? n : 1) * sizeof *state.folder_of);
    state.folders = calloc(n ? n : 1, sizeof *state.folders);
    state.open = calloc(n ? n : 1, 1);
    state.group_of = calloc(n ? n : 1, sizeof *state.group_of);
    state.group_names = calloc(n ? n : 1, sizeof *state.group_names);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    cs_run *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!state.folder_of || !state.folders || !state.open || !state.group_of || !state.group_names || !idx || !tmp) {
        free(idx);
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(state.rel[i], '/');
        state.folder_of[i] = -1;
        if (!slash) continue;
        int len = (int)(slash - state.rel[i]);
        size_t f = 0;
        while (f < state.n_folders && (strncmp(state.folders[f], state.rel[i], (size_t)len) || state.folders[f][len]))
            f++;
        if (f == state.n_folders) {
            snprintf(state.folders[f], sizeof state.folders[f], "%.*s", len, state.rel[i]);
            state.open[f] = tui_run_is_path(state.folders[f]);
            for (size_t k = 0; k < n_was; k++)
                if (!strcmp(was_open[k], state.folders[f])) state.open[f] = open_flag[k];
            state.n_folders++;
        }
        state.folder_of[i] = (int)f;
    }
    int bad = 0;
    for (long f = -1; f < (long)state.n_folders && !bad; f++) {   /* seed groups within each folder */
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (state.folder_of[i] == f) idx[m] = i, tmp[m++] = state.runs[i];   /* shallow: read only */
        if (!m) continue;
        cs_run_group *g = NULL;
        size_t ng = 0;
        cs_error err;
        if (cs_run_groups(tmp, m, &g, &ng, &err) != CS_OK) {
            bad = 1;
            break;
        }
        for (size_t k = 0; k < ng; k++) {
            snprintf(state.group_names[state.n_groups], sizeof state.group_names[0], "%s", g[k].name);
            for (size_t j = 0; j < g[k].n; j++) state.group_of[idx[g[k].run[j]]] = state.n_groups;
            state.n_groups++;
        }
        cs_run_groups_free(g, ng);
    }
    free(idx);
    free(tmp);
    if (bad) return -1;
    state.rows = calloc(n + state.n_folders + state.n_groups + 1, sizeof *state.rows);
    return state.rows ? 0 : -1;
}

/* ======================= live rows: runs other processes train ======================= */
/* A live record's desc ("gru h32 lr 0.001 batch 32 seed 1 data shop.csv", livewrite.c)
 * into the parts of a config the columns and the filter read; the rest stays default. */
static void desc_config(const char *desc, cs_run_config *c)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", desc);
    cs_error err;
    const char *key = NULL;
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (key) {
            if (!strcmp(key, "data")) snprintf(c->data, sizeof c->data, "%s", t);
            else cs_param_set(c, key, t, &err);   /* a value that does not read: left default */
            key = NULL;
        } else if (!strcmp(t, "lr") || !strcmp(t, "batch") || !strcmp(t, "seed") || !strcmp(t, "data"))
            key = t;
        else if (t[0] == 'h' && t[1] >= '0' && t[1] <= '9')
            cs_param_set(c, "hidden", t + 1, &err);
        else if (t == buf)
            cs_param_set(c, "cell", t, &err);
    }
}

/* the row of a watched run (w->kind running or stale) as a cs_run: what its record says
 * (history so far, latest epoch as "best", elapsed time, start as the date) */
static void live_run(const tui_watch_run *w, cs_run *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", w->run);
    snprintf(r->name, sizeof r->name, "%.63s", base_name(w->run));
    cs_run_config_init(&r->cfg);
    r->cfg.data[0] = '\0';
    r->status = CS_STATUS_DONE;
    if (!w->have_live) return;
    const cs_live *l = &w->live;
    desc_config(l->desc, &r->cfg);
    r->cfg.epochs = l->epochs;
    r->nparams = l->nparams;
    r->seconds = l->elapsed_s;
    time_t t0 = (time_t)l->started;
    struct tm tm;
    if (gmtime_r(&t0, &tm)) strftime(r->created, sizeof r->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (l->n_hist && (r->hist = malloc(l->n_hist * sizeof *r->hist))) {
        memcpy(r->hist, l->hist, l->n_hist * sizeof *r->hist);
        r->n_hist = l->n_hist;
    }
    r->best_epoch = r->epochs_run = (int)r->n_hist;   /* the columns show the latest epoch */
}

static int live_kind_of(const tui_watch_run *w)
{
    return w->kind == TUI_W_RUNNING ? TUI_LIB_RUNNING : w->kind == TUI_W_STALE ? TUI_LIB_STALE : TUI_LIB_SAVED;
}

/* which runs the watch lists as running or stale (FNV-1a over path and kind) */
static uint64_t live_signature(void)
{
    const tui_watch_state *w = tui_watch();
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < w->n; i++) {
        int k = live_kind_of(&w->runs[i]);
        if (!k) continue;
        for (const char *p = w->runs[i].run; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
        h = (h ^ (uint64_t)(k + 256)) * 1099511628211ull;
    }
    return h;
}

void tui_library_refresh(tui_app *a)
{
    /* keep the marks by path, and which folders were open */
    char (*old)[600] = NULL, (*was)[600] = NULL;
    unsigned char *was_open = NULL;
    size_t nold = 0, nwas = state.n_folders;
    for (size_t i = 0; i < state.n; i++) nold += state.marked[i];
    if (nold && (old = malloc(nold * sizeof *old))) {
        nold = 0;
        for (size_t i = 0; i < state.n; i++)
            if (state.marked[i]) snprintf(old[nold++], sizeof old[0], "%s", state.rel[i]);
    } else
        nold = 0;
    if (nwas && (was = malloc(nwas * sizeof *was)) && (was_open = malloc(nwas))) {
        memcpy(was, state.folders, nwas * sizeof *was);
        memcpy(was_open, state.open, nwas);
    } else
        nwas = 0;
    char cur[600] = "";   /* and the cursor on its run */
    if (cur_row()) snprintf(cur, sizeof cur, "%s", state.rel[cur_row()->run]);
    free_runs();
    cs_run *runs = NULL;
    size_t n = 0, bad = 0;
    cs_error err, bad_msg;
    struct stat st;
    if (stat(a->runs_dir, &st) == 0 &&
        cs_run_find(a->runs_dir, CS_RUN_HISTORY, CS_RUN_FIND_DEPTH, &runs, &n, &bad, &bad_msg, &err) != CS_OK)
        tui_app_message(a, 1, "library: %s", err.msg);
    size_t n_home = n;   /* then the runs below the paths given (outside the runs directory) */
    for (int k = 0; k < a->npaths; k++)
        if (cs_run_find(a->paths[k], CS_RUN_HISTORY, CS_RUN_FIND_DEPTH, &runs, &n, &bad, &bad_msg, &err) != CS_OK)
            tui_app_message(a, 1, "library: %s", err.msg);
    /* then the runs other processes are training (after the listing: a run saved in between
     * is listed, or its record is skipped below, never both) */
    tui_watch_scan(a);
    const tui_watch_state *ws = tui_watch();
    size_t nl = 0;
    for (size_t k = 0; k < ws->n; k++) nl += live_kind_of(&ws->runs[k]) != TUI_LIB_SAVED;
    if (nl) {
        cs_run *g = realloc(runs, (n + nl) * sizeof *runs);
        if (g) runs = g;
        else nl = 0;
    }
    state.runs = runs;
    state.n = n;
    state.n_bad = bad;
    size_t cap = n + nl;
    state.rel = calloc(cap ? cap : 1, sizeof *state.rel);
    state.real = calloc(cap ? cap : 1, sizeof *state.real);
    state.marked = calloc(cap ? cap : 1, 1);
    state.shown = calloc(cap ? cap : 1, sizeof *state.shown);
    state.live = calloc(cap ? cap : 1, 1);
    size_t L = strlen(a->runs_dir), kept = 0;
    for (size_t i = 0; state.rel && state.real && i < n; i++) {
        char *real = realpath(runs[i].path, NULL);
        int dup = 0;   /* a path inside the runs directory, or given twice: listed once */
        for (size_t j = 0; real && j < kept && !dup; j++) dup = state.real[j] && !strcmp(state.real[j], real);
        if (dup) {
            free(real);
            cs_run_free(&runs[i]);
            continue;
        }
        if (kept != i) runs[kept] = runs[i];
        state.real[kept] = real;
        const char *p = runs[kept].path;
        if (i < n_home && !strncmp(p, a->runs_dir, L) && p[L] == '/') p += L + 1;
        snprintf(state.rel[kept], sizeof state.rel[kept], "%.599s", p);
        for (size_t k = 0; k < nold; k++)
            if (!strcmp(old[k], state.rel[kept])) state.marked[kept] = 1;
        kept++;
    }
    if (state.rel && state.real) state.n = n = kept;
    for (size_t k = 0; nl && state.rel && state.real && state.live && k < ws->n; k++) {
        const tui_watch_run *w = &ws->runs[k];
        int kind = live_kind_of(w), dup = cs_is_run_dir(w->run);
        for (size_t j = 0; j < kept && !dup; j++) dup = !strcmp(runs[j].path, w->run);
        if (!kind || dup) continue;
        live_run(w, &runs[kept]);
        state.live[kept] = (unsigned char)kind;
        snprintf(state.rel[kept], sizeof state.rel[kept], "%s", w->rel);
        for (size_t j = 0; j < nold; j++)
            if (!strcmp(old[j], state.rel[kept])) state.marked[kept] = 1;
        kept++;
    }
    if (state.rel && state.real) state.n = n = kept;
    state.live_sig = live_signature();
    free(old);
    int fail = !state.rel || !state.real || !state.marked || !state.shown || !state.live ||
               build_structure(was, was_open, nwas) != 0;
    free(was);
    free(was_open);
    if (fail) {
        free_runs();
        tui_app_message(a, 1, "library: out of memory");
        return;
    }
    tui_library_apply();
    for (size_t i = 0; cur[0] && i < state.n; i++)
        if (!strcmp(state.rel[i], cur)) select_run(i);
    if (bad) tui_app_message(a, 1, "library: %zu damaged run%s skipped (first: %s)", bad, bad == 1 ? "" : "s",
                             bad_msg.msg);
}

int tui_library_open(tui_app *a)
{
    tui_library_refresh(a);
    tui_screen_push(a, SCR_LIBRARY);
    return R_REDRAW;
}

static int a_compare(tui_app *a);

/* 1 when the run's real path is p's real path or below it */
static int below(const char *real_run, const char *real_p)
{
    size_t L = strlen(real_p);
    return real_run && !strncmp(real_run, real_p, L) && (real_run[L] == '\0' || real_run[L] == '/' || !strcmp(real_p, "/"));
}

int tui_library_open_paths(tui_app *a)
{
    tui_library_open(a);
    size_t nm = 0;
    for (int k = 0; k < a->npaths; k++) {
        char *rp = realpath(a->paths[k], NULL);
        for (size_t i = 0; rp && i < state.n; i++)
            if (below(state.real[i], rp) && !state.marked[i]) state.marked[i] = 1, nm++;
        free(rp);
    }
    if (nm >= 2) return a_compare(a);
    for (size_t i = 0; nm == 1 && i < state.n; i++)
        if (state.marked[i]) select_run(i);
    if (nm == 1) tui_app_message(a, 0, "1 run given: r replays it, c compares it with the runs you mark");
    else tui_app_message(a, 1, "no runs below %s%s", a->paths[0], a->npaths > 1 ? " ..." : "");
    return R_REDRAW;
}

/* ======================= drawing ======================= */
/* t elided in the middle to at most w columns ("…" or "~"), never cut silently */
static void elide(const char *t, int w, int unicode, char *out, size_t n)
{
    int len = (int)strlen(t);
    if (len <= w || w < 3) {
        snprintf(out, n, "%s", t);
        return;
    }
    int head = (w - 1) / 2, tail = w - 1 - head;
    snprintf(out, n, "%.*s%s%s", head, t, unicode ? "…" : "~", t + len - tail);
}

/* mean and sample std of column c over the shown runs of seed group row r */
static void group_stat(const tui_lib_row *r, int c, double *mean, double *sd)
{
    double s = 0, ss = 0;
    int k = 0;
    for (size_t j = 0; j < state.n_shown; j++) {
        size_t i = state.shown[j];
        if (!row_has(r, i)) continue;
        double v = cell_num(i, c);
        if (!isnan(v)) s += v, k++;
    }
    *mean = k ? s / k : NAN;
    for (size_t j = 0; k > 1 && j < state.n_shown; j++) {
        size_t i = state.shown[j];
        double v = row_has(r, i) ? cell_num(i, c) : NAN;
        if (!isnan(v)) ss += (v - *mean) * (v - *mean);
    }
    *sd = k > 1 ? sqrt(ss / (k - 1)) : 0;
}

/* The text of column c for row r in cw - 1 columns: a run's cells; a folder's name and run
 * count; a seed group's name, its runs' common values and the means (± std where it fits). */
static void row_text(const tui_lib_row *r, int c, int cw, int unicode, char *buf, size_t n)
{
    char t[700];
    int indent = r->folder >= 0 && r->kind != TUI_LIB_FOLDER ? 2 : 0;
    if (r->kind == TUI_LIB_FOLDER) {
        if (c != 0) { buf[0] = '\0'; return; }
        char cnt[64], e[700];
        size_t total = 0;
        for (size_t i = 0; i < state.n; i++) total += state.folder_of[i] == r->folder;
        if (lib_filtering() && r->n != total) snprintf(cnt, sizeof cnt, " (%zu of %zu runs)", r->n, total);
        else snprintf(cnt, sizeof cnt, " (%zu run%s)", total, total == 1 ? "" : "s");
        int open = state.open[r->folder] || lib_filtering();
        const char *arrow = unicode ? (open ? "▾ " : "▸ ") : (open ? "v " : "> ");
        elide(state.folders[r->folder], cw - 1 - 2 - 1 - (int)strlen(cnt), unicode, e, sizeof e);
        snprintf(buf, n, "%s%s/%s", arrow, e, cnt);
        return;
    }
    if (r->kind == TUI_LIB_RUN) {
        if (c == 0) {
            const char *name = state.rel[r->run];
            if (indent) name = strrchr(name, '/') + 1;
            char e[700];
            elide(name, cw - 1 - indent, unicode, e, sizeof e);
            snprintf(buf, n, "%*s%s", indent, "", e);
        } else if (c == 1) {
            cell_text(r->run, c, t, sizeof t);
            elide(t, cw - 1, unicode, buf, n);
        } else
            cell_text(r->run, c, buf, n);
        return;
    }
    /* a seed group */
    double m, sd;
    switch (c) {
    case 0: {
        char e[700], cnt[32];
        snprintf(cnt, sizeof cnt, " %s%zu seeds", unicode ? "×" : "x", r->n);
        elide(state.group_names[r->group], cw - 1 - indent - (int)strlen(cnt), unicode, e, sizeof e);
        snprintf(buf, n, "%*s%s%s", indent, "", e, cnt);
        return;
    }
    case 5: {   /* the status when every run has the same, else mixed */
        char first[32] = "", one[32];
        for (size_t j = 0; j < state.n_shown; j++) {
            size_t i = state.shown[j];
            if (!row_has(r, i)) continue;
            cell_text(i, 5, one, sizeof one);
            if (!first[0]) snprintf(first, sizeof first, "%s", one);
            else if (strcmp(first, one)) snprintf(first, sizeof first, "mixed");
        }
        snprintf(buf, n, "%s", first);
        return;
    }
    case 6: case 11:
        group_stat(r, c, &m, &sd);
        if (c == 6) snprintf(buf, n, "%.1f", m);
        else tui_fmt_dur(m, buf, n);
        return;
    case 7: case 8: case 9:
        group_stat(r, c, &m, &sd);
        if (isnan(m)) snprintf(buf, n, "-");
        else if (cw - 1 >= 11) snprintf(buf, n, "%.3f±%.3f", m, sd);
        else snprintf(buf, n, "%.3f", m);
        return;
    default:
        cell_text(r->run, c, t, sizeof t);
        if (c == 1) elide(t, cw - 1, unicode, buf, n);
        else snprintf(buf, n, "%s", t);
    }
}

/* the live marker of row r: its run's; a folder's or a group's running when one of its
 * shown runs is, else stale when one is, else none */
static int row_live(const tui_lib_row *r)
{
    if (r->kind == TUI_LIB_RUN) return live_of(r->run);
    int k = TUI_LIB_SAVED;
    for (size_t j = 0; j < state.n_shown && k != TUI_LIB_RUNNING; j++)
        if (row_has(r, state.shown[j]) && live_of(state.shown[j])) k = live_of(state.shown[j]);
    return k;
}

/* how many of row r's shown runs are marked, out of how many */
static size_t row_marked(const tui_lib_row *r, size_t *of)
{
    size_t k = 0, m = 0;
    for (size_t j = 0; j < state.n_shown; j++) {
        size_t i = state.shown[j];
        if (!row_has(r, i)) continue;
        k++;
        m += state.marked[i];
    }
    *of = k;
    return m;
}

static void draw_library(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h, narrow = w < 140;
    size_t nm = 0;
    for (size_t i = 0; i < state.n; i++) nm += state.marked[i];
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    char paths[48] = "", title[2][1200];
    if (a->npaths) snprintf(paths, sizeof paths, " + %d path%s", a->npaths, a->npaths == 1 ? "" : "s");
    snprintf(title[0], sizeof title[0], " clickseq  runs library: %zu of %zu runs in %s%s%s%s  (%zu marked)%s",
             state.n_shown, state.n, a->runs_dir, paths, state.filter[0] ? "  filter /" : "", state.filter, nm,
             state.fold_seeds ? "  seeds folded" : "");
    snprintf(title[1], sizeof title[1], " runs library: %zu of %zu runs%s%s  (%zu marked)%s", state.n_shown, state.n,
             state.filter[0] ? "  filter /" : "", state.filter, nm, state.fold_seeds ? "  seeds folded" : "");
    const char *const hv[] = {title[0], title[1]};
    int hx = tui_puts_fit(cv, 0, 0, w, hv, 2, TC_SEL, TA_BOLD);
    size_t live, stale;   /* runs other processes are training below --runs (watch.c) */
    tui_watch_counts(&live, &stale);
    char st[48] = "";
    if (stale) snprintf(st, sizeof st, ", %zu stale", stale);
    if (live || stale)
        tui_printf(cv, hx + 2, 0, w - hx - 2, TC_SEL, TA_BOLD, "%s %zu training%s (W watches)",
                   cv->unicode ? "●" : "*", live, st);
    int y = 1, x0 = 2;
    /* the header: the sort column underlined with its direction */
    for (int c = 0, x = x0; c < TUI_LIB_NCOLS; c++) {
        if (narrow && !col_narrow[c]) continue;
        int cw = col_w[c] + (narrow && c == 0 ? 4 : 0);   /* 80 columns: test F1 fits */
        if (x + cw > w) break;
        char head[40];
        snprintf(head, sizeof head, "%s%s", col_names[c], state.sort == c ? (state.sort_desc ? "↓" : "↑") : "");
        tui_puts(cv, x, y, cw - 1, head, TC_HEAD, TA_BOLD | (state.sort == c ? TA_UNDERLINE : 0));
        x += cw;
    }
    y++;
    int rows = h - 4;
    state.page = rows > 1 ? rows : 1;
    if (state.sel < state.top) state.top = state.sel;
    if (state.sel >= state.top + (size_t)rows) state.top = state.sel - (size_t)rows + 1;
    for (size_t k = state.top; k < state.n_rows && y < h - 2; k++, y++) {
        const tui_lib_row *r = &state.rows[k];
        int sel = k == state.sel;
        if (sel) tui_canvas_fill(cv, (tui_rect){0, y, w, 1}, L' ', TC_SEL, 0);
        size_t of, m = row_marked(r, &of);
        if (m) tui_putc(cv, 0, y, m == of ? (cv->unicode ? L'●' : L'*') : (cv->unicode ? L'◐' : L'+'),
                        sel ? TC_SEL : TC_GOOD, TA_BOLD);
        int lk = row_live(r);   /* trained by another process: ● running, ✗ stale (as the watch view) */
        if (lk)
            tui_putc(cv, 1, y, lk == TUI_LIB_RUNNING ? (cv->unicode ? L'●' : L'*') : (cv->unicode ? L'✗' : L'!'),
                     sel ? TC_SEL : lk == TUI_LIB_RUNNING ? TC_GOOD : TC_WARN, TA_BOLD);
        for (int c = 0, x = x0; c < TUI_LIB_NCOLS; c++) {
            if (narrow && !col_narrow[c]) continue;
            int cw = col_w[c] + (narrow && c == 0 ? 4 : 0);   /* 80 columns: test F1 fits */
            if (r->kind == TUI_LIB_FOLDER && c == 0) cw = w - x0;   /* a folder's name spans the row */
            if (x + cw > w) break;
            char t[800];
            row_text(r, c, cw, cv->unicode, t, sizeof t);
            int col = sel ? TC_SEL : c == 5 && lk ? (lk == TUI_LIB_RUNNING ? TC_GOOD : TC_WARN)
                    : c == 5 && r->kind == TUI_LIB_RUN && state.runs[r->run].status != CS_STATUS_DONE ? TC_WARN : TC_NORMAL;
            tui_puts(cv, x, y, cw - 1, t, col, r->kind == TUI_LIB_RUN ? 0 : TA_BOLD);
            x += cw;
        }
    }
    if (state.n_shown == 0)
        tui_puts(cv, x0, y, w - 4, state.n ? "no run matches the filter (/ then Esc clears it)"
                                           : "no saved runs yet (t trains one, T three cells x 3 seeds)", TC_DIM, 0);
    const tui_lib_row *cr = cur_row();
    if (state.editing)
        tui_printf(cv, 0, h - 2, w, TC_NORMAL, TA_BOLD, "/%s_", state.filter);
    else if (state.confirm_delete && cr && cr->kind == TUI_LIB_RUN)
        tui_printf(cv, 1, h - 2, w - 1, TC_BAD, TA_BOLD, "delete %s? y deletes it, any other key keeps it",
                   state.rel[cr->run]);
    else if (a->msg[0])
        tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    const char *const help[] = {
        " space mark  c compare (marked, else shown)  / filter  o/O sort  Enter/←/→ fold  f seeds  r replay  d delete  :rename NEW  Esc back",
        " space mark  c compare  / filter  o/O sort  Enter/←/→ fold  f seeds  r replay  d delete  :rename  Esc back",
        " space mark  c compare  / filter  o sort  ←→ fold  f seeds  r replay  Esc back"};
    tui_puts_fit(cv, 0, h - 1, w, help, 3, TC_DIM, 0);
}

/* ======================= actions ======================= */
static int lib_move(int d) { return tui_sel_move(&state.sel, state.n_rows, d); }
static int a_up(tui_app *a) { (void)a; return lib_move(-1); }
static int a_down(tui_app *a) { (void)a; return lib_move(1); }
static int a_pgup(tui_app *a) { (void)a; return lib_move(-(state.page > 1 ? state.page - 1 : 1)); }
static int a_pgdn(tui_app *a) { (void)a; return lib_move(state.page > 1 ? state.page - 1 : 1); }
static int a_top(tui_app *a) { (void)a; return lib_move(-(int)state.n_rows); }
static int a_bottom(tui_app *a) { (void)a; return lib_move((int)state.n_rows); }
/* Space: a run's mark; on a folder or a seed group, every run of it shown (all marked:
 * unmarked) */
static int a_mark(tui_app *a)
{
    (void)a;
    const tui_lib_row *r = cur_row();
    if (!r) return R_NONE;
    size_t of, m = row_marked(r, &of);
    for (size_t j = 0; j < state.n_shown; j++)
        if (row_has(r, state.shown[j])) state.marked[state.shown[j]] = m < of;
    lib_move(1);
    return R_REDRAW;
}
static int a_sort(tui_app *a)
{
    (void)a;
    state.sort = (state.sort + 1) % TUI_LIB_NCOLS;
    tui_library_apply();
    return R_REDRAW;
}
static int a_sort_rev(tui_app *a)
{
    (void)a;
    state.sort_desc = !state.sort_desc;
    tui_library_apply();
    return R_REDRAW;
}
static int a_filter(tui_app *a)
{
    (void)a;
    state.editing = 1;
    return R_REDRAW;
}
/* 1 (with a message) when the row under the cursor is a run another process trains */
static int refuse_live(tui_app *a, const char *what)
{
    const tui_lib_row *r = cur_row();
    if (!r || r->kind != TUI_LIB_RUN || !live_of(r->run)) return 0;
    size_t i = r->run;
    if (live_of(i) == TUI_LIB_RUNNING)
        tui_app_message(a, 1, "%s is still training in another process: %s it once it is saved (Enter watches it)",
                        state.rel[i], what);
    else
        tui_app_message(a, 1, "%s is stale (its writer is gone, the run was never saved): nothing to %s (W, then d forgets its record)",
                        state.rel[i], what);
    return 1;
}

static int a_delete(tui_app *a)
{
    const tui_lib_row *r = cur_row();
    if (!r) return R_NONE;
    if (r->kind != TUI_LIB_RUN) {
        tui_app_message(a, 1, "d deletes one run: %s", r->kind == TUI_LIB_FOLDER ? "unfold the folder (Enter) and select it"
                                                                                : "unfold the seeds (f) and select it");
        return R_REDRAW;
    }
    if (refuse_live(a, "delete")) return R_REDRAW;
    state.confirm_delete = 1;
    return R_REDRAW;
}

/* a folder opened (1), closed (0) or switched (-1); 0 when the row is not a folder */
static int fold_folder(int f, int how)
{
    int o = how < 0 ? !state.open[f] : how;
    if (o == state.open[f]) return 0;
    state.open[f] = (unsigned char)o;
    size_t keep = state.rows[state.sel].run;
    tui_library_apply();
    select_run(keep);
    for (size_t k = 0; k < state.n_rows; k++)   /* the cursor stays on the folder's row */
        if (state.rows[k].kind == TUI_LIB_FOLDER && state.rows[k].folder == f) state.sel = k;
    return 1;
}
static int a_open(tui_app *a)
{
    (void)a;
    const tui_lib_row *r = cur_row();
    return r && r->kind == TUI_LIB_FOLDER && fold_folder(r->folder, 1) ? R_REDRAW : R_NONE;
}
/* Left: close the folder of the row (the cursor goes to the folder's row) */
static int a_close(tui_app *a)
{
    (void)a;
    const tui_lib_row *r = cur_row();
    if (!r || r->folder < 0) return R_NONE;
    if (lib_filtering()) {
        tui_app_message(a, 0, "folders stay open while a filter is set (/ then Esc clears it)");
        return R_REDRAW;
    }
    int f = r->folder;
    if (fold_folder(f, 0)) return R_REDRAW;
    for (size_t k = 0; k < state.n_rows; k++)
        if (state.rows[k].kind == TUI_LIB_FOLDER && state.rows[k].folder == f && k != state.sel) {
            state.sel = k;
            return R_REDRAW;
        }
    return R_NONE;
}
static int a_fold_seeds(tui_app *a)
{
    state.fold_seeds = !state.fold_seeds;
    tui_library_apply();
    tui_app_message(a, 0, state.fold_seeds ? "seed groups folded: one row each, with their means (f unfolds)"
                                           : "seed groups unfolded: every run (f folds them)");
    return R_REDRAW;
}

/* compare the marked runs, or with none marked every run shown */
static int a_compare(tui_app *a)
{
    size_t nm = 0;
    for (size_t i = 0; i < state.n; i++) nm += state.marked[i];
    cs_run *runs = calloc(state.n ? state.n : 1, sizeof *runs);
    size_t n = 0;
    cs_error err;
    for (size_t k = 0; runs && k < (nm ? state.n : state.n_shown); k++) {
        size_t i = nm ? k : state.shown[k];
        if (nm && !state.marked[i]) continue;
        if (live_of(i)) {   /* a run in training: its history so far (the record's) */
            runs[n] = state.runs[i];
            runs[n].hist = state.runs[i].n_hist ? malloc(state.runs[i].n_hist * sizeof *runs[n].hist) : NULL;
            if (!runs[n].hist) continue;
            memcpy(runs[n].hist, state.runs[i].hist, state.runs[i].n_hist * sizeof *runs[n].hist);
            n++;
            continue;
        }
        if (cs_run_load(state.runs[i].path, CS_RUN_HISTORY | CS_RUN_BATCHES | CS_RUN_SCORES, &runs[n], &err) != CS_OK) {
            tui_app_message(a, 1, "%s", err.msg);
            continue;
        }
        if (runs[n].n_hist == 0) {
            cs_run_free(&runs[n]);
            continue;
        }
        n++;
    }
    if (n < 2) {
        for (size_t j = 0; j < n; j++) cs_run_free(&runs[j]);
        free(runs);
        tui_app_message(a, 1, "compare needs 2 or more runs: mark them with space (or filter with /)");
        return R_REDRAW;
    }
    return tui_compare_show(a, runs, n);
}

/* Enter: a folder folds or unfolds, anything else compares */
static int a_enter(tui_app *a)
{
    const tui_lib_row *r = cur_row();
    if (r && r->kind == TUI_LIB_FOLDER) {
        if (lib_filtering()) {
            tui_app_message(a, 0, "folders stay open while a filter is set (/ then Esc clears it)");
            return R_REDRAW;
        }
        fold_folder(r->folder, -1);
        return R_REDRAW;
    }
    size_t nm = 0;   /* a run another process trains: the watch view (its curves as they grow) */
    for (size_t i = 0; i < state.n; i++) nm += state.marked[i];
    if (nm || !r || r->kind != TUI_LIB_RUN || !live_of(r->run)) return a_compare(a);
    char run[1024];
    snprintf(run, sizeof run, "%s", state.runs[r->run].path);
    int rr = tui_watch_open(a);
    tui_watch_state *w = tui_watch();
    for (size_t k = 0; k < w->n; k++)
        if (!strcmp(w->runs[k].run, run)) w->sel = k;
    return rr;
}

/* r, e: a saved run only */
static int a_replay(tui_app *a) { return refuse_live(a, "replay") ? R_REDRAW : tui_exec_line(a, "replay"); }
static int a_early(tui_app *a) { return refuse_live(a, "predict early with") ? R_REDRAW : tui_exec_line(a, "early"); }

int tui_library_tick(tui_app *a, double dt)
{
    int r = tui_watch_tick(a, dt);
    if (!r) return 0;
    if (live_signature() != state.live_sig) {   /* a run appeared, turned stale, was saved */
        tui_library_refresh(a);
        return 1;
    }
    const tui_watch_state *w = tui_watch();
    int moved = 0;   /* else a new epoch (or a late first record) updates its row */
    for (size_t i = 0; i < state.n; i++) {
        if (!live_of(i)) continue;
        for (size_t k = 0; k < w->n; k++) {
            const tui_watch_run *wr = &w->runs[k];
            if (strcmp(wr->run, state.runs[i].path)) continue;
            if (wr->have_live && (wr->live.n_hist != state.runs[i].n_hist || wr->live.nparams != state.runs[i].nparams ||
                                  wr->live.epochs != state.runs[i].cfg.epochs)) {
                cs_run_free(&state.runs[i]);
                live_run(wr, &state.runs[i]);
                moved = 1;
            } else
                state.runs[i].seconds = wr->have_live ? wr->live.elapsed_s : state.runs[i].seconds;
            break;
        }
    }
    if (moved) {
        tui_library_apply();   /* keeps the cursor on its run */
    }
    return r;
}

/* the run r, replay and early are about: the row's run (a folder's or a group's first) */
static char subject_buf[700];
static const char *subject(tui_app *a)
{
    (void)a;
    const tui_lib_row *r = cur_row();
    if (!r) return NULL;
    snprintf(subject_buf, sizeof subject_buf, "%s", state.rel[r->run]);
    return subject_buf;
}

/* Remove a run directory: its regular files, then the directory (nothing else in it). */
static int remove_run(const char *dir, char *msg, size_t n)
{
    DIR *d = opendir(dir);
    if (!d) { snprintf(msg, n, "cannot open %s: %s", dir, strerror(errno)); return -1; }
    struct dirent *e;
    int bad = 0;
    char p[1400];
    struct stat st;
    while ((e = readdir(d)))   /* first make sure it holds files only */
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (lstat(p, &st) != 0 || S_ISDIR(st.st_mode)) bad = 1;
        }
    closedir(d);
    if (bad) { snprintf(msg, n, "%s holds folders: not deleted", dir); return -1; }
    if (!(d = opendir(dir))) { snprintf(msg, n, "cannot open %s", dir); return -1; }
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(d);
    if (rmdir(dir) != 0) { snprintf(msg, n, "cannot remove %s: %s", dir, strerror(errno)); return -1; }
    return 0;
}

static int grab(tui_app *a, int key, int fn)
{
    if (state.confirm_delete) {
        state.confirm_delete = 0;
        const tui_lib_row *r = cur_row();
        if (fn || key != 'y' || !r || r->kind != TUI_LIB_RUN) {
            tui_app_message(a, 0, "kept");
            return R_REDRAW;
        }
        size_t i = r->run;
        char msg[1600], rel[600];
        snprintf(rel, sizeof rel, "%s", state.rel[i]);
        if (remove_run(state.runs[i].path, msg, sizeof msg) == 0) {
            tui_app_message(a, 0, "deleted %s", rel);
            tui_library_refresh(a);
            tui_app_refresh_runs(a);
        } else
            tui_app_message(a, 1, "delete: %s", msg);
        return R_REDRAW;
    }
    if (!state.editing) return -1;
    size_t L = strlen(state.filter);
    if (!fn && (key == '\r' || key == '\n')) state.editing = 0;
    else if ((fn && key == KEY_ENTER)) state.editing = 0;
    else if (!fn && key == 27) { state.editing = 0; state.filter[0] = '\0'; }
    else if ((fn && key == KEY_BACKSPACE) || (!fn && (key == 127 || key == 8))) {
        if (L) state.filter[L - 1] = '\0';
    } else if (!fn && key >= 32 && key < 127 && L + 1 < sizeof state.filter) {
        state.filter[L] = (char)key;
        state.filter[L + 1] = '\0';
    } else
        return R_NONE;
    state.sel = state.top = 0;
    tui_library_apply();
    return R_REDRAW;
}

static int valid_name(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 63) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-", *s)) return 0;
    return 1;
}

/* config.txt's "name = " line rewritten (atomically) to the new name */
static void rename_in_config(const char *dir, const char *newname)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/config.txt", dir);
    FILE *f = fopen(p, "r");
    if (!f) return;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char line[4096];
    while (out && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "name = ", 7)) fprintf(out, "name = %s\n", newname);
        else fputs(line, out);
    }
    fclose(f);
    if (!out) return;
    fclose(out);
    cs_error err;
    cs_write_atomic(p, buf, len, &err);
    free(buf);
}

int tui_library_rename(tui_app *a, const char *path, const char *newname, char *out, size_t n)
{
    if (!valid_name(newname)) {
        tui_app_message(a, 1, "'%s' is not a valid run name (letters, digits, . _ -)", newname);
        return -1;
    }
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash) *slash = '\0';
    else snprintf(parent, sizeof parent, ".");
    snprintf(out, n, "%s/%s", parent, newname);
    struct stat st;
    if (lstat(out, &st) == 0) {
        tui_app_message(a, 1, "rename: %s exists", out);
        return -1;
    }
    if (rename(path, out) != 0) {
        tui_app_message(a, 1, "rename: %s: %s", path, strerror(errno));
        return -1;
    }
    rename_in_config(out, newname);
    return 0;
}

static int command(tui_app *a, const tui_cmd *c)
{
    if (c->kind == CMD_RENAME) {
        const tui_lib_row *r = cur_row();
        if (!r) return R_NONE;
        if (r->kind != TUI_LIB_RUN) {
            tui_app_message(a, 1, "rename: select one run (a folder or a seed group has no name of its own)");
            return R_REDRAW;
        }
        if (refuse_live(a, "rename")) return R_REDRAW;
        size_t i = r->run;
        char np[1200];
        if (tui_library_rename(a, state.runs[i].path, c->argv[0], np, sizeof np) == 0) {
            tui_app_message(a, 0, "renamed %s to %s", state.rel[i], c->argv[0]);
            tui_library_refresh(a);
            tui_app_refresh_runs(a);
        }
        return R_REDRAW;
    }
    if (c->kind == CMD_DELETE) return a_delete(a);
    if (c->kind == CMD_LIBRARY) {
        tui_library_refresh(a);
        return R_REDRAW;
    }
    return -1;
}

static void reset(void)
{
    free_runs();
    memset(&state, 0, sizeof state);
}

static const tui_key keys[] = {
    {KEY_UP, 1, a_up, NULL}, {'k', 0, a_up, NULL}, {KEY_DOWN, 1, a_down, NULL}, {'j', 0, a_down, NULL},
    {KEY_PPAGE, 1, a_pgup, NULL}, {KEY_NPAGE, 1, a_pgdn, NULL}, {'g', 0, a_top, NULL}, {'G', 0, a_bottom, NULL},
    {KEY_HOME, 1, a_top, NULL}, {KEY_END, 1, a_bottom, NULL},
    {' ', 0, a_mark, NULL}, {'o', 0, a_sort, NULL}, {'O', 0, a_sort_rev, NULL}, {'/', 0, a_filter, NULL},
    {'c', 0, a_compare, NULL}, {'\r', 0, a_enter, NULL}, {KEY_ENTER, 1, a_enter, NULL}, {'d', 0, a_delete, NULL},
    {KEY_RIGHT, 1, a_open, NULL}, {KEY_LEFT, 1, a_close, NULL}, {'f', 0, a_fold_seeds, NULL},
    {'r', 0, a_replay, NULL}, {'e', 0, a_early, NULL},
    {'W', 0, NULL, "watch"},
    {'q', 0, NULL, "back"}, {27, 0, NULL, "back"}, {0, 0, NULL, NULL},
};

const tui_screen tui_library_screen = {
    .name = "library", .draw = draw_library, .keys = keys, .state = &state, .grab = grab,
    .command = command, .subject = subject, .reset = reset,
    .tick = tui_library_tick,   /* the live rows and header: runs training below --runs */
};
