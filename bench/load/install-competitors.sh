#!/bin/sh
# bench/load/install-competitors.sh — install the loading competitors of bench/load/run.sh
# (polars and DuckDB for node) into a cache folder outside the tree:
#   ${CLICKSEQ_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clickseq-bench}/node_modules
# Benchmarks only: never run by `make check`.  Needs node (>= 18) and npm.
set -eu
dir=${CLICKSEQ_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clickseq-bench}
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || printf '{"name":"clickseq-bench","private":true}\n' >package.json
npm install --no-audit --no-fund --loglevel=error \
    nodejs-polars@0.25.2 nodejs-polars-linux-x64-gnu@0.25.2 @duckdb/node-api
node -e 'require("nodejs-polars"); require("@duckdb/node-api"); console.log("ok: polars and duckdb load")'
echo "installed into $dir/node_modules"
