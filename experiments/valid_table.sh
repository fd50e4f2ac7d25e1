#!/bin/sh
# valid_table.sh DIR: the VALIDATION numbers of every run below DIR (a sweep's folder) at
# the epoch early stopping kept (summary.txt best_epoch -> that row of history.csv), as
# Markdown: one row per configuration (the run name without -sN), mean over its seeds, and
# the runs behind it.  --preset best was chosen from these tables alone (EXPERIMENTS.md):
# the test numbers were not used to choose.
dir=$1
echo "| configuration | runs | valid PR-AUC | valid F1 | best epochs |"
echo "|---|---:|---:|---:|---|"
for r in "$dir"/*/; do
    [ -f "$r/summary.txt" ] || continue
    be=$(sed -n 's/^best_epoch = //p' "$r/summary.txt")
    awk -F, -v be="$be" -v run="$(basename "$r")" \
        'NR > 1 && $1 == be { printf "%s %d %.6f %.6f\n", run, be, $9, $7 }' "$r/history.csv"
done | sort | awk '{ c = $1; sub(/-s[0-9]+$/, "", c); if (!(c in n)) o[++k] = c; n[c]++; p[c] += $3; f[c] += $4;
                     e[c] = e[c] (e[c] == "" ? "" : ", ") $2 }
    END { for (i = 1; i <= k; i++) { c = o[i]; printf "| %s | %d | %.4f | %.4f | %s |\n", c, n[c], p[c] / n[c], f[c] / n[c], e[c] } }'
