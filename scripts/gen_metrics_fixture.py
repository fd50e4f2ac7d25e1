#!/usr/bin/python3
"""gen_metrics_fixture.py — reference metrics from scikit-learn for tests/test_metrics.c.

Writes tests/fixtures/metrics/sklearn.txt: several cases, each a block
  case NAME N THRESHOLD
  <N lines: prob label>
  expect accuracy precision recall f1 roc_auc pr_auc
Scores are rounded to 2 decimals so that ties are frequent.  Run from the source root:
  /usr/bin/python3 scripts/gen_metrics_fixture.py
(Debian: python3-sklearn, python3-numpy.)"""
import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, f1_score,
                             precision_score, recall_score, roc_auc_score)

rng = np.random.default_rng(20261128)
out = []
for name, n, rate, thr, dec in [("ties-small", 20, 0.3, 0.5, 1), ("ties-mid", 300, 0.07, 0.35, 2),
                                ("rare", 1000, 0.02, 0.6, 2), ("fine", 500, 0.2, 0.5, 4)]:
    y = (rng.random(n) < rate).astype(int)
    if y.sum() == 0:
        y[0] = 1
    # informative but noisy scores, clipped to [0,1], rounded -> ties
    p = np.clip(0.35 * y + rng.normal(0.35, 0.2, n), 0, 1).round(dec).astype(np.float32)
    pred = (p.astype(np.float64) >= thr).astype(int)  # as C: float prob vs double threshold
    vals = [accuracy_score(y, pred), precision_score(y, pred, zero_division=0),
            recall_score(y, pred, zero_division=0), f1_score(y, pred, zero_division=0),
            roc_auc_score(y, p), average_precision_score(y, p)]
    out.append(f"case {name} {n} {thr}")
    out += [f"{float(a):.9g} {int(b)}" for a, b in zip(p, y)]
    out.append("expect " + " ".join(f"{v:.12g}" for v in vals))
open("tests/fixtures/metrics/sklearn.txt", "w").write("\n".join(out) + "\n")
