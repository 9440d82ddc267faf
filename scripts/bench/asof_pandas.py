#!/usr/bin/env python3
"""The pandas side of scripts/bench_asof.sh.

    python3 asof_pandas.py DIR OUT.txt

Reads DIR/vintages.csv and DIR/prices.csv with pandas.read_csv (times parsed), then joins, for
each hour of prices.csv, the latest vintage of that hour published by 10:00 UTC the day before
(pandas.merge_asof by target, best of 5), and writes "name value" lines to OUT.txt.
"""
import sys
import time

import pandas as pd

folder, out = sys.argv[1], sys.argv[2]

start = time.perf_counter()
vintages = pd.read_csv(f"{folder}/vintages.csv", parse_dates=["interval_start_utc", "interval_end_utc", "publish_time_utc"])
prices = pd.read_csv(f"{folder}/prices.csv", parse_dates=["interval_start_utc"])
load_s = time.perf_counter() - start


def join():
    rows = prices.rename(columns={"interval_start_utc": "target"})
    rows["decision"] = rows["target"].dt.floor("D") - pd.Timedelta(days=1) + pd.Timedelta(hours=10)
    right = vintages.rename(columns={"interval_start_utc": "target"}).sort_values("publish_time_utc")
    merged = pd.merge_asof(rows.sort_values("decision"), right[["target", "publish_time_utc", "load_forecast"]],
                           left_on="decision", right_on="publish_time_utc", by="target")
    return merged.sort_values("target")


join_s = float("inf")
for _ in range(5):
    s = time.perf_counter()
    merged = join()
    join_s = min(join_s, time.perf_counter() - s)

with open(out, "w") as f:
    f.write(f"pandas_version {pd.__version__}\n")
    f.write(f"load_s {load_s}\n")
    f.write(f"join_s {join_s}\n")
    f.write(f"sum {float(merged['load_forecast'].fillna(0).sum())!r}\n")
    f.write(f"missing {int(merged['load_forecast'].isna().sum())}\n")
