#!/usr/bin/env bash
# The main job: installs missing packages, builds release, runs the benchmark recipe.
#   scripts/run-benchmark.sh [--data PATH] [--out DIR]
# Without --data it runs on the embedded synthetic dataset and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh release
exec .build/release/rally-shell scripts/benchmark.lua "$@"
