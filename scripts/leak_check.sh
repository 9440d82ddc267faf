#!/usr/bin/env bash
# Lua errors raised from Swift-backed functions leak nothing: runs rally-shell under valgrind
# with a loop of failing calls (a bad argument, a bad option value, an engine throw, a missing
# method on a userdata that is later collected) LARGE times and 100 times, and requires that
# nothing is definitely or indirectly lost and that the "possibly lost" and "still reachable"
# bytes (runtime metadata) are the same at both sizes, so nothing grows with the count.
#   scripts/leak_check.sh [LARGE] [SHELL]      (defaults: 10000, .build/debug/rally-shell)
# Installs valgrind (Debian) when missing. scripts/test.sh runs it with 2000.
set -euo pipefail
cd "$(dirname "$0")/.."
large="${1:-10000}"
shell="${2:-.build/debug/rally-shell}"
if ! command -v valgrind >/dev/null 2>&1; then
    echo "leak_check: installing valgrind" >&2
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq valgrind >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/errors.lua" <<'LUA'
local n = tonumber(arg[1])
for _ = 1, n do
  assert(not pcall(rally.load))                        -- bad argument #1 (nil)
  assert(not pcall(rally.labeler.quantile, {q = 2}))   -- bad option value
  assert(not pcall(rally.load, "/nonexistent.csv"))    -- an engine throw
  local v = rally.vector({1, 2, 3}, "v")               -- a userdata, collected later
  assert(not pcall(function() return v:nosuch() end))  -- a missing method
end
collectgarbage()
LUA
# OMP_WAIT_POLICY=passive: XGBoost's OpenMP threads sleep at once rather than spin under valgrind's slow emulation
summary() {
    OMP_WAIT_POLICY=passive valgrind --leak-check=full "$shell" "$work/errors.lua" "$1" 2> "$work/vg$1.txt"
    awk '/definitely lost:|indirectly lost:|possibly lost:|still reachable:/ { sub(/^==[0-9]+== +/, ""); print }' "$work/vg$1.txt"
}
small=$(summary 100)
big=$(summary "$large")
echo "leak_check: 100 iterations:" >&2; echo "$small" | sed 's/^/  /' >&2
echo "leak_check: $large iterations:" >&2; echo "$big" | sed 's/^/  /' >&2
if ! grep -q "definitely lost: 0 bytes" <<< "$big" || ! grep -q "indirectly lost: 0 bytes" <<< "$big"; then
    echo "leak_check: FAIL: memory lost after $large iterations (valgrind log: kept in $work/vg$large.txt)" >&2
    trap - EXIT
    exit 1
fi
if [ "$small" != "$big" ]; then
    echo "leak_check: FAIL: the leak summary grows with the number of errors" >&2
    exit 1
fi
echo "leak_check: $((large * 4)) errors raised from Swift-backed functions: nothing lost, nothing grows" >&2
