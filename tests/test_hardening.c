/* test_hardening.c — anomaly tests (SQLite-style) for the readers and the dataset builder:
 *   - every input in fuzz/regressions/ replayed through the reader its harness drives;
 *   - every truncation of every file of four real runs (tests/fixtures/runs/), of CSV
 *     fixtures and of a yoochoose buys file: an error or a clean load, never a crash (the sanitizer build also
 *     checks for leaks and undefined behaviour on each);
 *   - allocation failure: malloc/calloc/realloc fail at the Nth call (N = 1, 2, ...) in
 *     cs_events_load, cs_table_load, cs_dataset_from_events (and _consume), cs_run_load and
 *     cs_weights_read; each must return CS_ENOMEM (or succeed once N passes the number of
 *     calls), never crash, and leave nothing allocated.
 * The allocator hook is the linker's --wrap (see mk/hardening.am): the engine library is
 * linked into this test as it is into the program, with no test code inside it.  Live
 * blocks are counted by the wrappers, so a leak on an error path fails the test here too,
 * not only under LeakSanitizer. */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/dataset.h"
#include "clickseq/events.h"
#include "clickseq/runstore.h"
#include "clickseq/table.h"

#define RUNS CS_SRCDIR "/tests/fixtures/runs/"
#define CSV CS_SRCDIR "/tests/fixtures/csv/"
#define REGR CS_SRCDIR "/fuzz/regressions/"

/* ------------------------------------------------------------------ the allocator hook */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long fail_at = -1;   /* the call number that fails (1-based); -1 = never */
static long calls;          /* allocation calls since arm() */
static long live;           /* blocks handed out and not yet freed, while counting */
static int counting;
static size_t biggest;      /* the largest single request since arm() */

static int should_fail_size(size_t n)
{
    if (counting && n > biggest)
        biggest = n;
    if (!counting)
        return 0;
    calls++;
    return fail_at > 0 && calls >= fail_at;   /* fail from N on: the error path must cope */
}

void *__wrap_malloc(size_t n)
{
    if (should_fail_size(n))
        return NULL;
    void *p = __real_malloc(n);
    if (p && counting)
        live++;
    return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (should_fail_size(n && k > SIZE_MAX / n ? SIZE_MAX : k * n))
        return NULL;
    void *p = __real_calloc(k, n);
    if (p && counting)
        live++;
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (should_fail_size(n))
        return NULL;
    void *q = __real_realloc(p, n);
    if (q && !p && counting)
        live++;
    return q;
}

void __wrap_free(void *p)
{
    if (p && counting)
        live--;
    __real_free(p);
}

/* libc's strdup/strndup allocate behind the wrapper's back; route them through it. */
char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s);
    char *d = __wrap_malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t k = strnlen(s, n);
    char *d = __wrap_malloc(k + 1);
    if (d) {
        memcpy(d, s, k);
        d[k] = '\0';
    }
    return d;
}

static void arm(long n)
{
    fail_at = n;
    calls = 0;
    live = 0;
    biggest = 0;
    counting = 1;
}

static void disarm(void)
{
    counting = 0;
    fail_at = -1;
}

/* Run op with the Nth allocation failing, for N = 1.. until op succeeds with no failure
 * reached.  op returns its status and must have freed everything it made (on success too:
 * it frees its result).  Returns the number of allocation calls of a full success. */
typedef cs_status (*alloc_op)(void *ctx);

static long fail_each_allocation(alloc_op op, void *ctx, const char *what)
{
    for (long n = 1; n < 100000; n++) {
        arm(n);
        cs_status s = op(ctx);
        long made = calls, left = live;
        disarm();
        if (left != 0)
            fail_msg("%s: %ld block(s) leaked with allocation %ld failing (status %d)", what, left, n,
                     (int)s);
        if (made < n) {   /* never reached the failing call: a full success */
            if (s != CS_OK)
                fail_msg("%s: status %d without any allocation failing", what, (int)s);
            return made;
        }
        if (s != CS_ENOMEM)
            fail_msg("%s: allocation %ld of %ld failed but the status is %d, not CS_ENOMEM", what, n,
                     made, (int)s);
    }
    fail_msg("%s: did not finish", what);
    return 0;
}

