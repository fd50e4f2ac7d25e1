/* cmd_inspect.c — `clickseq inspect`: the data ledger and a summary of a data file, read
 * through the same pipeline as training (so the counts are the ones a run would see). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/commands.h"
#include "clickseq/pipeline.h"

static void inspect_usage(FILE *f)
{
    fprintf(f,
            "usage: clickseq inspect --data FILE [options]\n"
            "Print the data ledger (rows read = used + skipped; sessions seen = kept + dropped)\n"
            "and a summary (sessions, events, positive rate, lengths, event types).\n\n"
            "  --data FILE           events file (CSV/TSV) or features table\n"
            "  --format F            auto (default), rees46, yoochoose, generic, features\n"
            "  --outcomes FILE       yoochoose buys file, or an outcomes file (session[,time])\n"
            "  --map SPEC            generic columns: session=NAME|N,time=..,event=..,item=..,\n"
            "                        category=..,brand=..,price=..,user=..\n"
            "  --purchase-event V    generic: the event value meaning purchase (default purchase)\n"
            "  --header | --no-header   the file has (no) header row (default: by format)\n"
            "  --delim C             field delimiter, e.g. ',' or 'tab' (default: by extension)\n"
            "  --session-gap MIN     no session column: cut per user after MIN minutes (30)\n"
            "  --label COL           features: label column (default Revenue)\n"
            "  --drop COLS           features: comma-separated columns to exclude\n"
            "  --time-col COL        features: column that orders rows in time (e.g. Month)\n"
            "  --skip-bad-rows       skip and count bad rows instead of stopping at the first\n"
            "  --view V              sequence (default) or features\n"
            "  --max-len N           maximum session length (0 = none)\n"
            "  --policy P            truncate (keep the last N, default) or filter (drop longer)\n"
            "  --method M            honest (default) or compat (the study's seed-compatible method)\n"
            "  --json                machine-readable output\n"
            "  -h, --help            this help\n"
            "Exit status: 0 ok, 1 runtime failure, 2 usage or input error.\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "clickseq inspect: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see clickseq inspect --help)\n");
    return 2;
}

static int copy_opt(char *dst, size_t cap, const char *name, const char *v)
{
    if (strlen(v) >= cap)
        return usage_error("value of %s is too long", name);
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* ---- option parsing into a run configuration ---- */

enum { O_DATA = 256, O_FORMAT, O_OUTCOMES, O_MAP, O_PEVENT, O_HEADER, O_NOHEADER, O_DELIM, O_GAP,
       O_LABEL, O_DROP, O_TIMECOL, O_SKIP, O_VIEW, O_MAXLEN, O_POLICY, O_METHOD, O_JSON };

static int parse_choice(const char *v, const char *a, const char *b)
{
    return !strcasecmp(v, a) ? 0 : !strcasecmp(v, b) ? 1 : -1;
}

static int set_option(cs_run_config *c, int opt, const char *v, int *json)
{
    long n;
    double d;
    char *end;
    int k;
    switch (opt) {
    case O_DATA: return copy_opt(c->data, sizeof c->data, "--data", v);
    case O_OUTCOMES: return copy_opt(c->outcomes, sizeof c->outcomes, "--outcomes", v);
    case O_MAP: return copy_opt(c->map, sizeof c->map, "--map", v);
    case O_PEVENT: return copy_opt(c->purchase_event, sizeof c->purchase_event, "--purchase-event", v);
    case O_LABEL: return copy_opt(c->label, sizeof c->label, "--label", v);
    case O_DROP: return copy_opt(c->drop, sizeof c->drop, "--drop", v);
    case O_TIMECOL: return copy_opt(c->time_col, sizeof c->time_col, "--time-col", v);
    case O_FORMAT:
        if ((k = cs_format_parse(v)) < 0)
            return usage_error("unknown format '%s' (auto, rees46, yoochoose, generic, features)", v);
        c->format = (cs_format)k;
        return 0;
    case O_HEADER: c->header = 1; return 0;
    case O_NOHEADER: c->header = 0; return 0;
    case O_DELIM:
        if (!strcasecmp(v, "tab") || !strcmp(v, "\\t"))
            c->delim = '\t';
        else if (strlen(v) == 1)
            c->delim = v[0];
        else
            return usage_error("--delim wants one character or 'tab', not '%s'", v);
        return 0;
    case O_GAP:
        errno = 0;
        d = strtod(v, &end);
        if (errno || end == v || *end || !(d > 0) || d > 1e6)
            return usage_error("--session-gap wants minutes > 0, not '%s'", v);
        c->session_gap_min = d;
        return 0;
    case O_SKIP: c->skip_bad_rows = 1; return 0;
    case O_VIEW:
        if ((k = parse_choice(v, "sequence", "features")) < 0)
            return usage_error("--view wants sequence or features, not '%s'", v);
        c->ds.view = (cs_view)k;
        return 0;
    case O_MAXLEN:
        if (parse_int(v, 0, 1000000, &n))
            return usage_error("--max-len wants an integer 0..1000000, not '%s'", v);
        c->ds.max_len = (int)n;
        return 0;
    case O_POLICY:
        if ((k = parse_choice(v, "truncate", "filter")) < 0)
            return usage_error("--policy wants truncate or filter, not '%s'", v);
        c->ds.policy = (cs_len_policy)k;
        return 0;
    case O_METHOD:
        if ((k = parse_choice(v, "honest", "compat")) < 0 &&
            (k = parse_choice(v, "honest", "seed-compatible")) < 0)
            return usage_error("--method wants honest or compat, not '%s'", v);
        c->ds.method = (cs_method)k;
        return 0;
    case O_JSON: *json = 1; return 0;
    }
    return 2;
}

