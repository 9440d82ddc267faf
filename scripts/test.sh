#!/usr/bin/env bash
# The whole test suite: installs missing packages, builds, runs the report checks (headless
# Chromium, the notebook), the leak check (valgrind) and the Swift tests (engine, Lua
# bindings, recipes through the real rally-shell binary, the REPL on a pipe and a pty), after a
# bounded run of the Lua API fuzzer.
# The Swift summary line comes last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh debug
bash scripts/test_report.sh
bash scripts/leak_check.sh 2000
bash scripts/fuzz/api.sh --ci   # 20,000 Lua API calls with hostile arguments; a crash fails with its reproducer
# progress lines and per-test "started/passed" lines are dropped; failures and summaries stay
swift test 2>&1 | tee .build/test.log | awk '
    /^\[[0-9]+\/[0-9]+\]/ || /^◇ / || /^✔ Suite / { next }
    /^✔ Test / && !/^✔ Test run with/ { next }
    /^(Test Suite|Test Case) .*(started|passed)/ { next }
    { print }'
