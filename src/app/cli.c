/* cli.c — options from the parameter table (see cli.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "clickseq/csvfield.h"

static const cli_opt *find_opt(const cli_spec *sp, const char *name, size_t len)
{
    for (size_t i = 0; i < sp->n_opts; i++)
        if (strlen(sp->opts[i].name) == len && !strncmp(sp->opts[i].name, name, len))
            return &sp->opts[i];
    return NULL;
}

static const cs_param *find_param(const cli_spec *sp, const char *name, size_t len)
{
    char buf[64];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, name, len);
    buf[len] = '\0';
    const cs_param *p = cs_param_find(buf);
    if (p && (sp->groups & (1u << p->group)))
        return p;
    return NULL;
}

/* An enum parameter with the choices "yes" and "no" (header) also works as a flag:
 * `--header` = yes, `--no-header` = no. */
static int yes_no_enum(const cs_param *p)
{
    int yes = 0, no = 0;
    for (int i = 0; p->type == CS_P_ENUM && p->choices[i]; i++) {
        yes |= !strcmp(p->choices[i], "yes");
        no |= !strcmp(p->choices[i], "no");
    }
    return yes && no;
}

static int record(cli_args *a, const char *name, const char *value, cs_error *err)
{
    if (a->n_set >= CLI_MAX_SET)
        return cs_error_fmt(err, CS_EINPUT, "too many options"), CLI_ERROR;
    a->set_name[a->n_set] = name;
    a->set_value[a->n_set] = value;
    a->n_set++;
    return CLI_OK;
}

/* One "--..." argument at argv[*i]; may consume the next one as its value. */
static int parse_one(const cli_spec *sp, int argc, char **argv, int *i, cli_args *a, cs_error *err)
{
    const char *arg = argv[*i] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const char *val = eq ? eq + 1 : NULL;

    const cli_opt *o = find_opt(sp, arg, len);
    const cs_param *p = o ? NULL : find_param(sp, arg, len);
    int negated = 0;
    if (!o && !p && len > 3 && !strncmp(arg, "no-", 3)) {
        p = find_param(sp, arg + 3, len - 3);
        negated = p && (p->type == CS_P_BOOL || yes_no_enum(p)) && !val;
        if (!negated)
            p = NULL;
    }
    if (!o && !p && !(len == 6 && !strncmp(arg, "preset", 6)))
        return cs_error_fmt(err, CS_EINPUT, "%s: unknown option '--%.*s' (see --help)", sp->cmd,
                            (int)len, arg), CLI_ERROR;
    /* a yes/no enum is a flag when no value follows: `--header --data F` */
    int is_flag = o ? o->metavar == NULL
                    : (p && (p->type == CS_P_BOOL || negated ||
                             (yes_no_enum(p) && (*i + 1 >= argc || !strncmp(argv[*i + 1], "--", 2)))));
    if (is_flag && !val) {
        if (o) {
            *o->flag = 1;
            return CLI_OK;
        }
        return record(a, p->name, negated ? "no" : "yes", err);
    }
    if (o && is_flag)
        return cs_error_fmt(err, CS_EINPUT, "%s: option '--%s' takes no value", sp->cmd, o->name),
               CLI_ERROR;
    if (!val) {
        if (*i + 1 >= argc)
            return cs_error_fmt(err, CS_EINPUT, "%s: option '--%.*s' needs a value", sp->cmd,
                                (int)len, arg), CLI_ERROR;
        val = argv[++*i];
    }
    if (o) {
        *o->value = val;
        return CLI_OK;
    }
    if (!p) {
        a->preset = val;
        return CLI_OK;
    }
    return record(a, p->name, val, err);
}

cs_status cli_apply(const cli_args *a, cs_run_config *c, cs_error *err)
{
    cs_status s;
    if (a->preset && (s = cs_run_config_preset(c, a->preset, err)) != CS_OK)
        return s;
    for (int k = 0; k < a->n_set; k++) {
        /* "layers" after "hidden 40,80" must not undo the list, and a single hidden
         * size before "layers" must cover every layer: the setters handle both. */
        if ((s = cs_param_set(c, a->set_name[k], a->set_value[k], err)) != CS_OK)
            return s;
    }
    /* logistic regression is convex: unless the user chose a schedule, give it the one it
     * converges with (the baseline's), not the networks' */
    if (c->model.cell == CS_CELL_LOGREG)
        cs_run_config_convex_schedule(c, cli_schedule_keep(a));
    return CS_OK;
}

