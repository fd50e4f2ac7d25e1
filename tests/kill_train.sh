#!/bin/sh
# kill_train.sh — SIGKILL `clickseq train` at random moments (many near the end, where
# the run is saved) and check that every run directory left behind is complete: it loads,
# its model checksum verifies (eval), its history replays.  Temporaries are hidden
# (.NAME.tmp-*) and ignored by listings; nothing else may be left half-written.
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
"$C" simulate --sessions 800 --seed 4 --out "$T/shop.csv" >/dev/null || { bad "simulate"; finish; exit 1; }
TR="--data $T/shop.csv --epochs 3 --hidden 8 --emb-type 4 --batch 32 --threads 1 --quiet"
mkdir -p "$T/runs"

now() { date +%s.%N; }
t0=$(now)
"$C" train $TR --out "$T/runs/full" >/dev/null 2>&1 || bad "an uninterrupted run"
D=$(echo "$t0 $(now)" | awk '{print $2 - $1}')
echo "# an uninterrupted run takes ${D}s"

i=0
while [ $i -lt 12 ]; do
    i=$((i + 1))
    # half the kills anywhere in the run, half in its last part (loading the data and
    # training take most of it; the save is at the very end)
    delay=$(awk -v d="$D" -v i="$i" -v s="$$" 'BEGIN {srand(s * 100 + i); r = rand();
        print (i % 2) ? r * d : d * (0.6 + 0.5 * r)}')
    "$C" train $TR --seed $i --out "$T/runs/k$i" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
done

complete=0; absent=0
for i in $(seq 1 12); do
    d="$T/runs/k$i"
    if [ ! -e "$d" ]; then absent=$((absent + 1)); continue; fi
    if "$C" eval --run "$d" >/dev/null 2>"$T/err" && "$C" replay "$d" >/dev/null 2>>"$T/err"; then
        complete=$((complete + 1))
    else
        bad "run $d was left damaged: $(head -1 "$T/err")"
    fi
done
temps=$(ls -A "$T/runs" | grep -c '^\.') || true
echo "# $complete complete, $absent absent, $temps hidden temporaries"
[ $((complete + absent)) -eq 12 ] && ok "every killed run is complete or absent" || bad "some run is damaged"
ls -A "$T/runs" | grep -v '^\.' | grep -v -E '^(full|k[0-9]+)$' && bad "unexpected entries" || ok "no stray entries"
"$C" eval --run "$T/runs/full" >/dev/null 2>&1 && ok "the uninterrupted run is complete" || bad "full run"
finish
