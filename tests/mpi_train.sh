#!/bin/sh
# tests/mpi_train.sh — data-parallel training (mpirun -np N clickseq train): on 1, 2 and 3
# ranks with the same global batch, the weights after one epoch equal a plain
# single-process run's within 1e-5 relative (tests/weights_cmp; -np 1 bit for bit), with
# Adam and with SGD (SGD sees the gradient's scale: a wrong loss normalisation over the
# ranks shows); rank 0 writes the one run and prints, the others write and print nothing;
# the test scores are every test session's (gathered from the ranks), in split order.
. "$SRCDIR/tests/lib.sh"
need_mpi
CMP="$BUILDDIR/tests/weights_cmp"
DEMO="$SRCDIR/data/demo-shop.csv"
# tiny and quick: 4,249 sessions, one epoch, h16, one thread per rank
common="--data $DEMO --epochs 1 --batch 64 --hidden 16 --threads 1 --seed 5 --quiet"
# score column of scores.csv (index,label,score rows) and the index,label columns
cols() { grep -E '^[0-9]+,' "$1" | cut -d, -f"$2"; }
check_case() {   # NAME EXTRA-OPTIONS
    name=$1; extra=$2
    # shellcheck disable=SC2086
    if ! "$CLICKSEQ" train $common $extra --out "$T/$name-plain" >"$T/$name-plain.out" 2>&1; then
        bad "$name: plain run failed"; sed 's/^/    /' "$T/$name-plain.out" | head -5; return
    fi
    for np in 1 2 3; do
        mkdir -p "$T/$name-np$np"
        # shellcheck disable=SC2086
        if ! mpi_run "$np" "$CLICKSEQ" train $common $extra --out "$T/$name-np$np/run" \
                >"$T/$name-np$np.out" 2>"$T/$name-np$np.err"; then
            bad "$name: mpirun -np $np clickseq train failed"; sed 's/^/    /' "$T/$name-np$np.err" | head -8
            continue
        fi
        if "$CMP" "$T/$name-plain/model.bin" "$T/$name-np$np/run/model.bin" 1e-5 >"$T/cmp" 2>&1; then
            ok "$name, $np rank(s): weights within 1e-5 of one process ($(cat "$T/cmp"))"
        else
            bad "$name, $np rank(s): weights differ: $(cat "$T/cmp")"
        fi
        if [ "$np" = 1 ]; then
            expect_grep " 0 differ" "$T/cmp" "$name, 1 rank: bit-identical to a run without mpirun"
        fi
        n=$(ls -A "$T/$name-np$np" | wc -l)
        [ "$n" = 1 ] && ok "$name, $np rank(s): one run written" || bad "$name, $np rank(s): $n entries written: $(ls -A "$T/$name-np$np")"
        n=$(grep -c '^run: ' "$T/$name-np$np.out")
        [ "$n" = 1 ] && ok "$name, $np rank(s): rank 0 alone prints the result" || bad "$name, $np rank(s): $n result lines"
        if [ "$(cols "$T/$name-plain/scores.csv" 1-2)" = "$(cols "$T/$name-np$np/run/scores.csv" 1-2)" ]; then
            ok "$name, $np rank(s): scores of every test session, in split order"
        else
            bad "$name, $np rank(s): scores.csv sessions differ from one process's"
        fi
        # the scores agree to float round-off; so do the metrics computed over all of them
        cols "$T/$name-plain/scores.csv" 3 >"$T/a"; cols "$T/$name-np$np/run/scores.csv" 3 >"$T/b"
        worst=$(paste -d' ' "$T/a" "$T/b" | awk '{d = $1 - $2; if (d < 0) d = -d; if (d > w) w = d} END {printf "%.3g", w + 0}')
        if awk -v w="$worst" 'BEGIN { exit !(w <= 1e-5) }'; then ok "$name, $np rank(s): test scores within 1e-5 (worst $worst)"
        else bad "$name, $np rank(s): test scores differ by $worst"; fi
        pa=$(sed -n 's/^test_pr_auc = //p' "$T/$name-plain/summary.txt")
        pb=$(sed -n 's/^test_pr_auc = //p' "$T/$name-np$np/run/summary.txt")
        if awk -v a="$pa" -v b="$pb" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-4) }'; then
            ok "$name, $np rank(s): test PR-AUC over all the scores ($pb, one process $pa)"
        else bad "$name, $np rank(s): test PR-AUC $pb, one process $pa"; fi
    done
}
check_case adam ""
check_case sgd "--optim sgd --lr 0.05 --momentum 0"
finish
