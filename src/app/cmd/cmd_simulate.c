/* cmd_simulate.c — `clickseq simulate`: write a synthetic shop in REES46 format. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "clickseq/simulate.h"

/* The seed: a non-negative integer (any uint64). */
static int parse_seed(const char *s, uint64_t *out, cs_error *err)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || errno || *end)
        return cs_error_fmt(err, CS_EINPUT, "simulate: --seed wants a non-negative integer, not '%s'", s), -1;
    *out = v;
    return 0;
}

/* The option texts -> so.  Returns 0 or -1 with err. */
typedef struct sim_args {
    const char *sessions, *seed, *users, *products, *days, *out;   /* NULL: not given */
} sim_args;

static int sim_options(const cli_spec *sp, const sim_args *t, cs_sim_opts *so, cs_error *err)
{
    long v;
    if (t->sessions && cli_long(sp, "sessions", t->sessions, 1, 100000000L, &so->sessions, err))
        return -1;
    if (t->seed && parse_seed(t->seed, &so->seed, err))
        return -1;
    if (t->users && cli_long(sp, "users", t->users, 1, 100000000L, &so->users, err))
        return -1;
    if (t->products) {
        if (cli_long(sp, "products", t->products, 1, 10000000L, &v, err))
            return -1;
        so->products = (int)v;
    }
    if (t->days) {
        if (cli_long(sp, "days", t->days, 1, 3650, &v, err))
            return -1;
        so->days = (int)v;
    }
    if (!t->out)
        return cs_error_fmt(err, CS_EINPUT, "simulate: --out FILE is required (see --help)"), -1;
    return 0;
}

int cmd_simulate(int argc, char **argv)
{
    sim_args t = {NULL, NULL, NULL, NULL, NULL, NULL};
    int json = 0;
    const cli_opt opts[] = {
        {"sessions", "N", "number of sessions (default 1000)", &t.sessions, NULL},
        {"seed", "S", "random seed (default 1)", &t.seed, NULL},
        {"out", "FILE", "output file, written atomically (required; - = stdout)", &t.out, NULL},
        {"users", "N", "distinct users (default sessions / 3)", &t.users, NULL},
        {"products", "N", "catalog size (default 2000)", &t.products, NULL},
        {"days", "N", "sessions start within N days from 2019-10-01 (default 61)", &t.days, NULL},
        {"json", NULL, "print the summary as JSON", NULL, &json},
    };
    const cli_spec sp = {"simulate", "--sessions N --seed S --out FILE [options]",
                         "Write a synthetic shop (REES46 CSV: event_time,event_type,product_id,category_id,\n"
                         "category_code,brand,price,user_id,user_session) whose purchases depend on the order\n"
                         "of events.  The same options and seed always give the same file.",
                         opts, sizeof opts / sizeof opts[0], 0, 0};
    cli_args a;
    int rc = cli_begin(&sp, argc, argv, NULL, &a);
    if (rc >= 0)
        return rc;
    cs_sim_opts so;
    cs_sim_opts_init(&so);
    cs_error err;
    if (sim_options(&sp, &t, &so, &err))
        return cli_report(&err);
    const char *out = t.out;
    cs_sim_summary sum;
    if (cs_simulate_write(&so, out, &sum, &err) != CS_OK)
        return cli_report(&err);
    double rate = sum.sessions ? 100.0 * (double)sum.positives / (double)sum.sessions : 0;
    FILE *o = strcmp(out, "-") && strcmp(out, "/dev/stdout") ? stdout : stderr; /* data on stdout */
    if (json) {
        fprintf(o, "{\"out\":");
        cli_json_str(o, out);
        fprintf(o, ",\"seed\":%llu,\"sessions\":%ld,\"users\":%ld,\"events\":%ld,"
               "\"purchase_events\":%ld,\"positive_sessions\":%ld,\"positive_rate\":%.6f}\n",
               (unsigned long long)so.seed, sum.sessions, sum.users, sum.events,
               sum.purchase_events, sum.positives, rate / 100.0);
    } else
        fprintf(o, "wrote %s: %ld sessions, %ld users, %ld events (%ld purchases), %ld sessions "
               "with a purchase (%.2f %%), seed %llu\n",
               out, sum.sessions, sum.users, sum.events, sum.purchase_events, sum.positives, rate,
               (unsigned long long)so.seed);
    return 0;
}
