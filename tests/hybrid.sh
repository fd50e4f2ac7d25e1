#!/bin/sh
# hybrid.sh — the hybrid view (sequence + the honest session features of the same events),
# the history inputs and the embedding regularisation through the binary: train, the run's
# files (view, feature names, normaliser), eval / predict after loading give the scores
# training kept, early prediction with history inputs, and the refusals.
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
simulate_shop "$T/shop.csv" --sessions 1500 --seed 12
TR="--data $T/shop.csv --epochs 2 --hidden 8 --emb-type 4 --batch 64 --threads 1 --quiet"

expect_exit 0 "train a hybrid GRU with history inputs and regularised item embeddings" -- \
    "$C" train $TR --view hybrid --history-inputs --feat-hidden 6 --emb-item 4 --hash-buckets 256 \
    --emb-dropout 0.3 --emb-decay 1e-3 --out "$T/r/hyb" --json
R="$T/r/hyb"
expect_grep "^model_view = 2$" "$R/config.txt" "config.txt records the hybrid view"
expect_grep "^view = hybrid$" "$R/config.txt" "and the view parameter"
expect_grep "^history-inputs = yes$" "$R/config.txt" "and the history inputs"
expect_grep "^emb-dropout = 0.3(0000001[0-9]*)?$" "$R/config.txt" "and the embedding dropout"
expect_grep "^emb-decay = 0.001$" "$R/config.txt" "and the embedding decay"
expect_grep "^feat_names = length,n_view,n_cart,n_remove_from_cart,duration_s," "$R/config.txt" \
    "the feature names are stored as for the features view"
expect_grep "^type_names = " "$R/config.txt" "and the event types"
nf=$(sed -n 's/^n_feat = //p' "$R/config.txt")
[ "$nf" = 15 ] && ok "15 session features" || bad "n_feat = $nf"

# after loading, predict gives every test session the score training kept (scores.csv)
expect_exit 0 "predict with the hybrid run" -- "$C" predict --run "$R" --out "$T/p.csv"
awk -F, 'NR == FNR { if ($1 ~ /^[0-9]+$/) s[$1] = $3; next }
         FNR > 1 { i = FNR - 2; if (i in s) { n++; d = $2 - s[i]; if (d < 0) d = -d; if (d > 1e-6) bad++ } }
         END { if (n < 100 || bad) { print n, bad; exit 1 } }' "$R/scores.csv" "$T/p.csv" \
    && ok "loaded model: the test sessions' scores equal scores.csv" || bad "predict differs from scores.csv"
expect_exit 0 "eval --json" -- "$C" eval --run "$R" --json
expect_grep '"pr_auc":0\.[0-9]' "$T/out" "eval reports PR-AUC"

# a hybrid run evaluated on data whose events lack a type: the features are matched by name
grep -v ',remove_from_cart,' "$T/shop.csv" >"$T/noremove.csv"
expect_exit 0 "predict on data without remove_from_cart" -- "$C" predict --run "$R" --data "$T/noremove.csv" --out "$T/p2.csv"
expect_grep "n_remove_from_cart" "$T/err" "says the missing count reads as 0"

# early prediction keeps the history inputs of a prefix (they read earlier events only)
expect_exit 0 "train a GRU with history inputs (sequence view)" -- \
    "$C" train $TR --history-inputs --out "$T/r/hist"
expect_exit 0 "early prediction of a history-inputs run" -- "$C" early --run "$T/r/hist" --k 3
expect_exit 2 "early prediction refuses the hybrid view" -- "$C" early --run "$R" --k 3

# the same configuration without regularisation is a different run; the seed repeats it
expect_exit 0 "the same hybrid run again" -- "$C" train $TR --view hybrid --history-inputs --feat-hidden 6 \
    --emb-item 4 --hash-buckets 256 --emb-dropout 0.3 --emb-decay 1e-3 --out "$T/r/hyb2"
cmp -s "$R/model.bin" "$T/r/hyb2/model.bin" && ok "same seed: identical weights (embedding dropout is seeded)" \
    || bad "embedding dropout is not deterministic"
expect_exit 0 "without the embedding regularisation" -- "$C" train $TR --view hybrid --history-inputs \
    --feat-hidden 6 --emb-item 4 --hash-buckets 256 --out "$T/r/hyb3"
cmp -s "$R/model.bin" "$T/r/hyb3/model.bin" && bad "embedding dropout/decay changed nothing" \
    || ok "embedding dropout/decay change the weights"

# --preset best: the hybrid view with history inputs; later options win over it
expect_exit 0 "train --preset best" -- "$C" train --preset best --data "$T/shop.csv" --epochs 1 --hidden 8 \
    --threads 1 --quiet --out "$T/r/best"
expect_grep "^view = hybrid$" "$T/r/best/config.txt" "--preset best trains the hybrid view"
expect_grep "^history-inputs = yes$" "$T/r/best/config.txt" "with history inputs"
expect_grep "^cell = lstm$" "$T/r/best/config.txt" "an LSTM"
expect_grep "^hidden = 8$" "$T/r/best/config.txt" "and the command line's hidden size over the preset's"

# refusals
printf 'a,b,Revenue\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n' >"$T/t.csv"
expect_exit 2 "hybrid on a features table is refused" -- "$C" train --data "$T/t.csv" --format features \
    --view hybrid --epochs 1 --out "$T/r/x"
expect_grep "view hybrid needs events" "$T/err" "says why"
expect_exit 2 "hybrid with the compat method is refused" -- "$C" train $TR --view hybrid --method compat --out "$T/r/y"
expect_grep "hybrid.*honest" "$T/err" "says why"
expect_exit 2 "an MLP on the hybrid view is refused" -- "$C" train $TR --view hybrid --cell mlp --out "$T/r/z"
expect_exit 2 "emb-dropout 1 is out of range" -- "$C" train $TR --emb-dropout 1 --out "$T/r/w"
finish
