#!/usr/bin/python3
"""torch_gru.py — the same GRU as clickseq, trained in PyTorch on exactly the same data.

Reads the CSV written by experiments/export_dataset (the sessions, per-step inputs and the
train/valid/test split that `clickseq sweep`/`train` use for the same options) and trains
the network clickseq builds for those options, with its training method:

  input per step  = [emb_type[type] (emb-type), emb_category[bucket(category)] (emb-category),
                     emb_item[bucket(item)] (emb-item), log_dwell, log_price]
  GRU (PyTorch gate formulation, which clickseq follows), hidden H, 1 layer
  head            = Linear(H, 1), sigmoid; BCE with pos_weight = negatives / positives (train)
  Adam (lr), gradient-norm clipping (clip), batch, epochs; each epoch: validation PR-AUC,
  the F1-optimal threshold on validation (ties: the higher threshold); early stopping on
  validation PR-AUC (patience) keeping the best weights; test metrics at that threshold.
  Initialisation as clickseq: embeddings and head Glorot-uniform, head bias 0, GRU U(+-1/sqrt(H)).

Hashing of category/item ids into buckets copies clickseq's (src/engine/model_run.c).
Batches are shuffled and packed (pack_padded_sequence): no computation on padding, like
clickseq; the batch composition differs (clickseq buckets by length), the rest is the same.

Usage (see experiments/README.md):
  /usr/bin/python3 experiments/torch_gru.py --data export.csv --hidden 64 --emb-type 16 \
      --emb-category 8 --emb-item 16 --hash-buckets 4096 --lr 1e-3 --batch 256 --epochs 20 \
      --patience 5 --clip 5 --seeds 1,2,3 --out results.csv
Prints one line per seed and the mean ± sample std of test F1, precision, recall, PR-AUC,
ROC-AUC (sklearn), and writes them as CSV.
"""
import argparse
import csv
import math
import sys
import time

import numpy as np
import torch
from sklearn.metrics import average_precision_score, roc_auc_score


def bucket(ids, buckets):
    """clickseq's hash of an interned id into a bucket (uint32 arithmetic)."""
    x = (ids.astype(np.uint64) * np.uint64(0x9E3779B1)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x85EBCA77)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(13)
    return (x % np.uint64(buckets)).astype(np.int64)


def load(path):
    parts = {"train": [], "valid": [], "test": []}
    n_types = None
    with open(path) as f:
        first = f.readline()
        n_types = int(first.strip().split("=")[1])
        for row in csv.DictReader(f):
            ints = lambda k: np.array(row[k].split(), dtype=np.int64)
            floats = lambda k: np.array(row[k].split(), dtype=np.float32)
            parts[row["part"]].append((ints("types"), ints("items"), ints("categories"),
                                       floats("log_dwell"), floats("log_price"), int(row["label"])))
    return n_types, parts


class Net(torch.nn.Module):
    def __init__(self, a, n_types):
        super().__init__()
        self.a = a
        d = 0
        if a.emb_type:
            self.emb_type = torch.nn.Embedding(n_types, a.emb_type)
            d += a.emb_type
        else:
            self.emb_type = None
            d += n_types
        self.emb_cat = torch.nn.Embedding(a.hash_buckets, a.emb_category) if a.emb_category else None
        self.emb_item = torch.nn.Embedding(a.hash_buckets, a.emb_item) if a.emb_item else None
        d += a.emb_category + a.emb_item + (1 if a.dwell else 0) + (1 if a.price else 0)
        self.n_types = n_types
        self.gru = torch.nn.GRU(d, a.hidden, batch_first=True)
        self.head = torch.nn.Linear(a.hidden, 1)
        for e in (self.emb_type, self.emb_cat, self.emb_item):
            if e is not None:
                torch.nn.init.xavier_uniform_(e.weight)
        torch.nn.init.xavier_uniform_(self.head.weight)
        torch.nn.init.zeros_(self.head.bias)
        r = 1.0 / math.sqrt(a.hidden)
        for p in self.gru.parameters():
            torch.nn.init.uniform_(p, -r, r)

    def forward(self, types, cats, items, dwell, price, lengths):
        xs = []
        if self.emb_type is not None:
            xs.append(self.emb_type(types - 1))
        else:
            xs.append(torch.nn.functional.one_hot(types - 1, self.n_types).float())
        if self.emb_cat is not None:
            xs.append(self.emb_cat(cats))
        if self.emb_item is not None:
            xs.append(self.emb_item(items))
        if self.a.dwell:
            xs.append(dwell.unsqueeze(-1))
        if self.a.price:
            xs.append(price.unsqueeze(-1))
        x = torch.cat(xs, dim=-1)
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                         enforce_sorted=False)
        _, h = self.gru(packed)
        return self.head(h[-1]).squeeze(-1)


