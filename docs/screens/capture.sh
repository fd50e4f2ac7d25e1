#!/bin/sh
# capture.sh — regenerate the text screenshots in docs/screens/ (main, compare, replay at
# 80x24 and 160x48, the early-prediction view and the runs library on the demo; a live
# YooChoose run at 80x24, 120x40, 200x60 and under NO_COLOR=1) by driving the workbench in
# a private tmux server.  Never reads or writes your settings file (--no-config).
#   usage: docs/screens/capture.sh [path/to/clickseq] [demo|live|all]   (from the source tree root)
set -eu
BIN=${1:-./clickseq}
WHAT=${2:-all}
OUT=$(dirname "$0")
W=$(mktemp -d)
SOCK="clickseq-shots-$$"
TM="tmux -L $SOCK -f /dev/null"
trap '$TM kill-server 2>/dev/null || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"; rm -rf "$W"' EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
wait_for() {   # wait_for REGEX: poll the screen for up to 600 s
    i=0
    while [ $i -lt 6000 ]; do
        $TM capture-pane -p -t s | grep -q -E -- "$1" && return 0
        sleep 0.1; i=$((i + 1))
    done
    echo "timeout waiting for $1" >&2; return 1
}
shot() { $TM capture-pane -p -t s > "$OUT/$1.txt"; echo "wrote $OUT/$1.txt"; }

# A live run on the YooChoose sample (../shared/data next to the source tree: clicks +
# buys, see its SOURCE.md): 30 epochs, patience 0, one thread, paused in epoch 3 of 30 --
# the curves already span the plot and the first-batch spike does not flatten them.
Y="$OUT/../../../shared/data/yoochoose_rsc15_sample1pct"
live() {   # live W H NAME [ENV...]
    w=$1; h=$2; name=$3; shift 3
    rm -rf "$W/runs"
    $TM new-session -d -s s -x "$w" -y "$h" "env $* $BIN --no-config --runs $W/runs --history $W/hist \
--data $Y/sample_clicks.csv --outcomes $Y/sample_buys.csv --format yoochoose --epochs 30 --patience 0 --threads 1"
    wait_for "t trains, . shows the keys"   # loaded (the start-up load runs with the screen open)
    $TM send-keys -t s t
    wait_for "epoch 3/30"
    sleep 0.15                         # a few batches into epoch 3 (an epoch takes ~0.5 s)
    $TM send-keys -t s p
    wait_for "paused"
    sleep 0.3
    $TM capture-pane -p -t s | grep -q "epoch 3/30" || echo "$name: paused after epoch 3 (a slow pause?)" >&2
    shot "$name"
    $TM send-keys -t s q
    sleep 0.3; $TM send-keys -t s d   # the quit prompt: drop the run
    $TM kill-server 2>/dev/null || true
    sleep 0.3
}
if [ "$WHAT" != demo ]; then
    if [ -f "$Y/sample_clicks.csv" ]; then
        live 80 24 live-80x24
        live 120 40 live-120x40
        live 200 60 live-200x60
        live 80 24 live-80x24-nocolor NO_COLOR=1
    else
        echo "no YooChoose sample in $Y: the live captures are not made" >&2
    fi
fi
[ "$WHAT" = live ] && exit 0
for size in 80x24 160x48; do
    w=${size%x*}; h=${size#*x}
    rm -rf "$W/runs"
    $TM new-session -d -s s -x "$w" -y "$h" "$BIN --no-config --runs $W/runs --history $W/hist --epochs 20 --patience 0 --hidden 32 --threads 1 --batch 64"
    wait_for "t trains, . shows the keys"
    $TM send-keys -t s T                       # RNN, GRU and LSTM x 3 seeds in turn
    wait_for "lstm-h32-s3 done"
    $TM send-keys -t s L                       # the runs library: all nine
    wait_for "runs library: 9 of 9"
    $TM send-keys -t s f                       # one row per seed group, with its means
    wait_for "seeds folded"
    sleep 0.2; shot "library-$size"
    $TM send-keys -t s c                       # compare them: three seed groups
    wait_for "Is the difference real"
    $TM send-keys -t s m m m m m m             # PR-AUC (validation); the verdicts on test PR-AUC
    $TM send-keys -t s Left Left Left Left Left Left Left Left   # the cursor at epoch 13: every group's value
    wait_for "@ epoch 13:"
    sleep 0.3; shot "compare-$size"
    $TM send-keys -t s : "replay gru-h32-s1 3" Enter
    wait_for "epoch 9/20"
    $TM send-keys -t s Space; sleep 0.3; shot "replay-$size"
    $TM send-keys -t s q : "early gru-h32-s1" Enter
    wait_for "k \(events seen\) 20"
    sleep 0.2; shot "early-$size"
    $TM send-keys -t s q : main Enter
    $TM send-keys -t s : "set cell gru" Enter t
    wait_for "epoch 1[0-9]/20"
    sleep 0.2; shot "main-$size"
    $TM send-keys -t s q
    $TM kill-server 2>/dev/null || true
    sleep 0.3
done
