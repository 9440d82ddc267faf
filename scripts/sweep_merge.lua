-- Merges the resume files of a sweep run as shards into the table one run of the whole grid gives:
--
--   rally-shell scripts/sweep_merge.lua [--out FILE.csv] [--quiet] SHARD.json...
--
-- The files come from rally.sweep{..., shard = {index = i, count = n}, resume = FILE} (a recipe's
-- --shard i/n --resume FILE, or scripts/slurm/sweep.sbatch); in any order. Prints the table
-- (unless --quiet) and writes it to --out as CSV, byte-identical to the single run's. Files of
-- different sweeps, a configuration in two files, a missing or unfinished shard are errors.

local function usage(message)
  io.stderr:write("sweep_merge.lua: ", message, "\nusage: rally-shell scripts/sweep_merge.lua [--out FILE.csv] [--quiet] SHARD.json...\n")
  os.exit(2)
end

local recipe = require "recipe"
recipe.help(arg)
local out, quiet, files = nil, false, {}
local i = 1
while arg[i] do
  if arg[i] == "--out" then
    out = arg[i + 1] or usage("--out needs a value")
    i = i + 2
  elseif arg[i] == "--quiet" then
    quiet = true
    i = i + 1
  elseif arg[i]:sub(1, 2) == "--" then
    usage("unknown argument '" .. arg[i] .. "'")
  else
    files[#files + 1] = arg[i]
    i = i + 1
  end
end
if #files == 0 then usage("no shard files given") end

local t = rally.sweep_merge(files)
if not quiet then t:print() end
if out then
  t:write_csv(out)
  io.stderr:write(string.format("sweep_merge: %d files, %d runs -> %s\n", #files, #t, out))
end
