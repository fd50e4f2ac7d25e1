/* loadbench.c — time cs_events_load (and, when the sessions area is built in,
 * cs_dataset_from_events_consume, as the commands' pipeline sessionises; with READ=1 in
 * the environment the reading cs_dataset_from_events) on one file; prints one key=value
 * line for run.sh.
 * usage: loadbench FILE [FORMAT [OUTCOMES]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "clickseq/events.h"
#ifdef HAVE_DATASET
#include "clickseq/dataset.h"
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: loadbench FILE [FORMAT [OUTCOMES]]\n");
        return 2;
    }
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = argv[1];
    if (argc > 2 && (int)(o.format = cs_format_parse(argv[2])) < 0) {
        fprintf(stderr, "unknown format %s\n", argv[2]);
        return 2;
    }
    if (argc > 3)
        o.outcomes_path = argv[3];
    if (getenv("MAP")) {
        o.format = CS_FMT_GENERIC;
        o.map = getenv("MAP");
    }
    o.skip_bad_rows = getenv("SKIP") != NULL;
    o.threads = getenv("THREADS") ? atoi(getenv("THREADS")) : 0;
    cs_events ev;
    cs_ledger led;
    cs_error err;
    memset(&led, 0, sizeof led);
    cs_events_init(&ev);
    double t0 = now();
    cs_status s = cs_events_load(&ev, &o, &led, &err);
    double t1 = now();
    if (s != CS_OK) {
        fprintf(stderr, "loadbench: %s\n", err.msg);
        return cs_status_exit_code(s);
    }
    /* what the summary reports of the events, before the sessionising may consume them */
    size_t col_bytes = ev.cap * (4 + 8 + 2 + 4 * 5 + 4);
    size_t intern_bytes = cs_intern_bytes(ev.sessions) + cs_intern_bytes(ev.types) +
                          cs_intern_bytes(ev.items) + cs_intern_bytes(ev.categories) +
                          cs_intern_bytes(ev.brands) + cs_intern_bytes(ev.users);
    uint64_t sum = 0;
    for (size_t i = 0; i < ev.n; i++)
        sum = sum * 31 + ev.session[i] + ev.item[i] * 7 + ev.user[i] * 13 + ev.type[i] + (uint64_t)ev.time_ms[i];
    unsigned n_sessions = cs_intern_count(ev.sessions), n_users = cs_intern_count(ev.users);
    size_t sessions = 0;
    double t1b = now(), t2 = t1b;
#ifdef HAVE_DATASET
    cs_dataset ds;
    cs_dataset_opts dopt;
    cs_dataset_opts_init(&dopt);
    dopt.threads = o.threads;
    s = getenv("READ") ? cs_dataset_from_events(&ds, &ev, &dopt, &led, &err)
                       : cs_dataset_from_events_consume(&ds, &ev, &dopt, &led, &err);
    if (s != CS_OK) {
        fprintf(stderr, "loadbench: %s\n", err.msg);
        return 1;
    }
    t2 = now();
    sessions = ds.n;
    cs_dataset_free(&ds);
#endif
    struct stat st;
    stat(argv[1], &st);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
    printf("checksum=%016llx fingerprint=%016llx ", (unsigned long long)sum, (unsigned long long)ev.fingerprint);
    printf("events=%zu rows_read=%ld skipped=%ld sessions_interned=%u users=%u types=%u "
           "purchase_type=%u mb=%.1f load_s=%.3f sessionise_s=%.3f sessions_kept=%zu "
           "maxrss_mb=%.1f col_bytes_per_event=%.1f intern_mb=%.1f cpu_s=%.3f\n",
           ev.n, led.rows_read, led.rows_skipped, n_sessions,
           n_users, cs_intern_count(ev.types), ev.purchase_type,
           st.st_size / 1e6, t1 - t0, t2 - t1b, sessions, ru.ru_maxrss / 1024.0,
           (double)col_bytes / (ev.n ? ev.n : 1), intern_bytes / 1e6, cpu);
    cs_events_free(&ev);
    return 0;
}
