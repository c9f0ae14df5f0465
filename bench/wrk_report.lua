-- wrk script for bench/http_bench.sh. Request shape comes from the environment:
--   WRK_METHOD (default GET), WRK_BODY (default none), WRK_AUTH ("key_id:secret", optional).
-- done() prints one machine-readable line:
--   wrk_result rps=... p50_ms=... p99_ms=... requests=... errors=... non2xx=...

local method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
local auth = os.getenv("WRK_AUTH")

wrk.method = method
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
if auth and auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "wrk_result rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, socket_errors, e.status))
end
