#!/bin/sh
# bench/run-all.sh — run every benchmark (make bench).  Each prints its own table.
set -e
here=$(cd "$(dirname "$0")" && pwd)
for b in "$here"/*/run.sh; do
    [ -f "$b" ] || continue
    echo "== $(basename "$(dirname "$b")")"
    sh "$b"
done
