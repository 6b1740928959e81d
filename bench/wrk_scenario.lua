-- One scenario of bench/load.py, driven by wrk (see bench/README.md).
-- Configured from the environment: BENCH_PATHS (a file, one path a line, picked at random per
-- request), BENCH_METHOD, BENCH_BODY (a file sent as the body), BENCH_CONTENT_TYPE, BENCH_COOKIE,
-- BENCH_ACCEPT_ENCODING, BENCH_EXPECT (the status every answer must have; others are counted as
-- "unexpected", e.g. a redirect to the sign-in page). Prints "BENCH_RESULT {json}" when done.

local paths, headers, body, method = {}, {}, nil, "GET"
local seeds, threads = 0, {}
expect, unexpected = 200, 0 -- globals of each thread, read back in done()

local function env(name)
  local value = os.getenv(name)
  if value ~= nil and #value > 0 then return value end
  return nil
end

setup = function(thread)
  seeds = seeds + 1
  thread:set("seed", os.time() + seeds * 7919)
  threads[#threads + 1] = thread
end

init = function(args)
  local paths_file = env("BENCH_PATHS")
  assert(paths_file ~= nil, "BENCH_PATHS is not set")
  for line in io.lines(paths_file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  method = env("BENCH_METHOD") or "GET"
  local body_file = env("BENCH_BODY")
  if body_file then
    local f = assert(io.open(body_file, "rb"))
    body = f:read("*a")
    f:close()
  end
  headers["Cookie"] = env("BENCH_COOKIE")
  headers["Content-Type"] = env("BENCH_CONTENT_TYPE")
  headers["Accept-Encoding"] = env("BENCH_ACCEPT_ENCODING")
  headers["Accept"] = "text/html,application/json;q=0.9,*/*;q=0.8"
  expect = tonumber(env("BENCH_EXPECT") or "200")
  math.randomseed(seed or os.time())
end

request = function()
  return wrk.format(method, paths[math.random(#paths)], headers, body)
end

response = function(status, headers, body)
  if status ~= expect then unexpected = unexpected + 1 end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + (thread:get("unexpected") or 0) end
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "mean_us": %.1f, "status_errors": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d, "unexpected": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout, wrong
  ))
end
