#!/bin/sh
# tui_library.sh — the runs library (tmux): sweep folders (a headless `sweep --out
# RUNS/sweepA`) are rows that fold and unfold (Enter, Left, Right; open while a filter is
# set), `f` folds seed groups into one row with their means, Space on a folder or a group
# marks its runs and c compares them; Tab completes runs inside a sweep folder; runs anywhere open from the command line (clickseq
# RUN|DIR...: the library with them marked, compare on top when they are two or more) and
# through :compare /abs/path, and replay of such a run works and returns to compare; a
# missing path or a plain file is a usage error.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
C="$CLICKSEQ"
DEMO="$SRCDIR/data/demo-shop.csv"
RUNS="$T/runs"
OUT="$T/elsewhere/X"
train() {   # train NAME-DIR CELL SEED
    $C train --data "$DEMO" --cell "$2" --hidden 8 --epochs 2 --patience 0 --threads 1 --seed "$3" \
        --quiet --out "$1" >/dev/null 2>"$T/train.err" || { bad "train $1"; sed 's/^/    /' "$T/train.err"; }
}
train "$OUT/gru-s1" gru 1
train "$OUT/gru-s2" gru 2
train "$RUNS/lstm-a" lstm 1
$C sweep --data "$DEMO" --cell rnn,gru --hidden 8 --seeds 2 --epochs 2 --patience 0 --threads 1 --no-baselines \
    --out "$RUNS/sweepA" >/dev/null 2>"$T/sweep.err" || { bad "sweep"; sed 's/^/    /' "$T/sweep.err"; }
OPTS="--runs $RUNS --history $T/hist --no-config"

# --- the command line: a missing path and a plain file are usage errors
expect_exit 2 "a missing path on the command line is a usage error" -- $C $OPTS "$T/nope/run"
expect_grep "$T/nope/run: cannot open" "$T/err" "and is named"
expect_exit 2 "a plain file is not a run" -- $C $OPTS "$DEMO"
expect_grep "not a run directory nor a folder of runs" "$T/err" "and says so"

# --- clickseq DIR: a folder of two runs outside the runs directory opens in compare
tui_start 160 40 "$C $OPTS $OUT"
expect_screen "compare: 1 group, 2 runs" "clickseq DIR opens compare on the folder's runs"
expect_screen "● gru \(2\)" "the two seeds form one group"
keys r
expect_screen "replay: $OUT/gru-s1 " "r replays a run outside the runs directory"
grep -q "not a run directory" "$T/screen" && bad "replay looked in the runs directory" || ok "no 'not a run directory'"
keys q
expect_screen "compare: 1 group, 2 runs" "q in replay returns to compare"
keys Escape
expect_screen "runs library: 7 of 7 runs in $RUNS \+ 1 path +\(2 marked\)" "Esc: the library lists the runs directory and the given runs"
expect_screen "^● ▾ $OUT/ \(2 runs\)" "the given folder is a row, open, its runs marked"
expect_screen "^●   gru-s1 " "its runs below it, by their names"
expect_screen "^  lstm-a " "the runs directory's run is there, unmarked"
expect_screen "^  ▸ sweepA/ \(4 runs\)" "the sweep's folder is one row, folded"
grep -q "rnn-s1" "$T/screen" && bad "a folded folder shows its runs" || ok "its runs hidden while folded"

# --- folders fold and unfold; a filter shows what matches inside
keys G
expect_screen "^  ▸ sweepA/ .*$" "G: the last row"
keys Enter
expect_screen "^  ▾ sweepA/ \(4 runs\)" "Enter unfolds the sweep's folder"
expect_screen "^    rnn-s2 +demo-shop" "its runs indented below it"
keys Down Down Left
expect_screen "^  ▸ sweepA/ \(4 runs\)" "Left inside the folder folds it"
keys Right
expect_screen "^  ▾ sweepA/" "Right unfolds it again"
keys Left
wait_for "^  ▸ sweepA/" 5 >/dev/null
keys / r n n Enter
expect_screen "runs library: 2 of 7 runs .*filter /rnn" "/ filters every run, folded ones too"
expect_screen "^  ▾ sweepA/ \(2 of 4 runs\)" "the folder opens while the filter is set, with its count"
expect_screen "^    rnn-s1 " "showing the matches inside"
keys / Escape
expect_screen "^  ▸ sweepA/ \(4 runs\)" "Esc clears the filter: the folder is folded again"

