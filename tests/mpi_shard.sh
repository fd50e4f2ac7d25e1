#!/bin/sh
# tests/mpi_shard.sh — sharded loading (cs_dist_events_load, src/engine/dist/shard_mpi.c) on
# 2 and 3 ranks through tests/test_mpi_shard: each rank parses only its byte range, the
# sessions are exchanged by hash; the ranks' ledgers add up to a one-process load's (rows
# read / used / skipped per reason), every session is on exactly one rank with its events
# in order, the union is the one-process set, each rank holds about 1/N.  Files: the demo
# (rees46 layout), the YooChoose sample with its buys file, the demo with bad rows every 37
# lines (skip mode), a quoted field of many lines inside a range, and the cases that must
# be loaded whole (and still split exactly): such a field across a cut, sessions cut by a
# gap, an outcomes file;
# a bad row without skip mode fails with the one-process message.
. "$SRCDIR/tests/lib.sh"
need_mpi
P="$BUILDDIR/tests/test_mpi_shard"
DEMO="$SRCDIR/data/demo-shop.csv"
FIX="$SRCDIR/tests/fixtures/csv"
Y="$SHARED/yoochoose_rsc15_sample1pct"
run() {   # NP DESCRIPTION ARGS...
    np=$1; desc=$2; shift 2
    if mpi_run "$np" "$P" "$@" >"$T/out" 2>"$T/err"; then
        expect_grep "^ok - " "$T/out" "$desc, $np ranks: $(sed -n 's/^ok - [^ ]* on [0-9]* ranks //p' "$T/out")"
    else
        bad "$desc, $np ranks"; sed 's/^/    /' "$T/err" | grep -v '^ *$' | head -8
    fi
}
# the demo with a bad row every 37 lines: a bad time, a missing column, a bad price in turn
awk -F, -v OFS=, 'NR > 1 && NR % 37 == 0 { k = (NR / 37) % 3
    if (k == 0) $1 = "not a time"; else if (k == 1) NF = NF - 1; else $7 = "12,x" }
    { print }' "$DEMO" >"$T/bad.csv"
# a quoted field of 400 lines at the middle byte of the demo: the cut of 2 ranks falls in
# it (no cut between rows there: loaded whole); those of 3 ranks do not (sharded, the field
# read inside rank 1's range)
size=$(wc -c <"$DEMO")
awk -v mid=$((size / 2)) '{ at += length($0) + 1 }
    at >= mid && !done { done = 1; printf "2019-10-10 10:00:00 UTC,view,1,2,\"long"
        for (i = 0; i < 400; i++) printf "\nl%d", i
        print "\",brand,1.0,u1,quoted-session" } { print }' "$DEMO" >"$T/quoted.csv"
for np in 2 3; do
    run "$np" "demo" sharded auto "$DEMO"
    # the real data when it is there (../shared/data beside the tree; not in a tarball's build)
    if [ -f "$Y/sample_clicks.csv" ]; then
        run "$np" "YooChoose sample + buys" sharded yoochoose "$Y/sample_clicks.csv" "$Y/sample_buys.csv"
    else echo "# no YooChoose sample in $Y: its $np-rank case not run"; fi
    run "$np" "bad rows skipped" sharded auto "$T/bad.csv" - skip
    expect_grep "skipped [1-9][0-9]+ equal" "$T/out" "bad rows skipped, $np ranks: the file has skipped rows"
    if [ "$np" = 2 ]; then run 2 "quoted field across the cut (whole)" whole auto "$T/quoted.csv"
    else run 3 "quoted field inside a range" sharded auto "$T/quoted.csv"; fi
    run "$np" "gap sessions (whole)" whole generic "$FIX/gap.csv" - - "user=uid,time=ts,event=ev"
    run "$np" "outcomes file (whole)" whole auto "$FIX/gen_events.csv" "$FIX/outcomes.csv"
    run "$np" "bad row, no skip mode" error auto "$T/bad.csv"
done
finish
