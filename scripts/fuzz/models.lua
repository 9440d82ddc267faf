-- Model-file mutation fuzzer for rally.model.load, run through the real binary:
--
--   rally-shell scripts/fuzz/models.lua --seed S --count N [--start K] [--dir DIR] [--verbose]
--
-- Fits one model of every kind (naive, logreg, climatology, gbdt, calibrated logreg and gbdt) on
-- a small table, saves each, and saves two forecasting bundles (m:save_bundle: logreg and gbdt on
-- a synthetic year); then for inputs K+1 .. K+N mutates one saved file (byte flips, deletions, insertions of JSON
-- tokens and extreme numbers, numbers replaced, arrays emptied or cut, truncation, deep
-- nesting, duplicated keys, child indices of gbdt trees rewritten to other nodes, -1, huge or
-- negative values) and loads it. A file that loads is used: predict, describe, importance,
-- params, report, save and load again; a bundle (read by rally.bundle.load) forecasts and is
-- saved and read again. Input i depends only on (S, i).
--
-- Every input must load or fail with a Lua error whose message is a string; for gbdt files and
-- bundles (rally's file checks, XGBoost's bounded messages) at most 600 bytes without control bytes.
-- Long or raw messages about the other kinds (which quote names from the file as they are) are
-- counted and shown on stderr, not failed, until those readers bound them. Before each load the input is written to DIR/input.json and a
-- reproducer to DIR/last.lua, so a crash or a hang leaves both (scripts/fuzz/run.sh prints them).
-- Ends with "N passed, M failed"; exits 1 when M > 0.

local opts = require("fuzzargs").parse("models", 200)
local dir = opts.dir
local input_path = dir .. "/input.json"

