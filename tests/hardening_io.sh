#!/bin/sh
# hardening_io.sh — input and output that must not lose or clobber anything (issue 9):
#   - skip mode after a stray opening quote resynchronises at the next line: every data
#     line of the file is read (used or counted as skipped);
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
"$C" simulate --sessions 300 --seed 3 --out "$T/shop.csv" >/dev/null || { bad "simulate"; finish; exit 1; }

# ---- skip mode after a stray quote (item 5) ----
cp "$T/shop.csv" "$T/stray.csv"
sed -i '100s/^\([^,]*\),\([^,]*\),/\1,"\2,/' "$T/stray.csv"
lines=$(($(wc -l <"$T/stray.csv") - 1))
expect_exit 0 "inspect --skip-bad-rows after a stray quote" -- "$C" inspect --data "$T/stray.csv" --skip-bad-rows --json
read_=$(sed -n 's/.*"rows_read":\([0-9]*\).*/\1/p' "$T/out")
skipped=$(sed -n 's/.*"rows_skipped":\([0-9]*\).*/\1/p' "$T/out")
[ "$read_" = "$lines" ] && ok "rows read = the $lines data lines" || bad "rows read $read_, the file has $lines data lines"
[ "$skipped" = 1 ] && ok "one row skipped" || bad "$skipped rows skipped, wanted 1"

finish
