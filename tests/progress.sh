#!/bin/sh
# progress.sh — the headless commands' progress line on stderr (issue 14 item 3): drawn
# ("loading FILE  ... MB / ... MB  N%  ... rows/s", redrawn in place with \r ESC[K and
# erased when the load ends) only when stderr is a terminal; nothing of it when stderr is a
# file or a pipe, nor on a terminal with --quiet.  The terminal is a tmux pane whose raw
# output is recorded with pipe-pane; each command's stdout goes to a file.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/tui_lib.sh"
DEMO="$SRCDIR/data/demo-shop.csv"
R="$T/runs"
"$CLICKSEQ" train --data "$DEMO" --epochs 1 --hidden 8 --threads 1 --out "$R/base" >/dev/null 2>&1 ||
    { bad "cannot train the run the commands use"; finish; exit 1; }

# the commands: NAME ARGS (each loads the demo shop; @OUT@ becomes a fresh directory)
cat > "$T/cmds" <<CMDS
inspect inspect --data $DEMO
train train --data $DEMO --epochs 1 --hidden 8 --threads 1 --out @OUT@
eval eval --run $R/base --data $DEMO
predict predict --run $R/base --data $DEMO
early early --run $R/base --data $DEMO --k 3
sweep sweep --data $DEMO --epochs 1 --hidden 8 --threads 1 --cell rnn --no-baselines --out @OUT@
CMDS
args_of() { echo "$1" | sed "s|@OUT@|$R/out-$2|"; }   # args_of ARGS SUFFIX

# on a terminal: one script runs them all in the pane, stdout to files, stderr to the pane;
# "<<name>>" before the run with progress, "<<name-q>>" before the same with --quiet
{
    echo "sleep 1"   # pipe-pane is set up meanwhile
    while read -r name args; do
        echo "printf '<<%s>>\\n' $name"
        echo "\"$CLICKSEQ\" $(args_of "$args" $name-tty) >$T/$name.tty.out"
        echo "printf '<<%s-q>>\\n' $name"
        echo "\"$CLICKSEQ\" $(args_of "$args" $name-q) --quiet >$T/$name.q.out"
    done < "$T/cmds"
    echo "echo ALL-DONE"
} > "$T/run.sh"
: > "$T/pane.raw"
tui_start 200 50 "sh $T/run.sh; sleep 30"
$TMUX_CMD pipe-pane -t t -o "cat >> $T/pane.raw"
expect_screen "ALL-DONE" "the commands ran on a terminal" 120
python3 - "$T/pane.raw" <<'PY'
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
parts = re.split(r"<<([a-z]+(?:-q)?)>>", raw)
seen = {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
fails = 0
for name in ("inspect", "train", "eval", "predict", "early", "sweep"):
    tty = seen.get(name)
    if tty is not None and "\r\x1b[K" in tty and re.search(
            r"loading demo-shop\.csv  [0-9.]+ (B|kB|MB) (/ [0-9.]+ (kB|MB)  [0-9]+%|read \(100%\))", tty):
        print("ok - %s: on a terminal the progress line is drawn (and erased)" % name)
    else:
        fails += 1
        print("FAIL - %s: no progress line on the terminal: %r" % (name, (tty or "")[:300]))
    quiet = seen.get(name + "-q")
    if quiet is None:
        fails += 1
        print("FAIL - %s --quiet: did not run" % name)
    elif "loading" in quiet or "\x1b[K" in quiet:
        fails += 1
        print("FAIL - %s --quiet on a terminal drew progress: %r" % (name, quiet[:300]))
    else:
        print("ok - %s --quiet on a terminal: no progress line" % name)
sys.exit(1 if fails else 0)
PY
[ $? -eq 0 ] && ok "every command draws its progress line on a terminal only, none with --quiet" ||
    bad "progress on the terminal (see above)"

# not a terminal: stderr to a file: no byte of progress (no "loading", no CR, no escape)
while read -r name args; do
    # shellcheck disable=SC2086
    "$CLICKSEQ" $(args_of "$args" $name-file) >"$T/$name.file.out" 2>"$T/$name.file.err"; rc=$?
    [ $rc -eq 0 ] || bad "$name exits $rc with stderr in a file"
    if grep -q "loading" "$T/$name.file.err" || grep -q "$(printf '\r')" "$T/$name.file.err" ||
        grep -q "$(printf '\033')" "$T/$name.file.err"; then
        bad "$name: progress bytes in a stderr that is a file"; od -c "$T/$name.file.err" | head -5
    else
        ok "$name: no progress bytes when stderr is a file"
    fi
done < "$T/cmds"
# a pipe is not a terminal either
"$CLICKSEQ" inspect --data "$DEMO" 2>&1 >/dev/null | cat > "$T/pipe.err"
[ ! -s "$T/pipe.err" ] && ok "inspect: nothing on stderr when it is a pipe" || { bad "inspect wrote to a piped stderr"; od -c "$T/pipe.err" | head -3; }
# --quiet is documented
for c in train sweep eval predict early inspect study; do
    "$CLICKSEQ" $c --help | grep -q -- "--quiet" && ok "$c --help lists --quiet" || bad "$c --help lacks --quiet"
done
grep -q 'quiet' "$SRCDIR/man/clickseq.1" && ok "the man page documents --quiet" || bad "man page lacks --quiet"
finish
