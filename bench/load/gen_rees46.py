#!/usr/bin/env python3
"""gen_rees46.py N OUT [SEED] — write N events in the REES46 format (header included),
sorted by event_time like the real export, sessions interleaved.  A stand-in for
`clickseq simulate` until the sessions area lands; only the shape matters for the
loading benchmark (field widths, value cardinalities, about 130 bytes per row)."""
import random
import sys
import uuid

def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    brands = ["", "runail", "irisk", "grattol", "masura", "estel", "kapous", "ingarden",
              "bpw.style", "jessnail", "uno", "freedecor", "haruyama", "domix", "concept"]
    cats = [str(1487580000000000000 + rnd.randrange(10**9)) for _ in range(500)]
    codes = ["", "", "", "appliances.environment.vacuum", "furniture.bathroom.bath",
             "apparel.glove", "stationery.cartrige"]
    products = [(str(5700000 + rnd.randrange(200000)), rnd.choice(cats), rnd.choice(codes),
                 rnd.choice(brands), "%.2f" % (rnd.random() ** 2 * 50 + 0.3)) for _ in range(50000)]
    t = 1569888000  # 2019-10-01 00:00:00 UTC
    live = []
    with open(out, "w") as f:
        f.write("event_time,event_type,product_id,category_id,category_code,brand,price,"
                "user_id,user_session\n")
        for i in range(n):
            if not live or rnd.random() < 0.2 or len(live) < 50:
                live.append([str(400000000 + rnd.randrange(10**8)), str(uuid.UUID(int=rnd.getrandbits(128))),
                             rnd.randrange(1, 40)])
            k = rnd.randrange(len(live))
            s = live[k]
            r = rnd.random()
            ev = "view" if r < 0.8 else "cart" if r < 0.93 else "remove_from_cart" if r < 0.98 else "purchase"
            p = products[rnd.randrange(len(products))]
            t += rnd.randrange(0, 2)
            ts = "%04d-%02d-%02d %02d:%02d:%02d UTC" % (2019, 10 + (t - 1569888000) // (31 * 86400),
                                                        1 + ((t - 1569888000) // 86400) % 28,
                                                        (t // 3600) % 24, (t // 60) % 60, t % 60)
            f.write("%s,%s,%s,%s,%s,%s,%s,%s,%s\n" % (ts, ev, p[0], p[1], p[2], p[3], p[4], s[0], s[1]))
            s[2] -= 1
            if s[2] <= 0:
                live[k] = live[-1]
                live.pop()

if __name__ == "__main__":
    main()
