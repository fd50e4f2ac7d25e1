/* monitor.c — the channel between a training run and whoever watches it (train.h).
 *
 * The trainer publishes into `cur` under a mutex held only for a few stores (and an
 * occasional realloc of the append-only arrays); readers copy out of it only when the
 * version changed, and only the new tail of the arrays when the run is the same.  Pause
 * and stop are flags the trainer polls between batches; a paused trainer sleeps on a
 * condition variable, so pausing costs no CPU. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clickseq/clock.h"
#include "clickseq/train.h"
#include "engine/core/grow.h"

struct cs_monitor {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    cs_snapshot cur;
    int pause_req, stop_req;
    uint64_t next_run_id;
};

static const char *const state_names[] = {"idle", "loading", "running", "paused",
                                          "done", "stopped", "failed"};

const char *cs_run_state_name(cs_run_state s)
{
    return (unsigned)s < sizeof state_names / sizeof state_names[0] ? state_names[s] : "?";
}

void cs_snapshot_free(cs_snapshot *s)
{
    if (!s)
        return;
    free(s->hist);
    free(s->batch_loss);
    memset(s, 0, sizeof *s);
}

cs_monitor *cs_monitor_new(void)
{
    cs_monitor *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, NULL);
    m->next_run_id = 1;
    return m;
}

void cs_monitor_free(cs_monitor *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->mu);
    pthread_cond_destroy(&m->cv);
    cs_snapshot_free(&m->cur);
    free(m);
}

/* ---------------------------------------------------------------- reader side */

int cs_monitor_read(cs_monitor *m, cs_snapshot *out)
{
    pthread_mutex_lock(&m->mu);
    const cs_snapshot *c = &m->cur;
    if (c->version == out->version && c->run_id == out->run_id) {
        pthread_mutex_unlock(&m->mu);
        return 0;
    }
    /* make room outside the lock; the arrays only grow within a run, so re-check */
    while (out->cap_hist < c->n_hist || out->cap_batch_loss < c->n_batch_loss) {
        size_t nh = c->n_hist, nb = c->n_batch_loss;
        pthread_mutex_unlock(&m->mu);
        int bad = cs_grow((void **)&out->hist, &out->cap_hist, nh + 16, sizeof *out->hist) ||
                  cs_grow((void **)&out->batch_loss, &out->cap_batch_loss, nb + 1024,
                       sizeof *out->batch_loss);
        pthread_mutex_lock(&m->mu);
        if (bad) {
            pthread_mutex_unlock(&m->mu);
            return 0;
        }
    }
    size_t from_h = 0, from_b = 0;
    if (out->run_id == c->run_id) {   /* same run: only the new tail */
        from_h = out->n_hist < c->n_hist ? out->n_hist : c->n_hist;
        from_b = out->n_batch_loss < c->n_batch_loss ? out->n_batch_loss : c->n_batch_loss;
    }
    if (c->n_hist > from_h)   /* (memcpy with NULL is undefined even for 0 bytes) */
        memcpy(out->hist + from_h, c->hist + from_h, (c->n_hist - from_h) * sizeof *c->hist);
    if (c->n_batch_loss > from_b)
        memcpy(out->batch_loss + from_b, c->batch_loss + from_b,
               (c->n_batch_loss - from_b) * sizeof *c->batch_loss);
    /* scalars: copy the struct but keep out's own arrays */
    cs_epoch *h = out->hist;
    float *b = out->batch_loss;
    size_t ch = out->cap_hist, cb = out->cap_batch_loss;
    *out = *c;
    out->hist = h;
    out->batch_loss = b;
    out->cap_hist = ch;
    out->cap_batch_loss = cb;
    pthread_mutex_unlock(&m->mu);
    return 1;
}

uint64_t cs_monitor_run_id(cs_monitor *m)
{
    pthread_mutex_lock(&m->mu);
    uint64_t id = m->cur.run_id;
    pthread_mutex_unlock(&m->mu);
    return id;
}

void cs_monitor_pause(cs_monitor *m)
{
    pthread_mutex_lock(&m->mu);
    m->pause_req = 1;
    pthread_mutex_unlock(&m->mu);
}

