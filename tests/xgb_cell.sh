#!/bin/sh
# xgb_cell.sh — cell xgboost through the headless commands: train saves a run (model.xgb,
# history per boosting round, summary, scores), eval and predict score a saved run with the
# booster read back (predict's test-session probabilities are the run's saved scores), the
# sweep's xgboost cell equals its "xgboost (baseline)" row, a damaged or missing model.xgb
# is refused, and a build without XGBoost says so (exit 2).
. "$SRCDIR/tests/lib.sh"
SHOP="$T/shop.csv"
simulate_shop "$SHOP" --sessions 1200 --seed 5
TRAIN="$CLICKSEQ train --data $SHOP --view features --cell xgboost --threads 1 --quiet"

if [ "${HAVE_XGBOOST:-no}" != yes ]; then
    expect_exit 2 "without XGBoost, --cell xgboost is a usage error" -- $TRAIN --out "$T/x"
    expect_grep "built without XGBoost" "$T/err" "the message says this build lacks it"
    expect_grep "libxgboost-dev" "$T/err" "and how to get it"
    [ ! -e "$T/x" ] && ok "nothing saved" || bad "a run directory was made"
    finish
    exit
fi

expect_exit 2 "xgboost needs the features view" -- \
    "$CLICKSEQ" train --data "$SHOP" --cell xgboost --threads 1 --quiet --out "$T/seq"
expect_grep "features view" "$T/err" "the refusal names the features view"

RUN="$T/x"
expect_exit 0 "train --cell xgboost" -- $TRAIN --out "$RUN"
expect_grep "^model: xgboost, [0-9]+ trees kept; [0-9]+ boosting rounds" "$T/out" "the summary line says trees and rounds"
for f in config.txt history.csv batches.csv summary.txt scores.csv model.xgb; do
    [ -s "$RUN/$f" ] && ok "run has $f" || bad "run lacks $f"
done
[ ! -e "$RUN/model.bin" ] && ok "no model.bin (not a network)" || bad "model.bin written"
expect_grep "^cell = xgboost" "$RUN/config.txt" "config.txt says cell xgboost"
expect_grep "^nparams = 0" "$RUN/config.txt" "and no network parameters"
head -c 8 "$RUN/model.xgb" | grep -q '^CSXGB001$' && ok "model.xgb has its magic" || bad "model.xgb magic"
rows=$(($(wc -l <"$RUN/history.csv") - 1))
ran=$(awk -F' = ' '$1 == "epochs_run" { print $2 }' "$RUN/summary.txt")
best=$(awk -F' = ' '$1 == "best_epoch" { print $2 }' "$RUN/summary.txt")
[ "$rows" = "$ran" ] && [ "$rows" -gt 1 ] && ok "one history row per boosting round ($rows)" \
    || bad "history has $rows rows, summary says $ran rounds"
# early stopping: 30 rounds past the best one (unless the cap of 1000 came first)
[ "$ran" = $((best + 30)) ] && ok "stopped 30 rounds after the best round $best" \
    || bad "best round $best, $ran rounds run"
expect_grep "^status = done" "$RUN/summary.txt" "status done"
# the best round is the one with the highest validation PR-AUC (the first such)
awk -F, -v b="$best" 'NR > 1 { if ($9 > m + 1e-12 || NR == 2) { m = $9; e = $1 } }
    END { exit !(e == b) }' "$RUN/history.csv" && ok "best_epoch is the history's best validation PR-AUC" \
    || bad "best_epoch $best is not the history's best PR-AUC round"

# eval / predict read the booster back: the test sessions' probabilities are the saved scores
expect_exit 0 "eval the saved run" -- "$CLICKSEQ" eval "$RUN"
expect_grep "^run: .*\(xgboost, threshold" "$T/out" "eval names the cell"
expect_exit 0 "eval --json" -- "$CLICKSEQ" eval --run "$RUN" --json
expect_exit 0 "predict the saved run" -- "$CLICKSEQ" predict --run "$RUN" --out "$T/pred.csv"
if python3 - "$RUN/scores.csv" "$T/pred.csv" "$RUN/summary.txt" "$SHOP" <<'PY'
import csv, sys
sc = [l for l in open(sys.argv[1]) if not l.startswith('#')]
rows = list(csv.DictReader(sc))
pred = {r["session"]: r for r in csv.DictReader(open(sys.argv[2]))}
thr = float([l.split(" = ")[1] for l in open(sys.argv[3]) if l.startswith("threshold =")][0])
assert len(rows) > 50, len(rows)
# the dataset's session names are the file's sessions in the order of first appearance:
# rebuild the index -> name map from the features view's own order (predict prints them
# in dataset order, one line each)
names = list(pred.keys())
worst = 0.0
for r in rows:
    p = pred[names[int(r["index"])]]
    worst = max(worst, abs(float(p["probability"]) - float(r["score"])))
    assert int(p["label"]) == (float(p["probability"]) >= thr)
