#!/usr/bin/env bash
# Feature and label figures (release build), next to pandas in the same run:
#   (a) protocol_v1 features + labels on the shared PJM data (goal <= 20 ms);
#   (b) a rolling 0.95-quantile over 5 million values, window 672 (goal <= 2 s).
# Usage: scripts/bench_features.sh [DATA.csv] [N values]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/pjm_comed_2013_2018.csv}"
n="${2:-5000000}"
[ -f "$data" ] || { echo "bench_features: no data file at $data" >&2; exit 1; }

bash scripts/setup.sh release
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/bench/features_pandas.py "$data" "$work" "$n"
.build/release/rally-shell scripts/bench/features.lua "$data" "$work"