/* ---- the summary ---- */

typedef struct summary {
    size_t n, pos, steps;
    int has_len;
    cs_length_summary len;
    long *type_all;  /* per event type id: all events read */
    long *type_in;   /* per dataset type id: input steps (sequence view) */
} summary;

static int summarise(const cs_dataset *ds, const cs_events *ev, summary *s)
{
    memset(s, 0, sizeof *s);
    s->n = ds->n;
    for (size_t i = 0; i < ds->n; i++)
        s->pos += ds->label[i];
    s->steps = ds->view == CS_VIEW_SEQUENCE ? ds->n_steps : 0;
    uint32_t nt = ev->types ? cs_intern_count(ev->types) : 0;
    s->type_all = calloc((size_t)nt + 1, sizeof *s->type_all);
    s->type_in = calloc((size_t)(ds->n_types > 0 ? ds->n_types : 0) + 1, sizeof *s->type_in);
    if (!s->type_all || !s->type_in)
        return -1;
    for (size_t i = 0; i < ev->n; i++)
        s->type_all[ev->type[i]]++;
    for (size_t k = 0; ds->view == CS_VIEW_SEQUENCE && k < ds->n_steps; k++)
        s->type_in[ds->type[k]]++;
    s->has_len = cs_dataset_length_summary(ds, &s->len);
    return s->has_len < 0 ? -1 : 0;
}

static void summary_free(summary *s)
{
    free(s->type_all);
    free(s->type_in);
}

/* ---- text output ---- */

