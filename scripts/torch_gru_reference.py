#!/usr/bin/python3
"""torch_gru_reference.py — the same honest GRU experiment as `clickseq train` on the
YooChoose sample, in PyTorch, to check that clickseq's trainer is at least as accurate.

Mirrors clickseq's defaults: inputs = the clicks strictly before a session's first buy
(sessions without one dropped), last 300 kept; per step an event-type embedding (16), log1p
dwell seconds and log1p price (0 for clicks); time split 70/15/15 by session start; GRU
hidden 64 -> linear -> one logit; BCEWithLogits with pos_weight = neg/pos of the training
split; Adam lr 1e-3, batch 256 (bucketed by length), clip 5; up to 20 epochs, early
stopping on validation PR-AUC (patience 5) keeping the best weights; the F1-optimal
threshold on validation; test metrics at that threshold.

  /usr/bin/python3 scripts/torch_gru_reference.py ../shared/data/yoochoose_rsc15_sample1pct \\
      [--epochs 20] [--threads 2] [--seed 1]
Compare with:
  clickseq train --data DIR/sample_clicks.csv --outcomes DIR/sample_buys.csv --format yoochoose
(Debian: python3-torch, python3-pandas, python3-sklearn.)  Not part of make check."""
import argparse, math, time
import numpy as np, pandas as pd, torch
from sklearn.metrics import average_precision_score, roc_auc_score

ap = argparse.ArgumentParser()
ap.add_argument("dir"); ap.add_argument("--epochs", type=int, default=20)
ap.add_argument("--threads", type=int, default=2); ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--hidden", type=int, default=64); ap.add_argument("--patience", type=int, default=5)
a = ap.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)

def ms(s):
    return pd.to_datetime(s, utc=True).astype("int64") // 1_000_000

c = pd.read_csv(f"{a.dir}/sample_clicks.csv", dtype={"Session_ID": str, "Category": str})
b = pd.read_csv(f"{a.dir}/sample_buys.csv", dtype={"Session_ID": str})
c["t"] = ms(c.Timestamp); b["t"] = ms(b.Timestamp)
first_buy = b.groupby("Session_ID").t.min()
start = pd.concat([c[["Session_ID", "t"]], b[["Session_ID", "t"]]]).groupby("Session_ID").t.min()
c["fb"] = c.Session_ID.map(first_buy)
inp = c[c.fb.isna() | (c.t < c.fb)].copy()
inp["order"] = np.arange(len(inp))
inp = inp.sort_values(["Session_ID", "t", "order"], kind="stable")
inp["dwell"] = inp.groupby("Session_ID").t.diff().fillna(0).clip(lower=0) / 1000.0
inp["ld"] = np.log1p(inp.dwell).astype(np.float32)
inp = inp.groupby("Session_ID").tail(300)   # truncate: keep the last 300
g = inp.groupby("Session_ID", sort=False)
names = list(g.groups.keys())
seqs = [v.to_numpy() for _, v in g.ld]
label = np.array([1.0 if s in first_buy.index else 0.0 for s in names], dtype=np.float32)
st = np.array([start[s] for s in names])
order = np.argsort(st, kind="stable")
n = len(names); ntr = int(math.floor(0.7 * n + 0.5)); nva = int(math.floor(0.15 * n + 0.5))
tr, va, te = order[:ntr], order[ntr:ntr + nva], order[ntr + nva:]
print(f"sessions {n} positive {label.mean():.4f} train {len(tr)} valid {len(va)} test {len(te)}")

class Net(torch.nn.Module):
    def __init__(s, H):
        super().__init__()
        s.emb = torch.nn.Parameter(torch.empty(16).uniform_(-math.sqrt(6 / 17), math.sqrt(6 / 17)))
        s.gru = torch.nn.GRU(18, H, batch_first=True)
        s.head = torch.nn.Linear(H, 1)
    def forward(s, x, lens):   # x: B,T,1 log dwell (price is 0 for clicks)
        B, T, _ = x.shape
        inp = torch.cat([s.emb.expand(B, T, 16), x, torch.zeros(B, T, 1)], 2)
        p = torch.nn.utils.rnn.pack_padded_sequence(inp, lens, batch_first=True, enforce_sorted=False)
        _, h = s.gru(p)
        return s.head(h[-1]).squeeze(1)