unsigned cli_schedule_keep(const cli_args *a)
{
    unsigned keep = 0;
    for (int k = 0; k < a->n_set; k++)
        keep |= cs_convex_keep_bit(a->set_name[k]);
    return keep;
}

int cli_parse(const cli_spec *sp, int argc, char **argv, cs_run_config *cfg, cli_args *a,
              cs_error *err)
{
    memset(a, 0, sizeof *a);
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_pos && (!strcmp(arg, "--help") || !strcmp(arg, "-h")))
            return CLI_HELP;
        if (!only_pos && !strcmp(arg, "--")) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && arg[0] == '-' && arg[1] == '-') {
            int r = parse_one(sp, argc, argv, &i, a, err);
            if (r != CLI_OK)
                return r;
            continue;
        }
        if (!only_pos && arg[0] == '-' && arg[1])
            return cs_error_fmt(err, CS_EINPUT, "%s: unknown option '%s' (see --help)", sp->cmd, arg),
                   CLI_ERROR;
        if (a->n_pos >= sp->max_pos)
            return cs_error_fmt(err, CS_EINPUT, "%s: unexpected argument '%s'", sp->cmd, arg),
                   CLI_ERROR;
        a->pos[a->n_pos++] = argv[i];
    }
    if (cfg && cli_apply(a, cfg, err) != CS_OK)
        return CLI_ERROR;
    return CLI_OK;
}

static void help_param(const cs_param *p, const cs_run_config *cfg, FILE *f)
{
    char val[600], left[64];
    cs_param_get(cfg, p->name, val, sizeof val);
    if (p->type == CS_P_BOOL)
        snprintf(left, sizeof left, "--[no-]%s", p->name);
    else if (yes_no_enum(p))
        snprintf(left, sizeof left, "--%s [CHOICE]", p->name);
    else
        snprintf(left, sizeof left, "--%s %s", p->name,
                 p->type == CS_P_ENUM ? "CHOICE" : p->type == CS_P_STRING ? "TEXT"
                 : p->type == CS_P_INTLIST ? "N[,N..]" : "N");
    fprintf(f, "  %-26s %s", left, p->help);
    if (p->type == CS_P_ENUM) {
        fputs(" (", f);
        for (int i = 0; p->choices[i]; i++)
            fprintf(f, "%s%s", i ? ", " : "", p->choices[i]);
        if (yes_no_enum(p))
            fprintf(f, "; --%s alone = yes, --no-%s = no", p->name, p->name);
        fputc(')', f);
    }
    if (val[0])
        fprintf(f, " [%s]", val);
    fputc('\n', f);
}

void cli_help(const cli_spec *sp, const cs_run_config *cfg, FILE *f)
{
    static const char *const group_names[] = {"data", "model", "training"};
    fprintf(f, "usage: clickseq %s %s\n%s\n", sp->cmd, sp->usage, sp->summary);
    if (sp->n_opts) {
        fprintf(f, "\noptions:\n");
        for (size_t i = 0; i < sp->n_opts; i++) {
            char left[64];
            snprintf(left, sizeof left, "--%s%s%s", sp->opts[i].name, sp->opts[i].metavar ? " " : "",
                     sp->opts[i].metavar ? sp->opts[i].metavar : "");
            fprintf(f, "  %-26s %s\n", left, sp->opts[i].help);
        }
    }
    for (int g = 0; g < 3; g++) {
        if (!(sp->groups & (1u << g)))
            continue;
        fprintf(f, "\n%s parameters [current value]:\n", group_names[g]);
        if (g == 2 || (g == 1 && !(sp->groups & CLI_TRAIN)))
            fprintf(f, "  %-26s %s\n", "--preset NAME",
                    "start from a preset: best, study-rnn, study-gru, study-lstm, default");
        for (size_t i = 0; i < cs_param_count(); i++) {
            const cs_param *p = cs_param_at(i);
            if (p->group == g)
                help_param(p, cfg, f);
        }
    }
}

