-- wrk script: counts the responses the page cache answered (X-Page-Cache: hit).
-- Each wrk thread counts in its own Lua state; done() adds up what every thread counted.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  hits, responses = 0, 0
end

function response(status, headers, body)
  responses = responses + 1
  for name, value in pairs(headers) do
    if string.lower(name) == "x-page-cache" and value == "hit" then
      hits = hits + 1
    end
  end
end

function done(summary, latency, requests)
  local total_hits, total = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total = total + thread:get("responses")
  end
  io.write(string.format("page cache hits: %d of %d\n", total_hits, total))
end