class Part:
    """One split part padded once into tensors (types padded with 1; packing ignores padding)."""

    def __init__(self, sessions, a):
        self.n = len(sessions)
        self.lengths = torch.tensor([len(s[0]) for s in sessions])
        T = int(self.lengths.max()) if self.n else 1
        self.types = torch.ones(self.n, T, dtype=torch.long)
        self.cats = torch.zeros(self.n, T, dtype=torch.long)
        self.items = torch.zeros(self.n, T, dtype=torch.long)
        self.dwell = torch.zeros(self.n, T)
        self.price = torch.zeros(self.n, T)
        for i, (ty, it, ca, dw, pr, _) in enumerate(sessions):
            n = len(ty)
            self.types[i, :n] = torch.from_numpy(ty)
            self.cats[i, :n] = torch.from_numpy(bucket(ca, a.hash_buckets))
            self.items[i, :n] = torch.from_numpy(bucket(it, a.hash_buckets))
            self.dwell[i, :n] = torch.from_numpy(dw)
            self.price[i, :n] = torch.from_numpy(pr)
        self.y = torch.tensor([s[5] for s in sessions], dtype=torch.float32)

    def batch(self, idx):
        lengths = self.lengths[idx]
        T = int(lengths.max())
        return (self.types[idx, :T], self.cats[idx, :T], self.items[idx, :T], self.dwell[idx, :T],
                self.price[idx, :T], lengths, self.y[idx])


def batches(part, a, shuffle, gen):
    order = torch.randperm(part.n, generator=gen) if shuffle else torch.arange(part.n)
    for k in range(0, part.n, a.batch):
        yield part.batch(order[k:k + a.batch])


def predict(net, part, a):
    net.eval()
    out = []
    with torch.no_grad():
        for b in batches(part, a, False, None):
            out.append(torch.sigmoid(net(*b[:6])))
    net.train()
    return torch.cat(out).numpy()


def best_threshold(p, y):
    """F1-optimal threshold (predicted positive when p >= t); ties: the higher threshold."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    P = ys.sum()
    best, thr, tp, k = -1.0, 0.5, 0, 0
    n = len(ps)
    while k < n:
        j = k
        while j < n and ps[j] == ps[k]:
            tp += ys[j]
            j += 1
        f1 = 2 * tp / (j + P) if P > 0 else 0.0
        if f1 > best:
            best, thr = f1, float(ps[k])
        k = j
    return thr


def metrics(p, y, thr):
    pred = p >= thr
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return dict(f1=f1, precision=prec, recall=rec, pr_auc=average_precision_score(y, p),
                roc_auc=roc_auc_score(y, p))


def run(a, n_types, parts, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    net = Net(a, n_types)
    ytr = parts["train"].y.numpy()
    pw = (len(ytr) - ytr.sum()) / max(ytr.sum(), 1)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(float(pw)))
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    yv = parts["valid"].y.numpy()
    best, best_state, best_thr, stale = -1.0, None, 0.5, 0
    t0 = time.time()
    for epoch in range(a.epochs):
        for types, cats, items, dwell, price, lengths, y in batches(parts["train"], a, True, gen):
            opt.zero_grad()
            loss = loss_fn(net(types, cats, items, dwell, price, lengths), y)
            loss.backward()
            if a.clip > 0:
                torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip)
            opt.step()
        pv = predict(net, parts["valid"], a)
        ap = average_precision_score(yv, pv)
        if ap > best:
            best, stale = ap, 0
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
            best_thr = best_threshold(pv, yv)
        else:
            stale += 1
            if a.patience and stale >= a.patience:
                break
    secs = time.time() - t0
    net.load_state_dict(best_state)
    yt = parts["test"].y.numpy()
    m = metrics(predict(net, parts["test"], a), yt, best_thr)
    m.update(seed=seed, seconds=secs, threshold=best_thr,
             nparams=sum(p.numel() for p in net.parameters()))
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="CSV from experiments/export_dataset")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--emb-type", type=int, default=16)
    ap.add_argument("--emb-category", type=int, default=0)
    ap.add_argument("--emb-item", type=int, default=0)
    ap.add_argument("--hash-buckets", type=int, default=4096)
    ap.add_argument("--no-dwell", dest="dwell", action="store_false")
    ap.add_argument("--no-price", dest="price", action="store_false")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--patience", type=int, default=5)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", help="write per-seed results and mean/std here (CSV)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    n_types, raw = load(a.data)
    parts = {k: Part(v, a) for k, v in raw.items()}
    print(f"{a.data}: train {parts['train'].n}, valid {parts['valid'].n}, "
          f"test {parts['test'].n}, n_types {n_types}", file=sys.stderr)
    rows = []
    for seed in [int(s) for s in a.seeds.split(",")]:
        m = run(a, n_types, parts, seed)
        rows.append(m)
        print(f"seed {seed}: test F1 {m['f1']:.3f} P {m['precision']:.3f} R {m['recall']:.3f} "
              f"PR-AUC {m['pr_auc']:.3f} ROC-AUC {m['roc_auc']:.3f} ({m['seconds']:.1f} s, "
              f"{m['nparams']} params)", flush=True)
    keys = ["f1", "precision", "recall", "pr_auc", "roc_auc", "seconds"]
    summary = {}
    for k in keys:
        v = np.array([r[k] for r in rows])
        summary[k] = (v.mean(), v.std(ddof=1) if len(v) > 1 else 0.0)
    print("mean ± std: " + "  ".join(f"{k} {m:.3f} ± {s:.3f}" for k, (m, s) in summary.items()))
    if a.out:
        with open(a.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["seed"] + keys + ["threshold", "nparams"])
            for r in rows:
                w.writerow([r["seed"]] + [f"{r[k]:.6g}" for k in keys] + [f"{r['threshold']:.6g}", r["nparams"]])
            w.writerow(["mean"] + [f"{summary[k][0]:.6g}" for k in keys] + ["", ""])
            w.writerow(["std"] + [f"{summary[k][1]:.6g}" for k in keys] + ["", ""])


if __name__ == "__main__":
    main()
