/* csvload.c — cs_events_load: click events from CSV/TSV into the columnar store.
 *
 * Formats (events.h): rees46, yoochoose (clicks + buys appended as "buy" events), a generic
 * column mapping (by header name or 1-based position), and auto (guessed from the first
 * row).  The file is read once through csvread.c; each row is validated completely
 * (field count, required fields, time, numbers) before anything is interned, so a skipped
 * row leaves no trace but its count in the ledger.
 *
 * Header detection (header == -1): a preset's first row is a header when its timestamp
 * field does not parse; a generic mapping that names columns needs a header.
 *
 * Outcomes file (generic, outcomes_path): rows `session[,time]`, one purchase event each
 * (type = purchase_event, default "purchase").  Without a time — or with an empty one —
 * the purchase is put 1 ms after the session's last event, so every event of the session
 * is an input; a session with no events gets the file's latest time + 1 ms (it has no
 * inputs and the dataset drops it).  When the events have no session column, the
 * outcomes name users instead and are placed before the sessions are cut, so a purchase
 * lands in the session it falls in (without a time: the user's last session).
 *
 * No session column: after the load, each user's events are ordered by time (stable) and
 * cut where the gap to the previous event exceeds session_gap_ms; the synthetic session
 * keys are "<user>#<k>", k = 1, 2, ... in time order. */
#include "clickseq/clock.h"
#include "clickseq/events.h"
#include "clickseq/sniff.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/data/csvread.h"
#include "engine/data/events_int.h"
#include "engine/data/group.h"

typedef enum file_kind { FILE_EVENTS, FILE_BUYS, FILE_OUTCOMES } file_kind;

struct part;
struct par;

static const char *const field_names[CS_F_NFIELDS] = {"session", "time", "event", "item",
                                                      "category", "brand", "price", "user"};
/* rees46 column names, in file order, and the field each one fills (-1: not used). */
static const char *const rees46_cols[9] = {"event_time", "event_type", "product_id",
                                           "category_id", "category_code", "brand",
                                           "price", "user_id", "user_session"};
static const int rees46_field[9] = {CS_F_TIME, CS_F_EVENT, CS_F_ITEM, CS_F_CATEGORY, -1,
                                    CS_F_BRAND, CS_F_PRICE, CS_F_USER, CS_F_SESSION};
static const char *const yoo_clicks[4] = {"session", "timestamp", "item", "category"};
static const char *const yoo_buys[5] = {"session", "timestamp", "item", "price", "quantity"};

typedef struct mapspec {
    char name[CS_F_NFIELDS][128]; /* header name, or "" */
    int pos[CS_F_NFIELDS];        /* 1-based position, 0 = not given */
    int any_name;
} mapspec;

/* The last value interned in a column, kept here (not looked up in the table: that
 * would be two cache misses when it does not match). */
typedef struct cache {
    uint32_t id;
    uint32_t len;
    char s[48];
} cache;

typedef struct loader {
    cs_events *ev;
    cs_ledger *led;
    const cs_load_opts *o;
    cs_error *err;
    const char *path;
    file_kind kind;
    cs_format fmt;
    mapspec map;
    int header;                /* -1 undecided, 0, 1 */
    int started;               /* first row of the current file seen */
    size_t nexp;               /* fields per row */
    int col[CS_F_NFIELDS];     /* 0-based column of each field, -1 absent */
    int qty_col;               /* yoochoose buys: quantity (validated, not stored) */
    char **hdr;                /* header names of the current file (owned) */
    size_t n_hdr;
    const char *const *names;  /* column names when there is no header */
    size_t n_names;
    int const_type;            /* type id for files without an event column */
    int gap;                   /* no session column: cut sessions per user afterwards */
    int reserved;
    long used;
    cache c_sess, c_type, c_item, c_cat, c_brand, c_user;
    int64_t *last_time;        /* outcomes without time: last event time per key id */
    size_t n_last;
    int64_t max_time;
    size_t n_events_file;      /* events loaded before the outcomes file */
    uint32_t h[3];             /* hashes of session, item, user of the current row, or 0 */
    uint32_t (*bh)[3];         /* the batch's hashes (CSV_BATCH rows) */
    /* progress (cs_load_opts.progress) */
    size_t bytes_base, bytes_total; /* bytes of the files before the current one; all files */
    long rows0;                /* led->rows_read when the load began */
    double last_report;        /* monotonic seconds of the last call */
    /* parallel loading (see load_parallel) */
    struct part *pt;           /* the part this loader parses, or NULL (sequential) */
    struct par *par;           /* the caller's loader of a parallel load: told of the first row */
    size_t reserve_rows;       /* rows to reserve at the first data row; 0: the file's estimate */
    int shared_hdr;            /* hdr belongs to another loader */
    /* a sharded load (cs_events_load_shard): shard of shards; why it must be whole */
    int shard, shards;
    const char *whole;
} loader;

/* ---- progress ------------------------------------------------------------------------- */

#define PROGRESS_EVERY_S 0.1

/* Tell the caller how far the load is (rate-limited unless force); non-zero: stop. */
static int report(loader *L, size_t bytes, int force)
{
    if (!L->o->progress)
        return 0;
    double t = cs_now_s();
    if (!force && t - L->last_report < PROGRESS_EVERY_S)
        return 0;
    L->last_report = t;
    cs_load_progress p = {L->bytes_base + bytes, L->bytes_total, L->led->rows_read - L->rows0};
    if (p.bytes_done > p.bytes_total)
        p.bytes_total = p.bytes_done;
    return L->o->progress(L->o->progress_ctx, &p);
}

static int part_block(loader *L, size_t bytes);
static int on_block(void *ctx, size_t bytes)
{
    loader *L = ctx;
    return L->pt ? part_block(L, bytes) : report(L, bytes, 0);
}

static size_t file_size(const char *path)
{
    struct stat st;
    return path && *path && stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
}

void cs_load_opts_init(cs_load_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = CS_FMT_AUTO;
    o->header = -1;
    o->purchase_event = "purchase";
    o->session_gap_ms = 30LL * 60 * 1000;
    o->max_field_len = 4096;
}

/* ---- the generic mapping ---------------------------------------------------------- */

