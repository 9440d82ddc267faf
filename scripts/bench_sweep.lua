-- Times the 45-run threshold sweep of scripts/sweep_thresholds.lua two ways, on the same data in
-- the same process: one rally.sweep call, and a loop of 15 rally.evaluate calls (one per
-- labeler, each fitting the three models on two threads). Checks that every way gives the same
-- PR-AUC in all 45 runs and prints the wall times and their ratios.
--
--   rally-shell scripts/bench_sweep.lua [--data PATH] [--bootstrap N] [--mode all|sweep|loop] [--help]
--
-- The sweep runs gbdt with nthread = 1, as the recipe does (fits already run side by side on
-- every core). The loop is timed with nthread = 1 (the very same models) and with nthread = 2
-- (rally.evaluate's best on two cores: gbdt is its longest fit). XGBoost's predictions do not
-- depend on nthread, so all three give the same figures.
--
-- --data PATH   the shared file (../shared/data/pjm_comed_2013_2018.csv); default: synthetic data.
-- --bootstrap N resamples per configuration (default 200, as the recipe).
-- --mode        all (default), sweep (the sweep only) or loop (the two loops only).
-- --help, -h    prints this text.
-- Ctrl-C during the sweep stops the benchmark with exit status 130 (no partial timing is printed).
-- Run it when the machine is otherwise idle (check `uptime`): every way uses every core.

local function usage(message)
  io.stderr:write("bench_sweep.lua: ", message, "\n",
    "usage: rally-shell scripts/bench_sweep.lua [--data PATH] [--bootstrap N] [--mode all|sweep|loop] [--help]\n")
  os.exit(2)
end

local recipe = require "recipe"
local options = recipe.options(arg, { valued = { "data", "bootstrap", "mode" }, defaults = { bootstrap = "200", mode = "all" }, usage = usage })
local resamples = recipe.whole(options, "bootstrap", 0, "a whole number of resamples", usage)
if options.mode ~= "all" and options.mode ~= "sweep" and options.mode ~= "loop" then usage("--mode is all, sweep or loop") end

local ds = options.data and rally.load(options.data) or rally.dataset.synthetic{ years = 6, seed = 1 }
local grid = { q = { 0.90, 0.925, 0.95, 0.975, 0.99 }, window = { 168, 336, 672 } }
local function models(gbdtThreads)
  return {
    rally.model.naive(),
    rally.model.logreg{ C = 1 },
    rally.model.gbdt{ rounds = 300, max_depth = 6, eta = 0.05, nthread = gbdtThreads },
  }
end
local labeler = rally.labeler.quantile{ col = "price", q = 0.95, window = 672, horizon = 24 }
local function settings(extra)
  local t = {
    data = ds,
    features = rally.features.protocol_v1(),
    split = rally.split{ train_end = "2016-12-31 23:00", test_start = "2017-01-01 00:00", embargo = 24, horizon = 24 },
    bootstrap = resamples, block = 168, seed = 7, quiet = true,
  }
  for k, v in pairs(extra) do t[k] = v end
  return t
end

print(string.format("data: %s; 45 runs (5 q x 3 windows x naive, logreg, gbdt), bootstrap %d", tostring(ds), resamples))

local times, prauc = {}, {}
local function timed(name, body)
  collectgarbage()
  local t0 = rally.clock()
  prauc[name] = body()
  times[name] = rally.clock() - t0
  print(string.format("%-36s %7.2f s", name, times[name]))
end

if options.mode ~= "loop" then
  timed("rally.sweep (gbdt nthread 1)", function()
    local t = rally.sweep(settings{ labeler = labeler, grid = grid, models = models(1) })
    if t.interrupted then
      io.stderr:write(string.format("bench_sweep: INTERRUPTED after %d of 45 runs; no timing reported\n", #t))
      os.exit(130)
    end
    local out = {}
    for k, row in ipairs(t:rows()) do out[k] = row.pr_auc end
    return out
  end)
end
if options.mode ~= "sweep" then
  for _, threads in ipairs{ 1, 2 } do
    timed(string.format("loop of rally.evaluate (nthread %d)", threads), function()
      local out = {}
      for _, q in ipairs(grid.q) do
        for _, w in ipairs(grid.window) do
          local res = rally.evaluate(settings{ labeler = labeler:with{ q = q, window = w }, models = models(threads) })
          local m = res:metrics()
          for _, name in ipairs(res.models) do out[#out + 1] = m.metrics[name].pr_auc.value end
        end
      end
      return out
    end)
  end
end

-- every way must give the same figures (compared with the first way timed)
local order = { "rally.sweep (gbdt nthread 1)", "loop of rally.evaluate (nthread 1)", "loop of rally.evaluate (nthread 2)" }
local reference, referenceName
for _, name in ipairs(order) do
  local values = prauc[name]
  if values and not reference then
    reference, referenceName = values, name
  elseif values then
    local differ = 0
    for k = 1, 45 do
      if string.format("%.17g", values[k]) ~= string.format("%.17g", reference[k]) then differ = differ + 1 end
    end
    print(string.format("PR-AUC of %s vs %s: %s", name, referenceName, differ == 0 and "identical in all 45 runs" or (differ .. " runs differ")))
  end
end
local sweep = times["rally.sweep (gbdt nthread 1)"]
if sweep then
  for _, threads in ipairs{ 1, 2 } do
    local loop = times[string.format("loop of rally.evaluate (nthread %d)", threads)]
    if loop then print(string.format("sweep / loop (nthread %d) wall time: %.2f", threads, sweep / loop)) end
  end
end
