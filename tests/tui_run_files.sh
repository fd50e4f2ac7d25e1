#!/bin/sh
# tui_run_files.sh — the workbench opens when a run under --runs holds a FIFO as
# summary.txt (issue 9, item 6: it used to hang before its screen opened); the run is
# skipped with a message and the good run is listed.  A sweep folder whose runs.csv is a
# FIFO: its rows open in compare with a message, not a hang.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
RUNS="$T/runs"
mkdir "$RUNS"
cp -r "$SRCDIR/tests/fixtures/runs/seq" "$RUNS/good-run"
cp -r "$SRCDIR/tests/fixtures/runs/seq" "$RUNS/fifo-run"
chmod -R u+w "$RUNS"
rm "$RUNS/fifo-run/summary.txt"
mkfifo "$RUNS/fifo-run/summary.txt"
# a sweep folder: a real results.csv, a FIFO as runs.csv
"$CLICKSEQ" sweep --data "$SRCDIR/data/demo-shop.csv" --hidden 4 --epochs 1 --threads 1 --no-baselines \
    --out "$RUNS/sweep-1" >/dev/null 2>&1 || bad "the sweep the test needs failed"
rm "$RUNS/sweep-1/runs.csv"
mkfifo "$RUNS/sweep-1/runs.csv"
tui_start 120 30 "$CLICKSEQ --runs $RUNS --data $SRCDIR/data/demo-shop.csv"
expect_screen "1 damaged run in .* skipped" "the screen opens and says a damaged run was skipped" 30
expect_screen "good-run" "the good run is listed"
grep -q "fifo-run" "$T/screen" && bad "the FIFO run is listed" || ok "the FIFO run is not listed"
keys L
expect_screen "not a regular file" "the library names the FIFO"
keys Escape
wait_gone "not a regular file \(a FIFO\)" 5
keys ':sweeps' Enter
expect_screen "gru" "the sweep view lists the sweep's rows"
keys c
expect_screen "runs.csv: not a regular file \(a FIFO\)" "c on a sweep with a FIFO runs.csv says so"
keys Escape
keys q
i=0; while [ "$(pane_dead)" != 1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(pane_dead)" = 1 ] && ok "q quits" || bad "q did not quit"
finish
