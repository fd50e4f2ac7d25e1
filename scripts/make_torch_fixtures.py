#!/usr/bin/python3
"""make_torch_fixtures.py — reference values for tests/test_torch.c, computed with PyTorch.

For a handful of small models (every cell, stacked, bidirectional, embeddings incl. the
hashed ones, one-hot types, the features view with its normaliser, MLP, logistic
regression, both heads) it draws float32 parameters and inputs with variable lengths,
runs the model in PyTorch in float64 (packed sequences, so each session's reverse pass
starts at its own last step), and writes the parameters in clickseq's tensor names, the
inputs, the logits, the loss (mean BCE-with-logits with a positive-class weight) and the
gradient of every tensor to tests/fixtures/torch/<case>.txt.

PyTorch's RNN and LSTM have two biases (b_ih + b_hh); clickseq (like Keras) has one: the
script keeps b_hh at zero and maps b_ih to clickseq's "b".  The GRU keeps both.

File format: one record per line, `name count v1 .. vcount`.  Run with Debian's python3:
    /usr/bin/python3 scripts/make_torch_fixtures.py [outdir]
"""
import os
import sys

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_default_dtype(torch.float64)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "torch")
M32 = 0xFFFFFFFF


def bucket(i, buckets):
    """clickseq's hash of an id into a bucket (src/engine/model_run.c)."""
    x = (i * 0x9E3779B1) & M32
    x ^= x >> 15
    x = (x * 0x85EBCA77) & M32
    x ^= x >> 13
    return x % buckets


def f32(rng, shape, scale):
    return rng.uniform(-scale, scale, size=shape).astype(np.float32)


class Case:
    def __init__(self, name, **kw):
        self.name = name
        self.cfg = dict(cell="gru", layers=1, hidden=[4, 0, 0, 0], bidir=0, head=0, emb_type=3,
                        emb_category=0, emb_brand=0, emb_item=0, hash_buckets=7, use_dwell=1,
                        use_price=1, view=0, n_types=4, n_feat=0)
        self.cfg.update(kw)


CELLS = {"rnn": 0, "gru": 1, "lstm": 2, "mlp": 3, "logreg": 4}


