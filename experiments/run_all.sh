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
run demo-early        $C early --run $R/demo-sweep-emb/gru-emb-item0-lr1e-3-s1 --k 20 \
                          --out $R/demo-early.csv
# (a') a larger simulated shop (not committed: the command rebuilds it byte for byte)
if [ -z "$ALL" ] || echo " $ALL " | grep -q " sim50k-sweep "; then
    [ -f /tmp/clickseq-shop50k.csv ] || $C simulate --sessions 50000 --seed 2026 --out /tmp/clickseq-shop50k.csv
fi
run sim50k-sweep      $C sweep --data /tmp/clickseq-shop50k.csv --cell gru,lstm --hidden 64 --emb-category 8 \
                          --seeds 3 --threads 1 --out $R/sim50k-sweep
# (a'') long range: the entry source (visible only in a session's first 3 events) decides long
# sessions.  Train on 60,000 simulated sessions (seed 7), evaluate every saved run on another
# simulated shop (50,000 sessions, seed 8): its long sessions (>= 40 events) and all of them.
# Neither file is committed: the commands rebuild them byte for byte.
LR7=/tmp/clickseq-shop60k-s7.csv
LR8=/tmp/clickseq-shop50k-s8.csv
if [ -z "$ALL" ] || echo " $ALL " | grep -Eq " long-range(-lstm80|-fb1|-eval)? "; then
    [ -f $LR7 ] || $C simulate --sessions 60000 --seed 7 --out $LR7
    [ -f $LR8 ] || $C simulate --sessions 50000 --seed 8 --out $LR8
fi
# These two ran on 0.1.0, before the LSTM forget bias (now 1 by default) existed: with this
# version add --forget-bias 0 to them to get the same numbers.  long-range-fb1 is the LSTM
# of the first one with the forget bias at 1 (the default now).
run long-range        $C sweep --data $LR7 --cell rnn,gru,lstm --hidden 64 --epochs 40 --patience 0 \
                          --seeds 3 --threads 1 --out $R/long-range
run long-range-lstm80 $C sweep --data $LR7 --cell lstm --hidden 64 --epochs 80 --patience 0 \
                          --seeds 3 --no-baselines --threads 1 --out $R/long-range-lstm80
run long-range-fb1    $C sweep --data $LR7 --cell lstm --hidden 64 --epochs 40 --patience 0 \
                          --seeds 3 --threads 1 --no-baselines --out $R/long-range-fb1
# every saved run of both sweeps (runs.csv's last column), on the seed-8 shop: one JSON per
# run and data selection in results/long-range-eval/, the commands in its commands.txt
evalruns() {
    o=$R/long-range-eval; mkdir -p "$o"
    for sw in long-range long-range-lstm80 long-range-fb1; do
        tail -n +2 "$R/$sw/runs.csv" | awk -F, '{ print $NF }' | while read -r d; do
            [ -f "$d/model.bin" ] || continue
            b=$sw--$(basename "$d")
            echo "$C eval --run $d --data $LR8 --min-len 40 --json > $o/$b--min40.json" >> $o/commands.txt
            $C eval --run "$d" --data $LR8 --min-len 40 --json > "$o/$b--min40.json"
            echo "$C eval --run $d --data $LR8 --json > $o/$b--all.json" >> $o/commands.txt
            $C eval --run "$d" --data $LR8 --json > "$o/$b--all.json"
        done
    done
}
run long-range-eval   evalruns
# (b) YooChoose 1 %: clicks before the first buy, time split 70/15/15 (the default)
run yc-study          $C study $YD --seeds 1 --threads 1 --out $R/yc-study
run yc-sweep          $C sweep $YD --cell rnn,gru,lstm --hidden 64 --emb-category 8 --emb-item 0,16 \
                          --seeds 3 --threads 1 --out $R/yc-sweep
