#!/bin/sh
# run_all.sh — every command behind EXPERIMENTS.md, in order.  Run from the top of a built
# tree: `sh experiments/run_all.sh [NAME...]` (no NAME: all).  Each NAME writes
# experiments/results/NAME/ (tables committed; run directories ignored by git).
# --threads 1 everywhere: many small runs on a shared 2-core machine, one thread each.
set -eu
C=./clickseq
R=experiments/results
Y=../shared/data/yoochoose_rsc15_sample1pct
U=../shared/data/online_shoppers_intention/online_shoppers_intention.csv
YD="--data $Y/sample_clicks.csv --outcomes $Y/sample_buys.csv"
fresh() { rm -rf "$R/$1"; mkdir -p "$R"; }
timed() { name=$1; shift; fresh "$name"; s=$(date +%s); "$@"; e=$(date +%s);
          echo "$name: $((e - s)) s wall" | tee -a "$R/walltimes.txt"; }
want() { [ $# -eq 0 ] && return 0; for w in $ALL; do [ "$w" = "$1" ] && return 0; done; return 1; }
ALL="$*"
run() { name=$1; shift; if [ -z "$ALL" ] || echo " $ALL " | grep -q " $name "; then timed "$name" "$@"; fi; }

# (a) the bundled demo
run demo-study        $C study --data data/demo-shop.csv --seeds 3 --threads 1 --out $R/demo-study
run demo-study-steps  $C study --data data/demo-shop.csv --seeds 3 --threads 1 --batch 100 --epochs 60 \
                          --out $R/demo-study-steps
run demo-sweep        $C sweep --data data/demo-shop.csv --cell rnn,gru,lstm --hidden 32,64 --seeds 3 \
                          --threads 1 --out $R/demo-sweep
run demo-sweep-emb    $C sweep --data data/demo-shop.csv --cell rnn,gru,lstm --hidden 64 \
                          --emb-category 8 --emb-item 0,16 --lr 1e-3,3e-3 --epochs 40 --patience 8 \
                          --seeds 3 --threads 1 --out $R/demo-sweep-emb
# (b) YooChoose 1 %: clicks before the first buy, time split 70/15/15 (the default)
run yc-study          $C study $YD --seeds 1 --threads 1 --out $R/yc-study
run yc-sweep          $C sweep $YD --cell rnn,gru,lstm --hidden 64 --emb-category 8 --emb-item 0,16 \
                          --seeds 3 --threads 1 --out $R/yc-sweep
# (c) UCI online shoppers: a features table; stratified 70/15/15, with and without PageValues
U1="--data $U --format features --view features --split stratified"
run uci-sweep         $C sweep $U1 --cell logreg,mlp,rnn,gru,lstm --hidden 32 --seeds 3 --threads 1 \
                          --out $R/uci-sweep
run uci-sweep-nopv    $C sweep $U1 --drop PageValues --cell logreg,mlp,rnn,gru,lstm --hidden 32 --seeds 3 \
                          --threads 1 --out $R/uci-sweep-nopv
run uci-study-method  $C sweep --preset study-gru $U1 --split random --cell rnn,gru,lstm --seeds 3 \
                          --threads 1 --out $R/uci-study-method
run uci-study-method-nopv $C sweep --preset study-gru $U1 --split random --drop PageValues \
                          --cell rnn,gru,lstm --seeds 3 --threads 1 --out $R/uci-study-method-nopv
