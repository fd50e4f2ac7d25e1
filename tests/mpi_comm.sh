#!/bin/sh
# tests/mpi_comm.sh — MPI (configure --with-mpi): the communicator on 1, 2 and 3 ranks
# (tests/test_mpi_comm.c), and the binary under mpirun: a command other than train and
# sweep refuses several ranks (exit 2, said once), on one rank it runs as usual.
. "$SRCDIR/tests/lib.sh"
need_mpi
for np in 1 2 3; do
    if mpi_run "$np" "$BUILDDIR/tests/test_mpi_comm" >"$T/comm$np.out" 2>"$T/comm$np.err"; then
        expect_grep "^ok - sum over $np ranks" "$T/comm$np.out" "communicator on $np ranks"
    else
        bad "communicator on $np ranks"; sed 's/^/    /' "$T/comm$np.err" | head -10
    fi
done
simulate_shop "$T/shop.csv" --sessions 300 --seed 3
mpi_run 2 "$CLICKSEQ" inspect --data "$T/shop.csv" >"$T/insp2.out" 2>"$T/insp2.err"; rc=$?
if [ "$rc" = 2 ]; then ok "inspect on 2 ranks: exit 2"; else bad "inspect on 2 ranks: exit $rc, wanted 2"; fi
expect_grep "inspect runs in one process; under mpirun only train and sweep" "$T/insp2.err" \
    "inspect on 2 ranks says why"
n=$(grep -c "inspect runs in one process" "$T/insp2.err")
[ "$n" = 1 ] && ok "said once (rank 0)" || bad "said $n times"
"$CLICKSEQ" inspect --data "$T/shop.csv" >"$T/insp.out" 2>&1
mpi_run 1 "$CLICKSEQ" inspect --data "$T/shop.csv" >"$T/insp1.out" 2>"$T/insp1.err"; rc=$?
[ "$rc" = 0 ] && ok "inspect on 1 rank runs" || bad "inspect on 1 rank: exit $rc"
if cmp -s "$T/insp.out" "$T/insp1.out"; then ok "inspect on 1 rank prints what it prints without mpirun"
else bad "inspect under mpirun -np 1 differs"; diff "$T/insp.out" "$T/insp1.out" | head -5; fi
finish
