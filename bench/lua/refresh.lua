-- wrk script: every request is a real refresh-token rotation.
--
-- Usage: wrk -t T -c C ... -s refresh.lua URL -- TOKENS_FILE T
-- TOKENS_FILE holds one current refresh token per line (one per session). Thread k of T owns the
-- sessions on lines k, k+T, k+2T, ... (disjoint slices). request() takes the next session of the
-- thread's queue; response() reads the new refresh token from the body (and the session id from the
-- sb-auth-session-id header) and puts the session back at the end of the queue with its new token.
-- A session is in flight on at most one connection at a time, so each request carries the session's
-- current token and the server must rotate it. A failed answer drops the session from the queue.

local threads = {}
local thread_count = 0
-- Non-2xx answers are counted by status; any other status counts as "other".
reported_statuses = { "400", "401", "409", "429", "500", "503", "other" }

function setup(thread)
  thread:set("index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  local file, stride = args[1], tonumber(args[2])
  queue, head, tail = {}, 1, 0
  local line_number = 0
  for line in io.lines(file) do
    if line_number % stride == index then
      tail = tail + 1
      queue[tail] = line
    end
    line_number = line_number + 1
  end
  ok, non2xx, unparsed, starved = 0, 0, 0, 0
  for _, code in ipairs(reported_statuses) do
    _G["status_" .. code] = 0
  end
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local token
  if head > tail then
    -- Every session of this thread is in flight or lost: send a malformed token and count it.
    starved = starved + 1
    token = "starved"
  else
    token = queue[head]
    queue[head] = nil
    head = head + 1
  end
  return wrk.format("POST", "/token?grant_type=refresh_token", nil, '{"refresh_token":"' .. token .. '"}')
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    local name = "status_" .. status
    if _G[name] == nil then
      name = "status_other"
    end
    _G[name] = _G[name] + 1
    return
  end
  local token = body:match('"refresh_token":"([%w_%-]+)"')
  local session = headers["sb-auth-session-id"] or headers["Sb-Auth-Session-Id"]
  if token == nil or session == nil then
    unparsed = unparsed + 1
    return
  end
  ok = ok + 1
  tail = tail + 1
  queue[tail] = token
end

function done(summary, latency, requests)
  local totals = { ok = 0, non2xx = 0, unparsed = 0, starved = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  local statuses = {}
  for _, code in ipairs(reported_statuses) do
    local count = 0
    for _, thread in ipairs(threads) do
      count = count + (thread:get("status_" .. code) or 0)
    end
    if count > 0 then
      table.insert(statuses, code .. ":" .. count)
    end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
      .. "ok=%d non2xx=%d unparsed=%d starved=%d socket_errors=%d timeouts=%d statuses=%s\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      totals.ok, totals.non2xx, totals.unparsed, totals.starved,
      e.connect + e.read + e.write, e.timeout, #statuses > 0 and table.concat(statuses, ",") or "-"))
end
