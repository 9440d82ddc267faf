-- Command-line and data handling shared by the recipes in scripts/: `local recipe = require "recipe"`
-- (rally-shell puts ./scripts and the script's own folder on package.path).
local recipe = {}

-- The header comment of the running script (arg[0]): its leading `--` lines without the `--`,
-- which is where every recipe documents its usage.
function recipe.header(args)
  local path = args and args[0]
  local file = path and io.open(path, "r")
  if not file then return nil end
  local lines = {}
  for line in file:lines() do
    if line:sub(1, 2) ~= "--" then break end
    lines[#lines + 1] = line:gsub("^%-%- ?", "")
  end
  file:close()
  return table.concat(lines, "\n")
end

-- With --help or -h anywhere among the arguments: prints the script's header comment (its usage)
-- to stdout and exits 0.
function recipe.help(args)
  for _, a in ipairs(args or {}) do
    if a == "--help" or a == "-h" then
      print(recipe.header(args) or ("cannot read " .. tostring(args[0]) .. "; its header comment is the usage"))
      os.exit(0)
    end
  end
end

-- Parses lua(1)'s `arg` table for a recipe. spec.valued lists the flags that take a value
-- (`--data PATH` -> options.data), spec.switches those that do not (`--quiet` -> options.quiet),
-- spec.defaults the starting values; a bad argument calls spec.usage(message). --help / -h prints
-- the script's header comment and exits 0 (recipe.help). A recipe whose default out is under
-- artifacts/ and that runs on the synthetic default (no --data) without --out writes into
-- <default out>synthetic/ (gitignored), never over the committed real-data artifacts.
function recipe.options(args, spec)
  recipe.help(args)
  local options, valued, switches = {}, {}, {}
  for k, v in pairs(spec.defaults or {}) do options[k] = v end
  for _, name in ipairs(spec.valued or {}) do valued["--" .. name] = name end
  for _, name in ipairs(spec.switches or {}) do switches["--" .. name] = name end
  local i = 1
  while args and args[i] do
    local flag = args[i]
    if valued[flag] then
      options[valued[flag]] = args[i + 1] or spec.usage(flag .. " needs a value")
      i = i + 2
    elseif switches[flag] then
      options[switches[flag]] = true
      i = i + 1
    else
      spec.usage("unknown argument '" .. flag .. "'")
    end
  end
  local default_out = spec.defaults and spec.defaults.out
  if default_out and default_out:match("^artifacts/") and valued["--data"] and options.data == nil and options.out == default_out and not recipe.given(args, "--out") then
    options.out = default_out:gsub("/*$", "/") .. "synthetic/"
  end
  return options
end

-- Whether `flag` is among the arguments.
function recipe.given(args, flag)
  for i = 1, #(args or {}) do if args[i] == flag then return true end end
  return false
end

-- options[key] as a whole number of at least `minimum` (nil when the option is absent); otherwise
-- usage("--key needs <what>, got '...'").
function recipe.whole(options, key, minimum, what, usage)
  local text = options[key]
  if text == nil then return nil end
  local n = math.tointeger(tonumber(text))
  if not n or n < minimum then usage("--" .. key .. " needs " .. what .. ", got '" .. tostring(text) .. "'") end
  return n
end

-- options.shard ("I/N") as rally.sweep's shard option (nil when absent); --shard needs --resume FILE,
-- the file the merge reads. A malformed value calls usage.
function recipe.shard(options, usage)
  if not options.shard then return nil end
  local i, n = options.shard:match("^(%d+)/(%d+)$")
  if not i then usage("--shard needs I/N (e.g. 2/4), got '" .. options.shard .. "'") end
  if not options.resume then usage("--shard needs --resume FILE: the merge reads each shard's resume file") end
  return { index = math.tointeger(tonumber(i)), count = math.tointeger(tonumber(n)) }
end

-- What a recipe says when it ran one shard of a sweep (table t): where its runs are and how to merge.
function recipe.shard_done(t, shard, resume, name, csv)
  io.stderr:write(string.format("%s: shard %d/%d: %d runs kept in %s; merge the %d shard files with\n" ..
    "  rally-shell scripts/sweep_merge.lua --out %s FILE...\n", name, shard.index, shard.count, #t, resume, shard.count, csv))
end

-- The dataset a recipe runs on (--data PATH, or the synthetic default) and a line saying which;
-- `purpose` ends the hint given with the synthetic default ("the real benchmark").
function recipe.data(path, purpose)
  if path then return rally.load(path), "data: " .. path end
  return rally.dataset.synthetic{ years = 6, seed = 1 },
    "data: SYNTHETIC default (rally.dataset.synthetic{years = 6, seed = 1}); pass --data ../shared/data/pjm_comed_2013_2018.csv for "
      .. purpose
end

return recipe
