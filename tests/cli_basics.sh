#!/bin/sh
# cli_basics.sh — dispatch, --help, --version and usage errors.
. "$SRCDIR/tests/lib.sh"
expect_exit 0 "--help exits 0" -- "$CLICKSEQ" --help
expect_grep "usage: clickseq" "$T/out" "--help prints usage"
expect_exit 0 "--version exits 0" -- "$CLICKSEQ" --version
expect_grep "^clickseq [0-9]" "$T/out" "--version prints the version"
expect_exit 2 "an unknown command is a usage error" -- "$CLICKSEQ" frobnicate
expect_grep "unknown command 'frobnicate'" "$T/err" "the unknown command is named"
finish