static cs_status parse_map(mapspec *m, const char *s, cs_error *err)
{
    memset(m, 0, sizeof *m);
    if (!s || !*s)
        return cs_error_fmt(err, CS_EINPUT, "the generic format needs a column mapping, "
                                            "e.g. session=user_session,time=event_time,event=event_type");
    while (*s) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        const char *eq = memchr(s, '=', n);
        if (!eq || eq == s || eq == s + n - 1)
            return cs_error_fmt(err, CS_EINPUT, "mapping entry '%.*s' is not FIELD=COLUMN", (int)n, s);
        size_t kl = (size_t)(eq - s), vl = n - kl - 1;
        int f = -1;
        for (int i = 0; i < CS_F_NFIELDS; i++)
            if (strlen(field_names[i]) == kl && !strncasecmp(s, field_names[i], kl))
                f = i;
        if (f < 0)
            return cs_error_fmt(err, CS_EINPUT, "unknown field '%.*s' in the mapping (fields: session, "
                                "time, event, item, category, brand, price, user)", (int)kl, s);
        if (vl >= sizeof m->name[f])
            return cs_error_fmt(err, CS_EINPUT, "column name too long in the mapping: '%.*s'", (int)vl, eq + 1);
        long long p;
        if (cs_parse_i64(eq + 1, vl, &p) == 0) {
            if (p < 1 || p > CSV_MAX_FIELDS)
                return cs_error_fmt(err, CS_EINPUT, "column position %lld out of range in the mapping", p);
            m->pos[f] = (int)p;
            m->name[f][0] = '\0';
        } else {
            memcpy(m->name[f], eq + 1, vl);
            m->name[f][vl] = '\0';
            m->pos[f] = 0;
            m->any_name = 1;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    return CS_OK;
}

/* ---- messages and the skip policy --------------------------------------------------- */

static const char *col_name(const loader *L, size_t idx)
{
    if (L->header == 1 && idx < L->n_hdr)
        return L->hdr[idx];
    if (L->names && idx < L->n_names)
        return L->names[idx];
    for (int f = 0; f < CS_F_NFIELDS; f++)
        if (L->col[f] == (int)idx)
            return field_names[f];
    return "unused";
}

/* A bad row: skip and count it, or stop with "FILE:LINE:COL: what 'value'". */
static cs_status bad_row(loader *L, const csv_row *r, int reason, size_t col, const char *val,
                         size_t vlen)
{
    if (L->o->skip_bad_rows) {
        L->led->rows_read++;
        L->led->rows_skipped++;
        L->led->skipped[reason]++;
        return CS_OK;
    }
    char shown[300], what[200];
    const char *name = col ? col_name(L, col - 1) : "";
    /* "field N (name) ..." of the reasons about one field's value */
    static const char *const field_says[CS_SKIP_NREASONS] = {
        [CS_SKIP_TIME] = "is not a valid timestamp", [CS_SKIP_NUMBER] = "is not a number",
        [CS_SKIP_MISSING] = "is required but empty", [CS_SKIP_NUL] = "contains a NUL byte",
    };
    if (reason >= 0 && reason < CS_SKIP_NREASONS && field_says[reason])
        snprintf(what, sizeof what, "field %zu (%s) %s", col, name, field_says[reason]);
    else if (reason == CS_SKIP_LONG_FIELD)
        snprintf(what, sizeof what, "field %zu (%s) is longer than %zu bytes", col, name,
                 L->o->max_field_len ? L->o->max_field_len : 4096);
    else if (reason == CS_SKIP_QUOTING)
        snprintf(what, sizeof what, "bad quoting in field %zu (%s)", col, name);
    else
        snprintf(what, sizeof what, "expected %zu fields, found %zu", L->nexp, r->n);
    return cs_error_set(L->err, CS_EINPUT, L->path, r->line, (long)col, "%s: '%s'", what,
                        csv_show(shown, sizeof shown, val, vlen));
}

static cs_status bad_columns(loader *L, const csv_row *r)
{
    /* show the row as it was (fields joined by the delimiter) */
    char row[200];
    size_t o = 0, n = r->n < CSV_MAX_FIELDS ? r->n : CSV_MAX_FIELDS;
    for (size_t i = 0; i < n && o + 1 < sizeof row; i++) {
        if (i)
            row[o++] = L->o->delim ? L->o->delim : csv_default_delim(L->path);
        size_t k = r->len[i] < sizeof row - 1 - o ? r->len[i] : sizeof row - 1 - o;
        memcpy(row + o, r->f[i], k);
        o += k;
    }
    size_t col = (r->n < L->nexp ? r->n : L->nexp) + 1;
    return bad_row(L, r, CS_SKIP_COLUMNS, col, row, o);
}

/* ---- resolving columns on the first row ---------------------------------------------- */

static int time_ok(const csv_row *r, int col)
{
    int64_t t;
    return col >= 0 && (size_t)col < r->n && cs_parse_time(r->f[col], r->len[col], &t) == 0;
}

static cs_status keep_header(loader *L, const csv_row *r)
{
    size_t n = r->n < CSV_MAX_FIELDS ? r->n : CSV_MAX_FIELDS;
    L->hdr = calloc(n ? n : 1, sizeof *L->hdr);
    if (!L->hdr)
        return CS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        L->hdr[i] = strdup(r->f[i]);
        if (!L->hdr[i])
            return CS_ENOMEM;
        L->n_hdr = i + 1;
    }
    return CS_OK;
}

static int find_col(const csv_row *r, const char *name)
{
    size_t n = r->n < CSV_MAX_FIELDS ? r->n : CSV_MAX_FIELDS;
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(r->f[i], name))
            return (int)i;
    return -1;
}

static void set_rees46_positions(loader *L)
{
    for (int i = 0; i < 9; i++)
        if (rees46_field[i] >= 0)
            L->col[rees46_field[i]] = i;
    L->names = rees46_cols;
    L->n_names = 9;
    L->nexp = 9;
}

static cs_status resolve_rees46(loader *L, const csv_row *r)
{
    if (L->header < 0)
        L->header = !time_ok(r, 0);
    if (!L->header) {
        set_rees46_positions(L);
        return CS_OK;
    }
    for (int i = 0; i < 9; i++)
        if (rees46_field[i] >= 0)
            L->col[rees46_field[i]] = find_col(r, rees46_cols[i]);
    L->nexp = r->n;
    return CS_OK;
}

static cs_status resolve_generic(loader *L, const csv_row *r)
{
    if (L->header < 0)
        L->header = L->map.any_name || !time_ok(r, L->map.pos[CS_F_TIME] - 1);
    if (!L->header && L->map.any_name)
        return cs_error_set(L->err, CS_EINPUT, L->path, 0, 0,
                            "the mapping names columns but the file has no header: use 1-based positions");
    L->nexp = r->n;
    for (int f = 0; f < CS_F_NFIELDS; f++) {
        if (L->map.pos[f]) {
            if ((size_t)L->map.pos[f] > r->n)
                return cs_error_set(L->err, CS_EINPUT, L->path, r->line, 0,
                                    "mapping %s=%d: the file has only %zu columns", field_names[f],
                                    L->map.pos[f], r->n);
            L->col[f] = L->map.pos[f] - 1;
        } else if (L->map.name[f][0]) {
            L->col[f] = find_col(r, L->map.name[f]);
            if (L->col[f] < 0)
                return cs_error_set(L->err, CS_EINPUT, L->path, r->line, 0,
                                    "mapping %s=%s: no column '%s' in the header", field_names[f],
                                    L->map.name[f], L->map.name[f]);
        }
    }
    return CS_OK;
}

/* The "cannot guess" error names what would work for this file: its columns, the
 * delimiter when the row is one field holding another candidate, and the options. */
static cs_status cannot_guess(loader *L, const csv_row *r)
{
    char cols[200] = "", hint[96] = "";
    size_t k = 0;
    for (size_t i = 0; i < r->n && i < 6 && k + 40 < sizeof cols; i++)
        k += (size_t)snprintf(cols + k, sizeof cols - k, "%s%.30s", i ? ", " : "", r->f[i]);
    if (r->n > 6) snprintf(cols + k, sizeof cols - k, ", ...");
    if (r->n == 1) {
        static const char cand[4] = {',', ';', '\t', '|'};
        for (int c = 0; c < 4; c++)
            if (strchr(r->f[0], cand[c])) {
                snprintf(hint, sizeof hint, "the fields look %s-separated: --delim %s; ",
                         cs_delim_name(cand[c]), cs_delim_name(cand[c]));
                break;
            }
    }
    return cs_error_set(L->err, CS_EINPUT, L->path, 1, 0,
                        "cannot guess the format from the first row (%zu column%s: %s): %s"
                        "give --format rees46 or yoochoose, --format features --label COLUMN (a table "
                        "with a 0/1 label column), or --map session=COL,time=COL[,event=COL] "
                        "(--format generic; COL a header name or a 1-based position)",
                        r->n, r->n == 1 ? "" : "s", cols, hint);
}

/* auto: recognise rees46 and yoochoose (with or without a header), else guess a generic
 * mapping from well-known header names. */
