#!/usr/bin/env python3
"""The pandas side of scripts/bench_load.sh.

    python3 load_pandas.py SHARED.csv BIG.csv OUT.txt

Times pandas.read_csv on the shared PJM file (best of 5, dates parsed) and on the generated
big file (one run, dates parsed), and writes "name value" lines to OUT.txt: seconds, and the
peak resident memory the big read added (MB).
"""
import resource
import sys
import time

import pandas as pd

shared, big, out = sys.argv[1], sys.argv[2], sys.argv[3]


def read(path):
    return pd.read_csv(path, index_col=0, parse_dates=[0])


best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    read(shared)
    best = min(best, time.perf_counter() - start)

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
frame = read(big)
big_s = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

with open(out, "w") as f:
    f.write(f"pandas_version {pd.__version__}\n")
    f.write(f"shared_s {best}\n")
    f.write(f"big_s {big_s}\n")
    f.write(f"big_rows {len(frame)}\n")
    f.write(f"big_peak_mb {peak - before}\n")
