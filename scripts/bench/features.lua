-- The rally side of scripts/bench_features.sh (run by rally-shell):
--   rally-shell scripts/bench/features.lua DATA.csv DIR
-- DIR holds what features_pandas.py wrote: values.f64, pandas_q95.f64, pandas.txt.
-- Times are CPU seconds (os.clock), best of several runs for the small job.
local data_path, dir = arg[1], arg[2]
assert(data_path and dir, "usage: rally-shell scripts/bench/features.lua DATA.csv DIR")

local function best_of(runs, f)
  local best = math.huge
  for _ = 1, runs do
    local t0 = os.clock()
    f()
    best = math.min(best, os.clock() - t0)
  end
  return best
end

local function read_f64(path)
  local file = assert(io.open(path, "rb"))
  local bytes = file:read("a")
  file:close()
  local out, n, pos, chunk = {}, #bytes // 8, 1, 512
  local fmt = "<" .. string.rep("d", chunk)
  local i = 0
  while i + chunk <= n do
    local vals = table.pack(string.unpack(fmt, bytes, pos))
    table.move(vals, 1, chunk, i + 1, out)
    pos = vals[chunk + 1]
    i = i + chunk
  end
  while i < n do
    out[i + 1], pos = string.unpack("<d", bytes, pos)
    i = i + 1
  end
  return out
end

local pandas = {}
for line in io.lines(dir .. "/pandas.txt") do
  local k, v = line:match("^(%S+) (%S+)$")
  pandas[k] = tonumber(v) or v
end

-- (a) protocol v1: labels, then the 19 features (their gap_to_thr uses the labeler's threshold)
local ds = rally.load(data_path)
local fx = rally.features.protocol_v1()
local lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
local labels_s = best_of(20, function() lab:apply(ds) end)
local build_s = best_of(20, function() fx:build(ds, lab) end)
local X = fx:build(ds, lab)
local r = lab:apply(ds)
local kept = 0
local usable, y = X:usable(), r.labels
for i = 1, #X do
  if usable[i] == 1 and y[i] ~= nil then kept = kept + 1 end
end
print(string.format("protocol_v1 on %s (%d rows): %d kept rows", data_path, #ds, kept))
print(string.format("  labels          %7.2f ms", labels_s * 1e3))
print(string.format("  features+labels %7.2f ms   (fx:build(ds, lab): the labels are computed inside, for gap_to_thr)   goal <= 20 ms", build_s * 1e3))
print(string.format("  pandas peer     %7.2f ms   (python_reference.build, best of 5)   ratio pandas/rally %.1fx",
  pandas.protocol_v1 * 1e3, pandas.protocol_v1 / build_s))

-- (b) rolling 0.95-quantile, window 672, over the values pandas generated
local values = rally.vector(read_f64(dir .. "/values.f64"), "values")
local t0 = os.clock()
local q = rally.features.rolling(values, {stat = "quantile", q = 0.95, window = 672})
local rolling_s = os.clock() - t0
local theirs = read_f64(dir .. "/pandas_q95.f64")
local differ, worst = 0, 0
for i = 1, #q do
  local a, b = q[i], theirs[i]
  if b ~= b then b = nil end            -- NaN -> nil, as Vector indexing gives
  if a ~= b then
    if a == nil or b == nil then differ = differ + 1
    else
      differ = differ + 1
      worst = math.max(worst, math.abs(a - b) / math.max(math.abs(a), math.abs(b)))
    end
  end
end
print(string.format("rolling quantile q=0.95 window=672 over %d values:", #values))
print(string.format("  rally  %7.3f s   goal <= 2 s", rolling_s))
print(string.format("  pandas %7.3f s   (pandas %s, Series.rolling(672).quantile(0.95))   ratio pandas/rally %.1fx",
  pandas.rolling_q95, pandas.pandas_version, pandas.rolling_q95 / rolling_s))
print(string.format("  results: %d of %d values differ (largest relative difference %.3g)", differ, #q, worst))
