/* table.c — cs_table_load: session-feature tables (the features preset, table.h).
 *
 * One pass through csvread.c.  The header is required.  Each column's kind is decided by
 * the first complete row (right field count, no empty cell): TRUE/FALSE/true/false ->
 * boolean (later values may also be 1/0), a number -> numeric, anything else ->
 * categorical (one-hot, one column per distinct value, "Month=Feb", values in byte
 * order so that two files with the same values get the same layout).  The label column
 * takes booleans; the optional time column gives each row a time key (month names
 * Jan..Dec or January..December -> 1..12, or an integer).  Every other rule is the
 * events loader's: a bad row is an error naming FILE:LINE:COL and the value, or with
 * skip_bad_rows it is skipped and counted.  The table also fills the session half of
 * the ledger (one session per row, all kept). */
#include "clickseq/table.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/data/csvread.h"
#include "engine/core/freeall.h"

enum { K_UNDECIDED = 0, K_NUM, K_BOOL, K_CAT, K_DROP, K_LABEL };

typedef struct tloader {
    cs_table *t;
    const cs_table_opts *o;
    cs_ledger *led;
    cs_error *err;
    int started, decided;
    size_t ncol;
    char **hdr;
    int *kind;
    int *slot;             /* per column: index into vals (num/bool) or cats (categorical) */
    cs_intern **cat;       /* per categorical slot */
    size_t n_vals, n_cats;
    int label_col, time_col;
    float *vals;           /* rows * n_vals */
    uint32_t *cats;        /* rows * n_cats */
    uint8_t *y;
    int32_t *tk;
    size_t n, cap;
} tloader;

void cs_table_opts_init(cs_table_opts *o)
{
    memset(o, 0, sizeof *o);
    o->label = "Revenue";
}

void cs_table_free(cs_table *t)
{
    if (!t)
        return;
    CS_FREE_ALL(t->x, t->y, t->time_key);
    cs_free_strs(t->col_names, t->n_cols);
    memset(t, 0, sizeof *t);
}

static int parse_bool(const char *s, size_t len, int strict_words)
{
    if ((len == 4 && !strcmp(s, "TRUE")) || (len == 4 && !strcmp(s, "true")))
        return 1;
    if ((len == 5 && !strcmp(s, "FALSE")) || (len == 5 && !strcmp(s, "false")))
        return 0;
    if (!strict_words && len == 1 && (s[0] == '0' || s[0] == '1'))
        return s[0] - '0';
    return -1;
}

static int parse_month(const char *s, size_t len)
{
    static const char *const m[12] = {"january", "february", "march", "april", "may", "june",
                                      "july", "august", "september", "october", "november",
                                      "december"};
    for (int i = 0; i < 12; i++) {
        size_t ml = strlen(m[i]);
        if ((len == ml || len == 3 || (i == 8 && len == 4)) && len <= ml && !strncasecmp(s, m[i], len))
            return i + 1;
    }
    return -1;
}

static cs_status tbad(tloader *L, const csv_row *r, int reason, size_t col, const char *v,
                      size_t vlen, const char *what)
{
    if (L->o->skip_bad_rows) {
        L->led->rows_read++;
        L->led->rows_skipped++;
        L->led->skipped[reason]++;
        return CS_OK;
    }
    char shown[300];
    const char *name = col && col - 1 < L->ncol ? L->hdr[col - 1] : "?";
    if (reason == CS_SKIP_COLUMNS)
        return cs_error_set(L->err, CS_EINPUT, L->o->path, r->line, (long)col,
                            "expected %zu fields, found %zu: '%s'", L->ncol, r->n,
                            csv_show(shown, sizeof shown, v, vlen));
    return cs_error_set(L->err, CS_EINPUT, L->o->path, r->line, (long)col, "field %zu (%s) %s: '%s'",
                        col, name, what, csv_show(shown, sizeof shown, v, vlen));
}

static const char *const bad_what[CS_SKIP_NREASONS] = {
    "", "is not a valid time key", "is not a number", "has bad quoting",
    "contains a NUL byte", "is too long", "is required but empty", ""};

/* A numeric feature: NULL and *d when it is a number a float holds, else what is wrong
 * ("-1e308" is a number, but not one a float column can hold). */
