/* dataset.c — sessionising an event store into a dataset (see dataset.h for the contract).
 *
 * Grouping (data/group.c) is a counting sort by session id (O(n), stable), then a stable
 * merge sort by time inside each session that is not already in order (real logs almost
 * always are), on opts->threads threads.
 * Building is two passes over the groups: pick the kept sessions and their input ranges,
 * then fill the columns of the chosen view. */
#include "clickseq/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/hash.h"
#include "engine/core/fanout.h"
#include "engine/data/group.h"
#include "engine/sessions/sessions.h"
#include "engine/core/freeall.h"

void cs_dataset_opts_init(cs_dataset_opts *o)
{
    memset(o, 0, sizeof *o);
    o->view = CS_VIEW_SEQUENCE;
    o->method = CS_METHOD_HONEST;
    o->max_len = 0;
    o->policy = CS_LEN_TRUNCATE;
    o->min_len = 1;
}

/* ================================ grouping ================================ */

/* By session id (group s = session id s + 1), each in time order: data/group.c. */
cs_status cs_groups_build(cs_groups *g, const cs_events *ev, int threads)
{
    memset(g, 0, sizeof *g);
    g->ns = ev->sessions ? cs_intern_count(ev->sessions) : 0;
    for (size_t i = 0; i < ev->n; i++) /* ids come from the table; a stray one is a bug */
        if (ev->session[i] > g->ns)
            return CS_EINPUT;
    uint32_t *start, *perm;
    cs_status st = cs_group_by_key(ev->session, ev->time_ms, 0, ev->n, g->ns + 1, threads, &start, &perm);
    if (st != CS_OK)
        return st;
    g->base = start;
    g->start = start + 1; /* id 0 (missing) is not a session */
    g->perm = perm;
    return CS_OK;
}

void cs_groups_free(cs_groups *g)
{
    free(g->base);
    free(g->perm);
    memset(g, 0, sizeof *g);
}

/* ============================ choosing sessions ============================ */

/* Honest: inputs are the events before the first purchase time; returns the drop reason
 * or -1 when kept, with the input range in *pk. */
static int pick_honest(const cs_events *ev, const cs_groups *g, size_t s, const cs_dataset_opts *o,
                       cs_pick *pk, cs_ledger *led)
{
    size_t a = g->start[s], e = g->start[s + 1], b = e;
    const uint32_t *p = g->perm;
    uint16_t pt = ev->purchase_type;
    int64_t tbuy = 0;
    int has = 0;
    for (size_t k = a; k < e; k++)
        if (pt && ev->type[p[k]] == pt) {
            if (!has || ev->time_ms[p[k]] < tbuy)
                tbuy = ev->time_ms[p[k]];
            has = 1;
            led->purchase_events++;
        }
    if (has) {
        b = a;
        while (b < e && ev->time_ms[p[b]] < tbuy)
            b++;
        led->events_after_purchase += (long)(e - b);
    }
    pk->group = s;
    pk->label = (uint8_t)has;
    size_t len = b - a;
    if (len == 0)
        return CS_DROP_EMPTY_BEFORE_PURCHASE;
    if (len < (size_t)(o->min_len > 1 ? o->min_len : 1))
        return CS_DROP_TOO_SHORT;
    if (o->max_len > 0 && len > (size_t)o->max_len) {
        if (o->policy == CS_LEN_FILTER)
            return CS_DROP_TOO_LONG;
        led->events_truncated += (long)(len - (size_t)o->max_len);
        a = b - (size_t)o->max_len;
    }
    pk->a = a;
    pk->b = b;
    return -1;
}

/* Seed-compatible: the study's order of operations (dataset.h). */
static int pick_compat(const cs_events *ev, const cs_groups *g, size_t s, const cs_dataset_opts *o,
                       cs_pick *pk, cs_ledger *led)
{
    size_t a = g->start[s], e = g->start[s + 1];
    uint16_t pt = ev->purchase_type;
    int has = 0;
    for (size_t k = a; k < e; k++)
        if (pt && ev->type[g->perm[k]] == pt) {
            has = 1;
            led->purchase_events++;
        }
    pk->group = s;
    pk->label = (uint8_t)has;
    pk->a = a;
    pk->b = e;
    if (e - a <= 1)
        return CS_DROP_TOO_SHORT;
    if (o->max_len > 0 && e - a > (size_t)o->max_len)
        return CS_DROP_TOO_LONG;
    return -1;
}

