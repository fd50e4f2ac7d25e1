#!/bin/sh
# tui_workbench.sh — the workbench end to end in tmux: open on the demo, change the cell
# type and hidden size (and see a bad value refused), train and watch the loss curve and
# the confusion matrix appear and change, stop a run, save, compare two runs, replay one,
# the ':' command line with tab completion and history, a sweep and its results table,
# early prediction (and its refusal for a features-view run), resize, quit with the
# terminal restored.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"

RUNS="$T/runs"
HIST="$T/history"
# The wrapper records the terminal modes before and after, so "restored" is checked.
cat > "$T/wrap.sh" <<WRAP
before=\$(stty -g)
"$CLICKSEQ" --runs "$RUNS" --history "$HIST" --epochs 30 --patience 0 --hidden 16 --threads 1 --batch 64 "\$@"
rc=\$?
after=\$(stty -g)
[ "\$before" = "\$after" ] && echo "TERMINAL-RESTORED rc=\$rc" || echo "TERMINAL-BROKEN rc=\$rc"
WRAP
tui_start 80 24 "sh $T/wrap.sh"

# --- opens on the demo
expect_screen "t trains, \? shows the keys" "opens on the demo data"
expect_screen "┌ Model" "the form is drawn (box drawing, UTF-8)"
expect_screen "cell +\[gru\]" "the cell starts as GRU"

# --- change the cell type with the arrow keys, the hidden size with Enter
keys Right
expect_screen "cell +\[lstm\]" "Right cycles the cell to LSTM"
keys Down Down Enter BSpace BSpace 0 Enter
expect_screen "refused: hidden: 0 is out of range" "an invalid hidden size is refused with a message"
keys Enter BSpace BSpace BSpace 2 4 Enter
expect_screen "hidden +24 " "hidden size set to 24"
expect_screen "hidden = 24" "the change is confirmed"

# --- train: the curve and the confusion matrix appear, then change
keys t
expect_screen "epoch [1-9]/30" "training starts (progress line)"
expect_screen "actual \+ +[0-9]+ +[0-9]+" "the confusion matrix appears" 10
grep -E "actual \+" "$T/screen" > "$T/cm1"
grep -o "epoch [0-9]*/30" "$T/screen" | head -1 > "$T/ep1"
if grep -q -P '[\x{2801}-\x{28FF}]' "$T/screen"; then ok "the loss curve is drawn in braille"; else bad "no braille curve"; fi
wait_for "done: saved" 20
grep -E "actual \+" "$T/screen" > "$T/cm2"
if ! cmp -s "$T/cm1" "$T/cm2"; then ok "the confusion matrix changed while training"; else bad "the confusion matrix did not change"; cat "$T/cm1"; fi
expect_screen "lstm-h24 done: saved" "the finished run is saved"
[ -f "$RUNS/lstm-h24/history.csv" ] && ok "the run directory holds history.csv" || bad "no $RUNS/lstm-h24/history.csv"
n=$(($(wc -l < "$RUNS/lstm-h24/history.csv") - 1))
[ "$n" = 30 ] && ok "history.csv has 30 epochs" || bad "history.csv has $n epochs"

# --- save under a name from the command line
keys : "save best-lstm" Enter
expect_screen "saved .*/best-lstm \(renamed from lstm-h24, no copy\)" ":save NAME renames the last run"
[ -f "$RUNS/best-lstm/history.csv" ] && [ ! -e "$RUNS/lstm-h24" ] && ok "renamed, not copied" || bad "best-lstm / lstm-h24"
grep -q "^name = best-lstm$" "$RUNS/best-lstm/config.txt" && ok "its config.txt has the new name" || bad "config.txt keeps the old name"

# --- stop a second run (GRU) while it trains
keys Up Up Left
expect_screen "cell +\[gru\]" "back to GRU"
keys t
expect_screen "epoch [2-9]/30" "the second run trains" 10
keys p
expect_screen "epoch [0-9]+/30 .* paused" "p pauses the run"
cap > "$T/p1"; sleep 0.6; cap > "$T/p2"
cmp -s "$T/p1" "$T/p2" && ok "nothing moves while paused" || bad "the screen changed while paused"
keys p
expect_screen "resumed" "p again resumes"
keys s
expect_screen "gru-h24 stopped: saved" "stop ends the run and saves what was trained"
grep -q "^stopped = 1" "$RUNS/gru-h24/summary.txt" && ok "the stopped run is marked stopped" || bad "stopped flag"


# --- :load another file (a features table), then back to the demo
SHOP="$SRCDIR/../shared/data/online_shoppers_intention/online_shoppers_intention.csv"
if [ -f "$SHOP" ]; then
    keys : "load $SHOP features" Enter
    expect_screen "loaded online_shoppers_intention: [0-9]+ sessions" ":load reads a features table"
    keys : "load $SRCDIR/data/demo-shop.csv rees46" Enter
    expect_screen "loaded demo-shop" ":load back to the demo"
    keys : "set view sequence" Enter