static const char *number_what(const char *v, size_t len, double *d)
{
    if (cs_parse_double(v, len, d) == 0)
        return *d <= FLT_MAX && *d >= -FLT_MAX ? NULL : "is out of float range (at most ±3.4e38)";
    char buf[64], *end;
    if (len == 0 || len >= sizeof buf)
        return bad_what[CS_SKIP_NUMBER];
    memcpy(buf, v, len);
    buf[len] = '\0';
    errno = 0;
    double x = strtod(buf, &end);
    if (*end == '\0' && end != buf && errno == ERANGE && isinf(x))   /* 1e400: beyond a double too */
        return "is out of float range (at most ±3.4e38)";
    return bad_what[CS_SKIP_NUMBER];
}

static cs_status header_row(tloader *L, const csv_row *r)
{
    L->ncol = r->n < CSV_MAX_FIELDS ? r->n : CSV_MAX_FIELDS;
    L->hdr = calloc(L->ncol, sizeof *L->hdr);
    L->kind = calloc(L->ncol, sizeof *L->kind);
    L->slot = calloc(L->ncol, sizeof *L->slot);
    L->cat = calloc(L->ncol, sizeof *L->cat);
    if (!L->hdr || !L->kind || !L->slot || !L->cat)
        return CS_ENOMEM;
    for (size_t i = 0; i < L->ncol; i++)
        if (!(L->hdr[i] = strdup(r->f[i])))
            return CS_ENOMEM;
    const char *label = L->o->label && *L->o->label ? L->o->label : "Revenue";
    L->label_col = L->time_col = -1;
    for (size_t i = 0; i < L->ncol; i++) {
        if (!strcmp(L->hdr[i], label))
            L->label_col = (int)i;
        if (L->o->time_col && !strcmp(L->hdr[i], L->o->time_col))
            L->time_col = (int)i;
    }
    if (L->label_col < 0)
        return cs_error_set(L->err, CS_EINPUT, L->o->path, r->line, 0, "no label column '%s' in the header",
                            label);
    if (L->o->time_col && *L->o->time_col && L->time_col < 0)
        return cs_error_set(L->err, CS_EINPUT, L->o->path, r->line, 0, "no time column '%s' in the header",
                            L->o->time_col);
    L->kind[L->label_col] = K_LABEL;
    for (const char *d = L->o->drop; d && *d;) {
        size_t n = strcspn(d, ",");
        int found = 0;
        for (size_t i = 0; i < L->ncol; i++)
            if (strlen(L->hdr[i]) == n && !strncmp(L->hdr[i], d, n) && (int)i != L->label_col) {
                L->kind[i] = K_DROP;
                found = 1;
            }
        if (!found && n)
            return cs_error_set(L->err, CS_EINPUT, L->o->path, r->line, 0,
                                "cannot drop '%.*s': no such feature column", (int)n, d);
        d += n + (d[n] == ',');
    }
    return CS_OK;
}

/* The first complete row decides numeric / boolean / categorical. */
static cs_status decide(tloader *L, const csv_row *r)
{
    for (size_t i = 0; i < L->ncol; i++) {
        if (L->kind[i] == K_DROP || L->kind[i] == K_LABEL)
            continue;
        double d;
        if (parse_bool(r->f[i], r->len[i], 1) >= 0)
            L->kind[i] = K_BOOL;
        else if (cs_parse_double(r->f[i], r->len[i], &d) == 0)
            L->kind[i] = K_NUM;
        else
            L->kind[i] = K_CAT;
        if (L->kind[i] == K_CAT) {
            L->slot[i] = (int)L->n_cats++;
            if (!(L->cat[L->slot[i]] = cs_intern_new()))
                return CS_ENOMEM;
        } else {
            L->slot[i] = (int)L->n_vals++;
        }
    }
    L->decided = 1;
    return CS_OK;
}

static int grow_rows(tloader *L)
{
    if (L->n < L->cap)
        return 0;
    size_t c = L->cap ? L->cap * 2 : 1024;
    float *v = realloc(L->vals, c * (L->n_vals ? L->n_vals : 1) * sizeof *v);
    if (v)
        L->vals = v;
    uint32_t *k = realloc(L->cats, c * (L->n_cats ? L->n_cats : 1) * sizeof *k);
    if (k)
        L->cats = k;
    uint8_t *y = realloc(L->y, c);
    if (y)
        L->y = y;
    int32_t *tk = realloc(L->tk, c * sizeof *tk);
    if (tk)
        L->tk = tk;
    if (!v || !k || !y || !tk)
        return -1;
    L->cap = c;
    return 0;
}

