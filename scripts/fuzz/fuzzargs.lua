-- The command line every fuzzer in scripts/fuzz/ takes: --seed S --count N [--start K] [--dir DIR]
-- [--verbose]. `local opts = require("fuzzargs").parse("csv", 1000)` (rally-shell puts the script's
-- folder on package.path); opts.dir defaults to /tmp/rally-fuzz-<name>-<seed> and is created.
local fuzzargs = {}

function fuzzargs.parse(name, count)
  local function usage(message)
    io.stderr:write(name, ".lua: ", message, "\nusage: rally-shell scripts/fuzz/", name,
      ".lua --seed S --count N [--start K] [--dir DIR] [--verbose]\n")
    os.exit(2)
  end
  local opts = { seed = 1, count = count, start = 0, verbose = false }
  local i = 1
  while arg and arg[i] do
    local a = arg[i]
    if a == "--verbose" then opts.verbose = true; i = i + 1
    elseif a == "--seed" or a == "--count" or a == "--start" or a == "--dir" then
      local v = arg[i + 1] or usage(a .. " needs a value")
      if a == "--dir" then opts.dir = v
      else opts[a:sub(3)] = math.tointeger(tonumber(v)) or usage(a .. " needs a whole number, got " .. v) end
      i = i + 2
    else usage("unknown argument " .. a) end
  end
  if opts.count < 0 or opts.start < 0 then usage("--count and --start must be >= 0") end
  opts.dir = opts.dir or ("/tmp/rally-fuzz-" .. name .. "-" .. opts.seed)
  os.execute("mkdir -p '" .. opts.dir .. "'")
  return opts
end

return fuzzargs