/* ------------------------------------------------------------------ small helpers */

#define SCRATCH_TEMPLATE "/tmp/cs-hardening-XXXXXX"
#include "test_load_util.h"
#include "test_scratch.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    b[len] = '\0';
    *n = (size_t)len;
    return b;
}

static void put(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static const char *const run_files[] = {"config.txt", "summary.txt", "history.csv", "batches.csv",
                                        "model.bin"};
#define N_RUN_FILES 5

/* A fresh copy of fixture run `name` in root/<dst>; returns its path (static buffer). */
static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *b = slurp(from, &n);
    assert_non_null(b);
    put(to, b, n);
    free(b);
}

static const char *copy_run(const char *name, const char *dst)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", root, dst);
    mkdir(dir, 0755);
    for (int i = 0; i < N_RUN_FILES; i++) {
        char src[512], to[600];
        snprintf(src, sizeof src, RUNS "%s/%s", name, run_files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, run_files[i]);
        copy_file(src, to);
    }
    return dir;
}

/* ------------------------------------------------------------------ fuzz regressions */

static int ends_with_run_file(const char *harness, const char **file)
{
    static const char *const h[] = {"config", "summary", "history", "batches", "model"};
    for (int i = 0; i < N_RUN_FILES; i++)
        if (!strcmp(harness, h[i]))
            return *file = run_files[i], 1;
    return 0;
}

/* Every fuzz/regressions/<harness>-* input of a run-file harness, as that file of a valid
 * run: the load ends in CS_OK or CS_EINPUT, and a loaded run builds its model or says why. */
