#!/bin/sh
# compare.sh — `clickseq compare` decides: a 3 cells x 5 seeds sweep on the demo gives three
# seed groups of five and a difference with a paired-bootstrap interval for every two
# groups, which an independent numpy + scikit-learn script (scripts/bootstrap_ref.py)
# reproduces from the stored scores; runs with different test data are refused; old runs
# without scores.csv still load; damaged / special / oversized scores files are errors;
# one run is a usage error unless --table; --csv and --md.
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
DEMO="$SRCDIR/data/demo-shop.csv"
X="$T/X"
# a Python with numpy and scikit-learn (Debian's, if the first on PATH lacks them)
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import numpy, sklearn' 2>/dev/null; then PY=$p; break; fi
done

expect_exit 0 "sweep rnn,gru,lstm x 5 seeds on the demo" -- $C sweep --data "$DEMO" --cell rnn,gru,lstm \
    --hidden 32 --seeds 5 --epochs 2 --patience 0 --threads 1 --no-baselines --out "$X"
[ -f "$X/gru-s3/scores.csv" ] && ok "each run stores its test scores" || bad "no $X/gru-s3/scores.csv"
n=$(($(grep -vc '^#' "$X/gru-s3/scores.csv") - 1))
tn=$(sed -n 's/^test_n = //p' "$X/gru-s3/summary.txt")
[ "$n" = "$tn" ] && ok "one score per test session ($n)" || bad "$n scores, summary says $tn test sessions"

