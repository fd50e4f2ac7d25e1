#!/bin/sh
# valgrind.sh — memcheck (leaks included) on train, eval and predict with a small file.
# SKIPs (77) when valgrind is not installed or in a sanitizer build (ASan and valgrind
# do not mix).
. "$SRCDIR/tests/lib.sh"
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: no valgrind"; exit 77; }
if grep -q -- '-fsanitize' "$BUILDDIR/Makefile" 2>/dev/null && grep -q '^SAN_CFLAGS = -f' "$BUILDDIR/Makefile"; then
    echo "SKIP: sanitizer build"; exit 77
fi
C="$CLICKSEQ"
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1"
"$C" simulate --sessions 300 --seed 2 --out "$T/shop.csv" >/dev/null || { bad "simulate"; finish; exit 1; }
expect_exit 0 "train under valgrind" -- $VG "$C" train --data "$T/shop.csv" --epochs 2 --hidden 8 \
    --emb-type 4 --batch 32 --threads 2 --out "$T/run"
expect_exit 0 "eval under valgrind" -- $VG "$C" eval --run "$T/run" --json
expect_exit 0 "predict under valgrind" -- $VG "$C" predict --run "$T/run" --out "$T/p.csv"
expect_exit 0 "compare and replay under valgrind" -- $VG "$C" compare "$T/run" "$T/run"
expect_exit 0 "replay under valgrind" -- $VG "$C" replay "$T/run"
expect_exit 2 "a usage error under valgrind" -- $VG "$C" train --data "$T/shop.csv" --layers 7
finish
