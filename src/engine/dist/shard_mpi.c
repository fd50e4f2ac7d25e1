/* shard_mpi.c — sharded loading over MPI_COMM_WORLD (dist.h): each rank parses its byte
 * range of the file(s) (cs_events_load_shard), then the events go to the rank their session
 * hashes to, in one MPI_Alltoallv.  An event travels as its strings (session, type, item,
 * category, brand, user: the ranks' intern tables differ) with its time and price; each
 * destination gets two sections, the events file's events and the buys file's, and appends
 * the sections of every source rank in rank order: its store holds its sessions' events in
 * the one-process load's order (events file, then buys; file order within each).
 *
 * Anything a shard cannot do exactly (cs_shard_info.whole), a failure of any shard (its
 * message would count lines from its range), or no usable row over all shards makes every
 * rank load the whole file instead and keep its own sessions: the same events per rank and
 * the one-process message.  Then rank 0 holds the whole ledger and the others none, so the
 * ledgers still add up to the one-process ledger. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "clickseq/dist.h"

/* FNV-1a 64 of the session name: the owning rank (stored values do not depend on it). */
static int owner(const char *s, int size)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (int)(h % (uint64_t)size);
}

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int put(buf *b, const void *x, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            return -1;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, x, n);
    b->n += n;
    return 0;
}

static int put_str(buf *b, const cs_intern *t, uint32_t id)
{
    const char *s = id ? cs_intern_str(t, id) : "";
    return put(b, s ? s : "", strlen(s ? s : "") + 1);
}

/* Event i of ev onto b: time, price, then the six strings. */
static int put_event(buf *b, const cs_events *ev, size_t i)
{
    return put(b, &ev->time_ms[i], sizeof ev->time_ms[i]) || put(b, &ev->price[i], sizeof ev->price[i]) ||
           put_str(b, ev->sessions, ev->session[i]) || put_str(b, ev->types, ev->type[i]) ||
           put_str(b, ev->items, ev->item[i]) || put_str(b, ev->categories, ev->category[i]) ||
           put_str(b, ev->brands, ev->brand[i]) || put_str(b, ev->users, ev->user[i]);
}

/* Append the events packed in p[0..n) to ev. */
static cs_status take_events(cs_events *ev, const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        int64_t t;
        float price;
        memcpy(&t, p, sizeof t);
        memcpy(&price, p + sizeof t, sizeof price);
        p += sizeof t + sizeof price;
        const char *f[6];
        for (int k = 0; k < 6; k++) {
            f[k] = p;
            p += strlen(p) + 1;
        }
        cs_status st = cs_events_append(ev, f[0], t, f[1], f[2], f[3], f[4], price, f[5]);
        if (st)
            return st;
    }
    return CS_OK;
}

static cs_status mpi_failed(cs_error *err, const char *what)
{
    return cs_error_fmt(err, CS_ERUNTIME, "MPI: %s failed", what);
}

/* The purchase type as cs_events_load sets it (yoochoose "buy", or --purchase-event). */
static void set_purchase(cs_events *ev, const cs_load_opts *o)
{
    if (o->purchase_event && *o->purchase_event) {
        uint32_t p = cs_intern_find(ev->types, o->purchase_event, strlen(o->purchase_event));
        if (p)
            ev->purchase_type = (uint16_t)p;
    }
}

/* The whole file on every rank, each keeping its own sessions; rank 0 keeps the ledger. */
static cs_status load_whole(cs_events *ev, const cs_load_opts *o, cs_ledger *led, int rank,
                            int size, cs_error *err)
{
    cs_events all;
    cs_ledger l;
    memset(&l, 0, sizeof l);
    cs_status st = cs_events_init(&all);
    if (st)
        return cs_error_fmt(err, st, "out of memory");
    st = cs_events_load(&all, o, &l, err);
    for (size_t i = 0; !st && i < all.n; i++) {
        const char *s = cs_intern_str(all.sessions, all.session[i]);
        if (owner(s, size) != rank)
            continue;
        st = cs_events_append(ev, s, all.time_ms[i], cs_intern_str(all.types, all.type[i]),
                              cs_intern_str(all.items, all.item[i]),
                              cs_intern_str(all.categories, all.category[i]),
                              cs_intern_str(all.brands, all.brand[i]), all.price[i],
                              cs_intern_str(all.users, all.user[i]));
        if (st)
            cs_error_fmt(err, st, "out of memory");
    }
    if (!st) {
        if (all.purchase_type)
            ev->purchase_type = (uint16_t)cs_intern_find(ev->types, cs_intern_str(all.types,
                                                         all.purchase_type), strlen(cs_intern_str(
                                                         all.types, all.purchase_type)));
        ev->fingerprint = all.fingerprint;
        memcpy(ev->source, all.source, sizeof ev->source);
        if (rank == 0)
            *led = l;
    }
    cs_events_free(&all);
    return st;
}

