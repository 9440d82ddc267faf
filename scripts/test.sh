#!/usr/bin/env bash
# The whole test suite: installs missing packages, builds, runs the report checks (headless
# Chromium, the notebook), the leak check (valgrind), the bounded fuzz campaigns (CSV files,
# model files, the Lua API) and the Swift tests (engine, Lua bindings, recipes through the real
# rally-shell binary, the REPL on a pipe and a pty, a sweep as a job array on a local Slurm
# cluster). The Swift summary line comes last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh debug
bash scripts/slurm/local-cluster.sh install   # slurm-wlm and munge, for SlurmTests
bash scripts/test_report.sh
bash scripts/leak_check.sh 2000
bash scripts/fuzz/ci.sh
bash scripts/fuzz/api.sh --ci   # 20,000 Lua API calls with hostile arguments; a crash fails with its reproducer
# progress lines and per-test "started/passed" lines are dropped; failures and summaries stay
swift test 2>&1 | tee .build/test.log | awk '
    /^\[[0-9]+\/[0-9]+\]/ || /^◇ / || /^✔ Suite / { next }
    /^✔ Test / && !/^✔ Test run with/ { next }
    /^(Test Suite|Test Case) .*(started|passed)/ { next }
    { print }'
