#!/bin/sh
# tests/live_record.sh — the live record of a run in training (live.h, app/livewrite.c):
# headless train and every run of a sweep keep DIR/.NAME.live while they train (the
# writer's pid, state running, the history growing epoch by epoch), the saved run
# replaces it (none left, the run complete), a failed start leaves none, and a kill -9
# leaves it with the dead writer's pid (the workbench shows it stale: tui_watch.sh); with
# MPI, both ranks of a distributed sweep write the records of their own runs at once.
. "$SRCDIR/tests/lib.sh"
simulate_shop "$T/shop.csv" --sessions 6000 --seed 3
TR="--data $T/shop.csv --hidden 8 --emb-type 4 --batch 32 --threads 1 --patience 0"

# wait_rec FILE REGEX SECONDS: poll FILE until REGEX matches (0) or time is up
wait_rec() {
    i=0
    while [ "$i" -lt $(($3 * 20)) ]; do
        [ -f "$1" ] && grep -q -E -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

mkdir -p "$T/runs"
$WITH_SIGNALS "$CLICKSEQ" train $TR --quiet --epochs 1000 --out "$T/runs/a" >/dev/null 2>"$T/a.err" &
pid=$!
rec="$T/runs/.a.live"
if wait_rec "$rec" '^state = (loading|running)$' 20; then ok "train writes its live record beside the run"; else bad "no live record $rec"; fi
expect_grep "^pid = $pid\$" "$rec" "the record names the writer's pid"
expect_grep '^run = a$' "$rec" "the record names its run"
expect_grep '^desc = gru h8 ' "$rec" "the record describes the configuration"
if wait_rec "$rec" '^history = [2-9]' 30; then ok "the record's history grows epoch by epoch"; else bad "history did not grow"; cat "$rec" | head -20; fi
hb1=$(sed -n 's/^heartbeat = //p' "$rec")
sleep 2.5
hb2=$(sed -n 's/^heartbeat = //p' "$rec")
if [ -n "$hb1" ] && awk -v a="$hb1" -v b="$hb2" 'BEGIN { exit !(b > a) }'; then ok "the heartbeat moves ($hb1 -> $hb2)"; else bad "heartbeat stuck ($hb1 -> $hb2)"; fi
kill -TERM "$pid"   # stop + save as interrupted
wait "$pid"; rc=$?
[ "$rc" = 143 ] && ok "SIGTERM: exit 143" || bad "SIGTERM: exit $rc"
if [ -f "$T/runs/a/summary.txt" ] && [ ! -e "$rec" ]; then ok "the saved run replaced its live record"; else bad "after the save: $(ls -A "$T/runs")"; fi

# a start that fails (no data) leaves no record behind
"$CLICKSEQ" train --data "$T/missing.csv" --out "$T/runs/b" >/dev/null 2>&1
if [ ! -e "$T/runs/.b.live" ] && [ ! -e "$T/runs/b" ]; then ok "a failed start leaves no live record"; else bad "failed start left $(ls -A "$T/runs")"; fi

# kill -9: the record stays, naming a pid that no longer exists
"$CLICKSEQ" train $TR --quiet --epochs 1000 --out "$T/runs/k" >/dev/null 2>&1 &
kpid=$!
if wait_rec "$T/runs/.k.live" '^history = [1-9]' 30; then
    kill -9 "$kpid"; wait "$kpid" 2>/dev/null
    if grep -q "^pid = $kpid\$" "$T/runs/.k.live" && ! kill -0 "$kpid" 2>/dev/null && [ ! -e "$T/runs/k" ]; then
        ok "kill -9 leaves the record with the dead writer's pid and no run"
    else bad "after kill -9: $(ls -A "$T/runs")"; fi
else bad "no record for the run to kill"; kill -9 "$kpid" 2>/dev/null; fi

# a sweep: each run has its record while it trains; none is left, every run saved
"$CLICKSEQ" sweep $TR --epochs 6 --cell rnn,gru --hidden 8,12 --no-baselines --out "$T/sw" >"$T/sw.out" 2>"$T/sw.err" &
spid=$!
seen=""
i=0
while kill -0 "$spid" 2>/dev/null && [ "$i" -lt 1200 ]; do
    for f in "$T"/sw/.*.live; do
        [ -f "$f" ] || continue
        n=$(sed -n 's/^run = //p' "$f" 2>/dev/null)
        case " $seen " in *" $n "*) ;; *) [ -n "$n" ] && seen="$seen $n" ;; esac
    done
    sleep 0.05; i=$((i + 1))
done
wait "$spid"; rc=$?
[ "$rc" = 0 ] && ok "the sweep ran" || { bad "sweep exit $rc"; sed 's/^/    /' "$T/sw.err" | head; }
nseen=$(echo $seen | wc -w)
if [ "$nseen" -ge 3 ]; then ok "the sweep's runs had live records ($seen)"; else bad "only $nseen live records seen: $seen"; fi
left=$(ls -A "$T/sw" | grep -c '\.live$') || true
nruns=$(ls "$T/sw" | grep -c -E '^(rnn|gru)') || true
if [ "$left" = 0 ] && [ "$nruns" = 4 ]; then ok "no record left after the sweep, 4 runs saved"; else bad "left $left records, $nruns runs: $(ls -A "$T/sw")"; fi

# a distributed sweep (built with MPI): every rank keeps the record of the run it trains,
# each naming its own pid; none is left when the sweep ends
if [ "${HAVE_MPI:-no}" = yes ]; then
    MPIRUN=${MPIRUN:-$(command -v mpirun)}
    mpi_run 2 "$CLICKSEQ" sweep $TR --epochs 400 --cell gru,rnn --no-baselines --out "$T/mw" >"$T/mw.out" 2>"$T/mw.err" &
    mpid=$!
    both=0; i=0
    while kill -0 "$mpid" 2>/dev/null && [ "$i" -lt 1200 ]; do
        pids=$(cat "$T"/mw/.*.live 2>/dev/null | sed -n 's/^pid = //p' | sort -u | wc -l)
        [ "$pids" -ge 2 ] && { both=1; break; }
        sleep 0.05; i=$((i + 1))
    done
    wait "$mpid"; rc=$?
    [ "$rc" = 0 ] || { bad "mpirun -np 2 sweep: exit $rc"; sed 's/^/    /' "$T/mw.err" | head; }
    [ "$both" = 1 ] && ok "mpirun -np 2 sweep: both ranks' runs have live records at once, two writers" \
                    || bad "never saw two ranks' records at once: $(ls -A "$T/mw" 2>&1)"
    left=$(ls -A "$T/mw" | grep -c '\.live$') || true
    [ "$left" = 0 ] && ok "no record left after the distributed sweep" || bad "$left records left"
fi
finish
