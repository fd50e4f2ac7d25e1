#!/bin/sh
# bench/train/run.sh — training speed, clickseq against PyTorch on the CPU, in one run.
#
#   bench/train/run.sh [BUILDDIR] [SESSIONS] [EPOCHS]
#
# (`make bench` runs it through bench/run-all.sh; BUILDDIR then defaults to the directory of
# $CLICKSEQ, the build tree holding libclickseq.a.)
# Session lengths come from the YooChoose 1 % sample (../shared/data; mean 3.58 events),
# shuffled with a fixed seed; the first SESSIONS (default 20000, "all" = 77171) are used
# by both sides in the same batches of 256.  Each side runs GRU and LSTM at hidden 32, 64
# and 128 with 2 threads and with 1 thread; the best of EPOCHS epochs (default 3) is kept.
# PyTorch gets OPENBLAS_NUM_THREADS equal to its thread count (Debian's
# libopenblas0-pthread), and OMP_WAIT_POLICY=PASSIVE with 2 threads: on this shared machine
# spinning OpenMP threads made it 10-25x slower.  Prints a table: events/s, ratio to PyTorch's best setting,
# GFLOP/s and the fraction of the machine's peak.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
DEF_BUILD=$TOP
[ -n "${CLICKSEQ:-}" ] && DEF_BUILD=$(dirname "$CLICKSEQ")
BUILDDIR=$(cd "${1:-$DEF_BUILD}" && pwd)
SESSIONS=${2:-20000}
EPOCHS=${3:-3}
PY=/usr/bin/python3
DATA="$TOP/../shared/data/yoochoose_rsc15_sample1pct/sample_clicks.csv"
[ -f "$DATA" ] || { echo "no data at $DATA" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/cs-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

[ -f "$BUILDDIR/libclickseq.a" ] || { echo "no $BUILDDIR/libclickseq.a: build first" >&2; exit 1; }
${CC:-cc} -O2 -Wall -Wextra -I"$TOP/include" -I"$TOP/src" -pthread "$HERE/bench_train.c" \
    "$BUILDDIR/libclickseq.a" -lm -o "$W/bench_train"
"$PY" - "$DATA" "$SESSIONS" > "$W/lengths.txt" <<'PYEOF'
import sys
import numpy as np
import pandas as pd
d = pd.read_csv(sys.argv[1], usecols=[0])
l = d.groupby(d.columns[0]).size().values
np.random.default_rng(1).shuffle(l)
n = len(l) if sys.argv[2] == "all" else int(sys.argv[2])
print("\n".join(str(x) for x in l[:n]))
PYEOF

echo "# $(date -u '+%Y-%m-%d %H:%M UTC')  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$W/bench_train" "$W/lengths.txt" 2 "$EPOCHS" > "$W/cs2.txt"
"$W/bench_train" "$W/lengths.txt" 1 "$EPOCHS" > "$W/cs1.txt"
OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 "$PY" "$HERE/torch_bench.py" "$W/lengths.txt" 2 "$EPOCHS" > "$W/pt2.txt"
OPENBLAS_NUM_THREADS=1 "$PY" "$HERE/torch_bench.py" "$W/lengths.txt" 1 "$EPOCHS" > "$W/pt1.txt"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -h '^peak\|^data' "$W/cs2.txt" "$W/cs1.txt" | sed 's/^/# /'
head -1 "$W/pt2.txt" | sed 's/^/# /'

"$PY" - "$W" <<'PYEOF'
import sys
w = sys.argv[1]
def rows(f, tag):
    out, peak = {}, None
    for line in open(f"{w}/{f}"):
        p = line.split()
        if p[0] == "peak":
            peak = float(p[1])
        elif p[0] == tag and p[1] in ("gru", "lstm"):
            out[(p[1], int(p[2]))] = [float(x) for x in p[3:5]] + [float(p[p.index("cpu_events/s") + 1])]
    return out, peak
cs2, peak2 = rows("cs2.txt", "clickseq")
cs1, peak1 = rows("cs1.txt", "clickseq")
pt2, _ = rows("pt2.txt", "torch")
pt1, _ = rows("pt1.txt", "torch")
print("%-5s %4s | %10s %10s | %9s %9s | %6s | %7s %7s | %10s %9s %6s" % (
    "cell", "h", "cs 2thr", "cs 1thr", "pt 2thr", "pt 1thr", "ratio", "GFLOP/s", "%peak",
    "cs 1t cpu", "pt 1t cpu", "ratio"))
for k in sorted(cs2):
    c2, c1 = cs2[k][0], cs1.get(k, [0])[0]
    p2, p1 = pt2.get(k, [0])[0], pt1.get(k, [0])[0]
    best_cs, best_pt = max(c2, c1), max(p2, p1)
    gf = cs2[k][1] if c2 >= c1 else cs1[k][1]
    pk = 2 * peak1   # machine peak: 2 cores x the measured single-core FMA peak
    cc, pc = cs1.get(k, [0, 0, 0])[2], pt1.get(k, [0, 0, 0])[2]
    print("%-5s %4d | %10.0f %10.0f | %9.0f %9.0f | %5.1fx | %7.1f %6.1f%% | %10.0f %9.0f %5.1fx" % (
        k[0], k[1], c2, c1, p2, p1, best_cs / best_pt if best_pt else 0, gf, 100 * gf / pk if pk else 0,
        cc, pc, cc / pc if pc else 0))
print("events/s = training events per second (forward + backward + SGD step); ratio = best clickseq")
print("(wall time); the last three columns: one thread, events per second of process CPU time.")
print("setting / best PyTorch setting; %%peak against 2 x the measured single-core AVX-512 FMA peak (%.0f GFLOP/s)" % (2 * peak1))
PYEOF
