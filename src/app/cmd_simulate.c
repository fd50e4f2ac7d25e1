/* cmd_simulate.c — `clickseq simulate`: write a synthetic shop in REES46 format. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commands.h"
#include "clickseq/simulate.h"

static void simulate_usage(FILE *f)
{
    fprintf(f,
            "usage: clickseq simulate --sessions N --seed S --out FILE [options]\n"
            "Write a synthetic shop (REES46 CSV: event_time,event_type,product_id,category_id,\n"
            "category_code,brand,price,user_id,user_session) whose purchases depend on the order\n"
            "of events.  The same options and seed always give the same file.\n\n"
            "  --sessions N     number of sessions (default 1000)\n"
            "  --seed S         random seed (default 1)\n"
            "  --out FILE       output file, written atomically (required)\n"
            "  --users N        distinct users (default sessions / 3)\n"
            "  --products N     catalog size (default 2000)\n"
            "  --days N         sessions start within N days from 2019-10-01 (default 61)\n"
            "  --json           print the summary as JSON\n"
            "  -h, --help       this help\n");
}

/* Strict integer option: the whole text, in range. */
static int parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "clickseq simulate: %s wants an integer in %ld..%ld, not '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

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

int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"sessions", required_argument, 0, 's'}, {"seed", required_argument, 0, 'S'},
        {"out", required_argument, 0, 'o'},      {"users", required_argument, 0, 'u'},
        {"products", required_argument, 0, 'p'}, {"days", required_argument, 0, 'd'},
        {"json", no_argument, 0, 'j'},           {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    cs_sim_opts so;
    cs_sim_opts_init(&so);
    const char *out = NULL;
    int json = 0, c;
    long v;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (parse_long("--sessions", optarg, 1, 100000000L, &so.sessions))
                return 2;
            break;
        case 'S':
            if (parse_u64(optarg, &so.seed)) {
                fprintf(stderr, "clickseq simulate: --seed wants a non-negative integer, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'o': out = optarg; break;
        case 'u':
            if (parse_long("--users", optarg, 1, 100000000L, &so.users))
                return 2;
            break;
        case 'p':
            if (parse_long("--products", optarg, 1, 10000000L, &v))
                return 2;
            so.products = (int)v;
            break;
        case 'd':
            if (parse_long("--days", optarg, 1, 3650, &v))
                return 2;
            so.days = (int)v;
            break;
        case 'j': json = 1; break;
        case 'h': simulate_usage(stdout); return 0;
        default:
            fprintf(stderr, "clickseq simulate: unknown or incomplete option '%s'\n", argv[optind - 1]);
            simulate_usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "clickseq simulate: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!out) {
        fprintf(stderr, "clickseq simulate: --out FILE is required\n");
        simulate_usage(stderr);
        return 2;
    }
    cs_sim_summary sum;
    cs_error err;
    cs_status st = cs_simulate_write(&so, out, &sum, &err);
    if (st != CS_OK) {
        fprintf(stderr, "clickseq: %s\n", err.msg);
        return cs_status_exit_code(st);
    }
    double rate = sum.sessions ? 100.0 * (double)sum.positives / (double)sum.sessions : 0;
    if (json) {
        printf("{\"out\":");
        json_str(out);
        printf(",\"seed\":%llu,\"sessions\":%ld,\"users\":%ld,\"events\":%ld,"
               "\"purchase_events\":%ld,\"positive_sessions\":%ld,\"positive_rate\":%.6f}\n",
               (unsigned long long)so.seed, sum.sessions, sum.users, sum.events,
               sum.purchase_events, sum.positives, rate / 100.0);
    } else
        printf("wrote %s: %ld sessions, %ld users, %ld events (%ld purchases), %ld sessions "
               "with a purchase (%.2f %%), seed %llu\n",
               out, sum.sessions, sum.users, sum.events, sum.purchase_events, sum.positives, rate,
               (unsigned long long)so.seed);
    return 0;
}
