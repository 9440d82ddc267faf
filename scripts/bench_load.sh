#!/usr/bin/env bash
# CSV loading figures (release build), next to pandas.read_csv in the same run:
#   (a) the shared PJM file (goal <= 30 ms);
#   (b) a generated CSV of ROWS hourly rows in the shared file's layout (default 5 million,
#       ~230 MB): throughput (goal >= 100 MB/s of input) and peak memory (goal <= 3x the
#       bytes of the loaded columns).
# Usage: scripts/bench_load.sh [DATA.csv] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/pjm_comed_2013_2018.csv}"
rows="${2:-5000000}"
[ -f "$data" ] || { echo "bench_load: no data file at $data" >&2; exit 1; }
python3 -c "import pandas" 2>/dev/null || { echo "bench_load: pandas is not installed (pip install pandas)" >&2; exit 1; }

bash scripts/setup.sh release
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "bench_load: generating $rows rows..." >&2
.build/release/rally-shell scripts/bench/load.lua make "$work/big.csv" "$rows"
python3 scripts/bench/load_pandas.py "$data" "$work/big.csv" "$work/pandas.txt"
.build/release/rally-shell scripts/bench/load.lua time "$data" "$work/big.csv" "$work/pandas.txt"
