#!/usr/bin/env python3
"""bootstrap_ref.py — an independent reference for `clickseq compare`'s intervals.

Reads the JSON of `clickseq compare RUN... --json` (for the runs' paths and groups and the
bootstrap's settings), reads each run's scores.csv and summary.txt itself, and recomputes
every difference with numpy + scikit-learn: the point delta (mean over the group's runs of
sklearn's average_precision_score / roc_auc_score / f1_score at the run's threshold), and
the paired bootstrap with the same resampling as compare.h describes (one splitmix64
stream from the seed, restarted per pair: n session draws next() % n, then |A| draws
next() % |A|, then |B| draws next() % |B| per replicate; the multiplicities become sklearn
sample weights; replicates with an undefined metric dropped; numpy.percentile).

    scripts/bootstrap_ref.py COMPARE.json [--tol 1e-9]

Exit 0 when every delta, interval bound and replicate count agrees within --tol, and the
scores reproduce each run's stored test metrics; prints what it checked.
"""
import argparse
import json
import os
import sys

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

M64 = (1 << 64) - 1


def splitmix64(seed, start, count):
    """Outputs start .. start+count-1 of the splitmix64 stream seeded with seed (its state
    after k outputs is seed + k * gamma, so any stretch can be computed at once)."""
    with np.errstate(over="ignore"):
        k = np.arange(start + 1, start + count + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def read_run(path):
    lines = open(os.path.join(path, "scores.csv")).read().splitlines()
    assert lines[2] == "index,label,score", path
    rows = [l.split(",") for l in lines[3:-1]]
    idx = np.array([int(r[0]) for r in rows])
    y = np.array([int(r[1]) for r in rows])
    # the stored decimals are float32 values exactly (%.9g): compare as the engine does
    p = np.array([np.float32(r[2]) for r in rows], dtype=np.float32).astype(np.float64)
    summ = {}
    for l in open(os.path.join(path, "summary.txt")):
        k, _, v = l.partition("=")
        if k.strip() != "status":   # how the run ended (done, stopped, diverged, interrupted)
            summ[k.strip()] = float(v)
    return idx, y, p, summ


def metrics(y, p, thr, w=None):
    """PR-AUC, ROC-AUC, F1 (NaN when undefined, like the engine)."""
    wp = y.sum() if w is None else (w * y).sum()
    wn = (1 - y).sum() if w is None else (w * (1 - y)).sum()
    ap = average_precision_score(y, p, sample_weight=w) if wp > 0 else float("nan")
    roc = roc_auc_score(y, p, sample_weight=w) if wp > 0 and wn > 0 else float("nan")
    pred = (p >= thr).astype(int)
    f1 = f1_score(y, pred, sample_weight=w, zero_division=0)
    return [ap, roc, f1]


KEYS = ["test_pr_auc", "test_roc_auc", "test_f1"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("--tol", type=float, default=1e-9)
    a = ap.parse_args()
    doc = json.load(open(a.json))
    B = doc["bootstrap"]["replicates"]
    seed = doc["bootstrap"]["seed"]
    level = doc["bootstrap"]["level"]
    runs = {r["name"]: r for r in doc["runs"]}
    data = {n: read_run(r["path"]) for n, r in runs.items()}
    bad = 0
    # the stored scores reproduce the stored test metrics
    for n, (idx, y, p, s) in data.items():
        got = metrics(y, p, s["threshold"])
        for k, g in zip(KEYS, got):
            if abs(g - s[k]) > 1e-6:
                print(f"MISMATCH {n} {k}: scores give {g}, summary.txt {s[k]}")
                bad += 1
    groups = {g["name"]: g["runs"] for g in doc["groups"]}
    checked = 0
    pairs = {}
    for d in doc["differences"]:
        pairs.setdefault((d["a"], d["b"]), []).append(d)
    for (an, bn), diffs in pairs.items():
        A, Bn = groups[an], groups[bn]
        n = len(data[A[0]][1])
        ms = [KEYS.index(d["metric"]) for d in diffs]
        point = {r: metrics(data[r][1], data[r][2], data[r][3]["threshold"]) for r in A + Bn}
        per = n + len(A) + len(Bn)   # draws per replicate
        draws = splitmix64(seed, 0, per * B)
        deltas = {m: [] for m in ms}
        for rep in range(B):
            x = draws[rep * per:(rep + 1) * per]
            w = np.bincount((x[:n] % np.uint64(n)).astype(np.int64), minlength=n).astype(float)
            pa = [int(v % np.uint64(len(A))) for v in x[n:n + len(A)]]
            pb = [int(v % np.uint64(len(Bn))) for v in x[n + len(A):]]
            vals = {r: metrics(data[r][1], data[r][2], data[r][3]["threshold"], w)
                    for r in set(A[i] for i in pa) | set(Bn[i] for i in pb)}
            for m in ms:
                v = np.mean([vals[A[i]][m] for i in pa]) - np.mean([vals[Bn[i]][m] for i in pb])
                if not np.isnan(v):
                    deltas[m].append(v)
        for d, m in zip(diffs, ms):
            delta = np.mean([point[r][m] for r in A]) - np.mean([point[r][m] for r in Bn])
            lo, hi = np.percentile(deltas[m], [100 * (1 - level) / 2, 100 * (1 + level) / 2])
            ok = (abs(delta - d["delta"]) <= a.tol and abs(lo - d["ci_low"]) <= a.tol and
                  abs(hi - d["ci_high"]) <= a.tol and len(deltas[m]) == d["replicates"])
            print(f"{'ok' if ok else 'MISMATCH'} {an} - {bn} {d['metric']}: "
                  f"reference {delta:+.6f} [{lo:+.6f}, {hi:+.6f}] ({len(deltas[m])} replicates), "
                  f"clickseq {d['delta']:+.6f} [{d['ci_low']:+.6f}, {d['ci_high']:+.6f}] ({d['replicates']})")
            bad += not ok
            checked += 1
    print(f"{checked} differences checked, {bad} mismatches")
    return 1 if bad or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
