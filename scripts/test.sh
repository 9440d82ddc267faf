#!/usr/bin/env bash
# The whole test suite: installs missing packages, builds, runs the Swift tests (engine, Lua
# bindings, recipes through the real rally-shell binary, the REPL on a pipe and a pty).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh debug
# progress lines and per-test "started/passed" lines are dropped; failures and summaries stay
swift test 2>&1 | tee .build/test.log | { grep -vE '^\[[0-9]+/[0-9]+\]|^(Test Suite|Test Case) .*(started|passed)|^. Test .*(started|passed after)' || true; }
