#!/bin/sh
# bench/mpi/run.sh — clickseq over MPI on this machine, 1 process against 2 ranks:
#  1. one epoch of data-parallel training on the YooChoose sample (honest GRU, the defaults
#     but --epochs 1 --patience 0, one thread per rank): the trainer's seconds (summary.txt)
#     and the process wall time; the allreduce size (nparams + 6 floats per step) and the
#     time of one such MPI_Allreduce here (bench/mpi/allreduce.c); one more 1-rank epoch at
#     half the batch, for the estimate's split of a step into a part that shrinks with the
#     rank's share and one that does not;
#  2. a 12-run sweep (rnn, gru, lstm x hidden 16, 32 x 2 seeds, 10 epochs, no baselines) of
#     the demo shop: wall time of the sweep, 1 process against 2 ranks;
#  then the speed-ups and efficiencies, and the paper estimate for 8 / 32 / 128 ranks on
#  10 / 100 Gbit networks (the model and its assumptions are printed with it).
# usage: bench/mpi/run.sh [path/to/clickseq]   (env: SHARED=../shared/data, BATCH=256;
#        TRAIN="--data FILE" trains on another file, for a quick try of the script)
# Needs a build with MPI (configure: mpi: yes), mpirun and mpicc.  Record `uptime`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-${CLICKSEQ:-$here/../../clickseq}}
SHARED=${SHARED:-$here/../../../shared/data}
Y=$SHARED/yoochoose_rsc15_sample1pct
DEMO=$here/../../data/demo-shop.csv
BATCH=${BATCH:-256}
command -v mpirun >/dev/null && command -v mpicc >/dev/null || { echo "bench/mpi: skipped: needs mpirun and mpicc (libopenmpi-dev, openmpi-bin)"; exit 0; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
MPI="mpirun --oversubscribe"; [ "$(id -u)" = 0 ] && MPI="$MPI --allow-run-as-root"
export OMPI_MCA_btl_vader_single_copy_mechanism=none
now() { date +%s.%N; }
secs() { sed -n 's/^seconds = //p' "$1/summary.txt"; }
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); uptime: $(uptime)"
echo "# $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

# 1. a YooChoose epoch
TR="${TRAIN:---data $Y/sample_clicks.csv --outcomes $Y/sample_buys.csv --format yoochoose} --epochs 1 --patience 0 --batch $BATCH --threads 1 --seed 1"
t0=$(now); "$BIN" train $TR --out "$W/e1" >/dev/null 2>"$W/e1.err"; t1=$(now)
w1=$(echo "$t1 - $t0" | bc -l)
t0=$(now); $MPI -np 2 "$BIN" train $TR --out "$W/e2" >/dev/null 2>&1; t1=$(now)
w2=$(echo "$t1 - $t0" | bc -l)
"$BIN" train $(echo "$TR" | sed "s/--batch $BATCH/--batch $((BATCH / 2))/") --out "$W/eh" >/dev/null 2>&1
s1=$(secs "$W/e1"); s2=$(secs "$W/e2"); sh_=$(secs "$W/eh")
np=$(sed -n 's/^nparams = //p' "$W/e1/config.txt")
ntrain=$(sed -n 's/.*split [a-z]*: train \([0-9]*\),.*/\1/p' "$W/e1.err")
steps=$(awk -v n="$ntrain" -v b="$BATCH" 'BEGIN { print int((n + b - 1) / b) }')
floats=$((np + 6))
mpicc -O2 -o "$W/allreduce" "$here/allreduce.c"
ar=$($MPI -np 2 "$W/allreduce" "$floats" 300)
ar_us=$(echo "$ar" | awk '{print $4}')
echo "## YooChoose epoch (batch $BATCH, one thread per rank, $np parameters, $ntrain training sessions, $steps steps)"
echo "ranks | trainer s | wall s | speed-up (trainer) | efficiency"
echo "1 | $s1 | $(printf %.2f "$w1") | 1.00 | 1.00"
awk -v a="$s1" -v b="$s2" -v w="$w2" 'BEGIN { printf "2 | %s | %.2f | %.2f | %.2f\n", b, w, a / b, a / b / 2 }'
echo "allreduce of $floats floats ($((floats * 4)) bytes) on 2 ranks here: median $ar_us us (min $(echo "$ar" | awk '{print $5}') us)"
echo "history of the 1-rank epoch: $(tail -1 "$W/e1/history.csv")"

