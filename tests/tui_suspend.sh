#!/bin/sh
# tui_suspend.sh — Ctrl-Z suspends the workbench (the shell's screen and prompt back, the
# process stopped), `fg` resumes it with the whole screen drawn again; then it still
# answers keys and quits cleanly.  An interactive shell in tmux gives real job control.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
if command -v bash >/dev/null 2>&1; then SH="bash --norc --noprofile -i"; else SH="sh -i"; fi
tui_start 100 30 "env PS1='prompt> ' $SH"
expect_screen "prompt>" "an interactive shell"
keys "$CLICKSEQ --runs $T/runs --history $T/hist --no-config" Enter
expect_screen "t trains, \? shows the keys" "the workbench opens"
keys : "set epochs 7" Enter
expect_screen "epochs = 7" "a setting changed before suspending"
keys C-z
expect_screen "Stopped|stopped|Suspended" "Ctrl-Z stops it (the shell says so)"
wait_gone "┌ Model" 5 && ok "the shell's screen is back" || bad "the workbench is still drawn after Ctrl-Z"
keys "fg" Enter
expect_screen "┌ Model" "fg: the screen is drawn again"
expect_screen "epochs +7 " "with the state it had"
expect_screen "┌ Loss" "every pane"
keys : "set epochs 9" Enter
expect_screen "epochs = 9" "keys answer after resuming"
keys q
wait_gone "┌ Model" 10
keys "echo EXIT=\$?" Enter
expect_screen "EXIT=0" "quits with status 0"
finish
