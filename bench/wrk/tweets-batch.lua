-- POST /tweets/batch with 1 000 tweets per request, as a JSON array. Each request gets new
-- server-generated ids, so every request adds 1 000 rows; owners and locations vary so the events
-- spread over all 16 partitions.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local report = require("report")

local ITEMS = 1000
local LOCATIONS = { "europe", "usa", "asia" }

local bodies = {}
local next_body = 1

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
  -- A few different bodies per thread, built once: building JSON per request would cost more
  -- CPU in wrk than the server spends on it.
  for b = 1, 8 do
    local items = {}
    for i = 1, ITEMS do
      items[i] = string.format(
        '{"location":"%s","owner_id":%d,"text":"benchmark tweet %d of batch %d, lorem ipsum dolor sit amet","like_count":%d}',
        LOCATIONS[math.random(#LOCATIONS)], math.random(0, 1000000), i, b, math.random(0, 100))
    end
    bodies[b] = "[" .. table.concat(items, ",") .. "]"
  end
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/tweets/batch", report.headers(), body)
end

function done(summary, latency, requests)
  report.done("tweets_batch_1000", ITEMS, summary, latency)
end