void cs_monitor_resume(cs_monitor *m)
{
    pthread_mutex_lock(&m->mu);
    m->pause_req = 0;
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

void cs_monitor_stop(cs_monitor *m)
{
    pthread_mutex_lock(&m->mu);
    if (!m->stop_req)
        m->stop_req = 1;
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

void cs_monitor_interrupt(cs_monitor *m)
{
    pthread_mutex_lock(&m->mu);
    m->stop_req = 2;   /* a stop whose run is saved as interrupted */
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

/* ---------------------------------------------------------------- trainer side */

void cs_monitor_begin(cs_monitor *m, cs_run_state state, int epochs, size_t nparams,
                      int keep_requests)
{
    pthread_mutex_lock(&m->mu);
    cs_snapshot *c = &m->cur;
    uint64_t v = c->version;
    c->n_hist = c->n_batch_loss = 0;
    c->version = v + 1;
    c->run_id = m->next_run_id++;
    c->state = state;
    c->epoch = 0;
    c->epochs = epochs;
    c->batch = c->batches = 0;
    c->elapsed_s = c->eta_s = c->events_per_s = 0;
    c->nparams = nparams;
    c->has_test = 0;
    memset(&c->test, 0, sizeof c->test);
    c->message[0] = '\0';
    if (!keep_requests)
        m->pause_req = m->stop_req = 0;
    pthread_mutex_unlock(&m->mu);
}

void cs_monitor_batch(cs_monitor *m, int epoch, long batch, long batches, float loss,
                      double elapsed_s, double eta_s, double events_per_s)
{
    pthread_mutex_lock(&m->mu);
    cs_snapshot *c = &m->cur;
    if (!cs_grow((void **)&c->batch_loss, &c->cap_batch_loss, c->n_batch_loss + 1, sizeof *c->batch_loss))
        c->batch_loss[c->n_batch_loss++] = loss;
    c->epoch = epoch;
    c->batch = batch;
    c->batches = batches;
    c->elapsed_s = elapsed_s;
    c->eta_s = eta_s;
    c->events_per_s = events_per_s;
    if (c->state == CS_RUN_LOADING)
        c->state = CS_RUN_RUNNING;
    c->version++;
    pthread_mutex_unlock(&m->mu);
}

void cs_monitor_epoch(cs_monitor *m, const cs_epoch *e)
{
    pthread_mutex_lock(&m->mu);
    cs_snapshot *c = &m->cur;
    if (!cs_grow((void **)&c->hist, &c->cap_hist, c->n_hist + 1, sizeof *c->hist))
        c->hist[c->n_hist++] = *e;
    c->epoch = e->epoch;
    c->version++;
    pthread_mutex_unlock(&m->mu);
}

void cs_monitor_finish(cs_monitor *m, cs_run_state state, const cs_metrics *test, const char *msg)
{
    pthread_mutex_lock(&m->mu);
    cs_snapshot *c = &m->cur;
    c->state = state;
    c->eta_s = 0;
    if (test) {
        c->test = *test;
        c->has_test = 1;
    }
    if (msg)
        snprintf(c->message, sizeof c->message, "%s", msg);
    m->pause_req = m->stop_req = 0;   /* requests die with the run they were meant for */
    c->version++;
    pthread_mutex_unlock(&m->mu);
}

void cs_monitor_message(cs_monitor *m, const char *msg)
{
    pthread_mutex_lock(&m->mu);
    snprintf(m->cur.message, sizeof m->cur.message, "%s", msg ? msg : "");
    m->cur.version++;
    pthread_mutex_unlock(&m->mu);
}

int cs_monitor_poll(cs_monitor *m, double *paused_s)
{
    double waited = 0;
    pthread_mutex_lock(&m->mu);
    if (m->pause_req && !m->stop_req) {
        double t0 = cs_now_s();
        cs_run_state before = m->cur.state;
        m->cur.state = CS_RUN_PAUSED;
        m->cur.version++;
        while (m->pause_req && !m->stop_req)
            pthread_cond_wait(&m->cv, &m->mu);
        m->cur.state = before;
        m->cur.version++;
        waited = cs_now_s() - t0;
    }
    int stop = m->stop_req;
    pthread_mutex_unlock(&m->mu);
    if (paused_s)
        *paused_s = waited;
    return stop;
}
