#!/bin/sh
# tui_lifecycle.sh — the workbench never throws a run away (issue 9, items 3, 7, 12): q
# while training asks (stop and save / keep training / quit without saving); SIGTERM and a
# closed terminal (tmux kill-server: SIGHUP) save the run as interrupted with its finished
# epochs; a diverged run is kept and `:save` finds it; `:save` takes the names --name takes;
# data with one class is warned about before training.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"

RUNS="$T/runs"
cat > "$T/wrap.sh" <<WRAP
"$CLICKSEQ" --runs "$RUNS" --history "$T/history" --hidden 16 --threads 1 --batch 64 "\$@"
echo "EXITED rc=\$?"
WRAP
summary() { sed -n "s/^$1 = //p" "$2/summary.txt" 2>/dev/null; }
clickseq_pid() { pgrep -P "$($TMUX_CMD list-panes -t t -F '#{pane_pid}')" -x clickseq; }

# ---- q while training asks; k keeps training; s stops, saves and quits
tui_start 80 24 "sh $T/wrap.sh --epochs 400 --patience 0 --name asked --train"
expect_screen "epoch [2-9]/400|epoch [1-9][0-9]+/400" "training runs" 60
keys q
expect_screen "Quit\\?" "q while training opens the quit prompt"
expect_screen "s  stop it, save it" "it offers to stop and save"
expect_screen "k  keep training" "to keep training"
expect_screen "d  quit without saving" "and to quit without saving"
keys k
if wait_gone "Quit\\?" 10; then ok "k closes the prompt"; else bad "k did not close the prompt"; sed 's/^/    | /' "$T/screen"; fi
[ ! -e "$RUNS/asked" ] && ok "and training goes on (nothing saved yet)" || bad "the run was saved on k"
keys q
expect_screen "Quit\\?" "q again asks again"
keys s
expect_screen "EXITED rc=0" "s quits with status 0" 30
[ "$(summary status "$RUNS/asked")" = stopped ] && ok "s saved the run as stopped" \
    || bad "s: status '$(summary status "$RUNS/asked")'"
ep=$(summary epochs_run "$RUNS/asked")
[ "${ep:-0}" -ge 1 ] && ok "with its finished epochs ($ep)" || bad "s: $ep epochs"

# ---- d quits without saving the run
tui_respawn "sh $T/wrap.sh --epochs 400 --patience 0 --name dropped --train"
expect_screen "epoch [2-9]/400|epoch [1-9][0-9]+/400" "a second run trains" 60
keys q
expect_screen "Quit\\?" "the prompt again"
keys d
expect_screen "EXITED rc=0" "d quits" 30
[ ! -e "$RUNS/dropped" ] && ok "d did not save the run" || bad "d saved $RUNS/dropped"

# ---- SIGTERM while training: saved as interrupted, exit 143
$TMUX_CMD clear-history -t t
tui_respawn "sh $T/wrap.sh --epochs 400 --patience 0 --name termed --train"
expect_screen "epoch [2-9]/400|epoch [1-9][0-9]+/400" "a third run trains" 60
kill -TERM "$(clickseq_pid)"
expect_screen "EXITED rc=143" "SIGTERM: exit 143, the terminal restored" 30
[ "$(summary status "$RUNS/termed")" = interrupted ] && ok "SIGTERM: saved as interrupted" \
    || bad "SIGTERM: status '$(summary status "$RUNS/termed")'"

# ---- a closed terminal (the tmux server killed: SIGHUP) saves the run
tui_respawn "sh $T/wrap.sh --epochs 400 --patience 0 --name hungup --train"
# epoch 3 in progress: two finished (the progress line names the epoch being trained)
expect_screen "epoch [3-9]/400|epoch [1-9][0-9]+/400" "a fourth run trains" 60
pid=$(clickseq_pid)
$TMUX_CMD kill-server
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && bad "the workbench still runs after its terminal closed" \
    || ok "the workbench exits when its terminal closes"
[ "$(summary status "$RUNS/hungup")" = interrupted ] && ok "hangup: saved as interrupted" \
    || bad "hangup: status '$(summary status "$RUNS/hungup")'"
ep=$(summary epochs_run "$RUNS/hungup")
[ "${ep:-0}" -ge 2 ] && ok "hangup: with its finished epochs ($ep)" || bad "hangup: $ep epochs"
"$CLICKSEQ" eval --run "$RUNS/hungup" >/dev/null 2>&1 && ok "hangup: the run loads" || bad "hangup: eval fails"

# ---- a diverged run is kept, and :save finds it
"$CLICKSEQ" simulate --sessions 600 --seed 3 --out "$T/shop.csv" >/dev/null
tui_start 100 30 "sh $T/wrap.sh --data $T/shop.csv --view features --cell mlp --lr 10 --optim sgd \
    --momentum 0.9999 --clip 0 --epochs 30 --patience 0 --name div --train"
expect_screen "div diverged at epoch [0-9]+, batch [0-9]+: saved" "a diverged run is saved" 60
[ "$(summary status "$RUNS/div")" = diverged ] && ok "its status is diverged" \
    || bad "diverged: status '$(summary status "$RUNS/div")'"
keys : "save div-kept" Enter
expect_screen "saved .*/div-kept" ":save finds the diverged run"
[ "$(summary status "$RUNS/div-kept")" = diverged ] && ok "the copy is diverged too" || bad "no div-kept"

# ---- :save takes the names --name takes (never cut)
for bad_name in '*' '~' 'a/b' '$(x)' '.hidden' \
    'a-name-of-seventy-characters-is-refused-rather-than-cut-silently-000'; do
    keys : "save $bad_name" Enter
    expect_screen "save: .*(may hold only|must not start|too long)" ":save refuses '$bad_name'" 5
    [ ! -e "$RUNS/$bad_name" ] && ok "nothing saved as '$bad_name'" || bad "saved '$bad_name'"
done
ls "$RUNS" | grep -q '^a-name-of-seventy' && bad "a long name was cut and saved" || ok "no cut name saved"
keys q
expect_screen "EXITED rc=0" "q quits when nothing trains" 10

# ---- data with no positive session: a warning before training, t again trains
grep -v ',purchase,' "$T/shop.csv" > "$T/nopos.csv"
tui_respawn "sh $T/wrap.sh --data $T/nopos.csv --epochs 2"
expect_screen "no purchases found in nopos" "opens on data without purchases, and says so" 30
keys t
expect_screen "warning: nopos has no positive sessions" "t warns that the data has no positives"
if wait_for "epoch [0-9]+/2" 2; then bad "it trained without asking"; else ok "and does not train yet"; fi
keys t
expect_screen "epoch [0-9]+/2|nopos.*saved|done: saved" "t again trains anyway" 60
keys q
wait_for "Quit\\?" 2 && keys s   # if it still trains
expect_screen "EXITED rc=0" "and quits" 30
finish