static void print_text(const cs_run_config *c, const cs_ledger *l, const cs_dataset *ds,
                       const cs_events *ev, const summary *s)
{
    printf("data: %s (format %s%s%s)\n", c->data, cs_format_name(c->format),
           c->outcomes[0] ? ", outcomes " : "", c->outcomes);
    printf("\nledger\n");
    printf("  rows read              %12ld\n", l->rows_read);
    printf("  rows used              %12ld\n", l->rows_used);
    printf("  rows skipped           %12ld\n", l->rows_skipped);
    for (int r = 0; r < CS_SKIP_NREASONS; r++)
        if (l->skipped[r])
            printf("    %-30s %8ld\n", cs_skip_reason_name((cs_skip_reason)r), l->skipped[r]);
    printf("  sessions seen          %12ld\n", l->sessions_seen);
    printf("  sessions kept          %12ld\n", l->sessions_kept);
    long dropped = 0;
    for (int r = 0; r < CS_DROP_NREASONS; r++)
        dropped += l->sessions_dropped[r];
    printf("  sessions dropped       %12ld\n", dropped);
    for (int r = 0; r < CS_DROP_NREASONS; r++)
        if (l->sessions_dropped[r])
            printf("    %-30s %8ld\n", cs_drop_reason_name((cs_drop_reason)r), l->sessions_dropped[r]);
    printf("  events after purchase  %12ld   (not used as inputs)\n", l->events_after_purchase);
    printf("  purchase events        %12ld\n", l->purchase_events);
    printf("  events truncated       %12ld\n", l->events_truncated);
    printf("  balanced               %12s\n", cs_ledger_balanced(l) ? "yes" : "NO");
    printf("\nsummary (method %s, view %s, max length %d, policy %s)\n",
           c->ds.method == CS_METHOD_COMPAT ? "compat" : "honest",
           ds->view == CS_VIEW_SEQUENCE ? "sequence" : "features", c->ds.max_len,
           c->ds.policy == CS_LEN_FILTER ? "filter" : "truncate");
    printf("  sessions               %12zu\n", s->n);
    printf("  sessions with purchase %12zu   (seen, before any drop)\n", ds->seen_positive);
    printf("  positive rate          %11.2f %%  (%zu of %zu kept)\n",
           s->n ? 100.0 * (double)s->pos / (double)s->n : 0.0, s->pos, s->n);
    if (ds->view == CS_VIEW_SEQUENCE)
        printf("  input events           %12zu\n", s->steps);
    else
        printf("  features               %12zu\n", ds->n_feat);
    const cs_length_summary *L = &s->len;
    if (s->has_len && s->n) {
        printf("\nlength (events per session)  mean %.2f\n", L->mean);
        printf("  min %ld p25 %ld p50 %ld p75 %ld p90 %ld p99 %ld max %ld\n", L->min, L->p25, L->p50,
               L->p75, L->p90, L->p99, L->max);
        long mx = 1;
        for (int b = 0; b < CS_LEN_BINS; b++)
            mx = L->hist[b] > mx ? L->hist[b] : mx;
        for (int b = 0; b < CS_LEN_BINS; b++) {
            if (!L->hist[b])
                continue;
            char lab[32];
            cs_length_bin_label(b, lab, sizeof lab);
            int w = (int)(40.0 * (double)L->hist[b] / (double)mx + 0.999);
            printf("  %8s %9ld ", lab, L->hist[b]);
            for (int i = 0; i < w; i++)
                fputs("#", stdout);
            printf("\n");
        }
    }
    uint32_t nt = ev->types ? cs_intern_count(ev->types) : 0;
    if (nt) {
        printf("\nevent types %25s %12s\n", "all events", ds->view == CS_VIEW_SEQUENCE ? "inputs" : "");
        for (uint32_t t = 1; t <= nt; t++) {
            printf("  %-24s %12ld", cs_intern_str(ev->types, t), s->type_all[t]);
            if (ds->view == CS_VIEW_SEQUENCE && (int)t <= ds->n_types)
                printf(" %12ld", s->type_in[t]);
            printf("\n");
        }
    }
}