def build(case, seed):
    c = case.cfg
    rng = np.random.default_rng(seed)
    recs = []          # (name, values)
    params = {}        # clickseq name -> torch leaf

    def param(name, arr):
        t = torch.tensor(arr.astype(np.float64), requires_grad=True)
        params[name] = t
        return t

    B = 7
    lens = [3, 1, 5, 5, 2, 4, 1] if c["view"] == 0 else [1] * B
    labels = [1, 0, 0, 1, 1, 0, 1]
    cfgvals = [("cell", CELLS[c["cell"]]), ("layers", c["layers"])] + \
              [("hidden%d" % i, c["hidden"][i]) for i in range(4)] + \
              [(k, c[k]) for k in ("bidir", "head", "emb_type", "emb_category", "emb_brand", "emb_item",
                                   "hash_buckets", "use_dwell", "use_price", "view", "n_types", "n_feat")]
    for k, v in cfgvals:
        recs.append(("cfg." + k, [v]))
    pos_weight = 2.0
    recs.append(("pos_weight", [pos_weight]))
    recs.append(("data.len", lens))
    recs.append(("data.label", labels))
    S = sum(lens)

    # ---- the input layer
    if c["view"] == 0:
        types = rng.integers(1, c["n_types"] + 1, size=S)
        cats = rng.integers(0, 12, size=S)
        brands = rng.integers(0, 12, size=S)
        items = rng.integers(0, 12, size=S)
        dwell = rng.uniform(0, 3, size=S).astype(np.float32)
        price = rng.uniform(1, 3, size=S).astype(np.float32)
        for k, v in (("type", types), ("category", cats), ("brand", brands), ("item", items),
                     ("dwell", dwell), ("price", price)):
            recs.append(("data." + k, list(v)))
        cols = []
        if c["emb_type"]:
            E = param("emb.type", f32(rng, (c["n_types"], c["emb_type"]), 0.5))
            cols.append(E[torch.tensor(types - 1)])
        else:
            cols.append(torch.nn.functional.one_hot(torch.tensor(types - 1), c["n_types"]).double())
        for key, ids in (("category", cats), ("brand", brands), ("item", items)):
            w = c["emb_" + key]
            if w:
                E = param("emb." + key, f32(rng, (c["hash_buckets"], w), 0.5))
                cols.append(E[torch.tensor([bucket(int(i), c["hash_buckets"]) for i in ids])])
        if c["use_dwell"]:
            cols.append(torch.tensor(dwell.astype(np.float64))[:, None])
        if c["use_price"]:
            cols.append(torch.tensor(price.astype(np.float64))[:, None])
        flat = torch.cat(cols, dim=1)                      # [S, D0] in dataset order
        D = flat.shape[1]
        T = max(lens)
        x = torch.zeros(B, T, D)
        o = 0
        rows = []
        for j, L in enumerate(lens):
            rows.append(torch.cat([flat[o:o + L], torch.zeros(T - L, D)], 0))
            o += L
        x = torch.stack(rows)
    else:
        nf = c["n_feat"]
        feat = rng.uniform(-1, 5, size=(B, nf)).astype(np.float32)
        mean = rng.uniform(0, 2, size=nf).astype(np.float32)
        std = rng.uniform(0.5, 2, size=nf).astype(np.float32)
        recs += [("data.feat", list(feat.ravel())), ("norm.mean", list(mean)), ("norm.std", list(std))]
        xf = (torch.tensor(feat.astype(np.float64)) - torch.tensor(mean.astype(np.float64))) / \
            torch.tensor(std.astype(np.float64))
        x = xf[:, None, :]
        D = nf

    # ---- layers
    cell = c["cell"]
    if cell in ("rnn", "gru", "lstm"):
        G = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
        ndir = 2 if c["bidir"] else 1
        h = x
        for l in range(c["layers"]):
            H = c["hidden"][l]
            mod = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell](
                D, H, batch_first=True, bidirectional=bool(c["bidir"]))
            sc = 1 / np.sqrt(H)
            for d in range(ndir):
                suf, dn = ("_reverse", "r") if d else ("", "")
                pre = "l%d%s." % (l, dn)
                wih = param(pre + "W_ih", f32(rng, (G * H, D), sc))
                whh = param(pre + "W_hh", f32(rng, (G * H, H), sc))
                bih = param(pre + ("b_ih" if cell == "gru" else "b"), f32(rng, (G * H,), sc))
                bhh = param(pre + "b_hh", f32(rng, (G * H,), sc)) if cell == "gru" \
                    else torch.zeros(G * H)
                # replace the module's parameters by our leaves (functional use)
                del mod._parameters["weight_ih_l0" + suf]
                del mod._parameters["weight_hh_l0" + suf]
                del mod._parameters["bias_ih_l0" + suf]
                del mod._parameters["bias_hh_l0" + suf]
                setattr(mod, "weight_ih_l0" + suf, wih)
                setattr(mod, "weight_hh_l0" + suf, whh)
                setattr(mod, "bias_ih_l0" + suf, bih)
                setattr(mod, "bias_hh_l0" + suf, bhh)
            mod._flat_weights = [getattr(mod, n) for n in mod._flat_weights_names]
            packed = pack_padded_sequence(h, torch.tensor(lens), batch_first=True, enforce_sorted=False)
            out, hn = mod(packed)
            if cell == "lstm":
                hn = hn[0]
            h, _ = pad_packed_sequence(out, batch_first=True)
            D = ndir * H
        last = torch.cat([hn[d] for d in range(ndir)], dim=1)   # [B, ndir*H]
    elif cell == "mlp":
        h = x[:, 0, :]
        for l in range(c["layers"]):
            H = c["hidden"][l]
            W = param("mlp%d.W" % l, f32(rng, (H, D), 0.5))
            b = param("mlp%d.b" % l, f32(rng, (H,), 0.5))
            h = torch.relu(h @ W.T + b)
            D = H
        last = h
    else:
        last = x[:, 0, :]
    K = 2 if c["head"] else 1
    W = param("head.W", f32(rng, (K, D), 0.5))
    b = param("head.b", f32(rng, (K,), 0.5))
    z = last @ W.T + b
    logit = z[:, 0] if K == 1 else z[:, 1] - z[:, 0]
    y = torch.tensor(labels, dtype=torch.float64)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        logit, y, pos_weight=torch.tensor(pos_weight))
    loss.backward()
    for name, t in params.items():
        recs.append(("param." + name, list(t.detach().numpy().ravel())))
    recs.append(("out.logits", list(logit.detach().numpy())))
    recs.append(("out.loss", [loss.item()]))
    for name, t in params.items():
        recs.append(("grad." + name, list(t.grad.numpy().ravel())))
    return recs


CASES = [
    Case("rnn_seq", cell="rnn", hidden=[5, 0, 0, 0]),
    Case("gru_seq", cell="gru", hidden=[8, 0, 0, 0], emb_type=4),
    Case("lstm_seq", cell="lstm", hidden=[6, 0, 0, 0], head=1, emb_brand=2),
    Case("gru_seq_bidir2_hashed", cell="gru", layers=2, hidden=[6, 4, 0, 0], bidir=1, head=1,
         emb_category=2, emb_item=2),
    Case("lstm_seq_bidir2_onehot", cell="lstm", layers=2, hidden=[5, 3, 0, 0], bidir=1, emb_type=0,
         use_price=0),
    Case("rnn_seq_bidir2", cell="rnn", layers=2, hidden=[4, 5, 0, 0], bidir=1, head=1),
    Case("lstm_feat_bidir2", cell="lstm", layers=2, hidden=[4, 6, 0, 0], bidir=1, head=1, view=1,
         n_feat=10, n_types=0),
    Case("gru_feat2", cell="gru", layers=2, hidden=[5, 3, 0, 0], view=1, n_feat=6, n_types=0),
    Case("mlp_feat2", cell="mlp", layers=2, hidden=[6, 4, 0, 0], view=1, n_feat=5, n_types=0),
    Case("logreg_feat", cell="logreg", layers=1, hidden=[0, 0, 0, 0], head=1, view=1, n_feat=5,
         n_types=0),
]


def fmt(v):
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


def main():
    os.makedirs(OUT, exist_ok=True)
    for i, case in enumerate(CASES):
        recs = build(case, 1000 + i)
        path = os.path.join(OUT, case.name + ".txt")
        with open(path, "w") as f:
            f.write("# clickseq torch fixture v1: %s (torch %s, float64 reference)\n"
                    % (case.name, torch.__version__))
            for name, vals in recs:
                f.write("%s %d %s\n" % (name, len(vals), " ".join(fmt(v) for v in vals)))
        print("wrote", path)


if __name__ == "__main__":
    main()
