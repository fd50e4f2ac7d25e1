/* test_live.c — live records (live.h): write -> read round trip, the recent batch losses
 * only, every truncation and damage refused naming file:line, a FIFO and an oversized
 * file refused without blocking, a dead writer recognised as stale (by pid, by heartbeat
 * age), and cs_live_find: records of saved runs, temporaries and non-files skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/files.h"
#include "clickseq/live.h"

#define SCRATCH_TEMPLATE "/tmp/cs-live-XXXXXX"
#include "test_scratch.h"

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* a snapshot of a run 3 epochs in, with nb batch losses */
static void fake_snap(cs_snapshot *s, size_t nb)
{
    *s = (cs_snapshot){.state = CS_RUN_RUNNING, .epoch = 4, .epochs = 20, .batch = 7,
                       .batches = 50, .elapsed_s = 12.5, .eta_s = 60, .events_per_s = 41000,
                       .nparams = 11882, .n_hist = 3, .hist = calloc(3, sizeof *s->hist)};
    for (int i = 0; i < 3; i++) {
        s->hist[i].epoch = i + 1;
        s->hist[i].train_loss = 0.7 - 0.1 * i;
        s->hist[i].valid_loss = 0.75 - 0.05 * i;
        s->hist[i].valid.pr_auc = 0.3 + 0.1 * i;
        s->hist[i].valid.f1 = 0.25 + 0.1 * i;
        s->hist[i].valid.cm.tp = 10 + i;
        s->hist[i].valid.cm.tn = 100;
        s->hist[i].seconds = 3.25;
    }
    s->n_batch_loss = nb;
    s->batch_loss = malloc((nb ? nb : 1) * sizeof *s->batch_loss);
    for (size_t i = 0; i < nb; i++) s->batch_loss[i] = (float)(1.0 / (1.0 + (double)i));
}