static cs_status pick_sessions(const cs_events *ev, const cs_groups *g, const cs_dataset_opts *o,
                               cs_pick **out, size_t *n_out, size_t *seen_pos, cs_ledger *led)
{
    cs_pick *pk = malloc((g->ns ? g->ns : 1) * sizeof *pk);
    if (!pk)
        return CS_ENOMEM;
    size_t n = 0;
    for (size_t s = 0; s < g->ns; s++) {
        if (g->start[s + 1] == g->start[s])
            continue;
        led->sessions_seen++;
        int why = o->method == CS_METHOD_COMPAT ? pick_compat(ev, g, s, o, &pk[n], led)
                                                : pick_honest(ev, g, s, o, &pk[n], led);
        *seen_pos += pk[n].label;
        if (why >= 0) {
            led->sessions_dropped[why]++;
            continue;
        }
        led->sessions_kept++;
        n++;
    }
    *out = pk;
    *n_out = n;
    return CS_OK;
}

/* ================================ filling ================================ */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Stable 32-bit hashes of an interned table's strings, indexed by id (0 stays 0 =
 * missing).  The dataset stores these rather than interned ids: ids depend on the order
 * of a file, hashes of the strings do not, so a model with hashed embeddings evaluates
 * correctly on other data. */
uint32_t cs_hash_str(const char *s)
{
    if (!*s)
        return 0;
    uint32_t x = cs_fnv32_str(s);
    return x ? x : 1;
}

static float log1p_pos(double x) { return x > 0 && isfinite(x) ? (float)log1p(x) : 0.0f; }

/* The columns of the sequence view, filled one at a time (seq_job.col): each pass reads
 * one event column in session order, so a consuming build (build(), lean) frees that
 * event column right after its pass and the dataset grows as the events shrink. */
enum { COL_TYPE, COL_ITEM, COL_CATEGORY, COL_BRAND, COL_PRICE, COL_DWELL, NCOLS };

typedef struct seq_job {
    cs_dataset *ds;
    const cs_events *ev;
    const cs_groups *g;
    const cs_pick *pk;
    const uint32_t *hash;   /* COL_ITEM/CATEGORY/BRAND: id -> stable hash */
    int col;
} seq_job;

/* Fill column j->col of sessions [i0, i1) (their offsets are set). */
static void fill_steps(const seq_job *j, size_t i0, size_t i1)
{
    cs_dataset *ds = j->ds;
    const cs_events *ev = j->ev;
    const uint32_t *perm = j->g->perm, *h = j->hash;
    const uint32_t *ids = j->col == COL_ITEM ? ev->item : j->col == COL_CATEGORY ? ev->category : ev->brand;
    uint32_t *out = j->col == COL_ITEM ? ds->item : j->col == COL_CATEGORY ? ds->category : ds->brand;
    for (size_t i = i0; i < i1; i++) {
        size_t k = ds->off[i], a = j->pk[i].a, b = j->pk[i].b;
        switch (j->col) {
        case COL_TYPE:
            for (size_t q = a; q < b; q++, k++)
                ds->type[k] = ev->type[perm[q]];
            break;
        case COL_PRICE:
            for (size_t q = a; q < b; q++, k++)
                ds->log_price[k] = log1p_pos(ev->price[perm[q]]);
            break;
        case COL_DWELL: {
            size_t first = j->g->start[j->pk[i].group];
            for (size_t q = a; q < b; q++, k++) {
                double dwell = q > first ? (double)(ev->time_ms[perm[q]] - ev->time_ms[perm[q - 1]]) / 1000.0 : 0;
                ds->log_dwell[k] = log1p_pos(dwell);
            }
            break;
        }
        default:
            for (size_t q = a; q < b; q++, k++)
                out[k] = h[ids[perm[q]]];
        }
    }
}

static void fill_part(void *ctx, int t, int nt)
{
    const seq_job *j = ctx;
    size_t i0, i1;
    cs_fanout_groups(j->ds->off, j->ds->n, j->ds->n_steps, t, nt, &i0, &i1);
    fill_steps(j, i0, i1);
}

