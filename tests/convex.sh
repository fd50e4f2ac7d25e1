#!/bin/sh
# convex.sh — logistic regression gets the schedule it converges with (the baseline's: Adam
# lr 0.01, >= 50 epochs, patience >= 10) in `train` and in `sweep` unless the user sets lr,
# epochs, patience or the optimiser: on the bundled demo the default `train --cell logreg`
# and the sweep's logreg cell reach the "logreg (baseline)" row's F1, and stop early (the
# best epoch is not the last one); explicit settings win.
. "$SRCDIR/tests/lib.sh"
DEMO="$SRCDIR/data/demo-shop.csv"
F="--data $DEMO --view features --threads 1"

expect_exit 0 "sweep --cell logreg,mlp (with the baselines)" -- \
    "$CLICKSEQ" sweep $F --cell logreg,mlp --out "$T/sw"
expect_exit 0 "train --cell logreg, default schedule" -- \
    "$CLICKSEQ" train $F --cell logreg --quiet --json --out "$T/lr"
cp "$T/out" "$T/lr.json"
if python3 - "$T/sw/results.csv" "$T/lr.json" "$T/lr/config.txt" <<'PY'
import csv, json, sys
rows = {r["model"]: r for r in csv.DictReader(open(sys.argv[1]))}
base = float(rows["logreg (baseline)"]["f1_mean"])
cell = float(rows["logreg"]["f1_mean"])
run = json.load(open(sys.argv[2]))
cfg = {k.strip(): v.strip() for k, _, v in (l.partition("=") for l in open(sys.argv[3]))}
f1 = run["test"]["f1"]   # "test" comes twice: the count, then the metrics (json keeps the last)
print("baseline F1 %.4f, sweep cell %.4f, train %.4f" % (base, cell, f1))
assert abs(cell - base) <= 0.01, (cell, base)
assert abs(f1 - base) <= 0.01, (f1, base)
assert float(cfg["lr"]) == 0.01 and int(cfg["epochs"]) == 50 and int(cfg["patience"]) == 10, cfg
assert cfg["optim"] == "adam"
# converged: early stopping ended it, patience epochs after the best one
assert run["best_epoch"] < run["epochs_run"] < 50, (run["best_epoch"], run["epochs_run"])
assert run["epochs_run"] == run["best_epoch"] + 10
PY
then ok "the default schedule reaches the baseline's F1 (within 0.01) and stops early"
else bad "logreg's default schedule does not match the baseline"; fi

# the user's settings win, in train and in sweep
expect_exit 0 "train --cell logreg --lr 0.001 --epochs 20 --optim sgd" -- \
    "$CLICKSEQ" train $F --cell logreg --lr 0.001 --epochs 20 --optim sgd --quiet --out "$T/mine"
expect_grep "^lr = 0.001$" "$T/mine/config.txt" "lr as given"
expect_grep "^epochs = 20$" "$T/mine/config.txt" "epochs as given"
expect_grep "^optim = sgd$" "$T/mine/config.txt" "optimiser as given"
expect_grep "^patience = 10$" "$T/mine/config.txt" "patience not given: the schedule's"
expect_exit 0 "sweep --cell logreg --epochs 3 --lr 0.05,0.02" -- \
    "$CLICKSEQ" sweep $F --cell logreg --epochs 3 --lr 0.05,0.02 --no-baselines --out "$T/sw2"
expect_grep "^epochs = 3$" "$T/sw2/logreg-lr0.05-s1/config.txt" "a sweep keeps the user's epochs"
expect_grep "^lr = 0.05$" "$T/sw2/logreg-lr0.05-s1/config.txt" "and the lr axis"
expect_grep "^epochs = 20$" "$T/sw/mlp-s1/config.txt" "the mlp in the same sweep keeps the networks' schedule"
finish
