#!/bin/sh
# fuzz/run.sh [SECONDS] [events|table|all] — build the libFuzzer harnesses with clang
# (ASan + UBSan, engine sources compiled in directly), seed a corpus from the CSV
# fixtures (each file with a few option bytes in front), and fuzz each harness for
# SECONDS (default 120).  Corpora and crash files go to $FUZZ_OUT/<name>/ (default
# /tmp/clickseq-fuzz, outside the tree so that `make dist` does not pick them up).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
secs=${1:-120}
which=${2:-all}
CC=${CC:-clang}
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$top/include -I$top/src"
eng="$top/src/engine"
SRC="$eng/csvread.c $eng/csvload.c $eng/events.c $eng/intern.c $eng/timeparse.c $eng/numparse.c $eng/table.c $eng/gapsess.c $eng/error.c"
for h in events table; do
    [ "$which" = all ] || [ "$which" = "$h" ] || continue
    out="${FUZZ_OUT:-/tmp/clickseq-fuzz}/$h"
    mkdir -p "$out/corpus" "$out/crashes"
    $CC $CFLAGS -o "$out/fuzz_$h" "$here/fuzz_$h.c" $SRC -lcsv -lm
    for f in "$top"/tests/fixtures/csv/*.csv "$top"/tests/fixtures/csv/*.dat "$top"/tests/fixtures/csv/*.tsv; do
        for m in 0 1 2 3 4 8 9 10 11 27 71 130; do
            seed="$out/corpus/seed-$m-$(basename "$f")"
            [ -f "$seed" ] || { printf "\\$(printf %o $m)" >"$seed"; cat "$f" >>"$seed"; }
        done
    done
    # inputs that once failed (fuzz/regressions/<harness>-*) stay in the corpus
    for f in "$here"/regressions/"$h"-*; do
        [ -f "$f" ] && cp "$f" "$out/corpus/"
    done
    echo "== fuzz_$h for ${secs}s"
    (cd "$out" && ./"fuzz_$h" -max_total_time="$secs" -max_len=8192 -artifact_prefix=crashes/ \
        -print_final_stats=1 corpus 2>&1 | grep -E "stat::|ERROR|SUMMARY|disagree|#[0-9]+ *DONE" || true)
    n=$(ls "$out/crashes" | wc -l)
    echo "fuzz_$h: $n crash file(s) in $out/crashes"
done
