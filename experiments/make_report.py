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
  {{evaltable:DIR:SWEEP,SWEEP..}}  the `clickseq eval --json` files of results/DIR/ (named
                            SWEEP--RUN--min40.json and SWEEP--RUN--all.json by run_all.sh) of
                            every run in those sweeps' runs.csv, as mean ± std per sweep and
                            model: held-out long sessions (--min-len 40) and all sessions
  {{ev:DIR:SWEEP:MODEL:SEL:METRIC}}  "mean ± std" of one cell of it (SEL = min40 or all)
  {{evm:DIR:SWEEP:MODEL:SEL:METRIC}} the mean alone
  {{evn:DIR:SWEEP:SEL:KEY}}  n or positives of that selection (the same for every run)
  {{evrun:DIR:SWEEP--RUN:SEL:METRIC}}  one run's value (e.g. long-range--gru-s1)
  {{evcmds:DIR}}            results/DIR/commands.txt (the eval commands run_all.sh ran)
  {{include:PATH}}          results/PATH as it is (e.g. a sweep's valid.md, written by
                            experiments/valid_table.sh: the validation numbers of its runs)
  {{verdicts:NAME}}         results/NAME/compare.json (`clickseq compare --json`): the
                            groups' test metrics (mean ± std) and every difference with its
                            95 % paired-bootstrap interval and verdict, as Markdown tables
  {{cmpcmd:NAME}}           results/NAME/compare-cmd.txt (the compare command)
  {{sig:NAME:METRIC}}       the pairs whose METRIC difference is distinguishable, or "none"
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
    """From the results file; for a step without one (long-range-eval), the last line of
    results/walltimes.txt that run_all.sh wrote for it."""
    import os
    if not any(os.path.exists(f"{R}/{name}/{fn}") for fn in ("results.md", "study.md")):
        found = [l.split()[1] for l in read(f"{R}/walltimes.txt").splitlines()
                 if l.startswith(name + ": ")]
        if not found:
            raise SystemExit(f"make_report: no wall time for {name}")
        return found[-1]
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


def mean_std(xs):
    xs = [float(x) for x in xs]
    m = sum(xs) / len(xs)
    if len(xs) < 2:
        return m, None
    return m, (sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) ** 0.5


def ms(xs):
    m, sd = mean_std(xs)
    return fmt(m) if sd is None else f"{fmt(m)} ± {fmt(sd)}"


def evals(d, sweep):
    """{model: {"min40": [json...], "all": [json...]}} for every run of the sweep."""
    import json
    import os
    out = {}
    with open(f"{R}/{sweep}/runs.csv") as f:
        for r in csv.DictReader(f):
            base = f"{R}/{d}/{sweep}--{os.path.basename(r['run'])}"
            if not r["run"] or not os.path.exists(base + "--min40.json"):
                continue
            e = out.setdefault(r["model"], {"min40": [], "all": []})
            for sel in ("min40", "all"):
                with open(f"{base}--{sel}.json") as g:
                    e[sel].append(json.load(g))
    if not out:
        raise SystemExit(f"make_report: no eval files for {sweep} in {R}/{d}")
    return out


def epochs_of(sweep):
    m = re.search(r"--epochs ([0-9]+)", cmd(sweep))
    return m.group(1) if m else "20"


def evaltable(d, sweeps):
    out = ["| trained | model | runs | long: PR-AUC | long: ROC-AUC | long: F1 | all: PR-AUC | all: ROC-AUC | all: F1 |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for sw in sweeps.split(","):
        for model, e in evals(d, sw).items():
            cells = [ms([j[k] for j in e[sel]]) for sel in ("min40", "all")
                     for k in ("pr_auc", "roc_auc", "f1")]
            out.append(f"| {sw} ({epochs_of(sw)} epochs) | {model} | {len(e['min40'])} | " +
                       " | ".join(cells) + " |")
    return "\n".join(out)


def evsel(d, sweep, sel):
    e = next(iter(evals(d, sweep).values()))[sel]
    if len({(j["n"], j["positives"]) for j in e}) != 1:
        raise SystemExit(f"make_report: {sweep}: runs were evaluated on different sessions")
    return e[0]


def compare_doc(name):
    import json
    with open(f"{R}/{name}/compare.json") as f:
        return json.load(f)


def verdicts(name):
    d = compare_doc(name)
    out = ["| group | runs | test PR-AUC | test ROC-AUC | test F1 |", "|---|---:|---:|---:|---:|"]
    for g in d["groups"]:
        m = g["metrics"]
        cells = [f"{fmt(m[k]['mean'])} ± {fmt(m[k]['std'])}" for k in ("test_pr_auc", "test_roc_auc", "test_f1")]
        out.append(f"| {g['name']} | {len(g['runs'])} | " + " | ".join(cells) + " |")
    out += ["", "| difference | metric | delta | 95 % interval | verdict |", "|---|---|---:|---:|---|"]
    label = {"test_pr_auc": "PR-AUC", "test_roc_auc": "ROC-AUC", "test_f1": "F1"}
    for x in d["differences"]:
        v = "**" + x["verdict"].rsplit(": ", 1)[1] + "**" if x["distinguishable"] else "not distinguishable"
        out.append(f"| {x['a']} − {x['b']} | {label[x['metric']]} | {x['delta']:+.4f} | "
                   f"[{x['ci_low']:+.4f}, {x['ci_high']:+.4f}] | {v} |")
    for x in d["refused"]:
        out.append(f"| {x['a']} − {x['b']} | - | - | - | refused: {x['reason']} |")
    b = d["bootstrap"]
    out += ["", f"({b['replicates']} replicates, seed {b['seed']}; {b['method']}; "
            f"{d['differences'][0]['sessions'] if d['differences'] else 0} test sessions.)"]
    return "\n".join(out)


def sig(name, metric):
    d = compare_doc(name)
    hits = [x for x in d["differences"] if x["metric"] == "test_" + metric and x["distinguishable"]]
    if not hits:
        return "none"
    return ", ".join(f"{x['a']} − {x['b']} {x['delta']:+.4f} [{x['ci_low']:+.4f}, {x['ci_high']:+.4f}]"
                     for x in hits)


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
    if op in ("ev", "evm"):
        xs = [j[parts[5]] for j in evals(parts[1], parts[2])[parts[3]][parts[4]]]
        return ms(xs) if op == "ev" else fmt(mean_std(xs)[0])
    if op == "evn":
        return str(evsel(parts[1], parts[2], parts[3])[parts[4]])
    if op == "evtable" or op == "evaltable":
        return evaltable(parts[1], parts[2])
    if op == "evrun":
        import json
        with open(f"{R}/{parts[1]}/{parts[2]}--{parts[3]}.json") as g:
            return fmt(json.load(g)[parts[4]])
    if op == "verdicts":
        return verdicts(parts[1])
    if op == "cmpcmd":
        return read(f"{R}/{parts[1]}/compare-cmd.txt").strip()
    if op == "sig":
        return sig(parts[1], parts[2])
    if op == "evcmds":
        return read(f"{R}/{parts[1]}/commands.txt").strip()
    if op == "include":
        return read(f"{R}/{parts[1]}").strip()
    raise SystemExit(f"make_report: unknown placeholder {m.group(0)}")


def main():
    text = read("experiments/EXPERIMENTS.in.md")
    out = re.sub(r"\{\{([^}]*)\}\}", expand, text)
    with open("EXPERIMENTS.md", "w") as f:
        f.write(out)
    print("wrote EXPERIMENTS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
