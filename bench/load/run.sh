#!/bin/sh
# bench/load/run.sh — loading + sessionising a >= 5 M-event rees46 file: clickseq
# (cs_events_load + cs_dataset_from_events) against pandas (the study's read_csv + sort +
# groupby into lists), in one run on one machine.  Prints MB/s, events/s and the ratio.
# Env: CLICKSEQ (the built binary; its directory holds libclickseq.a), SRCDIR,
#      BENCH_SESSIONS (default 600000 ~ 5.1 M events), BENCH_DIR (default /tmp),
#      PYTHON (default /usr/bin/python3, Debian's, which has pandas).
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLICKSEQ=${CLICKSEQ:-$SRCDIR/build/clickseq}
BUILDDIR=$(dirname "$CLICKSEQ")
N=${BENCH_SESSIONS:-600000}
DIR=${BENCH_DIR:-/tmp}
PY=${PYTHON:-/usr/bin/python3}
data="$DIR/clickseq-bench-sim-$N.csv"
[ -f "$data" ] || "$CLICKSEQ" simulate --sessions "$N" --seed 7 --out "$data" >/dev/null
bin="$DIR/clickseq-loadbench"
cc -O2 -DHAVE_DATASET -I"$SRCDIR/include" -o "$bin" "$SRCDIR/bench/load/loadbench.c" \
    "$BUILDDIR/libclickseq.a" -lcsv -lm -pthread
mb=$(( $(wc -c <"$data") / 1000000 ))
echo "file: $data ($mb MB), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
c=$("$bin" "$data" rees46)
echo "clickseq: $c"
p=$("$PY" "$SRCDIR/bench/load/pandas_load.py" "$data")
echo "pandas:   $p"
get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ev=$(get "$c" events)
cw=$(awk -v a="$(get "$c" load_s)" -v b="$(get "$c" sessionise_s)" 'BEGIN { print a + b }')
cc_=$(get "$c" cpu_s)
pw=$(get "$p" wall_s)
pc=$(get "$p" cpu_s)
awk -v ev="$ev" -v mb="$mb" -v cw="$cw" -v cc="$cc_" -v pw="$pw" -v pc="$pc" 'BEGIN {
    printf "%-9s %9s %9s %12s %12s %8s\n", "", "wall s", "cpu s", "MB/s (wall)", "events/s", "";
    printf "%-9s %9.2f %9.2f %12.1f %12.0f\n", "clickseq", cw, cc, mb / cw, ev / cw;
    printf "%-9s %9.2f %9.2f %12.1f %12.0f\n", "pandas", pw, pc, mb / pw, ev / pw;
    printf "ratio (pandas / clickseq): wall %.1fx, cpu %.1fx\n", pw / cw, pc / cc }'
