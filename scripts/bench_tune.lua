-- Times rally.tune (nested walk-forward) on protocol v1 against a plain rally.evaluate of the same
-- grid points on the same outer folds, in the same process, and prints how much choosing on the
-- outer test rows would have flattered the result.
--
--   rally-shell scripts/bench_tune.lua [--data PATH] [--bootstrap N] [--help]
--
-- Grid: gbdt (rounds 300, nthread 1) with max_depth {3, 6} x eta {0.05, 0.1}; outer folds yearly
-- from 2015 (expanding); one inner year per outer fold. Both ways fit two models at once.
--
-- --data PATH   the shared file (../shared/data/pjm_comed_2013_2018.csv); default: synthetic data.
-- --bootstrap N resamples of the outer figures (default 1000).
-- --help, -h    prints this text.
-- Run it when the machine is otherwise idle (check `uptime`): both ways use every core.

local recipe = require "recipe"
local function usage(message)
  io.stderr:write("bench_tune.lua: ", message, "\nusage: rally-shell scripts/bench_tune.lua [--data PATH] [--bootstrap N] [--help]\n")
  os.exit(2)
end
local options = recipe.options(arg, { valued = { "data", "bootstrap" }, defaults = { bootstrap = "1000" }, usage = usage })
local resamples = recipe.whole(options, "bootstrap", 0, "a whole number of resamples", usage)
local ds, note = recipe.data(options.data, "the real figures")
io.stderr:write(note, "\n")

local lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
local fx = rally.features.protocol_v1()
local wf = rally.walkforward{first_test = "2015-01-01", step = "year", embargo = 24, data = ds}
local grid = { max_depth = { 3, 6 }, eta = { 0.05, 0.1 } }

local t0 = rally.clock()
local t = rally.tune{data = ds, features = fx, labeler = lab, walkforward = wf, model = "gbdt", params = {rounds = 300},
                     grid = grid, metric = "pr_auc", bootstrap = resamples, quiet = true}
local tuneSeconds = rally.clock() - t0

local models = {}
for _, depth in ipairs(grid.max_depth) do
  for _, eta in ipairs(grid.eta) do
    models[#models + 1] = rally.model.gbdt{rounds = 300, max_depth = depth, eta = eta, nthread = 1,
                                           name = string.format("max_depth=%d eta=%g", depth, eta)}
  end
end
t0 = rally.clock()
rally.evaluate{data = ds, features = fx, labeler = lab, walkforward = wf, models = models, bootstrap = resamples, quiet = true}
local evaluateSeconds = rally.clock() - t0

print(t.text)
local s = t.selected_on_test
print(string.format("outer PR-AUC: tuned %.3f, best grid point chosen on the outer rows %.3f (flattery %+.3f)",
                    t.metrics.pr_auc.value, s.pr_auc.value, s.flattery.value))
print(string.format("rally.tune %.1f s, rally.evaluate of the %d grid points on the outer folds %.1f s: ratio %.2f",
                    tuneSeconds, #models, evaluateSeconds, tuneSeconds / evaluateSeconds))
