#!/usr/bin/env bash
# Side-by-side timing of the benchmark recipe against the Python peer, on the same data, in
# the same invocation, on this machine:
#
#   scripts/bench.sh [--data PATH] [--runs N] [--shell PATH]
#
# Builds rally-shell in release (unless --shell names a binary), then runs, alternately and
# --runs times each (default 3): the peer (python3 ../shared/peer/python_reference.py DATA OUT)
# and ours (rally-shell scripts/benchmark.lua --data DATA --out OUT). Prints each stage's
# seconds as both report them (the peer's JSON line; our run.json), the end-to-end wall time
# of each run (process start to artifacts written, measured here), and the ratio of the
# medians. The peer is skipped, with a message, when pandas / scikit-learn / lightgbm are
# missing.
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
  swift build -c release --product rally-shell >&2
  shell=.build/release/rally-shell
fi

peer=../shared/peer/python_reference.py
have_peer=0
if [ -f "$peer" ] && python3 -c "import pandas, sklearn, lightgbm" 2>/dev/null; then
  have_peer=1
else
  echo "bench.sh: the Python peer cannot run here (missing $peer or pandas/scikit-learn/lightgbm): timing ours only" >&2
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
  t0=$(now)
  "$shell" scripts/benchmark.lua --data "$data" --out "$work/rally$i" --quiet > "$work/rally$i.txt"
  t1=$(now)
  echo "$t0 $t1" > "$work/rally$i.wall"
  echo "bench.sh: run $i of $runs done" >&2
done

python3 - "$work" "$runs" "$have_peer" <<'PY'
import json, statistics, sys
work, runs, have_peer = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"

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
show(f"rally-shell scripts/benchmark.lua: seconds per stage (run.json), {runs} runs", ours)
rally_wall = [wall(f"rally{i}") for i in range(1, runs + 1)]
print("  end to end (wall)  " + "  ".join(f"{v:8.3f}" for v in rally_wall) + f"   median {statistics.median(rally_wall):8.3f}")
if have_peer:
    peer = [json.loads(open(f"{work}/peer{i}.json").read().strip().splitlines()[-1])["seconds"] for i in range(1, runs + 1)]
    show(f"python peer (pandas + scikit-learn + LightGBM): seconds per stage (its JSON line), {runs} runs", peer)
    peer_wall = [wall(f"peer{i}") for i in range(1, runs + 1)]
    print("  end to end (wall)  " + "  ".join(f"{v:8.3f}" for v in peer_wall) + f"   median {statistics.median(peer_wall):8.3f}")
    ratio = statistics.median(peer_wall) / statistics.median(rally_wall)
    print(f"end-to-end ratio (peer median / rally median): {ratio:.1f}x")
PY