static void run_of(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", root, name); }

static void test_round_trip(void **st)
{
    (void)st;
    char run[600], path[700];
    run_of(run, sizeof run, "gru-h32");
    assert_int_equal(cs_live_path(run, path, sizeof path), 0);
    char want[700];
    snprintf(want, sizeof want, "%s/.gru-h32.live", root);
    assert_string_equal(path, want);
    cs_snapshot s;
    fake_snap(&s, CS_LIVE_BATCHES + 500);   /* more than a record keeps */
    cs_live_meta meta = {wall() - 5, "gru h32 lr 0.001", CS_RUN_LOADING};
    cs_error err;
    assert_int_equal(cs_live_write(run, &meta, &s, &err), CS_OK);
    cs_live l;
    assert_int_equal(cs_live_read(path, &l, &err), CS_OK);
    assert_string_equal(l.name, "gru-h32");
    assert_string_equal(l.run, run);
    assert_int_equal(l.pid, (long)getpid());
    assert_int_equal(l.state, CS_RUN_RUNNING);
    assert_int_equal(l.epoch, 4);
    assert_int_equal(l.epochs, 20);
    assert_int_equal(l.batches, 50);
    assert_int_equal(l.nparams, 11882);
    assert_string_equal(l.desc, "gru h32 lr 0.001");
    assert_true(fabs(l.started - meta.started) < 1e-2);
    assert_true(l.heartbeat >= l.started && wall() - l.heartbeat < 5);
    assert_int_equal(l.n_hist, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(l.hist[i].epoch, i + 1);
        assert_true(fabs(l.hist[i].train_loss - s.hist[i].train_loss) < 1e-9);
        assert_true(fabs(l.hist[i].valid.pr_auc - s.hist[i].valid.pr_auc) < 1e-9);
        assert_int_equal(l.hist[i].valid.cm.tp, 10 + i);
    }
    /* the recent losses only, with their place in the run */
    assert_int_equal(l.batch_total, CS_LIVE_BATCHES + 500);
    assert_int_equal(l.n_batch, CS_LIVE_BATCHES);
    assert_int_equal(l.batch_first, 500);
    assert_true(l.batch_loss[0] == s.batch_loss[500]);
    assert_true(l.batch_loss[CS_LIVE_BATCHES - 1] == s.batch_loss[CS_LIVE_BATCHES + 499]);
    char why[200];
    assert_int_equal(cs_live_stale(&l, wall(), why, sizeof why), 0);   /* we are alive */
    cs_live_free(&l);
    /* no snapshot yet: a loading record with nothing in it */
    assert_int_equal(cs_live_write(run, &meta, NULL, &err), CS_OK);
    assert_int_equal(cs_live_read(path, &l, &err), CS_OK);
    assert_int_equal(l.state, CS_RUN_LOADING);
    assert_int_equal(l.n_hist, 0);
    assert_int_equal(l.n_batch, 0);
    cs_live_free(&l);
    cs_live_remove(run);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    cs_snapshot_free(&s);
}

/* every proper prefix of a record (and a few damaged ones) is CS_EINPUT naming the file */
static void test_damage(void **st)
{
    (void)st;
    char run[600], path[700];
    run_of(run, sizeof run, "dmg");
    cs_live_path(run, path, sizeof path);
    cs_snapshot s;
    fake_snap(&s, 40);
    cs_live_meta meta = {0, "d", CS_RUN_LOADING};
    cs_error err;
    assert_int_equal(cs_live_write(run, &meta, &s, &err), CS_OK);
    char *text;
    size_t n;
    assert_int_equal(cs_slurp(path, CS_LIVE_MAX, &text, &n, &err), CS_OK);
    cs_live l;
    assert_int_equal(cs_live_parse(path, text, n, &l, &err), CS_OK);
    cs_live_free(&l);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(cs_live_parse(path, text, k, &l, &err), CS_EINPUT);
        assert_non_null(strstr(err.msg, path));
        assert_null(l.hist);
        assert_null(l.batch_loss);
    }
    /* one changed line at a time: a bad number, a history row out of order, counts that lie */
    static const struct { const char *from, *to, *what; } bad[] = {
        {"epochs = 20", "epochs = -3", "epochs"},
        {"pid = ", "pid = x", "pid"},
        {"state = running", "state = flying", "state"},
        {"history = 3", "history = 4", "history"},
        {"history = 3", "history = 99999", "too short"},
        {"\n2,", "\n7,", "epoch 2 expected"},
        {"batch_losses = 0 40 40", "batch_losses = 0 40 41", "batch_losses"},
        {"batch_losses = 0 40 40", "batch_losses = 0 9999 9999", "batch_losses"},
        {"clickseq-live 1", "clickseq-live 2", "not a clickseq live record"},
        {"run = dmg", "run = ../etc", "run name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *p = strstr(text, bad[i].from);
        assert_non_null(p);
        size_t a = (size_t)(p - text), fl = strlen(bad[i].from), tl = strlen(bad[i].to);
        char *t = malloc(n - fl + tl + 1);
        memcpy(t, text, a);
        memcpy(t + a, bad[i].to, tl);
        memcpy(t + a + tl, text + a + fl, n - a - fl + 1);
        cs_status r = cs_live_parse(path, t, n - fl + tl, &l, &err);
        if (r != CS_EINPUT || !strstr(err.msg, bad[i].what))
            fail_msg("%s -> %s: %d %s", bad[i].from, bad[i].to, (int)r, err.msg);
        free(t);
    }
    free(text);
    cs_live_remove(run);
    cs_snapshot_free(&s);
}

/* a FIFO as the record never blocks the reader; an oversized file is refused */
static void test_not_regular(void **st)
{
    (void)st;
    char p[700];
    snprintf(p, sizeof p, "%s/.fifo.live", root);
    assert_int_equal(mkfifo(p, 0644), 0);
    cs_live l;
    cs_error err;
    assert_int_equal(cs_live_read(p, &l, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "not a regular file"));
    unlink(p);
    snprintf(p, sizeof p, "%s/.big.live", root);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)CS_LIVE_MAX + 1, SEEK_SET), 0);
    fputc('\n', f);
    fclose(f);
    assert_int_equal(cs_live_read(p, &l, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "too large"));
    unlink(p);
}