assert worst <= 1e-6, worst
PY
then ok "predict reproduces the run's saved test scores (to the 6 decimals predict prints)"
else bad "predict's probabilities differ from scores.csv"; fi

# --threads changes nothing in the output (eval, predict score on N threads)
"$CLICKSEQ" predict --run "$RUN" --threads 1 >"$T/p1.csv" 2>/dev/null
"$CLICKSEQ" predict --run "$RUN" --threads 2 >"$T/p2.csv" 2>/dev/null
[ -s "$T/p1.csv" ] && cmp -s "$T/p1.csv" "$T/p2.csv" && cmp -s "$T/p1.csv" "$T/pred.csv" \
    && ok "predict --threads 1 / 2 / all cores: the same CSV byte for byte" || bad "predict differs with --threads"

# the sweep's xgboost cell is the in-product baseline, run as a cell: the same numbers
expect_exit 0 "sweep --cell xgboost,logreg" -- "$CLICKSEQ" sweep --data "$SHOP" --view features \
    --cell xgboost,logreg --threads 1 --out "$T/sw"
if python3 - "$T/sw/results.csv" <<'PY'
import csv, sys
rows = {r["model"]: r for r in csv.DictReader(open(sys.argv[1]))}
a, b = rows["xgboost"], rows["xgboost (baseline)"]
for k in ("f1_mean", "pr_auc_mean", "roc_auc_mean", "precision_mean", "recall_mean"):
    assert a[k] == b[k], (k, a[k], b[k])
PY
then ok "the xgboost cell's row equals the xgboost (baseline) row"
else bad "the xgboost cell and the baseline differ: $(cat "$T/sw/results.csv")"; fi
expect_exit 0 "compare an xgboost run with a logreg run" -- "$CLICKSEQ" compare "$RUN" "$T/sw/logreg-s1"
expect_grep "best_epoch" "$T/out" "compare shows the run"

# a damaged model.xgb is refused with a clear message; so is a missing one
cp -r "$RUN" "$T/bad"
python3 - "$T/bad/model.xgb" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0x20
open(p, "wb").write(bytes(b))
PY
expect_exit 2 "eval refuses a damaged model.xgb" -- "$CLICKSEQ" eval "$T/bad"
expect_grep "model.xgb: checksum mismatch \(damaged file\)" "$T/err" "the message names the file and the damage"
head -c 10 "$RUN/model.xgb" >"$T/bad/model.xgb"
expect_exit 2 "predict refuses a truncated model.xgb" -- "$CLICKSEQ" predict "$T/bad"
expect_grep "model.xgb: not a clickseq XGBoost model \(damaged file\)" "$T/err" "truncated: named as damaged"
rm "$T/bad/model.xgb"
expect_exit 2 "eval refuses a run without model.xgb" -- "$CLICKSEQ" eval "$T/bad"
expect_grep "model.xgb" "$T/err" "the message names model.xgb"
expect_exit 2 "early refuses an xgboost run" -- "$CLICKSEQ" early --run "$RUN" --k 2

# the workbench's worker (no terminal): the cell trains and is saved like any run there
mkdir "$T/wb"
(cd "$T/wb" && "$CLICKSEQ" --no-ui --train --data "$SHOP" --view features --cell xgboost \
    --threads 1 >"$T/wb.out" 2>&1)
expect_grep "^xgboost-h64 done: saved runs/xgboost-h64" "$T/wb.out" "the workbench's worker trains cell xgboost"
[ -s "$T/wb/runs/xgboost-h64/model.xgb" ] && cmp -s "$T/wb/runs/xgboost-h64/scores.csv" "$RUN/scores.csv" \
    && ok "and saves the same run (its scores equal train's)" || bad "the workbench's run differs from train's"
finish
