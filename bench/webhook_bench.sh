#!/usr/bin/env bash
# Webhook deliveries per second to a loopback receiver, median of ROUNDS runs:
#
#   bench/webhook_bench.sh [BUILD_DIR] [DELIVERIES] [ROUNDS] [extra bench_webhooks flags...]
#
# Starts bench_minimal_server (answers 200 at once) on a free port, runs bench_webhooks
# ROUNDS times against it and prints each run's line and the median. Stops the receiver on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
deliveries=${2:-20000}
rounds=${3:-5}
shift 3 2>/dev/null || shift $#
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$build/bench_minimal_server" "$port" >/dev/null 2>&1 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT
sleep 0.5

rates=()
for round in $(seq 1 "$rounds"); do
  line=$("$build/bench_webhooks" --url "http://127.0.0.1:$port/hook" \
    --deliveries "$deliveries" "$@" | grep '^result name=webhook_deliveries')
  echo "round $round: $line"
  rates+=("$(sed -E 's/.*per_second=([0-9]+).*/\1/' <<<"$line")")
done
median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo
echo "median deliveries/s: $median (runs: ${rates[*]})"
