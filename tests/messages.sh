#!/bin/sh
# messages.sh — messages that say exactly what is wrong (issue 9, item 12): --out checked
# before training (a parent that is a file, a name too long, a directory already used), a
# full disk named as the run asked for (not its hidden temporary), event-type names
# escaped by inspect, a loud warning when a split has one class only, and "out of float
# range" for -1e308 in a features table.
. "$SRCDIR/tests/lib.sh"
C="$CLICKSEQ"
SHOP="$T/shop.csv"
simulate_shop "$SHOP" --sessions 400 --seed 9
SMALL="--hidden 4 --epochs 1 --batch 64 --threads 1"
touch "$T/afile"

# ---- --out checked before training: nothing loads, nothing trains ----
# (train prints its "data:" line once the data is loaded; a sweep/study its run lines)
before() {   # DESCRIPTION PATTERN -- COMMAND...
    d=$1; pat=$2; shift 3
    expect_exit 2 "$d" -- "$@"
    expect_grep "$pat" "$T/err" "$d: says what is wrong"
    if grep -q -E "^data:|^\[1/|^sweep: " "$T/err"; then bad "$d: it loaded or trained first"; else ok "$d: before loading"; fi
}
before "train --out under a file" "^clickseq: $T/afile: is not a directory, so $T/afile/run cannot be created in it$" -- \
    "$C" train --data "$SHOP" $SMALL --out "$T/afile/run"
before "sweep --out under a file" "^clickseq: $T/afile: is not a directory, so $T/afile/sw cannot be created in it$" -- \
    "$C" sweep --data "$SHOP" $SMALL --no-baselines --out "$T/afile/sw"
before "study --out under a file" "^clickseq: $T/afile: is not a directory, so $T/afile/st cannot be created in it$" -- \
    "$C" study --data "$SHOP" --cells gru --lens 10 --no-features --epochs 1 --seeds 1 --out "$T/afile/st"
before "train --out a file" "^clickseq: $T/afile: exists and is not a directory$" -- \
    "$C" train --data "$SHOP" $SMALL --out "$T/afile"
long=$(printf '%0240d' 0)
before "train --out with a 240-byte name" "$long: name too long \('0{20}\.\.\.' is 240 bytes; at most 235" -- \
    "$C" train --data "$SHOP" $SMALL --out "$T/$long"
long=$(printf '%0300d' 0)
before "sweep --out with a 300-byte component" "name too long \('0{20}\.\.\.' is 300 bytes; at most 255\)" -- \
    "$C" sweep --data "$SHOP" $SMALL --no-baselines --out "$T/$long/sw"
mkdir "$T/used"; touch "$T/used/notes.txt"
before "train --out a non-empty directory" "^clickseq: $T/used: already exists and is not empty \(choose another --out\)$" -- \
    "$C" train --data "$SHOP" $SMALL --out "$T/used"
expect_exit 0 "train a run" -- "$C" train --data "$SHOP" $SMALL --quiet --out "$T/run"
before "train --out an existing run" "^clickseq: $T/run: already holds a run \(choose another --out\)$" -- \
    "$C" train --data "$SHOP" $SMALL --out "$T/run"
if [ "$(id -u)" != 0 ]; then
    mkdir "$T/ro"; chmod 555 "$T/ro"
    before "train --out in a read-only directory" "^clickseq: $T/ro: cannot create $T/ro/run there: Permission denied$" -- \
        "$C" train --data "$SHOP" $SMALL --out "$T/ro/run"
    chmod 755 "$T/ro"
else
    echo "# root: write permission is not checked by the kernel, so the read-only case cannot fail"
fi
expect_exit 0 "--out with missing parents still works" -- "$C" train --data "$SHOP" $SMALL --quiet --out "$T/new/deep/run"
[ -f "$T/new/deep/run/summary.txt" ] && ok "the parents were created" || bad "no run in new/deep/run"

# ---- a full disk names the run (a 512 KiB tmpfs in a private mount namespace) ----
if unshare -r -m true 2>/dev/null || unshare -m true 2>/dev/null; then
    U="unshare -m"; unshare -m true 2>/dev/null || U="unshare -r -m"
    mkdir -p "$T/mnt"
    $U sh -c "mount -t tmpfs -o size=512k none '$T/mnt' && '$C' train --data '$SHOP' --hidden 256 \
        --epochs 1 --batch 64 --threads 1 --quiet --out '$T/mnt/big' >'$T/full.out' 2>'$T/full.err'; \
        echo \$? >'$T/full.rc'; ls -a '$T/mnt' >'$T/full.ls'" || bad "could not mount a tmpfs"
    [ "$(cat "$T/full.rc" 2>/dev/null)" = 1 ] && ok "disk full: train exits 1" || bad "disk full: exit $(cat "$T/full.rc" 2>/dev/null)"
    expect_grep "^clickseq: $T/mnt/big: cannot save [a-z.]+: .*No space left on device" "$T/full.err" \
        "disk full: the message names the run asked for"
    if grep -q "\.tmp-" "$T/full.err"; then bad "disk full: the message names the hidden temporary"; else ok "disk full: no temporary named"; fi
    if grep -q "tmp-" "$T/full.ls"; then bad "disk full: a temporary is left: $(cat "$T/full.ls")"; else ok "disk full: nothing left behind"; fi
else
    echo "# no private mount namespace here: the disk-full message is not checked"
fi

# ---- inspect escapes control characters of event-type names ----
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR < 40 && $2 == "view" { $2 = "\033]0;owned\007view" } { print }' \
    "$SHOP" >"$T/esc.csv"
grep -q "$(printf '\033')" "$T/esc.csv" || bad "the fixture has no escape character"
expect_exit 0 "inspect a file with control characters in a type name" -- "$C" inspect --data "$T/esc.csv"
if grep -q "$(printf '\033')\|$(printf '\007')" "$T/out"; then bad "inspect printed raw control characters"; else ok "no raw control characters on stdout"; fi
expect_grep '^  \\x1b]0;owned\\x07view ' "$T/out" "the name is shown escaped"

# ---- a split with one class only: a loud warning, even with --quiet ----
grep -v ',purchase,' "$SHOP" >"$T/nopos.csv"
expect_exit 0 "train on data without purchases" -- "$C" train --data "$T/nopos.csv" $SMALL --quiet --out "$T/nopos"
expect_grep "^clickseq: WARNING: the training split has no positive sessions \(0 of [0-9]+ sessions positive\)" "$T/err" \
    "warns that the training split has no positives"
expect_grep "^clickseq: WARNING: the test split has no positive sessions" "$T/err" "and the test split"
expect_exit 0 "train on normal data" -- "$C" train --data "$SHOP" $SMALL --quiet --out "$T/normal"
if grep -q WARNING "$T/err"; then bad "a warning on normal data: $(cat "$T/err")"; else ok "no warning on normal data"; fi

# ---- -1e308 in a features table ----
expect_exit 2 "a features table with -1e308" -- "$C" inspect --format features --data "$SRCDIR/tests/fixtures/csv/table_range.csv"
expect_grep "table_range.csv:3:2: field 2 \(PageValues\) is out of float range \(at most ±3.4e38\): '-1e308'$" "$T/err" \
    "says out of float range"
finish