def batch(idx):
    lens = torch.tensor([len(seqs[i]) for i in idx])
    x = torch.zeros(len(idx), int(lens.max()), 1)
    for j, i in enumerate(idx):
        x[j, :len(seqs[i]), 0] = torch.from_numpy(seqs[i])
    return x, lens, torch.from_numpy(label[idx])

def predict(m, idx):
    m.eval(); out = np.empty(len(idx), dtype=np.float32)
    srt = sorted(range(len(idx)), key=lambda k: -len(seqs[idx[k]]))
    with torch.no_grad():
        for s0 in range(0, len(idx), 1024):
            part = srt[s0:s0 + 1024]
            x, l, _ = batch(idx[part])
            out[part] = torch.sigmoid(m(x, l)).numpy()
    m.train(); return out

def best_f1(p, y):
    o = np.argsort(-p, kind="stable"); ps, ys = p[o], y[o]; P = ys.sum()
    tp = np.cumsum(ys); fp = np.cumsum(1 - ys)
    last = np.r_[ps[1:] != ps[:-1], True]
    f1 = np.where(tp > 0, 2 * tp / (tp + fp + P), 0)[last]
    k = int(np.argmax(f1)); return float(ps[last][k])

def metrics(p, y, t):
    pred = p >= t; tp = int((pred & (y == 1)).sum()); fp = int((pred & (y == 0)).sum())
    fn = int(((~pred) & (y == 1)).sum())
    pr = tp / (tp + fp) if tp + fp else 0; rc = tp / (tp + fn) if tp + fn else 0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0
    return dict(f1=f1, precision=pr, recall=rc, pr_auc=average_precision_score(y, p),
                roc_auc=roc_auc_score(y, p), threshold=t)

m = Net(a.hidden)
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
pos = label[tr].sum(); pw = torch.tensor((len(tr) - pos) / pos)
lossf = torch.nn.BCEWithLogitsLoss(pos_weight=pw)
rng = np.random.default_rng(a.seed)
best, best_pr, bad, thr = None, -1, 0, 0.5
for ep in range(1, a.epochs + 1):
    t0 = time.time(); o = rng.permutation(tr); chunk = 256 * 32; bs = []
    for c0 in range(0, len(o), chunk):
        ch = sorted(o[c0:c0 + chunk], key=lambda i: -len(seqs[i]))
        bs += [np.array(ch[s:s + 256]) for s in range(0, len(ch), 256)]
    rng.shuffle(bs); tot = 0; ev = 0
    for idx in bs:
        x, l, y = batch(idx)
        loss = lossf(m(x, l), y)
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 5.0); opt.step()
        tot += float(loss); ev += int(l.sum())
    secs = time.time() - t0
    pv = predict(m, va); yv = label[va]; t = best_f1(pv, yv); mv = metrics(pv, yv, t)
    print(f"epoch {ep} loss {tot / len(bs):.4f} valid F1 {mv['f1']:.4f} PR-AUC {mv['pr_auc']:.4f} "
          f"thr {t:.3f} {secs:.1f}s {ev / secs:.0f} ev/s", flush=True)
    if mv["pr_auc"] > best_pr:
        best_pr, bad, thr = mv["pr_auc"], 0, t
        best = {k: v.clone() for k, v in m.state_dict().items()}
    else:
        bad += 1
        if bad >= a.patience: break
m.load_state_dict(best)
mt = metrics(predict(m, te), label[te], thr)
print("test " + " ".join(f"{k} {v:.4f}" for k, v in mt.items()))