typedef struct hash_job {
    const cs_intern *t;
    uint32_t *h;
} hash_job;

static void hash_part(void *ctx, int t, int nt)
{
    hash_job *j = ctx;
    uint32_t n = cs_intern_count(j->t) + 1;
    uint32_t a = (uint32_t)((uint64_t)n * (uint64_t)t / (uint64_t)nt);
    uint32_t b = (uint32_t)((uint64_t)n * (uint64_t)(t + 1) / (uint64_t)nt);
    for (uint32_t id = a; id < b; id++)
        j->h[id] = cs_hash_str(cs_intern_str(j->t, id));
}

/* lean: free each event column (and intern table) once its pass is done. */
static void drop_col(void *pp, int lean)
{
    if (lean) {
        void **p = pp;
        free(*p);
        *p = NULL;
    }
}

static void drop_table(cs_intern **t, int lean)
{
    if (lean) {
        cs_intern_free(*t);
        *t = NULL;
    }
}

static cs_status fill_sequence(cs_dataset *ds, cs_events *ev, const cs_groups *g,
                               const cs_pick *pk, int threads, int lean)
{
    size_t total = 0;
    for (size_t i = 0; i < ds->n; i++)
        total += pk[i].b - pk[i].a;
    size_t m = total ? total : 1;
    ds->n_steps = total;
    ds->off = malloc((ds->n + 1) * sizeof *ds->off);
    if (!ds->off)
        return CS_ENOMEM;
    int nt = cs_fanout_threads(threads);
    if (total < ((size_t)1 << 16))
        nt = 1;
    size_t k = 0;
    for (size_t i = 0; i < ds->n; i++) {
        ds->off[i] = k;
        k += pk[i].b - pk[i].a;
    }
    ds->off[ds->n] = k;
    seq_job j = {ds, ev, g, pk, NULL, 0};
    for (int col = 0; col < NCOLS; col++) {
        void **out = col == COL_TYPE ? (void **)&ds->type : col == COL_ITEM ? (void **)&ds->item
                   : col == COL_CATEGORY ? (void **)&ds->category : col == COL_BRAND ? (void **)&ds->brand
                   : col == COL_PRICE ? (void **)&ds->log_price : (void **)&ds->log_dwell;
        size_t width = col == COL_TYPE ? sizeof *ds->type : 4;
        if (!(*out = malloc(m * width)))
            return CS_ENOMEM;
        cs_intern **tab = col == COL_ITEM ? &ev->items : col == COL_CATEGORY ? &ev->categories
                        : col == COL_BRAND ? &ev->brands : NULL;
        hash_job hj = {tab ? *tab : NULL, NULL};
        if (tab) {
            if (!(hj.h = malloc(((size_t)cs_intern_count(*tab) + 1) * sizeof *hj.h)))
                return CS_ENOMEM;
            cs_fanout(cs_intern_count(*tab) < 4096 ? 1 : nt, hash_part, &hj);
        }
        j.col = col;
        j.hash = hj.h;
        cs_fanout(nt, fill_part, &j);
        free(hj.h);
        if (col == COL_ITEM || col == COL_CATEGORY || col == COL_BRAND) {
            drop_col(col == COL_ITEM ? &ev->item : col == COL_CATEGORY ? &ev->category : &ev->brand, lean);
            drop_table(tab, lean);
        } else if (col == COL_PRICE) {
            drop_col(&ev->price, lean);
        } else if (col == COL_DWELL) {
            drop_col(&ev->time_ms, lean);
        }
    }
    ds->n_types = (int)cs_intern_count(ev->types);
    ds->type_names = calloc((size_t)ds->n_types + 1, sizeof *ds->type_names);
    if (!ds->type_names)
        return CS_ENOMEM;
    for (int t = 0; t <= ds->n_types; t++)
        if (!(ds->type_names[t] = dup_str(cs_intern_str(ev->types, (uint32_t)t))))
            return CS_ENOMEM;
    return CS_OK;
}

