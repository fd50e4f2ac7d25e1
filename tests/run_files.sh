#!/bin/sh
# run_files.sh — a run's files are read only from regular files of bounded size (issue 9,
# item 6): a FIFO as summary.txt must not hang replay / compare / eval, a model.bin that is
# a symbolic link to /dev/zero must not eat memory, an oversized file is refused; each is
# an error naming the file, and a listing (compare of a folder) skips such a run.
# Every command runs under `timeout` so that a hang fails the test instead of stalling it.
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
DATA="$SRCDIR/data/demo-shop.csv"
mkrun() { cp -r "$SRCDIR/tests/fixtures/runs/seq" "$T/$1"; chmod -R u+w "$T/$1"; }
# a hung command is killed (exit 124) and its exit then differs from the one expected
TO="timeout -k 5 30"

# ---- a FIFO as summary.txt ----
mkrun fifo
rm "$T/fifo/summary.txt"
mkfifo "$T/fifo/summary.txt"
for cmd in "replay $T/fifo" "compare $T/fifo $T/fifo" "eval --run $T/fifo --data $DATA"; do
    # shellcheck disable=SC2086
    expect_exit 2 "${cmd%% *} with a FIFO summary.txt fails at once" -- $TO "$C" $cmd
    expect_grep "fifo/summary.txt.*not a regular file \(a FIFO\)" "$T/err" "${cmd%% *} names the FIFO"
done
mkrun good
mkdir "$T/folder"
mv "$T/fifo" "$T/good" "$T/folder/"
# compare refuses a folder with a damaged run (it would compare fewer runs than asked)
expect_exit 2 "compare of a folder holding a FIFO run fails at once" -- $TO "$C" compare "$T/folder"
expect_grep "folder/fifo/summary.txt.*not a regular file" "$T/err" "and names the FIFO"

# ---- model.bin a symbolic link to /dev/zero (memory limited: the old reader grew until
# allocation failed; not under ASan, whose shadow memory needs the address space) ----
mkrun zero
rm "$T/zero/model.bin"
ln -s /dev/zero "$T/zero/model.bin"
expect_exit 2 "eval with model.bin -> /dev/zero fails at once" -- \
    $TO sh -c '[ -n "$1" ] || ulimit -v 4000000 2>/dev/null; shift; exec "$@"' sh "$(sanitized && echo y)" "$C" eval --run "$T/zero" --data "$DATA"
expect_grep "zero/model.bin.*not a regular file \(a character device\)" "$T/err" "eval names the device"
expect_exit 2 "predict with model.bin -> /dev/zero" -- $TO "$C" predict --run "$T/zero" --data "$DATA" --out "$T/p.csv"
[ -e "$T/p.csv" ] && bad "predict wrote an output" || ok "predict wrote nothing"

# ---- oversized files (sparse, so the test writes almost nothing) ----
mkrun big
truncate -s 5G "$T/big/model.bin"
expect_exit 2 "eval with a 5 GiB model.bin" -- $TO "$C" eval --run "$T/big" --data "$DATA"
expect_grep "big/model.bin.*too large \(5368709120 bytes" "$T/err" "says the model is too large"
mkrun bighist
truncate -s 10M "$T/bighist/history.csv"
expect_exit 2 "replay with a 10 MiB history.csv for 2 epochs" -- $TO "$C" replay "$T/bighist"
expect_grep "bighist/history.csv.*too large" "$T/err" "history.csv is capped by the epochs run"
mkrun bigsum
truncate -s 1G "$T/bigsum/summary.txt"
expect_exit 2 "replay with a 1 GiB summary.txt" -- $TO "$C" replay "$T/bigsum"
expect_grep "bigsum/summary.txt.*too large" "$T/err" "summary.txt is capped"
mkrun dirconf
rm "$T/dirconf/config.txt"
mkdir "$T/dirconf/config.txt"
expect_exit 2 "replay with a directory as config.txt" -- $TO "$C" replay "$T/dirconf"
expect_grep "config.txt.*not a regular file \(a directory\)" "$T/err" "names the directory"

# ---- a symbolic link to a regular file is still read ----
mkrun linked
mv "$T/linked/summary.txt" "$T/summary-elsewhere.txt"
ln -s ../summary-elsewhere.txt "$T/linked/summary.txt"
expect_exit 0 "a run file that links to a regular file is read" -- $TO "$C" replay "$T/linked"
finish
