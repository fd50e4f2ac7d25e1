#!/usr/bin/python3
"""make_report.py — build EXPERIMENTS.md from experiments/EXPERIMENTS.in.md and the tables
the commands wrote under experiments/results/, so that every number in EXPERIMENTS.md
comes from a command's output (none is typed by hand).

Placeholders in the template:
  {{table:NAME}}            the table(s) of results/NAME/results.md or study.md (from the
                            first table or "##" heading to the wall-time line)
  {{cmd:NAME}}              the exact command recorded in that file
  {{wall:NAME}}             its wall time in seconds
  {{runs:NAME}}             how many runs (lines of runs.csv)
  {{v:NAME:K=V,K=V:METRIC}} "mean ± std" of METRIC (f1, precision, recall, pr_auc, roc_auc,
                            seconds) in the results.csv row whose keys match
  {{m:NAME:K=V,...:METRIC}} the mean alone
  {{diff:NAME:ROW_A:NAME_B:ROW_B:METRIC}}
                            mean(A) - mean(B), signed, 3 decimals
  {{best:NAME:METRIC:K=V,...}}  the key values of the best row by mean METRIC among rows
                            matching the filter (e.g. model=gru)
  {{bestv:NAME:METRIC[:FILTER]}}  "mean ± std" of that best row
  {{bestdiff:NAME:METRIC:ROW_B[:FILTER]}}  best mean minus ROW_B's mean
  {{csv:PATH:ROW:COL}}      a cell of any CSV (ROW = first-column value)
  {{torch:METRIC}} {{torchdiff:METRIC}}  the PyTorch GRU (results/yc-torch-gru.csv) and
                            yc-sweep's GRU (emb-item 0) minus it
  {{early:PATH}}            an early-prediction CSV as a Markdown table
Usage: /usr/bin/python3 experiments/make_report.py  (from the top of the tree)
"""
import csv
import re
import sys

R = "experiments/results"


def read(path):
    with open(path) as f:
        return f.read()


def doc_of(name):
    for fn in ("results.md", "study.md"):
        try:
            return read(f"{R}/{name}/{fn}")
        except FileNotFoundError:
            pass
    raise SystemExit(f"make_report: no results.md or study.md in {R}/{name}")


def table(name):
    text = doc_of(name)
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("|") or l.startswith("## "))
    end = next(i for i, l in enumerate(lines) if l.startswith("Wall time"))
    out = [l.replace("## ", "#### ", 1) if l.startswith("## ") else l for l in lines[start:end]]
    return "\n".join(out).strip()


def cmd(name):
    m = re.search(r"Command: `([^`]*)`", doc_of(name))
    return m.group(1)


def wall(name):
    return re.search(r"Wall time: ([0-9.]+) s", doc_of(name)).group(1)


def rows(name):
    with open(f"{R}/{name}/results.csv") as f:
        return list(csv.DictReader(f))


def match(name, spec):
    want = dict(kv.split("=", 1) for kv in spec.split(",") if kv)
    found = [r for r in rows(name) if all(r.get(k) == v for k, v in want.items())]
    if len(found) != 1:
        raise SystemExit(f"make_report: {name}: {spec} matches {len(found)} rows")
    return found[0]


def fmt(x):
    return f"{float(x):.3f}"


def v(name, spec, metric):
    r = match(name, spec)
    if r[f"{metric}_mean"] == "":
        return "n/a"
    if int(r["runs"]) > 1:
        return f"{fmt(r[metric + '_mean'])} ± {fmt(r[metric + '_std'])}"
    return fmt(r[metric + "_mean"])


def keep(r, spec):
    """K=V and K!=V conditions, comma-separated."""
    for kv in (x for x in spec.split(",") if x):
        if "!=" in kv:
            k, val = kv.split("!=", 1)
            if r.get(k) == val:
                return False
        else:
            k, val = kv.split("=", 1)
            if r.get(k) != val:
                return False
    return True


def best(name, metric, spec):
    cand = [r for r in rows(name) if keep(r, spec)]
    r = max(cand, key=lambda r: float(r[metric + "_mean"]))
    keys = list(rows(name)[0].keys())
    keys = keys[: keys.index("runs")]
    return ",".join(f"{k}={r[k]}" for k in keys)


def early(path):
    with open(path) as f:
        rs = list(csv.DictReader(f))
    out = ["| k | sessions | positives | positive rate | F1 | precision | recall | PR-AUC | ROC-AUC |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rs:
        out.append("| " + " | ".join([r["k"], r["sessions"], r["positives"], fmt(r["positive_rate"])] +
                                     [fmt(r[k]) if r[k] not in ("", "nan") else "n/a"
                                      for k in ("f1", "precision", "recall", "pr_auc", "roc_auc")]) + " |")
    return "\n".join(out)


def csvcell(path, row, col):
    with open(path) as f:
        for r in csv.DictReader(f):
            if list(r.values())[0] == row:
                return r[col] if r[col].lstrip("-").isdigit() else fmt(r[col])
    raise SystemExit(f"make_report: {path}: no row {row}")


def expand(m):
    parts = m.group(1).split(":")
    op = parts[0]
    if op == "table":
        return table(parts[1])
    if op == "cmd":
        return cmd(parts[1])
    if op == "wall":
        return wall(parts[1])
    if op == "runs":
        return str(sum(1 for _ in open(f"{R}/{parts[1]}/runs.csv")) - 1)
    if op == "v":
        return v(parts[1], parts[2], parts[3])
    if op == "m":
        return fmt(match(parts[1], parts[2])[parts[3] + "_mean"])
    if op == "diff":
        a = float(match(parts[1], parts[2])[parts[5] + "_mean"])
        b = float(match(parts[3], parts[4])[parts[5] + "_mean"])
        return f"{a - b:+.3f}"
    if op == "best":
        return best(parts[1], parts[2], parts[3] if len(parts) > 3 else "")
    if op == "bestv":      # bestv:NAME:METRIC[:FILTER] -> "mean ± std" of the best row
        spec = best(parts[1], parts[2], parts[3] if len(parts) > 3 else "")
        return v(parts[1], spec, parts[2])
    if op == "bestdiff":   # bestdiff:NAME:METRIC:ROW_B[:FILTER] -> best mean - B mean
        spec = best(parts[1], parts[2], parts[4] if len(parts) > 4 else "")
        a = float(match(parts[1], spec)[parts[2] + "_mean"])
        b = float(match(parts[1], parts[3])[parts[2] + "_mean"])
        return f"{a - b:+.3f}"
    if op in ("torch", "torchdiff"):   # the PyTorch twin (yc-torch-gru.csv) of yc-sweep's GRU
        with open(f"{R}/yc-torch-gru.csv") as f:
            t = {r["seed"]: r for r in csv.DictReader(f)}
        k = parts[1]
        if op == "torch":
            n = sum(1 for s in t if s not in ("mean", "std"))
            return f"{fmt(t['mean'][k])} ± {fmt(t['std'][k])}" if n > 1 else fmt(t["mean"][k])
        c = float(match("yc-sweep", "model=gru,emb-item=0")[k + "_mean"])
        return f"{c - float(t['mean'][k]):+.3f}"
    if op == "csv":
        return csvcell(parts[1], parts[2], parts[3])
    if op == "early":
        return early(parts[1])
    raise SystemExit(f"make_report: unknown placeholder {m.group(0)}")


def main():
    text = read("experiments/EXPERIMENTS.in.md")
    out = re.sub(r"\{\{([^}]*)\}\}", expand, text)
    with open("EXPERIMENTS.md", "w") as f:
        f.write(out)
    print("wrote EXPERIMENTS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