/* The study's integer codes for each interned type id (dataset.h). */
static cs_status compat_codes(const cs_events *ev, uint16_t **code_out, int *n_codes)
{
    uint32_t nt = cs_intern_count(ev->types);
    uint16_t *code = calloc((size_t)nt + 1, sizeof *code);
    if (!code)
        return CS_ENOMEM;
    uint16_t next = 5;
    for (uint32_t t = 1; t <= nt; t++) {
        if (t == ev->purchase_type)
            code[t] = 1;
        else if (t == ev->cart_type)
            code[t] = 2;
        else if (t == ev->view_type)
            code[t] = 3;
        else if (t == ev->remove_type)
            code[t] = 4;
        else
            code[t] = next++;
    }
    *code_out = code;
    *n_codes = next - 1;
    return CS_OK;
}

static cs_status compat_type_names(cs_dataset *ds, const cs_events *ev, const uint16_t *code,
                                   int n_codes)
{
    static const char *const known[5] = {"", "purchase", "cart", "view", "remove_from_cart"};
    ds->n_types = n_codes;
    ds->type_names = calloc((size_t)n_codes + 1, sizeof *ds->type_names);
    if (!ds->type_names)
        return CS_ENOMEM;
    for (int c = 0; c <= n_codes && c < 5; c++)
        ds->type_names[c] = dup_str(known[c]);
    for (uint32_t t = 1; t <= cs_intern_count(ev->types); t++)
        if (code[t] >= 1 && !ds->type_names[code[t]])
            ds->type_names[code[t]] = dup_str(cs_intern_str(ev->types, t));
    for (int c = 0; c <= n_codes; c++)
        if (!ds->type_names[c] && !(ds->type_names[c] = dup_str("")))
            return CS_ENOMEM;
    return CS_OK;
}

/* Compat sequence: purchases removed, pre-padded raw codes as a FEATURES row. */
static cs_status fill_compat_codes(cs_dataset *ds, const cs_events *ev, const cs_groups *g,
                                   const cs_pick *pk, int max_len)
{
    uint16_t *code = NULL;
    int n_codes = 0;
    cs_status st = compat_codes(ev, &code, &n_codes);
    if (st != CS_OK)
        return st;
    size_t width = max_len > 0 ? (size_t)max_len : 0;
    if (!width)
        for (size_t i = 0; i < ds->n; i++) {
            size_t len = 0;
            for (size_t q = pk[i].a; q < pk[i].b; q++)
                len += ev->type[g->perm[q]] != ev->purchase_type || !ev->purchase_type;
            width = len > width ? len : width;
        }
    if (!width)
        width = 1;
    ds->n_feat = width;
    ds->feat = calloc(ds->n * width + 1, sizeof *ds->feat);
    ds->feat_names = calloc(width, sizeof *ds->feat_names);
    if (!ds->feat || !ds->feat_names) {
        free(code);
        return CS_ENOMEM;
    }
    for (size_t j = 0; j < width; j++) {
        char nm[32];
        snprintf(nm, sizeof nm, "code_%zu", j + 1);
        if (!(ds->feat_names[j] = dup_str(nm))) {
            free(code);
            return CS_ENOMEM;
        }
    }
    for (size_t i = 0; i < ds->n; i++) {
        /* right-align the non-purchase codes: pre-padding */
        float *row = ds->feat + i * width;
        size_t j = width;
        for (size_t q = pk[i].b; q > pk[i].a; q--) {
            uint16_t t = ev->type[g->perm[q - 1]];
            if (ev->purchase_type && t == ev->purchase_type)
                continue;
            if (j == 0)
                break; /* cannot happen: rows were filtered to <= width */
            row[--j] = (float)code[t];
        }
    }
    st = compat_type_names(ds, ev, code, n_codes);
    free(code);
    return st;
}

/* Per-session columns; the names in one blob (ds->names_blob: one allocation instead of
 * one per session, 37 bytes a UUID instead of 48).  lean: the users and the sessions are
 * freed once read (their column and intern table). */
