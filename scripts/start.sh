#!/usr/bin/env bash
# Quick start: installs what is needed, builds, and starts the server on SQLite with the
# built-in call simulator. Extra arguments go to `leadline serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
LEADLINE_TARGETS=leadline scripts/build.sh build
exec build/leadline serve "$@"
