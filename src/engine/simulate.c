/* simulate.c — the synthetic shop (see simulate.h for what it promises).
 *
 * One generator drives both outputs: gen_session() produces a session's events through an
 * emit callback; the CSV writer buffers them all, sorts by time and writes; the event-store
 * output appends them directly.  Every session draws from its own generator seeded from
 * (seed, index), so a session does not change when others do. */
#include "clickseq/runstore.h"
#include "clickseq/simulate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/rng.h"

enum { EV_VIEW = 0, EV_CART, EV_REMOVE, EV_PURCHASE };
static const char *const ev_names[] = {"view", "cart", "remove_from_cart", "purchase"};

#define MAX_LEN 500
#define MAX_CART 32
#define MIN_MS 60000LL

typedef struct sim_ev {
    int64_t t;
    uint32_t session, user, product;
    uint8_t type;
} sim_ev;

typedef struct catalog {
    int np, nc, nb;
    int *cat, *brand;          /* per product */
    float *price;              /* per product */
    int *by_cat, *cat_off;     /* products grouped by category: by_cat[cat_off[c] .. cat_off[c+1]) */
    double *cat_cdf;           /* category popularity (Zipf), cumulative */
    char (*brand_name)[16];
    char (*cat_code)[40];      /* "" for most categories, as in the cosmetics shop */
} catalog;

typedef int (*emit_fn)(void *ctx, const sim_ev *e);

/* ================================ catalog ================================ */

static void catalog_free(catalog *c)
{
    free(c->cat);
    free(c->brand);
    free(c->price);
    free(c->by_cat);
    free(c->cat_off);
    free(c->cat_cdf);
    free(c->brand_name);
    free(c->cat_code);
    memset(c, 0, sizeof *c);
}

static void make_name(cs_rng *r, char *out, size_t cap)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ra", "ne", "so", "vi", "tu", "el",
                                      "ar", "zen", "bel", "cos", "ly", "ri", "na", "da", "fe"};
    size_t n = 2 + (size_t)cs_rng_below(r, 2), k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s", syl[cs_rng_below(r, sizeof syl / sizeof *syl)]);
}

static cs_status catalog_build(catalog *c, const cs_sim_opts *o)
{
    static const char *const codes[] = {"beauty.skin.cream", "beauty.hair.shampoo",
                                        "beauty.nails.polish", "beauty.makeup.lipstick",
                                        "accessories.bag", "appliances.personal.hair_dryer"};
    memset(c, 0, sizeof *c);
    c->np = o->products;
    c->nc = o->categories;
    c->nb = o->brands;
    cs_rng r;
    cs_rng_seed(&r, o->seed ^ 0x636174616c6f67ULL);
    c->cat = malloc((size_t)c->np * sizeof *c->cat);
    c->brand = malloc((size_t)c->np * sizeof *c->brand);
    c->price = malloc((size_t)c->np * sizeof *c->price);
    c->by_cat = malloc((size_t)c->np * sizeof *c->by_cat);
    c->cat_off = calloc((size_t)c->nc + 1, sizeof *c->cat_off);
    c->cat_cdf = malloc((size_t)c->nc * sizeof *c->cat_cdf);
    c->brand_name = malloc((size_t)c->nb * sizeof *c->brand_name);
    c->cat_code = calloc((size_t)c->nc, sizeof *c->cat_code);
    if (!c->cat || !c->brand || !c->price || !c->by_cat || !c->cat_off || !c->cat_cdf ||
        !c->brand_name || !c->cat_code) {
        catalog_free(c);
        return CS_ENOMEM;
    }
    for (int b = 0; b < c->nb; b++)
        make_name(&r, c->brand_name[b], sizeof c->brand_name[b]);
    double sum = 0;
    for (int k = 0; k < c->nc; k++) {
        sum += 1.0 / (k + 1.5);
        c->cat_cdf[k] = sum;
        if (cs_rng_uniform(&r) < 0.25)
            snprintf(c->cat_code[k], sizeof c->cat_code[k], "%s", codes[cs_rng_below(&r, 6)]);
    }
    for (int k = 0; k < c->nc; k++)
        c->cat_cdf[k] /= sum;
    double *cat_base = malloc((size_t)c->nc * sizeof *cat_base);
    if (!cat_base) {
        catalog_free(c);
        return CS_ENOMEM;
    }
    for (int k = 0; k < c->nc; k++)
        cat_base[k] = exp(log(6.0) + 0.8 * cs_rng_normal(&r));
    for (int p = 0; p < c->np; p++) {
        c->cat[p] = p % c->nc; /* every category has products */
        double u = cs_rng_uniform(&r);
        c->brand[p] = (int)((double)c->nb * u * u); /* popular brands first; 0 is promoted */
        double pr = cat_base[c->cat[p]] * exp(0.4 * cs_rng_normal(&r));
        c->price[p] = (float)(floor(pr * 100.0 + 0.5) / 100.0 + 0.01);
        c->cat_off[c->cat[p] + 1]++;
    }
    free(cat_base);
    for (int k = 0; k < c->nc; k++)
        c->cat_off[k + 1] += c->cat_off[k];
    int *fill = malloc((size_t)c->nc * sizeof *fill);
    if (!fill) {
        catalog_free(c);
        return CS_ENOMEM;
    }
    memcpy(fill, c->cat_off, (size_t)c->nc * sizeof *fill);
    for (int p = 0; p < c->np; p++)
        c->by_cat[fill[c->cat[p]]++] = p;
    free(fill);
    return CS_OK;
}

