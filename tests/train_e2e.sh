#!/bin/sh
# train_e2e.sh — train -> eval -> predict -> compare -> replay on a small simulated shop,
# plus usage errors, determinism, the study presets' parameter counts and a damaged model.
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
"$C" simulate --sessions 1200 --seed 11 --out "$T/shop.csv" >/dev/null || { bad "simulate"; finish; exit 1; }
TR="--data $T/shop.csv --epochs 2 --hidden 8 --emb-type 4 --batch 64 --threads 1 --quiet"

expect_exit 0 "train --help" -- "$C" train --help
expect_grep "--\[no-\]bidir" "$T/out" "help lists the bool flags"
expect_grep "--preset NAME" "$T/out" "help lists --preset"
expect_exit 2 "train without --data is a usage error" -- "$C" train --epochs 1
expect_grep "^clickseq: .*--data" "$T/err" "names the missing option"
expect_exit 2 "an out-of-range parameter is a usage error" -- "$C" train $TR --layers 9 --out "$T/r/x"
expect_grep "layers: 9 is out of range" "$T/err" "the message names the parameter"
"$C" train --data "$T/nope.csv" --out "$T/r/x" 2>"$T/err" && bad "a missing data file is accepted" \
    || ok "a missing data file fails"
expect_grep "^clickseq: .*nope.csv" "$T/err" "the message names the file"
[ -e "$T/r/x" ] && bad "a failed train left a run directory" || ok "no run left by failed trains"

expect_exit 0 "train a GRU" -- "$C" train $TR --out "$T/r/gru" --json
expect_grep '"test":\{"threshold"' "$T/out" "--json has the test metrics"
expect_grep '"nparams":[1-9]' "$T/out" "--json has the parameter count"
for f in config.txt history.csv batches.csv model.bin summary.txt; do
    [ -s "$T/r/gru/$f" ] && ok "run has $f" || bad "run lacks $f"
done
[ "$(wc -l <"$T/r/gru/history.csv")" -eq 3 ] && ok "history: header + 2 epochs" || bad "history lines"
expect_grep "^seed = 1$" "$T/r/gru/config.txt" "config records the seed"
expect_grep "^data_fingerprint = [0-9a-f]{16}$" "$T/r/gru/config.txt" "config records the data fingerprint"
expect_exit 2 "training into an existing run is refused" -- "$C" train $TR --out "$T/r/gru"
expect_grep "already holds a run" "$T/err" "says why"

"$C" train $TR --cell rnn --lr 0.003 --out "$T/r/rnn" >/dev/null 2>&1 && ok "train an RNN" || bad "train an RNN"
"$C" train $TR --seed 5 --out "$T/r/d1" >/dev/null 2>&1
"$C" train $TR --seed 5 --out "$T/r/d2" >/dev/null 2>&1
cmp -s "$T/r/d1/model.bin" "$T/r/d2/model.bin" && ok "same seed and threads: identical weights" \
    || bad "same seed gave different weights"
cmp -s "$T/r/d1/history.csv" "$T/r/gru/history.csv" && bad "another seed gave the same history" \
    || ok "another seed, another history"

n=$(awk -F, 'NR > 1 {print $1}' "$T/shop.csv" | wc -l)
expect_exit 0 "eval a run" -- "$C" eval --run "$T/r/gru" --json
total=$(sed 's/.*"tp":\([0-9]*\),"fp":\([0-9]*\),"tn":\([0-9]*\),"fn":\([0-9]*\).*/\1 \2 \3 \4/' "$T/out" |
        awk '{print $1 + $2 + $3 + $4}')
sessions=$(sed 's/.*"n":\([0-9]*\).*/\1/' "$T/out")
[ "$total" = "$sessions" ] && [ "$sessions" -gt 100 ] && ok "eval counts every session ($sessions)" \
    || bad "confusion total $total vs $sessions sessions"
thr=$(sed -n 's/^threshold = //p' "$T/r/gru/summary.txt")
expect_grep "\"threshold\":0\.[0-9]" "$T/out" "eval uses a stored threshold"
expect_exit 0 "eval as text" -- "$C" eval "$T/r/gru"
expect_grep "^eval: F1 " "$T/out" "eval prints metrics"

expect_exit 0 "predict to a file" -- "$C" predict --run "$T/r/gru" --out "$T/p.csv"
expect_grep "^session,probability,label$" "$T/p.csv" "predict CSV header"
rows=$(($(wc -l <"$T/p.csv") - 1))
[ "$rows" = "$sessions" ] && ok "one row per session ($rows)" || bad "predict rows $rows vs $sessions"
# (probabilities are printed with 6 decimals: rows within 1e-6 of the threshold may round across it)
awk -F, -v t="$thr" 'NR > 1 && ($2 < 0 || $2 > 1 || (($2 - t > 1e-6 || t - $2 > 1e-6) && ($2 >= t) != $3)) {bad = 1}
    END {exit bad}' "$T/p.csv" \
    && ok "probabilities in [0,1], label = prob >= stored threshold" || bad "predict values"
if [ -w /dev/full ]; then
    # a failed write on stdout (full disk, closed file) is a runtime failure, never exit 0
    "$C" predict --run "$T/r/gru" >/dev/full 2>"$T/err"; rc=$?
    [ "$rc" = 1 ] && grep -q "^clickseq: write error on standard output: No space left on device" "$T/err" \
        && ok "predict to a full stdout fails (exit 1)" || bad "predict to /dev/full: exit $rc"
    "$C" eval "$T/r/gru" >/dev/full 2>"$T/err"; rc=$?
    [ "$rc" = 1 ] && ok "eval to a full stdout fails (exit 1)" || bad "eval to /dev/full: exit $rc"