static cs_status fill_sessions(cs_dataset *ds, cs_events *ev, const cs_groups *g,
                               const cs_pick *pk, int lean)
{
    size_t m = ds->n ? ds->n : 1;
    ds->label = malloc(m * sizeof *ds->label);
    ds->start_ms = malloc(m * sizeof *ds->start_ms);
    ds->session_id = malloc(m * sizeof *ds->session_id);
    ds->user_id = malloc(m * sizeof *ds->user_id);
    if (!ds->label || !ds->start_ms || !ds->session_id || !ds->user_id)
        return CS_ENOMEM;
    size_t bytes = 0;
    for (size_t i = 0; i < ds->n; i++) {
        size_t first = g->perm[g->start[pk[i].group]];
        ds->label[i] = pk[i].label;
        ds->start_ms[i] = ev->time_ms[first];
        ds->session_id[i] = pk[i].group + 1;   /* group s holds session id s + 1 */
        ds->user_id[i] = ev->user[first];
        bytes += strlen(cs_intern_str(ev->sessions, ds->session_id[i])) + 1;
    }
    drop_col(&ev->user, lean);
    drop_table(&ev->users, lean);
    /* the blob first: with it set, cs_dataset_free never frees the names one by one */
    if (!(ds->names_blob = malloc(bytes ? bytes : 1)) ||
        !(ds->session_names = malloc(m * sizeof *ds->session_names)))
        return CS_ENOMEM;
    char *p = ds->names_blob;
    for (size_t i = 0; i < ds->n; i++) {
        const char *nm = cs_intern_str(ev->sessions, ds->session_id[i]);
        size_t l = strlen(nm) + 1;
        memcpy(p, nm, l);
        ds->session_names[i] = p;
        p += l;
    }
    drop_table(&ev->sessions, lean);
    return CS_OK;
}

/* Both entry points.  lean (cs_dataset_from_events_consume, honest sequence view only):
 * every event column and intern table is freed as soon as nothing later reads it, so the
 * peak is the events beside the grouping, not the events beside the whole dataset.
 * Otherwise ev is only read (the cast in cs_dataset_from_events is safe). */
static cs_status build(cs_dataset *ds, cs_events *ev, const cs_dataset_opts *o, cs_ledger *led,
                       int lean, cs_error *err)
{
    memset(ds, 0, sizeof *ds);
    cs_dataset_opts dflt;
    if (!o) {
        cs_dataset_opts_init(&dflt);
        o = &dflt;
    }
    if (o->max_len < 0 || o->min_len < 0)
        return cs_error_fmt(err, CS_EINPUT, "max length and min length must not be negative");
    if (o->view == CS_VIEW_HYBRID && o->method == CS_METHOD_COMPAT)
        return cs_error_fmt(err, CS_EINPUT, "view hybrid: needs the honest method (compat has no sequence view)");
    if ((unsigned)o->view > CS_VIEW_HYBRID)
        return cs_error_fmt(err, CS_EINPUT, "unknown view %d", (int)o->view);
    /* the history inputs and the hybrid view's features read the event columns after the
     * sequence is filled: they keep them (not lean) */
    lean = lean && o->view == CS_VIEW_SEQUENCE && o->method == CS_METHOD_HONEST && !o->history;
    cs_ledger scratch;
    led = cs_ledger_or(led, &scratch);
    cs_groups g;
    cs_pick *pk = NULL;
    uint64_t h = cs_fnv64_u64(CS_FNV64_INIT, ev->fingerprint);
    h = cs_fnv64_u64(h, ev->n);
    cs_status st = cs_groups_build(&g, ev, o->threads);
    if (st == CS_EINPUT && ev->n > CS_GROUP_MAX_EVENTS)
        return cs_error_fmt(err, st, "%zu events: more than the %zu one dataset can hold", ev->n,
                            CS_GROUP_MAX_EVENTS);
    if (st != CS_OK)
        return cs_error_fmt(err, st, "out of memory grouping %zu events", ev->n);
    drop_col(&ev->session, lean);
    ds->view = o->view;
    ds->method = o->method;
    st = pick_sessions(ev, &g, o, &pk, &ds->n, &ds->seen_positive, led);
    if (st == CS_OK)
        st = fill_sessions(ds, ev, &g, pk, lean);
    if (st == CS_OK) {
        if (o->method == CS_METHOD_COMPAT && o->view == CS_VIEW_SEQUENCE) {
            ds->view = CS_VIEW_FEATURES; /* the study fed the padded codes as one step */
            st = fill_compat_codes(ds, ev, &g, pk, o->max_len);
        } else if (o->method == CS_METHOD_COMPAT) {
            st = cs_features_leaky(ds, ev, &g, pk, ds->n);
        } else if (CS_VIEW_HAS_STEPS(o->view)) {
            st = fill_sequence(ds, ev, &g, pk, o->threads, lean);
            if (st == CS_OK && o->view == CS_VIEW_HYBRID)   /* the same inputs' features */
                st = cs_features_honest(ds, ev, &g, pk, ds->n);
            if (st == CS_OK && o->history)
                st = cs_history_inputs(ds, ev, &g, pk, ds->n);
        } else {
            st = cs_features_honest(ds, ev, &g, pk, ds->n);
        }
    }
    h = cs_fnv64_u64(h, ((uint64_t)o->view << 48) ^ ((uint64_t)o->method << 40) ^ ((uint64_t)o->policy << 32) ^
                       (uint64_t)(uint32_t)o->max_len);
    ds->fingerprint = cs_fnv64_u64(h, (uint64_t)(uint32_t)o->min_len);
    if (ds->hist)   /* only then: the fingerprints of every other dataset stay as they were */
        ds->fingerprint = cs_fnv64_u64(ds->fingerprint, 0x4849535431ULL /* "HIST1" */);
    free(pk);
    cs_groups_free(&g);
    if (st != CS_OK) {
        cs_dataset_free(ds);
        return cs_error_fmt(err, st, "out of memory building the dataset");
    }
    return CS_OK;
}

