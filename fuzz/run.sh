#!/bin/sh
# fuzz/run.sh [SECONDS] [HARNESS|csv|run|all] — build the libFuzzer harnesses with clang
# (ASan + UBSan + LeakSanitizer, engine sources compiled in directly) and fuzz each for
# SECONDS (default 120).  Harnesses:
#   events table                        the CSV readers (corpus: tests/fixtures/csv, each
#                                       file with a few option bytes in front)
#   config summary history batches model  the run-file readers (fuzz_run.c, one build per
#                                       file; corpus: the files of tests/fixtures/runs/*)
#   live                                the live record (fuzz_run.c too; corpus:
#                                       tests/fixtures/live/*.live)
# `csv` = events + table, `run` = the five run files and the live record, `all` = everything.  Corpora and crash
# files go to $FUZZ_OUT/<name>/ (default /tmp/clickseq-fuzz, outside the tree so that
# `make dist` does not pick them up).  Inputs that once failed (fuzz/regressions/<name>-*)
# join the corpus on every run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
secs=${1:-120}
which=${2:-all}
CC=${CC:-clang}
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$top/include -I$top/src"
eng="$top/src/engine"
SRC="$eng/data/csvread.c $eng/data/csvload.c $eng/data/events.c $eng/data/intern.c $eng/data/timeparse.c $eng/data/numparse.c $eng/data/table.c $eng/data/gapsess.c $eng/data/group.c $eng/data/sniff.c $eng/core/error.c $eng/core/fanout.c $eng/core/hash.c $eng/core/clock.c"
base="${FUZZ_OUT:-/tmp/clickseq-fuzz}"
# the engine sources include the build's config.h; a stand-in for the fuzzing builds
mkdir -p "$base/engine"
printf '#define PACKAGE_VERSION "fuzz"\n' >"$base/engine/config.h"
CFLAGS="$CFLAGS -I$base/engine"

runfile() {   # harness name -> file of a run directory
    case $1 in
    config) echo config.txt ;; summary) echo summary.txt ;; history) echo history.csv ;;
    batches) echo batches.csv ;; model) echo model.bin ;; live) echo .live ;; *) echo "" ;;
    esac
}

# the whole engine, compiled once with the fuzzing flags, for the run-file harnesses
engine_lib() {
    lib="$base/engine"
    [ -n "${engine_done:-}" ] && return 0
    mkdir -p "$lib"
    printf '#define PACKAGE_VERSION "fuzz"\n' >"$lib/config.h"
    for f in "$eng"/*/*.c; do   # (dist/ is the MPI layer: not in the fuzzing builds) objects newer than their source (and every header) are kept
        case $f in "$eng"/dist/*) continue ;; esac
        o="$lib/$(basename "$f" .c).o"
        newer=$(find "$f" "$top/include" "$eng" -name '*.h' -newer "$o" 2>/dev/null | head -1)
        [ -f "$o" ] && [ "$o" -nt "$f" ] && [ -z "$newer" ] && continue
        $CC $(echo "$CFLAGS" | sed 's/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,/') -I"$lib" \
            -c "$f" -o "$o"
    done
    rm -f "$lib/libengine.a"
    ar cr "$lib/libengine.a" "$lib"/*.o
    engine_done=1
}

case $which in
all) list="events table config summary history batches model live" ;;
csv) list="events table" ;;
run) list="config summary history batches model live" ;;
*) list=$which ;;
esac

for h in $list; do
    out="$base/$h"
    mkdir -p "$out/corpus" "$out/crashes"
    rf=$(runfile "$h")
    if [ -z "$rf" ]; then
        $CC $CFLAGS -o "$out/fuzz_$h" "$here/fuzz_$h.c" $SRC -lcsv -lm -pthread
        for f in "$top"/tests/fixtures/csv/*.csv "$top"/tests/fixtures/csv/*.dat "$top"/tests/fixtures/csv/*.tsv; do
            for m in 0 1 2 3 4 8 9 10 11 27 71 130; do
                seed="$out/corpus/seed-$m-$(basename "$f")"
                [ -f "$seed" ] || { printf "\\$(printf %o $m)" >"$seed"; cat "$f" >>"$seed"; }
            done
        done
    else
        engine_lib
        $CC $CFLAGS -DRUNFILE="\"$rf\"" -DTEMPLATE="\"$top/tests/fixtures/runs/seq\"" \
            -o "$out/fuzz_$h" "$here/fuzz_run.c" "$base/engine/libengine.a" -lcsv -lm -pthread
        if [ "$h" = live ]; then
            for f in "$top"/tests/fixtures/live/*.live; do cp "$f" "$out/corpus/seed-$(basename "$f")"; done
        else
            for d in "$top"/tests/fixtures/runs/*/; do
                cp "$d/$rf" "$out/corpus/seed-$(basename "$d")-$rf"
            done
        fi
    fi
    for f in "$here"/regressions/"$h"-*; do
        [ -f "$f" ] && cp "$f" "$out/corpus/"
    done
    echo "== fuzz_$h for ${secs}s"
    scratch=$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo /tmp)/clickseq-fuzz.XXXXXX")
    (cd "$out" && CLICKSEQ_FUZZ_TMP="$scratch" ./"fuzz_$h" -max_total_time="$secs" -max_len=8192 -artifact_prefix=crashes/ \
        -print_final_stats=1 corpus 2>&1 | grep -E "stat::number_of_executed_units|stat::peak|ERROR|SUMMARY|disagree|abort|#[0-9]+ *DONE" || true)
    rm -rf "$scratch"
    n=$(ls "$out/crashes" | wc -l)
    echo "fuzz_$h: $n crash file(s) in $out/crashes"
done