static cs_status table_row(tloader *L, const csv_row *r)
{
    if (r->bad >= 0)
        return tbad(L, r, r->bad, r->bad_col, r->bad_val, r->bad_len, bad_what[r->bad]);
    if (r->n != L->ncol) {
        size_t col = (r->n < L->ncol ? r->n : L->ncol) + 1;
        return tbad(L, r, CS_SKIP_COLUMNS, col, r->f[r->n < L->ncol ? r->n - 1 : L->ncol],
                    r->len[r->n < L->ncol ? r->n - 1 : L->ncol], "");
    }
    for (size_t i = 0; i < L->ncol; i++)
        if (L->kind[i] != K_DROP && r->len[i] == 0)
            return tbad(L, r, CS_SKIP_MISSING, i + 1, "", 0, bad_what[CS_SKIP_MISSING]);
    cs_status s;
    if (!L->decided && (s = decide(L, r)) != CS_OK)
        return s;
    /* validate */
    int y = parse_bool(r->f[L->label_col], r->len[L->label_col], 0);
    if (y < 0)
        return tbad(L, r, CS_SKIP_NUMBER, (size_t)L->label_col + 1, r->f[L->label_col],
                    r->len[L->label_col], "is not a boolean label (TRUE/FALSE/true/false/1/0)");
    long long tkey = (long long)L->n;
    if (L->time_col >= 0) {
        const char *v = r->f[L->time_col];
        size_t vl = r->len[L->time_col];
        int m = parse_month(v, vl);
        if (m > 0)
            tkey = m;
        else if (cs_parse_i64(v, vl, &tkey) < 0 || tkey < INT32_MIN || tkey > INT32_MAX)
            return tbad(L, r, CS_SKIP_TIME, (size_t)L->time_col + 1, v, vl,
                        "is not a month name or an integer time key");
    }
    if (grow_rows(L) < 0)
        return CS_ENOMEM;
    float *vals = L->vals + L->n * L->n_vals;
    for (size_t i = 0; i < L->ncol; i++) {
        double d;
        int b;
        if (L->kind[i] == K_NUM) {
            const char *what = number_what(r->f[i], r->len[i], &d);
            if (what)
                return tbad(L, r, CS_SKIP_NUMBER, i + 1, r->f[i], r->len[i], what);
            vals[L->slot[i]] = (float)d;
        } else if (L->kind[i] == K_BOOL) {
            if ((b = parse_bool(r->f[i], r->len[i], 0)) < 0)
                return tbad(L, r, CS_SKIP_NUMBER, i + 1, r->f[i], r->len[i],
                            "is not a boolean (TRUE/FALSE/true/false/1/0)");
            vals[L->slot[i]] = (float)b;
        }
    }
    uint32_t *cats = L->cats + L->n * L->n_cats;
    for (size_t i = 0; i < L->ncol; i++)
        if (L->kind[i] == K_CAT) {
            uint32_t id = cs_intern_id(L->cat[L->slot[i]], r->f[i], r->len[i]);
            if (id == UINT32_MAX)
                return CS_ENOMEM;
            cats[L->slot[i]] = id;
        }
    L->y[L->n] = (uint8_t)y;
    L->tk[L->n] = (int32_t)tkey;
    L->n++;
    L->led->rows_read++;
    L->led->rows_used++;
    return CS_OK;
}

static cs_status on_trows(void *ctx, const csv_row *rows, size_t n)
{
    tloader *L = ctx;
    for (size_t i = 0; i < n; i++) {
        cs_status s;
        if (!L->started) {
            L->started = 1;
            s = rows[i].bad >= 0 ? csv_bad_first_row(L->o->path, &rows[i], L->err)
                                 : header_row(L, &rows[i]);
        } else {
            s = table_row(L, &rows[i]);
        }
        if (s != CS_OK)
            return s;
    }
    return CS_OK;
}

typedef struct named_id {
    const char *s;
    uint32_t id;
} named_id;

static int cmp_named(const void *a, const void *b)
{
    return strcmp(((const named_id *)a)->s, ((const named_id *)b)->s);
}