static cs_status resolve_auto(loader *L, const csv_row *r)
{
    static const char *const guess[CS_F_NFIELDS][7] = {
        {"session", "session_id", "sessionid", "user_session", "visit_id", "visitid", NULL},
        {"time", "timestamp", "event_time", "ts", "datetime", "date", "time_stamp"},
        {"event", "event_type", "type", "action", "eventtype", NULL, NULL},
        {"item", "item_id", "itemid", "product_id", "productid", "product", "sku"},
        {"category", "category_id", "categoryid", NULL, NULL, NULL, NULL},
        {"brand", NULL, NULL, NULL, NULL, NULL, NULL},
        {"price", NULL, NULL, NULL, NULL, NULL, NULL},
        {"user", "user_id", "userid", "visitorid", "visitor_id", "customer_id", "client_id"}};
    if (L->header != 0 && find_col(r, "event_time") >= 0 && find_col(r, "event_type") >= 0) {
        L->fmt = CS_FMT_REES46;
        L->header = 1;
        return resolve_rees46(L, r);
    }
    if (r->n == 9 && time_ok(r, 0)) {
        L->fmt = CS_FMT_REES46;
        L->header = 0;
        return resolve_rees46(L, r);
    }
    if (r->n == 4 && (time_ok(r, 1) || (L->header != 0 && find_col(r, "session_id") == 0 &&
                                        find_col(r, "timestamp") == 1))) {
        L->fmt = CS_FMT_YOOCHOOSE;
        return CS_OK; /* resolved as yoochoose by the caller */
    }
    memset(&L->map, 0, sizeof L->map);
    for (int f = 0; f < CS_F_NFIELDS; f++)
        for (int k = 0; k < 7 && guess[f][k] && !L->map.name[f][0]; k++)
            if (find_col(r, guess[f][k]) >= 0)
                snprintf(L->map.name[f], sizeof L->map.name[f], "%s", guess[f][k]);
    L->map.any_name = 1;
    if (!L->map.name[CS_F_TIME][0] || (!L->map.name[CS_F_SESSION][0] && !L->map.name[CS_F_USER][0]))
        return cannot_guess(L, r);
    L->fmt = CS_FMT_GENERIC;
    L->header = 1;
    return resolve_generic(L, r);
}

static void resolve_yoochoose(loader *L, const csv_row *r)
{
    if (L->header < 0)
        L->header = !time_ok(r, 1);
    L->col[CS_F_SESSION] = 0;
    L->col[CS_F_TIME] = 1;
    L->col[CS_F_ITEM] = 2;
    if (L->kind == FILE_BUYS) {
        L->col[CS_F_PRICE] = 3;
        L->qty_col = 4;
        L->names = yoo_buys;
        L->n_names = 5;
        L->nexp = 5;
    } else {
        L->col[CS_F_CATEGORY] = 3;
        L->names = yoo_clicks;
        L->n_names = 4;
        L->nexp = 4;
    }
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return 0;
}

static void resolve_outcomes(loader *L, const csv_row *r)
{
    static const char *const sess_names[2] = {"session", "time"}, *const user_names[2] = {"user", "time"};
    int by_user = L->gap;
    L->col[by_user ? CS_F_USER : CS_F_SESSION] = 0;
    L->col[CS_F_TIME] = r->n >= 2 ? 1 : -1;
    L->names = by_user ? user_names : sess_names;
    L->n_names = 2;
    L->nexp = r->n;
    if (r->n >= 2 && r->len[1] > 0) {
        L->header = !time_ok(r, 1);
    } else {
        cs_intern *keys = by_user ? L->ev->users : L->ev->sessions;
        L->header = cs_intern_find(keys, r->f[0], r->len[0]) == 0 &&
                    (contains_ci(r->f[0], "session") || contains_ci(r->f[0], "user"));
    }
}

/* Files without an event column: every row gets one type — "click" for yoochoose
 * clicks, "buy" for its buys, purchase_event for an outcomes file, else "view". */
static cs_status set_const_type(loader *L)
{
    if (L->col[CS_F_EVENT] >= 0)
        return CS_OK;
    const char *pe = L->o->purchase_event && *L->o->purchase_event ? L->o->purchase_event : "purchase";
    const char *t = L->kind == FILE_BUYS ? "buy" : L->kind == FILE_OUTCOMES ? pe
                    : L->fmt == CS_FMT_YOOCHOOSE ? "click" : "view";
    L->const_type = cs_events_type_id(L->ev, t, strlen(t));
    if (L->const_type < 0)
        return L->const_type == -2 ? CS_ENOMEM
                                   : cs_error_set(L->err, CS_EINPUT, L->path, 0, 0, "too many event types");
    return CS_OK;
}

static cs_status first_row(loader *L, const csv_row *r)
{
    cs_status s = CS_OK;
    for (int f = 0; f < CS_F_NFIELDS; f++)
        L->col[f] = -1;
    L->qty_col = -1;
    if (L->kind == FILE_EVENTS) {
        if (L->fmt == CS_FMT_AUTO)
            s = resolve_auto(L, r);
        else if (L->fmt == CS_FMT_REES46)
            s = resolve_rees46(L, r);
        else if (L->fmt == CS_FMT_GENERIC)
            s = resolve_generic(L, r);
        if (s == CS_OK && L->fmt == CS_FMT_YOOCHOOSE)
            resolve_yoochoose(L, r);
        if (s != CS_OK)
            return s;
        if (L->col[CS_F_TIME] < 0)
            return cs_error_set(L->err, CS_EINPUT, L->path, r->line, 0, "no time column (%s format)",
                                cs_format_name(L->fmt));
        if (L->fmt == CS_FMT_REES46 && L->col[CS_F_EVENT] < 0)
            return cs_error_set(L->err, CS_EINPUT, L->path, r->line, 0,
                                "no event_type column in the header (rees46 format)");
        if (L->col[CS_F_SESSION] < 0 && L->col[CS_F_USER] < 0)
            return cs_error_set(L->err, CS_EINPUT, L->path, r->line, 0,
                                "no session column and no user column to cut sessions by (%s format)",
                                cs_format_name(L->fmt));
        L->gap = L->col[CS_F_SESSION] < 0;
    } else if (L->kind == FILE_BUYS) {
        resolve_yoochoose(L, r);
    } else {
        resolve_outcomes(L, r);
    }
    if (L->header == 1 && (s = keep_header(L, r)) != CS_OK)
        return s;
    return set_const_type(L);
}

/* ---- appending -------------------------------------------------------------------------- */

/* Intern through a one-entry cache (runs of equal values are common); h is the hash
 * when the batch prefetch computed it, else 0. */
static inline uint32_t intern_c(cs_intern *t, cache *c, const char *s, size_t len, uint32_t h)
{
    if (len == 0)
        return 0;
    if (c->id && c->len == len && !memcmp(c->s, s, len))
        return c->id;
    uint32_t id = h ? cs_intern_id_h(t, s, len, h) : cs_intern_id(t, s, len);
    if (id != UINT32_MAX && len <= sizeof c->s) {
        c->id = id;
        c->len = (uint32_t)len;
        memcpy(c->s, s, len);
    }
    return id;
}

static const char *fld(const csv_row *r, int col, size_t *len)
{
    if (col < 0) {
        *len = 0;
        return "";
    }
    *len = r->len[col];
    return r->f[col];
}

/* ---- rows -------------------------------------------------------------------------------- */

static cs_status event_type_for(loader *L, const csv_row *r, int *type)
{
    if (L->col[CS_F_EVENT] < 0) {
        *type = L->const_type;
        return CS_OK;
    }
    size_t len;
    const char *s = fld(r, L->col[CS_F_EVENT], &len);
    if (L->c_type.id && L->c_type.len == len && !memcmp(L->c_type.s, s, len)) {
        *type = (int)L->c_type.id;
        return CS_OK;
    }
    int t = cs_events_type_id(L->ev, s, len);
    if (t == -2)
        return CS_ENOMEM;
    if (t == -1)
        return cs_error_set(L->err, CS_EINPUT, L->path, r->line, L->col[CS_F_EVENT] + 1,
                            "more than 65534 distinct event types: is field %d really the event type?",
                            L->col[CS_F_EVENT] + 1);
    if (len <= sizeof L->c_type.s) {
        L->c_type.id = (uint32_t)t;
        L->c_type.len = (uint32_t)len;
        memcpy(L->c_type.s, s, len);
    }
    *type = t;
    return CS_OK;
}