cs_status cs_dataset_from_events(cs_dataset *ds, const cs_events *ev, const cs_dataset_opts *o,
                                 cs_ledger *led, cs_error *err)
{
    return build(ds, (cs_events *)ev, o, led, 0, err);
}

cs_status cs_dataset_from_events_consume(cs_dataset *ds, cs_events *ev, const cs_dataset_opts *o,
                                         cs_ledger *led, cs_error *err)
{
    cs_status st = build(ds, ev, o, led, 1, err);
    /* what is left either way: the type column and the type names */
    CS_FREE_ALL(ev->session, ev->time_ms, ev->item, ev->category, ev->brand, ev->user, ev->price);
    ev->session = ev->item = ev->category = ev->brand = ev->user = NULL;
    ev->time_ms = NULL;
    ev->price = NULL;
    cs_intern **t[5] = {&ev->sessions, &ev->items, &ev->categories, &ev->brands, &ev->users};
    for (int i = 0; i < 5; i++) {
        cs_intern_free(*t[i]);
        *t[i] = NULL;
    }
    return st;
}

/* ================================ tables ================================ */

cs_status cs_dataset_from_table(cs_dataset *ds, const cs_table *t, cs_error *err)
{
    memset(ds, 0, sizeof *ds);
    ds->view = CS_VIEW_FEATURES;
    ds->method = CS_METHOD_HONEST;
    ds->n = t->n_rows;
    ds->n_feat = t->n_cols;
    size_t m = ds->n ? ds->n : 1;
    ds->feat = malloc((ds->n * ds->n_feat + 1) * sizeof *ds->feat);
    ds->feat_names = calloc(ds->n_feat + 1, sizeof *ds->feat_names);
    ds->label = malloc(m * sizeof *ds->label);
    ds->start_ms = malloc(m * sizeof *ds->start_ms);
    ds->session_id = calloc(m, sizeof *ds->session_id);
    ds->user_id = calloc(m, sizeof *ds->user_id);
    if (!ds->feat || !ds->feat_names || !ds->label || !ds->start_ms || !ds->session_id || !ds->user_id)
        goto nomem;
    if (ds->n > 0 && ds->n_feat > 0)
        memcpy(ds->feat, t->x, ds->n * ds->n_feat * sizeof *ds->feat);
    for (size_t j = 0; j < ds->n_feat; j++)
        if (!(ds->feat_names[j] = dup_str(t->col_names && t->col_names[j] ? t->col_names[j] : "")))
            goto nomem;
    for (size_t i = 0; i < ds->n; i++) {
        ds->label[i] = t->y[i] ? 1 : 0;
        ds->seen_positive += ds->label[i];
        ds->start_ms[i] = t->time_key ? (int64_t)t->time_key[i] : (int64_t)i;
    }
    ds->fingerprint = cs_fnv64_u64(t->fingerprint, 0x7461626c65ULL);   /* "table" */
    return CS_OK;
nomem:
    cs_dataset_free(ds);
    return cs_error_fmt(err, CS_ENOMEM, "out of memory wrapping the features table");
}