cs_status cs_dist_events_load(cs_events *ev, const cs_load_opts *o, cs_ledger *led,
                              cs_dist_load_info *info, cs_error *err)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    memset(info, 0, sizeof *info);
    memset(led, 0, sizeof *led);
    cs_events part;
    cs_ledger pl;
    memset(&pl, 0, sizeof pl);
    cs_shard_info si;
    cs_error pe;
    cs_error_clear(&pe);
    if (cs_events_init(&part) != CS_OK)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    cs_status st = cs_events_load_shard(&part, o, rank, size, &pl, &si, &pe);
    /* all ranks agree: sharded only when every shard could and the rows add up to some */
    long long flags[2] = {st != CS_OK || si.whole, pl.rows_used};
    if (MPI_Allreduce(MPI_IN_PLACE, flags, 2, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD) != MPI_SUCCESS) {
        cs_events_free(&part);
        return mpi_failed(err, "MPI_Allreduce");
    }
    if (flags[0] || flags[1] == 0) {
        info->whole = si.whole ? si.whole : "a shard failed or found no usable row";
        cs_events_free(&part);
        return load_whole(ev, o, led, rank, size, err);
    }
    /* pack: per destination, the events file's section then the buys' */
    buf *out = calloc((size_t)size * 2, sizeof *out);
    long long *cnt = calloc((size_t)size * 4, sizeof *cnt);   /* send, recv: bytes of each section */
    st = out && cnt ? CS_OK : CS_ENOMEM;
    for (size_t i = 0; !st && i < part.n; i++) {
        int d = owner(cs_intern_str(part.sessions, part.session[i]), size);
        int sec = i >= si.n_events_file;
        if (put_event(&out[2 * d + sec], &part, i))
            st = CS_ENOMEM;
    }
    for (int d = 0; !st && d < size; d++) {
        cnt[2 * d] = (long long)out[2 * d].n;
        cnt[2 * d + 1] = (long long)out[2 * d + 1].n;
    }
    size_t local_events = part.n;
    cs_events_free(&part);
    /* a failure here is this rank's alone: end the job rather than leave the others waiting */
    if (st) {
        for (int d = 0; out && d < 2 * size; d++)
            free(out[d].p);
        free(out);
        free(cnt);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for the exchange");
    }
    long long *rcnt = cnt + 2 * size;
    if (MPI_Alltoall(cnt, 2, MPI_LONG_LONG, rcnt, 2, MPI_LONG_LONG, MPI_COMM_WORLD) != MPI_SUCCESS)
        st = mpi_failed(err, "MPI_Alltoall");
    int *sc = malloc(4 * (size_t)size * sizeof *sc), *sd = sc + size, *rc = sc + 2 * size,
        *rd = sc + 3 * size;
    long long stot = 0, rtot = 0;
    for (int d = 0; !st && sc && d < size; d++) {
        sc[d] = (int)(cnt[2 * d] + cnt[2 * d + 1]);
        rc[d] = (int)(rcnt[2 * d] + rcnt[2 * d + 1]);
        sd[d] = (int)stot;
        rd[d] = (int)rtot;
        stot += cnt[2 * d] + cnt[2 * d + 1];
        rtot += rcnt[2 * d] + rcnt[2 * d + 1];
        if (stot > INT_MAX || rtot > INT_MAX)
            st = cs_error_fmt(err, CS_EINPUT, "MPI: the exchange of %lld bytes is too large for "
                                              "one MPI_Alltoallv (use more ranks)", stot > rtot ? stot : rtot);
    }
    char *sbuf = NULL, *rbuf = NULL;
    if (!st && (!sc || !(sbuf = malloc((size_t)stot + 1)) || !(rbuf = malloc((size_t)rtot + 1))))
        st = cs_error_fmt(err, CS_ENOMEM, "out of memory for the exchange");
    for (int d = 0; !st && d < size; d++) {
        size_t at = (size_t)sd[d];
        for (int k = 2 * d; k < 2 * d + 2; k++) {
            if (out[k].n)   /* an empty part has no buffer (p NULL): memcpy must not see it */
                memcpy(sbuf + at, out[k].p, out[k].n);
            at += out[k].n;
        }
    }
    for (int d = 0; d < 2 * size; d++)
        free(out[d].p);
    free(out);
    if (!st && MPI_Alltoallv(sbuf, sc, sd, MPI_BYTE, rbuf, rc, rd, MPI_BYTE, MPI_COMM_WORLD) !=
                   MPI_SUCCESS)
        st = mpi_failed(err, "MPI_Alltoallv");
    free(sbuf);
    /* the events file's sections of every source, then the buys' */
    for (int sec = 0; sec < 2 && !st; sec++)
        for (int s = 0; s < size && !st; s++) {
            size_t at = (size_t)rd[s] + (sec ? (size_t)rcnt[2 * s] : 0);
            st = take_events(ev, rbuf + at, (size_t)rcnt[2 * s + sec]);
            if (st)
                cs_error_fmt(err, st, "out of memory");
        }
    free(rbuf);
    free(sc);
    free(cnt);
    if (st)
        return st;
    set_purchase(ev, o);
    ev->fingerprint = 0;   /* no rank read the whole file */
    snprintf(ev->source, sizeof ev->source, "%s%s%s", o->path,
             o->outcomes_path && *o->outcomes_path ? " + " : "",
             o->outcomes_path && *o->outcomes_path ? o->outcomes_path : "");
    *led = pl;
    info->sharded = 1;
    info->parsed_events = local_events;
    return CS_OK;
}
