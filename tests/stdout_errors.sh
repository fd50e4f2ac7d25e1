#!/bin/sh
# stdout_errors.sh — a write error on standard output is never exit 0 (issue 9, item 9):
# every command that prints, with stdout on /dev/full, exits 1 and says
# "clickseq: write error on standard output: No space left on device" (once).
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
[ -w /dev/full ] || { echo "SKIP: no writable /dev/full"; exit 77; }
SHOP="$T/shop.csv"
simulate_shop "$SHOP" --sessions 400 --seed 21
SMALL="--hidden 4 --epochs 2 --batch 64 --threads 1"
"$C" train --data "$SHOP" $SMALL --quiet --out "$T/run" >/dev/null 2>"$T/train.err" \
    || { bad "train the run the checks use: $(cat "$T/train.err")"; finish; exit 1; }

# full CMD...: the command, stdout on /dev/full; it must exit 1 with one message (simulate's
# own writer names its output, -)
full() {
    "$@" >/dev/full 2>"$T/err"; rc=$?
    n=$(grep -c -E "^clickseq: (write error on standard output|-: cannot write): No space left on device$" "$T/err")
    [ "$(grep -c -E "write error|cannot write" "$T/err")" = 1 ] || n="$n (and others)"
    if [ "$rc" = 1 ] && [ "$n" = 1 ]; then ok "${2-} ${3-} > /dev/full: exit 1, one message"
    else bad "$* > /dev/full: exit $rc, $n messages"; sed 's/^/    /' "$T/err" | head -5; fi
}
full "$C" --help
full "$C" --version
full "$C" inspect --help
full "$C" inspect --data "$SHOP"
full "$C" inspect --data "$SHOP" --json
full "$C" simulate --sessions 50 --seed 1 --out -
full "$C" train --data "$SHOP" $SMALL --json --out "$T/t-json"
full "$C" train --data "$SHOP" $SMALL --out "$T/t-plain"
[ -f "$T/t-json/model.bin" ] && ok "the run was still saved" || bad "train --json > /dev/full saved no run"
full "$C" eval --run "$T/run" --data "$SHOP"
full "$C" eval --run "$T/run" --data "$SHOP" --json
full "$C" predict --run "$T/run" --data "$SHOP"
full "$C" compare "$T/run" "$T/t-json"
full "$C" compare "$T/run" "$T/t-json" --json
full "$C" compare "$T/run" "$T/t-json" --csv
full "$C" replay "$T/run"
full "$C" replay "$T/run" --json
full "$C" sweep --data "$SHOP" --cell rnn $SMALL --no-baselines --out "$T/sw"
full "$C" sweep --data "$SHOP" --cell rnn $SMALL --no-baselines --json --out "$T/sw-json"
[ -f "$T/sw-json/results.csv" ] && ok "the sweep still wrote its tables" || bad "sweep --json > /dev/full wrote no results.csv"
full "$C" early --run "$T/run" --data "$SHOP" --k 3
full "$C" early --run "$T/run" --data "$SHOP" --k 3 --json
full "$C" study --data "$SHOP" --cells gru --lens 10 --no-features --epochs 1 --batch 64 --seeds 1 \
    --threads 1 --out "$T/st"

# and the same commands with a good stdout still exit 0
expect_exit 0 "inspect --json to a file" -- "$C" inspect --data "$SHOP" --json
expect_exit 0 "replay to a file" -- "$C" replay "$T/run"
finish
