/* cmdline.c — parse the ':' command line into a tui_cmd (pure; see cmdline.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/cmdline.h"
#include "app/tui/settings.h"

typedef struct cmd_def {
    const char *name;
    tui_cmd_kind kind;
    int min, max;         /* argument counts */
    const char *usage;
} cmd_def;

static const cmd_def defs[] = {
    {"load", CMD_LOAD, 1, 8, "load FILE [FORMAT] [OUTCOMES] [NAME=VALUE...]"},
    {"set", CMD_SET, 2, 2, "set NAME VALUE"},
    {"train", CMD_TRAIN, 0, 8, "train [CELL...] [seeds=N]"},
    {"queue", CMD_QUEUE, 1, 8, "queue CELL..."},
    {"pause", CMD_PAUSE, 0, 0, "pause"},
    {"resume", CMD_RESUME, 0, 0, "resume"},
    {"stop", CMD_STOP, 0, 0, "stop"},
    {"save", CMD_SAVE, 0, 1, "save [NAME]"},
    {"save-settings", CMD_SAVE_SETTINGS, 0, 0, "save-settings"},
    {"preset", CMD_PRESET, 1, 1, "preset best|default|study-rnn|study-gru|study-lstm"},
    {"compare", CMD_COMPARE, 0, TUI_CMD_MAXARGS, "compare [RUN...]"},
    {"replay", CMD_REPLAY, 0, 2, "replay [RUN [SPEED]]"},
    {"sweep", CMD_SWEEP, 1, 8, "sweep NAME=V1,V2 ..."},
    {"view", CMD_VIEW, 0, 1, "view [loss|metrics|data]"},
    {"focus", CMD_FOCUS, 0, 1, "focus [form|runs|plot]"},
    {"main", CMD_MAIN, 0, 0, "main"},
    {"help", CMD_HELP, 0, 1, "help"},
    {"quit", CMD_QUIT, 0, 0, "quit"},
    {"mark", CMD_MARK, 0, 1, "mark [RUN]"},
    {"step", CMD_STEP, 1, 1, "step N"},
    {"speed", CMD_SPEED, 1, 1, "speed X"},
    {"early", CMD_EARLY, 0, 2, "early [RUN] [K]"},
    {"plot", CMD_PLOT, 0, 2, "plot [x epoch|step|time | smooth 0..0.99 | log [on|off] | hide|show|toggle batch|train|valid|f1|pr-auc | cursor [on|off]]"},
    {"export", CMD_EXPORT, 1, 1, "export FILE.csv|FILE.md|FILE.json"},
    {"back", CMD_BACK, 0, 0, "back"},
    {"library", CMD_LIBRARY, 0, 0, "library"},
    {"rename", CMD_RENAME, 1, 1, "rename NEW"},
    {"delete", CMD_DELETE, 0, 0, "delete"},
    {"sweeps", CMD_SWEEPS, 0, 1, "sweeps [DIR]"},
    {"watch", CMD_WATCH, 0, 0, "watch"},
};
#define NDEFS (sizeof defs / sizeof defs[0])

const char *const tui_cmd_words[] = {"load", "set", "train", "queue", "pause", "resume", "stop",
                                     "save", "save-settings", "preset", "compare", "replay", "sweep", "view", "focus",
                                     "main", "help", "quit", "mark", "step", "speed",
                                     "early", "plot", "export", "back", "library", "rename", "delete", "sweeps", "watch", NULL};

const char *tui_cmd_name(tui_cmd_kind k)
{
    for (size_t i = 0; i < NDEFS; i++)
        if (defs[i].kind == k)
            return defs[i].name;
    return "";
}

