#!/bin/sh
# tui_library.sh — the runs library beyond the runs directory (tmux): runs anywhere open
# from the command line (clickseq RUN|DIR...: the library with them marked, compare on top
# when they are two or more) and through :compare /abs/path, and replay of such a run
# works and returns to compare; a missing path or a plain file is a usage error.
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
OPTS="--runs $RUNS --history $T/hist --no-config"

# --- the command line: a missing path and a plain file are usage errors
expect_exit 2 "a missing path on the command line is a usage error" -- $C $OPTS "$T/nope/run"
expect_grep "$T/nope/run: cannot open" "$T/err" "and is named"
expect_exit 2 "a plain file is not a run" -- $C $OPTS "$DEMO"
expect_grep "not a run directory nor a folder of runs" "$T/err" "and says so"

# --- clickseq DIR: a folder of two runs outside the runs directory opens in compare
tui_start 120 40 "$C $OPTS $OUT"
expect_screen "compare: 1 group, 2 runs" "clickseq DIR opens compare on the folder's runs"
expect_screen "● gru \(2\)" "the two seeds form one group"
keys r
expect_screen "replay: $OUT/gru-s1 " "r replays a run outside the runs directory"
grep -q "not a run directory" "$T/screen" && bad "replay looked in the runs directory" || ok "no 'not a run directory'"
keys q
expect_screen "compare: 1 group, 2 runs" "q in replay returns to compare"
keys Escape
expect_screen "runs library: 3 of 3 runs in $RUNS +\(2 marked\)" "Esc: the library lists the runs directory and the given runs"
expect_screen "● /tmp/.*X/gru-s1 " "the given runs are marked and named by their path"
expect_screen "^  lstm-a " "the runs directory's run is there, unmarked"

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
wait_for "Pane is dead|^\$" 5 >/dev/null

# --- a relative path: one run given, the library selects it; r replays it
tui_respawn "cd $T && $C --runs runs --history $T/hist --no-config elsewhere/X/gru-s2/"
expect_screen "runs library: 2 of 2 runs in runs +\(1 marked\)" "clickseq RUN (relative, trailing /) opens the library"
expect_screen "1 run given: r replays it" "and says what to do with one run"
expect_screen "● \./elsewhere/X/gru-s2 " "named ./elsewhere/X/gru-s2"
keys / g r u - s 2 Enter r
expect_screen "replay: \./elsewhere/X/gru-s2 " "r replays the relative path run"
keys q q q
finish