expect_exit 0 "compare X/* --json" -- $C compare "$X"/* --json
cp "$T/out" "$T/c.json"
expect_grep "skipping .*results.csv: not a run directory" "$T/err" "plain files among the arguments are named and skipped"
python3 - "$T/c.json" <<'PY' && ok "three groups of 5, three pairs x 3 metrics with intervals" || bad "JSON shape"
import json, sys
d = json.load(open(sys.argv[1]))
g = {x["name"]: x for x in d["groups"]}
assert sorted(g) == ["gru", "lstm", "rnn"], sorted(g)
for x in g.values():
    assert len(x["runs"]) == 5, x["runs"]
    for k in ("test_pr_auc", "test_roc_auc", "test_f1"):
        m = x["metrics"][k]
        assert 0 <= m["mean"] <= 1 and m["std"] >= 0, (k, m)
diffs = d["differences"]
assert len(diffs) == 9, len(diffs)
pairs = {(x["a"], x["b"]) for x in diffs}
assert len(pairs) == 3, pairs
for x in diffs:
    assert x["metric"] in ("test_pr_auc", "test_roc_auc", "test_f1")
    assert x["ci_low"] <= x["ci_high"], x
    assert abs(x["delta"] - (x["a_value"] - x["b_value"])) < 1e-8
    assert ("not distinguishable" in x["verdict"]) == (x["ci_low"] <= 0 <= x["ci_high"]), x
    assert x["replicates"] > 1900 and x["sessions"] > 100
# group means agree with the runs' own test metrics
runs = {r["name"]: r for r in d["runs"]}
for x in g.values():
    mean = sum(runs[r]["test_pr_auc"] for r in x["runs"]) / 5
    assert abs(mean - x["metrics"]["test_pr_auc"]["mean"]) < 1e-9
assert d["refused"] == []
PY
expect_exit 0 "--metric pr_auc" -- $C compare "$X" --json --metric pr_auc
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["differences"]) == 3 and all(x["metric"] == "test_pr_auc" for x in d["differences"])' "$T/out" \
    && ok "--metric pr_auc gives three differences" || bad "--metric pr_auc"
expect_exit 0 "the text output has verdict lines" -- $C compare "$X"
expect_grep "^  gru − lstm PR-AUC [+−][0-9.]+ \[[+−][0-9.]+, [+−][0-9.]+\]: (not distinguishable|gru higher|lstm higher)$" \
    "$T/out" "a plain verdict line"
expect_grep "^  rnn +5 runs +test_pr_auc 0\.[0-9]+ ± 0\.[0-9]+" "$T/out" "the groups' mean ± std"

# the reference: same resampling (splitmix64 indices), sklearn metrics with weights
if [ -z "$PY" ]; then
    bad "no python3 with numpy and scikit-learn: the bootstrap reference cannot run"
else
    expect_exit 0 "compare --json --bootstrap 40 --boot-seed 7" -- $C compare "$X" --json --bootstrap 40 --boot-seed 7
    cp "$T/out" "$T/c40.json"
    if "$PY" "$SRCDIR/scripts/bootstrap_ref.py" "$T/c40.json" >"$T/ref" 2>&1; then
        ok "scripts/bootstrap_ref.py (numpy + sklearn) reproduces every delta and interval"
    else
        bad "bootstrap reference disagrees"; sed 's/^/    /' "$T/ref" | head -12
    fi
    # and it can fail: one interval bound moved by 0.001 is a mismatch
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["differences"][0]["ci_low"] += 1e-3; json.dump(d, open(sys.argv[2], "w"))' \
        "$T/c40.json" "$T/c40-off.json"
    if "$PY" "$SRCDIR/scripts/bootstrap_ref.py" "$T/c40-off.json" >"$T/ref-off" 2>&1; then
        bad "the reference accepts an interval bound moved by 0.001"
    else
        grep -q "^MISMATCH .*test_" "$T/ref-off" && ok "the reference rejects an interval bound moved by 0.001" \
            || { bad "the reference failed without naming a mismatch"; sed 's/^/    /' "$T/ref-off" | head -5; }
    fi
fi
expect_exit 0 "the same seed gives the same intervals" -- $C compare "$X" --json --bootstrap 40 --boot-seed 7
cmp -s "$T/out" "$T/c40.json" && ok "reproducible" || bad "two runs with --boot-seed 7 differ"

# one run: a usage error unless --table
expect_exit 2 "compare of one run is a usage error" -- $C compare "$X/gru-s1"
expect_grep "only one run" "$T/err" "the message says why"
expect_exit 0 "one run with --table" -- $C compare "$X/gru-s1" --table
expect_grep "^test_pr_auc " "$T/out" "--table prints the summary"
expect_exit 2 "a missing run is an error" -- $C compare "$X/gru-s1" "$T/nope"

# CSV: long-format histories
expect_exit 0 "compare --csv" -- $C compare "$X/gru-s1" "$X/rnn-s1" --csv
head -1 "$T/out" | grep -qx "run,group,epoch,step,seconds,metric,value" && ok "CSV header" || bad "CSV header: $(head -1 "$T/out")"
rows=$(($(wc -l <"$T/out") - 1))
[ "$rows" = 36 ] && ok "2 runs x 2 epochs x 9 metrics rows" || bad "$rows CSV rows, wanted 36"
expect_grep "^gru-s1,gru-s1,2,[0-9]+,[0-9.e-]+,valid_pr_auc,0\.[0-9]+$" "$T/out" "a row has step, seconds and value"
expect_exit 0 "compare --md" -- $C compare "$X" --md
expect_grep "^\| gru \| 5 \| [0-9.]+ ± [0-9.]+ \|" "$T/out" "Markdown table with mean ± std"

# different test data: refused with a message
expect_exit 0 "a run with another split" -- $C train --data "$DEMO" --cell gru --hidden 32 --epochs 2 \
    --valid-frac 0.2 --threads 1 --quiet --out "$T/other"
expect_exit 0 "compare across test sets still compares the metrics" -- $C compare "$X/gru-s1" "$T/other" --json
expect_grep "different test data" "$T/err" "different test data are refused with a message"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["differences"] == [] and "different test data" in d["refused"][0]["reason"]' "$T/out" \
    && ok "no interval across test sets" || bad "an interval across different test sets"

# an old run (no scores.csv) still loads; damaged / special / huge scores files are errors
cp -r "$X/lstm-s1" "$T/old"; rm "$T/old/scores.csv"
expect_exit 0 "a run without scores.csv loads" -- $C compare "$X/gru-s1" "$T/old"
expect_grep "no stored test scores" "$T/out" "and says it has no scores for an interval"
cp -r "$X/lstm-s1" "$T/dmg"
sed -i '5s/,0\./,1./' "$T/dmg/scores.csv"
expect_exit 2 "a damaged scores.csv is an error" -- $C compare "$X/gru-s1" "$T/dmg"
expect_grep "dmg/scores.csv.*(checksum|damaged)" "$T/err" "naming the file"
rm "$T/dmg/scores.csv"; mkfifo "$T/dmg/scores.csv"
expect_exit 2 "a FIFO as scores.csv is refused (no hang)" -- timeout 10 $C compare "$X/gru-s1" "$T/dmg"
expect_grep "not a regular file" "$T/err" "FIFO: not a regular file"
rm "$T/dmg/scores.csv"; truncate -s 2G "$T/dmg/scores.csv"
expect_exit 2 "an oversized scores.csv is refused" -- $C compare "$X/gru-s1" "$T/dmg"
expect_grep "too large" "$T/err" "oversized: too large"
finish
