#!/bin/sh
# lifecycle.sh — no run is ever lost (issue 9, items 3, 7, 8, 11): a diverged run is saved
# with its finished epochs (status diverged, exit 1, eval/replay/compare open it) and a
# sweep goes on past it; SIGINT/SIGTERM/SIGHUP save a headless run as interrupted and exit
# 130/143/129; concurrent trains with the same automatic name all keep their runs; a sweep
# whose disk fills up for one run goes on and writes the tables of the others.
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
"$C" simulate --sessions 600 --seed 3 --out "$T/shop.csv" >/dev/null || { bad "simulate"; finish; exit 1; }
# features view + MLP with a huge SGD step diverges (loss NaN) after some finished epochs
DIV="--data $T/shop.csv --view features --cell mlp --lr 10 --optim sgd --momentum 0.9999 --clip 0 --epochs 30 --patience 0 --threads 1"
summary() { sed -n "s/^$1 = //p" "$2/summary.txt"; }

# ---- 3: divergence
expect_exit 1 "a diverged train exits 1" -- "$C" train $DIV --quiet --out "$T/div"
expect_grep 'diverged at epoch [0-9]+, batch [0-9]+' "$T/err" "the message names the epoch and batch"
expect_grep "saved in $T/div \\(status diverged" "$T/err" "the message says where the run is"
if [ -f "$T/div/summary.txt" ]; then
    [ "$(summary status "$T/div")" = diverged ] && ok "summary.txt: status = diverged" \
        || bad "summary.txt status is '$(summary status "$T/div")'"
    ep=$(summary epochs_run "$T/div")
    rows=$(($(wc -l <"$T/div/history.csv") - 1))
    [ "$ep" -ge 1 ] && [ "$rows" = "$ep" ] && ok "every finished epoch is kept ($ep)" \
        || bad "epochs_run $ep, history rows $rows"
else
    bad "no run directory after divergence"
fi
expect_exit 0 "eval opens the diverged run" -- "$C" eval --run "$T/div"
expect_exit 0 "replay opens the diverged run" -- "$C" replay "$T/div"
expect_grep 'diverged' "$T/out" "replay says it diverged"
expect_exit 0 "compare opens the diverged run" -- "$C" compare "$T/div" "$T/div"

# a sweep reports the diverged run, keeps it, and goes on
expect_exit 0 "a sweep with a diverging run completes" -- "$C" sweep $DIV --lr 10,1e-3 --no-baselines --out "$T/sw"
expect_grep 'mlp-lr10-s1: failed: training diverged at epoch' "$T/err" "the sweep reports the divergence"
expect_grep 'mlp-lr1e-3-s1: test F1' "$T/err" "the sweep goes on to the next run"
expect_grep '^mlp,10,1,.*mlp-lr10-s1,diverged,' "$T/sw/runs.csv" "runs.csv marks the diverged run"
expect_grep 'mlp 10 seed 1: \*\*diverged\*\*' "$T/sw/results.md" "results.md names it"
[ "$(summary status "$T/sw/mlp-lr10-s1" 2>/dev/null)" = diverged ] && ok "the sweep saved the diverged run" \
    || bad "the sweep's diverged run is not saved"