local function readfile(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

local function writefile(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- seeds: one saved file per model kind ------------------------------------------------------

local X, y = { gap_to_thr = {}, hour = {}, month = {}, a = {} }, {}
for i = 1, 240 do
  X.gap_to_thr[i] = math.cos(i) * 10
  X.hour[i] = i % 24
  X.month[i] = i % 12 + 1
  X.a[i] = math.sin(i * 0.7)
  y[i] = (math.sin(i) + (i % 24) / 24 > 0.9) and 1 or 0
end
local seeds = {}
for _, m in ipairs{ rally.model.naive(), rally.model.logreg{ C = 1 }, rally.model.new("climatology"), rally.model.gbdt{ rounds = 4, depth = 3 },
                    rally.model.calibrated{ base = rally.model.logreg(), method = "isotonic", holdout = 60, embargo = 5 },
                    rally.model.calibrated{ base = rally.model.gbdt{ rounds = 4, depth = 3 }, holdout = 60, embargo = 5 } } do
  m:fit(X, y)
  local path = dir .. "/seed-" .. m.name .. ".json"
  m:save(path)
  seeds[#seeds + 1] = { kind = m.kind, text = readfile(path) }
end
local ds = rally.dataset.synthetic{ years = 1, seed = 4 }
local fx = rally.features{ lags = { 0, 1 }, rolling = { { stat = "mean", window = 24 } }, gap_to_thr = true, calendar = { "hour" } }
for _, m in ipairs{ rally.model.logreg(), rally.model.gbdt{ rounds = 4, depth = 3 } } do
  local path = dir .. "/seed-bundle-" .. m.kind .. ".json"
  rally.forecast{ data = ds, features = fx, labeler = rally.labeler.quantile{}, model = m }:model():save_bundle(path)
  seeds[#seeds + 1] = { kind = "bundle", text = readfile(path) }
end

-- mutations ---------------------------------------------------------------------------------

local R = math.random
local function pick(t) return t[R(#t)] end
local tokens = { "[", "]", "{", "}", "\"", ",", ":", "-1", "0", "99999999", "4294967296", "-2147483648", "2147483647",
                 "1e400", "-1e400", "NaN", "null", "[]", "{}", "true", "\"\"", "\\u0000", "1.5", "\0", "\255" }
local numbers = { "-1", "0", "1", "2", "3", "99999999", "4294967296", "-4294967296", "2147483647", "2147483648",
                  "9223372036854775807", "18446744073709551616", "1e308", "1e400", "-0", "0.5", "1e-320", "3.0" }

-- byte positions of numbers in text
local function number_spans(text)
  local out = {}
  for s, e in text:gmatch("()%-?%d[%d%.eE%+%-]*()") do out[#out + 1] = { s, e } end
  return out
end

local function replace_span(text, s, e, with) return text:sub(1, s - 1) .. with .. text:sub(e) end

local mutators = {
  function(t) local p = R(#t) return t:sub(1, p - 1) .. string.char(R(0, 255)) .. t:sub(p + 1) end,
  function(t) local p = R(#t) return t:sub(1, p - 1) .. t:sub(p + R(1, 40)) end,
  function(t) local p = R(#t + 1) return t:sub(1, p - 1) .. pick(tokens) .. t:sub(p) end,
  function(t) local ns = number_spans(t) if #ns == 0 then return t end local n = pick(ns) return replace_span(t, n[1], n[2], pick(numbers)) end,
  function(t) local ns = number_spans(t) if #ns == 0 then return t end local n = pick(ns) return replace_span(t, n[1], n[2], tostring(R(-3, 40))) end,
  function(t) -- an innermost array emptied, cut or doubled
    local spans = {}
    for s, e in t:gmatch("()%[[^%[%]{}]*%]()") do spans[#spans + 1] = { s, e } end
    if #spans == 0 then return t end
    local a = pick(spans)
    local inner = t:sub(a[1] + 1, a[2] - 2)
    local choice = R(3)
    local new = choice == 1 and "[]" or choice == 2 and ("[" .. inner:sub(1, R(0, #inner)):gsub(",%s*$", "") .. "]")
                or ("[" .. inner .. (#inner > 0 and ", " .. inner or "") .. "]")
    return replace_span(t, a[1], a[2], new)
  end,
  function(t) return t:sub(1, R(0, #t)) end,
  function(t) local p = R(#t + 1) local k = R(2) == 1 and R(1, 64) or R(1000, 200000) return t:sub(1, p - 1) .. string.rep("[", k) .. t:sub(p) end,
  function(t) -- a "key": value pair duplicated
    local spans = {}
    for s, e in t:gmatch("()\"[%w_]+\":%s*[^,{}%[%]]+()") do spans[#spans + 1] = { s, e } end
    if #spans == 0 then return t end
    local a = pick(spans)
    return t:sub(1, a[2] - 1) .. ", " .. t:sub(a[1], a[2] - 1) .. t:sub(a[2])
  end,
  function(t) -- a child index of a gbdt tree rewritten
    local spans = {}
    for s, e in t:gmatch("\"[lr][ei][fg][th]t?_children\":%s*()%[[^%]]*%]()") do spans[#spans + 1] = { s, e } end
    for s, e in t:gmatch("\"parents\":%s*()%[[^%]]*%]()") do spans[#spans + 1] = { s, e } end
    if #spans == 0 then return t end
    local a = pick(spans)
    local inner = t:sub(a[1], a[2] - 1)
    local ns = number_spans(inner)
    if #ns == 0 then return t end
    local n = pick(ns)
    local v = R(4) == 1 and pick(numbers) or tostring(R(-2, 16))
    return t:sub(1, a[1] - 1) .. replace_span(inner, n[1], n[2], v) .. t:sub(a[2])
  end,
  function(t) -- two numbers swapped
    local ns = number_spans(t)
    if #ns < 2 then return t end
    local a, b = pick(ns), pick(ns)
    if a[1] > b[1] then a, b = b, a end
    if a[2] > b[1] then return t end
    return t:sub(1, a[1] - 1) .. t:sub(b[1], b[2] - 1) .. t:sub(a[2], b[1] - 1) .. t:sub(a[1], a[2] - 1) .. t:sub(b[2])
  end,
}

-- checks ------------------------------------------------------------------------------------

local long, long_example = 0, nil
local current_kind
local function bad_message(msg)
  if type(msg) ~= "string" then return "error is a " .. type(msg) .. ", not a string" end
  if #msg > 600 then
    local shown = "message of " .. #msg .. " bytes: " .. msg:sub(1, 160):gsub("%c", "?")
    if current_kind == "gbdt" or current_kind == "bundle" then return shown end
    long = long + 1
    long_example = long_example or shown
    return nil
  end
  if msg:find("[%z\1-\31\127]") then
    local shown = "message holds a control byte: " .. msg:sub(1, 160):gsub("%c", "?")
    if current_kind == "gbdt" or current_kind == "bundle" then return shown end
    long = long + 1
    long_example = long_example or shown
  end
  return nil
end

-- The first unreadable error any of `calls` raises (an error is fine; a bad message is not), or nil.
local function first_problem(calls)
  for _, f in ipairs(calls) do
    local ok, err = pcall(f)
    if not ok then
      local problem = bad_message(err)
      if problem then return problem end
    end
  end
  return nil
end

local function use_bundle(b)
  local calls = {
    function() return tostring(b), b.features, b.labeler, b.columns end, function() return b:model():describe() end,
    function() return rally.forecast{ data = ds, bundle = b }:rows() end,
    function() b:model():save_bundle(dir .. "/resaved.json") return rally.bundle.load(dir .. "/resaved.json") end,
  }
  return first_problem(calls)
end

local function use(m)
  local calls = {
    function() return m:predict(X) end, function() return m:describe() end, function() return m:importance() end,
    function() return m:params() end, function() return m:report() end,
    function() m:save(dir .. "/resaved.json") return rally.model.load(dir .. "/resaved.json") end,
  }
  return first_problem(calls)
end

-- campaign ----------------------------------------------------------------------------------

local passed, failed, loaded = 0, 0, 0
for i = opts.start + 1, opts.start + opts.count do
  math.randomseed(opts.seed, i)
  local seed = seeds[R(#seeds)]
  current_kind = seed.kind
  local text = seed.text
  for _ = 1, R(R(2) == 1 and 1 or 3) do text = pick(mutators)(text) end
  writefile(input_path, text)
  local bundle = seed.kind == "bundle"
  local loader = bundle and "rally.bundle.load" or "rally.model.load"
  writefile(dir .. "/last.lua", string.format("-- seed %d input %d (%s)\nlocal m = %s(%q)\nprint(m, %s)\n",
                                              opts.seed, i, seed.kind, loader, input_path, bundle and "m:model():describe()" or "m:describe()"))
  local problem
  local ok, m = pcall(bundle and rally.bundle.load or rally.model.load, input_path)
  if ok then
    loaded = loaded + 1
    problem = bundle and use_bundle(m) or use(m)
  else
    problem = bad_message(m)
  end
  if problem then
    failed = failed + 1
    local keep = string.format("%s/fail-%d-%d.json", dir, opts.seed, i)
    writefile(keep, text)
    print(string.format("FAIL seed %d input %d (%s): %s; input kept as %s", opts.seed, i, seed.kind, problem, keep))
  else
    passed = passed + 1
  end
  if opts.verbose and i % 500 == 0 then io.stderr:write(string.format("model fuzz: %d inputs\n", i - opts.start)) end
end
io.stderr:write(string.format("model fuzz seed %d inputs %d..%d: %d loaded\n", opts.seed, opts.start + 1, opts.start + opts.count, loaded))
if long > 0 then io.stderr:write(string.format("model fuzz: %d long or raw messages from naive/logreg/climatology files, e.g. %s\n", long, long_example)) end
print(string.format("%d passed, %d failed", passed, failed))
if failed > 0 then os.exit(1) end
