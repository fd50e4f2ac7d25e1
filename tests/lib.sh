# tests/lib.sh — helpers for shell tests.  Sourced; expects CLICKSEQ, SRCDIR, BUILDDIR
# (set by `make check`, see Makefile.am).  Each test gets a private scratch directory.
set -u
: "${CLICKSEQ:?run through make check}"
: "${SRCDIR:?run through make check}"
SHARED="$SRCDIR/../shared/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/clickseq-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# the workbench's settings file: never the real home's (settings.h)
export XDG_CONFIG_HOME="$T/xdg-config"
fails=0
passes=0
ok()   { passes=$((passes + 1)); echo "ok - $*"; }
bad()  { fails=$((fails + 1)); echo "FAIL - $*"; }
# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
    want=$1; desc=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"; got=$?
    if [ "$got" = "$want" ]; then ok "$desc"; else bad "$desc (exit $got, wanted $want)"; sed 's/^/    /' "$T/err" | head -5; fi
}
# expect_grep PATTERN FILE DESCRIPTION
# (patterns are UTF-8 text: "[+−]" is one character only in a UTF-8 locale, and a fresh
# root has no LANG, so the match runs in C.UTF-8, which glibc always has)
expect_grep() {
    if LC_ALL=C.UTF-8 grep -q -E -- "$1" "$2"; then ok "$3"; else bad "$3 (no '$1' in $2)"; sed 's/^/    /' "$2" | head -10; fi
}
# simulate_shop FILE SIMULATE-OPTIONS...: the simulated shop a test trains on.  A simulator
# that fails fails the test (exit 1, its message shown): it must never hide as a skip.
simulate_shop() {
    out=$1; shift
    if ! "$CLICKSEQ" simulate "$@" --out "$out" >"$T/sim.out" 2>"$T/sim.err"; then
        echo "FAIL - clickseq simulate $* failed:"; sed 's/^/    /' "$T/sim.err" | head -5
        exit 1
    fi
}
# $WITH_SIGNALS CMD... &: CMD with SIGINT, SIGTERM and SIGHUP at their default action.  A
# script's background job starts with SIGINT ignored, and clickseq keeps a signal that was
# ignored at start ignored (nohup), so a test that signals a background job starts it so
# (GNU env 8.31 or later; env execs CMD, so $! is CMD's pid — a shell function would not be).
WITH_SIGNALS="env --default-signal=INT,TERM,HUP"
finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}
# need_mpi: the test runs only in a build with MPI (configure found it: HAVE_MPI=yes from
# the test environment).  Without MPI it skips, saying so; with MPI and no mpirun it fails.
need_mpi() {
    if [ "${HAVE_MPI:-no}" != yes ]; then
        echo "SKIP: configure found no MPI (install libopenmpi-dev openmpi-bin, re-run configure)"
        exit 77
    fi
    MPIRUN=${MPIRUN:-$(command -v mpirun)}
    if [ -z "$MPIRUN" ] || [ ! -x "$MPIRUN" ]; then
        echo "FAIL - built with MPI but no mpirun found (install openmpi-bin)"; exit 1
    fi
}
# sanitized: true in a sanitizer build (ASan/UBSan or TSan), whose shadow memory needs the
# address space a `ulimit -v` takes away (ASAN_OPTIONS is set in every build's test
# environment, so it cannot tell).
sanitized() {
    grep -q '^SAN_CFLAGS = -f' "$BUILDDIR/Makefile" 2>/dev/null
}
# mpi_run N COMMAND...: COMMAND on N ranks of this machine (more ranks than cores allowed;
# as root too, as in CI).  In a sanitizer build LeakSanitizer is off for the ranks: Open
# MPI leaves ~120 kB at MPI_Finalize in components it has already unloaded (no frames to
# suppress); ASan's memory checks stay on, and the one-process tests check leaks.
mpi_run() {
    np=$1; shift
    set -- --oversubscribe -np "$np" "$@"
    [ "$(id -u)" = 0 ] && set -- --allow-run-as-root "$@"
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1 \
        "$MPIRUN" "$@"
}
