#!/usr/bin/env python3
"""The pandas side of scripts/bench_gridstatus.sh.

    python3 gridstatus_pandas.py LMP.csv OUT.txt

Reads the generated gridstatus LMP export with pandas.read_csv, turns the interval start into
UTC instants and pivots the four price components to one column per location and component
(what rally.load does with no options), and writes "name value" lines to OUT.txt: seconds,
the peak resident memory the work added (MB), and the number of intervals.
"""
import resource
import sys
import time

import pandas as pd

path, out = sys.argv[1], sys.argv[2]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
frame = pd.read_csv(path)
frame["Interval Start"] = pd.to_datetime(frame["Interval Start"], utc=True)
wide = frame.pivot(index="Interval Start", columns="Location Name", values=["LMP", "Energy", "Congestion", "Loss"])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

with open(out, "w") as f:
    f.write(f"pandas_version {pd.__version__}\n")
    f.write(f"seconds {seconds}\n")
    f.write(f"peak_mb {peak - before}\n")
    f.write(f"intervals {len(wide)}\n")