int tui_cmd_split(const char *line, char words[][TUI_CMD_ARGLEN], int max, char *msg, size_t n)
{
    int count = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '\n')
            return count;
        if (count == max) {
            snprintf(msg, n, "too many words (at most %d)", max);
            return -1;
        }
        size_t k = 0;
        char q = 0;
        while (*p && (q || (*p != ' ' && *p != '\t' && *p != '\n'))) {
            char c = *p++;
            if (!q && (c == '"' || c == '\'')) { q = c; continue; }
            if (q && c == q) { q = 0; continue; }
            if (c == '\\' && q != '\'' && *p) c = *p++;
            if (k + 1 >= TUI_CMD_ARGLEN) {
                snprintf(msg, n, "word %d is too long", count + 1);
                return -1;
            }
            words[count][k++] = c;
        }
        if (q) {
            snprintf(msg, n, "unbalanced %c quote", q);
            return -1;
        }
        words[count][k] = '\0';
        count++;
    }
}

static const cmd_def *find_def(const char *w, char *msg, size_t n)
{
    const cmd_def *hit = NULL;
    size_t len = strlen(w);
    if (!strcmp(w, "q"))      /* abbreviations kept from before the commands they clash with */
        w = "quit";           /* (queue) */
    else if (!strcmp(w, "e"))
        w = "early";          /* (export) */
    else if (!strcmp(w, "l"))
        w = "load";           /* (library) */
    for (size_t i = 0; i < NDEFS; i++) {
        if (!strcmp(defs[i].name, w))
            return &defs[i];
        if (!strncmp(defs[i].name, w, len)) {
            if (hit) {
                snprintf(msg, n, "'%s' is ambiguous (%s, %s, ...)", w, hit->name, defs[i].name);
                return NULL;
            }
            hit = &defs[i];
        }
    }
    if (!hit)
        snprintf(msg, n, "unknown command '%s' (try :help)", w);
    return hit;
}

/* Strict positive number: no trailing junk, finite. */
static int parse_speed(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v <= 0 || v > 1000)
        return -1;
    *out = v;
    return 0;
}

int tui_cmd_parse(const char *line, tui_cmd *out, char *msg, size_t n)
{
    static char words[TUI_CMD_MAXARGS + 1][TUI_CMD_ARGLEN];
    memset(out, 0, sizeof *out);
    out->speed = 2.0;
    int wc = tui_cmd_split(line, words, TUI_CMD_MAXARGS + 1, msg, n);
    if (wc < 0)
        return -1;
    if (wc == 0)
        return 0;
    const cmd_def *d = find_def(words[0], msg, n);
    if (!d)
        return -1;
    int argc = wc - 1;
    if (d->kind == CMD_SET && argc > 2) {   /* `set name my run`: say the rule */
        snprintf(msg, n, "set: one value per parameter; quote a value with blanks: set %s \"%s %s%s\"",
                 words[1], words[2], words[3], argc > 3 ? " ..." : "");
        return -1;
    }
    if (argc < d->min || argc > d->max) {
        snprintf(msg, n, "usage: %s", d->usage);
        return -1;
    }
    out->kind = d->kind;
    out->argc = argc;
    for (int i = 0; i < argc; i++)
        memcpy(out->argv[i], words[i + 1], TUI_CMD_ARGLEN);
    if (d->kind == CMD_REPLAY && argc == 2 && parse_speed(out->argv[1], &out->speed)) {
        snprintf(msg, n, "replay: speed '%s' must be a number of epochs per second in (0, 1000]",
                 out->argv[1]);
        return -1;
    }
    if (d->kind == CMD_SPEED && parse_speed(out->argv[0], &out->speed)) {
        snprintf(msg, n, "speed: '%s' must be a number of epochs per second in (0, 1000]", out->argv[0]);
        return -1;
    }
    if (d->kind == CMD_STEP) {
        char *end;
        errno = 0;
        long v = strtol(out->argv[0], &end, 10);
        if (end == out->argv[0] || *end || errno || v < -100000 || v > 100000) {
            snprintf(msg, n, "step: '%s' is not a whole number of epochs", out->argv[0]);
            return -1;
        }
        out->step = (int)v;
    }
    if (d->kind == CMD_EARLY) {
        out->k = 20;
        /* a last argument that is a number is K; a run name before it (or alone) */
        if (argc >= 1 && strspn(out->argv[argc - 1], "0123456789") == strlen(out->argv[argc - 1])) {
            long v = strtol(out->argv[argc - 1], NULL, 10);
            if (strlen(out->argv[argc - 1]) > 3 || v < 1 || v > 100) {
                snprintf(msg, n, "early: K '%s' must be a number of events in 1..100", out->argv[argc - 1]);
                return -1;
            }
            out->k = (int)v;
            out->argc = --argc;
        } else if (argc == 2) {
            snprintf(msg, n, "early: K '%s' must be a number of events in 1..100", out->argv[1]);
            return -1;
        }
    }
    if (d->kind == CMD_SWEEP)
        for (int i = 0; i < argc; i++) {
            const char *eq = strchr(out->argv[i], '=');
            /* at least one value: "lr=," has none (and would divide by zero in do_sweep) */
            if (!eq || eq == out->argv[i] || !eq[1 + strspn(eq + 1, ",")]) {
                snprintf(msg, n, "sweep: '%s' is not NAME=V1,V2,...", out->argv[i]);
                return -1;
            }
        }
    if (d->kind == CMD_VIEW && argc == 1 && strcmp(out->argv[0], "loss") &&
        strcmp(out->argv[0], "metrics") && strcmp(out->argv[0], "data")) {
        snprintf(msg, n, "view: '%s' is not loss, metrics or data", out->argv[0]);
        return -1;
    }
    if (d->kind == CMD_FOCUS && argc == 1 && strcmp(out->argv[0], "form") &&
        strcmp(out->argv[0], "runs") && strcmp(out->argv[0], "plot")) {
        snprintf(msg, n, "focus: '%s' is not form, runs or plot", out->argv[0]);
        return -1;
    }
    return 0;
}

