#!/bin/sh
# tests/mpi_sweep.sh — distributed sweeps (mpirun -np N clickseq sweep): the grid's runs and
# baseline jobs are handed out to the ranks as they finish one (the work counter of
# src/engine/dist/comm_mpi.c).  On the demo, 2 and 3 ranks against one process: every run
# saved exactly once (no hidden temporaries left), each run's weights bit-identical to the
# one-process sweep's (same seed, one thread), both ranks trained runs, results.csv and
# runs.csv equal once the timing columns (seconds, and the run paths' directory) are
# removed, results.md written once by rank 0, the table printed once; a taken run name
# refuses the whole sweep before any rank trains (exit 2, said once).
. "$SRCDIR/tests/lib.sh"
need_mpi
CMP="$BUILDDIR/tests/weights_cmp"
DEMO="$SRCDIR/data/demo-shop.csv"
# 4 configurations x 2 seeds + 2 logistic-regression baselines: 10 trained runs
grid="--data $DEMO --cell rnn,gru --hidden 8,16 --seeds 2 --epochs 2 --batch 64 --threads 1 --seed 3"
# shellcheck disable=SC2086
if ! "$CLICKSEQ" sweep $grid --out "$T/one" >"$T/one.out" 2>"$T/one.err"; then
    bad "one-process sweep failed"; sed 's/^/    /' "$T/one.err" | head -5; finish; exit
fi
# a CSV without its timing columns (seconds*), run paths relative to their sweep
untimed() {
    awk -F, -v dir="$2/" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i !~ /^seconds/) keep[i] = 1 }
        { out = ""; for (i = 1; i <= NF; i++) if (keep[i]) { v = $i; sub(dir, "", v); out = out (out == "" ? "" : ",") v }
          print out }' "$1"
}
runs=$(ls "$T/one" | grep -v -E '^(results\.(csv|md)|runs\.csv)$' | sort)
nruns=$(echo "$runs" | wc -l)
[ "$nruns" = 10 ] && ok "one process: 10 runs" || bad "one process: $nruns runs"
for np in 2 3; do
    out="$T/np$np"
    # shellcheck disable=SC2086
    if ! mpi_run "$np" "$CLICKSEQ" sweep $grid --out "$out" >"$out.out" 2>"$out.err"; then
        bad "mpirun -np $np clickseq sweep failed"; sed 's/^/    /' "$out.err" | head -10; continue
    fi
    got=$(ls "$out" | grep -v -E '^(results\.(csv|md)|runs\.csv)$' | sort)
    if [ "$got" = "$runs" ]; then ok "$np ranks: the same 10 runs saved"
    else bad "$np ranks: runs differ: $(echo "$got" | tr '\n' ' ')"; fi
    hidden=$(ls -A "$out" | grep -c '^\.')
    [ "$hidden" = 0 ] && ok "$np ranks: no temporaries left" || bad "$np ranks: $hidden hidden entries left"
    same=0
    for r in $runs; do
        if [ -f "$out/$r/model.bin" ] && "$CMP" "$T/one/$r/model.bin" "$out/$r/model.bin" 0 >"$T/cmp" 2>&1 &&
            grep -q " 0 differ" "$T/cmp"; then same=$((same + 1))
        else echo "    $r: $(cat "$T/cmp")"; fi
    done
    [ "$same" = 10 ] && ok "$np ranks: every run's weights bit-identical to the one-process sweep's" \
        || bad "$np ranks: $same of 10 runs have the one-process weights"
    # every run trained once, by some rank; each rank trained at least one
    n=$(grep -c '\] .*: test F1' "$out.err")
    [ "$n" = 10 ] && ok "$np ranks: 10 runs trained (one progress line each)" || bad "$np ranks: $n progress lines"
    r=0
    while [ "$r" -lt "$np" ]; do
        expect_grep "^rank $r/$np: \[" "$out.err" "$np ranks: rank $r trained runs"
        r=$((r + 1))
    done
    for f in results.csv runs.csv; do
        untimed "$T/one/$f" "$T/one" >"$T/a"; untimed "$out/$f" "$out" >"$T/b"
        if [ -s "$T/a" ] && cmp -s "$T/a" "$T/b"; then ok "$np ranks: $f equals the one-process sweep's (without timings)"
        else bad "$np ranks: $f differs"; diff "$T/a" "$T/b" | head -6 | sed 's/^/    /'; fi
    done
    [ -s "$out/results.md" ] && ok "$np ranks: results.md written" || bad "$np ranks: no results.md"
    n=$(grep -c '^[0-9]* runs in ' "$out.out")
    [ "$n" = 1 ] && ok "$np ranks: the table printed once" || bad "$np ranks: printed $n times"
    n=$(grep -c '^sweep: 4 configurations' "$out.err")
    [ "$n" = 1 ] && ok "$np ranks: the plan said once" || bad "$np ranks: the plan said $n times"
done
# a taken run name: refused before anything trains, by rank 0 alone, exit 2
# shellcheck disable=SC2086
mpi_run 2 "$CLICKSEQ" sweep $grid --out "$T/np2" >"$T/taken.out" 2>"$T/taken.err"; rc=$?
[ "$rc" = 2 ] && ok "taken names on 2 ranks: exit 2" || bad "taken names on 2 ranks: exit $rc, wanted 2"
n=$(grep -c 'run directory already exists' "$T/taken.err")
[ "$n" = 1 ] && ok "taken names: said once" || bad "taken names: said $n times"
if grep -q 'test F1' "$T/taken.err"; then bad "taken names: runs were trained"; else ok "taken names: nothing trained"; fi
finish
