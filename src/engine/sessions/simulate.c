/* simulate.c — the synthetic shop (see simulate.h for what it promises).
 *
 * One generator drives both outputs: gen_session() produces a session's events through an
 * emit callback; the CSV writer buffers them all, sorts by time and writes; the event-store
 * output appends them directly.  Every session draws from its own generator seeded from
 * (seed, index), so a session does not change when others do. */
#include "clickseq/simulate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/files.h"
#include "clickseq/rng.h"
#include "engine/core/freeall.h"

enum { EV_VIEW = 0, EV_CART, EV_REMOVE, EV_PURCHASE };
static const char *const ev_names[] = {"view", "cart", "remove_from_cart", "purchase"};

#define MAX_LEN 500
#define MAX_CART 32
#define MIN_MS 60000LL

typedef struct sim_ev {
    int64_t t;
    uint32_t session, user, product;
    float price;               /* the product's price as shown (campaign entries: discounted) */
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
    CS_FREE_ALL(c->cat, c->brand, c->price, c->by_cat, c->cat_off, c->cat_cdf, c->brand_name,
                c->cat_code);
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

/* A session is planned first (which positions are views, carts, a remove), then walked to
 * emit events with products, dwell times and prices, then its outcome is drawn from the
 * ORDER of the plan.  The plan's counts (carts, removes, views) are drawn the same way for
 * buyers and non-buyers; what decides is where the events sit:
 *  - the views after the last cart (tail): a cart at the end of the browsing often buys, a
 *    cart followed by long browsing away rarely does;
 *  - a remove after the last cart (taking things out at the end) abandons, a remove before
 *    it (a product swapped for another) does not;
 *  - a long pause just before the last cart lowers the chance;
 *  - in sessions of more than SOURCE_FROM events (fully from LONG_LEN on) the entry source,
 *    visible only in the dwell and price of the first ENTRY events, shifts the outcome. */
enum { P_VIEW = 0, P_CART, P_REMOVE };
#define ENTRY 3
#define LONG_LEN 40
#define SOURCE_FROM 8

typedef struct sess {
    cs_rng r;
    const catalog *c;
    emit_fn emit;
    void *ctx;
    sim_ev e;                 /* template: session, user; t advances */
    int cart[MAX_CART], n_cart;
    int cat, last_view;
    int seen_in_cat;          /* distinct-ish products viewed in the current category */
    long n;
} sess;

typedef struct plan {
    uint8_t type[MAX_LEN];
    int len, last_cart;       /* last_cart: position of the last cart, -1 when none */
    int tail_views;           /* views after the last cart */
    uint8_t removed_after;    /* the remove comes after the last cart */
    uint8_t has_remove;
} plan;

static double lognormal(cs_rng *r, double median, double sigma)
{
    return median * exp(sigma * cs_rng_normal(r));
}

static int emit(sess *s, int type, int product, double dwell_s, double price_factor)
{
    int64_t gap = (int64_t)(dwell_s * 1000.0);
    s->e.t += gap < 0 ? 0 : gap;
    s->e.type = (uint8_t)type;
    s->e.product = (uint32_t)product;
    s->e.price = (float)(floor((double)s->c->price[product] * price_factor * 100.0 + 0.5) / 100.0);
    if (s->e.price < 0.01f)
        s->e.price = 0.01f;
    s->n++;
    return s->emit(s->ctx, &s->e);
}

static double view_dwell(sess *s)
{
    if (cs_rng_uniform(&s->r) < 0.03) /* stepped away: 8 .. 45 minutes */
        return 480.0 + 2220.0 * cs_rng_uniform(&s->r);
    return 2.0 + lognormal(&s->r, 22.0, 0.9);
}

static void pick_view(sess *s, int stay)
{
    if (!stay || s->cat < 0) {
        s->cat = pick_category(s->c, &s->r);
        s->seen_in_cat = 0;
    }
    int p = product_in(s->c, s->cat, &s->r);
    if (p != s->last_view)
        s->seen_in_cat++;
    s->last_view = p;
}

/* Entry view k (< ENTRY) of a source: search skims one category with short dwells, a
 * campaign lands on the promoted brand at a 40 % discount and clicks through fast, a direct
 * visit reads its first pages at length.  Dwell is the gap BEFORE an event, so the source
 * shows from the second event on. */
static int entry_view(sess *s, int source, int k)
{
    if (source == CS_SIM_CAMPAIGN) {
        int p = promo_product(s->c, &s->r);
        s->last_view = p;
        s->cat = s->c->cat[p];
        s->seen_in_cat = 1;
        return emit(s, EV_VIEW, p, 1.0 + 2.0 * cs_rng_uniform(&s->r), 0.6);
    }
    pick_view(s, k > 0);
    double dwell = source == CS_SIM_SEARCH ? 6.0 + 8.0 * cs_rng_uniform(&s->r)
                                           : 45.0 + 30.0 * cs_rng_uniform(&s->r);
    return emit(s, EV_VIEW, s->last_view, dwell, 1.0);
}

static int in_cart(const sess *s, int p)
{
    for (int i = 0; i < s->n_cart; i++)
        if (s->cart[i] == p)
            return 1;
    return 0;
}

static int draw_length(cs_rng *r, int intent)
{
    static const double mu[3] = {1.2, 1.9, 1.5};
    if (cs_rng_uniform(r) < 0.28)
        return 1; /* bounce */
    double l;
    if (cs_rng_uniform(r) < 0.08) /* marathon sessions: the long tail */
        l = 40.0 + exp(3.7 + 0.6 * cs_rng_normal(r));
    else
        l = 2.0 + exp(mu[intent] + 0.9 * cs_rng_normal(r));
    return l > MAX_LEN ? MAX_LEN : (int)l;
}

/* Views after the last cart: the same law for every intent and length (capped by the
 * session), so neither counts nor length tell it. */
static int draw_tail(cs_rng *r)
{
    double u = cs_rng_uniform(r);
    if (u < 0.30)
        return 0;
    if (u < 0.45)
        return 1;
    return 2 + (int)(-4.0 * log(1.0 - cs_rng_uniform(r)));
}

/* Place a hesitant shopper's extra cart and its remove: before the last cart (swapped) or
 * after it (taken out at the end), half and half, the other when one does not fit.  The
 * counts are the same either way: one more cart, one remove. */
static void plan_remove(plan *pl, cs_rng *r)
{
    int lc = pl->last_cart, T = pl->len - 1 - lc;
    int can_before = lc >= 3, can_after = T >= 1 && lc >= 2;
    if (!can_before && !can_after)
        return;
    int after = can_after && (!can_before || cs_rng_uniform(r) < 0.5);
    int x, rm;
    if (after) {
        x = 1 + (int)cs_rng_below(r, (uint64_t)(lc - 1));       /* 1 .. lc-1 */
        rm = lc + 1 + (int)cs_rng_below(r, (uint64_t)T);         /* lc+1 .. len-1 */
    } else {
        x = 1 + (int)cs_rng_below(r, (uint64_t)(lc - 2));       /* 1 .. lc-2 */
        rm = x + 1 + (int)cs_rng_below(r, (uint64_t)(lc - 1 - x)); /* x+1 .. lc-1 */
    }
    pl->type[x] = P_CART;
    pl->type[rm] = P_REMOVE;
    pl->has_remove = 1;
    pl->removed_after = (uint8_t)after;
}

static void make_plan(plan *pl, cs_rng *r, int intent, int len)
{
    static const double p_carted[3] = {0.16, 0.34, 0.55};
    static const double p_more[3] = {0.01, 0.03, 0.05};
    memset(pl, 0, sizeof *pl);
    pl->len = len;
    pl->last_cart = -1;
    if (len < 2 || cs_rng_uniform(r) >= p_carted[intent] + (len >= LONG_LEN ? 0.25 : 0.0))
        return;
    int T = draw_tail(r);
    if (T > len - 2)
        T = len - 2;
    pl->last_cart = len - 1 - T;
    pl->type[pl->last_cart] = P_CART;
    for (int i = 2; i < pl->last_cart; i++) /* a few more carts in the body */
        if (pl->type[i - 1] == P_VIEW && cs_rng_uniform(r) < p_more[intent])
            pl->type[i] = P_CART;
    if (cs_rng_uniform(r) < 0.35)
        plan_remove(pl, r);
    for (int i = pl->last_cart + 1; i < len; i++)
        pl->tail_views += pl->type[i] == P_VIEW;
}

/* Walk the plan: products, dwell times, prices.  *gap_ms receives the dwell before the
 * last cart, *compared whether >= 3 products of its category were viewed before it. */
static int walk_plan(sess *s, const plan *pl, int source, int intent, int64_t *gap_ms,
                     uint8_t *compared)
{
    static const double p_stay[3] = {0.55, 0.85, 0.6};
    int removable = -1; /* the product a planned remove takes out */
    for (int i = 0; i < pl->len; i++) {
        int rc;
        if (pl->type[i] == P_VIEW) {
            if (i < ENTRY)
                rc = entry_view(s, source, i);
            else {
                pick_view(s, cs_rng_uniform(&s->r) < p_stay[intent]);
                rc = emit(s, EV_VIEW, s->last_view, view_dwell(s), 1.0);
            }
        } else if (pl->type[i] == P_CART) {
            double dwell = 2.0 + lognormal(&s->r, 8.0, 0.7);
            if (i == pl->last_cart && cs_rng_uniform(&s->r) < 0.06) /* came back much later */
                dwell = 660.0 + 1800.0 * cs_rng_uniform(&s->r);
            int p = s->last_view >= 0 ? s->last_view : 0;
            if (i == pl->last_cart) {
                *gap_ms = (int64_t)(dwell * 1000.0);
                *compared = s->seen_in_cat >= 3;
            }
            if (!in_cart(s, p) && s->n_cart < MAX_CART)
                s->cart[s->n_cart++] = p;
            removable = i == pl->last_cart ? removable : p;
            if (pl->removed_after && i == pl->last_cart)
                removable = p;
            rc = emit(s, EV_CART, p, dwell, 1.0);
        } else {
            int p = removable >= 0 ? removable : s->last_view;
            for (int k = 0; k < s->n_cart; k++)
                if (s->cart[k] == p) {
                    memmove(s->cart + k, s->cart + k + 1, (size_t)(s->n_cart - k - 1) * sizeof *s->cart);
                    s->n_cart--;
                    break;
                }
            rc = emit(s, EV_REMOVE, p, 3.0 + lognormal(&s->r, 6.0, 0.6), 1.0);
        }
        if (rc)
            return -1;
    }
    return 0;
}

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* The chance that a session with this plan buys (see the comment at the top). */
static double buy_chance(const plan *pl, int intent, int source, int64_t gap_ms, double user_boost)
{
    static const double base[3] = {-0.3, 0.0, 0.3};
    if (pl->last_cart < 0)
        return 0.003; /* impulse "buy now" without a cart */
    double z = 0.9 + base[intent] + user_boost - 0.75 * pl->tail_views;
    if (pl->removed_after)
        z -= 3.0;
    if (gap_ms > 10 * MIN_MS)
        z -= 1.8;
    /* the long-range signal: only the first events show the source; it counts from
     * SOURCE_FROM events on and fully from LONG_LEN on (a model learns it on the shorter
     * sessions, and must keep it through the long ones) */
    double w = pl->len <= SOURCE_FROM ? 0.0 : pl->len >= LONG_LEN ? 1.0
             : (double)(pl->len - SOURCE_FROM) / (double)(LONG_LEN - SOURCE_FROM);
    z += w * (source == CS_SIM_CAMPAIGN ? 3.0 : source == CS_SIM_DIRECT ? -3.0 : 0.0);
    return sigmoid(z);
}

/* Decide and emit the purchase of the net cart. */
static int finish(sess *s, double p, cs_sim_truth *tr)
{
    if (cs_rng_uniform(&s->r) >= p)
        return 0;
    tr->purchased = 1;
    if (s->n_cart == 0)
        return emit(s, EV_PURCHASE, s->last_view >= 0 ? s->last_view : 0, 30.0, 1.0);
    for (int i = 0; i < s->n_cart; i++)
        if (emit(s, EV_PURCHASE, s->cart[i], i == 0 ? 20.0 + 70.0 * cs_rng_uniform(&s->r) : 0.5, 1.0))
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
    return 0.5 * cs_rng_normal(&r);
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
    int source = u < 0.40 ? CS_SIM_SEARCH : u < 0.70 ? CS_SIM_CAMPAIGN : CS_SIM_DIRECT;
    tr->intent = (uint8_t)intent;
    tr->source = (uint8_t)source;
    if (cs_rng_uniform(&s.r) < 0.011) { /* checkout finished in a new session */
        tr->buy_only = tr->purchased = 1;
        int k = 1 + (int)cs_rng_below(&s.r, 2);
        for (int i = 0; i < k; i++)
            if (emit(&s, EV_PURCHASE, (int)cs_rng_below(&s.r, (uint64_t)c->np), i ? 1.0 : 0.0, 1.0))
                return -1;
        tr->events = (uint32_t)s.n;
        return 0;
    }
    plan pl;
    make_plan(&pl, &s.r, intent, draw_length(&s.r, intent));
    int64_t gap_ms = 0;
    uint8_t compared = 0;
    if (walk_plan(&s, &pl, source, intent, &gap_ms, &compared))
        return -1;
    double p = buy_chance(&pl, intent, source, gap_ms, user_boost(o->seed, s.e.user));
    tr->carted = pl.last_cart >= 0;
    tr->cart_removed = pl.has_remove;
    tr->removed_after = pl.removed_after;
    tr->tail_views = (uint16_t)pl.tail_views;
    tr->compared = compared;
    tr->long_gap = gap_ms > 10 * MIN_MS;
    if (finish(&s, p, tr))
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
                            sc->c->brand_name[sc->c->brand[e->product]], e->price,
                            user) != CS_OK;
}

static void sum_add(cs_sim_summary *sum, const cs_sim_truth *tr)
{
    sum->sessions++;
    sum->events += tr->events;
    sum->positives += tr->purchased;
}

/* Both simulations start here: the options checked and filled in, the catalog built. */
static cs_status sim_begin(const cs_sim_opts *in, cs_sim_opts *o, catalog *c, cs_error *err)
{
    cs_status st = normalise(in, o, err);
    if (st != CS_OK)
        return st;
    if (catalog_build(c, o) != CS_OK)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory building the catalog");
    return CS_OK;
}

cs_status cs_simulate_events(const cs_sim_opts *in, cs_events *ev, cs_sim_truth **truth,
                             cs_sim_summary *sum, cs_error *err)
{
    cs_sim_opts o;
    catalog c;
    cs_status st = sim_begin(in, &o, &c, err);
    if (st != CS_OK)
        return st;
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
                   (double)e->price, user_id(e->user), sess_s) < 0;
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
    catalog c;
    cs_status st = sim_begin(in, &o, &c, err);
    if (st != CS_OK)
        return st;
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
