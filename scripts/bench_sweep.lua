-- Times the 45-run threshold sweep of scripts/sweep_thresholds.lua two ways, on the same data in
-- the same process: one rally.sweep call, and a loop of 15 rally.evaluate calls (one per
-- labeler, each fitting the three models). Checks that both give the same figures and prints
-- the wall times and their ratio.
--
--   rally-shell scripts/bench_sweep.lua [--data PATH] [--bootstrap N] [--mode both|sweep|loop]
--
-- --data PATH   the shared file (../shared/data/pjm_comed_2013_2018.csv); default: synthetic data.
-- --bootstrap N resamples per configuration in both ways (default 200, as the recipe).
-- --mode        both (default), or only one of the two ways.
-- Run it when the machine is otherwise idle (check `uptime`): both ways use every core.

local function usage(message)
  io.stderr:write("bench_sweep.lua: ", message, "\n",
    "usage: rally-shell scripts/bench_sweep.lua [--data PATH] [--bootstrap N] [--mode both|sweep|loop]\n")
  os.exit(2)
end

local options = { bootstrap = "200", mode = "both" }
local i = 1
while arg and arg[i] do
  local flag = arg[i]
  if flag == "--data" or flag == "--bootstrap" or flag == "--mode" then
    options[flag:sub(3)] = arg[i + 1] or usage(flag .. " needs a value")
    i = i + 2
  else
    usage("unknown argument '" .. flag .. "'")
  end
end
local resamples = math.tointeger(tonumber(options.bootstrap))
if not resamples or resamples < 0 then usage("--bootstrap needs a whole number of resamples") end
if options.mode ~= "both" and options.mode ~= "sweep" and options.mode ~= "loop" then usage("--mode is both, sweep or loop") end

local ds = options.data and rally.load(options.data) or rally.dataset.synthetic{ years = 6, seed = 1 }
local grid = { q = { 0.90, 0.925, 0.95, 0.975, 0.99 }, window = { 168, 336, 672 } }
local models = {
  rally.model.naive(),
  rally.model.logreg{ C = 1 },
  rally.model.gbdt{ rounds = 300, max_depth = 6, eta = 0.05 },
}
local common = {
  data = ds,
  features = rally.features.protocol_v1(),
  split = rally.split{ train_end = "2016-12-31 23:00", test_start = "2017-01-01 00:00", embargo = 24, horizon = 24 },
  models = models, bootstrap = resamples, block = 168, seed = 7, quiet = true,
}
local labeler = rally.labeler.quantile{ col = "price", q = 0.95, window = 672, horizon = 24 }
local function with(extra)
  local t = {}
  for k, v in pairs(common) do t[k] = v end
  for k, v in pairs(extra) do t[k] = v end
  return t
end

print(string.format("data: %s; 45 runs (5 q x 3 windows x naive, logreg, gbdt), bootstrap %d", tostring(ds), resamples))

local swept, sweepSeconds
if options.mode ~= "loop" then
  local t0 = rally.clock()
  swept = rally.sweep(with{ labeler = labeler, grid = grid })
  sweepSeconds = rally.clock() - t0
  print(string.format("rally.sweep:           %7.2f s", sweepSeconds))
end

local looped, loopSeconds = {}, nil
if options.mode ~= "sweep" then
  local t0 = rally.clock()
  for _, q in ipairs(grid.q) do
    for _, w in ipairs(grid.window) do
      local res = rally.evaluate(with{ labeler = labeler:with{ q = q, window = w } })
      local m = res:metrics()
      for _, name in ipairs(res.models) do looped[#looped + 1] = m.metrics[name].pr_auc.value end
    end
  end
  loopSeconds = rally.clock() - t0
  print(string.format("loop of rally.evaluate: %7.2f s", loopSeconds))
end

if swept and loopSeconds then
  local differ = 0
  for k, row in ipairs(swept:rows()) do
    if string.format("%.17g", row.pr_auc) ~= string.format("%.17g", looped[k]) then differ = differ + 1 end
  end
  print(string.format("same PR-AUC in all 45 runs: %s; sweep / loop wall time = %.2f (the sweep %.1fx faster)",
    differ == 0 and "yes" or ("NO, " .. differ .. " differ"), sweepSeconds / loopSeconds, loopSeconds / sweepSeconds))
end
