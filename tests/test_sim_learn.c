/* test_sim_learn.c — the simulator's reason to exist (DESIGN.md §9): on its shop a GRU that
 * sees one event per step (event type, log dwell, log price: clickseq's default inputs)
 * beats logistic regression on the derived session features (counts per event type,
 * duration, dwell, distinct items, prices, ...) on test PR-AUC, because the outcome depends
 * on the ORDER of events (where the last cart sits, whether a remove comes after it), which
 * counts cannot see.  It fails if the simulator's signal moves into the counts, or if the
 * sequence model stops learning order.  Small shop, few epochs: a few seconds on 2 cores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/baseline.h"
#include "clickseq/dataset.h"
#include "clickseq/simulate.h"
#include "clickseq/train.h"

#define N_SESS 8000

static void build(cs_dataset *ds, const cs_events *ev, cs_view view)
{
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    o.view = view;
    o.max_len = 300;
    cs_error e;
    if (cs_dataset_from_events(ds, ev, &o, NULL, &e) != CS_OK)
        fail_msg("%s", e.msg);
}

static cs_metrics train_test(const cs_run_config *c, const cs_dataset *ds, const cs_split *sp)
{
    cs_train_result res;
    cs_error e;
    if (cs_train(c, ds, sp, NULL, &res, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_true(res.has_test);
    cs_metrics m = res.test;
    cs_train_result_free(&res);
    return m;
}

static void test_gru_beats_session_features(void **state)
{
    (void)state;
    cs_sim_opts so;
    cs_sim_opts_init(&so);
    so.sessions = N_SESS;
    so.seed = 5;
    cs_events ev;
    assert_int_equal(cs_events_init(&ev), CS_OK);
    assert_int_equal(cs_simulate_events(&so, &ev, NULL, NULL, NULL), CS_OK);
    cs_dataset seq, feat;
    build(&seq, &ev, CS_VIEW_SEQUENCE);
    build(&feat, &ev, CS_VIEW_FEATURES);
    cs_events_free(&ev);
    assert_int_equal(seq.n, feat.n);

    /* default inputs (type embedding, log dwell, log price; no item/category identity), a
     * smaller GRU and a short schedule to keep make check fast */
    cs_run_config gru;
    cs_run_config_init(&gru);
    gru.model.cell = CS_CELL_GRU;
    gru.model.hidden[0] = 32;
    gru.model.emb_type = 8;
    gru.epochs = 8;
    gru.batch = 64;
    gru.lr = 3e-3;
    gru.patience = 0;
    gru.threads = 2;
    cs_set_threads(gru.threads);   /* the caller sets the count, as the commands do */
    gru.seed = 3;
    cs_run_config lr;
    cs_baseline_logreg_config(&gru, &lr); /* trained to convergence, as sweeps do */

    cs_split sp_seq, sp_feat;
    cs_error e;
    assert_int_equal(cs_split_make(&sp_seq, &seq, gru.split, gru.train_frac, gru.valid_frac, gru.seed, &e), CS_OK);
    assert_int_equal(cs_split_make(&sp_feat, &feat, lr.split, lr.train_frac, lr.valid_frac, lr.seed, &e), CS_OK);
    /* the same sessions in the same test split: the comparison is fair */
    assert_int_equal(sp_seq.n_test, sp_feat.n_test);
    assert_memory_equal(sp_seq.test, sp_feat.test, sp_seq.n_test * sizeof *sp_seq.test);

    cs_metrics mg = train_test(&gru, &seq, &sp_seq);
    cs_metrics ml = train_test(&lr, &feat, &sp_feat);
    print_message("test (%ld sessions, %ld positive): GRU PR-AUC %.3f ROC-AUC %.3f F1 %.3f; "
                  "logreg on session features PR-AUC %.3f ROC-AUC %.3f F1 %.3f\n",
                  mg.n, mg.positives, mg.pr_auc, mg.roc_auc, mg.f1, ml.pr_auc, ml.roc_auc, ml.f1);
    assert_true(mg.positives >= 50);
    assert_true(mg.pr_auc > ml.pr_auc + 0.05);
    assert_true(mg.roc_auc > ml.roc_auc);
    cs_split_free(&sp_seq);
    cs_split_free(&sp_feat);
    cs_dataset_free(&seq);
    cs_dataset_free(&feat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gru_beats_session_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
