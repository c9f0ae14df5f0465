#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ into build-fuzz/ (clang++-14, ASan+UBSan), runs every
# committed regression input once, then fuzzes each target for a bounded time starting from
# its committed seed corpus. Fails on any crash, leak, timeout, out-of-memory or sanitizer
# report; the input that caused it is saved under build-fuzz/crashes/<target>/.
#
#   scripts/fuzz.sh [seconds-per-target] [target ...]     (default: 20 s, every target)
#
# Targets run LEADLINE_FUZZ_JOBS at a time (default: the number of cores). Inputs the
# fuzzers find are kept in build-fuzz/corpus/<target>/, not in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
dir=build-fuzz
jobs="${LEADLINE_FUZZ_JOBS:-$(nproc)}"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for source in fuzz/*_fuzzer.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("${name%_fuzzer}")
  done
fi

echo "== fuzz build ($dir)"
start=$(date +%s)
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DLEADLINE_FUZZ=ON >/dev/null
ninja -C "$dir" -j "$(nproc)" fuzzers
echo "fuzz build took $(($(date +%s) - start)) s"

# abort_on_error and halt_on_error turn every sanitizer report into a crash libFuzzer saves.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
common=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
mkdir -p "$dir/logs"

# Runs one target: its regression inputs, then fuzzing. Output goes to its log.
run_target() {
  local name=$1
  local bin="$dir/${name}_fuzzer"
  local log="$dir/logs/$name.log"
  local crashes="$dir/crashes/$name"
  mkdir -p "$crashes" "$dir/corpus/$name"
  : >"$log"
  if [ ! -x "$bin" ]; then
    echo "no such fuzz target: $name" >>"$log"
    return 1
  fi
  local regressions=()
  if [ -d "fuzz/regressions/$name" ]; then
    while IFS= read -r -d '' file; do regressions+=("$file"); done \
      < <(find "fuzz/regressions/$name" -type f ! -name '*.md' -print0 | sort -z)
  fi
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "-- $name: ${#regressions[@]} regression inputs" >>"$log"
    "$bin" "${common[@]}" "${regressions[@]}" >>"$log" 2>&1 || return 1
  fi
  local seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
  echo "-- $name: fuzzing for $seconds s" >>"$log"
  # The first corpus folder receives new inputs; the committed seeds are only read.
  "$bin" "${common[@]}" -max_total_time="$seconds" -artifact_prefix="$crashes/" \
    "$dir/corpus/$name" "${seeds[@]}" >>"$log" 2>&1
}

echo "== fuzzing ${#targets[@]} targets, $seconds s each, $jobs at a time"
failed=()
declare -A pids=()
report() {
  local name=$1 status=$2
  local stats
  stats=$(grep -E '^stat::number_of_executed_units' "$dir/logs/$name.log" | tail -1 | awk '{print $2}' || true)
  if [ "$status" -eq 0 ]; then
    echo "ok      $name (${stats:-?} runs)"
  else
    echo "FAILED  $name (exit $status): log $dir/logs/$name.log"
    grep -E 'ERROR|SUMMARY|runtime error|invariant|Test unit written|deadly|timeout|out-of-memory' \
      "$dir/logs/$name.log" | head -20 | sed 's/^/    /' || true
    failed+=("$name")
  fi
}
wait_one() {
  local done_pid status=0 name
  wait -n -p done_pid || status=$?
  for name in "${!pids[@]}"; do
    if [ "${pids[$name]}" = "$done_pid" ]; then
      unset "pids[$name]"
      report "$name" "$status"
      return
    fi
  done
}
for name in "${targets[@]}"; do
  while [ ${#pids[@]} -ge "$jobs" ]; do wait_one; done
  run_target "$name" &
  pids[$name]=$!
done
while [ ${#pids[@]} -gt 0 ]; do wait_one; done

echo "fuzz stage took $(($(date +%s) - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FUZZING FAILED: ${failed[*]}"
  echo "Crash inputs are in $dir/crashes/<target>/; reproduce with $dir/<target>_fuzzer <file>."
  echo "Once fixed, commit the input to fuzz/regressions/<target>/ (see README, Fuzzing)."
  exit 1
fi
echo "fuzzing passed: ${#targets[@]} targets"
