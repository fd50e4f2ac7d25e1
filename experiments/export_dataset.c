/* export_dataset.c — write the dataset and split that `clickseq train` / `sweep` would use
 * for the same options, as CSV, so an independent implementation (experiments/torch_gru.py)
 * trains on exactly the same sessions, inputs and split.
 *
 *   make experiments/export_dataset
 *   experiments/export_dataset --data clicks.csv --outcomes buys.csv [run options] --out FILE
 *
 * One line per session of the sequence view:
 *   part,session,label,len,types,items,categories,brands,log_dwell,log_price
 * part is train/valid/test (cs_split_make with the run's split, fractions and seed); the
 * per-step columns are space-separated lists in time order: event-type ids (1..n_types),
 * interned item/category/brand ids (0 = missing; models hash them into buckets),
 * log1p(dwell seconds) and log1p(price).  A first comment line gives n_types. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "clickseq/pipeline.h"

static void put_u32s(FILE *f, const uint32_t *v, size_t a, size_t b)
{
    for (size_t t = a; t < b; t++)
        fprintf(f, "%s%u", t > a ? " " : "", v ? v[t] : 0u);
}

static void put_floats(FILE *f, const float *v, size_t a, size_t b)
{
    for (size_t t = a; t < b; t++)
        fprintf(f, "%s%.9g", t > a ? " " : "", v ? (double)v[t] : 0.0);
}

static int write_export(const cs_dataset *ds, const cs_split *sp, FILE *f)
{
    const char *part_name[3] = {"train", "valid", "test"};
    const size_t *parts[3] = {sp->train, sp->valid, sp->test};
    size_t counts[3] = {sp->n_train, sp->n_valid, sp->n_test};
    fprintf(f, "# n_types=%d\n", ds->n_types);
    fprintf(f, "part,session,label,len,types,items,categories,brands,log_dwell,log_price\n");
    for (int p = 0; p < 3; p++)
        for (size_t k = 0; k < counts[p]; k++) {
            size_t i = parts[p][k], a = ds->off[i], b = ds->off[i + 1];
            fprintf(f, "%s,%s,%d,%zu,", part_name[p],
                    ds->session_names ? ds->session_names[i] : "", ds->label[i], b - a);
            for (size_t t = a; t < b; t++)
                fprintf(f, "%s%u", t > a ? " " : "", (unsigned)ds->type[t]);
            fputc(',', f);
            put_u32s(f, ds->item, a, b);
            fputc(',', f);
            put_u32s(f, ds->category, a, b);
            fputc(',', f);
            put_u32s(f, ds->brand, a, b);
            fputc(',', f);
            put_floats(f, ds->log_dwell, a, b);
            fputc(',', f);
            put_floats(f, ds->log_price, a, b);
            fputc('\n', f);
        }
    return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    cli_opt opts[] = {{"out", "FILE", "where to write the CSV", &out, NULL}};
    cli_spec spec = {"export_dataset", "--data FILE [run options] --out FILE",
                     "Write the sequence dataset and split of a run configuration as CSV.",
                     opts, 1, CLI_ALL, 0};
    cs_run_config cfg;
    cs_run_config_init(&cfg);
    cs_error err;
    cs_error_clear(&err);
    cli_args a;
    int r = cli_parse(&spec, argc, argv, &cfg, &a, &err);
    if (r == CLI_HELP) {
        cli_help(&spec, &cfg, stdout);
        return 0;
    }
    if (r != CLI_OK)
        return cli_report(&err);
    if (!out || cfg.ds.view != CS_VIEW_SEQUENCE || cfg.ds.method != CS_METHOD_HONEST) {
        fprintf(stderr, "export_dataset: --out is required; sequence view, honest method only\n");
        return 2;
    }
    cs_dataset ds;
    cs_ledger led;
    memset(&led, 0, sizeof led);
    cs_split sp;
    memset(&sp, 0, sizeof sp);
    cs_status st = cs_pipeline_load(&cfg, &ds, &led, NULL, &err);
    if (st)
        return cli_report(&err);
    st = cs_split_make(&sp, &ds, cfg.split, cfg.train_frac, cfg.valid_frac, cfg.seed, &err);
    FILE *f = st ? NULL : fopen(out, "w");
    int rc = 0;
    if (st)
        rc = cli_report(&err);
    else if (!f || write_export(&ds, &sp, f) != 0 || fclose(f) != 0) {
        perror(out);
        rc = 1;
    }
    if (!rc)
        fprintf(stderr, "%s: %zu sessions (train %zu, valid %zu, test %zu)\n", out, ds.n,
                sp.n_train, sp.n_valid, sp.n_test);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
    return rc;
}