# 2. a 12-run sweep
SW="--data $DEMO --cell rnn,gru,lstm --hidden 16,32 --seeds 2 --epochs 10 --patience 0 --threads 1 --no-baselines"
t0=$(now); "$BIN" sweep $SW --out "$W/s1" >/dev/null 2>&1; t1=$(now)
v1=$(echo "$t1 - $t0" | bc -l)
t0=$(now); $MPI -np 2 "$BIN" sweep $SW --out "$W/s2" >/dev/null 2>&1; t1=$(now)
v2=$(echo "$t1 - $t0" | bc -l)
n1=$(($(wc -l <"$W/s1/runs.csv") - 1)); n2=$(($(wc -l <"$W/s2/runs.csv") - 1))
echo "## 12-run sweep of the demo ($n1 / $n2 runs)"
echo "ranks | wall s | speed-up | efficiency"
printf '1 | %.2f | 1.00 | 1.00\n' "$v1"
awk -v a="$v1" -v b="$v2" 'BEGIN { printf "2 | %.2f | %.2f | %.2f\n", b, a / b, a / b / 2 }'

# 3. the paper estimate
halfsteps=$(awk -v n="$ntrain" -v b="$((BATCH / 2))" 'BEGIN { print int((n + b - 1) / b) }')
awk -v s1="$s1" -v s2="$s2" -v sh="$sh_" -v steps="$steps" -v hsteps="$halfsteps" -v floats="$floats" -v ar="$ar_us" -v batch="$BATCH" 'BEGIN {
    bytes = floats * 4; t1 = s1 / steps; t2 = s2 / steps; th = sh / hsteps
    # compute(share) = a + b * share / batch: a the part of a step that does not shrink
    # with the rank share (the optimiser step and clip over every parameter, the
    # recurrence walks the batch longest session whatever the share, per-step overheads),
    # b the part that does; from one process at batch B (t1 = a + b) and B/2 (th = a + b/2)
    b = 2 * (t1 - th); a = t1 - b
    if (a < 0) { a = 0; b = t1 }
    if (b < 0) { b = 0; a = t1 }
    printf "## Estimate: batch %d, %d floats allreduced per step (%.0f kB); measured per step: %.2f ms on 1 rank at batch %d, %.2f ms at %d, %.2f ms on 2 ranks; shared-memory allreduce %.0f us\n", batch, floats, bytes / 1e3, 1e3 * t1, batch, 1e3 * th, batch / 2, 1e3 * t2, ar
    printf "model: step(N) = a + b (B / %d) / N + ring allreduce; a = %.2f ms, b = %.2f ms; ring = 2 (N-1) alpha + 2 (N-1)/N bytes / bandwidth\n", batch, 1e3 * a, 1e3 * b
    print "10 Gbit: alpha 25 us (TCP), 1.1 GB/s usable; 100 Gbit: alpha 3 us (RDMA), 11 GB/s usable; one rank per node"
    print "net | ranks | global batch | per rank | compute ms | allreduce ms | step ms | speed-up | efficiency"
    split("10 100", net, " "); split("25e-6 3e-6", al, " "); split("1.1e9 11e9", bw, " ")
    split("8 32 128", ns, " ")
    for (k = 1; k <= 2; k++) for (j = 1; j <= 3; j++) for (weak = 0; weak <= 1; weak++) {
        N = ns[j]; B = weak ? batch * N : batch
        comp = a + b * (B / batch) / N
        ring = 2 * (N - 1) * al[k] + 2 * (N - 1) / N * bytes / bw[k]
        step = comp + ring
        sp = (a + b * B / batch) / step          # against one rank doing the same global batch
        printf "%s Gbit | %d | %d | %g | %.3f | %.3f | %.3f | %.1f | %.2f\n", net[k], N, B, B / N, 1e3 * comp, 1e3 * ring, 1e3 * step, sp, sp / N
    }
}'
echo "# after: $(uptime)"
