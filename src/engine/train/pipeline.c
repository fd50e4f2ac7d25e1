/* pipeline.c — run configuration -> dataset (see pipeline.h): load the events (or the
 * features table) exactly as configured, then sessionise with cfg->ds.  Every command and
 * the workbench read data through here, so they all count and cut sessions the same way. */
#include "clickseq/pipeline.h"

#include <string.h>

#include "clickseq/sniff.h"
#include "clickseq/table.h"

cs_status cs_pipeline_resolve(const cs_run_config *cfg, cs_pipeline_guess *g, cs_error *err)
{
    memset(g, 0, sizeof *g);
    g->format = cfg->format;
    g->delim = cfg->delim;
    if (cfg->format == CS_FMT_AUTO && cfg->map[0])
        g->format = CS_FMT_GENERIC;   /* a mapping names the columns: generic */
    if (cfg->delim && g->format != CS_FMT_AUTO)
        return CS_OK;
    cs_sniff sn;
    const char *label = cfg->label[0] ? cfg->label : "Revenue";
    cs_status st = cs_sniff_file(cfg->data, label, &sn, err);
    if (st != CS_OK)
        return st;
    if (!cfg->delim) {
        g->delim = sn.delim;
        g->delim_sniffed = sn.sniffed && sn.ncols > 1;
    }
    if (g->format == CS_FMT_AUTO && sn.label_col >= 0) {
        g->format = CS_FMT_FEATURES;   /* a table with the label column */
        g->features_by_label = 1;
    }
    return CS_OK;
}

static cs_status load_table(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                            cs_events *ev_out, cs_error *err)
{
    cs_table_opts to;
    cs_table_opts_init(&to);
    to.path = cfg->data;
    if (cfg->label[0])
        to.label = cfg->label;
    to.drop = cfg->drop[0] ? cfg->drop : NULL;
    to.time_col = cfg->time_col[0] ? cfg->time_col : NULL;
    to.delim = cfg->delim;
    to.skip_bad_rows = cfg->skip_bad_rows;
    cs_table t;
    memset(&t, 0, sizeof t);
    cs_status st = cs_table_load(&t, &to, led, err);
    if (st != CS_OK)
        return st;
    st = cs_dataset_from_table(ds, &t, err);
    cs_table_free(&t);
    if (st != CS_OK)
        return st;
    if (led->sessions_seen == 0 && led->sessions_kept == 0) /* a row is a session */
        led->sessions_seen = led->sessions_kept = (long)ds->n;
    if (ev_out && cs_events_init(ev_out) != CS_OK) {
        cs_dataset_free(ds);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    }
    return CS_OK;
}


/* lean: the sessionising consumes the events (cs_dataset_from_events_consume); ev_out then
 * receives what is left of them. */
static cs_status load(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led, cs_events *ev_out,
                      int lean, cs_load_progress_fn progress, void *ctx, cs_error *err)
{
    memset(ds, 0, sizeof *ds);
    memset(led, 0, sizeof *led);
    if (!cfg->data[0])
        return cs_error_fmt(err, CS_EINPUT, "no data file given (--data FILE)");
    /* auto format or delimiter: what the first line says (an unreadable file is reported
     * by the load itself, with its usual message) */
    cs_pipeline_guess g;
    cs_error ignored;
    cs_run_config rc = *cfg;
    if (cs_pipeline_resolve(cfg, &g, &ignored) == CS_OK) {
        rc.format = g.format;
        rc.delim = g.delim;
    }
    cfg = &rc;
    if (cfg->format == CS_FMT_FEATURES && cfg->ds.view == CS_VIEW_HYBRID)
        return cs_error_fmt(err, CS_EINPUT, "%s: view hybrid needs events (a features table has "
                            "no sequence): use --view features", cfg->data);
    if (cfg->format == CS_FMT_FEATURES)
        return load_table(cfg, ds, led, ev_out, err);
    cs_events ev;
    if (cs_events_init(&ev) != CS_OK)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    cs_load_opts lo;
    cs_load_opts_init(&lo);
    lo.format = cfg->format;
    lo.path = cfg->data;
    lo.outcomes_path = cfg->outcomes[0] ? cfg->outcomes : NULL;
    lo.header = cfg->header;
    lo.delim = cfg->delim;
    if (cfg->map[0])
        lo.map = cfg->map;
    if (cfg->purchase_event[0])
        lo.purchase_event = cfg->purchase_event;
    if (cfg->session_gap_min > 0)
        lo.session_gap_ms = (long long)(cfg->session_gap_min * 60000.0 + 0.5);
    lo.skip_bad_rows = cfg->skip_bad_rows;
    lo.threads = cfg->threads;
    lo.progress = progress;
    lo.progress_ctx = ctx;
    cs_status st = cs_events_load(&ev, &lo, led, err);
    cs_dataset_opts dso = cfg->ds;
    dso.threads = cfg->threads; /* loading and sessionising: the run's thread count */
    if (st == CS_OK)
        st = lean ? cs_dataset_from_events_consume(ds, &ev, &dso, led, err)
                  : cs_dataset_from_events(ds, &ev, &dso, led, err);
    if (st == CS_OK && ev_out)
        *ev_out = ev; /* moved: the caller frees it */
    else
        cs_events_free(&ev);
    return st;
}

cs_status cs_pipeline_load_progress(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                                    cs_events *ev_out, cs_load_progress_fn progress, void *ctx,
                                    cs_error *err)
{
    /* without ev_out nothing reads the events after the dataset: let it consume them */
    return load(cfg, ds, led, ev_out, !ev_out, progress, ctx, err);
}

cs_status cs_pipeline_load(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                           cs_events *ev_out, cs_error *err)
{
    return cs_pipeline_load_progress(cfg, ds, led, ev_out, NULL, NULL, err);
}

cs_status cs_pipeline_load_lean(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                                cs_events *ev_out, cs_error *err)
{
    return load(cfg, ds, led, ev_out, 1, NULL, NULL, err);
}

cs_status cs_pipeline_load_lean_progress(const cs_run_config *cfg, cs_dataset *ds, cs_ledger *led,
                                         cs_events *ev_out, cs_load_progress_fn progress, void *ctx,
                                         cs_error *err)
{
    return load(cfg, ds, led, ev_out, 1, progress, ctx, err);
}
