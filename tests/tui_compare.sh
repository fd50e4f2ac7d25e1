#!/bin/sh
# tui_compare.sh — compare that decides, in the workbench (tmux): T queues 3 cells x 3 seeds
# in one key; the runs library (L) lists the nine runs, `/` filters them; compare opens on
# the three seed groups with their ± std bands, the groups' mean ± std table and the
# bootstrap's verdict lines; o sorts the table; :export writes the long-format CSV; replay
# opened from compare returns to compare; Esc goes back one level at a time; the sweep view
# (S) shows a :sweep's results table and opens its rows in compare as groups.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
RUNS="$T/runs"
tui_start 120 40 "$CLICKSEQ --runs $RUNS --history $T/hist --epochs 2 --patience 0 --hidden 16 --threads 1 --batch 64"
expect_screen "t trains, \? shows the keys" "the workbench opens on the demo"

keys T
expect_screen "lstm-h16-s3 (done|stopped): saved" "T queues and trains rnn, gru, lstm x 3 seeds" 180
n=$(ls "$RUNS" | grep -c -- '-h16-s[123]$')
[ "$n" = 9 ] && ok "nine runs saved" || bad "$n runs saved, wanted 9"
[ -f "$RUNS/gru-h16-s2/scores.csv" ] && ok "each with its test scores" || bad "no scores.csv"

# --- the runs library
keys L
expect_screen "runs library: 9 of 9 runs" "L opens the runs library with every run"
expect_screen "valid PR-AUC +test PR-AUC +test F1" "validation and test metrics are labelled"
keys / l s t m Enter
expect_screen "runs library: 3 of 9 runs .*filter /lstm" "/ filters the list (substring)"
cap > "$T/lib"
grep -q "gru-h16" "$T/lib" && bad "the filter left a gru run" || ok "only lstm runs shown"
keys / Escape
expect_screen "runs library: 9 of 9 runs" "Esc in the filter clears it"
keys / "^(gru|rnn)-" Enter
expect_screen "runs library: 6 of 9 runs" "/ takes a regular expression"
keys / Escape

# --- compare the nine: three groups
keys c
expect_screen "compare: 3 groups, 9 runs" "c compares the shown runs as three seed groups"
expect_screen "gru-h16 \(3\) .*lstm-h16 \(3\) .*rnn-h16 \(3\)" "the legend names the groups and their sizes"
expect_screen "[●▲■] gru-h16 +3 +0\.[0-9]{3}±0\.[0-9]{3}" "the table shows mean ± std per group"
expect_screen "gru-h16 − lstm-h16 PR-AUC [+−]0\.[0-9]{3} \[[+−]0\.[0-9]{3}, [+−]0\.[0-9]{3}\]: (not distinguishable|gru-h16 higher|lstm-h16 higher)" \
    "the verdict line of the paired bootstrap"
# the band: the dotted ± std edges are drawn besides the means (more braille cells than
# with the band switched off)
cap > "$T/with"; keys b; sleep 0.5; cap > "$T/without"; keys b
braille() { python3 -c 'import sys; print(sum(0x2800 < ord(c) <= 0x28ff for c in open(sys.argv[1], encoding="utf-8").read()))' "$1"; }
bw=$(braille "$T/with"); bo=$(braille "$T/without")
[ "$bw" -gt "$bo" ] && ok "the ± std bands are drawn ($bw braille cells with, $bo without)" \
    || bad "no band ($bw with, $bo without)"
keys o
expect_screen "o sort: test PR-AUC ↑" "o sorts the table by test PR-AUC"
cap > "$T/sorted"
python3 - "$T/sorted" <<'PY' && ok "rows in ascending test PR-AUC" || bad "the table is not sorted"
import re, sys
rows = [l for l in open(sys.argv[1]) if re.match(r"│[●▲■] \S+-h16 +3 ", l)]
v = [float(re.search(r" 3 +(0\.\d+)±", l).group(1)) for l in rows]
assert len(v) == 3 and v == sorted(v), v
PY
keys O
expect_screen "o sort: test PR-AUC ↓" "O reverses the order"