void cs_dataset_free(cs_dataset *ds)
{
    if (!ds)
        return;
    CS_FREE_ALL(ds->off, ds->type, ds->item, ds->category, ds->brand, ds->log_dwell,
                ds->log_price, ds->hist, ds->feat, ds->label, ds->start_ms, ds->session_id, ds->user_id);
    cs_free_strs(ds->type_names, ds->type_names ? (size_t)ds->n_types + 1 : 0);
    cs_free_strs(ds->feat_names, ds->n_feat);
    if (ds->names_blob) {   /* the names point into it */
        free(ds->names_blob);
        free(ds->session_names);
    } else {
        cs_free_strs(ds->session_names, ds->n);
    }
    memset(ds, 0, sizeof *ds);
}

double cs_dataset_positive_rate(const cs_dataset *ds)
{
    if (!ds->n)
        return 0.0;
    size_t pos = 0;
    for (size_t i = 0; i < ds->n; i++)
        pos += ds->label[i];
    return (double)pos / (double)ds->n;
}

/* ================================ summaries ================================ */

/* Session lengths of the view (see dataset.h), or NULL with *has = 0 when there are none. */
static long *view_lengths(const cs_dataset *ds, int *has)
{
    long col = -1;
    int codes = ds->view == CS_VIEW_FEATURES && ds->n_feat && ds->feat_names &&
                !strcmp(ds->feat_names[0], "code_1");
    for (size_t j = 0; ds->view == CS_VIEW_FEATURES && ds->feat_names && j < ds->n_feat; j++)
        if (!strcmp(ds->feat_names[j], "length"))
            col = (long)j;
    *has = CS_VIEW_HAS_STEPS(ds->view) || codes || col >= 0;
    if (!*has)
        return NULL;
    long *len = malloc((ds->n ? ds->n : 1) * sizeof *len);
    if (!len)
        return NULL;
    for (size_t i = 0; i < ds->n; i++) {
        if (CS_VIEW_HAS_STEPS(ds->view)) {
            len[i] = (long)cs_dataset_len(ds, i);
        } else if (codes) {
            len[i] = 0;
            for (size_t j = 0; j < ds->n_feat; j++)
                len[i] += ds->feat[i * ds->n_feat + j] != 0;
        } else {
            len[i] = (long)ds->feat[i * ds->n_feat + (size_t)col];
        }
    }
    return len;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int len_bin(long l)
{
    int b = 0;
    for (long hi = 1; l > hi && b < CS_LEN_BINS - 1; hi *= 2)
        b++;
    return b;
}

const char *cs_length_bin_label(int b, char *buf, size_t n)
{
    long lo = b <= 0 ? 1 : (1L << (b - 1)) + 1, hi = b <= 0 ? 1 : 1L << b;
    if (b >= CS_LEN_BINS - 1)
        snprintf(buf, n, "%ld+", lo);
    else if (lo == hi)
        snprintf(buf, n, "%ld", lo);
    else
        snprintf(buf, n, "%ld-%ld", lo, hi);
    return buf;
}

int cs_dataset_length_summary(const cs_dataset *ds, cs_length_summary *s)
{
    memset(s, 0, sizeof *s);
    int has;
    long *len = view_lengths(ds, &has);
    if (!has)
        return 0;
    if (!len)
        return -1;
    s->n = ds->n;
    if (ds->n) {
        double sum = 0;
        for (size_t i = 0; i < ds->n; i++) {
            sum += (double)len[i];
            s->hist[len_bin(len[i])]++;
        }
        s->mean = sum / (double)ds->n;
        qsort(len, ds->n, sizeof *len, cmp_long);
        static const double q[7] = {0, 0.25, 0.5, 0.75, 0.9, 0.99, 1};
        long *out[7] = {&s->min, &s->p25, &s->p50, &s->p75, &s->p90, &s->p99, &s->max};
        for (int k = 0; k < 7; k++) { /* nearest rank: the ceil(q n)-th smallest */
            size_t r = (size_t)ceil(q[k] * (double)ds->n);
            *out[k] = len[r > 0 ? r - 1 : 0];
        }
    }
    free(len);
    return 1;
}
