#!/bin/sh
# bench/infer/run.sh — inference speed (eval / predict / early), clickseq on 1 and 2 threads
# against PyTorch's CPU inference of the same model, in one run.
#
#   CLICKSEQ=build/clickseq sh bench/infer/run.sh
#
# Data: the YooChoose 1 % sample (../shared/data/yoochoose_rsc15_sample1pct, clicks + buys)
# and a simulated 1,000,000-session shop (`clickseq simulate --sessions 1000000 --seed 7`,
# cached in BENCH_DIR like bench/load's), each read the way eval reads it (honest sequence
# view, max-len 300 truncate).  Model: bench/train's GRU h64 (type embedding 16 + hashed item
# embedding 16 + log dwell + log price -> GRU -> one logit).
# 1. The forward passes alone (bench_infer.c: cs_predict over every session in eval's
#    batches of 1024, wall and CPU, REPS repetitions with 1 and 2 threads alternating; the
#    probabilities of both thread counts must be identical), then torch_infer.py on the
#    same sessions and weights (1 and 2 threads alternating, TORCH_REPS repetitions; its
#    probabilities are compared with clickseq's).
# 2. The command: `clickseq predict --threads 1|2` end to end (load + sessionise + score +
#    CSV on stdout), wall/CPU/peak RSS by GNU time, with a run trained for one epoch on the
#    data (sample) or on a 20,000-session shop (the 1M file; types matched by name).
# Env: CLICKSEQ, BENCH_DIR (default /tmp), BENCH_SESSIONS (default 1000000), REPS (3),
#      TORCH_REPS (2 on the sample, 1 on the big file), DATASETS ("sample sim").
# PyTorch gets OPENBLAS_NUM_THREADS = its threads and OMP_WAIT_POLICY=PASSIVE with 2 (as
# bench/train).  The machine is shared: the load average is printed with every block.
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLICKSEQ=${CLICKSEQ:-$SRCDIR/build/clickseq}
CLICKSEQ=$(cd "$(dirname "$CLICKSEQ")" && pwd)/$(basename "$CLICKSEQ")
BUILDDIR=$(dirname "$CLICKSEQ")
DIR=${BENCH_DIR:-/tmp}
N=${BENCH_SESSIONS:-1000000}
REPS=${REPS:-3}
PY=/usr/bin/python3
SAMPLE="$SRCDIR/../shared/data/yoochoose_rsc15_sample1pct"
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
[ -f "$BUILDDIR/libclickseq.a" ] || { echo "no $BUILDDIR/libclickseq.a: build first" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/cs-infer.XXXXXX")
trap 'rm -rf "$W"' EXIT
cc -O2 -Wall -Wextra -I"$SRCDIR/include" -I"$SRCDIR/src" -pthread "$SRCDIR/bench/infer/bench_infer.c" \
    "$BUILDDIR/libclickseq.a" -lcsv -lm -o "$W/bench_infer"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "# $(date -u '+%Y-%m-%d %H:%M UTC')  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(load)"
have_torch=1
"$PY" -c 'import torch' 2>/dev/null || { have_torch=0; echo "# skip PyTorch: python3-torch not installed"; }

for set in ${DATASETS:-sample sim}; do
    case $set in
    sample) args="data=$SAMPLE/sample_clicks.csv outcomes=$SAMPLE/sample_buys.csv format=yoochoose"
            pargs="--data $SAMPLE/sample_clicks.csv --outcomes $SAMPLE/sample_buys.csv --format yoochoose"
            treps=${TORCH_REPS:-2}
            "$CLICKSEQ" train $pargs --epochs 1 --emb-item 16 --hash-buckets 4096 --quiet \
                --out "$W/run-$set" >/dev/null ;;
    sim)    data="$DIR/clickseq-bench-sim-$N.csv"
            [ -f "$data" ] || "$CLICKSEQ" simulate --sessions "$N" --seed 7 --out "$data" >/dev/null
            args="data=$data format=rees46"
            pargs="--data $data --format rees46"
            treps=${TORCH_REPS:-1}
            "$CLICKSEQ" simulate --sessions 20000 --seed 8 --out "$W/small.csv" >/dev/null
            "$CLICKSEQ" train --data "$W/small.csv" --epochs 1 --emb-item 16 --hash-buckets 4096 \
                --quiet --out "$W/run-$set" >/dev/null ;;
    esac
    mkdir "$W/$set"
    echo "# $set: forward passes, load $(load)"
    "$W/bench_infer" --reps "$REPS" --threads 1,2 --dump "$W/$set" $args | tee "$W/$set.cs"
    if [ "$have_torch" = 1 ]; then
        r=1
        while [ "$r" -le "$treps" ]; do
            echo "# $set: torch rep $r, load $(load)"
            OPENBLAS_NUM_THREADS=1 "$PY" "$SRCDIR/bench/infer/torch_infer.py" "$W/$set" 1 1 | tee -a "$W/$set.pt"
            OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 "$PY" "$SRCDIR/bench/infer/torch_infer.py" "$W/$set" 2 1 | tee -a "$W/$set.pt"
            r=$((r + 1))
        done
    fi
    rm -f "$W/$set"/*.f32 "$W/$set"/*.i32 "$W/$set"/*.i16
    r=1
    while [ "$r" -le "$REPS" ]; do
        for t in 1 2; do
            /usr/bin/time -f "predict threads $t rep $r wall_s %e user_s %U sys_s %S maxrss_kb %M" -o "$W/time" \
                "$CLICKSEQ" predict --run "$W/run-$set" $pargs --threads "$t" > "$W/$set.p$t"
            cat "$W/time" | tee -a "$W/$set.cmd"
        done
        cmp -s "$W/$set.p1" "$W/$set.p2" || { echo "predict's output differs between 1 and 2 threads" >&2; exit 1; }
        r=$((r + 1))
    done
    echo "predict_rows $(($(wc -l <"$W/$set.p1") - 1))" >> "$W/$set.cmd"
done
echo "# load after: $(load)"

"$PY" - "$W" ${DATASETS:-sample sim} <<'PYEOF'
import statistics, sys
w, sets = sys.argv[1], sys.argv[2:]
def rows(path, tag):
    out = []
    try:
        for line in open(path):
            p = line.split()
            if p and p[0] == tag:
                out.append({p[i]: p[i + 1] for i in range(1, len(p) - 1, 2)})
    except FileNotFoundError:
        pass
    return out
def med(rs, t, key):
    v = [float(r[key]) for r in rs if int(r["threads"]) == t]
    return statistics.median(v) if v else float("nan")
print("%-7s %8s %9s | %9s %9s %9s %9s %5s | %8s %8s %8s | %6s %6s | %8s" % (
    "data", "sessions", "events", "cs 1t", "cs 2t", "cs 1t", "cs 2t", "2nd", "pt 1t", "pt 2t", "pt 1t",
    "vs pt", "vs pt", "sess/s"))
print("%-7s %8s %9s | %9s %9s %9s %9s %5s | %8s %8s %8s | %6s %6s | %8s" % (
    "", "", "", "wall", "wall", "cpu", "span", "core", "wall", "wall", "cpu", "cpu 1t", "wall", "2t span"))
for s in sets:
    data = rows(f"{w}/{s}.cs", "data")[0]
    cs, pt = rows(f"{w}/{s}.cs", "infer"), rows(f"{w}/{s}.pt", "torch_infer")
    n, ev = int(data["sessions"]), int(data["events"])
    c1, c2 = med(cs, 1, "wall_s"), med(cs, 2, "wall_s")
    c1c, c2s = med(cs, 1, "cpu_s"), med(cs, 2, "span_s")
    p1, p2, p1c = med(pt, 1, "wall_s"), med(pt, 2, "wall_s"), med(pt, 1, "cpu_s")
    print("%-7s %8d %9d | %9.0f %9.0f %9.0f %9.0f %4.2fx | %8.0f %8.0f %8.0f | %5.1fx %5.1fx | %8.0f" % (
        s, n, ev, ev / c1, ev / c2, ev / c1c, ev / c2s, c1c / c2s, ev / p1, ev / p2, ev / p1c,
        p1c / c1c, min(p1, p2) / min(c1, c2), n / c2s))
    par = [float(l.split()[2]) for l in open(f"{w}/{s}.pt") if l.startswith("parity")] if pt else []
    print("%-7s   probabilities identical for 1 and 2 threads: %s; PyTorch - clickseq: max |diff| %s" % (
        "", [l.split()[1] for l in open(f"{w}/{s}.cs") if l.startswith("identical")][0],
        "%.2g" % max(par) if par else "n/a"))
print()
print("%-7s | %23s | %23s | %5s | %s" % ("data", "predict --threads 1", "predict --threads 2", "2nd", "rows"))
print("%-7s | %7s %7s %7s | %7s %7s %7s | %5s |" % ("", "wall s", "CPU s", "MB", "wall s", "CPU s", "MB", "core"))
for s in sets:
    cm = rows(f"{w}/{s}.cmd", "predict")
    rws = [l.split()[1] for l in open(f"{w}/{s}.cmd") if l.startswith("predict_rows")][0]
    def m(t, k):
        return statistics.median(float(r[k]) for r in cm if int(r["threads"]) == t)
    cpu = lambda t: statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in cm if int(r["threads"]) == t)
    print("%-7s | %7.2f %7.2f %7.0f | %7.2f %7.2f %7.0f | %4.2fx | %s" % (
        s, m(1, "wall_s"), cpu(1), m(1, "maxrss_kb") / 1024, m(2, "wall_s"), cpu(2), m(2, "maxrss_kb") / 1024,
        m(1, "wall_s") / m(2, "wall_s"), rws))
print("medians of the repetitions; events/s of scored events (inputs): wall, process CPU (1 thread), span (2 threads: serial")
print("CPU + the longest part of each parallel region = the wall time on two idle cores); 2nd core = 1t cpu / 2t span;")
print("vs pt cpu 1t = per CPU-second on one thread; vs pt wall = best PyTorch wall / best clickseq wall; sess/s at the 2t span.")
PYEOF
