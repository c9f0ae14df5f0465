#!/usr/bin/env bash
# A soak under mixed load on one server (issue 13): bulk enrolment, the engine stepping
# (time runs 600x, so one-minute delays expire every 0.1 s), API reads at 64 connections,
# webhook deliveries to a slow receiver (200 ms per answer) and a stream of hostile requests.
# Samples the server's RSS and open descriptors every 10 s; at the end prints read
# throughput and p99 latency, the RSS/descriptor series, and checks that no lead is lost
# (every enrolled lead is counted in some state). Rate limiting is off: the point is what the
# server holds up under, not where the limiter stops a client.
#
#   bench/soak.sh [BUILD_DIR] [SECONDS] [CACHE_MB]      (default build, 600, 64)
#
# CACHE_MB is the server's --sqlite-cache-mb: the budget of SQLite's page caches, which is
# most of what the heap holds as the database grows. 64 MB (not the default 256) lets a
# 10-minute run reach it, so the second half shows whether the heap levels off there.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
duration=${2:-600}
cache_mb=${3:-64}
work=$(mktemp -d /tmp/leadline-soak-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
hook_port=$(free_port)
db="sqlite:$work/soak.db"
api="http://127.0.0.1:$port/v1"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# A slow webhook receiver: answers 200 after 200 ms, several at a time.
cat >"$work/receiver.py" <<'PY'
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(0.2)
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$work/receiver.py" "$hook_port" &
pids+=($!)

key=$("$build/leadline" keys create --org Soak --database "$db" | tail -1)
"$build/leadline" serve --listen "127.0.0.1:$port" --database "$db" --time-scale 600 \
  --allow-private-targets --rate-limit 0 --sqlite-cache-mb "$cache_mb" >"$work/server.log" 2>&1 &
server=$!
pids+=($server)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
auth=(-H "Authorization: Bearer $key" -H "Content-Type: application/json")

# call -> wait 1 minute -> call -> converted / dropped; webhooks for every lead event.
wf=$(curl -s "${auth[@]}" "$api/workflows" -d '{"title": "Soak"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
node() { curl -s "${auth[@]}" "$api/workflows/$wf/nodes" -d "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
edge() { curl -s "${auth[@]}" "$api/workflows/$wf/edges" -d "{\"from_node_id\": \"$1\", \"to_node_id\": \"$2\", \"label\": $3}" >/dev/null; }
call1=$(node '{"node_type": "VOICE_CALL", "config": {"agent_id": "a", "from_phone_number": "+14155550100"}}')
wait1=$(node '{"node_type": "TIME", "config": {"delay_minutes": 1}}')
call2=$(node '{"node_type": "VOICE_CALL", "config": {"agent_id": "a", "from_phone_number": "+14155550100"}}')
won=$(node '{"node_type": "CONVERTED"}')
lost=$(node '{"node_type": "DROPPED"}')
edge "$call1" "$wait1" null
edge "$wait1" "$call2" null
edge "$call2" "$won" '"COMPLETED"'
edge "$call2" "$lost" null
curl -s "${auth[@]}" "$api/workflows/$wf/activate" -X POST >/dev/null
curl -s "${auth[@]}" "$api/user-webhooks" -d "{\"url\": \"http://127.0.0.1:$hook_port/hook\", \"events\": [\"workflow.lead.completed\", \"workflow.lead.dropped\"], \"secret\": \"soak-secret-0000000001\"}" >/dev/null

# Bulk enrolment: 5,000 leads every 5 s, distinct valid US numbers (415-200-0000 on).
python3 - "$work/batches" <<'PY'
import json, os, sys
os.makedirs(sys.argv[1], exist_ok=True)
for b in range(400):
    leads = [{"phone_number": "+1415%07d" % (2000000 + b * 5000 + i), "dynamic_variables": {"name": "L%d" % i}} for i in range(5000)]
    open(os.path.join(sys.argv[1], "%03d.json" % b), "w").write(json.dumps({"leads": leads}))
PY
enrolled_file="$work/enrolled"
echo 0 >"$enrolled_file"
(
  end=$((SECONDS + duration)); n=0; total=0
  while [ $SECONDS -lt $end ] && [ $n -lt 400 ]; do
    f=$(printf '%s/batches/%03d.json' "$work" $n)
    got=$(curl -s "${auth[@]}" "$api/workflows/$wf/leads" --data-binary "@$f" | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("lead_ids", [])))' || echo 0)
    total=$((total + got)); echo "$total" >"$enrolled_file"; n=$((n + 1)); sleep 5
  done
) &
pids+=($!)

# Hostile requests: deep nesting, malformed JSON, bad keys, bad bytes, oversized heads.
(
  deep=$(python3 -c 'print("{\"title\": \"x\", \"settings\": " + "[" * 100000 + "}")')
  end=$((SECONDS + duration))
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null "${auth[@]}" "$api/workflows" --data-binary "$deep" || true
    curl -s -o /dev/null "${auth[@]}" "$api/workflows" -d '{"title": ' || true
    curl -s -o /dev/null -H "Authorization: Bearer key_nope:nope" "$api/workflows" || true
    curl -s -o /dev/null "${auth[@]}" "$api/workflows/$wf/leads?leadIds=%ff" || true
    curl -s -o /dev/null "${auth[@]}" -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" "$api/workflows" || true
    sleep 0.2
  done
) >/dev/null 2>&1 &
pids+=($!)

# Sampling.
(
  end=$((SECONDS + duration))
  while [ $SECONDS -lt $end ]; do
    # RSS, and its parts: anonymous (the heap: what the process holds) and file-backed (the
    # database's pages that SQLite reads through its memory map; the kernel's page cache).
    read -r rss anon file < <(awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2}
      END {print r, a, f}' "/proc/$server/status")
    fds=$(ls "/proc/$server/fd" | wc -l)
    sqlite=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^leadline_sqlite_memory_bytes/ {printf "%d", $2 / 1024}')
    echo "t=$SECONDS rss_kb=$rss anon_kb=$anon sqlite_kb=${sqlite:-0} file_kb=$file fds=$fds enrolled=$(cat "$enrolled_file")"
    sleep 10
  done
) >"$work/samples" &
pids+=($!)

# Reads at 64 connections for the whole run.
WRK_AUTH="$key" wrk -t2 -c64 -d"${duration}s" --timeout 10s -s bench/wrk_report.lua \
  "$api/workflows/$wf/leads?limit=20" >"$work/wrk.out" 2>&1 || true
sleep 12

echo "== soak: ${duration}s, database $db, SQLite page caches capped at $cache_mb MB"
grep '^wrk_result' "$work/wrk.out" | sed 's/^/reads at 64 connections: /'
# With every load stopped and the freed memory handed back (every 10 s): what the heap keeps
# for good, against what it holds while busy.
read -r idle_anon < <(awk '/^RssAnon/ {print $2}' "/proc/$server/status")
idle_sqlite=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^leadline_sqlite_memory_bytes/ {printf "%d", $2 / 1024}')
echo "samples (RSS kB, its anonymous part and SQLite's share of that, its file-backed part, open descriptors):"
cat "$work/samples"
enrolled=$(cat "$enrolled_file")
counted=$(curl -s "${auth[@]}" "$api/workflows/$wf/leads?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["total"])')
echo "leads enrolled: $enrolled, leads the API lists: $counted"
# Level or not: the heap's and the descriptors' highest over the last third against the
# middle third (the first third is start-up and the caches filling).
python3 - "$work/samples" <<'PY'
import re, sys
rows = [dict(re.findall(r"(\w+)=(\d+)", line)) for line in open(sys.argv[1])]
third = len(rows) // 3
if third == 0:
    print("too few samples to judge the plateau"); sys.exit(0)
middle, last = rows[third:2 * third], rows[2 * third:]
for key, name in (("anon_kb", "heap"), ("sqlite_kb", "SQLite's memory"), ("rss_kb", "RSS"), ("fds", "open descriptors")):
    a = max(int(r[key]) for r in middle); b = max(int(r[key]) for r in last)
    if a == 0: continue
    print("%s: highest %d in the middle third, %d in the last (%+.1f %%)" % (name, a, b, 100.0 * (b - a) / a))
PY
echo "heap once the load stopped: $idle_anon kB, of which SQLite ${idle_sqlite:-0} kB"
if ! kill -0 "$server" 2>/dev/null; then echo "FAIL: the server died"; exit 1; fi
if [ "$enrolled" != "$counted" ]; then echo "FAIL: leads lost"; exit 1; fi
echo "server alive; no lead lost; 500s in the log: $(grep -c ' 500 \|Internal server error' "$work/server.log" || true)"
