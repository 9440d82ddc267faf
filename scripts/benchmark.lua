-- The PJM rally benchmark, protocol v1 (../shared/BENCHMARK.md), in one command:
--
--   rally-shell scripts/benchmark.lua [--data PATH] [--out DIR] [--bootstrap N] [--protocol] [--trainer NAME] [--quiet] [--help]
--
-- Reads PATH (the shared file ../shared/data/pjm_comed_2013_2018.csv, or any file with its
-- columns); without --data it runs on the synthetic PJM-like default (rally.dataset.synthetic)
-- and says so here and in run.json. Fits naive, logreg, gbdt and gbdt recalibrated (Platt and
-- isotonic, rally.model.calibrated) on the protocol's split,
-- scores the test year(s) with paired block-bootstrap intervals and Diebold-Mariano tests,
-- prints the comparison table and writes metrics.json, predictions.csv, benchmark_table.csv,
-- importance.csv and run.json into DIR (default artifacts/). Progress goes to stderr.
-- --protocol fits only protocol v1's three models (naive, logreg, gbdt): the work the Python peers
-- do, which scripts/bench.sh times against them. --trainer picks how gbdt grows its trees: "rally"
-- (the default: XGBoost's hist trees grown in rally) or "xgboost" (XGBoost's own rounds; the same
-- trees, which scripts/bench_gbdt.sh times against rally's).

local t0 = rally.clock()

local function usage(message)
  io.stderr:write("benchmark.lua: ", message, "\n",
    "usage: rally-shell scripts/benchmark.lua [--data PATH] [--out DIR] [--bootstrap N] [--protocol] [--trainer NAME] [--quiet] [--help]\n")
  os.exit(2)
end

local recipe = require "recipe"
local options = recipe.options(arg, { valued = { "data", "out", "bootstrap", "trainer" }, switches = { "quiet", "protocol" },
                                      defaults = { out = "artifacts/", bootstrap = "1000" }, usage = usage })
local resamples = recipe.whole(options, "bootstrap", 0, "a whole number of resamples", usage)

local function progress(...)
  if not options.quiet then io.stderr:write("benchmark: ", string.format(...), "\n") end
end

-- data
local ds, note = recipe.data(options.data, "the real benchmark")
local loaded = rally.clock()
progress("%s (%.3f s)", tostring(ds), loaded - t0)

-- protocol v1: label, features, split, models
local labeler = rally.labeler.quantile{ col = "price", q = 0.95, window = 672, horizon = 24 }
local features = rally.features.protocol_v1()
local split = rally.split{ train_end = "2016-12-31 23:00", test_start = "2017-01-01 00:00", embargo = 24, horizon = 24 }
local gbdt = rally.model.gbdt{ rounds = 300, max_depth = 6, eta = 0.05, trainer = options.trainer }
local models = {
  rally.model.naive(),
  rally.model.logreg{ C = 1 },
  gbdt,
  -- the same gbdt recalibrated on the last 90 days of its training rows (its fit leaves them and a
  -- day's embargo out): ECE and Brier next to the uncalibrated one's
  rally.model.calibrated{ base = gbdt, method = "platt", holdout = "90d", embargo = "1d" },
  rally.model.calibrated{ base = gbdt, method = "isotonic", holdout = "90d", embargo = "1d" },
}

if options.protocol then models = { models[1], models[2], models[3] } end

local res = rally.evaluate{
  data = ds, features = features, labeler = labeler, split = split, models = models,
  bootstrap = resamples, block = 168, seed = 7, top = 0.05, quiet = options.quiet,
}

print(note)
print(res:table())

local paths = res:write(options.out, {
  recipe = options.data and "scripts/benchmark.lua" or "scripts/benchmark.lua (synthetic default data)",
  seconds = { load = loaded - t0 },
})
progress("wrote %s (%.3f s in all)", table.concat(paths, ", "), rally.clock() - t0)
