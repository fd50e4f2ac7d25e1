#!/bin/sh
# hardening_io.sh — input and output that must not lose or clobber anything (issue 9):
#   - skip mode after a stray opening quote resynchronises at the next line: every data
#     line of the file is read (used or counted as skipped);
#   - event types holding ',' or a newline make a run every command loads;
#   - --out never replaces what is not a regular file: a device, a FIFO, /dev/fd/N are
#     written in place, a symbolic link is followed, - is stdout;
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

# ---- outputs that are not regular files (item 1) ----
SIM="--sessions 10 --seed 5"
"$C" simulate $SIM --out "$T/ref.csv" >/dev/null
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then
    expect_exit 0 "simulate --out a character device" -- "$C" simulate $SIM --out "$T/null"
    [ -c "$T/null" ] && ok "the device node is still a device" || bad "the device node was replaced: $(ls -l "$T/null")"
    expect_exit 0 "predict --out a character device" -- "$C" predict --run "$W" --data "$T/odd.csv" --out "$T/null"
    [ -c "$T/null" ] && ok "predict left the device node a device" || bad "predict replaced the device node"
else
    echo "# not root (or no mknod): the device case is covered by the FIFO and /dev/fd cases"
fi
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo" &
reader=$!
expect_exit 0 "simulate --out a FIFO" -- timeout 30 "$C" simulate $SIM --out "$T/fifo"
if [ -p "$T/fifo" ]; then
    ok "the FIFO is still a FIFO"
    wait $reader
else
    bad "the FIFO was replaced: $(ls -l "$T/fifo")"
    kill $reader 2>/dev/null; wait $reader 2>/dev/null   # it waits for a writer that never came
fi
cmp -s "$T/from-fifo" "$T/ref.csv" && ok "the reader got the whole file through the FIFO" || bad "the FIFO's reader got something else"
cp "$T/shop.csv" "$T/target.csv"
ln -s target.csv "$T/link.csv"
expect_exit 0 "simulate --out a symbolic link" -- "$C" simulate $SIM --out "$T/link.csv"
[ -L "$T/link.csv" ] && ok "the link is still a link" || bad "the link was replaced by a file"
cmp -s "$T/target.csv" "$T/ref.csv" && ok "the link's target holds the output" || bad "the link's target was not written"
ln -s new-target.csv "$T/dangling.csv"
expect_exit 0 "simulate --out a dangling link" -- "$C" simulate $SIM --out "$T/dangling.csv"
[ -L "$T/dangling.csv" ] && cmp -s "$T/new-target.csv" "$T/ref.csv" && ok "a dangling link's target is created" \
    || bad "dangling link: $(ls -l "$T" | grep -i target)"
expect_exit 0 "simulate --out -" -- "$C" simulate $SIM --out -
cmp -s "$T/out" "$T/ref.csv" && ok "- writes the data to stdout (the summary to stderr)" || bad "- did not write the data alone to stdout"
expect_grep "^wrote -:" "$T/err" "the summary went to stderr"
: >"$T/fd3.csv"
ino=$(ls -i "$T/fd3.csv" | cut -d' ' -f1)
expect_exit 0 "simulate --out /dev/fd/3" -- sh -c 'exec 3>>"$1"; shift; "$@" --out /dev/fd/3' sh "$T/fd3.csv" "$C" simulate $SIM
cmp -s "$T/fd3.csv" "$T/ref.csv" && ok "/dev/fd/3 is written through the descriptor" || bad "/dev/fd/3 output differs"
[ "$(ls -i "$T/fd3.csv" | cut -d' ' -f1)" = "$ino" ] && ok "the file behind /dev/fd/3 was not replaced" || bad "the file behind /dev/fd/3 was replaced"
mkdir "$T/adir"
expect_exit 2 "--out a directory is refused" -- "$C" simulate $SIM --out "$T/adir"
expect_grep "is a directory" "$T/err" "the message says it is a directory"

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
