/* settings.c — the honest `:set` (what else changed, refusals with the reason, threads
 * bounded by the cores, paths that must exist, "did you mean") and the settings file
 * (see settings.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/tui/settings.h"
#include "clickseq/files.h"
#include "clickseq/quote.h"

#define TUI_SETTINGS_MAX (1 << 20)   /* bytes: far more than every setting */
#define TUI_SETTINGS_LINE 2046       /* bytes of one line */

int tui_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

int tui_param_is_path(const char *name)
{
    const cs_param *p = cs_param_find(name);
    return p && (!strcmp(p->name, "data") || !strcmp(p->name, "outcomes"));
}

/* ---- did you mean ---- */
static int edit_distance(const char *s, const char *t)
{
    size_t m = strlen(s), n = strlen(t);
    int row[80];
    if (m >= 79 || n >= 79) return 99;
    for (size_t j = 0; j <= n; j++) row[j] = (int)j;
    for (size_t i = 1; i <= m; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= n; j++) {
            int up = row[j], best = diag + (s[i - 1] != t[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[n];
}

/* The parameter name nearest to name: a unique prefix, else the smallest edit distance
 * when it is at most a third of the name (at least 1, at most 3); NULL when none. */
static const char *nearest_param(const char *name)
{
    const char *prefix = NULL, *best = NULL;
    int nprefix = 0, bestd = 99;
    size_t len = strlen(name);
    for (size_t i = 0; i < cs_param_count(); i++) {
        const char *p = cs_param_at(i)->name;
        if (len >= 2 && !strncmp(p, name, len)) { prefix = p; nprefix++; }
        int d = edit_distance(name, p);
        if (d < bestd) { bestd = d; best = p; }
    }
    if (nprefix == 1) return prefix;
    int limit = (int)len / 3;
    limit = limit < 1 ? 1 : limit > 3 ? 3 : limit;
    return bestd <= limit ? best : NULL;
}

/* ---- :set ---- */
/* What else a change changed: " (layers 2)", " (hidden 40,80 -> 40)". */
static void side_effects(const cs_run_config *old, const cs_run_config *nw, const char *name,
                         char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < cs_param_count() && k < n; i++) {
        const char *p = cs_param_at(i)->name;
        char a[128], b[128];
        if (!strcmp(p, name)) continue;
        cs_param_get(old, p, a, sizeof a);
        cs_param_get(nw, p, b, sizeof b);
        if (!strcmp(a, b)) continue;
        size_t la = strlen(b);
        int cut = !strncmp(a, b, la) && a[la] == ',';   /* a list that lost its tail */
        if (cut)
            k += (size_t)snprintf(out + k, n - k, "%s%s %s -> %s", k ? ", " : " (", p, a, b);
        else
            k += (size_t)snprintf(out + k, n - k, "%s%s %s", k ? ", " : " (", p, b);
    }
    if (k && k + 1 < n) snprintf(out + k, n - k, ")");
}

/* A combination the change makes impossible: why, in the words of the form. */
static void refusal(const cs_run_config *nw, const char *name, const char *why, char *msg, size_t n)
{
    if (strstr(why, "needs the features view")) {
        const char *cell = cs_cell_names[nw->model.cell];
        if (!strcmp(name, "cell"))
            snprintf(msg, n, "refused: cell %s works only in the features view (this is the %s "
                     "view: set view features first)", cell, nw->ds.view == CS_VIEW_FEATURES ? "features" : "sequence");
        else
            snprintf(msg, n, "refused: %s: cell %s needs the features view (set cell gru first)",
                     name, cell);
        return;
    }
    snprintf(msg, n, "refused: %s", why);
}

int tui_set(cs_run_config *cfg, const char *name, const char *value, char *msg, size_t n)
{
    const cs_param *p = cs_param_find(name);
    if (!p) {
        const char *near = nearest_param(name);
        if (near) snprintf(msg, n, "unknown parameter '%s' (did you mean %s?)", name, near);
        else snprintf(msg, n, "unknown parameter '%s' (:set Tab lists them)", name);
        return -1;
    }
    char note[160] = "", val[128];
    if (tui_param_is_path(p->name) && value[0]) {
        struct stat sb;
        if (stat(value, &sb) != 0) {
            snprintf(msg, n, "refused: %s: no file '%.300s' (%s)", p->name, value, strerror(errno));
            return -1;
        }
        if (S_ISDIR(sb.st_mode) || access(value, R_OK) != 0) {
            snprintf(msg, n, "refused: %s: '%.300s' is %s", p->name, value,
                     S_ISDIR(sb.st_mode) ? "a directory, not a file" : "not readable");
            return -1;
        }
    }
    if (!strcmp(p->name, "threads")) {
        char *end;
        long t = strtol(value, &end, 10);
        int cores = tui_cores();
        if (end != value && !*end && t > cores && t <= p->max) {   /* out of range: cs_param_set says so */
            snprintf(note, sizeof note, " (%ld asked: this machine has %d core%s)", t, cores,
                     cores == 1 ? "" : "s");
            snprintf(val, sizeof val, "%d", cores);
            value = val;
        }
    }
    cs_run_config nw = *cfg;
    cs_error err, olderr;
    if (cs_param_set(&nw, p->name, value, &err) != CS_OK) {
        snprintf(msg, n, "refused: %s", err.msg);
        return -1;
    }
    if (!strcmp(p->name, "cell") && nw.model.cell == CS_CELL_LOGREG &&
        cfg->model.cell != CS_CELL_LOGREG) {
        /* logistic regression: the schedule it converges with (as `train --cell logreg`),
         * for the parts still at the networks' defaults; the message lists what changed */
        cs_run_config d;
        cs_run_config_init(&d);
        unsigned keep = (nw.lr != d.lr ? CS_KEEP_LR : 0u) | (nw.epochs != d.epochs ? CS_KEEP_EPOCHS : 0u) |
                        (nw.patience != d.patience ? CS_KEEP_PATIENCE : 0u) |
                        (nw.optim != d.optim ? CS_KEEP_OPTIM : 0u);
        cs_run_config_convex_schedule(&nw, keep);
    } else if (!strcmp(p->name, "cell") && cfg->model.cell == CS_CELL_LOGREG &&
               nw.model.cell != CS_CELL_LOGREG) {
        /* and back: the parts still at logreg's schedule return to the networks' defaults,
         * so stepping through the cells is reversible */
        cs_run_config d, cv;
        cs_run_config_init(&d);
        cv = d;
        cs_run_config_convex_schedule(&cv, 0);
        if (nw.lr == cv.lr) nw.lr = d.lr;
        if (nw.epochs == cv.epochs) nw.epochs = d.epochs;
        if (nw.patience == cv.patience) nw.patience = d.patience;
    }
    /* refused when the change breaks the configuration (a configuration that was already
     * broken in the same way -- set on the command line -- does not block other changes) */
    if (cs_run_config_check(&nw, &err) != CS_OK &&
        (cs_run_config_check(cfg, &olderr) == CS_OK || strcmp(olderr.msg, err.msg))) {
        refusal(&nw, p->name, err.msg, msg, n);
        return -1;
    }
    char side[256], now[128];
    side_effects(cfg, &nw, p->name, side, sizeof side);
    cs_param_get(&nw, p->name, now, sizeof now);
    snprintf(msg, n, "%s = %s%s%s", p->name, now, side, note);
    *cfg = nw;
    return 0;
}

int tui_step(cs_run_config *cfg, const char *name, int dir, char *msg, size_t n)
{
    const cs_param *p = cs_param_find(name);
    if (!p) return tui_set(cfg, name, "", msg, n);
    int tries = p->type == CS_P_ENUM || p->type == CS_P_BOOL ? 32 : 1;
    cs_run_config probe = *cfg;
    char first[512] = "";
    for (int i = 0; i < tries; i++) {
        cs_error err;
        char v[128];
        if (cs_param_step(&probe, p->name, dir, &err) != CS_OK) {
            snprintf(msg, n, "%s", err.msg);
            return -1;
        }
        cs_param_get(&probe, p->name, v, sizeof v);
        char cur[128];
        cs_param_get(cfg, p->name, cur, sizeof cur);
        if (i > 0 && !strcmp(v, cur)) break;   /* round the choices: none fits */
        if (tui_set(cfg, p->name, v, msg, n) == 0) return 0;
        if (!first[0]) snprintf(first, sizeof first, "%s", msg);
    }
    snprintf(msg, n, "%s", first);
    return -1;
}

/* ---- the settings file ---- */
int tui_settings_path(char *out, size_t n)
{
    const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
    int k;
    if (x && x[0] == '/') k = snprintf(out, n, "%s/clickseq/config", x);
    else if (h && h[0]) k = snprintf(out, n, "%s/.config/clickseq/config", h);
    else return -1;
    return k > 0 && (size_t)k < n ? 0 : -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t k = strlen(s);
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r')) s[--k] = '\0';
    return s;
}

/* One line "name = value": 0 (set or blank/comment), -1 with why. */
static int read_line(char *line, cs_run_config *cfg, unsigned long long *named, char *why, size_t n)
{
    char *s = trim(line);
    if (!*s || *s == '#') return 0;
    char *eq = strchr(s, '=');
    if (!eq) { snprintf(why, n, "not 'name = value': '%.60s'", s); return -1; }
    *eq = '\0';
    char *name = trim(s), *value = trim(eq + 1), *dec = NULL;
    if (*value == '"') {
        const char *end;
        if (cs_unquote_value(value, &dec, &end) != 0 || *trim((char *)end)) {
            free(dec);
            snprintf(why, n, "%s: a bad quoted value", name);
            return -1;
        }
        value = dec;
    }
    int rc = tui_set(cfg, name, value, why, n);
    free(dec);
    if (rc == 0 && named) {
        for (size_t i = 0; i < cs_param_count() && i < 64; i++)
            if (cs_param_at(i) == cs_param_find(name)) *named |= 1ull << i;
    }
    return rc;
}

int tui_settings_read(const char *path, cs_run_config *cfg, unsigned long long *named,
                      char *msg, size_t n)
{
    struct stat sb;
    msg[0] = '\0';
    if (stat(path, &sb) != 0 && errno == ENOENT) return 0;
    char *text = NULL;
    size_t len = 0;
    cs_error err;
    /* through cs_slurp: a FIFO or a device there cannot hang or flood the start */
    if (cs_slurp(path, TUI_SETTINGS_MAX, &text, &len, &err) != CS_OK) {
        snprintf(msg, n, "%s (settings ignored)", err.msg);
        return 1;
    }
    int bad = 0;
    long no = 1;
    for (char *line = text, *nl; line < text + len; line = nl + 1, no++) {
        char why[512];
        nl = memchr(line, '\n', (size_t)(text + len - line));
        if (!nl) nl = text + len;
        *nl = '\0';
        if ((size_t)(nl - line) > TUI_SETTINGS_LINE) {   /* longer than any setting */
            snprintf(why, sizeof why, "a line longer than %d bytes", TUI_SETTINGS_LINE);
            if (!bad++) snprintf(msg, n, "%s:%ld: %s (ignored)", path, no, why);
            continue;
        }
        if (read_line(line, cfg, named, why, sizeof why) != 0 && !bad++)
            snprintf(msg, n, "%s:%ld: %s (ignored)", path, no, why);
    }
    free(text);
    if (bad > 1) {
        size_t k = strlen(msg);
        snprintf(msg + k, n - k, "; %d more bad line%s", bad - 1, bad == 2 ? "" : "s");
    }
    return bad;
}

static int make_parent(char *path)
{
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    *slash = '\0';
    int rc = 0;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        rc = make_parent(path);
        if (rc == 0 && mkdir(path, 0700) != 0 && errno != EEXIST) rc = -1;
    }
    *slash = '/';
    return rc;
}

int tui_settings_write(const char *path, const cs_run_config *cfg, const char *skip_data,
                       char *msg, size_t n)
{
    cs_run_config def;
    cs_run_config_init(&def);
    size_t cap = 8192, k = 0;
    char *text = malloc(cap);
    if (!text) { snprintf(msg, n, "out of memory"); return -1; }
    k += (size_t)snprintf(text, cap, "# clickseq workbench settings (:save-settings, and on quit).\n"
                          "# name = value, as :set NAME VALUE; clickseq --no-config ignores this file.\n");
    for (size_t i = 0; i < cs_param_count(); i++) {
        const char *p = cs_param_at(i)->name;
        char v[1100], d[1100];
        if (!strcmp(p, "name")) continue;   /* a run's name is for one run */
        cs_param_get(cfg, p, v, sizeof v);
        cs_param_get(&def, p, d, sizeof d);
        if (!strcmp(v, d)) continue;
        if (!strcmp(p, "data") && skip_data && !strcmp(v, skip_data)) continue;
        char *q = cs_quote_value(v, "");
        if (!q) { free(text); snprintf(msg, n, "out of memory"); return -1; }
        size_t need = strlen(p) + strlen(q) + 8;
        if (k + need >= cap) {
            char *t = realloc(text, cap = 2 * (k + need));
            if (!t) { free(q); free(text); snprintf(msg, n, "out of memory"); return -1; }
            text = t;
        }
        k += (size_t)snprintf(text + k, cap - k, "%s = %s\n", p, q);
        free(q);
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    cs_error err;
    int rc = 0;
    if (make_parent(dir) != 0) {
        snprintf(msg, n, "%s: cannot make its directory (%s)", path, strerror(errno));
        rc = -1;
    } else if (cs_write_file_atomic(path, text, &err) != CS_OK) {
        snprintf(msg, n, "%s", err.msg);
        rc = -1;
    } else {
        snprintf(msg, n, "settings saved to %s", path);
    }
    free(text);
    return rc;
}