else
    echo "# skipped :load of the shared data (absent)"
fi
keys : "load /nonexistent.csv" Enter
expect_screen "/nonexistent.csv.*(No such file|cannot)" ":load of a missing file is refused with a message"

# --- the command line: completion of commands, parameters and values; history
keys : s Tab
expect_screen "save +save-settings +set +speed +step +stop +sweep" "an ambiguous prefix lists the commands"
keys e Tab h i d Tab
expect_screen "^:set hidden *$" "Tab completes the command and the parameter name"
keys 3 2 Enter
expect_screen "hidden = 32" ":set hidden 32 applied"
keys : "set cell " Tab
expect_screen "gru +logreg +lstm +mlp +rnn" "Tab lists the cell types"
keys Escape
keys : "load $SRCDIR/data/demo-sh" Tab
expect_screen "^:load .*/data/demo-shop.csv *$" "Tab completes file names"
keys Escape
keys : "set lr 0.5" C-c
wait_for "t train" 5 && ! grep -q "^:set lr" "$T/screen" && ok "^C cancels the command line" || bad "^C in the command line"
keys : "set dropout 2" Enter
expect_screen "dropout: 2 is out of range" ":set refuses an out-of-range value"

# --- compare the two runs: mark them in the runs list
keys Tab
keys Space Down Space
expect_screen "2 run\(s\) marked" "two runs marked"
keys c
expect_screen "compare: " "the compare view opens"
expect_screen "loss \(train solid, validation dotted\) by epoch" "train and validation loss drawn together"
if grep -q "●" "$T/screen" && grep -q "▲" "$T/screen"; then ok "runs have distinct markers"; else bad "markers"; fi
keys p   # at 80x24 the parameters take the plot's place
expect_screen "Parameters that differ" "p shows the parameters that differ"
expect_screen "│ cell +(gru|lstm) +(gru|lstm)" "the differing cell type is listed with both values"
keys p
keys m
expect_screen "validation loss by epoch" "m switches the compared metric (validation loss)"
keys m
expect_screen "train loss by epoch" "then train loss"
keys m
expect_screen "F1 \(validation\)" "and on to F1"

# --- replay one run (r replays the first compared run; :replay names one)
keys r
expect_screen "replay: " "r opens the replay view"
keys : "replay best-lstm 2" Enter
expect_screen "replay: best-lstm" ":replay RUN SPEED opens a run"
wait_for "epoch [1-9]/" 10
e1=$(grep -o "epoch [0-9]*/" "$T/screen" | head -1)
sleep 1
cap > "$T/screen"
e2=$(grep -o "epoch [0-9]*/" "$T/screen" | head -1)
[ "$e1" != "$e2" ] && ok "replay advances ($e1 -> $e2)" || bad "replay did not advance ($e1)"
keys Space
expect_screen "paused" "space pauses the replay"
keys +
expect_screen "4 epochs/s" "+ doubles the speed"
keys : "step -2" Enter
wait_for "epoch [0-9]+/30" 5
e3=$(grep -o "epoch [0-9]*/30" "$T/screen" | head -1)
keys : "step 5" Enter
sleep 0.3; cap > "$T/screen"
e4=$(grep -o "epoch [0-9]*/30" "$T/screen" | head -1)
[ "${e3#epoch }" != "${e4#epoch }" ] && ok ":step moves the replay ($e3 -> $e4)" || bad ":step did not move ($e3)"
keys : "speed 8" Enter
expect_screen "8 epochs/s" ":speed sets the speed"
keys q
expect_screen "compare: 2 groups, 2 runs" "q in a replay opened from compare returns to compare"
keys q
expect_screen "┌ Model" "q again returns to the main screen"

# --- a sweep queues the grid, runs it in turn and writes its results table
keys : "sweep cell=rnn,gru epochs=2,3" Enter
expect_screen "sweep: 4 runs queued|sweep done \(4/4 runs\)" ":sweep queues the grid (or, on a fast machine, has already run it)"
expect_screen "sweep done \(4/4 runs\): table sweep-[0-9-]+/results.md" "the finished sweep names its table" 30
n=$(ls "$RUNS" | grep -c "^rnn-e[23]-s1$\|^gru-e[23]-s1$")
[ "$n" = 4 ] && ok "the 4 sweep runs were saved" || bad "$n sweep runs saved: $(ls "$RUNS" | tr '\n' ' ')"
MD=$(ls "$RUNS"/sweep-*/results.md 2>/dev/null | head -1)
if [ -f "$MD" ] && grep -q "^| rnn | 2 |" "$MD" && grep -q "^| gru | 3 |" "$MD" && grep -q "±" "$MD"; then
    ok "results.md has a row per configuration (rnn, gru x epochs) with mean ± std"
