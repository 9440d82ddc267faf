#!/usr/bin/env bash
# Side-by-side timing of the benchmark recipe against two Python peers, on the same data, in
# the same invocation, on this machine:
#
#   scripts/bench.sh [--data PATH] [--runs N] [--shell PATH]
#
# Builds rally-shell in release (unless --shell names a binary) and installs the peers' Python
# packages when missing (scripts/setup.sh peers), then runs, alternately and --runs times each
# (default 3):
#   the reference peer  python3 ../shared/peer/python_reference.py DATA OUT (pandas, scikit-learn
#                       per resample, LightGBM): the analyst's way, PR-AUC interval only;
#   the fast peer       python3 scripts/bench/fast_peer.py DATA OUT: numpy, every metric's interval
#                       and the paired differences from row counts over one sort per model, as
#                       rally computes them, LightGBM on 2 threads;
#   ours                rally-shell scripts/benchmark.lua --data DATA --out OUT --protocol (the
#                       protocol's three models, as the peers fit; without --protocol the recipe
#                       also fits two recalibrated gbdt models).
# Prints each stage's seconds as each reports them (the peers' JSON lines; our run.json), the
# end-to-end wall time of each run (process start to artifacts written, measured here), the
# ratios of the medians, and each round's own ratios (a round runs the peers, then rally) with
# their median. A peer is skipped, with a message, when its packages are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

data=../shared/data/pjm_comed_2013_2018.csv
runs=3
shell=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --shell) shell="$2"; shift 2 ;;
    *) echo "usage: scripts/bench.sh [--data PATH] [--runs N] [--shell PATH]" >&2; exit 2 ;;
  esac
done
[ -f "$data" ] || { echo "bench.sh: no data file at $data" >&2; exit 1; }

if [ -z "$shell" ]; then
  echo "bench.sh: building rally-shell (release)..." >&2
  bash scripts/setup.sh release
  shell=.build/release/rally-shell
fi
bash scripts/setup.sh peers || echo "bench.sh: could not install the peers' Python packages" >&2

peer=../shared/peer/python_reference.py
have_peer=0
if [ -f "$peer" ] && python3 -c "import pandas, sklearn, lightgbm" 2>/dev/null; then
  have_peer=1
else
  echo "bench.sh: the reference peer cannot run here (missing $peer or pandas/scikit-learn/lightgbm)" >&2
fi
fast=scripts/bench/fast_peer.py
have_fast=0
if python3 -c "import numpy, pandas, scipy, lightgbm" 2>/dev/null; then
  have_fast=1
else
  echo "bench.sh: the fast peer cannot run here (missing numpy/pandas/scipy/lightgbm)" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }

for i in $(seq 1 "$runs"); do
  if [ "$have_peer" = 1 ]; then
    mkdir -p "$work/peer$i"
    t0=$(now)
    python3 "$peer" "$data" "$work/peer$i" > "$work/peer$i.json"
    t1=$(now)
    echo "$t0 $t1" > "$work/peer$i.wall"
  fi
  if [ "$have_fast" = 1 ]; then
    mkdir -p "$work/fast$i"
    t0=$(now)
    python3 "$fast" "$data" "$work/fast$i" > "$work/fast$i.json"
    t1=$(now)
    echo "$t0 $t1" > "$work/fast$i.wall"
  fi
  t0=$(now)
  "$shell" scripts/benchmark.lua --data "$data" --out "$work/rally$i" --protocol --quiet > "$work/rally$i.txt"
  t1=$(now)
  echo "$t0 $t1" > "$work/rally$i.wall"
  echo "bench.sh: run $i of $runs done" >&2
done

python3 - "$work" "$runs" "$have_peer" "$have_fast" <<'PY'
import json, statistics, sys
work, runs, have_peer, have_fast = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1"

def wall(name):
    t0, t1 = map(float, open(f"{work}/{name}.wall").read().split())
    return t1 - t0

def show(title, stages):
    print(title)
    keys = list(stages[0].keys())
    for k in keys:
        values = [s.get(k, float("nan")) for s in stages]
        print(f"  {k:<18} " + "  ".join(f"{v:8.3f}" for v in values) + f"   median {statistics.median(values):8.3f}")

ours = [json.load(open(f"{work}/rally{i}/run.json"))["seconds"] for i in range(1, runs + 1)]
show(f"rally-shell scripts/benchmark.lua --protocol: seconds per stage (run.json), {runs} runs", ours)
rally_wall = [wall(f"rally{i}") for i in range(1, runs + 1)]
print("  end to end (wall)  " + "  ".join(f"{v:8.3f}" for v in rally_wall) + f"   median {statistics.median(rally_wall):8.3f}")
ratios = []
for name, have, title in (("peer", have_peer, "reference peer (pandas + scikit-learn per resample + LightGBM)"),
                          ("fast", have_fast, "fast peer (numpy, count-weighted bootstrap, every metric + LightGBM)")):
    if not have:
        continue
    stages = [json.loads(open(f"{work}/{name}{i}.json").read().strip().splitlines()[-1])["seconds"] for i in range(1, runs + 1)]
    show(f"{title}: seconds per stage (its JSON line), {runs} runs", stages)
    walls = [wall(f"{name}{i}") for i in range(1, runs + 1)]
    print("  end to end (wall)  " + "  ".join(f"{v:8.3f}" for v in walls) + f"   median {statistics.median(walls):8.3f}")
    # each round runs the peers and then rally within seconds: the ratio within a round is the
    # one the host's drift between rounds moves least
    rounds = [w / r for w, r in zip(walls, rally_wall)]
    ratios.append((title.split(" (")[0], statistics.median(walls) / statistics.median(rally_wall), rounds))
for title, ratio, rounds in ratios:
    print(f"end-to-end ratio ({title} median / rally median): {ratio:.1f}x; within each round "
          + " ".join(f"{r:.1f}x" for r in rounds) + f", median {statistics.median(rounds):.1f}x")
PY
