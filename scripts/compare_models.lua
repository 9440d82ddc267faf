-- Which model predicts rallies best, year after year? A walk-forward comparison in one command:
--
--   rally-shell scripts/compare_models.lua [--data PATH] [--out DIR] [--bootstrap N] [--first-test YEAR] [--quiet] [--help]
--
-- Compares naive, logreg and gbdt (protocol v1's models) and a model written here in Lua
-- (hour_gap_rate, below) on yearly walk-forward folds with an expanding window: the fold of year
-- Y trains on everything up to Y-01-01 (24 h embargo, so no training label reads into Y) and
-- tests on year Y; the test years are pooled for the figures. Labels and features are protocol
-- v1's (quantile 0.95 over 672 h, horizon 24 h; 19 features).
--
-- Uncertainty is paired: every bootstrap resample (blocks of 168 h) reweights the same test
-- hours for all models, so each model's gain over naive gets its own interval, and the
-- Diebold-Mariano tests ask whether its Brier and log losses differ from naive's.
--
-- --data PATH        the shared file (../shared/data/pjm_comed_2013_2018.csv); without it, the
--                    synthetic PJM-like default (and the output says so).
-- --out DIR          artifacts go to DIR/compare_models/ (default artifacts/): metrics.json,
--                    predictions.csv, benchmark_table.csv, importance.csv, run.json.
-- --bootstrap N      resamples (default 1000).
-- --first-test YEAR  the first test year (default 2015).
--
-- Prints the comparison table, the paired gains over naive with their 95% intervals, and
-- PR-AUC per test year. To compare your own model, register it as hour_gap_rate is registered
-- and add rally.model.new("its_name", {...}) to `models`.

local t0 = rally.clock()

local function usage(message)
  io.stderr:write("compare_models.lua: ", message, "\n",
    "usage: rally-shell scripts/compare_models.lua [--data PATH] [--out DIR] [--bootstrap N] [--first-test YEAR] [--quiet] [--help]\n")
  os.exit(2)
end

local recipe = require "recipe"
local options = recipe.options(arg, { valued = { "data", "out", "bootstrap", "first-test" }, switches = { "quiet" },
                                      defaults = { out = "artifacts/", bootstrap = "1000", ["first-test"] = "2015" },
                                      usage = usage })
local resamples = recipe.whole(options, "bootstrap", 0, "a whole number of resamples", usage)
local firstYear = recipe.whole(options, "first-test", 0, "a year", usage)

-- A model written in Lua: the training rally rate for each (target hour, price above the
-- threshold now or not) pair, smoothed towards the overall rate. fit keeps what it learns in
-- self; predict returns one probability per row. X.hour and X.gap_to_thr are feature columns.
rally.model.register("hour_gap_rate", {
  doc = "training rally rate per (target hour, gap_to_thr > 1), smoothed towards the overall rate",
  params = { prior = 20 },   -- weight (in rows) of the overall rate in each cell
  fit = function(self, X, y)
    local total, n, k = 0, {}, {}
    for c = 0, 47 do n[c], k[c] = 0, 0 end
    for r = 1, X.n do
      local c = X.hour[r] * 2 + (X.gap_to_thr[r] > 1 and 1 or 0)
      n[c], k[c] = n[c] + 1, k[c] + y[r]
      total = total + y[r]
    end
    local overall, prior = total / X.n, self.params.prior
    self.rate = {}
    for c = 0, 47 do self.rate[c] = (k[c] + prior * overall) / (n[c] + prior) end
  end,
  predict = function(self, X)
    local p, rate = {}, self.rate
    for r = 1, X.n do p[r] = rate[X.hour[r] * 2 + (X.gap_to_thr[r] > 1 and 1 or 0)] end
    return p
  end,
})

-- data
local ds, note = recipe.data(options.data, "the real data")
local loaded = rally.clock()

local models = {
  rally.model.naive(),
  rally.model.logreg{ C = 1 },
  rally.model.gbdt{ rounds = 300, max_depth = 6, eta = 0.05 },
  rally.model.new("hour_gap_rate", {}),
}
local folds = rally.walkforward{ first_test = string.format("%d-01-01", firstYear), step = "year", window = "expanding",
                                 embargo = 24, horizon = 24, data = ds }

local res = rally.evaluate{
  data = ds,
  features = rally.features.protocol_v1(),
  labeler = rally.labeler.quantile{ col = "price", q = 0.95, window = 672, horizon = 24 },
  walkforward = folds,
  models = models,
  baseline = "naive",
  bootstrap = resamples, block = 168, seed = 7, quiet = options.quiet,
}

print(note)
print(res:table())

-- paired gains over naive, every headline metric
local m = res:metrics()
local shown = { { "pr_auc", "PR-AUC" }, { "roc_auc", "ROC-AUC" }, { "brier", "Brier" }, { "log_loss", "log loss" }, { "lift_at_top", "lift@5%" } }
print("\ngain over naive (model - naive) [paired 95% interval]")
local header = { string.format("%-14s", "model") }
for _, s in ipairs(shown) do header[#header + 1] = string.format("%-27s", s[2]) end
print((table.concat(header, ""):gsub("%s+$", "")))
local function cell(d)
  if not d or not d.value then return string.format("%-27s", "—") end
  local ci = d.ci95 or {}
  if ci[1] and ci[2] then return string.format("%-27s", string.format("%+.4f [%+.4f, %+.4f]", d.value, ci[1], ci[2])) end
  return string.format("%-27s", string.format("%+.4f", d.value))
end
for _, name in ipairs(res.models) do
  local vs = m.vs_baseline[name]
  if vs then
    local line = { string.format("%-14s", name) }
    for _, s in ipairs(shown) do line[#line + 1] = cell(vs[s[1] .. "_diff"]) end
    print((table.concat(line, ""):gsub("%s+$", "")))
  end
end

-- PR-AUC per test year
print("\nPR-AUC per test year")
local line = { string.format("%-18s", "test year") }
for _, name in ipairs(res.models) do line[#line + 1] = string.format("%-14s", name) end
print(table.concat(line, "") .. "rallies / hours")
for _, f in ipairs(res:folds()) do
  local row = { string.format("%-18s", f.test_start:sub(1, 4)) }
  for _, name in ipairs(res.models) do row[#row + 1] = string.format("%-14.4f", f.metrics[name].pr_auc) end
  print(table.concat(row, "") .. string.format("%d / %d", f.test_positives, f.test_rows))
end

local dir = options.out:gsub("/*$", "") .. "/compare_models"
local paths = res:write(dir, {
  recipe = options.data and "scripts/compare_models.lua" or "scripts/compare_models.lua (synthetic default data)",
  seconds = { load = loaded - t0 },
})
if not options.quiet then
  io.stderr:write(string.format("compare_models: wrote %d files to %s (%.1f s in all)\n", #paths, dir, rally.clock() - t0))
end
