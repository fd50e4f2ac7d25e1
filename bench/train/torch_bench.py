#!/usr/bin/python3
"""torch_bench.py — the same model and batches as bench_train.c, trained in PyTorch on the CPU.

Event-type embedding (16) + hashed item embedding (16, 4096 buckets) + log dwell + log price
-> one GRU or LSTM layer -> dense -> one logit; BCE-with-logits; plain SGD; batches of 256
sessions in file order, each packed with pack_padded_sequence (no work on padding).
Prints `torch <cell> <hidden> <events/s> <seconds/epoch> cpu_events/s <n>` (best of the
epochs; the last is per second of process CPU time).

usage: torch_bench.py LENGTHS_FILE [threads] [epochs] [cell] [hidden]
       torch_bench.py --parity DIR CELL HIDDEN EPOCHS
The second form trains on the data and from the start weights bench_train wrote with
BENCH_PARITY_DIR=DIR (same sessions, batches, item buckets, initial weights, SGD lr 0.05)
and writes every batch's loss to DIR/<cell><hidden>.torch.loss, beside bench_train's
DIR/<cell><hidden>.clickseq.loss: the two loss curves must agree.
"""
import sys
import time

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence

BATCH, EMB, BUCKETS = 256, 16, 4096


class Net(torch.nn.Module):
    def __init__(self, cell, hidden, n_types=3):
        super().__init__()
        self.emb_type = torch.nn.Embedding(n_types, EMB)
        self.emb_item = torch.nn.Embedding(BUCKETS, EMB)
        rnn = torch.nn.GRU if cell == "gru" else torch.nn.LSTM
        self.rnn = rnn(2 * EMB + 2, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, 1)

    def forward(self, types, items, num, lengths):
        x = torch.cat([self.emb_type(types), self.emb_item(items), num], dim=2)
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=True)
        _, h = self.rnn(packed)
        if isinstance(h, tuple):
            h = h[0]
        return self.head(h[-1]).squeeze(1)


def batches(lengths, rng):
    out = []
    for lo in range(0, len(lengths), BATCH):
        ls = np.sort(lengths[lo:lo + BATCH])[::-1].copy()
        B, T = len(ls), int(ls[0])
        types = torch.tensor(rng.integers(1, 3, size=(B, T)))
        items = torch.tensor(rng.integers(0, BUCKETS, size=(B, T)))
        num = torch.tensor(rng.uniform(0, 3, size=(B, T, 2)), dtype=torch.float32)
        y = torch.tensor((rng.uniform(size=B) < 0.06).astype(np.float32))
        out.append((types, items, num, torch.tensor(ls), y))
    return out


class ParityNet(Net):
    """bench_train's model exactly: type embedding indexed by type-1 (2 rows), one bias
    for an LSTM (clickseq folds b_ih + b_hh: bias_hh is held at zero); its weights."""

    def __init__(self, cell, hidden, w):
        super().__init__(cell, hidden, n_types=2)
        D = 2 * EMB + 2
        with torch.no_grad():
            self.emb_type.weight.copy_(torch.tensor(w["emb.type"]).view(2, EMB))
            self.emb_item.weight.copy_(torch.tensor(w["emb.item"]).view(BUCKETS, EMB))
            self.rnn.weight_ih_l0.copy_(torch.tensor(w["l0.W_ih"]).view(-1, D))
            self.rnn.weight_hh_l0.copy_(torch.tensor(w["l0.W_hh"]).view(-1, hidden))
            if cell == "gru":
                self.rnn.bias_ih_l0.copy_(torch.tensor(w["l0.b_ih"]))
                self.rnn.bias_hh_l0.copy_(torch.tensor(w["l0.b_hh"]))
            else:
                self.rnn.bias_ih_l0.copy_(torch.tensor(w["l0.b"]))
                self.rnn.bias_hh_l0.zero_()
                self.rnn.bias_hh_l0.requires_grad_(False)
            self.head.weight.copy_(torch.tensor(w["head.W"]).view(1, hidden))
            self.head.bias.copy_(torch.tensor(w["head.b"]))


def parity(d, cell, hidden, epochs):
    sessions = []
    for line in open(f"{d}/data.txt"):
        v = line.split()
        n = int(v[1])
        ev = np.array(v[2:], dtype=np.float64).reshape(n, 4)
        sessions.append((float(v[0]), ev))
    w = {}
    for line in open(f"{d}/{cell}{hidden}.init"):
        v = line.split()
        w[v[0]] = [float(x) for x in v[2:]]
    data = []
    for lo in range(0, len(sessions), BATCH):
        part = sessions[lo:lo + BATCH]
        lens = np.array([len(e) for _, e in part])
        order = np.argsort(-lens, kind="stable")   # cs_batch_build's order
        B, T = len(part), int(lens.max())
        types = np.zeros((B, T), dtype=np.int64)
        items = np.zeros((B, T), dtype=np.int64)
        num = np.zeros((B, T, 2), dtype=np.float32)
        y = np.zeros(B, dtype=np.float32)
        for row, j in enumerate(order):
            lab, ev = part[j]
            n = len(ev)
            types[row, :n] = ev[:, 0]
            items[row, :n] = ev[:, 1]
            num[row, :n] = ev[:, 2:4]
            y[row] = lab
        data.append((torch.tensor(types), torch.tensor(items), torch.tensor(num),
                     torch.tensor(lens[order]), torch.tensor(y)))
    torch.set_num_threads(1)
    net = ParityNet(cell, hidden, w)
    opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], lr=0.05)
    lossf = torch.nn.BCEWithLogitsLoss()
    with open(f"{d}/{cell}{hidden}.torch.loss", "w") as out:
        for e in range(epochs):
            for k, (types, items, num, ls, y) in enumerate(data):
                opt.zero_grad()
                loss = lossf(net(types, items, num, ls), y)
                loss.backward()
                opt.step()
                out.write("%d %d %.7f\n" % (e + 1, k + 1, loss.item()))


def main():
    if sys.argv[1] == "--parity":
        parity(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        return
    path = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    only_cell = sys.argv[4] if len(sys.argv) > 4 else None
    only_h = int(sys.argv[5]) if len(sys.argv) > 5 else None
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    lengths = np.loadtxt(path, dtype=np.int64)
    data = batches(lengths, np.random.default_rng(7))
    events = int(lengths.sum())
    print("torch %s threads %d blas %s" % (torch.__version__, torch.get_num_threads(),
          "openblas" if "openblas" in torch.__config__.show().lower() else "?"), flush=True)
    for cell in ("gru", "lstm"):
        for hidden in (32, 64, 128):
            if (only_cell and cell != only_cell) or (only_h and hidden != only_h):
                continue
            net = Net(cell, hidden)
            opt = torch.optim.SGD(net.parameters(), lr=0.05)
            lossf = torch.nn.BCEWithLogitsLoss()
            best, best_cpu = 1e30, 1e30
            for _ in range(epochs):
                t0, c0 = time.perf_counter(), time.process_time()
                for types, items, num, ls, y in data:
                    opt.zero_grad()
                    loss = lossf(net(types, items, num, ls), y)
                    loss.backward()
                    opt.step()
                best = min(best, time.perf_counter() - t0)
                best_cpu = min(best_cpu, time.process_time() - c0)
            print("torch %s %d %.0f %.3f cpu_events/s %.0f" % (cell, hidden, events / best, best,
                  events / best_cpu), flush=True)


if __name__ == "__main__":
    main()
