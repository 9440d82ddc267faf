#!/usr/bin/env bash
# Loading a gridstatus-style 5-minute LMP export (release build), next to pandas in the same run:
# a generated REAL_TIME_5_MIN frame for LOCATIONS locations over DAYS days (default 12 x 365:
# 1,261,440 long rows, ~150 MB), loaded by rally.load with no options (pivoted per location on
# the UTC interval start) and by pandas.read_csv + to_datetime + pivot. Prints seconds, peak
# memory and the ratios.
# Usage: scripts/bench_gridstatus.sh [DAYS] [LOCATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
days="${1:-365}"
places="${2:-12}"
python3 -c "import pandas" 2>/dev/null || { echo "bench_gridstatus: pandas is not installed (pip install pandas)" >&2; exit 1; }

bash scripts/setup.sh release
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "bench_gridstatus: generating $days days x $places locations of 5-minute rows..." >&2
.build/release/rally-shell scripts/bench/gridstatus.lua make "$work/lmp.csv" "$days" "$places"
python3 scripts/bench/gridstatus_pandas.py "$work/lmp.csv" "$work/pandas.txt"
.build/release/rally-shell scripts/bench/gridstatus.lua time "$work/lmp.csv" "$work/pandas.txt"
