#!/bin/sh
# bench/load/run.sh — loading + sessionising a simulated REES46 file (default: 1,000,000
# sessions, seed 7 = 10.6 M events, 1.05 GB): clickseq (cs_events_load on all cores +
# cs_dataset_from_events, bench/load/loadbench.c) against polars and DuckDB (node, installed
# by install-competitors.sh; skipped with a message when absent) and pandas (the study's
# read_csv + sort + groupby into lists), the same work for each, in one run: ROUNDS rounds
# (default 3), the tools alternating within a round, the median reported.
# Wall and CPU are each tool's own timing of the work (process start-up excluded); peak RSS
# is the whole process's (GNU time).  Prints a table and the ratios against clickseq.
# Env: CLICKSEQ (the built binary; its directory holds libclickseq.a), SRCDIR,
#      BENCH_SESSIONS (default 1000000), BENCH_DIR (default /tmp), ROUNDS (default 3),
#      PYTHON (default /usr/bin/python3, Debian's, which has pandas), TOOLS (default
#      "clickseq polars duckdb pandas"), CLICKSEQ_BENCH_CACHE (as install-competitors.sh).
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLICKSEQ=${CLICKSEQ:-$SRCDIR/build/clickseq}
BUILDDIR=$(dirname "$CLICKSEQ")
N=${BENCH_SESSIONS:-1000000}
DIR=${BENCH_DIR:-/tmp}
PY=${PYTHON:-/usr/bin/python3}
ROUNDS=${ROUNDS:-3}
TOOLS=${TOOLS:-clickseq polars duckdb pandas}
NODE_MODULES=${CLICKSEQ_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clickseq-bench}/node_modules
export CLICKSEQ_BENCH_NODE_MODULES="$NODE_MODULES"
data="$DIR/clickseq-bench-sim-$N.csv"
[ -f "$data" ] || "$CLICKSEQ" simulate --sessions "$N" --seed 7 --out "$data" >/dev/null
bin="$DIR/clickseq-loadbench"
cc -O2 -DHAVE_DATASET -I"$SRCDIR/include" -o "$bin" "$SRCDIR/bench/load/loadbench.c" \
    "$BUILDDIR/libclickseq.a" -lcsv -lm -pthread
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

have() {   # tool -> 0 when it can run here
    case $1 in
    clickseq) return 0 ;;
    polars) [ -d "$NODE_MODULES/nodejs-polars" ] && command -v node >/dev/null ;;
    duckdb) [ -d "$NODE_MODULES/@duckdb/node-api" ] && command -v node >/dev/null ;;
    pandas) "$PY" -c 'import pandas' 2>/dev/null ;;
    esac
}
cmd() {
    case $1 in
    clickseq) echo "$bin $data rees46" ;;
    polars) echo "node $SRCDIR/bench/load/polars_load.js $data" ;;
    duckdb) echo "node $SRCDIR/bench/load/duckdb_load.js $data" ;;
    pandas) echo "$PY $SRCDIR/bench/load/pandas_load.py $data" ;;
    esac
}
tools=
for t in $TOOLS; do
    if have "$t"; then tools="$tools $t"
    else echo "skip $t: not installed (polars, duckdb: sh bench/load/install-competitors.sh; pandas: apt-get install python3-pandas)"
    fi
done
mb=$(( $(wc -c <"$data") / 1000000 ))
echo "file: $data ($mb MB), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp)
get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
r=1
while [ "$r" -le "$ROUNDS" ]; do
    for t in $tools; do
        line=$(/usr/bin/time -f 'maxrss_kb=%M' -o "$out.time" $(cmd "$t"))
        rss=$(sed -n 's/^maxrss_kb=//p' "$out.time")
        if [ "$t" = clickseq ]; then
            wall=$(awk -v a="$(get "$line" load_s)" -v b="$(get "$line" sessionise_s)" 'BEGIN { print a + b }')
            sess=$(get "$line" sessions_kept)
        else
            wall=$(get "$line" wall_s); sess=$(get "$line" sessions)
        fi
        echo "round $r $t: events=$(get "$line" events) sessions=$sess wall_s=$wall cpu_s=$(get "$line" cpu_s) maxrss_mb=$((rss / 1024)) load=$(cut -d' ' -f1 /proc/loadavg)"
        echo "$t $wall $(get "$line" cpu_s) $((rss / 1024))" >>"$out"
    done
    r=$((r + 1))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# medians per tool, then the table and the ratios against clickseq
awk -v mb="$mb" -v order="$tools" '
function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
{ n[$1]++; W[$1, n[$1]] = $2; C[$1, n[$1]] = $3; R[$1, n[$1]] = $4 }
END {
    k = split(order, names, " ")
    for (i = 1; i <= k; i++) { t = names[i]
        for (j = 1; j <= n[t]; j++) { w[j] = W[t, j]; c[j] = C[t, j]; r[j] = R[t, j] }
        mw[t] = med(w, n[t]); mc[t] = med(c, n[t]); mr[t] = med(r, n[t]) }
    printf "%-9s %8s %8s %9s %9s %12s %12s\n", "median", "wall s", "cpu s", "peak MB", "MB/s", "wall ratio", "RSS ratio"
    for (i = 1; i <= k; i++) { t = names[i]
        printf "%-9s %8.2f %8.2f %9d %9.1f %11.1fx %11.2fx\n", t, mw[t], mc[t], mr[t], mb / mw[t],
               mw[t] / mw["clickseq"], mr[t] / mr["clickseq"] }
    print "(ratio = tool / clickseq: wall above 1 means clickseq is faster; RSS above 1 means clickseq uses less)"
}' "$out"
rm -f "$out" "$out.time"