run yc-features       $C sweep $YD --view features --cell mlp --hidden 64 --seeds 3 --threads 1 \
                          --out $R/yc-features
run yc-early          $C early --run $R/yc-sweep/gru-emb-item0-s1 --k 20 --out $R/yc-early.csv
# the same GRU in PyTorch (yc-sweep's gru row with emb-item 0), on clickseq's exported split
if [ -z "$ALL" ] || echo " $ALL " | grep -q " yc-torch "; then
    make experiments/export_dataset
    experiments/export_dataset $YD --emb-category 8 --out /tmp/yc-export.csv
    /usr/bin/python3 experiments/torch_gru.py --data /tmp/yc-export.csv --hidden 64 --emb-type 16 \
        --emb-category 8 --emb-item 0 --lr 1e-3 --batch 256 --epochs 20 --patience 5 --clip 5 \
        --seeds 1,2,3 --out $R/yc-torch-gru.csv
fi
# (b') which cell differences are real: 3 cells x N seeds, then `clickseq compare --json`
# (seed groups, paired bootstrap over the test sessions with seeds resampled; compare.h)
cells() { name=$1; shift; $C sweep "$@" --cell rnn,gru,lstm --no-baselines --threads 1 --out "$R/$name" &&
          echo "$C compare $R/$name --json" > "$R/$name/compare-cmd.txt" &&
          $C compare "$R/$name" --json > "$R/$name/compare.json"; }
run demo-cells        cells demo-cells --data data/demo-shop.csv --hidden 32 --seeds 5
run yc-cells          cells yc-cells $YD --hidden 64 --emb-category 8 --seeds 3
# the same question at a modest cost (a shared machine): hidden 32, 3 seeds; YooChoose 10 epochs
run demo-cells3       cells demo-cells3 --data data/demo-shop.csv --hidden 32 --seeds 3
run yc-cells-h32      cells yc-cells-h32 $YD --hidden 32 --epochs 10 --seeds 3
# (c) UCI online shoppers: a features table; stratified 70/15/15, with and without PageValues
U1="--data $U --format features --view features"
run uci-sweep         $C sweep $U1 --split stratified --cell logreg,mlp,rnn,gru,lstm --hidden 32 --seeds 3 --threads 1 \
                          --out $R/uci-sweep
run uci-sweep-nopv    $C sweep $U1 --split stratified --drop PageValues --cell logreg,mlp,rnn,gru,lstm --hidden 32 --seeds 3 \
                          --threads 1 --out $R/uci-sweep-nopv
run uci-study-method  $C sweep --preset study-gru $U1 --split random --cell rnn,gru,lstm --seeds 3 \
                          --threads 1 --out $R/uci-study-method
run uci-study-method-nopv $C sweep --preset study-gru $U1 --split random --drop PageValues \
                          --cell rnn,gru,lstm --seeds 3 --threads 1 --out $R/uci-study-method-nopv
# (d) XGBoost as a cell (issue 11: `--cell xgboost`): gradient boosting saved as a run with its
# test scores, so `clickseq compare` puts it through the same paired bootstrap as the networks.
# UCI: one sweep, every cell on the features table (no compare: the stratified split draws
# another test set for each seed, and the bootstrap pairs runs on the same sessions).  YooChoose: the features view (boosting,
# logreg, MLP) and the best networks on the sequences, compared on the same test sessions.
xgbcmp() { name=$1; shift; echo "$C compare $* --json" > "$R/$name/compare-cmd.txt" &&
           $C compare "$@" --json > "$R/$name/compare.json"; }
xgb_uci() { $C sweep $U1 --split stratified --cell xgboost,logreg,mlp,gru,lstm --hidden 32 --seeds 3 \
                --threads 1 --out $R/xgbcell-uci; }   # stratified: each seed draws its own test set
xgb_ycf() { $C sweep $YD --view features --cell xgboost,logreg,mlp --hidden 64 --seeds 3 --threads 1 \
                --out $R/xgbcell-yc-feat; }