/* Time of an outcome row without one: 1 ms after the key's last event (see the top). */
static int64_t outcome_time(loader *L, uint32_t key)
{
    if (!L->last_time) {
        cs_intern *keys = L->gap ? L->ev->users : L->ev->sessions;
        L->n_last = (size_t)cs_intern_count(keys) + 1;
        L->last_time = malloc(L->n_last * sizeof *L->last_time);
        if (!L->last_time)
            return INT64_MIN;
        for (size_t i = 0; i < L->n_last; i++)
            L->last_time[i] = INT64_MIN;
        L->max_time = 0;
        const uint32_t *k = L->gap ? L->ev->user : L->ev->session;
        for (size_t i = 0; i < L->n_events_file; i++) {
            if (L->ev->time_ms[i] > L->last_time[k[i]])
                L->last_time[k[i]] = L->ev->time_ms[i];
            if (i == 0 || L->ev->time_ms[i] > L->max_time)
                L->max_time = L->ev->time_ms[i];
        }
    }
    if (key < L->n_last && L->last_time[key] != INT64_MIN)
        return L->last_time[key] + 1;
    return L->max_time + 1;
}

/* Validate everything first (a skipped row must leave nothing behind), then append. */
static cs_status data_row(loader *L, const csv_row *r)
{
    if (r->bad >= 0)
        return bad_row(L, r, r->bad, r->bad_col, r->bad_val, r->bad_len);
    if (r->n != L->nexp)
        return bad_columns(L, r);
    int key_f = L->gap ? CS_F_USER : CS_F_SESSION;
    static const int required[3] = {CS_F_SESSION, CS_F_TIME, CS_F_EVENT};
    for (int i = 0; i < 3; i++) {
        int f = required[i] == CS_F_SESSION ? key_f : required[i];
        int c = L->col[f];
        if (c >= 0 && r->len[c] == 0 && !(f == CS_F_TIME && L->kind == FILE_OUTCOMES))
            return bad_row(L, r, CS_SKIP_MISSING, (size_t)c + 1, "", 0);
    }
    int64_t t = 0;
    int tc = L->col[CS_F_TIME];
    int no_time = tc < 0 || r->len[tc] == 0;
    if (!no_time && cs_parse_time(r->f[tc], r->len[tc], &t) < 0)
        return bad_row(L, r, CS_SKIP_TIME, (size_t)tc + 1, r->f[tc], r->len[tc]);
    float price = NAN;
    int pc = L->col[CS_F_PRICE];
    if (pc >= 0 && r->len[pc] > 0) {
        double d;
        if (cs_parse_double(r->f[pc], r->len[pc], &d) < 0 || !isfinite((float)d))
            return bad_row(L, r, CS_SKIP_NUMBER, (size_t)pc + 1, r->f[pc], r->len[pc]);
        price = (float)d;
    }
    long long q;
    if (L->qty_col >= 0 && r->len[L->qty_col] > 0 &&
        cs_parse_i64(r->f[L->qty_col], r->len[L->qty_col], &q) < 0)
        return bad_row(L, r, CS_SKIP_NUMBER, (size_t)L->qty_col + 1, r->f[L->qty_col], r->len[L->qty_col]);
    int type = 0;
    cs_status s = event_type_for(L, r, &type);
    if (s != CS_OK)
        return s;
    cs_events *ev = L->ev;
    if (ev->n == ev->cap && cs_events_reserve(ev, ev->n + 1) != CS_OK)
        return CS_ENOMEM;
    size_t len;
    const char *v;
    uint32_t ids[6];
    v = fld(r, L->col[CS_F_SESSION], &len);
    ids[0] = intern_c(ev->sessions, &L->c_sess, v, len, L->h[0]);
    v = fld(r, L->col[CS_F_ITEM], &len);
    ids[1] = intern_c(ev->items, &L->c_item, v, len, L->h[1]);
    v = fld(r, L->col[CS_F_CATEGORY], &len);
    ids[2] = intern_c(ev->categories, &L->c_cat, v, len, 0);
    v = fld(r, L->col[CS_F_BRAND], &len);
    ids[3] = intern_c(ev->brands, &L->c_brand, v, len, 0);
    v = fld(r, L->col[CS_F_USER], &len);
    ids[4] = intern_c(ev->users, &L->c_user, v, len, L->h[2]);
    for (int i = 0; i < 5; i++)
        if (ids[i] == UINT32_MAX)
            return CS_ENOMEM;
    if (no_time)
        t = outcome_time(L, L->gap ? ids[4] : ids[0]);
    if (t == INT64_MIN)
        return CS_ENOMEM;
    cs_events_put(ev, ids, t, (uint16_t)type, price);
    L->led->rows_read++;
    L->led->rows_used++;
    L->used++;
    return CS_OK;
}

static void par_resolved(loader *L, cs_status s);

static cs_status on_row(void *ctx, const csv_row *r)
{
    loader *L = ctx;
    if (!L->started) {
        L->started = 1;
        if (r->bad >= 0)
            return csv_bad_first_row(L->path, r, L->err);
        cs_status s = first_row(L, r);
        if (L->par)
            par_resolved(L, s);
        if (s != CS_OK)
            return s;
        if (L->header == 1)
            return CS_OK;
    }
    if (!L->reserved) {
        L->reserved = 1;
        size_t want = L->reserve_rows ? L->reserve_rows : r->est_rows + 16;
        if (cs_events_reserve(L->ev, L->ev->n + want) != CS_OK)
            return CS_ENOMEM;
    }
    return data_row(L, r);
}

/* Hash the session, item and user of every row in the batch and prefetch their slots,
 * then the strings the slots point to: the lookups in data_row then mostly hit cache. */
static void prefetch_batch(loader *L, const csv_row *rows, size_t n)
{
    static const int fields[3] = {CS_F_SESSION, CS_F_ITEM, CS_F_USER};
    cs_intern *tabs[3] = {L->ev->sessions, L->ev->items, L->ev->users};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++) {
            int c = L->col[fields[k]];
            L->bh[i][k] = 0;
            if (c >= 0 && rows[i].bad < 0 && (size_t)c < rows[i].n && rows[i].n == L->nexp) {
                L->bh[i][k] = cs_intern_hash(rows[i].f[c], rows[i].len[c]);
                cs_intern_prefetch_slot(tabs[k], L->bh[i][k]);
            }
        }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            if (L->bh[i][k])
                cs_intern_prefetch_str(tabs[k], L->bh[i][k]);
}

static cs_status on_rows(void *ctx, const csv_row *rows, size_t n)
{
    loader *L = ctx;
    size_t i = 0;
    cs_status s;
    if (!L->started) {
        if ((s = on_row(L, &rows[0])) != CS_OK)
            return s;
        i = 1;
    }
    int pre = n - i >= 8 && L->bh;
    if (pre)
        prefetch_batch(L, rows + i, n - i);
    for (size_t j = 0; i < n; i++, j++) {
        if (pre)
            memcpy(L->h, L->bh[j], sizeof L->h);
        s = on_row(L, &rows[i]);
        L->h[0] = L->h[1] = L->h[2] = 0;
        if (s != CS_OK)
            return s;
    }
    return CS_OK;
}

/* ---- files ------------------------------------------------------------------------------- */

/* ---- parallel loading ----------------------------------------------------------------------
 * A regular events file larger than one part is cut into parts at line starts (the first
 * line start at or after k * part_bytes) and the parts are parsed by `threads` workers at
 * once.  Part 0 is parsed by the caller's loader straight into the caller's store; every
 * other part into a store of its own (columns and intern tables), with a copy of the
 * column layout part 0 resolved from the first row (the workers wait for it).  The caller's
 * thread merges the parts in file order as they finish: the strings of a part's tables are
 * interned into the caller's tables in the part's id order — the order of first
 * appearance, so the ids come out exactly as a one-thread load gives them — and its columns
 * are appended through the id maps.  Rows, ids, ledger, messages and fingerprint are the
 * same for every thread count (tests/test_csv.c and fuzz/fuzz_events.c check it).
 *
 * A part's result is used only when it is known to be right: the part before it ended at
 * a row boundary (no quoted field or failed row open across the cut) and the part parsed
 * without an error.  Otherwise it is thrown away and the caller's thread reads that
 * stretch again sequentially — continuing the previous part's reader across the cut when
 * a quoted field spans it, else with a fresh reader whose line numbers start after the
 * lines already counted — so an error is reported exactly as a one-thread load reports it
 * (the first in file order, at its physical line), and a file whose quoted fields span
 * every cut is simply read sequentially.  The progress callback is called by the caller's
 * thread only, while it waits for parts. */

