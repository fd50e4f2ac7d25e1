#!/bin/sh
# tests/tui_library_live.sh — runs that OTHER processes train are rows of the runs library
# (L), in tmux, with NO_COLOR=1 (the markers are glyphs and words, not colours): a headless
# `clickseq train` appears as a row marked ● with status running and its epochs counting
# up in the best column; after kill -9 the row turns ✗ stale; a train that finishes
# normally is then exactly one row, the saved run (done), checked at every capture while
# it trains and is saved (no run ever listed twice).  The main screen's runs pane marks
# the run in training too.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
simulate_shop "$T/shop.csv" --sessions 6000 --seed 5
R="$T/runs"
mkdir -p "$R"
cp -r "$SRCDIR/tests/fixtures/runs/seq" "$R/old"
TR="--data $T/shop.csv --hidden 8 --emb-type 4 --batch 32 --threads 1 --patience 0"

tui_start 160 40 "NO_COLOR=1 $CLICKSEQ --runs '$R' --no-config --data '$T/shop.csv'"
wait_for 'train' 20 || { bad "the workbench did not start"; sed 's/^/    | /' "$T/screen"; }
keys L
expect_screen 'runs library: 1 of 1 runs' "L opens the library with the saved run" 10

# the library's rows on the last capture: "NAME STATUS" for each row (marker glyph kept)
rows() { sed -n -E 's/^.([●✗ ])([^ ]+) .* (done|stopped|interrupted|diverged|running|stale) .*/\1\2 \3/p' "$T/screen"; }
no_twice() {
    d=$(rows | sed 's/^.//' | awk '{print $1}' | sort | uniq -d)
    [ -z "$d" ] || { bad "a run listed twice: $d"; sed 's/^/    | /' "$T/screen" | head -20; return 1; }
}
# the best column (the latest epoch for a run in training) of the row of $1
row_best() { grep -E -- "^.$1 " "$T/screen" | head -1 | awk '{for (i = 1; i <= NF; i++) if ($i == "running") {print $(i + 1); exit}}'; }

# a headless train in another process: a row, ● running, its epochs counting up
"$CLICKSEQ" train $TR --quiet --epochs 1000 --out "$R/k" >/dev/null 2>&1 &
kpid=$!
expect_screen '^.●k +shop\.csv +gru .* running +[1-9]' "a headless train appears as a row: ● k ... running, epoch >= 1" 30
expect_screen 'runs library: 2 of 2 runs .*● 1 training \(W watches\)' "the header counts it among the runs and as training"
e1=$(row_best '●k')
grown=0; i=0
while [ "$i" -lt 40 ]; do
    sleep 0.5; i=$((i + 1)); cap >"$T/screen"
    e2=$(row_best '●k')
    if [ -n "$e1" ] && [ -n "$e2" ] && [ "$e2" -ge $((e1 + 2)) ]; then grown=1; break; fi
done
[ "$grown" = 1 ] && ok "its row follows the run (epoch $e1 -> $e2)" || { bad "its epoch did not move ($e1 -> ${e2:-?})"; sed 's/^/    | /' "$T/screen" | head -12; }
keys /
keys r u n n i n g Enter
expect_screen 'runs library: 1 of 2 runs .*filter /running' "the filter 'running' keeps only the row in training"
keys / Escape
wait_for 'runs library: 2 of 2 runs' 5
keys d
expect_screen 'k is still training in another process' "d refuses a run in training"
keys Escape
expect_screen '● k +ep [0-9]+/1000' "the main screen's runs pane marks it too (● k ep N/1000)" 10
keys L
expect_screen 'runs library: 2 of 2 runs' "L: back in the library" 10

# kill -9: stale, with its own marker, never running forever
kill -9 "$kpid"; wait "$kpid" 2>/dev/null
expect_screen '^.✗k +shop\.csv .* stale ' "kill -9: the row turns ✗ stale" 10
expect_screen '● 0 training, 1 stale' "the header counts it stale"

# a train that finishes normally: running, then exactly one row, saved (done)
"$CLICKSEQ" train $TR --quiet --epochs 250 --out "$R/fin" >"$T/fin.out" 2>"$T/fin.err" &
fpid=$!
seen=0; i=0
while kill -0 "$fpid" 2>/dev/null && [ "$i" -lt 1200 ]; do
    sleep 0.1; i=$((i + 1)); cap >"$T/screen"; no_twice || break
    grep -q -E '^.●fin .* running ' "$T/screen" && seen=1
done
wait "$fpid"; rc=$?
[ "$rc" = 0 ] && ok "the second train finished" || { bad "train exit $rc"; sed 's/^/    /' "$T/fin.err" | head; }
[ "$seen" = 1 ] && ok "it was listed as ● running while it trained" || bad "it was never listed as running"
expect_screen '^. fin +shop\.csv [0-9a-f]{6} .* done ' "once finished its row is the saved run (done, the data's fingerprint)" 10
cap >"$T/screen"
n=$(rows | grep -c -E '^.fin ')
[ "$n" = 1 ] && ok "exactly one row for it" || { bad "$n rows for it"; sed 's/^/    | /' "$T/screen" | head -12; }
expect_screen 'runs library: 3 of 3 runs' "3 rows: the saved run, the stale one, the finished one"
[ ! -e "$R/.fin.live" ] && ok "its live record is gone" || bad "its live record is left"
keys q
keys q
finish
