-- wrk script: POST /token with one malformed refresh token (args[1]) on every request and count the
-- answers that are 400 with error_code validation_failed.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  rejected, other = 0, 0
  wrk.method = "POST"
  wrk.path = "/token?grant_type=refresh_token"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"refresh_token":"' .. args[1] .. '"}'
end

function response(status, headers, body)
  if status == 400 and body:find('"error_code":"validation_failed"', 1, true) then
    rejected = rejected + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local r, o = 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("rejected")
    o = o + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f rejected=%d other=%d "
      .. "socket_errors=%d timeouts=%d\n",
      summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, r, o,
      summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
end