# --- reading the curves: loss shows train and validation together, each run's best epoch
# is marked, the cursor reads out every group, smoothing keeps the raw mean behind, the
# table's curve view has min / max / value at the best epoch per run
expect_screen "loss \(train solid, validation dotted\) by epoch +◎ best epoch" "loss: train and validation together"
grep -q "◎" "$T/screen" && ok "best epochs are marked (◎)" || bad "no best-epoch marker"
keys Left
expect_screen "^ @ epoch 2 \(valid/train\): ● gru-h16 [0-9.]+/[0-9.]+ +▲ lstm-h16 [0-9.]+/[0-9.]+" \
    "Left shows the cursor: every group's validation/train loss at epoch 2"
keys Left
expect_screen "^ @ epoch 1 \(valid/train\):" "Left moves it to epoch 1"
keys m m m m m m
expect_screen "PR-AUC \(validation\) by epoch" "m steps through the metrics"
expect_screen "^ @ epoch 1: ● gru-h16 0\.[0-9]+ " "the readout follows the metric"
keys s
expect_screen "PR-AUC \(validation\) by epoch, smoothed 0\.6" "s smooths the curves"
expect_screen "gru-h16 0\.[0-9]+ \(raw 0\.[0-9]+\)" "the readout gives the smoothed and the raw value"
keys s s s c
expect_screen "^ ● gru-h16 \(3\)" "s three more times: smoothing off; c hides the cursor (the legend is back)"
keys t
expect_screen "Groups: PR-AUC \(validation\) per run, mean ± std" "t: the table of the curve per run"
expect_screen "group +n +min +max +at best ep +best ep" "with min, max and the value at the best epoch"
keys o
expect_screen "o sort: min ↑" "o sorts by min"
keys t
expect_screen "Groups: test metrics, mean ± std" "t again: the test metrics"

# --- export
keys : "export $T/cmp.csv" Enter
expect_screen "exported 9 runs \(3 groups\) to" "the export is confirmed"
head -1 "$T/cmp.csv" | grep -qx "run,group,epoch,step,seconds,metric,value" && ok "CSV header" || bad "CSV header"
rows=$(($(wc -l < "$T/cmp.csv") - 1))
[ "$rows" = 162 ] && ok "9 runs x 2 epochs x 9 metrics rows" || bad "$rows rows, wanted 162"
grep -q "^rnn-h16-s2,rnn-h16,2,[0-9]*,[0-9.]*,valid_pr_auc,0\." "$T/cmp.csv" && ok "a row names run and group" || bad "no rnn-h16-s2 row"
keys : "export $T/cmp.json" Enter
expect_screen "exported 9 runs \(3 groups\) to .*cmp.json" "the JSON export"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["groups"]) == 3 and len(d["differences"]) == 9' "$T/cmp.json" \
    && ok "its groups and differences" || bad "the exported JSON"

# --- replay from compare comes back to compare; Esc goes back one level
keys r
expect_screen "replay" "r replays the first run"
keys q
expect_screen "compare: 3 groups, 9 runs" "q in replay returns to compare"
keys Escape
expect_screen "runs library: 9 of 9" "Esc in compare returns to the library"
keys Escape
expect_screen "clickseq  data: demo-shop" "Esc in the library returns to the main screen"

# --- the sweep view: a :sweep's results table, rows open in compare as groups
keys : "sweep cell=rnn,gru seeds=2" Enter
expect_screen "sweep done" "a :sweep of 2 cells x 2 seeds finishes" 120
keys S
expect_screen "sweep results: .*/sweep-[0-9-]+ " "S opens the newest sweep's results table"
expect_screen "^ +rnn +2 +0\.[0-9]{3}±0\.[0-9]{3}" "a row per configuration with mean ± std"
keys o o
expect_screen "f1↑" "o sorts by a column"
keys o o o o O
expect_screen "nparams↓" "O reverses it (parameters, most first: the two networks)"
keys g Space Space c
expect_screen "compare: 2 groups, 4 runs" "two marked rows open in compare as two seed groups"
keys Escape
expect_screen "sweep results:" "Esc returns to the sweep view"
finish