/* a writer that died (its pid gone) is stale at once; any writer whose heartbeat is old is */
static void test_stale(void **st)
{
    (void)st;
    char run[600], path[700];
    run_of(run, sizeof run, "dead");
    cs_live_path(run, path, sizeof path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        cs_error err;
        cs_live_meta meta = {0, "child", CS_RUN_LOADING};
        _exit(cs_live_write(run, &meta, NULL, &err) == CS_OK ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cs_live l;
    cs_error err;
    assert_int_equal(cs_live_read(path, &l, &err), CS_OK);
    assert_int_equal(l.pid, (long)pid);
    char why[200];
    assert_int_equal(cs_live_stale(&l, wall(), why, sizeof why), 1);
    assert_non_null(strstr(why, "writer gone"));
    /* another host (or pid namespace): only the heartbeat tells */
    snprintf(l.host, sizeof l.host, "elsewhere");
    assert_int_equal(cs_live_stale(&l, wall(), why, sizeof why), 0);
    assert_int_equal(cs_live_stale(&l, l.heartbeat + CS_LIVE_STALE_S + 1, why, sizeof why), 1);
    assert_non_null(strstr(why, "no heartbeat"));
    /* a live pid with an old heartbeat (a stopped or hung writer) is stale too */
    l.pid = (long)getpid();
    snprintf(l.host, sizeof l.host, "elsewhere");
    assert_int_equal(cs_live_stale(&l, l.heartbeat + 2 * CS_LIVE_STALE_S, why, sizeof why), 1);
    cs_live_free(&l);
    unlink(path);
}

static void touch_run(const char *dir)
{
    char p[800];
    mkdir(dir, 0755);
    snprintf(p, sizeof p, "%s/config.txt", dir);
    fclose(fopen(p, "w"));
    snprintf(p, sizeof p, "%s/summary.txt", dir);
    fclose(fopen(p, "w"));
}

static void test_find(void **st)
{
    (void)st;
    char d[300], sub[400], run[700], p[800];
    snprintf(d, sizeof d, "%s/find", root);
    snprintf(sub, sizeof sub, "%s/sweep-1", d);
    mkdir(d, 0755);
    mkdir(sub, 0755);
    cs_live_meta meta = {0, NULL, CS_RUN_LOADING};
    cs_error err;
    snprintf(run, sizeof run, "%s/b", d);
    assert_int_equal(cs_live_write(run, &meta, NULL, &err), CS_OK);
    snprintf(run, sizeof run, "%s/a", sub);
    assert_int_equal(cs_live_write(run, &meta, NULL, &err), CS_OK);
    snprintf(run, sizeof run, "%s/saved", sub);   /* saved already: its record is not live */
    assert_int_equal(cs_live_write(run, &meta, NULL, &err), CS_OK);
    touch_run(run);
    snprintf(p, sizeof p, "%s/..b.live.tmp-1-abcdef", d);   /* a writer's temporary */
    fclose(fopen(p, "w"));
    snprintf(p, sizeof p, "%s/.fifo.live", d);
    assert_int_equal(mkfifo(p, 0644), 0);
    snprintf(p, sizeof p, "%s/.link.live", d);
    assert_int_equal(symlink("/dev/zero", p), 0);
    cs_live_entry *e = NULL;
    size_t n = 0;
    assert_int_equal(cs_live_find(d, 4, &e, &n, &err), CS_OK);
    assert_int_equal(n, 2);
    snprintf(p, sizeof p, "%s/.b.live", d);
    assert_string_equal(e[0].path, p);
    snprintf(p, sizeof p, "%s/b", d);
    assert_string_equal(e[0].run, p);
    snprintf(p, sizeof p, "%s/.a.live", sub);
    assert_string_equal(e[1].path, p);
    assert_true(e[0].size > 0 && e[0].mtime_ns > 0);
    free(e);
    e = NULL;
    n = 0;
    assert_int_equal(cs_live_find(d, 0, &e, &n, &err), CS_OK);   /* depth 0: the root only */
    assert_int_equal(n, 1);
    free(e);
    e = NULL;
    n = 0;
    snprintf(p, sizeof p, "%s/missing", d);
    assert_int_equal(cs_live_find(p, 4, &e, &n, &err), CS_EINPUT);
}

/* the committed records (the fuzz corpus) read; their writer is long gone: stale */
static void test_fixtures(void **st)
{
    (void)st;
    static const char *const f[] = {CS_SRCDIR "/tests/fixtures/live/running.live",
                                    CS_SRCDIR "/tests/fixtures/live/loading.live"};
    for (int i = 0; i < 2; i++) {
        cs_live l;
        cs_error err;
        if (cs_live_read(f[i], &l, &err) != CS_OK) fail_msg("%s", err.msg);
        assert_string_equal(l.name, "gru-h16");
        assert_int_equal(l.n_hist, i ? 0 : 3);
        assert_int_equal(l.n_batch, i ? 0 : 20);
        assert_int_equal(l.state, i ? CS_RUN_LOADING : CS_RUN_RUNNING);
        assert_int_equal(cs_live_stale(&l, wall(), NULL, 0), 1);
        cs_live_free(&l);
    }
}

/* fuzz/regressions/live-*: what the fuzzer found, refused with a message naming the file */
static void test_regressions(void **st)
{
    (void)st;
    static const struct { const char *input, *says; } cases[] = {
        {"live-desc-control-chars", "control character in desc"},   /* did not write back alike */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char p[600];
        snprintf(p, sizeof p, CS_SRCDIR "/fuzz/regressions/%s", cases[i].input);
        cs_live l;
        cs_error err;
        assert_int_equal(cs_live_read(p, &l, &err), CS_EINPUT);
        assert_non_null(strstr(err.msg, cases[i].input));
        if (!strstr(err.msg, cases[i].says)) fail_msg("%s", err.msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_not_regular),
        cmocka_unit_test(test_stale),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_regressions),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