tui_compl_kind tui_complete_kind(const char *before, char *param, size_t n)
{
    static char words[TUI_CMD_MAXARGS + 1][TUI_CMD_ARGLEN];
    char msg[128];
    int wc = tui_cmd_split(before, words, TUI_CMD_MAXARGS + 1, msg, sizeof msg);
    if (wc < 0)
        return COMPL_NONE;
    if (wc == 0)
        return COMPL_COMMAND;
    const cmd_def *d = find_def(words[0], msg, sizeof msg);
    if (!d)
        return COMPL_NONE;
    switch (d->kind) {
    case CMD_LOAD: return wc == 1 || wc == 3 ? COMPL_FILE : wc == 2 ? COMPL_FORMAT : COMPL_NONE;
    case CMD_SET:
        if (wc == 1) return COMPL_PARAM;
        if (wc == 2) {
            snprintf(param, n, "%s", words[1]);
            /* a path parameter completes as a path (Readline's file names) */
            return tui_param_is_path(words[1]) ? COMPL_FILE : COMPL_VALUE;
        }
        return COMPL_NONE;
    case CMD_TRAIN: case CMD_QUEUE: return COMPL_CELL;
    case CMD_SWEEP: return COMPL_PARAM;
    case CMD_COMPARE: return wc <= 4 ? COMPL_RUN : COMPL_NONE;
    case CMD_REPLAY: case CMD_MARK: case CMD_EARLY: return wc == 1 ? COMPL_RUN : COMPL_NONE;
    case CMD_SAVE: return COMPL_NONE;
    case CMD_EXPORT: case CMD_SWEEPS: return wc == 1 ? COMPL_FILE : COMPL_NONE;
    case CMD_VIEW: return wc == 1 ? COMPL_VIEW : COMPL_NONE;
    case CMD_FOCUS: return wc == 1 ? COMPL_FOCUS : COMPL_NONE;
    default: return COMPL_NONE;
    }
}
