#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: the normal build, the dashboard's
# browser test, then the C++ suite under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== format check"
if ! clang-format --dry-run -Werror $(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp') 2>/tmp/leadline-format.log; then
  head -40 /tmp/leadline-format.log
  echo "clang-format: files above are not formatted (run: clang-format -i <file>)"
  exit 1
fi

echo "== build (RelWithDebInfo)"
scripts/build.sh build
echo "== tests"
(cd build && ctest --output-on-failure -j "$(nproc)")
echo "== dashboard in a real browser (headless Chromium)"
node web/tests/dashboard.test.mjs build/leadline

echo "== build (ASan + UBSan)"
BUILD_TYPE=Debug LEADLINE_SKIP_WEB=1 scripts/build.sh build-asan -DLEADLINE_SANITIZE=ON
echo "== tests under sanitizers"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$(nproc)")
