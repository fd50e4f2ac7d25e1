#!/bin/sh
# infer_threads.sh — eval, predict and early on several threads (issue 12): whole batches
# on each thread give exactly the output of one thread (predict's CSV byte for byte, eval's
# metrics, early's curve), for --threads 1, 2, 3 and the default (all cores).
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
SHOP="$T/shop.csv"
# 7,000 sessions: 6+ batches of predict's 1024 sessions, so two and three threads share them
simulate_shop "$SHOP" --sessions 7000 --seed 5
expect_exit 0 "train a small GRU" -- "$C" train --data "$SHOP" --epochs 1 --hidden 16 \
    --emb-type 4 --emb-item 4 --hash-buckets 256 --batch 128 --threads 1 --quiet --out "$T/gru"

for t in 1 2 3 0; do
    expect_exit 0 "predict --threads $t" -- "$C" predict --run "$T/gru" --threads "$t" --out "$T/p$t.csv"
    expect_exit 0 "eval --threads $t" -- "$C" eval --run "$T/gru" --threads "$t" --json
    mv "$T/out" "$T/e$t.json"
    expect_exit 0 "early --threads $t" -- "$C" early --run "$T/gru" --k 1..4 --threads "$t" --out "$T/k$t.csv"
done
expect_exit 0 "predict with the default threads" -- "$C" predict --run "$T/gru" --out "$T/pd.csv"
rows=$(($(wc -l <"$T/p1.csv") - 1))
[ "$rows" -gt 6000 ] && ok "predict scores $rows sessions" || bad "predict wrote $rows rows"
awk -F, 'NR > 1 { s[$2] = 1 } END { exit length(s) < 100 }' "$T/p1.csv" \
    && ok "the probabilities are not a constant" || bad "predict gives (almost) one value"
for t in 2 3 0 d; do
    cmp -s "$T/p1.csv" "$T/p$t.csv" && ok "predict: threads $t = threads 1, byte for byte" \
        || bad "predict with threads $t differs from 1 thread: $(diff "$T/p1.csv" "$T/p$t.csv" | head -3)"
done
for t in 2 3 0; do
    cmp -s "$T/e1.json" "$T/e$t.json" && ok "eval: threads $t = threads 1" \
        || bad "eval with threads $t differs: $(cat "$T/e$t.json")"
    cmp -s "$T/k1.csv" "$T/k$t.csv" && ok "early: threads $t = threads 1" \
        || bad "early with threads $t differs: $(diff "$T/k1.csv" "$T/k$t.csv" | head -3)"
done
finish