# ---- 7: signals save a headless run as interrupted and exit 128 + signal
SLOW="--data $SRCDIR/data/demo-shop.csv --epochs 400 --patience 0 --hidden 16 --batch 64 --threads 1"
for sig in INT:130 TERM:143 HUP:129; do
    name=${sig%%:*}; want=${sig##*:}
    d="$T/sig-$name"
    e="$T/sig-$name.err"   # one file per signal: a stale one would be read before the new run writes
    $WITH_SIGNALS "$C" train $SLOW --out "$d" >"$T/sig-$name.out" 2>"$e" &
    pid=$!
    n=0   # wait for two finished epochs (up to 60 s on a loaded machine)
    while [ $n -lt 600 ] && ! grep -q '^epoch 2/' "$e" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
    kill -"$name" $pid
    wait $pid; got=$?
    [ "$got" = "$want" ] && ok "SIG$name: exit $want" || bad "SIG$name: exit $got, wanted $want"
    if [ -f "$d/summary.txt" ]; then
        st=$(summary status "$d"); ep=$(summary epochs_run "$d")
        [ "$st" = interrupted ] && [ "$ep" -ge 2 ] && ok "SIG$name: saved as interrupted with $ep epochs" \
            || bad "SIG$name: status '$st', $ep epochs"
        "$C" eval --run "$d" >/dev/null 2>&1 && ok "SIG$name: the run loads" || bad "SIG$name: eval fails"
    else
        bad "SIG$name: no run saved"; sed 's/^/    /' "$e" | tail -3
    fi
    grep -q "interrupted by SIG$name" "$e" && ok "SIG$name: says so" || bad "SIG$name: no message"
done

# ---- 8: concurrent trains, one automatic name, one runs directory: no run lost
mkdir -p "$T/c"
N=12
i=0
while [ $i -lt $N ]; do
    i=$((i + 1))
    (cd "$T/c" && "$C" train --data "$T/shop.csv" --epochs 1 --hidden 4 --batch 64 --threads 1 \
        --quiet --name same >"$T/c/out.$i" 2>"$T/c/err.$i"; echo $? >"$T/c/rc.$i") &
done
wait
nfail=0
for i in $(seq 1 $N); do [ "$(cat "$T/c/rc.$i")" = 0 ] || { nfail=$((nfail + 1)); head -1 "$T/c/err.$i"; }; done
[ $nfail -eq 0 ] && ok "all $N concurrent trains succeed" || bad "$nfail of $N concurrent trains failed"
runs=$(ls "$T/c/runs" | grep -c '^same-') || true
[ "$runs" = $N ] && ok "$N runs saved under distinct names" || bad "$runs runs saved, wanted $N"
bad_runs=0
for d in "$T"/c/runs/same-*; do "$C" eval --run "$d" >/dev/null 2>&1 || bad_runs=$((bad_runs + 1)); done
[ $bad_runs -eq 0 ] && ok "every concurrent run is complete" || bad "$bad_runs damaged runs"

# ---- 11: the disk fills up while one sweep run is saved (a 512 KiB tmpfs in a private
# mount namespace: the h256 model does not fit, the small ones do)
if unshare -r -m true 2>/dev/null || unshare -m true 2>/dev/null; then
    U="unshare -m"; unshare -m true 2>/dev/null || U="unshare -r -m"
    mkdir -p "$T/mnt"
    $U sh -c "mount -t tmpfs -o size=512k none '$T/mnt' && '$C' sweep --data '$T/shop.csv' \
        --hidden 8,256,4 --epochs 1 --batch 64 --threads 1 --no-baselines --out '$T/mnt/sw' \
        >'$T/full.out' 2>'$T/full.err'; echo \$? >'$T/full.rc'; cp -r '$T/mnt/sw' '$T/full'" \
        || bad "could not mount a tmpfs"
    [ "$(cat "$T/full.rc" 2>/dev/null)" = 1 ] && ok "disk full: the sweep exits 1" \
        || bad "disk full: exit $(cat "$T/full.rc" 2>/dev/null)"
    expect_grep 'gru-h4-s1: test F1' "$T/full.err" "disk full: the sweep goes on after the failed run"
    expect_grep 'gru-h256-s1: failed: not saved: .*No space left' "$T/full.err" "disk full: the failure is reported"
    for f in results.csv results.md runs.csv; do
        [ -s "$T/full/$f" ] && ok "disk full: $f written" || bad "disk full: no $f"
    done
    expect_grep '^gru,256,1,.*,unsaved,' "$T/full/runs.csv" "disk full: runs.csv marks the unsaved run"
    expect_grep '^gru,4,1,.*gru-h4-s1,done,' "$T/full/runs.csv" "disk full: runs.csv has the later run"
    expect_grep '^gru,8,1,[0-9]' "$T/full/results.csv" "disk full: results.csv has the finished runs"
    expect_grep 'gru 256 seed 1: \*\*unsaved\*\*' "$T/full/results.md" "disk full: results.md names it"
else
    echo "# no mount namespace here: the disk-full sweep is covered by test_sweep_run (a run whose save fails)"
fi
finish
