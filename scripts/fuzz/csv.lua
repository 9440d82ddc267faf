-- CSV fuzzer for rally.load and ds:write, run through the real binary:
--
--   rally-shell scripts/fuzz/csv.lua --seed S --count N [--start K] [--dir DIR] [--verbose]
--
-- Writes five seed files of its own (plain; ';' + BOM + CR + decimal comma; date + hour ending;
-- DD-MM-YYYY; a PJM Data Miner long export), then for inputs K+1 .. K+N mutates one of them
-- (byte flips, insertions, truncation, duplicated / dropped / swapped lines, long lines, NUL,
-- invalid UTF-8, unbalanced quotes, other delimiters, extreme numbers and timestamps, header
-- names holding delimiters, control bytes or "time", many empty header fields) and loads it
-- with randomised options. Input i depends only on (S, i), so a campaign can run in chunks.
--
-- Every input must either load, and then give ds:describe/head/tail/report and survive
-- ds:write -> rally.load with the same names, times and values bit for bit (or ds:write
-- refuses with a short message), or fail with a
-- message that is at most 600 bytes, valid UTF-8 without control bytes or U+FFFD, names the
-- file (and, for content errors, the line: "file:LINE"), and names the decimal / delimiter /
-- format option when one was given and the message is about what it governs.
--
-- Before each load the input is written to DIR/input.csv and a reproducer to DIR/last.lua
-- (rally-shell DIR/last.lua repeats the load), so a crash leaves both behind (scripts/fuzz/run.sh
-- prints them). Ends with "N passed, M failed"; exits 1 when M > 0.

local function usage(message)
  io.stderr:write("csv.lua: ", message, "\nusage: rally-shell scripts/fuzz/csv.lua --seed S --count N [--start K] [--dir DIR] [--verbose]\n")
  os.exit(2)
end

local opts = { seed = 1, count = 1000, start = 0, verbose = false }
do
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
end
if opts.count < 0 or opts.start < 0 then usage("--count and --start must be >= 0") end
local dir = opts.dir or ("/tmp/rally-fuzz-csv-" .. opts.seed)
os.execute("mkdir -p '" .. dir .. "'")
local input_path = dir .. "/input.csv"
local output_path = dir .. "/roundtrip.csv"