static int pick_category(const catalog *c, cs_rng *r)
{
    double u = cs_rng_uniform(r);
    int lo = 0, hi = c->nc - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->cat_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int product_in(const catalog *c, int cat, cs_rng *r)
{
    int n = c->cat_off[cat + 1] - c->cat_off[cat];
    return c->by_cat[c->cat_off[cat] + (int)cs_rng_below(r, (uint64_t)n)];
}

/* A product of the promoted brand (0), or any if it has none. */
static int promo_product(const catalog *c, cs_rng *r)
{
    for (int tries = 0; tries < 200; tries++) {
        int p = (int)cs_rng_below(r, (uint64_t)c->np);
        if (c->brand[p] == 0)
            return p;
    }
    return (int)cs_rng_below(r, (uint64_t)c->np);
}

/* ================================ sessions ================================ */

typedef struct sess {
    cs_rng r;
    const catalog *c;
    emit_fn emit;
    void *ctx;
    sim_ev e;                 /* template: session, user; t advances */
    int cart[MAX_CART], n_cart;
    int cat, last_view;
    int seen_in_cat;          /* distinct-ish products viewed in the current category */
    int64_t last_cart_gap;    /* ms before the last cart */
    uint8_t compared_last_cart, any_removed, any_cart;
    uint8_t hesitant;         /* a hidden trait: only hesitant shoppers remove from the cart */
    long n;
} sess;

static double lognormal(cs_rng *r, double median, double sigma)
{
    return median * exp(sigma * cs_rng_normal(r));
}

static int emit(sess *s, int type, int product, double dwell_s)
{
    int64_t gap = (int64_t)(dwell_s * 1000.0);
    s->e.t += gap < 0 ? 0 : gap;
    s->e.type = (uint8_t)type;
    s->e.product = (uint32_t)product;
    s->n++;
    return s->emit(s->ctx, &s->e);
}

static double view_dwell(sess *s)
{
    if (cs_rng_uniform(&s->r) < 0.03) /* stepped away: 8 .. 45 minutes */
        return 480.0 + 2220.0 * cs_rng_uniform(&s->r);
    return 2.0 + lognormal(&s->r, 22.0, 0.9);
}

static int do_view(sess *s, int stay, double dwell)
{
    if (!stay || s->cat < 0) {
        s->cat = pick_category(s->c, &s->r);
        s->seen_in_cat = 0;
    }
    int p = product_in(s->c, s->cat, &s->r);
    if (p != s->last_view)
        s->seen_in_cat++;
    s->last_view = p;
    return emit(s, EV_VIEW, p, dwell);
}

/* The first events show the entry source. */
static int entry_events(sess *s, int source, int len)
{
    int k = 0, rc = 0;
    if (source == CS_SIM_SEARCH) {
        for (; k < 3 && k < len && !rc; k++)
            rc = do_view(s, k > 0, 2.0 + 6.0 * cs_rng_uniform(&s->r));
    } else if (source == CS_SIM_CAMPAIGN) {
        for (; k < 2 && k < len && !rc; k++) {
            int p = promo_product(s->c, &s->r);
            s->last_view = p;
            s->cat = s->c->cat[p];
            s->seen_in_cat = 1;
            rc = emit(s, EV_VIEW, p, 5.0 + 10.0 * cs_rng_uniform(&s->r));
        }
    } else if (len > 0) {
        rc = do_view(s, 0, 40.0 + 80.0 * cs_rng_uniform(&s->r));
        k = 1;
    }
    return rc ? -1 : k;
}

static int in_cart(const sess *s, int p)
{
    for (int i = 0; i < s->n_cart; i++)
        if (s->cart[i] == p)
            return 1;
    return 0;
}

/* One step of the intent-dependent chain. */
static int chain_step(sess *s, int intent, int *last)
{
    static const double p_cart[3] = {0.035, 0.07, 0.20};
    static const double p_remove[3] = {0.14, 0.12, 0.08};
    static const double p_stay[3] = {0.55, 0.85, 0.6};
    double u = cs_rng_uniform(&s->r);
    if (s->hesitant && s->n_cart > 0 && *last != EV_REMOVE && u < p_remove[intent]) {
        int i = s->n_cart - 1 - (int)cs_rng_below(&s->r, (uint64_t)(s->n_cart > 1 ? 2 : 1));
        int p = s->cart[i];
        memmove(s->cart + i, s->cart + i + 1, (size_t)(s->n_cart - i - 1) * sizeof *s->cart);
        s->n_cart--;
        s->any_removed = 1;
        *last = EV_REMOVE;
        return emit(s, EV_REMOVE, p, 3.0 + lognormal(&s->r, 6.0, 0.6));
    }
    u = cs_rng_uniform(&s->r);
    if (*last == EV_VIEW && s->last_view >= 0 && !in_cart(s, s->last_view) && s->n_cart < MAX_CART &&
        u < p_cart[intent]) {
        double dwell = 2.0 + lognormal(&s->r, 8.0, 0.7);
        if (cs_rng_uniform(&s->r) < 0.05) /* came back much later to cart it */
            dwell = 660.0 + 1800.0 * cs_rng_uniform(&s->r);
        s->last_cart_gap = (int64_t)(dwell * 1000.0);
        s->compared_last_cart = s->seen_in_cat >= 3;
        s->cart[s->n_cart++] = s->last_view;
        s->any_cart = 1;
        *last = EV_CART;
        return emit(s, EV_CART, s->last_view, dwell);
    }
    *last = EV_VIEW;
    /* Two draws: sequenced explicitly, since the order in which a call's arguments are
     * evaluated is unspecified (clang and gcc differ, and the shop with them).  This is
     * the order gcc used, so data/demo-shop.csv stays the same. */
    double dwell = view_dwell(s);
    int stay = cs_rng_uniform(&s->r) < p_stay[intent];
    return do_view(s, stay, dwell);
}

static int draw_length(cs_rng *r, int intent)
{
    static const double mu[3] = {1.2, 1.9, 1.5};
    if (cs_rng_uniform(r) < 0.28)
        return 1; /* bounce */
    double l;
    if (cs_rng_uniform(r) < 0.035) /* marathon sessions: the long tail */
        l = 40.0 + exp(4.0 + 0.6 * cs_rng_normal(r));
    else
        l = 2.0 + exp(mu[intent] + 0.9 * cs_rng_normal(r));
    return l > MAX_LEN ? MAX_LEN : (int)l;
}

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* Decide and emit the purchase of the net cart. */
static int finish(sess *s, int intent, int source, int len, double user_boost, cs_sim_truth *tr)
{
    static const double base[3] = {-2.6, -1.2, 0.1};
    double p;
    if (s->n_cart == 0) {
        p = 0.003; /* impulse "buy now" without a cart */
    } else {
        double z = base[intent] + user_boost;
        if (s->compared_last_cart)
            z += 1.3;
        if (s->last_cart_gap > 10 * MIN_MS)
            z -= 1.8;
        if (s->any_removed)
            z -= 0.8; /* hesitation: removed something, even if something is left */
        if (len >= 40) /* the long-range signal: only the first events show the source */
            z += source == CS_SIM_CAMPAIGN ? 1.6 : source == CS_SIM_DIRECT ? -1.6 : 0.0;
        p = sigmoid(z);
    }
    tr->carted = s->any_cart;
    tr->cart_removed = s->any_removed;
    tr->compared = s->compared_last_cart;
    tr->long_gap = s->last_cart_gap > 10 * MIN_MS;
    if (cs_rng_uniform(&s->r) >= p)
        return 0;
    tr->purchased = 1;
    if (s->n_cart == 0)
        return emit(s, EV_PURCHASE, s->last_view >= 0 ? s->last_view : 0, 30.0);
    for (int i = 0; i < s->n_cart; i++)
        if (emit(s, EV_PURCHASE, s->cart[i], i == 0 ? 20.0 + 70.0 * cs_rng_uniform(&s->r) : 0.5))
            return -1;
    return 0;
}

/* Users: a skewed choice (some users come back often), and a propensity per user. */
static uint32_t pick_user(cs_rng *r, long users)
{
    double u = cs_rng_uniform(r);
    return (uint32_t)((double)users * u * u);
}

static double user_boost(uint64_t seed, uint32_t user)
{
    cs_rng r;
    cs_rng_seed(&r, seed ^ (0x7573657273ULL + (uint64_t)user * 0x9e3779b97f4a7c15ULL));
    return 0.8 * cs_rng_normal(&r);
}

static int gen_session(const cs_sim_opts *o, const catalog *c, long idx, emit_fn fn, void *ctx,
                       cs_sim_truth *tr)
{
    sess s;
    memset(&s, 0, sizeof s);
    memset(tr, 0, sizeof *tr);
    cs_rng_seed(&s.r, o->seed * 0x100000001b3ULL + (uint64_t)idx * 0x9e3779b97f4a7c15ULL + 1);
    s.c = c;
    s.emit = fn;
    s.ctx = ctx;
    s.cat = -1;
    s.last_view = -1;
    s.e.session = (uint32_t)idx;
    s.e.user = pick_user(&s.r, o->users);
    /* start: a day in the window, an hour following a daily profile (evenings busier) */
    double day = floor(cs_rng_uniform(&s.r) * o->days);
    double hour = fmod(20.0 + 5.0 * cs_rng_normal(&s.r) + 24.0, 24.0);
    if (hour < 0)
        hour += 24.0;
    s.e.t = o->start_ms + (int64_t)((day * 24.0 + hour) * 3600000.0);
    double u = cs_rng_uniform(&s.r);
    int intent = u < 0.62 ? CS_SIM_BROWSE : u < 0.88 ? CS_SIM_COMPARE : CS_SIM_READY;
    u = cs_rng_uniform(&s.r);
    int source = u < 0.45 ? CS_SIM_SEARCH : u < 0.75 ? CS_SIM_CAMPAIGN : CS_SIM_DIRECT;
    tr->intent = (uint8_t)intent;
    tr->source = (uint8_t)source;
    if (cs_rng_uniform(&s.r) < 0.011) { /* checkout finished in a new session */
        tr->buy_only = tr->purchased = 1;
        int k = 1 + (int)cs_rng_below(&s.r, 2);
        for (int i = 0; i < k; i++)
            if (emit(&s, EV_PURCHASE, (int)cs_rng_below(&s.r, (uint64_t)c->np), i ? 1.0 : 0.0))
                return -1;
        tr->events = (uint32_t)s.n;
        return 0;
    }
    s.hesitant = cs_rng_uniform(&s.r) < 0.35;
    int len = draw_length(&s.r, intent);
    int k = entry_events(&s, source, len);
    if (k < 0)
        return -1;
    int last = EV_VIEW;
    for (; k < len; k++)
        if (chain_step(&s, intent, &last))
            return -1;
    if (finish(&s, intent, source, len, user_boost(o->seed, s.e.user), tr))
        return -1;
    tr->events = (uint32_t)s.n;
    return 0;
}

/* ================================ drivers ================================ */

void cs_sim_opts_init(cs_sim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->sessions = 1000;
    o->seed = 1;
}

static cs_status normalise(const cs_sim_opts *in, cs_sim_opts *o, cs_error *err)
{
    *o = *in;
    if (o->sessions < 1 || o->sessions > 100000000L)
        return cs_error_fmt(err, CS_EINPUT, "sessions must be between 1 and 100000000, not %ld",
                            o->sessions);
    if (o->users <= 0)
        o->users = o->sessions / 3 > 0 ? o->sessions / 3 : 1;
    if (o->products <= 0)
        o->products = 2000;
    if (o->categories <= 0)
        o->categories = 40;
    if (o->categories > o->products)
        o->categories = o->products;
    if (o->brands <= 0)
        o->brands = 60;
    if (o->start_ms == 0)
        o->start_ms = 1569888000000LL; /* 2019-10-01 00:00:00 UTC */
    if (o->days <= 0)
        o->days = 61;
    return CS_OK;
}

/* The printable ids of the REES46 columns.  Session ids are 12 hex digits rather than
 * REES46's UUIDs, to keep the bundled demo small. */
static void session_name(uint64_t seed, uint32_t s, char out[40])
{
    /* a bijection of the index on 48 bits (odd multiplications, xorshifts, an offset from
     * the seed): distinct sessions always get distinct names */
    const uint64_t m = 0xffffffffffffULL;
    uint64_t x = ((uint64_t)s * 0x9e3779b97f4bULL + (seed * 0x2545f4914f6cdd1dULL)) & m;
    x ^= x >> 23;
    x = (x * 0xd6e8feb86659fdULL) & m;
    x ^= x >> 21;
    snprintf(out, 40, "%012llx", (unsigned long long)x);
}
static unsigned long long product_id(uint32_t p) { return 5800000ULL + p * 37ULL; }
static unsigned long long category_id(int c) { return 1487580005000000000ULL + (unsigned long long)c * 7919013ULL; }
static unsigned long long user_id(uint32_t u) { return 400000000ULL + u * 131ULL; }

typedef struct store_ctx {
    cs_events *ev;
    const catalog *c;
    uint64_t seed;
    long purchases;
} store_ctx;

static int emit_store(void *ctx, const sim_ev *e)
{
    store_ctx *sc = ctx;
    char sess_s[40], item[24], cat[24], user[24];
    session_name(sc->seed, e->session, sess_s);
    snprintf(item, sizeof item, "%llu", product_id(e->product));
    snprintf(cat, sizeof cat, "%llu", category_id(sc->c->cat[e->product]));
    snprintf(user, sizeof user, "%llu", user_id(e->user));
    sc->purchases += e->type == EV_PURCHASE;
    return cs_events_append(sc->ev, sess_s, e->t, ev_names[e->type], item, cat,
                            sc->c->brand_name[sc->c->brand[e->product]], sc->c->price[e->product],
                            user) != CS_OK;
}

static void sum_add(cs_sim_summary *sum, const cs_sim_truth *tr)
{
    sum->sessions++;
    sum->events += tr->events;
    sum->positives += tr->purchased;
}

cs_status cs_simulate_events(const cs_sim_opts *in, cs_events *ev, cs_sim_truth **truth,
                             cs_sim_summary *sum, cs_error *err)
{
    cs_sim_opts o;
    cs_status st = normalise(in, &o, err);
    if (st != CS_OK)
        return st;
    catalog c;
    if (catalog_build(&c, &o) != CS_OK)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory building the catalog");
    cs_sim_truth *tr = malloc((size_t)o.sessions * sizeof *tr);
    if (!tr) {
        catalog_free(&c);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for %ld sessions", o.sessions);
    }
    store_ctx sc = {ev, &c, o.seed, 0};
    cs_sim_summary s = {0, 0, 0, 0, o.users};
    for (long i = 0; i < o.sessions && st == CS_OK; i++) {
        if (gen_session(&o, &c, i, emit_store, &sc, &tr[i]))
            st = cs_error_fmt(err, CS_ENOMEM, "out of memory storing simulated events");
        else
            sum_add(&s, &tr[i]);
    }
    s.purchase_events = sc.purchases;
    catalog_free(&c);
    if (sum)
        *sum = s;
    if (truth && st == CS_OK)
        *truth = tr;
    else
        free(tr);
    return st;
}

/* ---- the CSV writer ---- */

typedef struct buf_ctx {
    sim_ev *v;
    size_t n, cap;
} buf_ctx;

static int emit_buf(void *ctx, const sim_ev *e)
{
    buf_ctx *b = ctx;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        sim_ev *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return -1;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = *e;
    return 0;
}

/* By time, ties by session index: a total order, because the times within a session are
 * strictly increasing (every step adds at least 0.5 s), so qsort's instability cannot show. */
static int cmp_ev(const void *a, const void *b)
{
    const sim_ev *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->session != y->session)
        return x->session < y->session ? -1 : 1;
    return 0;
}

