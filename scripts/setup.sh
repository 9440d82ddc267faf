#!/usr/bin/env bash
# Installs the Debian packages rally needs when they are missing (idempotent), then builds.
#   scripts/setup.sh [debug|release]
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

if [ "$config" = release ]; then
    # release: only the shell, with the Swift runtime and Foundation linked statically, which
    # cuts start-up from ~30 ms to ~5 ms (loading libFoundation.so dominates otherwise). The
    # shared library for stock Lua (rally.so) comes from the debug build.
    echo "setup: swift build -c release --static-swift-stdlib --product rally-shell" >&2
    swift build -c release --static-swift-stdlib --product rally-shell 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' >&2 || true; }
else
    echo "setup: swift build -c $config" >&2
    swift build -c "$config" 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' >&2 || true; }
    ln -sf libRallyEngineShared.so ".build/$config/rally.so"
fi
