-- Tomorrow's rally risk, hour by hour (issue 15):
--
--   rally-shell scripts/forecast.lua [--data PATH] [--bundle PATH | --save-bundle PATH] [--cost-ratio R] [--out DIR] [--at TIME]
--                                    [--quiet] [--help]
--
-- Reads PATH (e.g. ../shared/data/pjm_comed_2013_2018.csv); without --data it runs on the
-- synthetic PJM-like default (rally.dataset.synthetic) and says so. Fits the benchmark's gbdt
-- (protocol v1 labeler: 0.95 quantile over 672 hours, horizon 24) on every hour whose label is
-- known at the issue time, scores the open hours (rally.forecast, at = "latest" or --at TIME),
-- prints the risk table (issued at, target hour, threshold, p, alarm at p >= 1 / (1 + R), top
-- three reasons) and writes forecast.csv (issued_at, target, threshold, probability, alarm,
-- reasons) and forecast.json into DIR (default forecast/), each atomically. R defaults to 10.
--
-- protocol_v1's four load features read the day-ahead load forecasts of the target hour. When the
-- data end with a price (no rows carrying tomorrow's load forecasts after the last price, as in
-- the shared file), they cannot be known for the open hours: the recipe then leaves them out and
-- says so. To use them, append rows for the next 24 hours with the load forecasts and an empty price.
--
-- --save-bundle PATH writes the fitted model with its features, labeler, training window, data hash
-- and versions (m:save_bundle); --bundle PATH forecasts with such a bundle as saved: no fit, its own
-- features and labeler (rally.forecast{bundle = ...}), refused when the data lack its columns, have
-- another time step or end inside its training window.

local t0 = rally.clock()

local function usage(message)
  io.stderr:write("forecast.lua: ", message, "\n",
    "usage: rally-shell scripts/forecast.lua [--data PATH] [--bundle PATH | --save-bundle PATH] [--cost-ratio R] [--out DIR] [--at TIME] [--quiet] [--help]\n")
  os.exit(2)
end

local recipe = require "recipe"
local options = recipe.options(arg, { valued = { "data", "bundle", "save-bundle", "cost-ratio", "out", "at" }, switches = { "quiet" },
                                      defaults = { out = "forecast/", ["cost-ratio"] = "10", at = "latest" }, usage = usage })
local cost_ratio = tonumber(options["cost-ratio"])
if not cost_ratio or cost_ratio <= 0 or cost_ratio > 1e9 then
  usage("--cost-ratio needs a number in (0, 1e9], got '" .. options["cost-ratio"] .. "'")
end
if options.bundle and options["save-bundle"] then usage("give --bundle (forecast with a saved model) or --save-bundle (save the one fitted), not both") end

local function progress(...)
  if not options.quiet then io.stderr:write("forecast: ", string.format(...), "\n") end
end

-- data
local ds, note = recipe.data(options.data, "the real PJM data")
local loaded = rally.clock()
progress("%s (%.3f s)", tostring(ds), loaded - t0)

local notes = { note }
local f
if options.bundle then
  -- a saved bundle: its model as saved, its features and labeler
  local bundle = rally.bundle.load(options.bundle)
  notes[#notes + 1] = string.format("model: bundle %s (%s), trained on %d rows %s .. %s, rally %s, XGBoost %s", options.bundle, bundle.name,
                                    bundle.training_rows, bundle.training_first, bundle.training_last, bundle.rally_version, bundle.xgboost_version)
  f = rally.forecast{ data = ds, bundle = bundle, at = options.at, cost_ratio = cost_ratio, top = 3 }
else
  -- protocol v1's labeler and features (without the known-ahead load features when the data hold none for the open hours)
  local labeler = rally.labeler.quantile{ col = "price", q = 0.95, window = 672, horizon = 24 }
  local features = rally.features.protocol_v1()
  if ds.price[#ds] ~= nil then
    features = rally.features{
      horizon = 24, lags = { 0, 1, 2, 23, 144 },
      rolling = { { stat = "mean", window = 24 }, { stat = "std", window = 24 }, { stat = "mean", window = 168 },
                  { stat = "std", window = 168 }, { stat = "max", window = 24 } },
      gap_to_thr = true, calendar = { "hour", "dow", "month", "weekend" },
    }
    notes[#notes + 1] = "features: protocol_v1 WITHOUT its 4 load features: the data hold no load forecasts for the hours after the last price"
  else
    notes[#notes + 1] = "features: protocol_v1 (the load forecasts for the open hours are in the data)"
  end
  f = rally.forecast{
    data = ds, features = features, labeler = labeler,
    model = rally.model.gbdt{ rounds = 300, max_depth = 6, eta = 0.05 },
    at = options.at, cost_ratio = cost_ratio, top = 3,
  }
  if options["save-bundle"] then
    f:model():save_bundle(options["save-bundle"])
    notes[#notes + 1] = "bundle: wrote " .. options["save-bundle"] .. " (rally-shell scripts/forecast.lua --bundle PATH forecasts with it)"
  end
end
local scored = rally.clock()

for _, line in ipairs(notes) do print(line) end
print(f:table())

local paths = f:write(options.out)
progress("%s %.3f s; wrote %s (%.3f s in all)", options.bundle and "bundle + score + explain" or "fit + score + explain", scored - loaded, table.concat(paths, ", "), rally.clock() - t0)