static int write_row(FILE *f, const catalog *c, uint64_t seed, const sim_ev *e)
{
    time_t secs = (time_t)(e->t / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char sess_s[40];
    session_name(seed, e->session, sess_s);
    return fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d UTC,%s,%llu,%llu,%s,%s,%.2f,%llu,%s\n",
                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   ev_names[e->type], product_id(e->product), category_id(c->cat[e->product]),
                   c->cat_code[c->cat[e->product]], c->brand_name[c->brand[e->product]],
                   (double)c->price[e->product], user_id(e->user), sess_s) < 0;
}

/* Written atomically (runstore.h): a kill leaves the old file or the new one, never a
 * half-written shop. */
static cs_status write_file(const char *path, const catalog *c, uint64_t seed, const buf_ctx *b,
                            cs_error *err)
{
    cs_atomic_file af;
    cs_status st = cs_atomic_open(&af, path, err);
    if (st != CS_OK)
        return st;
    int bad = fputs("event_time,event_type,product_id,category_id,category_code,brand,price,"
                    "user_id,user_session\n", af.f) < 0;
    for (size_t i = 0; i < b->n && !bad; i++)
        bad = write_row(af.f, c, seed, &b->v[i]);
    if (bad) {
        int e = errno;
        cs_atomic_abort(&af);
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    return cs_atomic_commit(&af, err);
}

cs_status cs_simulate_write(const cs_sim_opts *in, const char *path, cs_sim_summary *sum,
                            cs_error *err)
{
    cs_sim_opts o;
    cs_status st = normalise(in, &o, err);
    if (st != CS_OK)
        return st;
    catalog c;
    if (catalog_build(&c, &o) != CS_OK)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory building the catalog");
    buf_ctx b = {NULL, 0, 0};
    cs_sim_summary s = {0, 0, 0, 0, o.users};
    cs_sim_truth tr;
    for (long i = 0; i < o.sessions && st == CS_OK; i++) {
        size_t before = b.n;
        if (gen_session(&o, &c, i, emit_buf, &b, &tr))
            st = cs_error_fmt(err, CS_ENOMEM, "out of memory buffering simulated events");
        sum_add(&s, &tr);
        for (size_t k = before; k < b.n; k++)
            s.purchase_events += b.v[k].type == EV_PURCHASE;
    }
    if (st == CS_OK) {
        qsort(b.v, b.n, sizeof *b.v, cmp_ev);
        st = write_file(path, &c, o.seed, &b, err);
    }
    free(b.v);
    catalog_free(&c);
    if (sum)
        *sum = s;
    return st;
}
