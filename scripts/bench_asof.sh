#!/usr/bin/env bash
# Forecast vintages (release build), next to pandas in the same run: rally.load_vintages +
# rally.load against pandas.read_csv, and rally.asof against pandas.merge_asof, on generated
# hourly load-forecast vintages (48 per hour, YEARS years, default 2: about 840,000 records).
# Usage: scripts/bench_asof.sh [YEARS]
set -euo pipefail
cd "$(dirname "$0")/.."
years="${1:-2}"
python3 -c "import pandas" 2>/dev/null || { echo "bench_asof: pandas is not installed (pip install pandas)" >&2; exit 1; }

bash scripts/setup.sh release
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "bench_asof: generating $years years of vintages..." >&2
.build/release/rally-shell scripts/bench/asof.lua make "$work" "$years"
python3 scripts/bench/asof_pandas.py "$work" "$work/pandas.txt"
.build/release/rally-shell scripts/bench/asof.lua time "$work" "$work/pandas.txt"