fi

expect_exit 0 "compare two runs" -- "$C" compare "$T/r/gru" "$T/r/rnn"
expect_grep "^test_f1 " "$T/out" "compare shows test F1"
expect_grep "^  cell +gru +rnn" "$T/out" "compare shows the differing cell"
expect_grep "^  lr " "$T/out" "compare shows the differing lr"
grep -q "^  hidden" "$T/out" && bad "compare lists a parameter that is the same" || ok "only differing parameters"
expect_exit 0 "compare --json" -- "$C" compare "$T/r/gru" "$T/r/rnn" --json
expect_grep '"differ":\["cell","lr"\]' "$T/out" "JSON lists the differing parameters"

expect_exit 0 "replay" -- "$C" replay "$T/r/gru" --speed 1000
[ "$(grep -c '^ *[12] ' "$T/out")" = 2 ] && ok "replay prints both epochs" || bad "replay epochs"
expect_exit 2 "replay of a non-run" -- "$C" replay "$T"
expect_grep "^clickseq: .*config.txt" "$T/err" "names the missing file"

# study presets reproduce the study's parameter counts (DESIGN.md §1)
expect_exit 0 "study-rnn preset" -- "$C" train --data "$T/shop.csv" --preset study-rnn --epochs 1 --quiet --json --out "$T/r/s-rnn"
expect_grep '"nparams":11882' "$T/out" "SimpleRNN 40,80 has 11,882 parameters"
expect_exit 0 "study-lstm preset" -- "$C" train --data "$T/shop.csv" --preset study-lstm --epochs 1 --quiet --json --out "$T/r/s-lstm"
expect_grep '"nparams":119682' "$T/out" "BiLSTM 40,80 has 119,682 parameters"

# a damaged model is a clear input error
cp -r "$T/r/gru" "$T/r/broken"
printf 'X' | dd of="$T/r/broken/model.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
expect_exit 2 "eval of a damaged model fails" -- "$C" eval --run "$T/r/broken"
expect_grep "^clickseq: .*broken/model.bin: damaged model file" "$T/err" "names the damaged file"
# a run trained on more than 256 event types keeps them all (only 256 were saved: eval
# then refused its own training data)
awk 'BEGIN { print "s,t,e"; for (s = 0; s < 200; s++) { for (k = 0; k < 4; k++)
    printf "s%d,%d,ev%d\n", s, 1570000000 + s * 100 + k, (s * 7 + k * 13) % 300
    if (s % 4 == 0) printf "s%d,%d,purchase\n", s, 1570000000 + s * 100 + 50 } }' >"$T/many.csv"
M="--format generic --map session=s,time=t,event=e"
# shellcheck disable=SC2086
expect_exit 0 "train on 300 event types" -- "$C" train --data "$T/many.csv" $M --epochs 1 --hidden 4 \
    --threads 1 --split random --quiet --out "$T/r/many"
# shellcheck disable=SC2086
expect_exit 0 "eval on its own data with 300 event types" -- "$C" eval "$T/r/many" --data "$T/many.csv" $M
# a run trained in the workbench stores absolute data AND outcomes paths (outcomes stayed
# relative, so eval from another directory could not find them)
mkdir -p "$T/wb" "$T/elsewhere"
( cd "$T/wb" && awk 'BEGIN { print "session,timestamp,item,category" > "clicks.csv"
    print "session,timestamp,item,price,quantity" > "buys.csv"
    for (s = 1; s <= 300; s++) { n = 2 + s % 5
      for (k = 0; k < n; k++) printf "%d,2014-04-0%dT10:%02d:00.000Z,%d,0\n", s, 1 + s % 7, k, 100 + (s * k) % 17 >> "clicks.csv"
      if (s % 6 == 0) printf "%d,2014-04-0%dT10:%02d:30.000Z,100,5,1\n", s, 1 + s % 7, n - 1 >> "buys.csv" } }'
  "$C" --no-ui --train --data clicks.csv --outcomes buys.csv --format yoochoose --runs R --epochs 1 \
      --hidden 4 --threads 1 >/dev/null 2>&1 )
( cd "$T/elsewhere" && "$C" eval "$T/wb/R/gru-h4" >"$T/out" 2>"$T/err" ) \
    && ok "eval of a workbench run from another directory" \
    || bad "eval of a workbench run from another directory: $(head -c 200 "$T/err")"
# predict's CSV quotes session ids that hold a comma or a quote (they are user text)
awk -F, 'NR == 1 { print; next } { $9 = "\"" substr($9, 1, 4) ",\"\"x" substr($9, 5) "\""; print }' OFS=, \
    "$T/shop.csv" >"$T/quoted.csv"
expect_exit 0 "predict on session ids with commas and quotes" -- "$C" predict "$T/r/gru" --data "$T/quoted.csv"
python3 - "$T/out" <<'PY' && ok "predict CSV: 3 fields a row, ids kept" || bad "predict CSV with quoted ids"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["session", "probability", "label"] and len(rows) > 10
assert all(len(r) == 3 for r in rows) and all(',"x' in r[0] for r in rows[1:])
PY
finish
