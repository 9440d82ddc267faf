#!/usr/bin/env python3
"""The pandas side of scripts/bench_features.sh.

    python3 features_pandas.py DATA.csv OUT_DIR [N]

Writes OUT_DIR/values.f64 (N float64 values, little-endian: a seeded price-like random walk
with spikes), OUT_DIR/pandas_q95.f64 (pandas' rolling(672).quantile(0.95) of them) and
OUT_DIR/pandas.txt ("name seconds" lines: the rolling quantile, and the peer's protocol v1
features + labels stage on DATA.csv, best of 5), for features.lua to read and compare.
"""
import os
import sys
import time

import numpy as np
import pandas as pd

data, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 5_000_000

rng = np.random.default_rng(7)
walk = 40 + np.cumsum(rng.normal(0, 0.5, n))
walk = np.abs(walk - 40) + 15 + 10 * np.sin(np.arange(n) * 2 * np.pi / 24)
spikes = rng.random(n) < 0.01
values = np.round(np.where(spikes, walk * rng.uniform(2, 8, n), walk), 4)
values.astype("<f8").tofile(os.path.join(out, "values.f64"))

series = pd.Series(values)
start = time.perf_counter()
q95 = series.rolling(672).quantile(0.95)
rolling_seconds = time.perf_counter() - start
q95.to_numpy().astype("<f8").tofile(os.path.join(out, "pandas_q95.f64"))

# The peer's own protocol v1 feature + label code, timed on the shared data.
peer = os.path.join(os.path.dirname(os.path.abspath(data)), "..", "peer")
sys.path.insert(0, peer)
import python_reference  # noqa: E402

df = python_reference.load(data)
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    python_reference.build(df)
    best = min(best, time.perf_counter() - start)

with open(os.path.join(out, "pandas.txt"), "w") as f:
    f.write(f"rolling_q95 {rolling_seconds:.6f}\n")
    f.write(f"protocol_v1 {best:.6f}\n")
    f.write(f"pandas_version {pd.__version__}\n")
