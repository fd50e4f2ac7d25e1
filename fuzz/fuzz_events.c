/* fuzz_events.c — libFuzzer harness for cs_events_load (see fuzz/run.sh).
 *
 * The first input byte picks the options (format, skip mode, header, delimiter, a small
 * field limit, the same bytes as an outcomes/buys file); the rest is the file, served from
 * a memfd.  Each input is loaded three times — with the quote-free fast path allowed and
 * with every block forced through libcsv, on one thread, and in parallel (2 or 3 threads,
 * parts of a few bytes, either path) — and the loads must agree exactly (status, message,
 * events and ids, ledger, fingerprint), else the harness aborts. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_input.h"

#include "clickseq/events.h"


typedef struct result {
    cs_status st;
    char msg[1024];
    size_t n;
    cs_ledger led;
    uint64_t fp, sum;
} result;


static void run(const char *path, uint8_t mode, int force, int threads, size_t part, result *res)
{
    static const char *const maps[4] = {"session=1,time=2,event=3", "user=1,time=2,event=3,item=4",
                                        "session=session,time=time,event=event",
                                        "session=3,time=1,price=2,user=4"};
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = path;
    o.force_libcsv = force;
    o.threads = threads;
    o.part_bytes = part;
    o.format = (cs_format)(mode & 3);
    o.map = maps[(mode >> 5) & 3];
    o.skip_bad_rows = (mode >> 2) & 1;
    o.header = (mode & 0x08) ? -1 : ((mode >> 4) & 1);
    o.delim = (mode & 0x80) ? '\t' : 0;
    o.max_field_len = (mode & 0x40) ? 16 : 4096;
    if ((mode & 0x18) == 0x18)
        o.outcomes_path = path;
    cs_events ev;
    cs_error err = {0};
    memset(res, 0, sizeof *res);
    if (cs_events_init(&ev) != CS_OK)
        abort();
    res->st = cs_events_load(&ev, &o, &res->led, &err);
    if (res->st != CS_OK)
        snprintf(res->msg, sizeof res->msg, "%s", err.msg);
    res->n = ev.n;
    res->fp = ev.fingerprint;
    for (size_t i = 0; i < ev.n; i++) {
        /* touch every column and string: ASan checks the ids point somewhere real */
        res->sum = res->sum * 31 + (uint64_t)ev.time_ms[i] + ev.type[i] + ev.session[i];
        res->sum += strlen(cs_intern_str(ev.sessions, ev.session[i])) +
                    strlen(cs_intern_str(ev.items, ev.item[i])) + strlen(cs_intern_str(ev.users, ev.user[i]));
    }
    if (res->st == CS_OK && !cs_ledger_balanced(&res->led))
        abort();
    cs_events_free(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    char path[64];
    fuzz_input_file(data, size, path, sizeof path);
    result a, b, c;
    run(path, mode, 0, 1, 0, &a);
    run(path, mode, 1, 1, 0, &b);
    if (a.st != b.st || strcmp(a.msg, b.msg) || a.n != b.n || a.fp != b.fp || a.sum != b.sum ||
        memcmp(&a.led, &b.led, sizeof a.led)) {
        fprintf(stderr, "fast path and libcsv disagree:\n  fast:   %d %zu '%s'\n  libcsv: %d %zu '%s'\n",
                a.st, a.n, a.msg, b.st, b.n, b.msg);
        abort();
    }
    size_t part = 1 + size % 61;
    run(path, mode, (int)(size & 1), 2 + (int)(size / 61 % 2), part, &c);
    if (a.st != c.st || strcmp(a.msg, c.msg) || a.n != c.n || a.fp != c.fp || a.sum != c.sum ||
        memcmp(&a.led, &c.led, sizeof a.led)) {
        fprintf(stderr, "one thread and parts of %zu bytes disagree:\n  one:   %d %zu '%s'\n  parts: %d %zu '%s'\n",
                part, a.st, a.n, a.msg, c.st, c.n, c.msg);
        abort();
    }
    return 0;
}