local function writefile(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- seeds ------------------------------------------------------------------------------------

local function two(n) return string.format("%02d", n) end

local function hourly(n, fmt)
  local out, day, hour = {}, 1, 0
  for _ = 1, n do
    out[#out + 1] = fmt(day, hour)
    hour = hour + 1
    if hour == 24 then hour, day = 0, day + 1 end
  end
  return out
end

local seeds = {}
do
  local rows = { "time,price,load" }
  for k, t in ipairs(hourly(40, function(d, h) return "2013-01-" .. two(d) .. " " .. two(h) .. ":00" end)) do
    rows[#rows + 1] = t .. "," .. string.format("%.3f", 20 + (k * 7 % 13) * 1.37) .. "," .. (9000 + k * 11)
  end
  seeds[#seeds + 1] = { name = "plain", text = table.concat(rows, "\n") .. "\n" }

  rows = { "\239\187\191Date;Price EUR;Load" }
  for k, t in ipairs(hourly(40, function(d, h) return "2013-01-" .. two(d) .. " " .. two(h) .. ":00" end)) do
    rows[#rows + 1] = t .. ";" .. string.format("%d,%02d", 20 + k % 9, k * 3 % 100) .. ";" .. (500 + k)
  end
  seeds[#seeds + 1] = { name = "semicolon-bom-cr", text = table.concat(rows, "\r") .. "\r", decimal = "," }

  rows = { "Date,HE,price" }
  for d = 1, 2 do for h = 1, 24 do rows[#rows + 1] = "2013-03-" .. two(d + 10) .. "," .. h .. "," .. (h * 1.25) end end
  seeds[#seeds + 1] = { name = "date-hour", text = table.concat(rows, "\n") .. "\n" }

  rows = { "Datum;Preis" }
  for k, t in ipairs(hourly(40, function(d, h) return two(d + 14) .. "-01-2013 " .. two(h) .. ":00" end)) do
    rows[#rows + 1] = t .. ";" .. (30 + k % 7) .. "." .. (k % 10)
  end
  seeds[#seeds + 1] = { name = "dd-mm-yyyy", text = table.concat(rows, "\n") .. "\n" }

  rows = { "datetime_beginning_utc,datetime_beginning_ept,pnode_id,pnode_name,voltage,equipment,type,zone,"
           .. "system_energy_price_da,total_lmp_da,congestion_price_da,marginal_loss_price_da,row_is_current,version_nbr" }
  for h = 5, 16 do
    local utc = string.format("1/15/2024 %d:00:00 %s", h > 12 and h - 12 or h, h >= 12 and "PM" or "AM")
    local ept = string.format("1/15/2024 %d:00:00 AM", h - 5 == 0 and 12 or h - 5)
    rows[#rows + 1] = utc .. "," .. ept .. ",33092371,COMED,,,ZONE,COMED,20.00," .. (21 + h) .. ".50,1.00,0.50,TRUE,1"
    rows[#rows + 1] = utc .. "," .. ept .. ",51291,AECO,,,ZONE,AECO,20.00," .. (19 + h) .. ".80,-0.30,0.10,TRUE,1"
  end
  seeds[#seeds + 1] = { name = "dataminer", text = table.concat(rows, "\r\n") .. "\r\n", dataminer = true }
end

-- mutations ---------------------------------------------------------------------------------

local R = math.random
local interesting = { ",", ";", "\t", "\"", "\r", "\n", "\0", "\255", "\195", "\239\187\191", " ", "1", "-", ".", "e", ":", "/", "\127", "\1" }
local numbers = { "1e309", "-1e309", "1e-400", "nan", "NaN", "inf", "-inf", "-0", "1e15", "123456789012345678901234567890",
                  "0x1p3", "4.9e-324", "1.7976931348623157e308", "1,5", "1.5", "+.5", "5.", "1e", "--1", "" }
local times = { "9999-12-31 23:00", "0000-01-01 00:00", "2013-02-29 00:00", "2013-01-01 00:00:30", "2013-01-01 24:00",
                "2012-12-31 23:00", "2013-01-01", "01/02/2013 00:00", "1970-01-01 00:00", "2013-03-10 02:00" }
local names = { "time", "a,b", "a;b", "a\tb", "x\1y", "\"q\"", "", " pad ", "Date", "HE", "price", "\0", "\255\254",
                "datetime_beginning_utc", "total_lmp_da" }

local function lines_of(text)
  local out = {}
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do out[#out + 1] = l end
  if out[#out] == "" then out[#out] = nil end
  return out
end

local function pick(t) return t[R(#t)] end

local function replace_field(text, choices)
  -- replaces one delimited field (between separators) somewhere with a choice
  local ls = lines_of(text)
  if #ls < 2 then return text end
  local k = R(2, #ls)
  local fields = {}
  for f in (ls[k] .. ","):gmatch("([^,;]*)[,;]") do fields[#fields + 1] = f end
  if #fields == 0 then return text end
  local j = R(#fields)
  local old = fields[j]
  local s, e = ls[k]:find(old, 1, true)
  if not s then return text end
  ls[k] = ls[k]:sub(1, s - 1) .. pick(choices) .. ls[k]:sub(e + 1)
  return table.concat(ls, "\n") .. "\n"
end

local mutators = {
  function(t) if #t == 0 then return t end local p = R(#t) return t:sub(1, p - 1) .. string.char(R(0, 255)) .. t:sub(p + 1) end,
  function(t) local p = R(#t + 1) return t:sub(1, p - 1) .. pick(interesting) .. t:sub(p) end,
  function(t) if #t == 0 then return t end local p = R(#t) return t:sub(1, p - 1) .. t:sub(p + R(1, 20)) end,
  function(t) return t:sub(1, R(0, #t)) end,
  function(t) local ls = lines_of(t) if #ls == 0 then return t end local k = R(#ls) table.insert(ls, k, ls[k]) return table.concat(ls, "\n") .. "\n" end,
  function(t) local ls = lines_of(t) if #ls == 0 then return t end table.remove(ls, R(#ls)) return table.concat(ls, "\n") .. "\n" end,
  function(t) local ls = lines_of(t) if #ls < 3 then return t end local a, b = R(2, #ls), R(2, #ls) ls[a], ls[b] = ls[b], ls[a] return table.concat(ls, "\n") .. "\n" end,
  function(t) local p = R(#t + 1) return t:sub(1, p - 1) .. string.rep(pick(interesting), R(1000, R(2) == 1 and 5000 or 100000)) .. t:sub(p) end,
  function(t) local p = R(#t + 1) return t:sub(1, p - 1) .. string.rep("\"", R(1, 64)) .. t:sub(p) end,
  function(t) local d = pick({ ",", ";", "\t", "|" }) return (t:gsub(pick({ ",", ";" }), d)) end,
  function(t) return replace_field(t, numbers) end,
  function(t) return replace_field(t, times) end,
  function(t) local ls = lines_of(t) if #ls == 0 then return t end
    local p = R(#ls[1] + 1) ls[1] = ls[1]:sub(1, p - 1) .. pick(names) .. ls[1]:sub(p) return table.concat(ls, "\n") .. "\n" end,
  function(t) local ls = lines_of(t) if #ls == 0 then return t end
    ls[1] = ls[1] .. string.rep(pick({ ",", ";" }), R(1, R(2) == 1 and 50 or 3000)) return table.concat(ls, "\n") .. "\n" end,
  function(t) return t:gsub("\n", "\r\n") end,
  function(t) local ls = lines_of(t) for k = 2, #ls do if R(4) == 1 then ls[k] = "" end end return table.concat(ls, "\n") .. "\n" end,
  function(t) local ls = lines_of(t) if #ls < 3 then return t end local a = R(2, #ls) table.insert(ls, a, (ls[a]:gsub("^[^,;]*", pick(times)))) return table.concat(ls, "\n") .. "\n" end,
}

local function random_options(seed, header)
  local o = {}
  if R(6) == 1 then o.delimiter = pick({ ",", ";", "\t" }) end
  if seed.decimal and R(3) > 1 then o.decimal = seed.decimal elseif R(8) == 1 then o.decimal = pick({ ".", "," }) end
  if R(8) == 1 then o.format = pick({ "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d", "%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M" }) end
  if R(10) == 1 and header[1] then o.time = header[1] end
  if R(4) == 1 then o.sort = true end
  if R(4) == 1 then o.duplicates = pick({ "first", "last", "mean" }) end
  if R(4) == 1 then o.fill = pick({ "ffill", "interpolate" }) end
  if R(8) == 1 then o.dst = "us" end
  if R(10) == 1 then o.hours = pick({ "beginning", "ending" }) end
  if R(10) == 1 and header[2] then o.columns = { v = header[2] } end
  if seed.dataminer or R(30) == 1 then
    if R(4) == 1 then o.pnodes = { pick({ "COMED", "AECO", "51291", "nope" }) } end
    if R(4) == 1 then o.component = pick({ "total", "energy", "congestion", "loss" }) end
    if R(4) == 1 then o.utc_offset = R(-14, 14) end
  end
  return o
end

-- checks ------------------------------------------------------------------------------------

local function lua_literal(v)
  if type(v) == "string" then return string.format("%q", v)
  elseif type(v) ~= "table" then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = (type(k) == "number" and "" or ("[" .. string.format("%q", k) .. "] = ")) .. lua_literal(v[k])
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local function message_problem(msg, path, o)
  if type(msg) ~= "string" then return "error is a " .. type(msg) .. ", not a string" end
  if #msg > 600 then return "message of " .. #msg .. " bytes" end
  if msg:find("[%z\1-\31\127]") then return "message holds a control byte" end
  if not utf8.len(msg) then return "message is not valid UTF-8" end
  if msg:find("\239\191\189", 1, true) then return "message holds U+FFFD" end
  if not msg:find(path, 1, true) then return "message does not name the file" end
  local whole_file = msg:find(path .. ": the file is empty", 1, true) or msg:find(path .. ": no data rows", 1, true)
  if not whole_file and not msg:find(path:gsub("%p", "%%%0") .. ":%d") then return "content error without file:line" end
  if o.decimal and msg:find("expected a number", 1, true) and (msg:find("found \"[-+]?%d*[.,]%d+\"$") or msg:find("found \"[-+]?%d*[.,]%d+\" %(")) and not msg:find("decimal", 1, true) then
    return "number error does not name decimal"
  end
  if o.format and msg:find("expected a time", 1, true) and not msg:find("format", 1, true) then return "time error does not name format" end
  if o.delimiter and (msg:find("no time column", 1, true) or msg:find("fields as in the header", 1, true)) and not msg:find("delimiter", 1, true) then
    return "message does not name delimiter"
  end
  return nil
end

local function bits(v, i)
  local x = v[i]
  if x == nil or x ~= x then return "nan" end
  return string.pack("<d", x)
end

local function same(a, b)
  local na, nb = a:columns(), b:columns()
  if #na ~= #nb then return "column count " .. #na .. " became " .. #nb end
  for k = 1, #na do if na[k] ~= nb[k] then return "column " .. k .. " name changed" end end
  local ta, tb = a:timestamps(), b:timestamps()
  if #ta ~= #tb then return "row count " .. #ta .. " became " .. #tb end
  for i = 1, #ta do if ta[i] ~= tb[i] then return "timestamp " .. i .. " changed" end end
  for k = 1, #na do
    local ca, cb = a:col(na[k]), b:col(nb[k])
    for i = 1, #ca do if bits(ca, i) ~= bits(cb, i) then return "value " .. i .. " of column " .. k .. " changed" end end
  end
  return nil
end

local function check(text, o)
  local ok, ds = pcall(rally.load, input_path, o)
  if not ok then
    local problem = message_problem(ds, input_path, o)
    if problem then problem = problem .. ": " .. tostring(ds):sub(1, 300):gsub("[%c\128-\255]", function(c) return string.format("\\%d", c:byte()) end) end
    return problem, "error"
  end
  for _, method in ipairs{ "describe", "head", "tail", "report" } do
    local mok, text = pcall(ds[method], ds)
    if not mok or type(text) ~= "string" then return "ds:" .. method .. "() failed: " .. tostring(text):sub(1, 200), "loaded" end
  end
  local wok, werr = pcall(ds.write, ds, output_path)
  if not wok then
    if type(werr) ~= "string" or #werr > 600 or werr:find("[%z\1-\31\127]") then return "bad ds:write refusal: " .. tostring(werr):sub(1, 200), "loaded" end
    return nil, "refused"
  end
  local rok, back = pcall(rally.load, output_path)
  if not rok then return "round trip: written file does not load: " .. tostring(back):sub(1, 300), "loaded" end
  local diff = same(ds, back)
  if diff then return "round trip: " .. diff, "loaded" end
  return nil, "roundtrip"
end

-- campaign ----------------------------------------------------------------------------------

local passed, failed = 0, 0
local tally = { error = 0, roundtrip = 0, refused = 0, loaded = 0 }
for i = opts.start + 1, opts.start + opts.count do
  math.randomseed(opts.seed, i)
  local seed = seeds[R(#seeds)]
  local text = seed.text
  for _ = 1, R(R(2) == 1 and 1 or 4) do text = pick(mutators)(text) end
  local header = {}
  for f in ((lines_of(text)[1] or "") .. ","):gmatch("([^,;]*)[,;]") do header[#header + 1] = f end
  local o = random_options(seed, header)
  writefile(input_path, text)
  writefile(dir .. "/last.lua", string.format("-- seed %d input %d (%s)\nprint(rally.load(%q, %s))\n",
                                              opts.seed, i, seed.name, input_path, lua_literal(o)))
  local problem, outcome = check(text, o)
  tally[outcome] = tally[outcome] + 1
  if problem then
    failed = failed + 1
    local keep = string.format("%s/fail-%d-%d.csv", dir, opts.seed, i)
    writefile(keep, text)
    print(string.format("FAIL seed %d input %d (%s, options %s): %s; input kept as %s", opts.seed, i, seed.name, lua_literal(o), problem, keep))
  else
    passed = passed + 1
  end
  if opts.verbose and i % 1000 == 0 then io.stderr:write(string.format("csv fuzz: %d inputs\n", i - opts.start)) end
end
io.stderr:write(string.format("csv fuzz seed %d inputs %d..%d: %d errors, %d round trips, %d write refusals\n",
                              opts.seed, opts.start + 1, opts.start + opts.count, tally.error, tally.roundtrip, tally.refused))
print(string.format("%d passed, %d failed", passed, failed))
if failed > 0 then os.exit(1) end
