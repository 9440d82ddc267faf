#!/usr/bin/env bash
# Memory stays flat over long sessions (issue 12): feeds rally-shell N REPL lines on a pipe
# (statements, expressions, errors, failed loads) and prints its resident memory after 10% and
# all of them; then the same with N failed loads in one script. Usage: scripts/check_memory.sh [N] [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
config=${2:-release}
shell=.build/$config/rally-shell
[ -x "$shell" ] || { echo "check_memory: build $config first ($shell missing)" >&2; exit 1; }
tenth=$((n / 10))
rss='local f = io.open("/proc/self/status") local s = f:read("a") f:close() print("rss_kb", s:match("VmRSS:%s*(%d+)"))'
{
    echo 'ds = rally.dataset.synthetic{years = 1}'
    for ((i = 1; i <= n; i++)); do
        case $((i % 5)) in
            0) echo "x = rally.vector{1, 2, $i}" ;;
            1) echo "#ds + $i" ;;
            2) echo "rally.split{embargo = -1}" ;;
            3) echo "pcall(rally.load, '/nonexistent/$i.csv')" ;;
            4) echo "local t = {n = $i}" ;;
        esac
        if ((i == tenth || i == n)); then echo "$rss"; fi
    done
} | "$shell" -i 2>/dev/null | awk -v n="$n" '/rss_kb/ { k++; printf "REPL lines: after %d: %d kB resident\n", (k == 1 ? n / 10 : n), $NF }'
"$shell" - <<LUA
local n = $n
for i = 1, n do
    pcall(rally.load, "/nonexistent/" .. i .. ".csv", {delimiter = ";"})
    if i == n // 10 or i == n then
        local f = io.open("/proc/self/status") local s = f:read("a") f:close()
        print(string.format("failed loads: after %d: %s kB resident", i, s:match("VmRSS:%s*(%d+)")))
    end
end
LUA
