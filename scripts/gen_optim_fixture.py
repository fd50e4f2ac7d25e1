#!/usr/bin/python3
"""gen_optim_fixture.py — reference optimizer steps from PyTorch for tests/test_optim.c.

Writes tests/fixtures/optim/torch_steps.txt.  Per case:
  case NAME N STEPS LR MOMENTUM WEIGHT_DECAY CLIP
  mask m_1 .. m_N            (1 = weight decay applies, 0 = a bias)
  init p_1 .. p_N
  then per step:  grad g_1 .. g_N   /   norm total_grad_norm_before_clipping   /   after p_1 .. p_N
Adam and SGD with weight decay as PyTorch does it (L2 added to the gradient), in two
parameter groups (decayed weights, undecayed biases); clipping with
torch.nn.utils.clip_grad_norm_ before each step.  Run from the source root:
  /usr/bin/python3 scripts/gen_optim_fixture.py        (Debian: python3-torch)"""
import torch

torch.manual_seed(7)
N, STEPS = 13, 6
mask = torch.tensor([1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0], dtype=torch.bool)
lines = []
fmt = lambda t: " ".join(f"{float(v):.9g}" for v in t.flatten())
for name, kind, lr, mom, wd, clip in [("adam", "adam", 0.01, 0.0, 0.0, 0.0),
                                      ("adam-wd-clip", "adam", 0.003, 0.0, 0.1, 1.0),
                                      ("sgd-mom-wd-clip", "sgd", 0.05, 0.9, 0.01, 0.5),
                                      ("sgd-plain", "sgd", 0.1, 0.0, 0.0, 0.0)]:
    init = torch.randn(N)
    w = init[mask].clone().requires_grad_(True)
    b = init[~mask].clone().requires_grad_(True)
    groups = [{"params": [w], "weight_decay": wd}, {"params": [b], "weight_decay": 0.0}]
    opt = (torch.optim.Adam(groups, lr=lr) if kind == "adam"
           else torch.optim.SGD(groups, lr=lr, momentum=mom))
    lines.append(f"case {name} {N} {STEPS} {lr} {mom} {wd} {clip}")
    lines.append("mask " + " ".join(str(int(m)) for m in mask))
    lines.append("init " + fmt(init))
    for s in range(STEPS):
        g = torch.randn(N) * (3.0 if s % 2 else 0.5)
        w.grad = g[mask].clone()
        b.grad = g[~mask].clone()
        norm = float(torch.sqrt((g.double() ** 2).sum()))
        if clip > 0:
            torch.nn.utils.clip_grad_norm_([w, b], clip)
        opt.step()
        full = torch.empty(N)
        full[mask] = w.detach()
        full[~mask] = b.detach()
        lines += ["grad " + fmt(g), f"norm {norm:.12g}", "after " + fmt(full)]
open("tests/fixtures/optim/torch_steps.txt", "w").write("\n".join(lines) + "\n")
