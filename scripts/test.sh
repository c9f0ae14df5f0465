#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: the normal build, the dashboard's
# browser test, then the C++ suite under AddressSanitizer + UndefinedBehaviorSanitizer. Each
# build's C++ suite runs twice: on SQLite, then on PostgreSQL (a throwaway server started
# here; the API, engine and e2e fixtures give each test a fresh schema in it). No server, no
# green run. Last, every libFuzzer target of fuzz/ runs for a bounded time (scripts/fuzz.sh;
# LEADLINE_FUZZ_SECONDS per target, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

source scripts/pg-server.sh
trap pg_server_stop EXIT

# Runs the suite of build directory $1 on both backends.
run_suite() {
  local dir=$1
  shift
  echo "== tests on SQLite ($dir)"
  (cd "$dir" && env -u LEADLINE_TEST_DATABASE_URL "$@" ctest --output-on-failure -j "$(nproc)")
  echo "== tests on PostgreSQL ($dir)"
  (cd "$dir" && LEADLINE_TEST_DATABASE_URL="$LEADLINE_PG_URL" "$@" \
    ctest --output-on-failure -j "$(nproc)")
}

echo "== format check"
if ! clang-format --dry-run -Werror $(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'fuzz/*.cpp' 'fuzz/*.h') 2>/tmp/leadline-format.log; then
  head -40 /tmp/leadline-format.log
  echo "clang-format: files above are not formatted (run: clang-format -i <file>)"
  exit 1
fi

echo "== build (RelWithDebInfo)"
scripts/build.sh build
echo "== PostgreSQL server"
pg_server_start
run_suite build
echo "== dashboard in a real browser (headless Chromium)"
node web/tests/dashboard.test.mjs build/leadline

echo "== build (ASan + UBSan)"
BUILD_TYPE=Debug LEADLINE_SKIP_WEB=1 scripts/build.sh build-asan -DLEADLINE_SANITIZE=ON
echo "== tests under sanitizers"
run_suite build-asan env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1

echo "== fuzzing (libFuzzer, ASan + UBSan)"
scripts/fuzz.sh "${LEADLINE_FUZZ_SECONDS:-20}"