else
    bad "results.md: $MD"; cat "$MD" 2>/dev/null
fi
CSV="${MD%.md}.csv"
BASE='majority\|has-cart\|(baseline)'
[ -f "$CSV" ] && [ "$(grep -vc "$BASE" "$CSV")" = 5 ] && head -1 "$CSV" | grep -q "f1_mean" && ok "results.csv: 4 configurations" || bad "results.csv: $CSV"
[ "$(grep -vc "$BASE" "${MD%/results.md}/runs.csv")" = 5 ] && ok "runs.csv: one line per run" || bad "runs.csv"
# the baselines are in the table exactly as `clickseq sweep` puts them there: the same grid
# on the same settings headless gives the same rows and metrics (all but the seconds)
grep -q "^| majority | - |" "$MD" && grep -q "^| logreg (baseline) | - |" "$MD" && ok "results.md has the baseline rows" || bad "no baselines in $MD"
"$CLICKSEQ" sweep --data "$SRCDIR/data/demo-shop.csv" --out "$T/headless" --cell rnn,gru --epochs 2,3 \
    --hidden 32 --patience 0 --threads 1 --batch 64 > /dev/null 2>&1 || bad "clickseq sweep failed"
nosecs() { awk -F, 'NR==1{for(i=1;i<=NF;i++) k[i]=($i !~ /^seconds/)} {o=""; for(i=1;i<=NF;i++) if(k[i]) o=o (o==""?"":",") $i; print o}' "$1"; }
nosecs "$CSV" > "$T/wb.csv"; nosecs "$T/headless/results.csv" > "$T/hl.csv"
cmp -s "$T/wb.csv" "$T/hl.csv" && ok "the workbench's table equals clickseq sweep's (baselines included)" || { bad "the workbench's table differs from clickseq sweep's"; diff "$T/wb.csv" "$T/hl.csv" | head; }
keys : "compare rnn-e2-s1 gru-e3-s1" Enter
expect_screen ". rnn-e2-s1 \(1\) +. gru-e3-s1 \(1\)" "the compare view opens the sweep's runs by name"

# --- early prediction: F1 / PR-AUC against k for a saved sequence run
keys : "early gru-e3-s1 10" Enter
expect_screen "k \(events seen\) 10" ":early RUN K plots against k (events seen)" 20
expect_screen "early prediction: gru-e3-s1" "the early view names the run"
expect_screen "● F1 ▲ PR-AUC" "with both series in its legend"
expect_screen "│ +1 +[0-9]+ +[0-9.]+ +[0-9.]+│" "and the sessions at k = 1"
keys Escape
expect_screen "compare: 2 groups, 2 runs" "Esc leaves the early view, back to the compare it came from"
keys Escape
expect_screen "┌ Model" "and Esc again to the main screen"
keys e
expect_screen "k \(events seen\) 20" "e shows the selected run's early view (k = 1..20)" 20
keys q
expect_screen "┌ Model" "q leaves the early view"
keys : "set view features" Enter : "set epochs 2" Enter t
expect_screen "gru-h32 done: saved" "a features-view run trains" 20
keys : "early gru-h32" Enter
expect_screen "gru-h32 is a features-view run" ":early on a features-view run says why not"
keys : "set view sequence" Enter

# --- help overlay
keys '?'
expect_screen "Press any key to close" "? shows the help"
keys x
wait_for "┌ Model" 5 && ! grep -q "Press any key" "$T/screen" && ok "any key closes the help" || bad "help did not close"

# --- resize: the wide layout appears
$TMUX_CMD resize-window -t t -x 160 -y 48
expect_screen "F1 / PR-AUC \(validation\)" "at 160x48 the metrics pane is shown"
expect_screen "┌ Data" "and the data summary"
$TMUX_CMD resize-window -t t -x 80 -y 24
expect_screen "Loss \(v: metrics, data\)" "back at 80x24 the panes collapse"

# --- quit restores the terminal
keys q
expect_screen "TERMINAL-RESTORED rc=0" "q quits with status 0 and the terminal restored"
grep -q "set hidden 32" "$HIST" && ok "the command history was saved" || bad "no history in $HIST"
$TMUX_CMD clear-history -t t

# --- SIGTERM while training, monochrome: the terminal is restored too
tui_respawn "NO_COLOR=1 sh $T/wrap.sh --train --epochs 50"
expect_screen "epoch [0-9]+/50" "NO_COLOR: the workbench runs and trains"
pid=$($TMUX_CMD list-panes -t t -F '#{pane_pid}')
pkill -TERM -P "$pid" -x clickseq 2>/dev/null || kill -TERM $(pgrep -P "$pid") 2>/dev/null
expect_screen "TERMINAL-RESTORED rc=143" "SIGTERM quits with status 143 (the run saved) and the terminal restored"
finish
