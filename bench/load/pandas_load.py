#!/usr/bin/env python3
"""pandas_load.py FILE — the study's way to load and sessionise a REES46 file with pandas:
read_csv, map event types to integers (purchase 1, cart 2, view 3, remove_from_cart 4),
sort by session and time, group each session's events into a list, label a session
positive when it holds a purchase.  Prints one key=value line (wall and CPU seconds)."""
import sys
import time

import pandas as pd

def main():
    path = sys.argv[1]
    w0, c0 = time.perf_counter(), time.process_time()
    df = pd.read_csv(path)
    df["event_time"] = pd.to_datetime(df["event_time"], format="%Y-%m-%d %H:%M:%S UTC")
    df["code"] = df["event_type"].map({"purchase": 1, "cart": 2, "view": 3, "remove_from_cart": 4})
    df = df.sort_values(["user_session", "event_time"], kind="stable")
    seqs = df.groupby("user_session", sort=False)["code"].apply(list)
    label = seqs.apply(lambda s: 1 in s)
    w1, c1 = time.perf_counter(), time.process_time()
    print("events=%d sessions=%d positive=%d wall_s=%.3f cpu_s=%.3f" %
          (len(df), len(seqs), int(label.sum()), w1 - w0, c1 - c0))

if __name__ == "__main__":
    main()