#define PART_MIN ((size_t)8 << 20)
#define PART_MAX ((size_t)16 << 20)
#define POOL 4

enum { PART_WAITING, PART_RUNNING, PART_DONE };

typedef struct part {
    struct par *pp;
    size_t from, to;           /* bytes [from, to) of the file */
    cs_events *ev;             /* its own store (not part 0) */
    cs_ledger led;
    cs_error err;
    loader L;
    csv_reader *rd;
    cs_status st;
    int usable;                /* parsed with the resolved layout */
    int state;                 /* PART_* (under par.mu) */
    size_t bytes_done;         /* atomic: progress */
    long rows_done;            /* atomic */
    uint32_t bh[CSV_BATCH][3];
} part;

typedef struct par {
    loader *LM;                /* the caller's loader: part 0, merges, re-reads */
    const cs_load_opts *o;
    const char *path;
    int fd;
    size_t fsize, est_rows;
    part *parts;
    size_t np, window;
    csv_segs segs;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next, merged;       /* under mu */
    int resolved;              /* under mu: 0 not yet, 1 the layout is known, -1 never */
    loader cfg;                /* the layout, copied when resolved */
    int stop;                  /* atomic: give up */
    cs_events *pool[POOL];     /* emptied stores of merged parts, for reuse (under mu) */
    int npool;
} par;

static int part_block(loader *L, size_t bytes)
{
    part *pt = L->pt;
    __atomic_store_n(&pt->bytes_done, bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&pt->rows_done, L->led->rows_read, __ATOMIC_RELAXED);
    return __atomic_load_n(&pt->pp->stop, __ATOMIC_RELAXED);
}

/* Part 0's first row is resolved (or failed): publish the layout to the other workers. */
static void par_resolved(loader *L, cs_status s)
{
    par *P = L->par;
    pthread_mutex_lock(&P->mu);
    if (P->resolved == 0) {
        if (s == CS_OK)
            P->cfg = *L;
        P->resolved = s == CS_OK ? 1 : -1;
    }
    pthread_cond_broadcast(&P->cv);
    pthread_mutex_unlock(&P->mu);
}

static csv_opts reader_opts(const loader *L, size_t est_rows)
{
    return (csv_opts){.delim = L->o->delim,
                      .max_field_len = L->o->max_field_len ? L->o->max_field_len : 4096,
                      .force_libcsv = L->o->force_libcsv, .fn = on_rows, .ctx = (void *)L,
                      .progress = on_block, .est_rows = est_rows};
}

static cs_events *take_store(par *P)
{
    cs_events *ev = NULL;
    pthread_mutex_lock(&P->mu);
    if (P->npool > 0)
        ev = P->pool[--P->npool];
    pthread_mutex_unlock(&P->mu);
    if (ev)
        return ev;
    ev = malloc(sizeof *ev);
    if (ev && cs_events_init(ev) != CS_OK) {
        free(ev);
        ev = NULL;
    }
    return ev;
}

/* Empty a merged part's store (keeping its columns' memory) for the next part. */
static void give_store(par *P, cs_events *ev)
{
    if (!ev)
        return;
    cs_intern **t[6] = {&ev->sessions, &ev->types, &ev->items, &ev->categories, &ev->brands, &ev->users};
    int ok = 1;
    for (int i = 0; i < 6; i++) {
        cs_intern_free(*t[i]);
        *t[i] = cs_intern_new();
        ok = ok && *t[i];
    }
    ev->n = 0;
    ev->purchase_type = ev->cart_type = ev->remove_type = ev->view_type = 0;
    pthread_mutex_lock(&P->mu);
    if (ok && P->npool < POOL) {
        P->pool[P->npool++] = ev;
        ev = NULL;
    }
    pthread_mutex_unlock(&P->mu);
    if (ev) {
        cs_events_free(ev);
        free(ev);
    }
}

/* Parse part k (in a worker). */
static void run_part(par *P, size_t k)
{
    part *pt = &P->parts[k];
    if (k == 0) {
        loader *L = P->LM;
        L->pt = pt;
        csv_opts co = reader_opts(L, P->est_rows);
        pt->rd = csv_reader_new(&co, P->path, P->fd, 1, P->fsize, 0, &P->segs);
        pt->st = pt->rd ? csv_reader_run(pt->rd, pt->to, L->err) : CS_ENOMEM;
        if (!L->started || pt->st != CS_OK)
            par_resolved(L, CS_EINPUT); /* the others cannot be used */
        pt->usable = 1;
        return;
    }
    pthread_mutex_lock(&P->mu);
    while (P->resolved == 0 && !__atomic_load_n(&P->stop, __ATOMIC_RELAXED))
        pthread_cond_wait(&P->cv, &P->mu);
    int ok = P->resolved == 1;
    loader cfg = P->cfg;
    pthread_mutex_unlock(&P->mu);
    if (!ok || __atomic_load_n(&P->stop, __ATOMIC_RELAXED))
        return;
    pt->ev = take_store(P);
    if (!pt->ev) {
        pt->st = CS_ENOMEM;
        return;
    }
    loader *L = &pt->L;
    *L = cfg; /* the layout: format, columns, header names (shared, read only) */
    L->ev = pt->ev;
    L->led = &pt->led;
    L->err = &pt->err;
    L->pt = pt;
    L->par = NULL;
    L->bh = pt->bh;
    L->shared_hdr = 1;
    L->reserved = 0;
    L->used = 0;
    L->last_time = NULL;
    L->c_sess = L->c_type = L->c_item = L->c_cat = L->c_brand = L->c_user = (cache){0};
    double frac = (double)(pt->to - pt->from) / (double)(P->fsize ? P->fsize : 1);
    L->reserve_rows = (size_t)((double)P->est_rows * frac * 1.1) + 1024;
    if ((pt->st = set_const_type(L)) != CS_OK)
        return;
    csv_opts co = reader_opts(L, P->est_rows);
    pt->rd = csv_reader_new(&co, P->path, P->fd, 1, P->fsize, pt->from, &P->segs);
    pt->st = pt->rd ? csv_reader_run(pt->rd, pt->to, L->err) : CS_ENOMEM;
    pt->usable = 1;
}

static void *worker(void *arg)
{
    par *P = arg;
    for (;;) {
        pthread_mutex_lock(&P->mu);
        while (!__atomic_load_n(&P->stop, __ATOMIC_RELAXED) && P->next < P->np &&
               P->next > P->merged + P->window)
            pthread_cond_wait(&P->cv, &P->mu);
        if (__atomic_load_n(&P->stop, __ATOMIC_RELAXED) || P->next >= P->np) {
            pthread_mutex_unlock(&P->mu);
            break;
        }
        size_t k = P->next++;
        P->parts[k].state = PART_RUNNING;
        pthread_mutex_unlock(&P->mu);
        run_part(P, k);
        pthread_mutex_lock(&P->mu);
        P->parts[k].state = PART_DONE;
        pthread_cond_broadcast(&P->cv);
        pthread_mutex_unlock(&P->mu);
    }
    return NULL;
}

/* Intern the strings of table src into dst in id order; map[id] = the id in dst. */
static uint32_t *remap_table(cs_intern *dst, const cs_intern *src)
{
    uint32_t n = cs_intern_count(src);
    uint32_t *map = malloc(((size_t)n + 1) * sizeof *map);
    if (!map)
        return NULL;
    map[0] = 0;
    for (uint32_t id = 1; id <= n; id++) {
        const char *s = cs_intern_str(src, id);
        if ((map[id] = cs_intern_id(dst, s, strlen(s))) == UINT32_MAX) {
            free(map);
            return NULL;
        }
    }
    return map;
}

/* Append part pt's events to the caller's store.  CS_EINPUT: the event types would be too
 * many (the caller reads the part again to report the row). */
