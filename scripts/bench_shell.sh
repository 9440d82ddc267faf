#!/usr/bin/env bash
# Shell and binding-layer figures (release build):
#  - start-up of `rally-shell -e "return 1"`, median of 41 runs (goal <= 30 ms)
#  - a trivial Swift-backed userdata method called from a Lua loop (goal >= 5 million calls/s)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh release
shell=.build/release/rally-shell
python3 - "$shell" <<'PY'
import statistics, subprocess, sys, time
shell = sys.argv[1]
runs = []
for _ in range(41):
    t = time.perf_counter()
    subprocess.run([shell, "-e", "return 1"], check=True)
    runs.append((time.perf_counter() - t) * 1000)
lua = []
for _ in range(41):
    t = time.perf_counter()
    subprocess.run(["lua5.4", "-e", "return 1"], check=True)
    lua.append((time.perf_counter() - t) * 1000)
m, ml = statistics.median(runs), statistics.median(lua)
print(f"start-up  rally-shell -e 'return 1': median {m:.1f} ms (stock lua5.4: {ml:.1f} ms, ratio {m/ml:.1f}x)  goal <= 30 ms")
PY
"$shell" -e '
local v = rally.vector({1}, "one")
local n = 5000000
local t = os.clock()
for _ = 1, n do v:missing() end
local dt = os.clock() - t
local e = os.clock()
for _ = 1, n do local _ = #v end
local dl = os.clock() - e
print(string.format("method    v:missing() x %d: %.2f s, %.1f million calls/s  goal >= 5", n, dt, n / dt / 1e6))
print(string.format("metamethod #v x %d: %.2f s, %.1f million calls/s", n, dl, n / dl / 1e6))'