int cli_begin(const cli_spec *sp, int argc, char **argv, cs_run_config *cfg, cli_args *a)
{
    cs_error err;
    switch (cli_parse(sp, argc, argv, cfg, a, &err)) {
    case CLI_HELP:
        if (cfg) {
            cli_help(sp, cfg, stdout);
        } else {
            cs_run_config defaults;
            cs_run_config_init(&defaults);
            cli_help(sp, &defaults, stdout);
        }
        return 0;
    case CLI_ERROR:
        return cli_report(&err);
    }
    return -1;
}

int cli_start(const cli_spec *sp, int argc, char **argv, cs_run_config *cfg, cs_error *err,
              cli_args *a)
{
    cs_run_config_init(cfg);
    cs_error_clear(err);
    return cli_begin(sp, argc, argv, NULL, a);   /* --help (defaults), usage errors */
}

int cli_long(const cli_spec *sp, const char *opt, const char *s, long lo, long hi, long *out,
             cs_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return cs_error_fmt(err, CS_EINPUT, "%s: --%s wants an integer in %ld..%ld, not '%s'", sp->cmd,
                            opt, lo, hi, s), -1;
    *out = v;
    return 0;
}

int cli_report(const cs_error *err)
{
    fprintf(stderr, "clickseq: %s\n", err->msg);
    return cs_status_exit_code(err->code == CS_OK ? CS_ERUNTIME : err->code);
}

void cli_json_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
    else
        fputs("null", f);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one (a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate, > U+10FFFF). */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) ||
        (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))))
        return 0;
    return n;
}

void cli_json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p) {
        unsigned char c = *p;
        int n = c < 0x80 ? 1 : utf8_len(p);
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || n == 0)   /* control, or a byte that is not UTF-8 (read as Latin-1) */
            fprintf(f, "\\u%04x", c);
        else
            fwrite(p, 1, (size_t)n, f);
        p += n ? n : 1;
    }
    fputc('"', f);
}

static void put_file(void *ud, const char *p, size_t n)
{
    fwrite(p, 1, n, ud);
}

void cli_csv_str(FILE *f, const char *s)
{
    cs_csv_field(s, put_file, f);
}

void cli_json_metrics(FILE *f, const cs_metrics *m)
{
    static const char *const names[] = {"threshold", "accuracy", "precision", "recall", "f1",
                                        "roc_auc", "pr_auc", "loss"};
    const double v[] = {m->threshold, m->accuracy, m->precision, m->recall, m->f1,
                        m->roc_auc, m->pr_auc, m->loss};
    for (int i = 0; i < 8; i++) {
        fprintf(f, "\"%s\":", names[i]);
        cli_json_num(f, v[i]);
        fputc(',', f);
    }
    fprintf(f, "\"n\":%ld,\"positives\":%ld,\"tp\":%ld,\"fp\":%ld,\"tn\":%ld,\"fn\":%ld", m->n,
            m->positives, m->cm.tp, m->cm.fp, m->cm.tn, m->cm.fn);
}

void cli_json_epoch(FILE *f, const cs_epoch *e)
{
    fprintf(f, "{\"epoch\":%d,\"train_loss\":", e->epoch);
    cli_json_num(f, e->train_loss);
    fputs(",\"valid_loss\":", f);
    cli_json_num(f, e->valid_loss);
    fputc(',', f);
    cli_json_metrics(f, &e->valid);
    fputs(",\"seconds\":", f);
    cli_json_num(f, e->seconds);
    fputs(",\"events_per_s\":", f);
    cli_json_num(f, e->events_per_s);
    fputc('}', f);
}

void cli_print_metrics(FILE *f, const char *label, const cs_metrics *m)
{
    fprintf(f, "%s: F1 %.4f  precision %.4f  recall %.4f  PR-AUC %.4f  ROC-AUC %.4f  accuracy %.4f"
               "  @ threshold %.4g\n",
            label, m->f1, m->precision, m->recall, m->pr_auc, m->roc_auc, m->accuracy, m->threshold);
    fprintf(f, "%*s  confusion: tp %ld  fp %ld  tn %ld  fn %ld  (%ld sessions, %ld positive)\n",
            (int)strlen(label), "", m->cm.tp, m->cm.fp, m->cm.tn, m->cm.fn, m->n, m->positives);
}