static void test_regressions(void **state)
{
    (void)state;
    DIR *d = opendir(REGR);
    assert_non_null(d);
    struct dirent *e;
    int replayed = 0;
    while ((e = readdir(d))) {
        char harness[64];
        const char *file;
        if (sscanf(e->d_name, "%63[a-z]-", harness) != 1 || !ends_with_run_file(harness, &file))
            continue;
        const char *dir = copy_run("seq", "regr");
        char src[600], dst[700];
        snprintf(src, sizeof src, REGR "%s", e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", dir, file);
        copy_file(src, dst);
        cs_run r;
        cs_error err;
        cs_status s = cs_run_load(dir, CS_RUN_ALL, &r, &err);
        if (s == CS_OK) {
            cs_model *m;
            if (cs_run_model_new(&r, &m, &err) == CS_OK)
                cs_model_free(m);
            cs_run_free(&r);
        } else if (s != CS_EINPUT) {
            fail_msg("%s: status %d: %s", e->d_name, (int)s, err.msg);
        }
        replayed++;
    }
    closedir(d);
    assert_true(replayed >= 3);
}

/* The inputs the fuzzers found are rejected with a message that names the file. */
static void test_regressions_named(void **state)
{
    (void)state;
    static const struct { const char *input, *file, *says; } cases[] = {
        {"summary-count-overflow", "summary.txt", "is not a count"},
        {"history-epoch-overflow", "history.csv", "bad or missing number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *dir = copy_run("seq", "named");
        char src[600], dst[700];
        snprintf(src, sizeof src, REGR "%s", cases[i].input);
        snprintf(dst, sizeof dst, "%s/%s", dir, cases[i].file);
        copy_file(src, dst);
        cs_run r;
        cs_error err;
        assert_int_equal(cs_run_load(dir, CS_RUN_ALL, &r, &err), CS_EINPUT);
        assert_non_null(strstr(err.msg, cases[i].file));
        assert_non_null(strstr(err.msg, cases[i].says));
    }
}

/* type_names must name exactly the model's n_types embedding rows: more names would map
 * data onto ids the model does not have. */
static void test_type_names_count(void **state)
{
    (void)state;
    const char *dir = copy_run("seq", "types");
    char p[700];
    snprintf(p, sizeof p, "%s/config.txt", dir);
    FILE *f = fopen(p, "a");
    assert_non_null(f);
    fputs("type_names = view,cart,purchase,remove_from_cart,extra\n", f);   /* replaces the list */
    fclose(f);
    cs_run r;
    cs_error err;
    assert_int_equal(cs_run_load(dir, 0, &r, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "type_names lists 5 event types, n_types is 4"));
}

/* Issue 9 item 10: tests/fixtures/runs/huge (scripts/make_crafted_runs.py) is the lstm
 * run with hash-buckets 16777216 and emb-item 64 in config.txt (1.07 G parameters) and
 * model.bin's model-config hash and CRC recomputed to match, so only the parameter count
 * tells.  Loading it must be refused naming config.txt, and building a model for weights
 * that do not fit the config must be refused, both without a large allocation (before
 * the fix cs_run_model_new allocated the whole model, 8.6 GB of parameters and
 * gradients, and only then compared counts). */
static void test_crafted_layout(void **state)
{
    (void)state;
    cs_run r;
    cs_error err;
    arm(-1);
    cs_status s = cs_run_load(RUNS "huge", CS_RUN_WEIGHTS, &r, &err);
    disarm();
    assert_int_equal(s, CS_EINPUT);
    assert_non_null(strstr(err.msg, "huge/config.txt"));
    assert_non_null(strstr(err.msg, "describes a model of 1073743198 parameters, but its nparams line says 350"));
    assert_true(biggest < ((size_t)16 << 20));
    /* the same config reached by a caller that fills cs_run itself */
    assert_int_equal(cs_run_load(RUNS "lstm", CS_RUN_WEIGHTS, &r, &err), CS_OK);
    r.cfg.model.hash_buckets = 16777216;
    r.cfg.model.emb_item = 64;
    cs_model *m = NULL;
    arm(-1);
    s = cs_run_model_new(&r, &m, &err);
    disarm();
    assert_int_equal(s, CS_EINPUT);
    assert_null(m);
    assert_non_null(strstr(err.msg, "model.bin holds 350 weights"));
    assert_non_null(strstr(err.msg, "the configured model has 1073743198"));
    assert_true(biggest < ((size_t)16 << 20));
    cs_run_free(&r);
}

/* Issue 9 item 12: every run key of config.txt is range-checked on load (model_view 7
 * was read as the features view; n_types / n_feat beyond what a model can have were
 * accepted), with a message naming the file, the line and the key; the parameters'
 * enums by name and numbers by range (the parameter table). */
static void test_config_ranges(void **state)
{
    (void)state;
    static const struct { const char *key, *val, *says; } cases[] = {
        {"model_view", "7", "model_view: '7' is not 0 (sequence), 1 (features) or 2 (hybrid)"},
        {"model_view", "3", "model_view: '3' is not 0 (sequence), 1 (features) or 2 (hybrid)"},
        {"n_types", "65536", "n_types: 65536 is out of range 0..65535"},
        {"n_feat", "1048577", "n_feat: 1048577 is out of range 0..1048576"},
        {"nparams", "17179869185", "nparams: 17179869185 is out of range 0..17179869184"},
        {"cell", "7", "cell: '7' is not one of rnn, gru, lstm, mlp, logreg"},
        {"optim", "2", "optim: '2' is not one of adam, sgd"},
        {"head", "3", "head: '3' is not one of sigmoid, softmax2"},
        {"split", "9", "split: '9' is not one of time, random, stratified"},
        {"view", "5", "view: '5' is not one of sequence, features"},
        {"hash-buckets", "16777217", "hash-buckets: 16777217 is out of range 1..1.67772e+07"},
        {"emb-item", "1025", "emb-item: 1025 is out of range 0..1024"},
        {"layers", "5", "layers: 5 is out of range 1..4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *dir = copy_run("seq", "ranges");
        char p[700];
        snprintf(p, sizeof p, "%s/config.txt", dir);
        size_t n;
        char *b = slurp(p, &n);
        assert_non_null(b);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        long line = 0, at = 0;
        size_t kl = strlen(cases[i].key);
        for (char *q = b; *q;) {
            char *nl = strchr(q, '\n');
            line++;
            if (!strncmp(q, cases[i].key, kl) && !strncmp(q + kl, " = ", 3)) {
                fprintf(f, "%s = %s\n", cases[i].key, cases[i].val);
                at = line;
            } else {
                fwrite(q, 1, (size_t)(nl - q + 1), f);
            }
            q = nl + 1;
        }
        fclose(f);
        free(b);
        assert_true(at > 0);
        cs_run r;
        cs_error err;
        assert_int_equal(cs_run_load(dir, 0, &r, &err), CS_EINPUT);
        char where[64];
        snprintf(where, sizeof where, "config.txt:%ld:", at);
        if (!strstr(err.msg, where) || !strstr(err.msg, cases[i].says))
            fail_msg("%s = %s: '%s' (wanted %s and '%s')", cases[i].key, cases[i].val, err.msg, where,
                     cases[i].says);
    }
}

/* ------------------------------------------------------------------ truncated files */

/* Every proper prefix of every file of every fixture run.  A cut inside a line is always
 * an error (the writers end every line); a cut at a line end of summary.txt, history.csv
 * or config.txt is caught by the cross-checks (all summary keys present, one history row
 * per epoch run, the weights' model configuration).  Only batches.csv can lose whole
 * trailing lines unseen (it holds no count), so its cuts may load. */
static void test_truncations(void **state)
{
    (void)state;
    static const char *const runs[] = {"seq", "feat", "lstm", "table"};
    long cuts = 0, accepted = 0;
    for (size_t k = 0; k < 4; k++) {
        for (int f = 0; f < N_RUN_FILES; f++) {
            char src[512];
            snprintf(src, sizeof src, RUNS "%s/%s", runs[k], run_files[f]);
            size_t n;
            char *full = slurp(src, &n);
            assert_non_null(full);
            const char *dir = copy_run(runs[k], "trunc");
            char dst[700];
            snprintf(dst, sizeof dst, "%s/%s", dir, run_files[f]);
            for (size_t len = 0; len < n; len++) {
                put(dst, full, len);
                cs_run r;
                cs_error err;
                cs_status s = cs_run_load(dir, CS_RUN_ALL, &r, &err);
                cuts++;
                if (s == CS_OK) {
                    cs_run_free(&r);
                    accepted++;
                    if (strcmp(run_files[f], "batches.csv") || (len && full[len - 1] != '\n'))
                        fail_msg("%s/%s cut to %zu of %zu bytes loads", runs[k], run_files[f], len, n);
                } else {
                    assert_int_equal(s, CS_EINPUT);
                    assert_non_null(strstr(err.msg, run_files[f]));
                }
            }
            put(dst, full, n);
            free(full);
        }
    }
    print_message("      %ld truncated run files, %ld loaded (batches.csv cut at a line end)\n", cuts,
                  accepted);
    assert_true(cuts > 3000);
}

/* Load events into a store that is freed again: the status of the init or the load. */
static cs_status load_events(const cs_load_opts *o, cs_ledger *led)
{
    cs_events ev;
    cs_status s = cs_events_init(&ev);
    if (s != CS_OK)
        return s;
    cs_error err;
    s = cs_events_load(&ev, o, led, &err);
    cs_events_free(&ev);
    return s;
}

/* The same for a features table. */
static cs_status load_table(const char *path, int skip, cs_ledger *led)
{
    cs_table_opts o;
    cs_table_opts_init(&o);
    o.path = path;
    o.skip_bad_rows = skip;
    cs_table t;
    cs_error err;
    cs_status s = cs_table_load(&t, &o, led, &err);
    if (s == CS_OK)
        cs_table_free(&t);
    return s;
}

/* A load of a cut file: a balanced ledger or an input error, never anything else. */
static void expect_sane(cs_status s, const cs_ledger *led, long *loads)
{
    (*loads)++;
    if (s == CS_OK)
        assert_true(cs_ledger_balanced(led));
    else
        assert_int_equal(s, CS_EINPUT);
}

/* Every prefix of a few CSV fixtures through the events and table loaders (skip mode
 * off and on): an error or a balanced ledger, never a crash. */
static void test_csv_truncations(void **state)
{
    (void)state;
    static const char *const files[] = {"rees46_small.csv", "quoted.csv", "bom_crlf.csv",
                                        "yoo_clicks.csv", "table_small.csv"};
    char dst[600];
    snprintf(dst, sizeof dst, "%s/cut.csv", root);
    long loads = 0;
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char src[512];
        snprintf(src, sizeof src, CSV "%s", files[k]);
        size_t n;
        char *full = slurp(src, &n);
        assert_non_null(full);
        int table = strstr(files[k], "table") != NULL;
        for (size_t len = 0; len <= n; len++) {
            put(dst, full, len);
            for (int skip = 0; skip < 2; skip++) {
                cs_ledger led = {0};
                cs_load_opts o = tu_load_opts(dst, CS_FMT_AUTO, NULL, NULL, -1, skip);
                expect_sane(table ? load_table(dst, skip, &led) : load_events(&o, &led), &led, &loads);
            }
        }
        free(full);
    }
    /* the yoochoose buys file (outcomes) cut anywhere, next to whole clicks */
    size_t n;
    char *buys = slurp(CSV "yoo_buys.csv", &n);
    assert_non_null(buys);
    for (size_t len = 0; len <= n; len++) {
        put(dst, buys, len);
        cs_load_opts o = tu_load_opts(CSV "yoo_clicks.csv", CS_FMT_YOOCHOOSE, dst, NULL, -1, 0);
        cs_ledger led = {0};
        expect_sane(load_events(&o, &led), &led, &loads);
    }
    free(buys);
    assert_true(loads > 1000);
}

/* ------------------------------------------------------------------ allocation failure */

static cs_status op_events(void *ctx)
{
    cs_load_opts o = tu_load_opts(ctx, CS_FMT_AUTO, NULL, NULL, -1, 0);
    cs_ledger led = {0};
    return load_events(&o, &led);
}

static cs_status op_events_yoo(void *ctx)
{
    (void)ctx;
    cs_load_opts o = tu_load_opts(CSV "yoo_clicks.csv", CS_FMT_YOOCHOOSE, CSV "yoo_buys.csv", NULL, -1, 0);
    cs_ledger led = {0};
    return load_events(&o, &led);
}

static cs_status op_events_gap(void *ctx)
{
    (void)ctx;
    cs_load_opts o = tu_load_opts(CSV "gap.csv", CS_FMT_GENERIC, NULL, "user=uid,time=ts,event=ev", -1, 0);
    cs_ledger led = {0};
    return load_events(&o, &led);
}

static cs_status op_table(void *ctx)
{
    cs_ledger led = {0};
    return load_table(ctx, 0, &led);
}

typedef struct ds_ctx {
    const cs_events *ev;
    cs_dataset_opts o;
} ds_ctx;

static cs_status op_dataset(void *ctx)
{
    ds_ctx *c = ctx;
    cs_dataset ds;
    cs_ledger led = {0};
    cs_error err;
    cs_status s = cs_dataset_from_events(&ds, c->ev, &c->o, &led, &err);
    if (s == CS_OK)
        cs_dataset_free(&ds);
    return s;
}

/* Load rees46_small.csv, then the consuming build: every failure leaves nothing behind
 * once the events are freed (they are left half consumed). */
static cs_status op_dataset_consume(void *ctx)
{
    ds_ctx *c = ctx;
    cs_events ev;
    if (cs_events_init(&ev) != CS_OK)
        return CS_ENOMEM;
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = CSV "rees46_small.csv";
    cs_ledger led = {0};
    cs_error err;
    cs_status s = cs_events_load(&ev, &o, &led, &err);
    cs_dataset ds;
    if (s == CS_OK && (s = cs_dataset_from_events_consume(&ds, &ev, &c->o, &led, &err)) == CS_OK)
        cs_dataset_free(&ds);
    cs_events_free(&ev);
    return s;
}

static cs_status op_run(void *ctx)
{
    cs_run r;
    cs_error err;
    cs_status s = cs_run_load(ctx, CS_RUN_ALL, &r, &err);
    if (s == CS_OK)
        cs_run_free(&r);
    else if (s != CS_ENOMEM)
        print_message("      cs_run_load: %s\n", err.msg);
    return s;
}

static cs_status op_weights(void *ctx)
{
    char p[600];
    snprintf(p, sizeof p, "%s/model.bin", (const char *)ctx);
    cs_weights w;
    cs_error err;
    cs_status s = cs_weights_read(p, &w, &err);
    if (s == CS_OK)
        cs_weights_free(&w);
    return s;
}

static void test_enomem_loaders(void **state)
{
    (void)state;
    long a = fail_each_allocation(op_events, CSV "rees46_small.csv", "cs_events_load rees46");
    long b = fail_each_allocation(op_events_yoo, NULL, "cs_events_load yoochoose + buys");
    long c = fail_each_allocation(op_events_gap, NULL, "cs_events_load gap sessions");
    long d = fail_each_allocation(op_table, CSV "table_small.csv", "cs_table_load");
    print_message("      allocation calls: rees46 %ld, yoochoose %ld, gap %ld, table %ld\n", a, b, c, d);
    assert_true(a > 5 && b > 5 && c > 5 && d > 5);
}

static void test_enomem_dataset(void **state)
{
    (void)state;
    cs_events ev;
    assert_int_equal(cs_events_init(&ev), CS_OK);
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = CSV "rees46_small.csv";
    cs_ledger led = {0};
    cs_error err;
    assert_int_equal(cs_events_load(&ev, &o, &led, &err), CS_OK);
    ds_ctx c = {.ev = &ev};
    static const struct { cs_view view; cs_method method; } modes[] = {
        {CS_VIEW_SEQUENCE, CS_METHOD_HONEST}, {CS_VIEW_FEATURES, CS_METHOD_HONEST},
        {CS_VIEW_SEQUENCE, CS_METHOD_COMPAT}, {CS_VIEW_FEATURES, CS_METHOD_COMPAT}};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        cs_dataset_opts_init(&c.o);
        c.o.view = modes[i].view;
        c.o.method = modes[i].method;
        long k = fail_each_allocation(op_dataset, &c, "cs_dataset_from_events");
        assert_true(k > 3);
        long kc = fail_each_allocation(op_dataset_consume, &c, "cs_dataset_from_events_consume");
        assert_true(kc > k);
    }
    cs_events_free(&ev);
}

static void test_enomem_run(void **state)
{
    (void)state;
    static const char *const runs[] = {"seq", "feat", "lstm", "table"};
    for (size_t k = 0; k < 4; k++) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s", copy_run(runs[k], runs[k]));
        long a = fail_each_allocation(op_run, dir, "cs_run_load");
        long b = fail_each_allocation(op_weights, dir, "cs_weights_read");
        assert_true(a > 3 && b >= 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regressions),
        cmocka_unit_test(test_regressions_named),
        cmocka_unit_test(test_type_names_count),
        cmocka_unit_test(test_crafted_layout),
        cmocka_unit_test(test_config_ranges),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_csv_truncations),
        cmocka_unit_test(test_enomem_loaders),
        cmocka_unit_test(test_enomem_dataset),
        cmocka_unit_test(test_enomem_run),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
