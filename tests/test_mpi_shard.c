/* test_mpi_shard.c — sharded loading (cs_dist_events_load, dist.h) under mpirun
 * (tests/mpi_shard.sh runs it on 2 and 3 ranks):
 *   test_mpi_shard sharded|whole|error FORMAT EVENTS [OUTCOMES|-] [skip|-] [MAP]
 * (error: the load fails, and the sharded load fails on every rank with the whole load's
 * message: file:line:col as one process says it)
 * loads EVENTS (and OUTCOMES) sharded over the ranks and whole on every rank, and checks
 * that the ranks' ledgers add up to the whole load's field by field; that every session
 * is on exactly one rank and the union is the whole load's set; that each session's events
 * are the whole load's, in the same order (time, type, item, category, brand, user, price
 * hashed in order); that each rank holds about 1/N of the events (files of 1,000 events and
 * more) and parsed about 1/N; and that the load was sharded (or done whole) as expected.
 * Prints "ok - ..." from rank 0, or "FAIL ..." and exits 1. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "clickseq/dist.h"

#include "test_mpi_util.h"

static uint64_t mix_str(uint64_t h, const char *s)
{
    for (s = s ? s : ""; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (h ^ 0xff) * 1099511628211ULL;
}

/* The hash of event i's contents, folded into a session's running hash. */
static uint64_t mix_event(uint64_t h, const cs_events *ev, size_t i)
{
    h = (h ^ (uint64_t)ev->time_ms[i]) * 1099511628211ULL;
    h = mix_str(h, cs_intern_str(ev->types, ev->type[i]));
    h = mix_str(h, ev->item[i] ? cs_intern_str(ev->items, ev->item[i]) : "");
    h = mix_str(h, ev->category[i] ? cs_intern_str(ev->categories, ev->category[i]) : "");
    h = mix_str(h, ev->brand[i] ? cs_intern_str(ev->brands, ev->brand[i]) : "");
    h = mix_str(h, ev->user[i] ? cs_intern_str(ev->users, ev->user[i]) : "");
    uint32_t pb;
    float p = ev->price[i];
    if (isnan(p))
        p = NAN;
    memcpy(&pb, &p, sizeof pb);
    return (h ^ pb) * 1099511628211ULL;
}

typedef struct sess {
    long n;
    uint64_t h;
    int seen;
} sess;

/* Per session id: event count and the running hash of its events in store order. */
static sess *per_session(const cs_events *ev)
{
    sess *s = calloc((size_t)cs_intern_count(ev->sessions) + 1, sizeof *s);
    for (size_t i = 0; i < ev->n; i++) {
        sess *x = &s[ev->session[i]];
        x->n++;
        x->h = mix_event(x->h ? x->h : 1469598103934665603ULL, ev, i);
    }
    return s;
}

