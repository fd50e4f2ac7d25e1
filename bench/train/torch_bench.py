#!/usr/bin/python3
"""torch_bench.py — the same model and batches as bench_train.c, trained in PyTorch on the CPU.

Event-type embedding (16) + hashed item embedding (16, 4096 buckets) + log dwell + log price
-> one GRU or LSTM layer -> dense -> one logit; BCE-with-logits; plain SGD; batches of 256
sessions in file order, each packed with pack_padded_sequence (no work on padding).
Prints `torch <cell> <hidden> <events/s> <seconds/epoch> cpu_events/s <n>` (best of the
epochs; the last is per second of process CPU time).

usage: torch_bench.py LENGTHS_FILE [threads] [epochs] [cell] [hidden]
"""
import sys
import time

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence

BATCH, EMB, BUCKETS = 256, 16, 4096


class Net(torch.nn.Module):
    def __init__(self, cell, hidden):
        super().__init__()
        self.emb_type = torch.nn.Embedding(3, EMB)
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


def main():
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
