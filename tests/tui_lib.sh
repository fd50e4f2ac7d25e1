# tests/tui_lib.sh — drive the workbench in a private tmux server (sourced after lib.sh).
# A fixed size, a UTF-8 locale and xterm-256color; capture-pane is polled with a timeout
# instead of sleeping blindly; the server is always killed on exit.
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
SOCK="clickseq-test-$$"
TMUX_CMD="tmux -L $SOCK -f /dev/null"
trap '$TMUX_CMD kill-server 2>/dev/null; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"; rm -rf "$T"' EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color

# tui_start W H COMMAND: a new session running COMMAND under sh, the pane kept after exit
# so its last screen and exit status can be read.
tui_start() {
    w=$1; h=$2; shift 2
    $TMUX_CMD new-session -d -s t -x "$w" -y "$h" "$*" || { bad "tmux session"; finish; exit 1; }
    $TMUX_CMD set-option -t t remain-on-exit on >/dev/null
}
# The visible screen; after the program exits, with the history too (a resize can have
# scrolled the shell's last lines into it).
cap() { if [ "$(pane_dead)" = 1 ]; then $TMUX_CMD capture-pane -p -S - -t t; else $TMUX_CMD capture-pane -p -t t; fi; }
keys() { $TMUX_CMD send-keys -t t "$@"; }
# wait_for REGEX [SECONDS]: poll the screen until REGEX matches; 0 if it did.
wait_for() {
    re=$1; limit=${2:-10}; i=0
    while [ "$i" -lt $((limit * 20)) ]; do
        cap > "$T/screen" 2>/dev/null
        if grep -q -E -- "$re" "$T/screen"; then return 0; fi
        sleep 0.05; i=$((i + 1))
    done
    return 1
}
# wait_gone REGEX [SECONDS]: poll the screen until REGEX no longer matches; 0 if it went
# (a key's effect shows at the next redraw, not at once).
wait_gone() {
    re=$1; limit=${2:-10}; i=0
    while [ "$i" -lt $((limit * 20)) ]; do
        cap > "$T/screen" 2>/dev/null
        if ! grep -q -E -- "$re" "$T/screen"; then return 0; fi
        sleep 0.05; i=$((i + 1))
    done
    return 1
}
# expect_screen REGEX DESCRIPTION [SECONDS]
expect_screen() {
    if wait_for "$1" "${3:-10}"; then ok "$2"; else bad "$2 (no '$1' on screen)"; sed 's/^/    | /' "$T/screen"; fi
}
pane_dead() { $TMUX_CMD display-message -p -t t '#{pane_dead}' 2>/dev/null; }
# tui_respawn COMMAND: run COMMAND in the same pane (the server stays up).
tui_respawn() { $TMUX_CMD respawn-pane -k -t t "$*"; }
