-- A small threshold sweep for the shard and Slurm tests (1 synthetic year, 4 configurations, 2
-- models, 20 resamples): the flags of scripts/sweep_thresholds.lua that scripts/slurm/ uses.
--   rally-shell tiny_sweep.lua [--out FILE.csv] [--shard I/N --resume FILE] [--threads N] [--quiet]
package.path = "./scripts/?.lua;" .. package.path
local recipe = require "recipe"
local function usage(message) io.stderr:write("tiny_sweep.lua: ", message, "\n") os.exit(2) end
local options = recipe.options(arg, { valued = { "out", "threads", "resume", "shard" }, switches = { "quiet" }, usage = usage })
local shard = recipe.shard(options, usage)
local t = rally.sweep{
  data = rally.dataset.synthetic{ years = 2, seed = 3 },
  features = rally.features.protocol_v1(),
  labeler = rally.labeler.quantile{ q = 0.95, window = 336, horizon = 24 },
  grid = { q = { 0.9, 0.95 }, window = { 168, 336 } },
  models = { rally.model.naive(), rally.model.logreg{ C = 1 } },
  split = rally.split{ train_end = "2014-06-30 23:00", test_start = "2014-07-01", embargo = 24 },
  bootstrap = 20, block = 72, seed = 5,
  threads = recipe.whole(options, "threads", 1, "a whole number >= 1", usage), resume = options.resume, shard = shard,
  quiet = options.quiet,
}
if shard then
  recipe.shard_done(t, shard, options.resume, "tiny_sweep", options.out or "sweep.csv")
elseif options.out then
  t:write_csv(options.out)
end