static cs_status merge_part(loader *LM, part *pt)
{
    cs_events *M = LM->ev, *E = pt->ev;
    uint32_t nt = cs_intern_count(E->types);
    uint16_t *tmap = malloc(((size_t)nt + 1) * sizeof *tmap);
    if (!tmap)
        return CS_ENOMEM;
    tmap[0] = 0;
    for (uint32_t t = 1; t <= nt; t++) {
        const char *s = cs_intern_str(E->types, t);
        int id = cs_events_type_id(M, s, strlen(s));
        if (id < 0) {
            free(tmap);
            return id == -2 ? CS_ENOMEM : CS_EINPUT;
        }
        tmap[t] = (uint16_t)id;
    }
    uint32_t *ms = remap_table(M->sessions, E->sessions), *mi = remap_table(M->items, E->items),
             *mc = remap_table(M->categories, E->categories), *mb = remap_table(M->brands, E->brands),
             *mu = remap_table(M->users, E->users);
    cs_status st = CS_ENOMEM;
    if (ms && mi && mc && mb && mu && cs_events_reserve(M, M->n + E->n) == CS_OK) {
        size_t b = M->n;
        for (size_t i = 0; i < E->n; i++) {
            M->session[b + i] = ms[E->session[i]];
            M->type[b + i] = tmap[E->type[i]];
            M->item[b + i] = mi[E->item[i]];
            M->category[b + i] = mc[E->category[i]];
            M->brand[b + i] = mb[E->brand[i]];
            M->user[b + i] = mu[E->user[i]];
        }
        if (E->n) {
            memcpy(M->time_ms + b, E->time_ms, E->n * sizeof *E->time_ms);
            memcpy(M->price + b, E->price, E->n * sizeof *E->price);
        }
        M->n += E->n;
        cs_ledger *l = LM->led;
        l->rows_read += pt->led.rows_read;
        l->rows_used += pt->led.rows_used;
        l->rows_skipped += pt->led.rows_skipped;
        for (int r = 0; r < CS_SKIP_NREASONS; r++)
            l->skipped[r] += pt->led.skipped[r];
        LM->used += pt->L.used;
        st = CS_OK;
    }
    free(tmap);
    free(ms);
    free(mi);
    free(mc);
    free(mb);
    free(mu);
    return st;
}

/* The first line start at or after byte at (fsize if none). */
static size_t line_start_at(int fd, size_t at, size_t fsize)
{
    if (at == 0)
        return 0;
    char buf[65536];
    for (size_t pos = at - 1; pos < fsize;) {
        ssize_t k = pread(fd, buf, sizeof buf, (off_t)pos);
        if (k <= 0)
            return fsize;
        const char *lf = memchr(buf, '\n', (size_t)k);
        if (lf)
            return pos + (size_t)(lf - buf) + 1;
        pos += (size_t)k;
    }
    return fsize;
}

static size_t est_rows_of(int fd, size_t fsize)
{
    size_t want = fsize < CSV_SEGMENT ? fsize : CSV_SEGMENT;
    char *buf = malloc(want ? want : 1);
    if (!buf)
        return 0;
    ssize_t k = pread(fd, buf, want, 0);
    size_t lines = 0;
    for (ssize_t i = 0; i < k; i++)
        lines += buf[i] == '\n';
    free(buf);
    if (k <= 0 || lines == 0)
        return 16;
    return (size_t)((double)fsize / ((double)k / (double)lines)) + 16;
}

static int load_threads(const cs_load_opts *o)
{
    long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Tell the caller how far the parallel load is; non-zero: stop. */
static int par_report(par *P, int force)
{
    loader *LM = P->LM;
    if (!LM->o->progress)
        return 0;
    size_t bytes = 0;
    long rows = 0;
    for (size_t k = 0; k < P->np; k++) {
        bytes += __atomic_load_n(&P->parts[k].bytes_done, __ATOMIC_RELAXED);
        rows += __atomic_load_n(&P->parts[k].rows_done, __ATOMIC_RELAXED);
    }
    double t = cs_now_s();
    if (!force && t - LM->last_report < PROGRESS_EVERY_S)
        return 0;
    LM->last_report = t;
    if (bytes > P->fsize)
        bytes = P->fsize;
    cs_load_progress p = {LM->bytes_base + bytes, LM->bytes_total, rows - LM->rows0};
    if (p.bytes_done > p.bytes_total)
        p.bytes_total = p.bytes_done;
    return LM->o->progress(LM->o->progress_ctx, &p);
}

/* Read [from, to) again in the caller's thread, into the caller's store: continuing *cont
 * if a row is open across the cut, else with a fresh reader whose lines follow line_base. */
static cs_status reread(par *P, csv_reader **cont, size_t from, size_t to, long line_base)
{
    loader *LM = P->LM;
    LM->pt = NULL;
    if (!*cont) {
        csv_opts co = reader_opts(LM, P->est_rows);
        co.progress = NULL;
        *cont = csv_reader_new(&co, P->path, P->fd, 1, P->fsize, from, &P->segs);
        if (!*cont)
            return CS_ENOMEM;
        csv_reader_retarget(*cont, on_rows, LM, NULL, line_base);
    }
    return csv_reader_run(*cont, to, LM->err);
}

/* Load the events file in parts (see above); info as csv_read fills it. */
static cs_status load_parallel(loader *LM, const char *path, int fd, size_t fsize, size_t part_bytes,
                               int threads, csv_info *info)
{
    par P = {.LM = LM, .o = LM->o, .path = path, .fd = fd, .fsize = fsize};
    P.np = (fsize + part_bytes - 1) / part_bytes;
    P.window = (size_t)threads + 1;
    P.est_rows = est_rows_of(fd, fsize);
    P.parts = calloc(P.np, sizeof *P.parts);
    P.segs.n = (fsize + CSV_SEGMENT - 1) / CSV_SEGMENT;
    P.segs.hash = calloc(P.segs.n ? P.segs.n : 1, sizeof *P.segs.hash);
    P.segs.done = calloc(P.segs.n ? P.segs.n : 1, 1);
    if (!P.parts || !P.segs.hash || !P.segs.done) {
        free(P.parts);
        free(P.segs.hash);
        free(P.segs.done);
        return CS_ENOMEM;
    }
    size_t prev = 0;
    for (size_t k = 0; k < P.np; k++) {
        P.parts[k].pp = &P;
        P.parts[k].from = prev;
        prev = k + 1 == P.np ? fsize : line_start_at(fd, (k + 1) * part_bytes, fsize);
        if (prev < P.parts[k].from)
            prev = P.parts[k].from;
        P.parts[k].to = prev;
    }
    pthread_mutex_init(&P.mu, NULL);
    pthread_cond_init(&P.cv, NULL);
    LM->par = &P;
    if ((size_t)threads > P.np)
        threads = (int)P.np;
    pthread_t tid[64];
    int nt = 0;
    for (; nt < threads; nt++)
        if (pthread_create(&tid[nt], NULL, worker, &P) != 0)
            break;
    cs_status st = nt > 0 ? CS_OK : CS_ENOMEM;
    csv_reader *cont = NULL;   /* the caller's sequential reader, while one is needed */
    long line_base = 0;        /* line ends before the current part */
    long rows = 0;             /* rows delivered (info->rows) */
    for (size_t k = 0; k < P.np && st == CS_OK; k++) {
        part *pt = &P.parts[k];
        pthread_mutex_lock(&P.mu);
        while (pt->state != PART_DONE) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&P.cv, &P.mu, &ts);
            if (pt->state != PART_DONE && LM->o->progress) {
                pthread_mutex_unlock(&P.mu);
                int stop = par_report(&P, 0);
                pthread_mutex_lock(&P.mu);
                if (stop) {
                    st = CS_ECANCEL;
                    break;
                }
            }
        }
        pthread_mutex_unlock(&P.mu);
        if (st != CS_OK)
            break;
        if (k == 0) {
            /* part 0 went straight into the caller's store */
            if ((st = pt->st) != CS_OK)
                break;
            csv_info pi;
            csv_reader_info(pt->rd, &pi);
            rows += pi.rows;
            if (csv_reader_clean(pt->rd)) {
                line_base = csv_reader_lines(pt->rd);
            } else {
                cont = pt->rd;
                pt->rd = NULL;
                csv_reader_retarget(cont, on_rows, LM, NULL, 0);
            }
        } else {
            cs_status ms = CS_EINPUT;
            if (!cont && pt->usable && pt->st == CS_OK && pt->ev) {
                csv_info pi;
                csv_reader_info(pt->rd, &pi);
                ms = merge_part(LM, pt);
                if (ms == CS_ENOMEM) {
                    st = ms;
                    break;
                }
                if (ms == CS_OK) {
                    rows += pi.rows;
                    if (csv_reader_clean(pt->rd)) {
                        line_base += csv_reader_lines(pt->rd);
                    } else {
                        cont = pt->rd;
                        pt->rd = NULL;
                        csv_reader_retarget(cont, on_rows, LM, NULL, line_base);
                    }
                }
            }
            if (ms != CS_OK) {
                /* the part's own result cannot be used: read it again here */
                long before = 0;
                if (cont) {
                    csv_info ci;
                    csv_reader_info(cont, &ci);
                    before = ci.rows;
                }
                st = reread(&P, &cont, pt->from, pt->to, line_base);
                if (st != CS_OK)
                    break;
                csv_info ci;
                csv_reader_info(cont, &ci);
                rows += ci.rows - before;
                if (csv_reader_clean(cont)) {
                    line_base = csv_reader_lines(cont);
                    csv_reader_free(cont);
                    cont = NULL;
                }
            }
        }
        csv_reader_free(pt->rd);
        pt->rd = NULL;
        give_store(&P, pt->ev);
        pt->ev = NULL;
        pthread_mutex_lock(&P.mu);
        P.merged = k + 1;
        pthread_cond_broadcast(&P.cv);
        pthread_mutex_unlock(&P.mu);
    }
    __atomic_store_n(&P.stop, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&P.mu);
    pthread_cond_broadcast(&P.cv);
    pthread_mutex_unlock(&P.mu);
    for (int i = 0; i < nt; i++)
        pthread_join(tid[i], NULL);
    csv_reader_free(cont);
    /* the fingerprint: hash the segments no reader read whole */
    uint64_t fp = CSV_HASH_INIT;
    char *buf = st == CS_OK ? malloc(CSV_SEGMENT) : NULL;
    if (st == CS_OK && !buf)
        st = CS_ENOMEM;
    for (size_t j = 0; st == CS_OK && j < P.segs.n; j++) {
        if (!P.segs.done[j]) {
            size_t want = j + 1 == P.segs.n ? fsize - j * CSV_SEGMENT : CSV_SEGMENT, n = 0;
            while (n < want) {
                ssize_t k = pread(fd, buf + n, want - n, (off_t)(j * CSV_SEGMENT + n));
                if (k <= 0)
                    break;
                n += (size_t)k;
            }
            P.segs.hash[j] = csv_hash_bytes(CSV_HASH_INIT, buf, n);
        }
        fp = csv_fp_fold(fp, j, P.segs.hash[j]);
    }
    free(buf);
    for (size_t k = 0; k < P.np; k++) {
        csv_reader_free(P.parts[k].rd);
        if (P.parts[k].ev) {
            cs_events_free(P.parts[k].ev);
            free(P.parts[k].ev);
        }
    }
    for (int i = 0; i < P.npool; i++) {
        cs_events_free(P.pool[i]);
        free(P.pool[i]);
    }
    pthread_cond_destroy(&P.cv);
    pthread_mutex_destroy(&P.mu);
    free(P.parts);
    free(P.segs.hash);
    free(P.segs.done);
    LM->par = NULL;
    LM->pt = NULL;
    info->fingerprint = fp;
    info->bytes = fsize;
    info->rows = rows;
    return st;
}

