/* cmd_inspect.c — `clickseq inspect`: the data ledger and a summary of a data file, read
 * through the same pipeline as training (so the counts are the ones a run would see). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/progress.h"
#include "app/commands.h"
#include "clickseq/pipeline.h"
#include "clickseq/quote.h"

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
    s->steps = CS_VIEW_HAS_STEPS(ds->view) ? ds->n_steps : 0;
    uint32_t nt = ev->types ? cs_intern_count(ev->types) : 0;
    s->type_all = calloc((size_t)nt + 1, sizeof *s->type_all);
    s->type_in = calloc((size_t)(ds->n_types > 0 ? ds->n_types : 0) + 1, sizeof *s->type_in);
    if (!s->type_all || !s->type_in)
        return -1;
    for (size_t i = 0; i < ev->n; i++)
        s->type_all[ev->type[i]]++;
    for (size_t k = 0; CS_VIEW_HAS_STEPS(ds->view) && k < ds->n_steps; k++)
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
    char data[1100], outc[1100];
    printf("data: %s (format %s%s%s)\n", cs_show_str(data, sizeof data, c->data), cs_format_name(c->format),
           c->outcomes[0] ? ", outcomes " : "", cs_show_str(outc, sizeof outc, c->outcomes));
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
           cs_view_name(ds->view), c->ds.max_len,
           c->ds.policy == CS_LEN_FILTER ? "filter" : "truncate");
    printf("  sessions               %12zu\n", s->n);
    printf("  sessions with purchase %12zu   (seen, before any drop)\n", ds->seen_positive);
    printf("  positive rate          %11.2f %%  (%zu of %zu kept)\n",
           s->n ? 100.0 * (double)s->pos / (double)s->n : 0.0, s->pos, s->n);
    if (CS_VIEW_HAS_STEPS(ds->view))
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
        printf("\nevent types %25s %12s\n", "all events", CS_VIEW_HAS_STEPS(ds->view) ? "inputs" : "");
        for (uint32_t t = 1; t <= nt; t++) {
            char shown[256];   /* a crafted type name must not drive the terminal */
            printf("  %-24s %12ld", cs_show_str(shown, sizeof shown, cs_intern_str(ev->types, t)),
                   s->type_all[t]);
            if (CS_VIEW_HAS_STEPS(ds->view) && (int)t <= ds->n_types)
                printf(" %12ld", s->type_in[t]);
            printf("\n");
        }
    }
}

/* ---- JSON output ---- */

static void print_json(const cs_run_config *c, const cs_ledger *l, const cs_dataset *ds,
                       const cs_events *ev, const summary *s)
{
    static const char *const skip_keys[CS_SKIP_NREASONS] = {
        "columns", "time", "number", "quoting", "nul", "long_field", "missing", "unknown_event"};
    static const char *const drop_keys[CS_DROP_NREASONS] = {"empty_before_purchase", "too_short",
                                                            "too_long"};
    printf("{\"data\":");
    cli_json_str(stdout, c->data);
    printf(",\"format\":\"%s\",\"method\":\"%s\",\"view\":\"%s\",\"max_len\":%d,\"policy\":\"%s\",",
           cs_format_name(c->format), c->ds.method == CS_METHOD_COMPAT ? "compat" : "honest",
           cs_view_name(ds->view), c->ds.max_len,
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
           CS_VIEW_HAS_FEAT(ds->view) ? ds->n_feat : 0);
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
        cli_json_str(stdout, cs_intern_str(ev->types, t));
        printf(",\"events\":%ld", s->type_all[t]);
        if (CS_VIEW_HAS_STEPS(ds->view) && (int)t <= ds->n_types)
            printf(",\"inputs\":%ld", s->type_in[t]);
        printf("}");
    }
    printf("]}}\n");
}

/* inspect's defaults: a run's data options (so the counts are the ones a run would see),
 * but no length limit: the data as it is unless --max-len is given. */
static void inspect_defaults(cs_run_config *cfg)
{
    cs_run_config_init(cfg);
    cfg->ds.max_len = 0;
}

int cmd_inspect(int argc, char **argv)
{
    int json = 0, quiet = 0;
    const cli_opt opts[] = {{"json", NULL, "machine-readable output", NULL, &json},
                            {"quiet", NULL, "no progress line on stderr (drawn only on a terminal)", NULL, &quiet}};
    const cli_spec sp = {"inspect", "--data FILE [data parameters] [--json]",
                         "Print the data ledger (rows read = used + skipped; sessions seen = kept + "
                         "dropped)\nand a summary (sessions, events, positive rate, lengths, event types).",
                         opts, 2, CLI_DATA, 0};
    cs_run_config cfg;
    inspect_defaults(&cfg);
    cli_args a;
    int rc = cli_begin(&sp, argc, argv, &cfg, &a);
    if (rc >= 0)
        return rc;
    cs_error err;
    if (!cfg.data[0]) {
        cs_error_fmt(&err, CS_EINPUT, "inspect: --data FILE is required (see --help)");
        return cli_report(&err);
    }
    cs_dataset ds;
    cs_ledger led;
    cs_events ev;
    app_loadbar lb;
    app_loadbar_init(&lb, quiet, cfg.data);
    /* the types are enough: the events are consumed as the sessions are built */
    cs_status ls = cs_pipeline_load_lean_progress(&cfg, &ds, &led, &ev, app_loadbar_cb, &lb, &err);
    app_loadbar_done(&lb);
    if (ls != CS_OK)
        return cli_report(&err);
    summary s;
    rc = 0;
    if (summarise(&ds, &ev, &s)) {
        cs_error_fmt(&err, CS_ENOMEM, "out of memory summarising %s", cfg.data);
        rc = cli_report(&err);
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