int main(int argc, char **argv)
{
    cs_comm c;
    cs_error err;
    test_mpi_begin(&argc, &argv, &c);
    CHECK(argc >= 4, "usage: test_mpi_shard sharded|whole FORMAT EVENTS [OUTCOMES|-] [skip]");
    int want_sharded = !strcmp(argv[1], "sharded");
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.format = (cs_format)cs_format_parse(argv[2]);
    o.path = argv[3];
    o.outcomes_path = argc > 4 && strcmp(argv[4], "-") ? argv[4] : NULL;
    o.skip_bad_rows = argc > 5 && !strcmp(argv[5], "skip");
    o.map = argc > 6 ? argv[6] : NULL;
    o.threads = 1;
    /* the reference: the whole load, as one process does it */
    cs_events ref, ev;
    cs_ledger rl, led;
    memset(&rl, 0, sizeof rl);
    CHECK(cs_events_init(&ref) == CS_OK && cs_events_init(&ev) == CS_OK, "init");
    cs_dist_load_info info;
    if (!strcmp(argv[1], "error")) {
        cs_error e2;
        CHECK(cs_events_load(&ref, &o, &rl, &err) != CS_OK, "the whole load did not fail");
        CHECK(cs_dist_events_load(&ev, &o, &led, &info, &e2) != CS_OK, "the sharded load did not fail");
        CHECK(!strcmp(err.msg, e2.msg), "messages differ: '%s' vs '%s'", err.msg, e2.msg);
        if (c.rank == 0)
            printf("ok - %s on %d ranks fails as one process does: %s\n", o.path, c.size, e2.msg);
        cs_events_free(&ref);
        cs_events_free(&ev);
        MPI_Finalize();
        return 0;
    }
    CHECK(cs_events_load(&ref, &o, &rl, &err) == CS_OK, "whole load: %s", err.msg);
    CHECK(cs_dist_events_load(&ev, &o, &led, &info, &err) == CS_OK, "sharded load: %s", err.msg);
    CHECK(info.sharded == want_sharded, "sharded %d, wanted %d (%s)", info.sharded, want_sharded,
          info.whole ? info.whole : "");
    /* ledgers add up */
    long sum[3 + CS_SKIP_NREASONS] = {led.rows_read, led.rows_used, led.rows_skipped};
    for (int k = 0; k < CS_SKIP_NREASONS; k++)
        sum[3 + k] = led.skipped[k];
    MPI_Allreduce(MPI_IN_PLACE, sum, 3 + CS_SKIP_NREASONS, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    CHECK(sum[0] == rl.rows_read && sum[1] == rl.rows_used && sum[2] == rl.rows_skipped,
          "ledger: read %ld used %ld skipped %ld, whole %ld %ld %ld", sum[0], sum[1], sum[2],
          rl.rows_read, rl.rows_used, rl.rows_skipped);
    for (int k = 0; k < CS_SKIP_NREASONS; k++)
        CHECK(sum[3 + k] == rl.skipped[k], "ledger: skipped %s %ld, whole %ld",
              cs_skip_reason_name((cs_skip_reason)k), sum[3 + k], rl.skipped[k]);
    /* this rank's sessions, to rank 0: name, events, hash */
    sess *mine = per_session(&ev);
    size_t cap = 1 << 16, len = 0;
    char *pack = malloc(cap);
    for (uint32_t id = 1; id <= cs_intern_count(ev.sessions); id++) {
        if (!mine[id].n)
            continue;
        const char *name = cs_intern_str(ev.sessions, id);
        size_t need = strlen(name) + 1 + sizeof mine[id].n + sizeof mine[id].h;
        if (len + need > cap)
            pack = realloc(pack, cap = 2 * (len + need));
        memcpy(pack + len, &mine[id].n, sizeof mine[id].n);
        memcpy(pack + len + sizeof mine[id].n, &mine[id].h, sizeof mine[id].h);
        memcpy(pack + len + sizeof mine[id].n + sizeof mine[id].h, name, strlen(name) + 1);
        len += need;
    }
    void *all = NULL;
    size_t *counts = calloc((size_t)c.size, sizeof *counts);
    CHECK(c.gather_bytes(c.ctx, pack, len, &all, counts, &err) == CS_OK, "%s", err.msg);
    float share[2] = {(float)ev.n, (float)info.parsed_events};
    float mine_n = share[0], parsed = share[1];
    CHECK(c.sum_f32(c.ctx, share, 2, &err) == CS_OK, "%s", err.msg);
    CHECK(share[0] == (float)ref.n, "%g events over the ranks, whole %zu", share[0], ref.n);
    if (want_sharded && ref.n >= 1000) {
        double lo = 0.5 * (double)ref.n / c.size, hi = 1.5 * (double)ref.n / c.size;
        CHECK(mine_n >= lo && mine_n <= hi, "holds %g of %zu events", mine_n, ref.n);
        CHECK(parsed >= lo && parsed <= hi, "parsed %g of %zu events", parsed, ref.n);
        CHECK(share[1] == (float)ref.n, "parsed %g events over the ranks, whole %zu", share[1], ref.n);
    }
    if (c.rank == 0) {
        sess *want = per_session(&ref);
        size_t total = 0, n_sess = 0, n_ref = 0;
        for (int r = 0; r < c.size; r++)
            total += counts[r];
        const char *p = all, *end = p + total;
        while (p < end) {
            long n;
            uint64_t h;
            memcpy(&n, p, sizeof n);
            memcpy(&h, p + sizeof n, sizeof h);
            const char *name = p + sizeof n + sizeof h;
            p = name + strlen(name) + 1;
            uint32_t id = cs_intern_find(ref.sessions, name, strlen(name));
            CHECK(id && want[id].n, "session '%s' is not in the whole load", name);
            CHECK(!want[id].seen, "session '%s' is on two ranks", name);
            want[id].seen = 1;
            CHECK(want[id].n == n && want[id].h == h, "session '%s': %ld events (whole %ld), "
                  "contents or order differ: %d", name, n, want[id].n, want[id].h != h);
            n_sess++;
        }
        for (uint32_t id = 1; id <= cs_intern_count(ref.sessions); id++)
            if (want[id].n) {
                n_ref++;
                CHECK(want[id].seen, "session '%s' is on no rank", cs_intern_str(ref.sessions, id));
            }
        if (ref.purchase_type) {   /* the purchase type is known by the same name */
            const char *pn = cs_intern_str(ref.types, ref.purchase_type);
            uint32_t id = cs_intern_find(ev.types, pn, strlen(pn));
            CHECK(!id || ev.purchase_type == id, "purchase type '%s' not marked", pn);
        }
        printf("ok - %s on %d ranks (%s): ledger read %ld used %ld skipped %ld equal; %zu sessions, "
               "each on one rank, = the whole load's %zu, events in order; rank 0 holds %g of %zu "
               "events\n", o.path, c.size, info.sharded ? "sharded" : info.whole, sum[0], sum[1],
               sum[2], n_sess, n_ref, mine_n, ref.n);
        free(want);
    }
    free(all);
    free(counts);
    free(pack);
    free(mine);
    cs_events_free(&ref);
    cs_events_free(&ev);
    MPI_Finalize();
    return 0;
}