/* ---- JSON output ---- */

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static void print_json(const cs_run_config *c, const cs_ledger *l, const cs_dataset *ds,
                       const cs_events *ev, const summary *s)
{
    static const char *const skip_keys[CS_SKIP_NREASONS] = {
        "columns", "time", "number", "quoting", "nul", "long_field", "missing", "unknown_event"};
    static const char *const drop_keys[CS_DROP_NREASONS] = {"empty_before_purchase", "too_short",
                                                            "too_long"};
    printf("{\"data\":");
    json_str(c->data);
    printf(",\"format\":\"%s\",\"method\":\"%s\",\"view\":\"%s\",\"max_len\":%d,\"policy\":\"%s\",",
           cs_format_name(c->format), c->ds.method == CS_METHOD_COMPAT ? "compat" : "honest",
           ds->view == CS_VIEW_SEQUENCE ? "sequence" : "features", c->ds.max_len,
           c->ds.policy == CS_LEN_FILTER ? "filter" : "truncate");
    printf("\"ledger\":{\"rows_read\":%ld,\"rows_used\":%ld,\"rows_skipped\":%ld,\"skipped\":{",
           l->rows_read, l->rows_used, l->rows_skipped);
    for (int r = 0; r < CS_SKIP_NREASONS; r++)
        printf("%s\"%s\":%ld", r ? "," : "", skip_keys[r], l->skipped[r]);
    printf("},\"sessions_seen\":%ld,\"sessions_kept\":%ld,\"sessions_dropped\":{", l->sessions_seen,
           l->sessions_kept);
    for (int r = 0; r < CS_DROP_NREASONS; r++)
        printf("%s\"%s\":%ld", r ? "," : "", drop_keys[r], l->sessions_dropped[r]);
    printf("},\"events_after_purchase\":%ld,\"purchase_events\":%ld,\"events_truncated\":%ld,"
           "\"balanced\":%s},",
           l->events_after_purchase, l->purchase_events, l->events_truncated,
           cs_ledger_balanced(l) ? "true" : "false");
    printf("\"summary\":{\"sessions\":%zu,\"positives\":%zu,\"positive_rate\":%.6f,"
           "\"seen_positive\":%zu,\"input_events\":%zu,\"features\":%zu",
           s->n, s->pos, s->n ? (double)s->pos / (double)s->n : 0.0, ds->seen_positive, s->steps,
           ds->view == CS_VIEW_FEATURES ? ds->n_feat : 0);
    const cs_length_summary *L = &s->len;
    if (s->has_len && s->n) {
        printf(",\"length\":{\"mean\":%.4f,\"min\":%ld,\"p25\":%ld,\"p50\":%ld,\"p75\":%ld,"
               "\"p90\":%ld,\"p99\":%ld,\"max\":%ld,\"histogram\":[",
               L->mean, L->min, L->p25, L->p50, L->p75, L->p90, L->p99, L->max);
        for (int b = 0; b < CS_LEN_BINS; b++) {
            char lab[32];
            printf("%s{\"bin\":\"%s\",\"sessions\":%ld}", b ? "," : "",
                   cs_length_bin_label(b, lab, sizeof lab), L->hist[b]);
        }
        printf("]}");
    }
    printf(",\"event_types\":[");
    uint32_t nt = ev->types ? cs_intern_count(ev->types) : 0;
    for (uint32_t t = 1; t <= nt; t++) {
        printf("%s{\"type\":", t > 1 ? "," : "");
        json_str(cs_intern_str(ev->types, t));
        printf(",\"events\":%ld", s->type_all[t]);
        if (ds->view == CS_VIEW_SEQUENCE && (int)t <= ds->n_types)
            printf(",\"inputs\":%ld", s->type_in[t]);
        printf("}");
    }
    printf("]}}\n");
}

int cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, O_DATA},       {"format", required_argument, 0, O_FORMAT},
        {"outcomes", required_argument, 0, O_OUTCOMES}, {"map", required_argument, 0, O_MAP},
        {"purchase-event", required_argument, 0, O_PEVENT}, {"header", no_argument, 0, O_HEADER},
        {"no-header", no_argument, 0, O_NOHEADER},    {"delim", required_argument, 0, O_DELIM},
        {"session-gap", required_argument, 0, O_GAP}, {"label", required_argument, 0, O_LABEL},
        {"drop", required_argument, 0, O_DROP},       {"time-col", required_argument, 0, O_TIMECOL},
        {"skip-bad-rows", no_argument, 0, O_SKIP},    {"view", required_argument, 0, O_VIEW},
        {"max-len", required_argument, 0, O_MAXLEN},  {"policy", required_argument, 0, O_POLICY},
        {"method", required_argument, 0, O_METHOD},   {"json", no_argument, 0, O_JSON},
        {"help", no_argument, 0, 'h'},                {0, 0, 0, 0}};
    cs_run_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.format = CS_FMT_AUTO;
    cfg.header = -1;
    cfg.session_gap_min = 30;
    cs_dataset_opts_init(&cfg.ds);
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            inspect_usage(stdout);
            return 0;
        }
        if (c == '?' || c == ':')
            return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
        if (set_option(&cfg, c, optarg, &json))
            return 2;
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!cfg.data[0])
        return usage_error("%s", "--data FILE is required");
    cs_dataset ds;
    cs_ledger led;
    cs_events ev;
    cs_error err;
    cs_status st = cs_pipeline_load(&cfg, &ds, &led, &ev, &err);
    if (st != CS_OK) {
        fprintf(stderr, "clickseq: %s\n", err.msg);
        return cs_status_exit_code(st);
    }
    summary s;
    int rc = 0;
    if (summarise(&ds, &ev, &s)) {
        fprintf(stderr, "clickseq: out of memory summarising %s\n", cfg.data);
        rc = 1;
    } else if (json) {
        print_json(&cfg, &led, &ds, &ev, &s);
    } else {
        print_text(&cfg, &led, &ds, &ev, &s);
    }
    summary_free(&s);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
    return rc;
}
