#!/usr/bin/env bash
# Configures and builds into build/ (or the directory given as $1, with extra CMake flags
# after it). The executable lands at build/leadline. Then builds the dashboard into web/dist
# (npm ci when web/node_modules is missing or older than package-lock.json; skipped with
# LEADLINE_SKIP_WEB=1). LEADLINE_TARGETS limits the build to those targets (the quick start
# builds only the server, not the tests and benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
# shellcheck disable=SC2086 # a list of target names
ninja -C "$dir" -j "$(nproc)" ${LEADLINE_TARGETS:-}

if [ "${LEADLINE_SKIP_WEB:-0}" != "1" ]; then
  scripts/build-web.sh
fi
