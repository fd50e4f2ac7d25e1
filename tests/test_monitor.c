/* test_monitor.c — the snapshot channel with a real trainer thread: publishing, copying
 * only on change, incremental copies, pause (the trainer really stops), resume, stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "clickseq/train.h"

#define NB 200000L

typedef struct fake_trainer {
    cs_monitor *m;
    long done;          /* batches published when it ended */
    int stopped;
} fake_trainer;

static void *trainer(void *arg)
{
    fake_trainer *t = arg;
    cs_monitor_begin(t->m, CS_RUN_RUNNING, 2, 123, 0);
    long b;
    for (b = 0; b < NB; b++) {
        if (cs_monitor_poll(t->m, NULL)) {
            t->stopped = 1;
            break;
        }
        cs_monitor_batch(t->m, 1, b + 1, NB, (float)b, 0, 0, 0);
        if (b % 1000 == 999) {
            cs_epoch e;
            memset(&e, 0, sizeof e);
            e.epoch = (int)(b / 1000) + 1;
            e.train_loss = (double)b;
            cs_monitor_epoch(t->m, &e);
        }
        if (b % 64 == 0) {
            struct timespec ts = {0, 20000};
            nanosleep(&ts, NULL);   /* be a slow-ish trainer */
        }
    }
    t->done = b;
    cs_monitor_finish(t->m, t->stopped ? CS_RUN_STOPPED : CS_RUN_DONE, NULL, "bye");
    return NULL;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void check_consistent(const cs_snapshot *s)
{
    /* every batch loss equals its index: the copies (full or incremental) are exact */
    for (size_t i = 0; i < s->n_batch_loss; i++)
        if (s->batch_loss[i] != (float)i)
            fail_msg("batch_loss[%zu] = %g", i, s->batch_loss[i]);
    for (size_t i = 0; i < s->n_hist; i++)
        assert_int_equal(s->hist[i].epoch, (int)i + 1);
}

static void test_pause_resume_stop(void **state)
{
    (void)state;
    cs_monitor *m = cs_monitor_new();
    fake_trainer t = {m, 0, 0};
    cs_snapshot s;
    memset(&s, 0, sizeof s);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, trainer, &t), 0);
    /* wait for progress */
    for (int i = 0; i < 2000 && s.n_batch_loss < 1000; i++) {
        cs_monitor_read(m, &s);
        sleep_ms(1);
    }
    assert_true(s.n_batch_loss >= 1000);
    assert_int_equal(s.nparams, 123);
    check_consistent(&s);
    /* pause: the trainer reaches PAUSED and publishes nothing more */
    cs_monitor_pause(m);
    for (int i = 0; i < 2000 && s.state != CS_RUN_PAUSED; i++) {
        cs_monitor_read(m, &s);
        sleep_ms(1);
    }
    assert_int_equal(s.state, CS_RUN_PAUSED);
    size_t at_pause = s.n_batch_loss;
    uint64_t v = s.version;
    sleep_ms(50);
    assert_int_equal(cs_monitor_read(m, &s), 0);    /* nothing changed: no copy */
    assert_int_equal(s.version, v);
    assert_int_equal(s.n_batch_loss, at_pause);
    /* resume: progress again */
    cs_monitor_resume(m);
    for (int i = 0; i < 2000 && s.n_batch_loss <= at_pause + 100; i++) {
        cs_monitor_read(m, &s);
        sleep_ms(1);
    }
    assert_true(s.n_batch_loss > at_pause + 100);
    assert_int_equal(s.state, CS_RUN_RUNNING);
    /* stop while paused also wakes it */
    cs_monitor_pause(m);
    sleep_ms(5);
    cs_monitor_stop(m);
    pthread_join(th, NULL);
    assert_int_equal(t.stopped, 1);
    assert_true(t.done < NB);
    assert_int_equal(cs_monitor_read(m, &s), 1);
    assert_int_equal(s.state, CS_RUN_STOPPED);
    assert_string_equal(s.message, "bye");
    assert_int_equal(s.n_batch_loss, (size_t)t.done);
    check_consistent(&s);
    /* a new run on the same monitor: the reader sees a fresh history */
    cs_monitor_begin(m, CS_RUN_LOADING, 3, 7, 0);
    assert_int_equal(cs_monitor_read(m, &s), 1);
    assert_int_equal(s.n_batch_loss, 0);
    assert_int_equal(s.n_hist, 0);
    assert_int_equal(s.state, CS_RUN_LOADING);
    cs_monitor_batch(m, 1, 1, 10, 0.0f, 1, 9, 100);
    assert_int_equal(cs_monitor_read(m, &s), 1);
    assert_int_equal(s.state, CS_RUN_RUNNING);
    assert_int_equal(s.n_batch_loss, 1);
    cs_snapshot_free(&s);
    cs_monitor_free(m);
    assert_string_equal(cs_run_state_name(CS_RUN_PAUSED), "paused");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pause_resume_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
