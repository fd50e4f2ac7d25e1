#!/bin/sh
# sweep.sh — `clickseq sweep` end to end on a small simulated shop: the grid expands to the
# right runs, every run is saved, the results table's mean ± std agrees with the per-run
# table, baselines are added, usage errors exit 2.
. "$SRCDIR/tests/lib.sh"
S="$CLICKSEQ sweep"
SHOP="$T/shop.csv"
# --threads 1: many tiny runs; one thread each is the efficient choice on 2 cores
simulate_shop "$SHOP" --sessions 800 --seed 11

expect_exit 0 "sweep --help exits 0" -- $S --help
expect_grep "seeds" "$T/out" "help lists --seeds"
expect_exit 2 "--out is required" -- $S --data "$SHOP" --cell rnn,gru
expect_exit 2 "an empty grid value is a usage error" -- $S --data "$SHOP" --out "$T/x" --hidden 8,,16
expect_grep "hidden" "$T/err" "the bad axis is named"
expect_exit 2 "an unknown cell in a list is a usage error" -- $S --data "$SHOP" --out "$T/x" --cell rnn,elman
expect_grep "elman" "$T/err" "the bad value is named"
expect_exit 2 "a bad --seeds is a usage error" -- $S --data "$SHOP" --out "$T/x" --seeds 0

# 2 cells x 2 hidden sizes x 2 seeds = 8 runs, + per seed: logreg (saved), majority, has-cart
expect_exit 0 "a 2x2 grid with 2 seeds" -- $S --data "$SHOP" --cell rnn,gru --hidden 8,16 \
    --seeds 2 --seed 5 --epochs 2 --batch 64 --threads 1 --out "$T/sw"
OUT="$T/sw"
for r in rnn-h8-s5 rnn-h8-s6 rnn-h16-s5 rnn-h16-s6 gru-h8-s5 gru-h8-s6 gru-h16-s5 gru-h16-s6 \
         logreg-d0-s5 logreg-d0-s6; do
    if [ -f "$OUT/$r/config.txt" ] && [ -f "$OUT/$r/model.bin" ] && [ -f "$OUT/$r/summary.txt" ]; then
        ok "run $r saved"
    else
        bad "run $r missing"
    fi
done
n=$(ls "$OUT" | grep -c -- '-s[0-9]')
[ "$n" = 10 ] && ok "exactly 10 run directories" || bad "$n run directories, wanted 10"
grep -q "^hidden = 16" "$OUT/gru-h16-s6/config.txt" && grep -q "^cell = gru" "$OUT/gru-h16-s6/config.txt" \
    && grep -q "^seed = 6" "$OUT/gru-h16-s6/config.txt" && ok "a run's config holds its grid values and seed" \
    || bad "gru-h16-s6/config.txt does not hold hidden 16, cell gru, seed 6"
# runs.csv: 8 network rows + 2 x (logreg, majority, has-cart) = 14, + 2 xgboost rows in a
# build with XGBoost (configure says which: HAVE_XGBOOST from the test environment)
nx=0; [ "${HAVE_XGBOOST:-no}" = yes ] && nx=1
rows=$(($(wc -l <"$OUT/runs.csv") - 1)); want=$((14 + 2 * nx))
[ "$rows" = $want ] && ok "runs.csv has $want rows" || bad "runs.csv has $rows rows, wanted $want"
# results.csv: 4 network groups + 3 baselines = 7 (+ xgboost)
rows=$(($(wc -l <"$OUT/results.csv") - 1)); want=$((7 + nx))
[ "$rows" = $want ] && ok "results.csv has $want groups" || bad "results.csv has $rows groups, wanted $want"
if [ $nx = 1 ]; then
    expect_grep "^\| xgboost \(baseline\) \| - \| 2 \| [0-9.]+ ± [0-9.]+ \|" "$OUT/results.md" \
        "the XGBoost baseline is in the table"
else
    if grep -q xgboost "$OUT/results.md"; then bad "an XGBoost row in a build without it"; else ok "no XGBoost row in a build without XGBoost"; fi
fi
expect_grep "^model,hidden,runs,f1_mean,f1_std" "$OUT/results.csv" "results.csv header"
expect_grep "^\| gru \| 16 \| 2 \| [0-9.]+ ± [0-9.]+ \|" "$OUT/results.md" "results.md shows mean ± std"
expect_grep "^\| has-cart \| - \| 2 \|" "$OUT/results.md" "the has-cart baseline is in the table"
expect_grep "^\| majority \| - \| 2 \| 0.000 ± 0.000 \|" "$OUT/results.md" "majority predicts no buyer: F1 0"
expect_grep "^\| logreg \(baseline\) \| - \| 2 \|" "$OUT/results.md" "the logistic-regression baseline is in the table"
expect_grep "Wall time" "$OUT/results.md" "results.md records the wall time"
# mean and sample std of gru h16's F1 recomputed from runs.csv
awk -F, 'NR > 1 && $1 == "gru" && $2 == "16" { n++; s += $4; q += $4 * $4; x[n] = $4 }
         END { m = s / n; v = 0; for (i = 1; i <= n; i++) v += (x[i] - m) ^ 2;
               printf "%.5f %.5f\n", m, sqrt(v / (n - 1)) }' "$OUT/runs.csv" >"$T/want"
awk -F, '$1 == "gru" && $2 == "16" { printf "%.5f %.5f\n", $4, $5 }' "$OUT/results.csv" >"$T/got"
if cmp -s "$T/want" "$T/got"; then ok "F1 mean ± std in results.csv = recomputed from runs.csv ($(cat "$T/got"))"
else bad "F1 mean/std: results.csv $(cat "$T/got"), from runs.csv $(cat "$T/want")"; fi
# any subset of a sweep opens in compare (the run store reads the sweep's run directories)
expect_exit 0 "compare two runs of the sweep" -- "$CLICKSEQ" compare "$OUT/rnn-h8-s5" "$OUT/gru-h16-s6"
expect_grep "gru-h16-s6" "$T/out" "compare names the runs"
# --json: every run and the per-configuration mean ± std, agreeing with runs.csv
expect_exit 0 "sweep --json" -- $S --data "$SHOP" --cell rnn,gru --hidden 8 --seeds 2 --seed 5 \
    --epochs 2 --batch 64 --threads 1 --no-baselines --out "$T/swj" --json
if python3 - "$T/out" "$T/swj/runs.csv" <<'PY'
import csv, json, statistics, sys
d = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(d["runs"]) == len(rows) == 4, (len(d["runs"]), len(rows))
for r, c in zip(d["runs"], rows):
    assert r["keys"]["model"] == c["model"] and r["seed"] == int(c["seed"])
    assert abs(r["test"]["f1"] - float(c["f1"])) < 1e-5
groups = {g["keys"]["model"]: g for g in d["groups"]}
assert set(groups) == {"rnn", "gru"}
for m, g in groups.items():
    f1 = [float(c["f1"]) for c in rows if c["model"] == m]
    assert g["runs"] == 2
    assert abs(g["f1"]["mean"] - statistics.mean(f1)) < 1e-5
    assert abs(g["f1"]["std"] - statistics.stdev(f1)) < 1e-5
PY
then ok "the JSON runs and groups agree with runs.csv (mean and sample std)"; else bad "sweep --json"; fi

# a second sweep into the same directory refuses to overwrite runs
expect_exit 2 "re-running into a used directory is an input error" -- $S --data "$SHOP" --cell rnn,gru \
    --hidden 8,16 --epochs 1 --threads 1 --no-baselines --seed 5 --out "$OUT"
expect_grep "already exists" "$T/err" "the existing run is named"
finish
