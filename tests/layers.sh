#!/bin/sh
# tests/layers.sh — the include direction: no file includes a header of a higher layer
# (HACKING.md "Layers").  The layers of the public headers are in tests/layers.txt; a file
# under src/ has the layer of its folder.  Fails naming FILE:LINE, the header and both
# layers; also fails for a public header without a layer (or a stale line in the table).
set -u
: "${SRCDIR:?run through make check}"
cd "$SRCDIR" || exit 1
table=tests/layers.txt
files=$(find include/clickseq src -name '*.[ch]' | sort)
headers=$(cd include/clickseq && ls *.h)
awk -v headers="$headers" '
function rank_of(l) { return (l in rank) ? rank[l] : -1 }
# the layer of a file of the tree (by path), "" when it has none
function layer_of_path(p,    a, n) {
    n = split(p, a, "/")
    if (a[1] == "include" && a[2] == "clickseq") return (a[3] in pub) ? pub[a[3]] : ""
    if (a[1] == "src" && a[2] == "engine" && n >= 4) return a[3]
    if (a[1] == "src" && a[2] == "app") return (n >= 4 && a[3] == "tui") ? "tui" : "app"
    return ""
}
BEGIN {
    split("core data sessions nn train runs study dist app tui", order, " ")
    for (i = 1; i in order; i++) rank[order[i]] = i
    bad = 0
}
FNR == 1 { file++ }
file == 1 {
    if ($0 ~ /^#/ || NF == 0) next
    if (NF != 2 || rank_of($2) < 0) { printf "%s:%d: bad line (want: HEADER LAYER)\n", FILENAME, FNR; bad++; next }
    pub[$1] = $2
    next
}
FNR == 1 {
    if (!checked) {
        checked = 1
        n = split(headers, hs, "\n")
        for (i = 1; i <= n; i++) {
            seen[hs[i]] = 1
            if (!(hs[i] in pub)) { printf "include/clickseq/%s: no layer in tests/layers.txt\n", hs[i]; bad++ }
        }
        for (h in pub) if (!(h in seen)) { printf "tests/layers.txt: %s is not a header of include/clickseq\n", h; bad++ }
    }
    me = layer_of_path(FILENAME)
    dir = FILENAME; sub(/\/[^\/]*$/, "", dir)
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
    inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
    if (inc == "config.h" || me == "") next
    if (inc ~ /^clickseq\//) { h = inc; sub(/^clickseq\//, "", h); target = (h in pub) ? pub[h] : ""; path = "include/" inc }
    else if (inc ~ /^(engine|app)\//) { path = "src/" inc; target = layer_of_path(path) }
    else { path = dir "/" inc; target = layer_of_path(path) }
    if (target == "") { printf "%s:%d: includes \"%s\", which has no layer\n", FILENAME, FNR, inc; bad++; next }
    if (rank_of(target) > rank_of(me)) {
        printf "%s:%d: includes \"%s\" (layer %s) from layer %s: a lower layer must not include a higher one\n", FILENAME, FNR, inc, target, me
        bad++
    }
}
END {
    if (bad) { printf "%d include-direction problem(s)\n", bad; exit 1 }
    print "ok - every include points to the same layer or a lower one"
}' "$table" $files
