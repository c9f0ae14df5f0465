#!/usr/bin/env bash
# HTTP throughput of Leadline against a minimal Beast server on the same machine.
#
#   bench/http_bench.sh build/leadline [build/bench_minimal_server]
#   bench/http_bench.sh --minimal-only build/bench_minimal_server
#
# Runs wrk (-t2 -c64, keep-alive) against: the minimal server's GET, Leadline's
# GET /v1/workflows/{id} and POST /v1/workflows, each ROUNDS times interleaved (so drift
# from heat or background load hits all three alike), and prints medians as
#   result name=<case> rps=<n> p50_ms=<n> p99_ms=<n>
#   result name=ratio_leadline_get_vs_minimal value=<n>
# Environment: DURATION (10s), ROUNDS (3), WARMUP (2s), THREADS (2), CONNECTIONS (64),
# MINIMAL_PORT (18181), LEADLINE_PORT (18182).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lua="$here/wrk_report.lua"
duration=${DURATION:-10s}
rounds=${ROUNDS:-3}
warmup=${WARMUP:-2s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
minimal_port=${MINIMAL_PORT:-18181}
leadline_port=${LEADLINE_PORT:-18182}

minimal_only=0
if [[ "${1:-}" == "--minimal-only" ]]; then
  minimal_only=1
  shift
  minimal_bin=${1:?usage: http_bench.sh --minimal-only MINIMAL_SERVER_BINARY}
else
  leadline_bin=${1:?usage: http_bench.sh LEADLINE_BINARY [MINIMAL_SERVER_BINARY]}
  minimal_bin=${2:-$(dirname "$leadline_bin")/bench_minimal_server}
fi
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 1; }

work=$(mktemp -d /tmp/leadline-http-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Waits until something answers HTTP on the port (any status will do).
wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then return 0; fi
    sleep 0.1
  done
  echo "$name did not start on port $port; its log:" >&2
  cat "$work/$name.log" >&2 || true
  exit 1
}

# field NAME LINE -> the value of NAME=... in a wrk_result line
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

# run_case RECORD NAME URL METHOD BODY AUTH TIME: runs wrk; when RECORD is 1, prints the run
# and appends "NAME rps p50 p99" to the results file.
run_case() {
  local record=$1 name=$2 url=$3 method=$4 body=$5 auth=$6 time=$7
  local line
  line=$(WRK_METHOD=$method WRK_BODY=$body WRK_AUTH=$auth \
    wrk -t"$threads" -c"$connections" -d"$time" -s "$lua" "$url" | grep '^wrk_result')
  [[ $record == 1 ]] || return 0
  local rps p50 p99 non2xx errors
  rps=$(field rps "$line") p50=$(field p50_ms "$line") p99=$(field p99_ms "$line")
  non2xx=$(field non2xx "$line") errors=$(field errors "$line")
  echo "run name=$name rps=$rps p50_ms=$p50 p99_ms=$p99 non2xx=$non2xx errors=$errors"
  if [[ "$non2xx" != "0" || "$errors" != "0" ]]; then
    echo "warning: $name had failed requests (non2xx=$non2xx errors=$errors)" >&2
  fi
  echo "$name $rps $p50 $p99" >>"$work/results"
}

"$minimal_bin" "$minimal_port" >"$work/minimal.log" 2>&1 &
pids+=($!)
wait_for_port "$minimal_port" minimal
minimal_url="http://127.0.0.1:$minimal_port/v1/workflows/wf_00000000000000"

if [[ $minimal_only == 0 ]]; then
  database="sqlite:$work/bench.db"
  # The last stdout line of `keys create` is the key as key_id:secret.
  key=$("$leadline_bin" keys create --database "$database" --org Bench | tail -n 1)
  [[ "$key" == *:* ]] || { echo "unexpected key line from keys create: $key" >&2; exit 1; }
  "$leadline_bin" serve --listen "127.0.0.1:$leadline_port" --database "$database" \
    --rate-limit 0 >"$work/leadline.log" 2>&1 &
  pids+=($!)
  wait_for_port "$leadline_port" leadline
  base="http://127.0.0.1:$leadline_port/v1"
  created=$(curl -sS -f -X POST -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -d '{"title":"bench"}' "$base/workflows")
  workflow_id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$created")
  [[ -n "$workflow_id" ]] || { echo "could not create a workflow: $created" >&2; exit 1; }
  curl -sS -f -o /dev/null -H "Authorization: Bearer $key" "$base/workflows/$workflow_id"
fi

# run_all RECORD TIME: one round over every case
run_all() {
  run_case "$1" minimal_get "$minimal_url" GET "" "" "$2"
  if [[ $minimal_only == 0 ]]; then
    run_case "$1" leadline_get "$base/workflows/$workflow_id" GET "" "$key" "$2"
    run_case "$1" leadline_post "$base/workflows" POST '{"title":"bench"}' "$key" "$2"
  fi
}

run_all 0 "$warmup"
for _ in $(seq 1 "$rounds"); do run_all 1 "$duration"; done

# Median of column $2 (rps), $3 (p50), $4 (p99) per case.
median() {
  local name=$1 column=$2
  awk -v n="$name" -v c="$column" '$1 == n { print $c }' "$work/results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
cases="minimal_get"
[[ $minimal_only == 0 ]] && cases="$cases leadline_get leadline_post"
for name in $cases; do
  echo "result name=$name rps=$(median "$name" 2) p50_ms=$(median "$name" 3)" \
    "p99_ms=$(median "$name" 4)"
done
if [[ $minimal_only == 0 ]]; then
  awk -v a="$(median leadline_get 2)" -v b="$(median minimal_get 2)" \
    'BEGIN { printf "result name=ratio_leadline_get_vs_minimal value=%.3f\n", a / b }'
fi
