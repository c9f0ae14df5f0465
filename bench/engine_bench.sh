#!/usr/bin/env bash
# Engine throughput, SQLite next to PostgreSQL with 1, 2 and 3 processes, in one run:
#
#   bench/engine_bench.sh [build/bench_engine] [LEADS] [ROUNDS]
#
# Starts a throwaway PostgreSQL server (scripts/pg-server.sh, settings below), then runs
# `bench_engine --only steps` ROUNDS times per case, the cases interleaved, and prints each
# run's lead-steps/s and the median per case. Stops the server on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bench_engine}
leads=${2:-100000}
rounds=${3:-3}

source scripts/pg-server.sh
trap pg_server_stop EXIT
# Durable commits (synchronous_commit=on, fsync=on: the defaults); checkpoints spaced out so
# a run is not measured across one; the rest at the Debian defaults.
pg_settings=(-c shared_buffers=512MB -c max_wal_size=4GB -c checkpoint_timeout=30min
  -c synchronous_commit=on -c fsync=on)
pg_server_start "${pg_settings[@]}"
echo "postgres settings: ${pg_settings[*]}"

declare -A runs
for round in $(seq 1 "$rounds"); do
  for case in sqlite pg1 pg2 pg3; do
    case $case in
      sqlite) args=(--db /tmp/leadline-bench-engine.db) ;;
      pg*) args=(--db "$LEADLINE_PG_URL" --processes "${case#pg}") ;;
    esac
    line=$("$bin" --only steps --leads "$leads" "${args[@]}" | grep '^result name=engine_steps')
    rate=$(sed -E 's/.*steps_per_second=([0-9]+).*/\1/' <<<"$line")
    echo "round $round $case: $line"
    runs[$case]="${runs[$case]:-} $rate"
  done
done
rm -f /tmp/leadline-bench-engine.db /tmp/leadline-bench-engine.db-wal /tmp/leadline-bench-engine.db-shm

echo
echo "case    median lead-steps/s   runs"
for case in sqlite pg1 pg2 pg3; do
  median=$(tr ' ' '\n' <<<"${runs[$case]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-7s %-21s %s\n' "$case" "$median" "${runs[$case]}"
done
