#!/usr/bin/env bash
# Regenerates the committed artifacts with the release build (for this machine's x86-64 level,
# see scripts/setup.sh) and compares them byte for byte: the benchmark recipe's metrics.json,
# predictions.csv, benchmark_table.csv and importance.csv, and the threshold sweep's table; then
# runs the benchmark recipe once more in stock lua5.4 with the release rally.so
# (scripts/setup.sh lua) and compares its four files too.
# Part of the test suite (scripts/test.sh); skips, saying so, when ../shared/data is absent.
#   scripts/check_artifacts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/pjm_comed_2013_2018.csv
if [ ! -f "$data" ]; then
    echo "check_artifacts: skipped: no $data, which the committed artifacts come from" >&2
    exit 0
fi
bash scripts/setup.sh release
bash scripts/setup.sh lua
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.build/release/rally-shell scripts/benchmark.lua --data "$data" --out "$work/benchmark" --quiet > /dev/null
.build/release/rally-shell scripts/sweep_thresholds.lua --data "$data" --out "$work/sweep" --quiet > /dev/null
lua5.4 -e 'package.cpath = ".build/lua/release/?.so;" .. package.cpath; package.path = "scripts/?.lua;" .. package.path
           rally = require "rally"' scripts/benchmark.lua --data "$data" --out "$work/lua" --quiet > /dev/null
cpu="$(sed -n 's/.*"target_cpu": "\([^"]*\)".*/\1/p' "$work/benchmark/run.json")"
failed=0
for file in benchmark/metrics.json benchmark/predictions.csv benchmark/benchmark_table.csv benchmark/importance.csv \
            sweep/sweep_thresholds.csv lua/metrics.json lua/predictions.csv lua/benchmark_table.csv lua/importance.csv; do
    if ! cmp -s "$work/$file" "artifacts/${file#*/}"; then
        echo "check_artifacts: artifacts/${file#*/} differs from what the release build ($cpu) writes now ($file):" >&2
        cmp "$work/$file" "artifacts/${file#*/}" >&2 || true
        failed=1
    fi
done
[ "$failed" = 0 ] || exit 1
echo "check_artifacts: the release build ($cpu) regenerates the committed artifacts and sweep table byte for byte, in rally-shell and in stock lua5.4" >&2
