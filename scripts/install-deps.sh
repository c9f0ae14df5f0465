#!/usr/bin/env bash
# Installs every Debian package Leadline needs to build, run, test and benchmark.
# Safe to run again: apt-get skips what is already there. The dashboard needs Node.js >= 20.19
# with npm (Vite 8) and Chromium for its browser test.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  libboost-dev libboost-system-dev libssl-dev nlohmann-json3-dev libsqlite3-dev
  libpq-dev postgresql libphonenumber-dev libprotobuf-dev libicu-dev libhowardhinnant-date-dev tzdata
  libzip-dev libpugixml-dev libgoogle-perftools-dev
  libspdlog-dev libcli11-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  curl wrk sqlite3 python3
  nodejs chromium
)

# npm ships inside NodeSource's nodejs package; Debian's own nodejs needs the npm package.
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