/* ---- sharded loading (cs_events_load_shard) ----------------------------------------------
 * Shard r of n parses the rows whose line starts in [from, to): from is the first line start
 * at or after r * fsize / n (0 for shard 0), to the next shard's from.  A shard other than
 * 0 first reads the file's first line alone into a scratch loader, for the column layout
 * (header or not, format, columns; as the parallel parts copy part 0's), then its range
 * from a fresh reader.  Whatever a shard cannot do exactly as a one-process load does sets
 * L->whole (the caller then loads the file whole): a range that ends inside an open row (a
 * quoted field across the cut: the next shard's first row would be wrong), a first line
 * that is not a row, a file that is not regular.  Line numbers of a shard's messages count
 * from its range; the caller loads whole on any error, for the exact message. */
static cs_status read_range(loader *L, const char *path, int fd, size_t fsize, size_t from,
                            size_t to, int *clean, csv_info *info)
{
    csv_opts co = reader_opts(L, 0);
    co.progress = NULL;
    csv_reader *rd = csv_reader_new(&co, path, fd, 1, fsize, from, NULL);
    if (!rd)
        return CS_ENOMEM;
    cs_status s = csv_reader_run(rd, to, L->err);
    *clean = to >= fsize || csv_reader_clean(rd);
    csv_reader_info(rd, info);
    csv_reader_free(rd);
    return s;
}

static cs_status load_shard(loader *L, const char *path, csv_info *info)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        L->whole = "not a regular file";
        return CS_OK;
    }
    size_t fsize = (size_t)st.st_size, n = (size_t)L->shards, r = (size_t)L->shard;
    size_t from = r == 0 ? 0 : line_start_at(fd, (size_t)((double)fsize * (double)r / (double)n), fsize);
    size_t to = r + 1 == n ? fsize : line_start_at(fd, (size_t)((double)fsize * (double)(r + 1) / (double)n), fsize);
    to = to < from ? from : to;
    cs_status s = CS_OK;
    int clean = 1;
    if (from > 0) {   /* the layout from the first line, into scratch */
        cs_events scratch;
        cs_ledger sl;
        memset(&sl, 0, sizeof sl);
        if (cs_events_init(&scratch) != CS_OK) {
            close(fd);
            return CS_ENOMEM;
        }
        loader S = *L;
        S.ev = &scratch;
        S.led = &sl;
        S.hdr = NULL;
        S.n_hdr = 0;
        csv_info fi = {0};
        s = read_range(&S, path, fd, fsize, 0, line_start_at(fd, 1, fsize), &clean, &fi);
        cs_events_free(&scratch);
        free(S.last_time);
        if (s == CS_OK && (!S.started || !clean))
            L->whole = "the first line is not a whole row";
        if (s != CS_OK || L->whole) {
            for (size_t i = 0; i < S.n_hdr; i++)
                free(S.hdr[i]);
            free(S.hdr);
            close(fd);
            return s;
        }
        S.ev = L->ev;      /* the layout, into this shard's loader */
        S.led = L->led;
        S.err = L->err;
        S.bh = L->bh;
        S.reserved = 0;
        S.used = 0;
        S.last_time = NULL;
        S.c_sess = S.c_type = S.c_item = S.c_cat = S.c_brand = S.c_user = (cache){0};
        *L = S;
        if ((s = set_const_type(L)) != CS_OK) {
            close(fd);
            return s;
        }
    }
    if (to > from) {
        csv_info ri = {0};
        s = read_range(L, path, fd, fsize, from, to, &clean, &ri);
        info->rows = ri.rows;
    }
    info->bytes = to - from;
    if (s == CS_OK && !clean)
        L->whole = "a quoted field spans a shard boundary";
    close(fd);
    return s;
}

/* The header row kept for the file being read (its names map the columns). */
static void free_header(loader *L)
{
    for (size_t i = 0; i < L->n_hdr; i++)
        free(L->hdr[i]);
    free(L->hdr);
    L->hdr = NULL;
    L->n_hdr = 0;
}

