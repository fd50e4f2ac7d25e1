#!/bin/sh
# tui_settings.sh — the honest form and the settings file, in the real binary (tmux):
# :set says what else it changed and refuses what cannot work, with the reason;
# :save-settings and quitting write $XDG_CONFIG_HOME/clickseq/config (never the real
# home: lib.sh points XDG_CONFIG_HOME into the scratch directory); the next start reads
# it (the last data file too), the command line wins, --no-config ignores it, a bad line
# is reported as FILE:LINE and ignored.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
CONF="$XDG_CONFIG_HOME/clickseq/config"
simulate_shop "$T/shop.csv" --sessions 400 --seed 3
WB="$CLICKSEQ --runs $T/runs --history $T/hist"

tui_start 140 40 "$WB --data $T/shop.csv"
expect_screen "t trains, \? shows the keys" "opens on a simulated shop"
keys : "set hidden 40,80" Enter
expect_screen "hidden = 40,80 \(layers 2\)" ":set hidden 40,80 says it set layers 2"
keys : "set layers 1" Enter
expect_screen "layers = 1 \(hidden 40,80 -> 40\)" ":set layers 1 says what it cut"
keys : "set cell mlp" Enter
expect_screen "refused: cell mlp works only in the features view" ":set cell mlp refused in the sequence view"
keys : "set outcomes $T/no-such-buys.csv" Enter
expect_screen "refused: outcomes: no file" ":set outcomes refuses a missing file"
keys : "set hiden 8" Enter
expect_screen "did you mean hidden\?" "an unknown name gets 'did you mean'"
keys : "set name my run" Enter
expect_screen "quote a value with blanks" "an unquoted value with blanks: the rule"
keys : "set batch 64" Enter
expect_screen "batch = 64" "batch 64"
keys : "save-settings" Enter
expect_screen "settings saved to .*clickseq/config" ":save-settings"
grep -q "^batch = 64$" "$CONF" && grep -q "^data = $T/shop.csv$" "$CONF" && ok "the file holds batch and the data file" \
    || { bad "settings file"; cat "$CONF"; }
keys : "set dropout 0.25" Enter
expect_screen "dropout = 0.25" "dropout 0.25 (not saved by hand)"
keys q
wait_for "x" 1
i=0; while [ "$(pane_dead)" != 1 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(pane_dead)" = 1 ] && ok "q quits" || bad "still running after q"
grep -q "^dropout = 0.25$" "$CONF" && ok "quitting writes the settings" || { bad "not written on quit"; cat "$CONF"; }
ls -a "$XDG_CONFIG_HOME/clickseq" | grep -q tmp && bad "a temporary is left" || ok "no temporary left (atomic write)"

# --- read at start: the last data file, the settings; the command line wins
tui_respawn "$WB"
expect_screen " shop: [0-9]+ sessions" "the last data file is remembered"
expect_screen "hidden +40 " "the form shows the saved hidden size"
expect_screen "dropout +0.25 " "and the saved dropout (a row the form shows at 140x40)"
tui_respawn "$WB --dropout 0.5"
expect_screen "dropout +0.5 " "the command line wins over the file"
expect_screen "hidden +40 " "and the rest comes from the file"
tui_respawn "$WB --no-config"
expect_screen "demo-shop: [0-9]+ sessions" "--no-config: the demo"
expect_screen "hidden +64 " "--no-config: the defaults"
keys q
wait_for "x" 1

# --- a bad line: reported with FILE:LINE, the others still read, never fatal
printf 'dropout = 0.125\nhidden = lots\nlayers = 2\n' > "$CONF"
tui_respawn "$WB --data $T/shop.csv"
expect_screen "config:2: refused: hidden: 'lots'" "a bad line is reported with file:line"
expect_screen "dropout +0.125 " "the lines around it are read"
expect_screen "layers +2 " "(after it too)"
keys q
finish
