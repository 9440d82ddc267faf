-- The rally side of scripts/bench_gridstatus.sh (run by rally-shell):
--   rally-shell scripts/bench/gridstatus.lua make LMP.csv DAYS LOCATIONS   writes the generated export
--   rally-shell scripts/bench/gridstatus.lua time LMP.csv PANDAS.txt
-- The generated file is a gridstatus REAL_TIME_5_MIN LMP frame (Time, Interval Start, Interval
-- End, Market, Location Id, Location Name, Location Short Name, Location Type, LMP, Energy,
-- Congestion, Loss) from 2016-01-01 00:00 Eastern: times with their US/Eastern offsets (-05:00,
-- -04:00 from 2016-03-13 07:00 UTC to 2016-11-06 06:00 UTC), one row per location and 5 minutes.
-- Times are wall seconds (rally.clock); peak memory is the growth of this process's peak
-- resident set (VmHWM) across the load.
local mode = arg[1]

if mode == "make" then
  local path, days, places = arg[2], math.tointeger(tonumber(arg[3])), math.tointeger(tonumber(arg[4]))
  assert(path and days and places, "usage: rally-shell scripts/bench/gridstatus.lua make LMP.csv DAYS LOCATIONS")
  local file = assert(io.open(path, "wb"))
  file:write("Time,Interval Start,Interval End,Market,Location Id,Location Name,Location Short Name,Location Type,LMP,Energy,Congestion,Loss\n")
  local first = 1451624400                      -- 2016-01-01 05:00 UTC = 00:00 EST
  local summer_from, summer_to = 1457852400, 1478412000
  local function eastern(t)
    local offset = (t >= summer_from and t < summer_to) and -4 or -5
    return os.date("!%Y-%m-%d %H:%M:%S", t + offset * 3600) .. string.format("%+03d:00", offset)
  end
  local buffer, seed = {}, 7
  for i = 0, days * 288 - 1 do
    local t = first + i * 300
    local start, stop = eastern(t), eastern(t + 300)
    for k = 1, places do
      seed = (seed * 1103515245 + 12345) % 2147483648
      local noise = seed / 2147483648
      local energy = 25 + 15 * math.sin(i * 0.0218) + 40 * noise * noise * noise
      local congestion, loss = (k - 6) * 0.25 * noise, 0.01 * k
      buffer[#buffer + 1] = string.format("%s,%s,%s,REAL_TIME_5_MIN,%d,LOCATION %02d,L%02d,HUB,%.2f,%.2f,%.2f,%.2f\n",
        start, start, stop, 51200 + k, k, k, energy + congestion + loss, energy, congestion, loss)
    end
    if #buffer >= 4096 then file:write(table.concat(buffer)); buffer = {} end
  end
  file:write(table.concat(buffer))
  file:close()
  return
end

assert(mode == "time" and #arg == 3, "usage: rally-shell scripts/bench/gridstatus.lua time LMP.csv PANDAS.txt")
local path, pandas_path = arg[2], arg[3]
local measure = require "measure"
local pandas, peak_mb = measure.read_pairs(pandas_path), measure.peak_mb
local mb = measure.file_mb(path)

collectgarbage()
local before = peak_mb()
local t0 = rally.clock()
local ds = rally.load(path)
local seconds = rally.clock() - t0
local grown = peak_mb() - before
local places = #ds:locations()
local long_rows = #ds * places
print(string.format("gridstatus 5-minute LMP export %s (%d long rows, %d locations, %.0f MB):", path, long_rows, places, mb))
print(string.format("  rally  %6.2f s   peak memory +%.0f MB   -> %d intervals x %d columns, zone %s", seconds, grown, #ds, #ds:columns(), ds:zone()))
print(string.format("  pandas %6.2f s   peak memory +%.0f MB   (pandas %s: read_csv, to_datetime(utc=True), pivot of the four components)",
  pandas.seconds, pandas.peak_mb, pandas.pandas_version))
print(string.format("  ratio pandas/rally: time %.1fx, peak memory %.1fx", pandas.seconds / seconds, pandas.peak_mb / grown))
assert(pandas.intervals == #ds, "pandas and rally pivoted to different interval counts")