# --- f: seed groups as rows; Space on a group or a folder marks its runs; c compares them
keys f
expect_screen "seeds folded" "f folds the seed groups"
expect_screen "^●   gru ×2 seeds +demo-shop.csv [0-9a-f]{6} +gru +8 .*0\.[0-9]{3}±0\.[0-9]{3}" "a group's row: name, seeds, common values, mean ± std"
keys g Space
expect_screen "\(0 marked\)" "Space on the marked folder unmarks its runs"
keys G Space
expect_screen "\(4 marked\)" "Space on the folded sweep folder marks its four runs"
keys c
expect_screen "compare: 2 groups, 4 runs" "c compares them as two seed groups"
keys Escape
expect_screen "runs library:" "Esc back to the library"
keys G Space g Down Space
expect_screen "\(2 marked\)" "Space on the group row marks its two runs"
keys f
expect_screen "^●   gru-s2 " "f again: the runs one by one"

# --- Tab descends into the sweep's folder; a nested run replays
keys : "replay sweepA/r" Tab
expect_screen "^:replay sweepA/rnn-s *$" "Tab completes a run inside a sweep folder"
keys 1 Enter
expect_screen "replay: sweepA/rnn-s1 " ":replay sweepA/rnn-s1"
keys q
expect_screen "runs library:" "q: back to the library"

# --- :compare with absolute paths (and a run of the runs directory)
keys : "compare $OUT/gru-s2 lstm-a" Enter
expect_screen "compare: 2 groups, 2 runs" ":compare /abs/path NAME opens both"
grep -q "runs//" "$T/screen" && bad "the path was joined under the runs directory" || ok "no runs//abs/path"
keys r
expect_screen "replay: $OUT/gru-s2 " "replay of the first compared run (outside)"
keys q Escape Escape
expect_screen "clickseq  data: demo-shop" "Esc back to the main screen"
keys : "replay $OUT/gru-s1" Enter
expect_screen "replay: $OUT/gru-s1 " ":replay /abs/path"
keys q
expect_screen "clickseq  data: demo-shop" "q: back where it came from"
keys q
i=0; while [ "$(pane_dead)" != 1 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(pane_dead)" = 1 ] && ok "q on the main screen quits" || bad "still running after q"

# --- a relative path: one run given, the library selects it; r replays it
tui_respawn "cd $T && $C --runs runs --history $T/hist --no-config elsewhere/X/gru-s2/"
expect_screen "runs library: 6 of 6 runs in runs \+ 1 path +\(1 marked\)" "clickseq RUN (relative, trailing /) opens the library"
expect_screen "1 run given: r replays it" "and says what to do with one run"
expect_screen "^● ▾ \./elsewhere/X/ \(1 run\)" "in its folder ./elsewhere/X"
expect_screen "^●   gru-s2 " "marked"
keys / g r u - s 2 Enter r
expect_screen "replay: \./elsewhere/X/gru-s2 " "r replays the relative path run"
keys q q q
i=0; while [ "$(pane_dead)" != 1 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(pane_dead)" = 1 ] && ok "q, q, q: replay, library, quit" || bad "still running after q q q"

# --- a sweep folder given on the command line: compare on its groups, its table in the sweep view
cp -r "$RUNS/sweepA" "$T/elsewhere/sweepB"
tui_respawn "$C $OPTS $T/elsewhere/sweepB"
expect_screen "compare: 2 groups, 4 runs" "clickseq SWEEP-DIR compares its seed groups"
keys Escape : sweeps Enter
expect_screen "sweep results: $T/elsewhere/sweepB" ":sweeps shows the given sweep's results table"
expect_screen "^ +rnn +2 +0\.[0-9]{3}±0\.[0-9]{3}" "a row per configuration"
keys q q q
finish
