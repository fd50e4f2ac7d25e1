#!/bin/sh
# hardening_io.sh — input and output that must not lose or clobber anything (issue 9):
#   - skip mode after a stray opening quote resynchronises at the next line: every data
#     line of the file is read (used or counted as skipped);
#   - event types holding ',' or a newline make a run every command loads;
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

# ---- event types with ',' and a newline (item 2) ----
# every third view becomes "view,alt", the next one "look<newline>again" (quoted in the CSV)
awk -F, 'NR == 1 { print; next }
         $2 == "view" { n++; if (n % 3 == 0) { sub(/,view,/, ",\"view,alt\","); }
                        else if (n % 3 == 1) { sub(/,view,/, ",\"look\nagain\","); } }
         { print }' "$T/shop.csv" >"$T/odd.csv"
grep -q '"view,alt"' "$T/odd.csv" || bad "the odd-types fixture was not made"
W="$T/oddrun"
expect_exit 0 "train on event types with ',' and a newline" -- "$C" train --data "$T/odd.csv" --epochs 1 \
    --hidden 4 --batch 64 --threads 1 --quiet --out "$W"
expect_grep '^type_names = ' "$W/config.txt" "config.txt has type_names"
tn=$(grep '^type_names = ' "$W/config.txt")
case "$tn" in *'"view,alt"'*) ok "',' stored quoted" ;; *) bad "',' not quoted: $tn" ;; esac
case "$tn" in *'"look\nagain"'*) ok "newline stored escaped" ;; *) bad "newline not escaped: $tn" ;; esac
expect_exit 0 "eval opens it" -- "$C" eval --run "$W" --data "$T/odd.csv"
expect_exit 0 "replay opens it" -- "$C" replay "$W"
expect_exit 0 "compare opens it" -- "$C" compare "$W" "$W"
expect_exit 0 "predict opens it" -- "$C" predict --run "$W" --data "$T/odd.csv" --out "$T/odd-p.csv"
expect_exit 0 "early opens it" -- "$C" early --run "$W" --data "$T/odd.csv" --k 2

# ---- one run name rule (item 12): no option, glob or expansion; the limit said ----
for n in '-rf' '*' '~' '$(x)'; do
    expect_exit 2 "train --name '$n' is refused" -- "$C" train --data "$T/shop.csv" --epochs 1 --quiet \
        --name "$n" --out "$T/named"
done
expect_grep "must not start with '-'|may hold only" "$T/err" "the message says why"
long=$(printf '%064d' 0)
expect_exit 2 "a 64-byte --name is refused" -- "$C" train --data "$T/shop.csv" --epochs 1 --quiet --name "$long" --out "$T/named"
expect_grep "at most 63" "$T/err" "the message says the limit"

finish