/* Expand the stored rows into x, one-hot columns in byte order of their values. */
static cs_status build(tloader *L, cs_table *t)
{
    size_t nc = 0;
    for (size_t i = 0; i < L->ncol; i++)
        nc += L->kind[i] == K_NUM || L->kind[i] == K_BOOL ? 1
              : L->kind[i] == K_CAT ? cs_intern_count(L->cat[L->slot[i]]) : 0;
    t->n_rows = L->n;
    t->n_cols = nc;
    t->col_names = calloc(nc ? nc : 1, sizeof *t->col_names);
    t->x = calloc(L->n * nc + 1, sizeof *t->x);
    t->y = malloc(L->n + 1);
    t->time_key = malloc((L->n + 1) * sizeof *t->time_key);
    uint32_t *pos = NULL; /* categorical id -> output column */
    if (!t->col_names || !t->x || !t->y || !t->time_key)
        return CS_ENOMEM;
    memcpy(t->y, L->y, L->n);
    memcpy(t->time_key, L->tk, L->n * sizeof *t->time_key);
    size_t c = 0;
    for (size_t i = 0; i < L->ncol; i++) {
        if (L->kind[i] == K_NUM || L->kind[i] == K_BOOL) {
            if (!(t->col_names[c] = strdup(L->hdr[i])))
                return CS_ENOMEM;
            for (size_t r = 0; r < L->n; r++)
                t->x[r * nc + c] = L->vals[r * L->n_vals + L->slot[i]];
            c++;
        } else if (L->kind[i] == K_CAT) {
            const cs_intern *tab = L->cat[L->slot[i]];
            uint32_t k = cs_intern_count(tab);
            named_id *ord = malloc((k + 1) * sizeof *ord);
            pos = malloc((k + 1) * sizeof *pos);
            if (!ord || !pos) {
                free(ord);
                free(pos);
                return CS_ENOMEM;
            }
            for (uint32_t j = 0; j < k; j++)
                ord[j] = (named_id){cs_intern_str(tab, j + 1), j + 1};
            qsort(ord, k, sizeof *ord, cmp_named);
            for (uint32_t j = 0; j < k; j++) {
                pos[ord[j].id] = (uint32_t)(c + j);
                size_t ln = strlen(L->hdr[i]) + strlen(ord[j].s) + 2;
                if (!(t->col_names[c + j] = malloc(ln))) {
                    free(ord);
                    free(pos);
                    return CS_ENOMEM;
                }
                snprintf(t->col_names[c + j], ln, "%s=%s", L->hdr[i], ord[j].s);
            }
            for (size_t r = 0; r < L->n; r++)
                t->x[r * nc + pos[L->cats[r * L->n_cats + L->slot[i]]]] = 1.0f;
            free(ord);
            free(pos);
            pos = NULL;
            c += k;
        }
    }
    return CS_OK;
}

cs_status cs_table_load(cs_table *t, const cs_table_opts *o, cs_ledger *led, cs_error *err)
{
    memset(t, 0, sizeof *t);
    cs_ledger scratch;
    led = cs_ledger_or(led, &scratch);
    if (!o || !o->path || !*o->path)
        return cs_error_fmt(err, CS_EINPUT, "no table file given");
    tloader L = {.t = t, .o = o, .led = led, .err = err};
    csv_info info;
    csv_opts co = {.delim = o->delim, .max_field_len = 4096, .force_libcsv = o->force_libcsv,
                   .fn = on_trows, .ctx = &L};
    cs_status s = csv_read(o->path, &co, &info, err);
    if (s == CS_OK && info.rows == 0)
        s = cs_error_set(err, CS_EINPUT, o->path, 0, 0, "empty file: no header and no rows");
    else if (s == CS_OK && L.n == 0)
        s = cs_error_set(err, CS_EINPUT, o->path, 0, 0, info.rows == 1 ? "no data rows, only a header"
                                                                       : "no usable rows: all were skipped as bad");
    if (s == CS_OK)
        s = build(&L, t);
    if (s == CS_ENOMEM && err && err->code != CS_ENOMEM)
        cs_error_set(err, CS_ENOMEM, o->path, 0, 0, "out of memory");
    if (s == CS_OK) {
        t->fingerprint = info.fingerprint;
        snprintf(t->source, sizeof t->source, "%s", o->path);
        led->sessions_seen += (long)L.n;
        led->sessions_kept += (long)L.n;
    } else {
        cs_table_free(t);
    }
    for (size_t i = 0; i < L.ncol; i++) {
        if (L.hdr)
            free(L.hdr[i]);
        if (L.cat && L.cat[i])
            cs_intern_free(L.cat[i]);
    }
    free(L.hdr);
    free(L.kind);
    free(L.slot);
    free(L.cat);
    free(L.vals);
    free(L.cats);
    free(L.y);
    free(L.tk);
    return s;
}
