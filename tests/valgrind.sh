#!/bin/sh
# valgrind.sh — memcheck (leaks included) on every headless command with small files:
# simulate, inspect, train (sequence and features view), eval, predict, compare, replay,
# the workbench without a terminal (--no-ui), and error paths (usage, damaged run).
# SKIPs (77) when valgrind is not installed or in a sanitizer build (ASan and valgrind
# do not mix).
. "$SRCDIR/tests/lib.sh"
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: no valgrind"; exit 77; }
if grep -q -- '-fsanitize' "$BUILDDIR/Makefile" 2>/dev/null && grep -q '^SAN_CFLAGS = -f' "$BUILDDIR/Makefile"; then
    echo "SKIP: sanitizer build"; exit 77
fi
C="$CLICKSEQ"
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1"
expect_exit 0 "simulate under valgrind" -- $VG "$C" simulate --sessions 300 --seed 2 --out "$T/shop.csv"
[ -f "$T/shop.csv" ] || { finish; exit 1; }
expect_exit 0 "inspect under valgrind" -- $VG "$C" inspect --data "$T/shop.csv"
expect_exit 0 "inspect --json under valgrind" -- $VG "$C" inspect --data "$T/shop.csv" --json
expect_exit 2 "inspect of a bad file under valgrind" -- $VG "$C" inspect --data "$SRCDIR/tests/fixtures/csv/bad_quote.csv"
expect_exit 0 "train under valgrind" -- $VG "$C" train --data "$T/shop.csv" --epochs 2 --hidden 8 \
    --emb-type 4 --batch 32 --threads 2 --out "$T/run"
expect_exit 0 "eval under valgrind" -- $VG "$C" eval --run "$T/run" --json
expect_exit 0 "predict under valgrind" -- $VG "$C" predict --run "$T/run" --out "$T/p.csv"
expect_exit 0 "eval on other data under valgrind" -- $VG "$C" eval --run "$T/run" --data "$T/shop.csv"
expect_exit 0 "train a features-view logreg under valgrind" -- $VG "$C" train --data "$T/shop.csv" \
    --view features --cell logreg --epochs 2 --threads 1 --quiet --out "$T/lr"
expect_exit 0 "predict with the features-view run under valgrind" -- $VG "$C" predict --run "$T/lr" \
    --data "$T/shop.csv" --out "$T/p2.csv"
expect_exit 0 "the workbench without a terminal under valgrind" -- $VG "$C" --no-ui --data "$T/shop.csv" \
    --epochs 1 --hidden 4 --emb-type 2 --batch 64 --threads 2 --runs "$T/wb"
mkdir "$T/bad" && cp "$T/run"/* "$T/bad/" && printf 'x' >>"$T/bad/model.bin"
expect_exit 2 "eval of a damaged run under valgrind" -- $VG "$C" eval --run "$T/bad"
expect_exit 0 "compare and replay under valgrind" -- $VG "$C" compare "$T/run" "$T/run"
expect_exit 0 "replay under valgrind" -- $VG "$C" replay "$T/run"
expect_exit 2 "a usage error under valgrind" -- $VG "$C" train --data "$T/shop.csv" --layers 7
finish
