#!/usr/bin/env bash
# Configures and builds into build/ (or the directory given as $1, with extra CMake flags
# after it). The executable lands at build/leadline.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
ninja -C "$dir" -j "$(nproc)"
