-- How does the rally definition change the picture? A threshold sweep in one command:
--
--   rally-shell scripts/sweep_thresholds.lua [--data PATH] [--out DIR] [--bootstrap N] [--spa N] [--threads N]
--                                            [--resume FILE] [--shard I/N] [--quiet] [--help]
--
-- Runs naive, logreg and gbdt (protocol v1's models) on every rally definition
--   q      in {0.90, 0.925, 0.95, 0.975, 0.99}   (the trailing price quantile a rally must beat)
--   window in {168, 336, 672}                    (hours of price history behind that quantile)
-- = 15 labelers x 3 models = 45 runs, each exactly what rally.evaluate gives for that labeler:
-- protocol v1's 19 features, its split (train to 2016-12-31 23:00, test from 2017-01-01, 24 h
-- embargo) and horizon (24 h), a paired block bootstrap of each configuration's test rows.
--
-- --data PATH   the shared file (../shared/data/pjm_comed_2013_2018.csv) or any file with its
--               columns; without it the sweep runs on the synthetic PJM-like default and says so.
-- --out DIR     where sweep_thresholds.csv goes (default artifacts/); every column of every run.
-- --bootstrap N resamples per configuration for the PR-AUC intervals (default 200; 0: none).
-- --spa N       resamples of the SPA test (default 1000; 0: none): does the best run beat naive
--               on Brier loss once the search over all 30 non-naive runs is allowed for? (Hansen's
--               SPA and White's reality check, printed under the table and written to
--               sweep_thresholds.csv-metadata.json). Not with --resume or --shard (default 0 there).
-- --threads N   engine threads (default: every core).
-- --resume FILE saves each finished configuration to FILE; after a Ctrl-C, run the same command
--               again to continue where it stopped (same final table).
-- --shard I/N   runs only part I of N of the grid (configurations c with c % N == I - 1) and keeps
--               it in --resume FILE (required); merge the N files with scripts/sweep_merge.lua, or
--               run the whole thing as a Slurm job array with scripts/slurm/submit.sh.
-- --help, -h    prints this text.
--
-- Prints the full table (parameters, model, PR-AUC with its interval, the gain over naive with
-- its paired interval, other figures), then a q x model pivot of PR-AUC for each window, and the
-- best model of each rally definition, with PR-AUC / base rate (how many times better than
-- chance). PR-AUC is not compared across definitions: a commoner rally scores a higher one. Progress goes to stderr: a bar on a terminal, plain lines in a log.
--
-- Ctrl-C stops the sweep: the finished runs go to DIR/sweep_thresholds.partial.csv (never to
-- sweep_thresholds.csv, which only a complete sweep writes), stderr says so, and the exit
-- status is 130. With --resume FILE, the same command continues from FILE.
--
-- To adapt it: change `grid` (any labeler parameter: q, window, horizon), `models` (add
-- rally.model.new("my_lua_model", {...}) for a model registered from Lua), or `metric`.

local t0 = rally.clock()

local function usage(message)
  io.stderr:write("sweep_thresholds.lua: ", message, "\n",
    "usage: rally-shell scripts/sweep_thresholds.lua [--data PATH] [--out DIR] [--bootstrap N] [--spa N] [--threads N] [--resume FILE] [--shard I/N] [--quiet] [--help]\n")
  os.exit(2)
end

local recipe = require "recipe"
local options = recipe.options(arg, { valued = { "data", "out", "bootstrap", "spa", "threads", "resume", "shard" }, switches = { "quiet" },
                                      defaults = { out = "artifacts/", bootstrap = "200" }, usage = usage })
local resamples = recipe.whole(options, "bootstrap", 0, "a whole number of resamples", usage)
local threads = recipe.whole(options, "threads", 1, "a whole number >= 1", usage)
local shard = recipe.shard(options, usage)
-- the SPA test needs every configuration's losses from this run: off by default with --resume or --shard
local spa = recipe.whole(options, "spa", 0, "a whole number of resamples", usage) or ((options.resume or shard) and 0 or 1000)

-- data
local ds, note = recipe.data(options.data, "the real data")
if not options.quiet then io.stderr:write(string.format("sweep_thresholds: %s (%.3f s)\n", tostring(ds), rally.clock() - t0)) end

-- the sweep
local grid = { q = { 0.90, 0.925, 0.95, 0.975, 0.99 }, window = { 168, 336, 672 } }
-- gbdt gets one thread: the sweep already runs fits side by side on every core, and XGBoost's
-- predictions do not depend on its thread count (the figures equal rally.evaluate's with nthread = 2).
local models = {
  rally.model.naive(),
  rally.model.logreg{ C = 1 },
  rally.model.gbdt{ rounds = 300, max_depth = 6, eta = 0.05, nthread = 1 },
}
local t = rally.sweep{
  data = ds,
  features = rally.features.protocol_v1(),
  labeler = rally.labeler.quantile{ col = "price", q = 0.95, window = 672, horizon = 24 },
  grid = grid,
  models = models,
  split = rally.split{ train_end = "2016-12-31 23:00", test_start = "2017-01-01 00:00", embargo = 24, horizon = 24 },
  metric = "pr_auc",
  bootstrap = resamples, block = 168, seed = 7,
  threads = threads, resume = options.resume, shard = shard, quiet = options.quiet,
  spa = spa > 0 and { loss = "brier", resamples = spa } or false,
}

local base = options.out:gsub("/*$", "") .. "/sweep_thresholds"

print(note)
if t.interrupted then
  -- a partial table must not pass for the sweep: its own name, a note, and the status of an interrupted program
  local partial = base .. ".partial.csv"
  t:write_csv(partial)
  t:print()
  io.stderr:write(string.format("sweep_thresholds: INTERRUPTED: wrote the %d finished runs to %s, not %s.csv; %s\n", #t, partial, base,
    options.resume and ("run the same command again to continue from " .. options.resume)
      or "give --resume FILE to be able to continue after an interruption"))
  os.exit(130)
end

if shard then
  -- one part of the grid: its figures are in the resume file, which the merge reads
  recipe.shard_done(t, shard, options.resume, "sweep_thresholds", base .. ".csv")
  return
end

t:print()
for _, w in ipairs(grid.window) do
  print(string.format("\nPR-AUC, window = %d h (rows: q, columns: model)", w))
  t:filter(function(row) return row.window == w end):pivot("q", "model", "pr_auc"):print()
end
-- the best model of each rally definition; PR-AUC is not compared across definitions, since a
-- commoner rally (lower q) scores a higher PR-AUC
print("\nBest model per rally definition (PR-AUC / base rate: how many times better than chance)")
print(string.format("%7s %7s %10s  %-7s %7s %14s", "q", "window", "base rate", "model", "PR-AUC", "PR-AUC / base"))
for _, q in ipairs(grid.q) do
  for _, w in ipairs(grid.window) do
    local row = t:filter(function(r) return r.q == q and r.window == w end):best("pr_auc")
    if row then
      print(string.format("%7g %7d %9.1f%%  %-7s %7.4f %14.1f", q, w, 100 * row.base_rate, row.model, row.pr_auc, row.pr_auc / row.base_rate))
    end
  end
end

local out = base .. ".csv"
t:write_csv(out)
os.remove(base .. ".partial.csv")   -- a partial table left by an interrupted run is now superseded
if not options.quiet then
  io.stderr:write(string.format("sweep_thresholds: wrote %s (%.1f s in all)\n", out, rally.clock() - t0))
end
