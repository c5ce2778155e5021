-- POST /tweets, one tweet per request, rotating over 1 000 prepared bodies with different owners
-- and locations so that the events spread over all 16 partitions.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local report = require("report")

local LOCATIONS = { "europe", "usa", "asia" }
local requests_ = {}
local next_request = 1

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
  for i = 1, 1000 do
    local body = string.format(
      '{"location":"%s","owner_id":%d,"text":"benchmark tweet %d, lorem ipsum dolor sit amet","like_count":%d}',
      LOCATIONS[math.random(#LOCATIONS)], math.random(0, 1000000), i, math.random(0, 100))
    requests_[i] = wrk.format("POST", "/tweets", report.headers(), body)
  end
end

function request()
  local r = requests_[next_request]
  next_request = next_request % #requests_ + 1
  return r
end

function done(summary, latency, requests)
  report.done("tweet_single", 1, summary, latency)
end
