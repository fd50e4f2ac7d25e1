#!/bin/sh
# hardening.sh — crash safety of everything the program writes:
#   - temporaries left by a kill (.NAME.tmp-PID-XXXXXX: run directories being built,
#     outputs being written) are removed by the next save into that directory once their
#     process is gone, kept while it runs (or while young), and never listed;
#   - simulate and predict write their output atomically: a kill leaves the old file or a
#     complete new one, and no temporary behind once a later write is done;
#   - a features-view logreg run trained by `clickseq train` loads for eval (it did not).
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
"$C" simulate --sessions 300 --seed 3 --out "$T/shop.csv" >/dev/null || { bad "simulate"; finish; exit 1; }
TR="--data $T/shop.csv --epochs 1 --hidden 4 --emb-type 2 --batch 64 --threads 1 --quiet"

# a process id that is surely gone: a child that has exited and been waited for
sh -c 'exit 0' &
dead=$!
wait $dead
old() { touch -d '5 minutes ago' "$1"; }

R="$T/runs"
mkdir -p "$R"
# a run directory half-built by a killed save, one of a live process, a young one
mkdir "$R/.a.tmp-$dead-AbC123" "$R/.b.tmp-$$-AbC123" "$R/.c.tmp-$dead-XyZ789"
echo partial >"$R/.a.tmp-$dead-AbC123/config.txt"
echo partial >"$R/.b.tmp-$$-AbC123/config.txt"
old "$R/.a.tmp-$dead-AbC123"; old "$R/.b.tmp-$$-AbC123"
# a file that is not ours (no pid) and a stale output temporary
mkdir "$R/.d.tmp-AbC123"; old "$R/.d.tmp-AbC123"
echo partial >"$R/.p.csv.tmp-$dead-QwE456"; old "$R/.p.csv.tmp-$dead-QwE456"
expect_exit 0 "train into a runs directory with stale temporaries" -- "$C" train $TR --out "$R/new"
[ ! -e "$R/.a.tmp-$dead-AbC123" ] && ok "a stale run temporary (dead process, old) is removed" \
    || bad "the stale run temporary is still there"
[ ! -e "$R/.p.csv.tmp-$dead-QwE456" ] && ok "a stale output temporary is removed" \
    || bad "the stale output temporary is still there"
[ -f "$R/.b.tmp-$$-AbC123/config.txt" ] && ok "a live process's temporary is kept" \
    || bad "a live process's temporary was removed"
[ -d "$R/.c.tmp-$dead-XyZ789" ] && ok "a young temporary is kept (its writer may be elsewhere)" \
    || bad "a young temporary was removed"
[ -d "$R/.d.tmp-AbC123" ] && ok "a temporary without an owner pid is left alone" \
    || bad "a temporary without a pid was removed"
[ -z "$(ls "$R" | grep -v '^new$')" ] && ok "only the finished run is visible" \
    || bad "visible entries: $(ls "$R" | tr '\n' ' ')"
n=$(ls -A "$R/new" | grep -c tmp)
[ "$n" = 0 ] && ok "the run holds no temporaries" || bad "$n temporaries in the run"
expect_exit 0 "compare lists the new run" -- "$C" compare "$R/new" --table

# predict: atomic output, stale temporaries of that directory cleaned
P="$T/pred"
mkdir "$P"
echo partial >"$P/.p.csv.tmp-$dead-RtY789"; old "$P/.p.csv.tmp-$dead-RtY789"
expect_exit 0 "predict --out" -- "$C" predict --run "$R/new" --data "$T/shop.csv" --out "$P/p.csv"
[ "$(ls -A "$P")" = "p.csv" ] && ok "predict left only its output" || bad "predict left: $(ls -A "$P" | tr '\n' ' ')"
expect_grep "^session,probability,label$" "$P/p.csv" "predict output header"

# simulate: a kill during the write leaves the old file or a complete new one
S="$T/sim"
mkdir "$S"
"$C" simulate --sessions 50 --seed 1 --out "$S/shop.csv" >/dev/null
cp "$S/shop.csv" "$T/first.csv"
i=0
while [ $i -lt 6 ]; do
    i=$((i + 1))
    "$C" simulate --sessions 30000 --seed $i --out "$S/shop.csv" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v i=$i 'BEGIN {print 0.25 * i}')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if cmp -s "$S/shop.csv" "$T/first.csv"; then
        :
    elif "$C" inspect --data "$S/shop.csv" >/dev/null 2>&1; then
        cp "$S/shop.csv" "$T/first.csv"   # a complete new file: the next kill compares with it
    else
        bad "kill $i left a damaged $S/shop.csv"
    fi
done
ok "6 kills of simulate left the old file or a complete new one"
echo "# $(ls -A "$S" | grep -c '^\.shop.csv.tmp-') of the kills hit the write (a temporary remains)"
[ -z "$(ls "$S" | grep -v '^shop.csv$')" ] && ok "no visible temporary next to the simulator's output" \
    || bad "visible: $(ls "$S" | tr '\n' ' ')"
# the temporaries of the killed writers are old only after a minute: age them, then write
for f in "$S"/.shop.csv.tmp-*; do [ -e "$f" ] && old "$f"; done
expect_exit 0 "simulate again" -- "$C" simulate --sessions 50 --seed 9 --out "$S/shop.csv"
[ "$(ls -A "$S")" = "shop.csv" ] && ok "the next simulate removed the killed writers' temporaries" \
    || bad "left: $(ls -A "$S" | tr '\n' ' ')"

# a features-view logreg run loads with its weights (its model hash did not match)
expect_exit 0 "train a features-view logreg" -- "$C" train --data "$T/shop.csv" --view features \
    --cell logreg --epochs 1 --threads 1 --quiet --out "$T/lr"
expect_exit 0 "eval of the logreg run" -- "$C" eval --run "$T/lr" --data "$T/shop.csv"
finish
