#!/bin/sh
# simulate.sh — `clickseq simulate`: options, exit codes, the written file, determinism,
# and that the bundled demo is exactly what data/README.md says made it.
. "$SRCDIR/tests/lib.sh"
S="$CLICKSEQ simulate"

expect_exit 0 "simulate --help exits 0" -- $S --help
expect_grep "--sessions N" "$T/out" "help names --sessions"
expect_exit 2 "--out is required" -- $S --sessions 10
expect_grep "--out FILE is required" "$T/err" "the missing option is named"
expect_exit 2 "a non-numeric session count is a usage error" -- $S --sessions abc --out "$T/x.csv"
expect_grep "'abc'" "$T/err" "the bad value is quoted"
expect_exit 2 "zero sessions is a usage error" -- $S --sessions 0 --out "$T/x.csv"
expect_exit 2 "a negative seed is a usage error" -- $S --seed -3 --out "$T/x.csv"
expect_exit 2 "an unknown option is a usage error" -- $S --frobnicate --out "$T/x.csv"
expect_exit 1 "an unwritable output is a runtime error" -- $S --sessions 5 --out "$T/no/such/dir/x.csv"
expect_grep "^clickseq: .*no/such/dir/x.csv" "$T/err" "the I/O error names the file"
[ ! -e "$T/x.csv" ] && ok "no file is left behind by failed runs" || bad "a failed run left $T/x.csv"

expect_exit 0 "simulate writes a file" -- $S --sessions 200 --seed 5 --out "$T/a.csv" --json
events=$(sed -n 's/.*"events":\([0-9]*\).*/\1/p' "$T/out")
lines=$(wc -l <"$T/a.csv")
[ -n "$events" ] && [ "$lines" -eq $((events + 1)) ] && ok "rows = events + header ($lines)" \
    || bad "rows $lines, events '$events'"
expect_grep "^event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session$" \
    "$T/a.csv" "REES46 header"
expect_grep "^20[0-9-]{8} [0-9:]{8} UTC,(view|cart|remove_from_cart|purchase),[0-9]+,[0-9]+," "$T/a.csv" \
    "REES46 rows"
ls "$T" | grep -q tmp && bad "a temporary file was left" || ok "no temporary file left"
$S --sessions 200 --seed 5 --out "$T/b.csv" >/dev/null
cmp -s "$T/a.csv" "$T/b.csv" && ok "same seed, same bytes" || bad "same seed gave different files"
$S --sessions 200 --seed 6 --out "$T/c.csv" >/dev/null
cmp -s "$T/a.csv" "$T/c.csv" && bad "another seed gave the same file" || ok "another seed, another file"

# the bundled demo is reproducible with the documented command
cmd=$(sed -n 's/^    clickseq simulate /simulate /p' "$SRCDIR/data/README.md" | sed "s#data/demo-shop.csv#$T/demo.csv#")
if [ -f "$SRCDIR/data/demo-shop.csv" ] && [ -n "$cmd" ]; then
    # shellcheck disable=SC2086
    "$CLICKSEQ" $cmd >/dev/null && cmp -s "$T/demo.csv" "$SRCDIR/data/demo-shop.csv" \
        && ok "data/demo-shop.csv is rebuilt byte for byte by its README command" \
        || bad "data/demo-shop.csv differs from: clickseq $cmd"
fi
finish
