#!/bin/sh
# tests/tui_watch.sh — the watch view (`clickseq --runs DIR --watch`) in tmux, watching
# runs that OTHER processes train: a headless `clickseq sweep` started beside the
# workbench appears in its runs list as running and its curves grow while the test
# watches (the epoch count on its row and the dots of its plots); stopped (SIGTERM), its
# run is saved and shows once, saved; a headless train killed with kill -9 turns stale;
# a second sweep runs to its end: each run shows once, saved (checked at every capture:
# no run ever listed twice), and no live record or temporary is left.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
simulate_shop "$T/shop.csv" --sessions 6000 --seed 5
R="$T/runs"
mkdir -p "$R"
TR="--data $T/shop.csv --hidden 8 --emb-type 4 --batch 32 --threads 1 --patience 0"

# the headless sweep: another process, started before the workbench opens
# (epochs 100000: it trains until the test stops it; 1000 could end on a fast machine
# before the workbench had drawn its first poll)
$WITH_SIGNALS "$CLICKSEQ" sweep $TR --epochs 100000 --cell gru,rnn --no-baselines --out "$R/sw" >"$T/sw.out" 2>"$T/sw.err" &
spid=$!
tui_start 160 48 "$CLICKSEQ --runs '$R' --watch --no-config --data '$T/shop.csv'"
expect_screen 'watch .*running' "--watch opens on the watch view" 20
expect_screen 'sw/gru[^ ]* +running' "the sweep's first run is listed as running" 30

# epoch N of the row of the run named by $1 on the last capture ("ep N/30")
row_epoch() { grep -E -- "$1" "$T/screen" | head -1 | sed -n 's/.*ep \([0-9]*\)\/.*/\1/p'; }
# braille dots drawn (the plots) on the last capture (they change as epochs arrive; once
# the x-axis spans more epochs than the plot has columns, points merge and the count can
# fall, so the test asks for more epochs on the row and a redrawn plot)
dots() { grep -o -P '[\x{2801}-\x{28FF}]' "$T/screen" | wc -l; }
# the runs list's rows on the last capture (a marker, the name, the state): the names
rows() { sed -n -E 's/^ (●|✗|✓) ([^ ]+) .*/\2/p' "$T/screen"; }
# every run row at most once on the last capture
no_twice() {
    d=$(rows | sort | uniq -d)
    [ -z "$d" ] || { bad "a run listed twice: $d"; sed 's/^/    | /' "$T/screen" | head -20; return 1; }
}

# watch_until_done TENTHS: capture (no run twice) until $spid ends or TENTHS x 0.1 s;
# returns its exit status
watch_until_done() {
    i=0
    while kill -0 "$spid" 2>/dev/null && [ "$i" -lt "$1" ]; do
        sleep 0.1; i=$((i + 1)); cap >"$T/screen"; no_twice || break
    done
    wait "$spid"
}

wait_for 'sw/gru[^ ]* +running +ep [1-9]' 30
e1=$(row_epoch 'sw/gru[^ ]* +running'); d1=$(dots)
grown=0; i=0
while [ "$i" -lt 60 ]; do
    sleep 0.5; i=$((i + 1))
    cap >"$T/screen"
    no_twice || break
    e2=$(row_epoch 'sw/gru[^ ]* +running'); d2=$(dots)
    if [ -n "$e2" ] && [ -n "$e1" ] && [ "$e2" -ge $((e1 + 2)) ] && [ "$d2" -ne "$d1" ]; then grown=1; break; fi
done
if [ "$grown" = 1 ]; then ok "its curves grow while watched (epoch $e1 -> $e2, $d1 -> $d2 dots)"
else bad "the curves did not grow (epoch $e1 -> ${e2:-?}, $d1 -> ${d2:-?} dots)"; sed 's/^/    | /' "$T/screen" | head -30; fi
expect_screen 'loss: sw/gru[^ ]* \(running\)' "the selected run's loss plot is the live one"
keys L
expect_screen 'runs library: .*● 1 training \(W watches\)' "the library's header marks the run training"
keys W
expect_screen 'watch .*1 running' "W in the library opens the watch view"

# the sweep stopped: its run is saved (interrupted) and replaces its record, once
kill -TERM "$spid"
watch_until_done 600; rc=$?
[ "$rc" = 143 ] && ok "the sweep stopped on SIGTERM (143)" || { bad "sweep exit $rc"; sed 's/^/    /' "$T/sw.err" | head; }
expect_screen '^ ✓ sw/gru[^ ]* +saved .*interrupted' "the stopped run shows as saved (interrupted)" 10
cap >"$T/screen"; no_twice && ok "no run listed twice while it was saved"

# a headless train killed with kill -9: stale, never running forever
"$CLICKSEQ" train $TR --quiet --epochs 100000 --out "$R/k" >/dev/null 2>&1 &
kpid=$!
expect_screen '^ ● k +running' "a headless train appears as running" 30
kill -9 "$kpid"; wait "$kpid" 2>/dev/null
expect_screen '^ ✗ k +stale .*writer gone' "kill -9: the run turns stale (writer gone)" 10

# a sweep that runs to its end (runs of several seconds each, 250 epochs: a run that
# starts and ends between two polls is never seen live; the library shows it): each run
# once, saved
"$CLICKSEQ" sweep $TR --epochs 250 --cell gru,rnn --no-baselines --out "$R/sw2" >"$T/sw2.out" 2>"$T/sw2.err" &
spid=$!
watch_until_done 1200; rc=$?
[ "$rc" = 0 ] && ok "the second sweep finished" || { bad "sweep exit $rc"; sed 's/^/    /' "$T/sw2.err" | head; }
expect_screen '^ ✓ sw2/rnn[^ ]* +saved' "its last run shows as saved" 10
cap >"$T/screen"
no_twice && ok "no run listed twice during the watch"
n=$(grep -c -E '^ ✓ sw2/(gru|rnn)[^ ]* +saved +ep 250/250' "$T/screen")
[ "$n" = 2 ] && ok "its 2 runs listed once each, saved with every epoch" || { bad "$n saved rows"; sed 's/^/    | /' "$T/screen" | head -12; }
left=$(ls -A "$R/sw" "$R/sw2" | grep -c -E '\.live$|\.tmp-') || true
[ "$left" = 0 ] && ok "no live record or temporary left in the sweeps' folders" || bad "$left left: $(ls -A "$R/sw" "$R/sw2")"
keys '?'
expect_screen 'stale +its writer is gone' "? shows the watch view's keys"
keys q
keys q
wait_for 'train' 5
finish
