#!/usr/bin/python3
"""torch_infer.py — PyTorch's CPU inference of bench_infer's model on the same sessions.

Reads what `bench_infer --dump DIR` wrote (the sessions' event types, item buckets, log
dwell, log price; the model's weights; clickseq's probabilities), builds the same model
(event-type embedding + hashed item embedding + log dwell + log price -> GRU/LSTM -> dense
-> one logit; an LSTM's single bias as bias_ih with bias_hh = 0, as clickseq folds them),
sorts the sessions by length (longest first, stable: cs_predict's order), cuts batches of
the same size and runs every batch packed (pack_padded_sequence: no work on padding) under
torch.inference_mode().  The padded batch tensors are built before the clock starts
(clickseq's timing includes gathering its batches), so the figure favours PyTorch.

usage: torch_infer.py DIR THREADS REPS
Prints `torch_infer threads T rep R wall_s W cpu_s C events/s X sessions/s Y` per
repetition, then `parity max_abs_diff D` (probabilities against clickseq's).
"""
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
import torch_bench  # noqa: E402  (bench/train/torch_bench.py)


def load(d):
    meta = {}
    for line in open(f"{d}/meta.txt"):
        k, v = line.split()
        meta[k] = v if k == "cell" else int(v)
    w = {}
    for line in open(f"{d}/weights.txt"):
        v = line.split()
        w[v[0]] = np.array(v[2:], dtype=np.float32)
    arr = lambda name, t: np.fromfile(f"{d}/{name}", dtype=t)
    data = {k: arr(f, t) for k, f, t in (("len", "lengths.i32", np.int32), ("type", "types.i16", np.int16),
            ("item", "items.i32", np.int32), ("dwell", "dwell.f32", np.float32),
            ("price", "price.f32", np.float32), ("prob", "probs.f32", np.float32))}
    return meta, w, data


class Net(torch.nn.Module):
    def __init__(self, meta, w):
        super().__init__()
        cell, H, E = meta["cell"], meta["hidden"], meta["emb"]
        self.emb_type = torch.nn.Embedding(meta["n_types"], E)
        self.emb_item = torch.nn.Embedding(meta["buckets"], E)
        D = 2 * E + 2
        self.rnn = (torch.nn.GRU if cell == "gru" else torch.nn.LSTM)(D, H, batch_first=True)
        self.head = torch.nn.Linear(H, 1)
        t = lambda name, *shape: torch.tensor(w[name]).view(*shape)
        with torch.no_grad():
            self.emb_type.weight.copy_(t("emb.type", meta["n_types"], E))
            self.emb_item.weight.copy_(t("emb.item", meta["buckets"], E))
            self.rnn.weight_ih_l0.copy_(t("l0.W_ih", -1, D))
            self.rnn.weight_hh_l0.copy_(t("l0.W_hh", -1, H))
            if cell == "gru":
                self.rnn.bias_ih_l0.copy_(t("l0.b_ih", -1))
                self.rnn.bias_hh_l0.copy_(t("l0.b_hh", -1))
            else:
                self.rnn.bias_ih_l0.copy_(t("l0.b", -1))
                self.rnn.bias_hh_l0.zero_()
            self.head.weight.copy_(t("head.W", 1, H))
            self.head.bias.copy_(t("head.b", 1))

    forward = torch_bench.Net.forward   # the training benchmark's model, the same pass


def batches(meta, data):
    lens = data["len"].astype(np.int64)
    off = np.concatenate([[0], np.cumsum(lens)])
    order = np.argsort(-lens, kind="stable")
    out = []
    for lo in range(0, len(order), meta["batch"]):
        sel = order[lo:lo + meta["batch"]]
        ls = lens[sel]
        B, T = len(sel), int(ls[0])
        # rows of the padded [B, T] tensors: event k of session j at off[j] + k
        pos = off[sel][:, None] + np.arange(T)[None, :]
        valid = np.arange(T)[None, :] < ls[:, None]
        pos = np.where(valid, pos, 0)
        types = torch.tensor(np.where(valid, data["type"][pos], 0).astype(np.int64))
        items = torch.tensor(np.where(valid, data["item"][pos], 0).astype(np.int64))
        num = torch.tensor(np.stack([np.where(valid, data["dwell"][pos], 0),
                                     np.where(valid, data["price"][pos], 0)], axis=2).astype(np.float32))
        out.append((sel, types, items, num, torch.tensor(ls)))
    return out


def main():
    d, threads, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    meta, w, data = load(d)
    net = Net(meta, w).eval()
    bs = batches(meta, data)
    n, events = len(data["len"]), int(data["len"].sum())
    prob = np.zeros(n, dtype=np.float32)
    for r in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        with torch.inference_mode():
            for sel, types, items, num, ls in bs:
                prob[sel] = torch.sigmoid(net(types, items, num, ls)).numpy()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print("torch_infer threads %d rep %d wall_s %.4f cpu_s %.4f events/s %.0f sessions/s %.0f" % (
            threads, r + 1, wall, cpu, events / wall, n / wall), flush=True)
    print("parity max_abs_diff %.3g torch %s" % (float(np.abs(prob - data["prob"]).max()), torch.__version__))


if __name__ == "__main__":
    main()
