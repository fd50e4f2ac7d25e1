#!/bin/sh
# tui_reload.sh — a clean `:load FILE [FORMAT] [OUTCOMES] [NAME=VALUE...]` (issue 14 item 4):
# after the UCI features table, an events file is read as a sequence again (the header
# no longer says "view: features", the message line says what was reset); the previous
# run's curves and confusion matrix are cleared; clicks without their buys file warn that
# no session is positive and say how to load them; the outcomes file is taken as the third
# word or as outcomes=FILE, and a missing one is refused before anything loads.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
Y="$SHARED/yoochoose_rsc15_sample1pct"
UCI="$SHARED/online_shoppers_intention/online_shoppers_intention.csv"
[ -f "$Y/sample_clicks.csv" ] && [ -f "$UCI" ] || { echo "SKIP: no shared data in $SHARED"; exit 77; }
export XDG_CONFIG_HOME="$T/config" HOME="$T/home"
mkdir -p "$HOME"
DEMO="$SRCDIR/data/demo-shop.csv"

tui_start 200 50 "$CLICKSEQ --runs $T/runs --history $T/hist --data $DEMO --epochs 2 --patience 0 --threads 1 --hidden 8; echo EXITED rc=\$?"
expect_screen "t trains, \? shows the keys" "opens on the demo"

# ---- a features table, then an events file: the view follows the data
keys : "load $UCI" Enter
expect_screen "loaded online_shoppers_intention: [0-9]+ sessions.*reset for this data:.*view features" \
    ":load of the UCI table (no format given) reads it as features and says so" 30
expect_screen "view: features" "the header says view: features"
keys : "set cell mlp" Enter
expect_screen "cell = mlp" "mlp is a cell of the features view"
keys : "load $DEMO" Enter
expect_screen "loaded demo-shop: [0-9]+ sessions.*reset for this data:.*view sequence.*cell gru" \
    ":load of an events file resets the view and the features-only cell, and says so" 30
expect_screen "view: sequence" "the header says view: sequence"
grep -q "view: features" "$T/screen" && bad "the header still says view: features" || ok "no 'view: features' left"
expect_screen "cell +\[gru\]" "the form shows the cell reset to gru"

# ---- the previous run's panes go
keys t
expect_screen "Validation @ thr" "a run draws its confusion matrix" 60
expect_screen "epoch 2/2" "and finishes its two epochs" 60
wait_gone "epoch 2/2 .*running" 60
keys : "load $DEMO rees46" Enter
expect_screen "loaded demo-shop" ":load again" 30
expect_screen "confusion matrix after" "the confusion matrix of the previous run is cleared"
grep -q "Validation @ thr" "$T/screen" && bad "the previous confusion matrix is still drawn" || ok "no confusion matrix left"
grep -q "● train" "$T/screen" && bad "the previous loss curves are still drawn" || ok "no loss curves left"
grep -q "idle" "$T/screen" && ok "the progress line is idle" || bad "the progress line still shows the run"

# ---- clicks without buys: a warning that says what to load
keys : "load $Y/sample_clicks.csv yoochoose" Enter
expect_screen "no purchases found: yoochoose clicks need their buys file: :load sample_clicks.csv yoochoose buys.csv" \
    "clicks without buys warn and name the command" 30
# ---- the outcomes file: a third word, or outcomes=FILE; a missing one refused
keys : "load $Y/sample_clicks.csv yoochoose $T/missing-buys.csv" Enter
expect_screen "load: refused: outcomes: no file .*missing-buys.csv" "a missing outcomes file is refused" 5
keys : "load $Y/sample_clicks.csv yoochoose $Y/sample_buys.csv" Enter
expect_screen "loaded sample_clicks: 77171 sessions, 5\.6% buy" ":load FILE FORMAT OUTCOMES reads the buys" 30
keys : "load $Y/sample_clicks.csv format=yoochoose outcomes=$Y/sample_buys.csv max-len=20" Enter
expect_screen "loaded sample_clicks: 77171 sessions, 5\.6% buy" ":load FILE NAME=VALUE... takes the options" 30
expect_screen "view: sequence ≤20" "and the view option given (max-len=20)"
keys : "load $Y/sample_clicks.csv" Enter
expect_screen "no purchases found: yoochoose clicks need their buys file" "the buys file does not carry over to the next :load" 30
keys : "load $DEMO yoochoose extra words" Enter
expect_screen "load: 'words': give FILE \[FORMAT\] \[OUTCOMES\]" "a fourth word is refused" 5
keys q
expect_screen "EXITED rc=0" "q quits" 10
finish
