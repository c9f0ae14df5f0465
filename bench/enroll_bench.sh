#!/usr/bin/env bash
# Bulk enrolment throughput: 1,000,000 leads as 10 JSON requests of 100,000 leads each.
#
#   bench/enroll_bench.sh build/leadline
#
# Starts `leadline serve` on a fresh SQLite file in /tmp (rate limit off), creates a key and a
# draft workflow, checks sample numbers from each number block through the API, generates the
# files with python3 (not timed), then POSTs them in sequence with curl and prints
#   run   name=enroll_request index=<i> seconds=<s> leads_enrolled=<n>
#   result name=enroll_bulk leads=1000000 seconds=<total wall> per_request_median=<s>
# Every answer must report leads_enrolled=100000, or the script fails.
# Environment: PORT (18183), FILES (10), PER_FILE (100000), KEEP_FILES (unset: delete them),
# SUPPRESSIONS (0): numbers put on the organization's do-not-call list first (none a lead's,
# 10,000 per request, not timed), so enrolment looks every lead up in a list that size.
set -euo pipefail

leadline_bin=${1:?usage: enroll_bench.sh LEADLINE_BINARY}
port=${PORT:-18183}
files=${FILES:-10}
per_file=${PER_FILE:-100000}
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 1; }
# Distinct numbers: +1<area><exchange><4 digits>, 10,000 per (area code, exchange) block;
# numbers run consecutively through the blocks (1,000,000 leads use all 100).
areas=(212 312 646 415 617 202 305 713 206 303)
exchanges=(555 556 557 558 559 562 563 564 565 566)
blocks=()
for a in "${areas[@]}"; do for e in "${exchanges[@]}"; do blocks+=("$a$e"); done; done

work=$(mktemp -d /tmp/leadline-enroll-bench.XXXXXX)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [[ -n "${KEEP_FILES:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

database="sqlite:$work/enroll.db"
key=$("$leadline_bin" keys create --database "$database" --org EnrollBench | tail -n 1)
[[ "$key" == *:* ]] || { echo "unexpected key line from keys create: $key" >&2; exit 1; }
"$leadline_bin" serve --listen "127.0.0.1:$port" --database "$database" --rate-limit 0 \
  >"$work/leadline.log" 2>&1 &
server_pid=$!
for i in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  [[ $i == 100 ]] && { echo "leadline did not start; its log:" >&2; cat "$work/leadline.log" >&2; exit 1; }
  sleep 0.1
done
base="http://127.0.0.1:$port/v1"
auth="Authorization: Bearer $key"

# A throw-away workflow to check that every number block in use is accepted by the server.
check=$(curl -sS -f -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"title":"enroll-check"}' "$base/workflows")
check_id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' <<<"$check")
[[ -n "$check_id" ]] || { echo "could not create a workflow: $check" >&2; exit 1; }
blocks_needed=$(( (files * per_file + 9999) / 10000 ))
(( blocks_needed <= ${#blocks[@]} )) || { echo "too many leads for the number blocks" >&2; exit 1; }
sample=""
for b in "${blocks[@]:0:$blocks_needed}"; do
  for n in 0000 9999; do
    sample+="${sample:+,}{\"phone_number\":\"+1${b}${n}\"}"
  done
done
answer=$(curl -sS -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"leads\":[$sample]}" "$base/workflows/$check_id/leads")
grep -q "\"leads_enrolled\":$((blocks_needed * 2))," <<<"$answer" ||
  { echo "sample numbers were not all accepted: ${answer:0:600}" >&2; exit 1; }

created=$(curl -sS -f -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"title":"enroll-bench"}' "$base/workflows")
workflow_id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' <<<"$created")
[[ -n "$workflow_id" ]] || { echo "could not create a workflow: $created" >&2; exit 1; }

suppressions=${SUPPRESSIONS:-0}
if (( suppressions > 0 )); then
  listed=$(date +%s.%N)
  python3 - "$work" "$suppressions" <<'EOF'
import json, sys
work, count = sys.argv[1], int(sys.argv[2])
# Area codes no lead uses; 10,000 numbers per (area code, exchange) block, as for the leads.
blocks = [f"{a}{e}" for a in (718, 917, 404, 503, 602, 702, 801, 612, 314, 816)
          for e in (555, 556, 557, 558, 559, 562, 563, 564, 565, 566)]
for f in range((count + 9999) // 10000):
    n0 = f * 10000
    entries = [{"phone_number": f"+1{blocks[n // 10000]}{n % 10000:04d}", "reason": "bench"}
               for n in range(n0, min(count, n0 + 10000))]
    with open(f"{work}/suppressions_{f}.json", "w") as out:
        json.dump({"entries": entries}, out, separators=(",", ":"))
EOF
  for f in "$work"/suppressions_*.json; do
    code=$(curl -sS -o "$work/suppressions_answer.json" -w '%{http_code}' -X POST -H "$auth" \
      -H 'Content-Type: application/json' --data-binary "@$f" "$base/suppressions")
    [[ "$code" == 201 || "$code" == 200 ]] ||
      { echo "suppressions refused ($code): $(head -c 400 "$work/suppressions_answer.json")" >&2; exit 1; }
    rm -f "$f"
  done
  echo "setup suppressions=$suppressions seconds=$(awk -v a="$listed" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
fi

python3 - "$work" "$files" "$per_file" "${blocks[@]:0:$blocks_needed}" <<'EOF'
import json, sys
work, files, per_file, blocks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
names = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Dennis", "Linus", "Bjarne"]
cities = ["New York", "Chicago", "Boston", "Austin", "Seattle", "Denver", "Miami", "Atlanta"]
n = 0
for f in range(files):
    leads = []
    for _ in range(per_file):
        block, line = blocks[n // 10000], n % 10000
        leads.append({"phone_number": f"+1{block}{line:04d}",
                      "dynamic_variables": {"name": f"{names[n % len(names)]} {n}",
                                            "city": cities[n % len(cities)]}})
        n += 1
    with open(f"{work}/leads_{f}.json", "w") as out:
        json.dump({"leads": leads}, out, separators=(",", ":"))
EOF
echo "generated $files files of $per_file leads ($(du -sh "$work" | cut -f1) in $work)"

now() { date +%s.%N; }
start=$(now)
for f in $(seq 0 $((files - 1))); do
  t=$(curl -sS -o "$work/answer_$f.json" -w '%{http_code} %{time_total}' -X POST -H "$auth" \
    -H 'Content-Type: application/json' --data-binary "@$work/leads_$f.json" \
    "$base/workflows/$workflow_id/leads")
  echo "$f $t" >>"$work/times"
done
end=$(now)

failed=0
while read -r f code seconds; do
  enrolled=$(grep -o '"leads_enrolled":[0-9]*' "$work/answer_$f.json" | cut -d: -f2 || true)
  echo "run name=enroll_request index=$f status=$code seconds=$seconds leads_enrolled=${enrolled:-?}"
  if [[ "$code" != 201 || "$enrolled" != "$per_file" ]]; then
    echo "request $f failed: status $code: $(head -c 400 "$work/answer_$f.json")" >&2
    failed=1
  fi
done <"$work/times"
total=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
per_request_median=$(awk '{ print $3 }' "$work/times" | sort -g |
  awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m }')
echo "result name=enroll_bulk leads=$((files * per_file)) seconds=$total per_request_median=$per_request_median"
exit "$failed"
