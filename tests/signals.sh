#!/bin/sh
# signals.sh — headless sweep, study and early stop cleanly on SIGINT, SIGTERM and SIGHUP
# (issue 9, item 7): the signal is sent once the first run is saved; the finished runs are
# kept, the run in progress is saved as interrupted, the tables of what finished are
# written, and the command exits 128 + the signal (130, 143, 129).
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
SHOP="$T/shop.csv"
simulate_shop "$SHOP" --sessions 1500 --seed 3
# the first run is short, the second long enough to be caught training (~40 s if not)
SW="--data $SHOP --hidden 16 --epochs 1,4000 --patience 0 --batch 64 --threads 1 --no-baselines"

# wait_file GLOB SECONDS: until a file matching GLOB exists (0) or the time is up (1)
wait_file() {
    i=0
    while [ "$i" -lt $(($2 * 10)) ]; do
        # shellcheck disable=SC2086
        for f in $1; do [ -e "$f" ] && return 0; done
        sleep 0.1; i=$((i + 1))
    done
    return 1
}
# stop_after GLOB SIG PID: send SIG once GLOB exists (and a moment more, so that the next
# run is training); then wait for PID (killed after 60 s: a hang fails the test)
stop_after() {
    wait_file "$1" "${STUDY_WAIT:-60}" || bad "no $1 within ${STUDY_WAIT:-60} s"
    sleep 0.5
    kill -"$2" "$3"
    i=0
    while kill -0 "$3" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    kill -0 "$3" 2>/dev/null && { bad "still running 60 s after SIG$2"; kill -9 "$3"; }
    wait "$3"
}

for case in INT:130 TERM:143 HUP:129; do
    sig=${case%%:*}; want=${case#*:}
    D="$T/sw-$sig"
    $WITH_SIGNALS "$C" sweep $SW --out "$D" >"$T/out" 2>"$T/err" &
    stop_after "$D/gru-e1-s1/summary.txt" "$sig" $!; rc=$?
    [ "$rc" = "$want" ] && ok "sweep: SIG$sig -> exit $want" || { bad "sweep: SIG$sig -> exit $rc"; sed 's/^/    /' "$T/err"; }
    expect_grep "^status = done" "$D/gru-e1-s1/summary.txt" "sweep SIG$sig: the finished run is kept (done)"
    expect_grep "^status = interrupted" "$D/gru-e4000-s1/summary.txt" "sweep SIG$sig: the run in progress is saved as interrupted"
    expect_grep "^gru,1,1,.*,done," "$D/runs.csv" "sweep SIG$sig: runs.csv has the finished run"
    expect_grep "^gru,4000,1,.*,interrupted," "$D/runs.csv" "sweep SIG$sig: runs.csv marks the interrupted one"
    expect_grep "^gru,1," "$D/results.csv" "sweep SIG$sig: results.csv has the finished run"
    expect_grep "interrupted by SIG$sig after 1 finished run; the run in progress is saved as interrupted in .*gru-e4000-s1" \
        "$T/err" "sweep SIG$sig: says what it kept"
    expect_exit 0 "sweep SIG$sig: the interrupted run opens" -- "$C" replay "$D/gru-e4000-s1"
done

# a signal ignored at start stays ignored (nohup): SIGHUP does nothing, SIGTERM still stops
D="$T/sw-nohup"
$WITH_SIGNALS sh -c 'trap "" HUP; exec "$@"' sh "$C" sweep $SW --out "$D" >"$T/out" 2>"$T/err" &
p=$!
wait_file "$D/gru-e1-s1/summary.txt" 60 || bad "nohup sweep: no first run within 60 s"
sleep 0.5
kill -HUP $p
sleep 1
kill -0 $p 2>/dev/null && ok "nohup sweep: an ignored SIGHUP does not stop it" || bad "nohup sweep: SIGHUP stopped it"
stop_after "$D/gru-e1-s1/summary.txt" TERM $p; rc=$?
[ "$rc" = 143 ] && ok "nohup sweep: SIGTERM -> exit 143" || bad "nohup sweep: SIGTERM -> exit $rc"

# the study: its runs are under OUT/runs; tables in OUT/study.md
# seeds 2: the second GRU is training when the first is saved
# (a sanitizer build on a loaded machine is ~20x slower: fewer epochs, a longer wait)
ep=1500; wait_s=60
sanitized && { ep=300; wait_s=300; }
ST="--data $SHOP --cells gru --lens 10 --no-features --epochs $ep --patience 0 --batch 64 --seeds 2 --threads 1"
$WITH_SIGNALS "$C" study $ST --out "$T/st" >"$T/out" 2>"$T/err" &
STUDY_WAIT=$wait_s stop_after "$T/st/runs/len10-gru-compat-s1/summary.txt" TERM $!; rc=$?
[ "$rc" = 143 ] && ok "study: SIGTERM -> exit 143" || { bad "study: SIGTERM -> exit $rc"; sed 's/^/    /' "$T/err"; }
expect_grep "^status = done" "$T/st/runs/len10-gru-compat-s1/summary.txt" "study: the finished run is kept"
expect_grep "^status = interrupted" "$T/st/runs/len10-gru-compat-s2/summary.txt" "study: the run in progress is saved as interrupted"
expect_grep "len10-gru-compat-s1" "$T/st/runs.csv" "study: runs.csv holds the runs so far"
[ -s "$T/st/study.md" ] && ok "study: study.md is written" || bad "study: no study.md"
expect_grep "study interrupted by SIGTERM" "$T/err" "study: says so"

# early: stopped between prefix lengths; nothing written (the curve would be incomplete)
simulate_shop "$T/big.csv" --sessions 20000 --seed 4
R="$T/sw-INT/gru-e1-s1"
$WITH_SIGNALS "$C" early --run "$R" --data "$T/big.csv" --k 1..5000 --all --out "$T/early.csv" >"$T/out" 2>"$T/err" &
p=$!
sleep 1
kill -INT $p
i=0; while kill -0 $p 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $p 2>/dev/null && { bad "early still running 30 s after SIGINT"; kill -9 $p; }
wait $p; rc=$?
[ "$rc" = 130 ] && ok "early: SIGINT -> exit 130" || { bad "early: SIGINT -> exit $rc"; sed 's/^/    /' "$T/err"; }
[ -e "$T/early.csv" ] && bad "early wrote a partial curve" || ok "early: nothing written"
expect_grep "early interrupted by SIGINT: nothing written" "$T/err" "early: says so"
finish
