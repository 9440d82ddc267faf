-- The rally side of scripts/bench_load.sh (run by rally-shell):
--   rally-shell scripts/bench/load.lua make BIG.csv ROWS      writes the generated CSV
--   rally-shell scripts/bench/load.lua time SHARED.csv BIG.csv PANDAS.txt
-- The generated file has the shared file's layout (an ISO time column and three numbers per
-- hour, from 1900-01-01 00:00 on). Times are wall seconds (rally.clock); peak memory is the
-- growth of this process's peak resident set (VmHWM) across the big load.
local mode = arg[1]

if mode == "make" then
  local path, rows = arg[2], math.tointeger(tonumber(arg[3]))
  assert(path and rows, "usage: rally-shell scripts/bench/load.lua make BIG.csv ROWS")
  local file = assert(io.open(path, "wb"))
  file:write("Date,price,sys_load_fc,zonal_load_fc\n")
  local days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
  local y, m, d, h = 1900, 1, 1, 0
  local buffer, seed = {}, 7
  for i = 1, rows do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local noise = seed / 2147483648
    local price = 25 + 15 * math.sin(i * 0.2618) + 40 * noise * noise * noise
    buffer[#buffer + 1] = string.format("%04d-%02d-%02d %02d:00:00,%.6f,%.1f,%.1f\n",
      y, m, d, h, price, 80000 + 9000 * noise, 11000 + 1500 * noise)
    if #buffer == 4096 then file:write(table.concat(buffer)); buffer = {} end
    h = h + 1
    if h == 24 then
      h, d = 0, d + 1
      local leap = m == 2 and (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0))
      if d > days[m] + (leap and 1 or 0) then
        d, m = 1, m + 1
        if m == 13 then m, y = 1, y + 1 end
      end
    end
  end
  file:write(table.concat(buffer))
  file:close()
  return
end

assert(mode == "time" and #arg == 4, "usage: rally-shell scripts/bench/load.lua time SHARED.csv BIG.csv PANDAS.txt")
local shared_path, big_path, pandas_path = arg[2], arg[3], arg[4]

local measure = require "measure"
local pandas, peak_mb, file_mb = measure.read_pairs(pandas_path), measure.peak_mb, measure.file_mb

-- the shared file: best of 20
local shared_s, ds = math.huge, nil
for _ = 1, 20 do
  local t0 = rally.clock()
  ds = rally.load(shared_path)
  shared_s = math.min(shared_s, rally.clock() - t0)
end
print(string.format("shared file %s (%d rows, %.1f MB):", shared_path, #ds, file_mb(shared_path)))
print(string.format("  rally  %7.1f ms   goal <= 30 ms", shared_s * 1e3))
print(string.format("  pandas %7.1f ms   (pandas %s read_csv, dates parsed, best of 5)   ratio pandas/rally %.1fx",
  pandas.shared_s * 1e3, pandas.pandas_version, pandas.shared_s / shared_s))

-- the generated file: one load
ds = nil
collectgarbage()
local before = peak_mb()
local t0 = rally.clock()
local big = rally.load(big_path)
local big_s = rally.clock() - t0
local grown = peak_mb() - before
local mb = file_mb(big_path)
local column_mb = #big * 8 * (1 + #big:columns()) / 1e6
print(string.format("generated file %s (%d rows, %.0f MB, %d columns + time):", big_path, #big, mb, #big:columns()))
print(string.format("  rally  %6.2f s = %5.0f MB/s   peak memory +%.0f MB = %.2fx the %.0f MB of columns   goals >= 100 MB/s, <= 3x",
  big_s, mb / big_s, grown, grown / column_mb, column_mb))
print(string.format("  pandas %6.2f s = %5.0f MB/s   peak memory +%.0f MB   ratio pandas/rally %.1fx",
  pandas.big_s, mb / pandas.big_s, pandas.big_peak_mb, pandas.big_s / big_s))
assert(pandas.big_rows == #big, "pandas and rally read different row counts")