static cs_status load_file(loader *L, const char *path, file_kind kind, uint64_t *fp)
{
    L->path = path;
    L->kind = kind;
    L->started = 0;
    L->header = kind == FILE_EVENTS ? L->o->header : -1;
    L->names = NULL;
    L->n_names = 0;
    L->reserved = 0;
    L->used = 0;
    L->const_type = 0;
    csv_info info = {0};
    cs_status s;
    int threads = load_threads(L->o), fd = -1;
    struct stat st;
    size_t part_len = 0;
    if (kind == FILE_EVENTS && threads > 1 && (fd = open(path, O_RDONLY)) >= 0 && fstat(fd, &st) == 0 &&
        S_ISREG(st.st_mode)) {
        size_t fsize = (size_t)st.st_size;
        part_len = L->o->part_bytes;
        if (!part_len) {
            part_len = fsize / (4 * (size_t)threads);
            part_len = part_len < PART_MIN ? PART_MIN : part_len > PART_MAX ? PART_MAX : part_len;
        }
        if (fsize <= part_len)
            part_len = 0;
    }
    if (L->shards > 1) {
        s = load_shard(L, path, &info);
        if (fd >= 0)
            close(fd);
        free_header(L);
        if (s == CS_ENOMEM && L->err && L->err->code != CS_ENOMEM)
            cs_error_set(L->err, CS_ENOMEM, path, 0, 0, "out of memory");
        return s;   /* empty shards are fine: the caller checks the whole */
    }
    if (part_len) {
        s = load_parallel(L, path, fd, (size_t)st.st_size, part_len, threads, &info);
        if (s == CS_ENOMEM && L->err && L->err->code != CS_ENOMEM)
            cs_error_set(L->err, CS_ENOMEM, path, 0, 0, "out of memory");
    } else {
        csv_opts co = {.delim = L->o->delim, .max_field_len = L->o->max_field_len ? L->o->max_field_len : 4096,
                       .force_libcsv = L->o->force_libcsv, .fn = on_rows, .ctx = L,
                       .progress = L->o->progress ? on_block : NULL};
        s = csv_read(path, &co, &info, L->err);
    }
    if (fd >= 0)
        close(fd);
    L->bytes_base += info.bytes;
    free_header(L);
    if (s == CS_ENOMEM && L->err && L->err->code != CS_ENOMEM)
        cs_error_set(L->err, CS_ENOMEM, path, 0, 0, "out of memory");
    if (s == CS_ECANCEL)
        cs_error_set(L->err, CS_ECANCEL, path, 0, 0, "load stopped");
    if (s != CS_OK)
        return s;
    *fp = *fp * CS_FNV64_PRIME ^ info.fingerprint;
    if (info.rows == 0)
        return cs_error_set(L->err, CS_EINPUT, path, 0, 0, "empty file: no header and no rows");
    if (info.rows == 1 && L->header == 1)
        return cs_error_set(L->err, CS_EINPUT, path, 0, 0, "no data rows, only a header");
    if (kind == FILE_EVENTS && L->used == 0)
        return cs_error_set(L->err, CS_EINPUT, path, 0, 0, "no usable rows: all %ld were skipped as bad",
                            L->led->rows_skipped);
    return CS_OK;
}

static void set_source(cs_events *ev, const char *a, const char *b)
{
    char tmp[3 * sizeof ev->source];
    snprintf(tmp, sizeof tmp, "%s%s%s%s%s", ev->source, ev->source[0] ? " + " : "", a,
             b ? " + " : "", b ? b : "");
    memcpy(ev->source, tmp, sizeof ev->source - 1);
    ev->source[sizeof ev->source - 1] = '\0';
}

static cs_status load_events(cs_events *ev, const cs_load_opts *o, cs_ledger *led, int shard,
                             int shards, cs_shard_info *si, cs_error *err)
{
    cs_ledger scratch;
    led = cs_ledger_or(led, &scratch);
    if (!o || !o->path || !*o->path)
        return cs_error_fmt(err, CS_EINPUT, "no data file given");
    if (o->format == CS_FMT_FEATURES)
        return cs_error_fmt(err, CS_EINPUT, "%s: the features format is a table, not events", o->path);
    if ((unsigned)o->format > CS_FMT_FEATURES)
        return cs_error_fmt(err, CS_EINPUT, "unknown data format %d", (int)o->format);
    uint32_t bh[CSV_BATCH][3];
    loader L = {.ev = ev, .led = led, .o = o, .err = err, .fmt = o->format, .bh = bh,
                .rows0 = led->rows_read, .shard = shard, .shards = shards};
    if (o->progress) {
        L.bytes_total = file_size(o->path) + file_size(o->outcomes_path);
        if (report(&L, 0, 1))
            return cs_error_set(err, CS_ECANCEL, o->path, 0, 0, "load stopped");
    }
    if (o->format == CS_FMT_GENERIC) {
        cs_status s = parse_map(&L.map, o->map, err);
        if (s != CS_OK)
            return s;
    }
    size_t n0 = ev->n;
    uint64_t fp = ev->fingerprint ? ev->fingerprint : CSV_HASH_INIT;
    cs_status s = load_file(&L, o->path, FILE_EVENTS, &fp);
    L.n_events_file = ev->n;
    if (shards > 1) {
        if (s == CS_OK && !L.whole && L.gap)
            L.whole = "sessions are cut by an inactivity gap (no session column)";
        if (s == CS_OK && !L.whole && o->outcomes_path && *o->outcomes_path &&
            L.fmt != CS_FMT_YOOCHOOSE)
            L.whole = "an outcomes file (it needs every session's last event)";
        si->n_events_file = ev->n - n0;
        if (s == CS_OK && !L.whole && o->outcomes_path && *o->outcomes_path)
            s = load_file(&L, o->outcomes_path, FILE_BUYS, &fp);
        free(L.last_time);
        si->whole = L.whole;
        if (s == CS_OK && !L.whole)
            set_source(ev, o->path, o->outcomes_path && *o->outcomes_path ? o->outcomes_path : NULL);
        return s;
    }
    if (s == CS_OK && o->outcomes_path && *o->outcomes_path)
        s = load_file(&L, o->outcomes_path, L.fmt == CS_FMT_YOOCHOOSE ? FILE_BUYS : FILE_OUTCOMES, &fp);
    free(L.last_time);
    if (s == CS_OK && L.gap) {
        long long gap = o->session_gap_ms > 0 ? o->session_gap_ms : 30LL * 60 * 1000;
        s = cs_events_cut_sessions(ev, n0, gap, o->threads);
        if (s == CS_EINPUT)
            cs_error_fmt(err, s, "%s: %zu events: more than the %zu sessions can be cut from",
                         o->path, ev->n, CS_GROUP_MAX_EVENTS);
        else if (s != CS_OK)
            cs_error_fmt(err, s, "%s: out of memory while cutting sessions", o->path);
    }
    if (s != CS_OK)
        return s;
    if (L.fmt == CS_FMT_YOOCHOOSE)
        ev->purchase_type = (uint16_t)cs_intern_find(ev->types, "buy", 3);
    else if (o->purchase_event && *o->purchase_event) {
        uint32_t p = cs_intern_find(ev->types, o->purchase_event, strlen(o->purchase_event));
        if (p)
            ev->purchase_type = (uint16_t)p;
    }
    if (o->progress && report(&L, 0, 1))
        return cs_error_set(err, CS_ECANCEL, o->path, 0, 0, "load stopped");
    ev->fingerprint = fp;
    set_source(ev, o->path, o->outcomes_path && *o->outcomes_path ? o->outcomes_path : NULL);
    return CS_OK;
}

cs_status cs_events_load(cs_events *ev, const cs_load_opts *o, cs_ledger *led, cs_error *err)
{
    return load_events(ev, o, led, 0, 1, NULL, err);
}

cs_status cs_events_load_shard(cs_events *ev, const cs_load_opts *o, int shard, int shards,
                               cs_ledger *led, cs_shard_info *info, cs_error *err)
{
    info->whole = NULL;
    info->n_events_file = 0;
    if (shards < 1 || shard < 0 || shard >= shards)
        return cs_error_fmt(err, CS_EINPUT, "shard %d of %d", shard, shards);
    return load_events(ev, o, led, shard, shards, info, err);
}
