-- Shared by the ingest-api benchmarks: prints one machine-readable line after a wrk run.
-- `items` is how many events one successful request carries (1 for POST /tweets).
local report = {}

-- The request headers: JSON, and the bearer token from SHARDPIPE_TOKEN when it is set (ingest-api
-- requires one unless it runs without authentication; docs/security.md).
function report.headers()
  local headers = { ["Content-Type"] = "application/json" }
  local token = os.getenv("SHARDPIPE_TOKEN")
  if token ~= nil and token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  return headers
end

function report.done(name, items, summary, latency)
  local seconds = summary.duration / 1e6
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  local ok = summary.requests - summary.errors.status
  io.write(string.format(
    "RESULT %s requests=%d failed=%d seconds=%.1f requests_per_s=%.0f events_per_s=%.0f"
      .. " p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f\n",
    name, summary.requests, failed, seconds, summary.requests / seconds, ok * items / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end

return report
