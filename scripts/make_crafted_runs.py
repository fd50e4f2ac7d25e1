#!/usr/bin/env python3
"""Crafted run fixtures for tests/test_hardening (issue 9, item 10): a run whose
config.txt describes a huge model while its model.bin is small, with model.bin's
model-config hash and CRC-32 recomputed so that nothing but the parameter count tells
them apart.

    /usr/bin/python3 scripts/make_crafted_runs.py     (from the source root)

writes tests/fixtures/runs/huge/ from tests/fixtures/runs/lstm/ (a 2-layer bidirectional
LSTM with 350 parameters): hash-buckets 16777216 and emb-item 64, i.e. 1,073,741,824
embedding parameters more, for a 1,440-byte model.bin.  The hash is clickseq's
cs_model_config_hash (src/engine/runs/runfile.c): FNV-1a 64 over "name=value\\n" of the
layout parameters (the model group of the parameter table without dropout, in table
order, values as config.txt writes them; hidden lists only the used layers), then
"view=V\\nn_types=N\\nn_feat=F\\n"."""
import os
import shutil
import struct
import zlib

SRC = "tests/fixtures/runs/lstm"
DST = "tests/fixtures/runs/huge"
LAYOUT = ["cell", "layers", "hidden", "bidir", "emb-type", "emb-category", "emb-brand",
          "emb-item", "hash-buckets", "dwell", "price", "head"]
CHANGE = {"hash-buckets": "16777216", "emb-item": "64"}


def fnv1a64(data, h=0xcbf29ce484222325):
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    shutil.rmtree(DST, ignore_errors=True)
    shutil.copytree(SRC, DST)
    lines = open(os.path.join(SRC, "config.txt")).read().split("\n")
    kv = {}
    out = []
    for ln in lines:
        if " = " in ln and not ln.startswith("#"):
            k, v = ln.split(" = ", 1)
            if k in CHANGE:
                v = CHANGE[k]
                ln = "%s = %s" % (k, v)
            kv[k] = v
        out.append(ln)
    open(os.path.join(DST, "config.txt"), "w").write("\n".join(out))
    text = "".join("%s=%s\n" % (k, kv[k]) for k in LAYOUT)
    text += "view=%s\nn_types=%s\nn_feat=%s\n" % (kv["model_view"], kv["n_types"], kv["n_feat"])
    h = fnv1a64(text.encode())
    b = bytearray(open(os.path.join(SRC, "model.bin"), "rb").read())
    b[12:20] = struct.pack("<Q", h)
    b[-4:] = struct.pack("<I", zlib.crc32(bytes(b[:-4])) & 0xFFFFFFFF)
    open(os.path.join(DST, "model.bin"), "wb").write(bytes(b))


if __name__ == "__main__":
    main()
