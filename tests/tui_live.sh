#!/bin/sh
# tui_live.sh — watching a run live on real data (the YooChoose sample in ../shared/data):
# `epochs 30`, `patience 0`, one thread (`max-len 20` keeps it short).  After the third epoch the loss curves span at
# least half the plot width (the x axis covers the data seen, not the 30 planned epochs)
# and the y range keeps the epoch curves off the bottom row (the first-batch spike does
# not set it); the same run with NO_COLOR=1 shows a distinct marker for each series in the
# plot and in the legend.  Then the plot controls: x axis (x), log y (y), smoothing ([ ]),
# a series off (1) and the cursor readout (g, Left/Right).  All read from capture-pane text.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
Y="$SHARED/yoochoose_rsc15_sample1pct"
[ -f "$Y/sample_clicks.csv" ] || { echo "SKIP: no YooChoose sample in $Y"; exit 77; }
export XDG_CONFIG_HOME="$T/config" HOME="$T/home"
mkdir -p "$HOME"

# check_plot FILE LABEL: the loss pane's curves span >= half its width, no epoch marker
# on its bottom row, and a marker of each series in the plot and in the legend.
check_plot() {
    python3 - "$1" <<'PY'
import sys, unicodedata
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
top = next(i for i, r in enumerate(rows) if "┌ Loss" in r)
axis = next(i for i in range(top + 1, len(rows)) if "└" in rows[i][24:])
start = rows[top].index("┌ Loss")
end = rows[top].index("┐", start)
x0 = rows[axis].index("└", start) + 1             # first curve column
plot = [r[x0:end] for r in rows[top + 1:axis]]
legend, body = plot[0], plot[1:]
def curve(c): return 0x2801 <= ord(c) <= 0x28FF or c in "●▲+"
cols = [j for r in body for j, c in enumerate(r) if curve(c)]
width = end - x0
span = (max(cols) - min(cols) + 1) / width if cols else 0
fails = []
if span < 0.5: fails.append("the curves span %.0f%% of the width" % (span * 100))
# the epoch curves themselves (their markers: train and validation at each epoch), not only
# the batch curve: epochs 1..3 on an axis of the 4 epochs seen are half of it
ecols = [j for r in body for j, c in enumerate(r) if c in "●▲"]
espan = (max(ecols) - min(ecols) + 1) / width if ecols else 0
if espan < 0.45: fails.append("the epoch curves span %.0f%% of the width" % (espan * 100))
bottom = body[-1]
if "●" in bottom or "▲" in bottom: fails.append("an epoch marker on the bottom row: " + bottom)
for m, name in (("●", "train"), ("▲", "valid"), ("+", "batch")):
    if m + " " + name not in legend: fails.append("legend lacks '%s %s': %s" % (m, name, legend))
    if not any(m in r for r in body): fails.append("no %s marker in the plot" % m)
print("span %.0f%% (epoch curves %.0f%%), %d rows" % (span * 100, espan * 100, len(body)))
for f in fails: print("  " + f)
sys.exit(1 if fails else 0)
PY
}

started=0
run() {   # run ENV...: open the workbench on the sample, train, wait for epoch 4
    cmd="env $* $CLICKSEQ --runs $T/runs --history $T/hist --data $Y/sample_clicks.csv \
--outcomes $Y/sample_buys.csv --format yoochoose --epochs 30 --patience 0 --threads 1 --max-len 20"
    if [ $started = 0 ]; then tui_start 80 24 "$cmd"; started=1; else tui_respawn "$cmd"; fi
    expect_screen "t trains, \? shows the keys" "opens on the YooChoose sample ($*)" 30
    keys t
    expect_screen "epoch [1-9]/30" "training starts ($*)" 30
    expect_screen "epoch ([4-9]|[1-9][0-9])/30" "past the third epoch ($*)" 60
    keys p
    expect_screen "paused" "paused to read the screen ($*)"
    cap > "$T/ep3"
}

run -u NO_COLOR
if check_plot "$T/ep3" > "$T/check"; then ok "after epoch 3: $(cat "$T/check")"; else bad "after epoch 3: $(cat "$T/check")"; sed 's/^/    | /' "$T/ep3"; fi
grep -q "epoch [0-9]" "$T/ep3" && ! grep -q "epoch 30│" "$T/ep3" && ok "the x axis is not the planned 30 epochs" \
    || bad "x axis"

# --- the plot controls on the paused run
keys x
expect_screen "x axis: step" "x switches the axis to optimiser steps"
expect_screen "step [0-9]+│" "the axis is labelled in steps"
keys x
expect_screen "x axis: time" "x again: wall time"
expect_screen "time [0-9]+:[0-9][0-9]│" "the axis is labelled M:SS"
keys x
expect_screen "x axis: epoch" "and back to epochs"
keys y
expect_screen "Loss \(v: metrics, data\) · log y" "y: log y (the title says so)"
keys y
expect_screen "log y off" "y again: linear"
keys [
expect_screen "smoothing 0.85" "[ smooths less"
keys 1
expect_screen "batch off" "1 switches the batch curve off"
cap > "$T/off"
python3 - "$T/off" <<'PY' && ok "no batch marker in the plot while it is off" || bad "batch marker still drawn"
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
top = next(i for i, r in enumerate(rows) if "┌ Loss" in r)
body = [r[30:78] for r in rows[top + 2:top + 10]]
sys.exit(1 if any("+" in r for r in body) else 0)
PY
keys 1
expect_screen "batch on" "1 again: on"
keys g
expect_screen "plot focused: Left/Right cursor" "g focuses the plot"
keys Left Left Left
expect_screen "@[0-9.]+ \+batch [0-9.]+ ●train [0-9.]+ ▲valid [0-9.]+" "the cursor reads out train and valid at its x"
keys g

# --- monochrome: the same run with NO_COLOR=1
run NO_COLOR=1
if check_plot "$T/ep3" > "$T/check"; then ok "NO_COLOR=1: distinct markers in plot and legend; $(cat "$T/check")"; else bad "NO_COLOR=1: $(cat "$T/check")"; sed 's/^/    | /' "$T/ep3"; fi
keys q
finish
