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
# The two sides alternate: for every configuration clickseq and PyTorch run back to back,
# REPS times (default 2), so the load of a shared machine hits both.  Then both train 2
# epochs from the same start weights on the same data and batches (BENCH_PARITY_DIR) and
# the two loss curves are compared batch by batch.  bench/train/peak.c measures the FMA
# peak (best of 300 short runs, 1 and 2 threads).  CELLS="gru" limits the cells.
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
${CC:-cc} -O2 -Wall -Wextra -pthread "$HERE/peak.c" -o "$W/peak"
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

REPS=${REPS:-2}
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "# $(date -u '+%Y-%m-%d %H:%M UTC')  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(load)"
"$W/peak" 2 > "$W/peak.txt"
# alternating: for every configuration clickseq and PyTorch back to back (2 threads, then 1),
# REPS times, so the machine's load hits both sides alike
for cell in ${CELLS:-gru lstm}; do
    for h in 32 64 128; do
        for rep in $(seq "$REPS"); do
            echo "# $cell $h rep $rep: load $(load)"
            "$W/bench_train" "$W/lengths.txt" 2 "$EPOCHS" "$cell" "$h" >> "$W/cs2.txt"
            OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 "$PY" "$HERE/torch_bench.py" "$W/lengths.txt" 2 "$EPOCHS" "$cell" "$h" >> "$W/pt2.txt"
            "$W/bench_train" "$W/lengths.txt" 1 "$EPOCHS" "$cell" "$h" >> "$W/cs1.txt"
            OPENBLAS_NUM_THREADS=1 "$PY" "$HERE/torch_bench.py" "$W/lengths.txt" 1 "$EPOCHS" "$cell" "$h" >> "$W/pt1.txt"
        done
    done
done
echo "# load after: $(load)"
grep -h '^data' "$W/cs2.txt" | head -1 | sed 's/^/# /'
grep -h '^torch.*threads' "$W/pt2.txt" | head -1 | sed 's/^/# /'
sed 's/^/# FMA /' "$W/peak.txt"
# equal loss curves: the same data, batches and start weights in both, 2 epochs of SGD
mkdir "$W/par"
for cell in ${CELLS:-gru lstm}; do
    BENCH_PARITY_DIR="$W/par" "$W/bench_train" "$W/lengths.txt" 2 2 "$cell" 64 > /dev/null
    "$PY" "$HERE/torch_bench.py" --parity "$W/par" "$cell" 64 2
    paste "$W/par/${cell}64.clickseq.loss" "$W/par/${cell}64.torch.loss" | awk -v c="$cell" '
        { d = $3 - $6; if (d < 0) d = -d; if (d > m) m = d; if (NR == 1) f = $3 " / " $6; l = $3 " / " $6 }
        END { printf "# loss curves %s h64: %d batches, first %s, last %s (clickseq / torch), max |difference| %.2g\n", c, NR, f, l, m }'
done

"$PY" - "$W" <<'PYEOF'
import sys
w = sys.argv[1]
def field(p, name):
    return float(p[p.index(name) + 1])
def rows(f, tag):
    out = {}
    for line in open(f"{w}/{f}"):
        p = line.split()
        if p[0] != tag or p[1] not in ("gru", "lstm"):
            continue
        k = (p[1], int(p[2]))
        r = {"wall": float(p[3]), "cpu": field(p, "cpu_events/s")}
        if tag == "clickseq":
            r.update(span=field(p, "span_events/s"), gf=field(p, "span_GFLOP/s"),
                     inf=field(p, "infer_events/s"), inf_span=field(p, "infer_span_events/s"),
                     flops=float(p[4]) / float(p[3]) * 1e9)
        best = out.setdefault(k, r)
        for x in r:
            best[x] = max(best[x], r[x])   # best of the repetitions
    return out
peak = {int(l.split()[1]): float(l.split()[2]) for l in open(f"{w}/peak.txt")}
pk = 2 * peak[1]
cs2, cs1 = rows("cs2.txt", "clickseq"), rows("cs1.txt", "clickseq")
pt2, pt1 = rows("pt2.txt", "torch"), rows("pt1.txt", "torch")
print("%-4s %3s | %8s %8s %7s %7s %6s | %8s %7s %6s | %8s %6s %6s %5s | %8s %8s %5s" % (
    "cell", "h", "cs 2t", "cs 1t", "pt 2t", "pt 1t", "ratio", "cs 1t", "pt 1t", "ratio",
    "cs span", "GF/s", "%peak", "2nd", "inf 1t", "inf span", "2nd"))
print("%-4s %3s | %8s %8s %7s %7s %6s | %8s %7s %6s | %8s %6s %6s %5s | %8s %8s %5s" % (
    "", "", "wall", "wall", "wall", "wall", "", "cpu", "cpu", "cpu", "2t", "", "", "core",
    "cpu", "2t", "core"))
for k in sorted(cs2):
    a2, a1, b2, b1 = cs2[k], cs1.get(k), pt2.get(k), pt1.get(k)
    if not (a1 and b2 and b1):
        continue
    bc, bp = max(a2["wall"], a1["wall"]), max(b2["wall"], b1["wall"])
    print("%-4s %3d | %8.0f %8.0f %7.0f %7.0f %5.1fx | %8.0f %7.0f %5.1fx | %8.0f %6.1f %5.1f%% %4.2fx | %8.0f %8.0f %4.2fx" % (
        k[0], k[1], a2["wall"], a1["wall"], b2["wall"], b1["wall"], bc / bp,
        a1["cpu"], b1["cpu"], a1["cpu"] / b1["cpu"],
        a2["span"], a2["gf"], 100 * a2["gf"] / pk, a2["span"] / a1["cpu"],
        a1["inf_span"], a2["inf_span"], a2["inf_span"] / a1["inf_span"]))
print("events/s of training (forward + backward + SGD step), best of %s; ratio = best clickseq / best PyTorch." % "the repetitions")
print("cpu = one thread, events per second of process CPU time.  cs span 2t = events per second of the")
print("2-thread run's span (serial CPU time + the longest part of every parallel region: the wall time on two")
print("otherwise idle cores); GF/s = its GFLOP/s (6*G*H*(D+H) per event), %peak against 2 x the one-core FMA")
print("peak measured here (%.1f GFLOP/s); 2nd core = span 2t / cpu 1t.  inf = forward passes only (predict)." % pk)
PYEOF
