#!/bin/sh
# bench/tui/run.sh — what the live workbench costs.
#  1. The same run headless (`clickseq train`) and with the workbench open in a 120x36
#     tmux pane (`clickseq --train --exit-when-done`), alternating A/B: process CPU time
#     (median), the trainer's own seconds and the process wall time (minimum).
#     Target: the workbench costs at most 5 %.
#  2. Key latency while training: the workbench logs, for every key, the time from
#     reading it to the refreshed screen (CLICKSEQ_TUI_TRACE), and the duration of every
#     redraw (a key arriving during a redraw waits at most that long).  Target: <= 50 ms.
# usage: bench/tui/run.sh [path/to/clickseq]   (env: REPS=3 EPOCHS=30 HIDDEN=64)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-${CLICKSEQ:-$here/../../clickseq}}
DATA=$here/../../data/demo-shop.csv
REPS=${REPS:-3}; EPOCHS=${EPOCHS:-30}; HIDDEN=${HIDDEN:-64}
command -v tmux >/dev/null || { echo "tmux is needed"; exit 1; }
W=$(mktemp -d); SOCK="clickseq-bench-$$"; TM="tmux -L $SOCK -f /dev/null"
trap '$TM kill-server 2>/dev/null; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"; rm -rf "$W"' EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
RUN="--data $DATA --epochs $EPOCHS --patience 0 --hidden $HIDDEN --threads 1 --seed 7"
now() { date +%s.%N; }
secs() { sed -n 's/^seconds = //p' "$1/summary.txt"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Each sample: trainer seconds (summary.txt), process wall seconds, process CPU seconds
# (user + sys).  On a shared machine wall times swing with the load; CPU time is what the
# workbench adds (its own thread's drawing and polling) and is robust to the load.
TIME=/usr/bin/time
for i in $(seq 1 "$REPS"); do
    $TIME -o "$W/h$i.time" -f "%e %U %S" "$BIN" train $RUN --quiet --out "$W/h$i" >/dev/null
    echo "$(secs "$W/h$i") $(awk '{print $1, $2 + $3}' "$W/h$i.time")" >> "$W/headless"
    $TM new-session -d -s b -x 120 -y 36 \
        "$TIME -o $W/ui$i.time -f '%e %U %S' $BIN $RUN --runs $W/ui$i --history $W/hist --train --exit-when-done; touch $W/ui$i.done"
    while [ ! -e "$W/ui$i.done" ]; do sleep 0.2; done
    $TM kill-server 2>/dev/null || true
    d=$(ls -d "$W/ui$i"/*/ | head -1)
    echo "$(secs "$d") $(awk '{print $1, $2 + $3}' "$W/ui$i.time")" >> "$W/ui"
    printf '  rep %d: headless train %s s wall %s s cpu %s s | workbench train %s s wall %s s cpu %s s\n' "$i" \
        $(tail -1 "$W/headless") $(tail -1 "$W/ui")
done
col() { cut -d' ' -f"$2" "$1"; }
minof() { sort -n | head -1; }
pct() { echo "scale=4; ($2 / $1 - 1) * 100" | bc; }
h=$(col "$W/headless" 1 | minof); u=$(col "$W/ui" 1 | minof)
hw=$(col "$W/headless" 2 | minof); uw=$(col "$W/ui" 2 | minof)
hc=$(col "$W/headless" 3 | median); uc=$(col "$W/ui" 3 | median)
echo "GRU h$HIDDEN, $EPOCHS epochs, demo shop, 1 thread, $REPS runs each (load average: $(cut -d' ' -f1 /proc/loadavg)):"
echo "  CPU seconds (median):    headless $hc   workbench $uc   overhead $(pct "$hc" "$uc") %  (target <= 5 %)"
echo "  trainer seconds (min):   headless $h   workbench $u   overhead $(pct "$h" "$u") %"
echo "  process wall (min):      headless $hw   workbench $uw   overhead $(pct "$hw" "$uw") %"

# --- key latency while training
$TM new-session -d -s k -x 120 -y 36 \
    "CLICKSEQ_TUI_TRACE=$W/trace $BIN $RUN --epochs 1000 --runs $W/lat --history $W/hist --train"
sleep 2
for i in $(seq 1 100); do
    if [ $((i % 2)) = 0 ]; then $TM send-keys -t k Down; else $TM send-keys -t k Up; fi
    sleep 0.05
done
sleep 0.5
$TM send-keys -t k s; sleep 0.5; $TM send-keys -t k q; sleep 0.5
$TM kill-server 2>/dev/null || true
for kind in key_latency_us draw_us; do
    n=$(grep -c "^$kind " "$W/trace" || true)
    grep "^$kind " "$W/trace" | awk '{print $2}' | sort -n > "$W/$kind"
    p50=$(awk -v n="$n" 'NR==int(n*0.5)+1' "$W/$kind"); p95=$(awk -v n="$n" 'NR==int(n*0.95)+1' "$W/$kind")
    mx=$(tail -1 "$W/$kind")
    echo "$kind while training: n $n  median $p50  p95 $p95  max $mx  (microseconds; target key <= 50000)"
done
