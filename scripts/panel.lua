-- The rally benchmark on a panel of locations: every location evaluated on its own and pooled in a
-- panel row, in one command:
--
--   rally-shell scripts/panel.lua [--data PATH] [--locations all|NAME,NAME,...] [--count N] [--years N]
--                                 [--train-end DATE] [--test-start DATE] [--training per_location|global|both]
--                                 [--out DIR] [--bootstrap N] [--threads N] [--quiet] [--help]
--
-- Reads PATH (a multi-location export: a PJM Data Miner LMP file, or any file rally.load reads into
-- locations); without --data it runs on the synthetic panel rally.dataset.synthetic{locations = N,
-- years = Y, seed = 1} (N = --count, default 12; Y = --years, default 6) and says so here and in
-- run.json. Protocol v1 on every location (q = 0.95 over 672 h, 24 h ahead; protocol_v1 features;
-- train through --train-end, default 2016-12-31, test from --test-start, default 2017-01-01;
-- embargo 24 h) with naive, logreg and gbdt, fitted per location (default), once on every location's
-- stacked rows (--training global, with a 0/1 feature per location) or both side by side. The panel row pools the locations' test rows; its
-- bootstrap resamples the same week-long time blocks for every location, so its intervals and
-- paired differences keep the dependence across locations. Prints the table (each location, then
-- the panel) and writes metrics.json, predictions.csv, benchmark_table.csv (with a location column),
-- importance.csv and run.json into DIR (default artifacts/panel/; artifacts/panel/synthetic/ on the
-- synthetic panel). Progress goes to stderr.

local t0 = rally.clock()

local function usage(message)
  io.stderr:write("panel.lua: ", message, "\n",
    "usage: rally-shell scripts/panel.lua [--data PATH] [--locations all|NAME,NAME,...] [--count N] [--years N]\n",
    "       [--train-end DATE] [--test-start DATE] [--training per_location|global|both] [--out DIR] [--bootstrap N]\n",
    "       [--threads N] [--quiet] [--help]\n")
  os.exit(2)
end

local recipe = require "recipe"
local options = recipe.options(arg, {
  valued = { "data", "locations", "count", "years", "train-end", "test-start", "training", "out", "bootstrap", "threads" },
  switches = { "quiet" },
  defaults = { locations = "all", count = "12", years = "6", ["train-end"] = "2016-12-31", ["test-start"] = "2017-01-01",
               training = "per_location", out = "artifacts/panel/", bootstrap = "1000", threads = "2" },
  usage = usage })
local resamples = recipe.whole(options, "bootstrap", 0, "a whole number of resamples", usage)
local count = recipe.whole(options, "count", 1, "a whole number of locations", usage)
local years = recipe.whole(options, "years", 1, "a whole number of years", usage)
local threads = recipe.whole(options, "threads", 1, "a whole number of threads", usage)

local function progress(...)
  if not options.quiet then io.stderr:write("panel: ", string.format(...), "\n") end
end

-- data
local ds, note
if options.data then
  ds, note = rally.load(options.data), "data: " .. options.data
else
  ds = rally.dataset.synthetic{ locations = count, years = years, seed = 1 }
  note = string.format("data: SYNTHETIC panel (rally.dataset.synthetic{locations = %d, years = %d, seed = 1}); "
    .. "pass --data PATH for a real multi-location export", count, years)
end
local loaded = rally.clock()
progress("%s (%.3f s)", tostring(ds), loaded - t0)

local locations = options.locations
if locations ~= "all" then
  local names = {}
  for name in locations:gmatch("[^,]+") do names[#names + 1] = name end
  locations = names
end

-- protocol v1 on every location
local labeler = rally.labeler.quantile{ col = "price", q = 0.95, window = 672, horizon = 24 }
local features = rally.features.protocol_v1()
local split = rally.split{ train_end = options["train-end"], test_start = options["test-start"], embargo = 24, horizon = 24 }
local models = {
  rally.model.naive(),
  rally.model.logreg{ C = 1 },
  rally.model.gbdt{ rounds = 300, max_depth = 6, eta = 0.05, nthread = 1 },
}

local res = rally.evaluate{
  data = ds, features = features, labeler = labeler, split = split, models = models, locations = locations,
  training = options.training, location_feature = options.training ~= "per_location",
  bootstrap = resamples, block = 168, seed = 7, top = 0.05, threads = threads, quiet = options.quiet,
}

print(note)
print(res:table())

local paths = res:write(options.out, {
  recipe = options.data and "scripts/panel.lua" or "scripts/panel.lua (synthetic panel)",
  seconds = { load = loaded - t0 },
})
progress("wrote %s (%.3f s in all)", table.concat(paths, ", "), rally.clock() - t0)
