#!/bin/sh
# early.sh — `clickseq early` on a run trained by `clickseq sweep`: the CSV, the counting
# rule (sessions with more than k inputs, cross-checked against `clickseq inspect`), --out,
# and the refusals.
. "$SRCDIR/tests/lib.sh"
SHOP="$T/shop.csv"
simulate_shop "$SHOP" --sessions 800 --seed 11
expect_exit 0 "train one GRU" -- "$CLICKSEQ" sweep --data "$SHOP" --cell gru --hidden 8 --epochs 2 \
    --batch 64 --threads 1 --no-baselines --out "$T/sw"
RUN="$T/sw/gru-s1"      # one configuration: named after its cell and seed
E="$CLICKSEQ early --run $RUN"

expect_exit 0 "early --k 5" -- $E --k 5
expect_grep "^k,sessions,positives,positive_rate,f1,precision,recall,pr_auc,roc_auc" "$T/out" "CSV header"
lines=$(grep -c '^[0-9]' "$T/out")
[ "$lines" = 5 ] && ok "one line per k" || bad "$lines lines for k = 1..5"
# sessions can only shrink as k grows, positives never exceed sessions
awk -F, 'NR > 1 { if (NR > 2 && $2 > prev) bad = 1; if ($3 > $2) bad = 1; prev = $2 }
         END { exit bad }' "$T/out" && ok "sessions non-increasing in k, positives <= sessions" \
    || bad "counts are not monotone: $(cat "$T/out")"

# with --all, k = 1 counts every session with 2+ inputs: kept sessions minus those of length 1
expect_exit 0 "early --all --k 1..2" -- $E --all --k 1..2
got=$(awk -F, '$1 == 1 { print $2 }' "$T/out")
"$CLICKSEQ" inspect --data "$SHOP" --max-len 0 >"$T/insp" 2>&1
kept=$(awk '/sessions kept/ { print $3 }' "$T/insp")
len1=$(awk '$1 == "1" && NF >= 2 { print $2; exit }' "$T/insp")
want=$((kept - len1))
[ "$got" = "$want" ] && ok "k=1 counts the $want sessions with more than one input (inspect: $kept kept, $len1 of length 1)" \
    || bad "k=1 sessions $got, inspect says $kept - $len1 = $want"

expect_exit 0 "--out writes the CSV" -- $E --k 3 --out "$T/early.csv"
$E --k 3 2>/dev/null >"$T/stdout.csv"
cmp -s "$T/early.csv" "$T/stdout.csv" && ok "--out and stdout agree" || bad "--out differs from stdout"
expect_exit 0 "early --json" -- $E --k 3 --json
if python3 - "$T/out" "$T/early.csv" <<'PY'
import csv, json, sys
pts = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
assert [p["k"] for p in pts] == [1, 2, 3] == [int(r["k"]) for r in rows]
for p, r in zip(pts, rows):
    assert p["sessions"] == int(r["sessions"]) and p["positives"] == int(r["positives"])
    if r["f1"] not in ("", "nan", "n/a"):
        assert abs(p["f1"] - float(r["f1"])) < 1e-5
PY
then ok "the JSON curve agrees with the CSV"; else bad "early --json"; fi

expect_exit 2 "--k 0 is a usage error" -- $E --k 0
expect_exit 2 "--k 5..2 is a usage error" -- $E --k 5..2
expect_exit 2 "--run is required" -- "$CLICKSEQ" early --k 3
"$CLICKSEQ" early --run "$T/nope" >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" -ne 0 ] && grep -q "nope" "$T/err" && ok "a missing run fails, named (exit $rc)" || bad "missing run: exit $rc"
# a features-view run cannot be cut into prefixes
expect_exit 0 "train a features-view logreg" -- "$CLICKSEQ" sweep --data "$SHOP" --cell logreg --view features \
    --epochs 1 --threads 1 --no-baselines --out "$T/sf"
expect_exit 2 "early refuses a features-view run" -- "$CLICKSEQ" early --run "$T/sf/logreg-s1"
expect_grep "sequence model" "$T/err" "and says why"
finish