xgb_ycs() { $C sweep $YD --cell gru,lstm --hidden 64 --emb-category 8 --seeds 3 --threads 1 \
                --no-baselines --out $R/xgbcell-yc-seq &&
            xgbcmp xgbcell-yc-seq $R/xgbcell-yc-feat/xgboost-s? $R/xgbcell-yc-feat/logreg-s? \
                $R/xgbcell-yc-feat/mlp-s? $R/xgbcell-yc-seq; }   # the cells, not the baseline runs
run xgbcell-uci       xgb_uci
run xgbcell-yc-feat   xgb_ycf
run xgbcell-yc-seq    xgb_ycs
# (e) issue 11: sequences and session features together.  --preset best was chosen on the
# YooChoose sample's VALIDATION split only (valid.md of yc-select1..3, written by
# experiments/valid_table.sh from each run's history.csv at its best epoch; seeds 1 and 2).
select_step() { name=$1; shift; $C sweep "$@" --out "$R/$name" && sh experiments/valid_table.sh "$R/$name" > "$R/$name/valid.md"; }
YS="--hidden 64 --emb-category 8 --seeds 2 --no-baselines --threads 1"
YH="$YD --cell lstm --view hybrid --history-inputs $YS"
run yc-select1        select_step yc-select1 $YD --cell lstm,gru --view sequence,hybrid --history-inputs=no,yes $YS
run yc-select2        select_step yc-select2 $YH --emb-item 16 --emb-dropout 0,0.25 --emb-decay 0,1e-3
run yc-select3        select_step yc-select3 $YH --feat-hidden 16,32
# the chosen preset, 3 seeds, with the baselines (logistic regression and XGBoost on the
# session features), against the three cells on the sequence view (yc-cells, demo-cells,
# above): one `clickseq compare --json` over the folders (run yc-cells / demo-cells first),
# and boosting as a cell (its runs keep their test scores, so compare pairs it too)
best() { name=$1; cells=$2; xgb=$3; shift 3; $C sweep --preset best "$@" --seeds 3 --threads 1 --out "$R/$name" &&
         $C sweep "$@" --view features --cell xgboost --seeds 3 --no-baselines --threads 1 --out "$R/$xgb" &&
         echo "$C compare $R/$cells $R/$name $R/$xgb --json" > "$R/$name/compare-cmd.txt" &&
         $C compare "$R/$cells" "$R/$name" "$R/$xgb" --json > "$R/$name/compare.json"; }
run yc-best           best yc-best yc-cells yc-xgb $YD
run demo-best         best demo-best demo-cells demo-xgb --data data/demo-shop.csv
# UCI has no events (no hybrid view): a 2-layer MLP chosen on validation against XGBoost;
# the stratified split is drawn per seed, so compare pairs the seed-1 runs of every model
run uci-select        select_step uci-select $U1 --split stratified --cell mlp --layers 2 --hidden 64:32,128:64 \
                          --dropout 0,0.2 --lr 1e-3,3e-3 --epochs 100 --patience 10 --seeds 2 --no-baselines --threads 1
uci_mlp2() { $C sweep $U1 --split stratified --cell mlp --layers 2 --hidden 128:64 --epochs 100 --patience 10 \
                 --seeds 3 --threads 1 --out $R/uci-mlp2 &&
             s1="$R/uci-sweep/logreg-s1 $R/uci-sweep/mlp-s1 $R/uci-sweep/rnn-s1 $R/uci-sweep/gru-s1 $R/uci-sweep/lstm-s1 $R/uci-sweep/logreg-d0-s1 $R/uci-mlp2/mlp-s1" &&
             echo "$C compare $s1 --json" > $R/uci-mlp2/compare-cmd.txt && $C compare $s1 --json > $R/uci-mlp2/compare.json; }
run uci-mlp2          uci_mlp2
