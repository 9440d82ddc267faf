-- The rally side of scripts/bench_asof.sh (run by rally-shell):
--   rally-shell scripts/bench/asof.lua make DIR YEARS   writes DIR/vintages.csv and DIR/prices.csv
--   rally-shell scripts/bench/asof.lua time DIR PANDAS.txt
-- The vintages are hourly load forecasts in gridstatus' API layout (interval_start_utc,
-- interval_end_utc, publish_time_utc, load_forecast): one published every hour from 2016-01-01
-- 00:00 UTC on, each covering the next 48 hours, so every hour has 48 vintages. The join takes,
-- for each hour of prices.csv, the latest vintage published by 10:00 the day before (UTC).
-- Times are wall seconds (rally.clock); the joined values' sum is compared with pandas'.
local mode = arg[1]
local start = 1451606400 -- 2016-01-01 00:00 UTC

local function iso(t) return os.date("!%Y-%m-%dT%H:%M:%SZ", t) end

if mode == "make" then
  local dir, years = arg[2], math.tointeger(tonumber(arg[3]))
  assert(dir and years, "usage: rally-shell scripts/bench/asof.lua make DIR YEARS")
  local hours = years * 8760
  local v = assert(io.open(dir .. "/vintages.csv", "wb"))
  v:write("interval_start_utc,interval_end_utc,publish_time_utc,load_forecast\n")
  for p = -48, hours - 1 do
    local published, buffer = iso(start + p * 3600), {}
    for h = math.max(0, p + 1), math.min(hours - 1, p + 48) do
      local t = start + h * 3600
      buffer[#buffer + 1] = string.format("%s,%s,%s,%.2f\n", iso(t), iso(t + 3600), published, 9000 + (h % 24) * 50 + (h - p) * 0.25)
    end
    v:write(table.concat(buffer))
  end
  v:close()
  local prices = assert(io.open(dir .. "/prices.csv", "wb"))
  prices:write("interval_start_utc,price\n")
  for h = 0, hours - 1 do prices:write(string.format("%s,%d\n", iso(start + h * 3600), 30 + h % 24)) end
  prices:close()
  return
end

assert(mode == "time" and #arg == 3, "usage: rally-shell scripts/bench/asof.lua time DIR PANDAS.txt")
local dir, pandas_path = arg[2], arg[3]
local pandas = {}
for line in io.lines(pandas_path) do
  local k, val = line:match("^(%S+) (%S+)$")
  pandas[k] = tonumber(val) or val
end

local t0 = rally.clock()
local v = rally.load_vintages(dir .. "/vintages.csv")
local ds = rally.load(dir .. "/prices.csv")
local t1 = rally.clock()
local joined, missing
local join_s = math.huge
for _ = 1, 5 do
  local s = rally.clock()
  joined, missing = rally.asof(ds, v, {at = "10:00", days_before = 1})
  join_s = math.min(join_s, rally.clock() - s)
end
local sum, column = 0, joined.load_forecast
for i = 1, #column do sum = sum + (column[i] or 0) end

print(string.format("vintages: %d records over %d hours (%s)", #v, #ds, "pandas " .. pandas.pandas_version))
print(string.format("load (vintages + prices): rally %.3f s, pandas.read_csv %.3f s: %.1fx", t1 - t0, pandas.load_s, pandas.load_s / (t1 - t0)))
print(string.format("as-of join (best of 5):   rally %.4f s, pandas.merge_asof %.4f s: %.1fx", join_s, pandas.join_s, pandas.join_s / join_s))
print(string.format("same result: %s (sum %.2f vs %.2f, missing %d vs %d)",
  tostring(math.abs(sum - pandas.sum) <= 1e-6 * math.abs(sum) and missing == math.tointeger(pandas.missing)), sum, pandas.sum, missing, math.tointeger(pandas.missing)))
