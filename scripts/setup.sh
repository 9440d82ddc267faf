#!/usr/bin/env bash
# Installs the Debian packages rally needs when they are missing (idempotent), then builds.
#   scripts/setup.sh [debug|release]
#   scripts/setup.sh lua       the release engine library for stock Lua: .build/lua/release/rally.so
#   scripts/setup.sh peers     only the Python packages of scripts/bench.sh's peers (from PyPI)
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-debug}"

need=()
for pkg in liblua5.4-dev lua5.4 libreadline-dev libxgboost-dev pkg-config tzdata; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
    echo "setup: installing ${need[*]}" >&2
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ "$config" = peers ]; then
    # the reference peer (../shared/peer) needs pandas, scikit-learn, LightGBM; the fast peer
    # (scripts/bench/fast_peer.py) numpy, pandas, SciPy, LightGBM
    python3 -c "import numpy, pandas, scipy, sklearn, lightgbm" 2>/dev/null && exit 0
    echo "setup: pip install numpy pandas scipy scikit-learn lightgbm" >&2
    python3 -m pip install -q numpy pandas scipy scikit-learn lightgbm >&2
    exit 0
fi

# arch (PyPI) for the SPA cross-check test (SuperiorPredictiveAbilityTests.matchesArch, which skips without it)
if [ "$config" = debug ] && command -v python3 >/dev/null && ! python3 -c "import arch.bootstrap" 2>/dev/null; then
    echo "setup: pip install arch (for the SPA cross-check test)" >&2
    python3 -m pip install -q arch >&2 || echo "setup: could not install arch; the SPA cross-check test will be skipped" >&2
fi

# The instruction-set level of a release build: x86-64-v3 (AVX2, FMA, BMI1/2, ...) when this
# machine's CPU has all of it and RALLY_PORTABLE is unset, baseline otherwise. The artifacts are
# the same to the last byte either way (scripts/check_artifacts.sh); a v3 binary refuses, with a
# message, to start on a CPU without those instructions (Sources/CStartup/cpu_level.c).
release_cpu() {
    [ -z "${RALLY_PORTABLE:-}" ] && [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ] || return 0
    local flags f
    flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
    for f in avx avx2 fma bmi1 bmi2 popcnt sse4_2 f16c movbe abm; do
        [[ "$flags" == *" $f "* ]] || return 0
    done
    echo "-Xswiftc -target-cpu -Xswiftc haswell -Xcc -DRALLY_TARGET_CPU_HASWELL"
}

# swift build with its arguments, said first; its progress lines ([12/345] ...) left out
build() {
    echo "setup: swift build $*" >&2
    swift build "$@" 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' >&2 || true; }
}

if [ "$config" = lua ]; then
    # the engine as a release shared library for stock lua5.4 (`require "rally"`), for this
    # machine's x86-64 level like the release shell. Its own scratch folder: sharing .build
    # with the shell's release build, whose link flags differ, would rebuild one or the other
    # from scratch at every switch (about 3 minutes each).
    read -r -a cpu <<< "$(release_cpu)"
    build -c release --scratch-path .build/lua --product RallyEngineShared "${cpu[@]}"
    ln -sf libRallyEngineShared.so .build/lua/release/rally.so
elif [ "$config" = release ]; then
    # release: only the shell, with the Swift runtime and Foundation linked statically, which
    # cuts start-up from ~30 ms to ~5 ms (loading libFoundation.so dominates otherwise), for
    # this machine's x86-64 level. The shared library for stock Lua (rally.so) comes from the
    # debug build, for baseline x86-64, or in release from `scripts/setup.sh lua`.
    read -r -a cpu <<< "$(release_cpu)"
    build -c release --static-swift-stdlib --product rally-shell "${cpu[@]}"
else
    build -c "$config"
    ln -sf libRallyEngineShared.so ".build/$config/rally.so"
fi
