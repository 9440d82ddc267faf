--[[
scripts/fuzz/api.lua -- a fuzzer for rally's Lua API. "Lua errors, never crashes": every call it
makes must return or raise a Lua error; the process dying (a signal, a Swift trap) is the bug.

  rally-shell scripts/fuzz/api.lua --seed S [--count N] [--start K] [--dir SCRATCH]
                                   [--last FILE] [--trace] [--show] [--profile] [--report FILE]

It walks `rally` (functions, callable submodules) and the metatables of the registered classes
(debug.getregistry()["rally.<Class>"].methods) to find every function and method, builds one
valid object of each class (the pool; small data, for speed) and then makes calls K .. K+N-1.
Call i is a pure function of (S, i): its source text is generated from a generator seeded
with both, so `--start i --count 1` makes the same call again. A call is a valid template of
its target mutated 0-3 times (an argument or an option replaced by an extreme value: nil,
booleans, +-0, NaN, +-inf, min/max integers, 2^53, huge, empty, NUL and invalid UTF-8
strings, nested and cyclic tables, wrong-class, closed and fresh objects, functions that error,
yield, collect garbage or close objects, coroutines; an option removed or added), or random
arguments; some calls run inside a coroutine. Lua-defined models whose fit/predict error,
yield, or return wrong lengths, NaN, strings or values outside [0, 1] are in the pool.

--last FILE: before each call, a self-contained Lua reproducer of it (the pool's source, then
the call) is written to FILE, so a wrapper (scripts/fuzz/api.sh) can print it when the process
dies. --trace prints "seed S call i: <target>" before each call, --show the call's source;
--profile, at the end, seconds, calls and the share that returned, per target. --dir: where path arguments
point (a scratch directory; run from it, as api.sh does: relative paths land there too).
Totals: "N passed, 0 failed" (passed = returned or raised a Lua error; failed = a call that
broke an invariant the script can see: a non-string error value, an argument error wrapped in
another ("bad argument #n to 'f' (bad argument ..."), a Swift detail in a message ("Optional(",
a type's module name, "Fatal error"), or a pool object damaged);
--report FILE appends "passed failed returned errors longest" for api.sh. Paths that writing
methods (ds:write, m:save, ...) get are put in --dir whatever they are; made-up strings never
start with '/' nor hold '.'.
]]

local opts = {seed = 1, count = 1000, start = 1, dir = nil, last = nil, trace = false, report = nil, show = false, profile = false}
do
    local i = 1
    while i <= #arg do
        local a = arg[i]
        local key = a:match("^%-%-(.+)$")
        if key == "trace" then opts.trace = true
        elseif key == "show" then opts.show = true
        elseif key == "profile" then opts.profile = true
        elseif key == "help" then print((debug.getinfo(1, "S").source:sub(2))); return
        elseif key and opts[key] ~= nil or key == "dir" or key == "last" or key == "report" then
            opts[key] = arg[i + 1]; i = i + 1
        else error("unknown argument " .. tostring(a) .. " (see the header of scripts/fuzz/api.lua)") end
        i = i + 1
    end
    opts.seed = math.tointeger(tonumber(opts.seed)) or error("--seed: an integer expected")
    opts.count = math.tointeger(tonumber(opts.count)) or error("--count: an integer expected")
    opts.start = math.tointeger(tonumber(opts.start)) or error("--start: an integer expected")
end
-- made-up relative paths (an option such as out = "x") land in the working directory: it must
-- be the scratch directory, never the repository
assert(opts.dir and opts.dir:sub(1, 1) == "/" and not opts.dir:find("'", 1, true),
       "--dir: the absolute path of a scratch directory, which must also be the working directory: "
       .. "cd \"$(mktemp -d)\" && rally-shell .../scripts/fuzz/api.lua --dir \"$PWD\" (or use scripts/fuzz/api.sh)")
do
    local probe = "rally-fuzz-cwd-probe-" .. tostring(os.time()) .. "-" .. tostring(math.random(1 << 30))
    local f = io.open(probe, "w")
    if f then f:close() end
    local found = io.open(opts.dir .. "/" .. probe, "r")
    os.remove(probe)
    if found then found:close() else
        error("the working directory is not --dir " .. opts.dir .. ": run from it (cd there first) or use scripts/fuzz/api.sh")
    end
end

-- The pool: one valid object of each class, closed objects, Lua-defined models. Its source is
-- also the head of every reproducer, so it is kept as text and run with load().
local POOL = [==[
local D = ...
local P = {}
P.full = rally.dataset.synthetic{years = 1}
P.ds = P.full:slice("2013-01-01", "2013-03-31")
P.vec = P.ds.price
P.y01 = rally.vector{1, 0, 1, 0, 0, 1, 0, 0}
P.p01 = rally.vector{0.9, 0.1, 0.8, 0.3, 0.2, 0.7, 0.4, 0.1}
P.fx = rally.features{col = "price", horizon = 24, lags = {0, 1}, rolling = {{stat = "mean", window = 24}},
                      gap_to_thr = true, calendar = {"hour", "dow", "month"}, exogenous = {"sys_load_fc"}}
P.fxv1 = rally.features.protocol_v1()
P.lab = rally.labeler.quantile{col = "price", q = 0.95, window = 168, horizon = 24}
P.labs = P.lab:apply(P.ds)
P.y = P.labs.labels
P.sp = rally.split{train_end = "2013-02-28 23:00", test_start = "2013-03-01", embargo = 24}
P.wf = rally.walkforward{first_test = "2013-02-15", step = "month", embargo = 24, data = P.ds}
P.X = P.fx:build(P.ds, P.lab)
P.m = rally.model.naive()
P.mf = rally.model.logreg{}:fit(P.X, P.y)
P.mg = rally.model.gbdt{rounds = 3, max_depth = 2, nthread = 1}:fit(P.X, P.y)
P.res = rally.evaluate{data = P.ds, features = P.fx, labeler = P.lab, split = P.sp,
                       models = {rally.model.naive(), rally.model.climatology()}, bootstrap = 0, quiet = true}
P.sw = rally.sweep{data = P.ds, features = P.fx, labeler = P.lab, split = P.sp, models = {rally.model.naive()},
                   grid = {q = {0.9, 0.95}}, bootstrap = 0, quiet = true, threads = 1}
-- Lua-defined models: fit/predict that work, error, yield, or return what they must not
local function rate(self, X, y)
    local s, n = 0, 0
    for i = 1, #y do if y[i] == y[i] then s = s + y[i]; n = n + 1 end end
    self.rate = n > 0 and s / n or 0.5
end
local function const(v) return function(self, X) local p = {n = X.n} for i = 1, X.n do p[i] = v end return p end end
local function sized(d) return function(self, X) local p = {} for i = 1, math.max(X.n + d, 0) do p[i] = 0.5 end return p end end
P.kinds = {
    fz_ok = {params = {k = {default = 3, min = 1, max = 24, integer = true}, prior = 0.5, mode = {default = "a", choices = {"a", "b"}}},
             fit = rate, predict = function(self, X) return const(self.rate or 0.5)(self, X) end},
    fz_vec = {fit = rate, predict = function(self, X) local p = {} for i = 1, X.n do p[i] = 0.25 end return rally.vector(p) end},
    fz_fit_err = {fit = function() error("fit fails") end, predict = const(0.5)},
    fz_fit_errobj = {fit = function() error(setmetatable({}, {__tostring = function() error("tostring fails") end})) end, predict = const(0.5)},
    fz_pred_err = {fit = rate, predict = function() error({code = 1}) end},
    fz_fit_yield = {fit = function(...) coroutine.yield(...) end, predict = const(0.5)},
    fz_pred_yield = {fit = rate, predict = function(self, X) return coroutine.yield(X) end},
    fz_short = {fit = rate, predict = sized(-1)},
    fz_long = {fit = rate, predict = sized(1)},
    fz_empty = {fit = rate, predict = function() return {} end},
    fz_nan = {fit = rate, predict = const(0 / 0)},
    fz_inf = {fit = rate, predict = const(1 / 0)},
    fz_above = {fit = rate, predict = const(1.5)},
    fz_below = {fit = rate, predict = const(-0.25)},
    fz_str = {fit = rate, predict = const("0.5")},
    fz_bool = {fit = rate, predict = const(true)},
    fz_nil = {fit = rate, predict = function() return nil end},
    fz_hugen = {fit = rate, predict = function() return {n = 2^40} end},
    fz_maxn = {fit = rate, predict = function() return {0.5, n = math.maxinteger} end},
    fz_negn = {fit = rate, predict = function() return {n = -1} end},
    fz_cyclic = {fit = rate, predict = function() local t = {} t[1] = t return t end},
    fz_closedvec = {fit = rate, predict = function(self, X) local v = rally.vector{0.5} v:close() return v end},
    fz_mutate = {fit = function(self, X, y) X.n = -1; X.names = nil; for k in pairs(X) do X[k] = nil end; y[1] = "x" end, predict = const(0.5)},
    fz_gc = {fit = function(self, X, y) collectgarbage() rate(self, X, y) end, predict = function(self, X) collectgarbage() return const(0.5)(self, X) end},
    fz_reenter = {fit = function(self, X, y) rally.metrics({1, 0}, {0.5, 0.5}) rate(self, X, y) end,
                  predict = function(self, X) P.mf:predict(P.X) return const(0.5)(self, X) end},
    fz_nested = {fit = function(self, X, y)
                     rally.evaluate{data = P.ds, features = P.fx, labeler = P.lab, split = P.sp, models = {rally.model.naive()},
                                    bootstrap = 0, quiet = true, threads = 2}
                     rate(self, X, y)
                 end, predict = const(0.5)},
    fz_selfmod = {fit = function(self, X, y) self.params = nil; self.name = 1 end, predict = const(0.5)},
}
local kindNames = {}
for name in pairs(P.kinds) do kindNames[#kindNames + 1] = name end
table.sort(kindNames)
P.kindNames = kindNames
for _, name in ipairs(kindNames) do rally.model.register(name, P.kinds[name]) end
-- one valid instance of each class, and a closed one
P.inst = {Dataset = P.ds, Vector = P.vec, FeatureSpec = P.fx, FeatureMatrix = P.X, Labeler = P.lab, Model = P.mf,
          Split = P.sp, Result = P.res, SweepTable = P.sw}
P.make = {
    Dataset = function() return P.ds:slice("2013-01-01", "2013-01-20") end,
    Vector = function() return rally.vector{1, 2, 0 / 0} end,
    FeatureSpec = function() return rally.features{lags = {0}} end,
    FeatureMatrix = function() return P.fx:build(P.ds, P.lab) end,
    Labeler = function() return P.lab:with{} end,
    Model = function() return rally.model.naive() end,
    Split = function() return rally.split{train_end = "2013-02-28 23:00", test_start = "2013-03-01", embargo = 24} end,
    Result = function() return rally.evaluate{data = P.ds, features = P.fx, labeler = P.lab, split = P.sp,
                                              models = {rally.model.naive()}, bootstrap = 0, quiet = true} end,
    SweepTable = function() return P.sw:top(3) end,
}
-- files that loading calls read: a dataset, a saved model, evaluation artifacts
P.ds:write(D .. "/f.csv")
P.mf:save(D .. "/m.json")
P.res:write(D)
P.closed = {}
for cls, make in pairs(P.make) do local o = make() o:close() P.closed[cls] = o end
-- F: fresh objects made on first use, one table per call (callbacks may close them)
function P.fresh()
    return setmetatable({}, {__index = function(t, cls)
        local make = P.make[cls]
        if not make then return nil end
        local o = make()
        rawset(t, cls, o)
        return o
    end})
end
return P
]==]

---------------------------------------------------------------------------------------------
local P -- the pool, made below
-- deterministic generator: splitmix64 seeding xoshiro-like state; call i uses its own stream
local function mix(x)
    x = x + 0x9E3779B97F4A7C15
    x = (x ~ (x >> 30)) * 0xBF58476D1CE4E5B9
    x = (x ~ (x >> 27)) * 0x94D049BB133111EB
    return x ~ (x >> 31)
end
local function rng(seed, index)
    local s = mix(mix(seed) ~ mix(index * 0x632BE59BD9B4E019))
    local r = {}
    local function next64() s = mix(s) return s end
    function r.int(n) -- uniform in 1..n
        return (next64() >> 1) % n + 1
    end
    function r.chance(p) return (next64() >> 11) / 2^53 < p end
    function r.pick(t) return t[r.int(#t)] end
    return r
end

---------------------------------------------------------------------------------------------
-- discovery
local targets = {}      -- {name =, kind = "function"|"method"|"index"|"len"|"tostring", path =, class =}
local classes = {}      -- class name -> list of method names
do
    local seen = {}
    local function walk(t, path)
        if seen[t] then return end
        seen[t] = true
        local keys = {}
        for k, v in pairs(t) do if type(k) == "string" then keys[#keys + 1] = k end end
        table.sort(keys)
        for _, k in ipairs(keys) do
            local v, p = t[k], path .. "." .. k
            if type(v) == "function" then targets[#targets + 1] = {name = p, kind = "function", path = p}
            elseif type(v) == "table" then
                walk(v, p)
                local mt = getmetatable(v)
                if mt and mt.__call then targets[#targets + 1] = {name = p .. "()", kind = "function", path = p} end
            end
        end
    end
    walk(rally, "rally")
    local names = {}
    for k, v in pairs(debug.getregistry()) do
        if type(k) == "string" and k:match("^rally%.%u") and type(v) == "table" and type(v.methods) == "table" then
            names[#names + 1] = k:sub(7)
        end
    end
    table.sort(names)
    for _, cls in ipairs(names) do
        local mt = debug.getregistry()["rally." .. cls]
        local ms = {}
        for m, f in pairs(mt.methods) do if type(f) == "function" then ms[#ms + 1] = m end end
        table.sort(ms)
        classes[cls] = ms
        for _, m in ipairs(ms) do targets[#targets + 1] = {name = cls .. ":" .. m, kind = "method", class = cls, method = m} end
        targets[#targets + 1] = {name = cls .. "[key]", kind = "index", class = cls}
        if mt.__len then targets[#targets + 1] = {name = "#" .. cls, kind = "len", class = cls} end
        targets[#targets + 1] = {name = "tostring(" .. cls .. ")", kind = "tostring", class = cls}
    end
end

-- option names of each function, from its help ("options:" then "  name ...")
local optionNames = {}
for _, t in ipairs(targets) do
    if t.kind == "function" then
        local doc = rally.help(t.path) or ""
        local names = {}
        local inOptions = false
        for line in doc:gmatch("[^\n]+") do
            if line == "options:" then inOptions = true
            elseif inOptions then
                local name = line:match("^  ([%w_]+)")
                if name then names[#names + 1] = name end
            end
        end
        -- model constructors list their parameters as "  name = default" or "  name (alias x) = "
        if #names == 0 then for name in doc:gmatch("\n  ([%w_]+)[^\n]-= ") do names[#names + 1] = name end end
        optionNames[t.name] = names
    end
end

---------------------------------------------------------------------------------------------
-- values, as Lua source text (evaluated with P (pool), F (fresh objects) and D (scratch dir) in scope)
local NUMBERS = {"0", "-0.0", "1", "-1", "2", "3", "24", "168", "0.5", "1.5", "-0.5", "0.05", "1e-9", "5e-324",
                 "0/0", "-(0/0)", "1/0", "-1/0", "math.maxinteger", "math.mininteger", "math.maxinteger + 0.0",
                 "2^53", "2^53 + 1", "-2^53", "2^63", "-2^63", "2^31", "2^32", "2^40", "1e308", "-1e308",
                 "1e6", "1e6 + 1", "100000", "100001", "1000", "1001", "12000", "200", "201", "672", "8760", "8761"}
local STRINGS = {'""', '"x"', '"price"', '"sys_load_fc"', '"nope"', '"2013-02-01"', '"2013-01-01 00:00"', '"2013-03-31 23:00"',
                 '"9999-12-31 23:00"', '"0000-01-01"', '"2013-02-30"', '"2013-13-01"', '"1970-01-01"', '"-2013-01-01"',
                 '"year"', '"month"', '"3 months"', '"2 years"', '"1000 years"', '"12000 months"', '"0 months"', '"-1 years"',
                 '"rolling"', '"expanding"', '"mean"', '"std"', '"quantile"', '"min"', '"max"', '"naive"', '"gbdt"', '"logreg"',
                 '"climatology"', '"pr_auc"', '"brier"', '"log_loss"', '"model"', '"q"', '"window"', '"horizon"', '"best"',
                 '"mean"', '"gain"', '"weight"', '"total_cover"', '"hour"', '"dow"', '"holiday"', '"lossguide"',
                 '"a\\0b"', '"\\0"', '"\\xff\\xfe"', '"\\xc3"', '"\\xed\\xa0\\x80"', '"caf\\xc3\\xa9"', '"\\27[2J"', '"\\r\\n\\t"',
                 '"%s%d%n%%"', '"nan"', '"inf"', '"-inf"', '"1e309"', '"0x10"', '" 1 "', 'string.rep("9", 400)',
                 'string.rep("x", 1 << 20)', 'string.rep("\\0", 4096)', 'string.rep("a,", 10000)', 'D', 'D .. "/out"',
                 'D .. "/no/such/dir/f"', 'D .. "/f.csv"', 'D .. "/m.json"', 'D .. "/nonexistent/f.csv"'}
local TABLES = {"{}", "{1, 2, 3}", "{0, 1}", "{1, 0, 1, 0}", "{0.5, 0.5}", "{n = 5}", "{n = -1}", "{n = 2^40}", "{n = math.maxinteger}",
                "{n = 0/0}", "{1, n = 1e6}", "{0/0, 1/0}", "{1, nil, 3}", '{"a", "b"}', "{{}}", "{{1}, {2}}", "{[true] = 1}",
                "{[1.5] = 1}", "{[0] = 1}", "{[-1] = 1}", "{[2^53] = 1}", "{x = 1, 1}", "{1, 2, 3, n = 2}",
                "(function() local t = {} t.t = t t[1] = t return t end)()",
                "(function() local t = {} for i = 1, 200 do t = {t} end return t end)()",
                "(function() local t = {} for i = 1, 100000 do t[i] = i % 2 end return t end)()",
                "(function() local t = {} for i = 1, 3000 do t[i] = (i * 7919 % 100) / 100 end return t end)()",
                "setmetatable({}, {__index = function() error('index fails') end})",
                "setmetatable({}, {__len = function() return 2^40 end, __pairs = function() error('pairs fails') end})",
                "setmetatable({1, 2}, {__newindex = function() error('newindex fails') end, __metatable = false})",
                "{stat = 'mean', window = 24}", "{{stat = 'quantile', q = 0.95, window = 672}}", "{q = {0.9, 0.95}}",
                "{q = {}}", "{q = 0.9}", "{q = {0.9, 0.9}}", "{q = {0.9, '0.9'}}",
                "(function() local t = {} for i = 1, 200 do t[i] = i end return {a = t, b = t, c = t, q = t} end)()", "{window = {24, 2^40}}", "{horizon = {0, 24}}", "{nope = {1}}",
                "{{from = '2013-03-01', to = '2013-03-05', title = 't'}}", "{price = 'x'}", "{'date', 'hour'}",
                -- X for m:fit / m:predict: columns, rows, and their n and names
                "{a = {1, 2}, n = 2^40}", "{a = {1, 2}, n = math.maxinteger}", "{a = {1, 2}, n = 1e6 + 3}", "{a = {0.5, 2}, n = 3}",
                "{a = {1, 2}, names = {'a', 'b'}}", "{a = {1, 2}, b = {1}}", "{a = {}, n = 0}", "{n = {}, names = {'n'}}",
                "{{1, 2}, {3}}", "{{a = 1}, {b = 2}}", "{{}, {}}", "{{1}, 2}", "{{0/0, 1/0}, {-1/0, 1}}",
                "(function() local r = {} for i = 1, 100000 do r[i] = 0.5 end local X = {} for i = 1, 100000 do X[i] = r end return X end)()",
                "(function() local c = {} for i = 1, 100000 do c[i] = 0.5 end local X = {} for i = 1, 1000 do X['f' .. i] = c end return X end)()",
                "{lag0 = {1, 2, 3, 4}, lag1 = {0, 0/0, 1, 2}, mean24 = {1, 1, 1, 1}, gap_to_thr = {0.5, 1.5, 2, 0}, hour = {0, 1, 2, 3}, dow = {1, 1, 1, 1}, month = {1, 1, 1, 1}, sys_load_fc = {1, 2, 3, 4}}"}
local FUNCTIONS = {"function() end", "function() error('boom') end", "function() error() end", "function() error({}) end",
                   "function(...) return ... end", "function() return coroutine.yield(1) end", "function() return 0/0 end",
                   "function() return 'x' end", "function() return true end", "function() collectgarbage() return true end",
                   "function(r) return r and r.model == 'naive' end",
                   "function() local t = {} for i = 1, 64 do t[i] = i end return table.unpack(t) end",
                   "function() return setmetatable({}, {__index = function() error('deep') end}) end",
                   "print", "error", "coroutine.yield", "rally.help", "function(...) return select('#', ...) > 0 end"}
local OTHERS = {"nil", "true", "false", "coroutine.create(function() end)",
                "(function() local c = coroutine.create(function() end) coroutine.resume(c) return c end)()",
                "coroutine.running()", "io.stderr", "rally", "rally.model", "P.closed.Dataset", "P.closed.Vector",
                "P.closed.Model", "P.closed.SweepTable", "P.closed.Result", "P.closed.FeatureMatrix", "P.closed.Split",
                "P.closed.Labeler", "P.closed.FeatureSpec"}
local POOLOBJ = {"P.ds", "P.full", "P.vec", "P.y", "P.y01", "P.p01", "P.fx", "P.fxv1", "P.lab", "P.sp", "P.wf", "P.X", "P.m",
                 "P.mf", "P.mg", "P.res", "P.sw", "P.labs", "P.labs.thresholds", "F.Dataset", "F.Vector", "F.Model",
                 "F.SweepTable", "F.FeatureSpec", "F.Split", "F.Labeler"}

local function closer(cls) return "function(...) F." .. cls .. ":close() collectgarbage() return true end" end

local function weird(r, depth)
    depth = depth or 0
    local roll = r.int(100)
    if roll <= 24 then return r.pick(NUMBERS)
    elseif roll <= 46 then
        if r.chance(0.15) then -- a random byte string: no '/' (no absolute path), no '.' (no '..')
            local b = {}
            for i = 1, r.int(24) - 1 do
                local c = r.int(256) - 1
                if c == 47 or c == 46 then c = 95 end
                b[i] = string.format("\\x%02x", c)
            end
            return '"' .. table.concat(b) .. '"'
        end
        return r.pick(STRINGS)
    elseif roll <= 62 then
        if depth < 2 and r.chance(0.3) then -- a list of weird values
            local items = {}
            for i = 1, r.int(4) do items[i] = weird(r, depth + 1) end
            return "{" .. table.concat(items, ", ") .. "}"
        end
        return r.pick(TABLES)
    elseif roll <= 72 then
        if r.chance(0.2) then return closer(r.pick({"Dataset", "Vector", "Model", "SweepTable", "Labeler", "Split"})) end
        return r.pick(FUNCTIONS)
    elseif roll <= 82 then return r.pick(OTHERS)
    elseif roll <= 86 then return 'rally.model.new("' .. r.pick({"fz_ok", "fz_nan", "fz_short", "fz_pred_yield", "fz_str",
                                                             "fz_hugen", "fz_above", "fz_fit_err", "fz_mutate", "fz_gc"}) .. '", {})'
    else return r.pick(POOLOBJ) end
end

---------------------------------------------------------------------------------------------
-- templates: valid argument lists (a string is source text; a table is a Lua table of such)
local function lm(kind) return 'rally.model.new("' .. kind .. '", {})' end
local EVAL = {data = "P.ds", features = "P.fx", labeler = "P.lab", split = "P.sp", models = {"rally.model.naive()", "F.Model"},
              bootstrap = "0", quiet = "true", threads = "1"}
local function with(base, extra)
    local t = {}
    for k, v in pairs(base) do t[k] = v end
    for k, v in pairs(extra) do t[k] = v end
    return t
end
local TEMPLATES = {
    ["rally.load"] = {{'D .. "/f.csv"'}, {'D .. "/f.csv"', {sort = "true", fill = '"ffill"', duplicates = '"mean"'}},
                      {'D .. "/dm.csv"', {pnodes = {'"COMED"'}, utc_offset = "-5"}}},
    ["rally.dataset.synthetic"] = {{{years = "1", seed = "3"}}, {{years = "1", start = '"2014-06-01"'}}},
    ["rally.vector"] = {{{"1", "2", "3"}}, {{"1", n = "3"}, '"v"'}, {"P.vec"}},
    ["rally.metrics"] = {{"P.y01", "P.p01"}, {"P.y01", "P.p01", {top = "0.25", bins = "4", threshold = "0.5", climatology = "0.3"}},
                         {{"1", "0", "1"}, {"0.2", "0.5", "0.9"}, {bins = "3"}}},
    ["rally.split"] = {{{train_end = '"2013-02-28 23:00"', test_start = '"2013-03-01"', embargo = "24", horizon = "24",
                         test_end = '"2013-03-20"', train_start = '"2013-01-05"'}}},
    ["rally.walkforward"] = {{{first_test = '"2013-02-01"', step = '"month"', embargo = "24", data = "P.ds"}},
                             {{first_test = '"2013-02-01"', step = '"1 months"', embargo = "24", stop = '"2013-04-01"',
                               window = '"rolling"', train = '"1 months"', horizon = "24"}}},
    ["rally.evaluate"] = {{EVAL}, {with(EVAL, {models = {lm("fz_ok"), lm("fz_nan")}})},
                          {with(EVAL, {models = {"rally.model.naive()", lm("fz_short")}, baseline = '"naive"'})},
                          {with(EVAL, {split = "nil", walkforward = "P.wf", models = {"rally.model.climatology()", lm("fz_pred_yield")}})},
                          {with(EVAL, {models = {"rally.model.naive()", lm("fz_hugen")}, bootstrap = "20", block = "24", seed = "1",
                                       top = "0.1", bins = "5", dm_lag = "3", min_positives = "5"})}},
    ["rally.sweep"] = {{with(EVAL, {grid = {q = {"0.9", "0.95"}}, metric = '"brier"'})},
                       {with(EVAL, {grid = {window = {"24", "48"}, horizon = {"1", "24"}}, models = {lm("fz_ok"), lm("fz_above")}})},
                       {with(EVAL, {grid = {q = "0.9"}, resume = 'D .. "/resume.json"'})}},
    ["rally.tune"] = {{{data = "P.ds", features = "P.fx", labeler = "P.lab", split = "P.sp", model = '"naive"', grid = {cut = {"1", "0.5"}},
                        inner_step = '"1 months"', bootstrap = "0", quiet = "true", threads = "1"}}},
    ["Result:events"] = {{{alarm = '"threshold"', threshold = "0.2", gap = "2", lead = "6"}}, {}},
    ["Result:value"] = {{{alpha = {"0.1", "0.5"}}}, {{alpha = "0.3"}}},
    ["rally.report"] = {{{artifacts = "D", out = 'D .. "/report"', resamples = "0", windows = {{from = '"2013-03-01"', to = '"2013-03-03"', title = '"w"'}}}}},
    ["rally.features()"] = {{{col = '"price"', horizon = "24", lags = {"0", "1", "24"}, rolling = {{stat = '"quantile"', q = "0.95", window = "48"}},
                              relative = {"168"}, gap_to_thr = "true", calendar = {'"hour"', '"holiday"'},
                              exogenous = {'"sys_load_fc"', {col = '"zonal_load_fc"', rel = "24"}},
                              ratio = {{'"lag0"', '"lag1"'}}, difference = {{'"lag0"', '"lag24"'}}}}},
    ["rally.features.rolling"] = {{"P.vec", {stat = '"quantile"', window = "24", q = "0.9"}}, {{"1", "2", "3", "4"}, {stat = '"std"', window = "2"}}},
    ["rally.labeler.quantile"] = {{{col = '"price"', q = "0.95", window = "168", horizon = "24"}}},
    ["rally.labeler.threshold"] = {{{col = '"price"', level = "100", horizon = "24"}}},
    ["rally.labeler.jump"] = {{{col = '"price"', rise = "0.5", horizon = "24"}}},
    ["rally.labeler.daily_any"] = {{{col = '"price"', q = "0.95", window = "168"}}, {{col = '"price"', level = "100"}}},
    ["rally.model.naive"] = {{{feature = '"gap_to_thr"', cut = "1"}}},
    ["rally.model.logreg"] = {{{C = "1", class_weight = '"balanced"'}}},
    ["rally.model.gbdt"] = {{{rounds = "3", max_depth = "2", eta = "0.3", nthread = "1", max_bin = "16"}}},
    ["rally.model.new"] = {{'"fz_ok"', {k = "2", prior = "0.1", mode = '"b"', name = '"ok"'}}, {'"gbdt"', {rounds = "2", nthread = "1"}}},
    ["rally.model.register"] = {{'"fz_gen"', {params = {a = "1", b = {default = "2", min = "0", max = "3", integer = "true"}},
                                             fit = "function(self, X, y) self.n = X.n end",
                                             predict = "function(self, X) local p = {n = X.n} for i = 1, X.n do p[i] = 0.5 end return p end",
                                             doc = '"generated"'}},
                               {'"fz_gen2"', {params = {a = {default = "0/0"}, b = {default = "5", min = "6", max = "1"}, c = {choices = {}},
                                                        d = {default = "2.5", integer = "true"}, e = {default = '"x"', choices = {'"y"'}},
                                                        f = {default = "1", min = "-1/0", max = "1/0"}, g = {default = "math.maxinteger", integer = "true"}},
                                             fit = "function() end", predict = "function(self, X) return rally.vector{} end"}}},
    ["rally.model.load"] = {{'D .. "/m.json"'}},
    ["rally.help"] = {{'"rally.load"'}, {"P.ds"}, {'"Dataset.slice"'}},
    ["rally.timing"] = {{"false"}},
    ["Dataset:slice"] = {{'"2013-01-10"', '"2013-02-01"'}, {"nil", '"2013-01-05 12:00"'}},
    ["Dataset:head"] = {{"3"}}, ["Dataset:tail"] = {{"3"}}, ["Dataset:col"] = {{'"price"'}},
    ["Dataset:write"] = {{'D .. "/f.csv"'}},
    ["Vector:totable"] = {{}},
    ["FeatureSpec:build"] = {{"P.ds", "P.lab"}, {"P.ds"}},
    ["FeatureMatrix:col"] = {{'"lag0"'}},
    ["Labeler:apply"] = {{"P.ds"}}, ["Labeler:with"] = {{{q = "0.9", window = "24", horizon = "1"}}},
    ["Model:fit"] = {{"P.X", "P.y"}, {"P.X", "P.y", "P.y"}, {{a = {"1", "2", "3", "4"}, n = "4"}, {"0", "1", "0", "1"}},
                     {{{"1", "2"}, {"3", "4"}, {"0", "1"}}, {"0", "1", "1"}, {"1", "1", "2"}}},
    ["Model:predict"] = {{"P.X"}, {"P.X"}, {"P.X"}, {{a = {"1", "2"}, n = "2"}}, {{{a = "1"}, {a = "2"}}}},
    ["Model:save"] = {{'D .. "/m.json"'}}, ["Model:importance"] = {{'"gain"'}},
    ["Split:rows"] = {{"P.ds", "24"}},
    ["Result:best"] = {{'"pr_auc"'}}, ["Result:write"] = {{'D .. "/res"', {recipe = '"fuzz"', seconds = {load = "1"}}}},
    ["SweepTable:sort"] = {{'"pr_auc"', "true"}}, ["SweepTable:top"] = {{"1"}},
    ["SweepTable:filter"] = {{"function(r) return r.q == 0.9 end"}},
    ["SweepTable:pivot"] = {{'"q"', '"model"', '"pr_auc"'}, {'"q"', '"model"', '"pr_auc"', '"best"'}},
    ["SweepTable:print"] = {{{'"q"', '"model"'}}}, ["SweepTable:best"] = {{'"brier"'}},
    ["SweepTable:write_csv"] = {{'D .. "/sweep.csv"'}},
}
-- valid objects of a class, as self
local SELVES = {Model = {"P.mf", "P.mg", "P.mg", "P.m"}, Dataset = {"P.ds", "P.ds", "P.full"}, Vector = {"P.vec", "P.y", "P.y01"},
                FeatureSpec = {"P.fx", "P.fx", "P.fxv1"}, Split = {"P.sp", "P.wf[1]", "P.wf[2]"}}
-- a method whose target is a Lua-defined model: self is one of those
local LUA_MODEL_SELF = 0.3
-- costly targets are drawn less often (their calls take milliseconds, not microseconds)
local WEIGHT = {["rally.evaluate"] = 0.25, ["rally.sweep"] = 0.15, ["rally.tune"] = 0.1, ["rally.report"] = 0.1, ["rally.dataset.synthetic"] = 0.3,
                ["Model:fit"] = 0.6, ["FeatureSpec:build"] = 0.6, ["Result:close"] = 0.2, ["Result:write"] = 0.3,
                ["SweepTable:print"] = 0.3, ["rally.help"] = 0.5, ["Dataset:describe"] = 0.2, ["Dataset:write"] = 0.4,
                ["FeatureMatrix:totable"] = 0.4, ["FeatureMatrix:describe"] = 0.4, ["rally.load"] = 0.6}

-- path arguments of these calls are put in the scratch directory, whatever they are
local WRITERS = {["Dataset:write"] = true, ["Result:write"] = true, ["SweepTable:write_csv"] = true, ["Model:save"] = true}

---------------------------------------------------------------------------------------------
local function copy(v)
    if type(v) ~= "table" then return v end
    local t = {}
    for k, x in pairs(v) do t[k] = copy(x) end
    return t
end
local function keysOf(t)
    local ks = {}
    for k in pairs(t) do ks[#ks + 1] = k end
    table.sort(ks, function(a, b)
        if type(a) == type(b) then return a < b end
        return type(a) == "number"
    end)
    return ks
end
local function render(v)
    if type(v) == "string" then return v end
    local parts = {}
    for _, k in ipairs(keysOf(v)) do
        if type(k) == "number" then parts[#parts + 1] = "[" .. k .. "] = " .. render(v[k])
        else parts[#parts + 1] = (k:match("^[%a_][%w_]*$") and k or string.format("[%q]", k)) .. " = " .. render(v[k]) end
    end
    return "{" .. table.concat(parts, ", ") .. "}"
end
-- every table node of a value, with its parent and key
local function slots(v, out, parent, key)
    out[#out + 1] = {parent = parent, key = key, value = v}
    if type(v) == "table" then for _, k in ipairs(keysOf(v)) do slots(v[k], out, v, k) end end
    return out
end

local function mutate(r, args, t)
    local kind = r.int(10)
    local all = {}
    for i = 1, math.max(#args, 1) do slots(args[i] or "nil", all, args, i) end
    if kind <= 5 then -- replace an argument or a field by an extreme value
        local s = r.pick(all)
        s.parent[s.key] = weird(r)
    elseif kind == 6 then -- drop a field or an argument
        local s = r.pick(all)
        if s.parent == args then args[s.key] = "nil" else s.parent[s.key] = nil end
    elseif kind == 7 then -- add an option (a declared one or a stranger) with an extreme value
        local tables = {}
        for _, s in ipairs(all) do if type(s.value) == "table" then tables[#tables + 1] = s.value end end
        if #tables > 0 then
            local names = optionNames[t.name] or {}
            local key = (#names > 0 and r.chance(0.8)) and r.pick(names) or r.pick({"nope", "n", "name", "1", "__index"})
            r.pick(tables)[key] = weird(r)
        end
    elseif kind == 8 then -- one argument more, or one less
        if r.chance(0.5) then args[#args + 1] = weird(r) elseif #args > 0 then args[#args] = nil end
    elseif kind == 9 then -- a Lua-defined model in a model list
        local s = r.pick(all)
        if type(s.value) == "table" then
            s.value[#s.value + 1] = 'rally.model.new("' .. r.pick({"fz_ok", "fz_vec", "fz_fit_err", "fz_fit_errobj", "fz_pred_err",
                "fz_fit_yield", "fz_pred_yield", "fz_short", "fz_long", "fz_empty", "fz_nan", "fz_inf", "fz_above", "fz_below",
                "fz_str", "fz_bool", "fz_nil", "fz_hugen", "fz_maxn", "fz_negn", "fz_cyclic", "fz_closedvec", "fz_mutate",
                "fz_gc", "fz_reenter", "fz_selfmod", "fz_nested"}) .. '", {})'
        else s.parent[s.key] = weird(r) end
    else -- a value from the pool where a value was
        local s = r.pick(all)
        s.parent[s.key] = r.pick(POOLOBJ)
    end
end

local weights, totalWeight = {}, 0
for i, t in ipairs(targets) do
    local w = WEIGHT[t.name] or (t.method == "close" or t.kind == "len" or t.kind == "tostring") and 0.3 or t.kind == "index" and 0.5 or 1
    totalWeight = totalWeight + w
    weights[i] = totalWeight
end
local function pickTarget(r)
    local x = (r.int(1 << 30) - 1) / (1 << 30) * totalWeight
    for i, w in ipairs(weights) do if x < w then return targets[i] end end
    return targets[#targets]
end

local function generate(seed, index)
    local r = rng(seed, index)
    local t = pickTarget(r)
    local args
    local templates = TEMPLATES[t.name]
    if templates and r.chance(0.85) then
        args = copy(r.pick(templates))
        local n = r.pick({0, 0, 1, 1, 1, 1, 2, 2, 3})
        for _ = 1, n do mutate(r, args, t) end
    else
        args = {}
        for i = 1, r.pick({0, 1, 1, 2, 2, 3, 4}) do args[i] = weird(r) end
    end
    local argList = {}
    local n = 0
    for k in pairs(args) do if type(k) == "number" and k > n then n = k end end
    for i = 1, n do argList[i] = render(args[i] or "nil") end
    if WRITERS[t.name] then -- keep writes in the scratch directory
        argList[1] = '(D .. "/w_" .. tostring(' .. (argList[1] or "nil") .. '):gsub("[/.]", "_"):sub(1, 64))'
    end
    local argsText = table.concat(argList, ", ")
    local call
    if t.kind == "function" then
        call = t.path .. "(" .. argsText .. ")"
    else
        local self
        local roll = r.int(100)
        if t.method == "close" or (roll <= 12 and t.class ~= "Result" and t.class ~= "FeatureMatrix") then self = "F." .. t.class
        elseif roll <= 24 then self = "P.closed." .. t.class
        elseif roll <= 28 then self = weird(r)
        elseif t.class == "Model" and roll <= 28 + LUA_MODEL_SELF * 40 then
            local kind = r.pick(P.kindNames)
            -- fitted when its fit works, so that predict runs
            self = string.format('(function() local m = rally.model.new(%q, {}) pcall(m.fit, m, P.X, P.y) return m end)()', kind)
        else self = SELVES[t.class] and r.pick(SELVES[t.class]) or "P.inst." .. t.class end
        if t.kind == "method" then
            call = string.format("M(%q, %q)(%s%s)", t.class, t.method, self, argsText ~= "" and ", " .. argsText or "")
        elseif t.kind == "index" then
            call = "(" .. self .. ")[" .. (argList[1] or weird(r)) .. "]"
        elseif t.kind == "len" then
            call = "#(" .. self .. ")"
        else
            call = "tostring(" .. self .. ")"
        end
    end
    local inCoroutine = r.chance(0.15)
    return t, call, inCoroutine
end

---------------------------------------------------------------------------------------------
local ENV_HEAD = "local P, F, D, M = ...\n"
local function M(cls, m) return debug.getregistry()["rally." .. cls].methods[m] end

local function reproducer(seed, index, target, call, inCoroutine)
    local body = inCoroutine and ("print(coroutine.wrap(function() return pcall(function() return " .. call .. " end) end)())")
                              or ("print(pcall(function() return " .. call .. " end))")
    return table.concat({
        "-- rally API fuzzer: seed " .. seed .. ", call " .. index .. " (" .. target.name .. ")",
        "-- rerun: scripts/fuzz/api.sh --seed " .. seed .. " --start " .. index .. " --count 1",
        "local D = os.getenv('RALLY_FUZZ_DIR') or (function() local n = os.tmpname() os.remove(n) os.execute('mkdir -p ' .. n) return n end)()",
        "local function M(cls, m) return debug.getregistry()['rally.' .. cls].methods[m] end",
        "local P = (function(...) " .. POOL .. " end)(D)",
        "local F = P.fresh()",
        body, ""}, "\n")
end

P = assert(load(POOL, "=pool"))(opts.dir)
local stats = {time = {}, calls = {}, passed = 0, failed = 0, errors = 0, returned = 0, longest = 0, slowest = {}, failures = {}}
local covered = {}
for cls in pairs(classes) do if not P.inst[cls] then covered[#covered + 1] = cls end end
table.sort(covered)
if opts.start == 1 or opts.trace then
    io.stderr:write(string.format("api fuzz: %d targets (%d classes); classes without a pool instance (wrong-self calls only): %s\n",
        #targets, (function() local n = 0 for _ in pairs(classes) do n = n + 1 end return n end)(),
        #covered > 0 and table.concat(covered, ", ") or "none"))
end

local current -- "call i (target)", for the longest error
local function check(ok, ...)
    if ok then stats.returned = stats.returned + 1 return true end
    local e = ...
    stats.errors = stats.errors + 1
    if type(e) ~= "string" then return false, "error value is a " .. type(e) end
    if e:find("bad argument #%d+ to '[^']*' %(bad argument #") then return false, "an argument error wrapped in another: " .. e end
    for _, leak in ipairs({"Optional(", "RallyEngine.", "Swift.", "Fatal error"}) do
        if e:find(leak, 1, true) then return false, "a Swift detail in the message (" .. leak .. "): " .. e end
    end
    if #e > stats.longest then stats.longest = #e; stats.longestAt = current end
    return true
end

for index = opts.start, opts.start + opts.count - 1 do
    local target, call, inCoroutine = generate(opts.seed, index)
    current = index .. " " .. target.name
    if opts.trace then io.stderr:write("seed " .. opts.seed .. " call " .. index .. ": " .. target.name .. "\n") end
    if opts.show then io.stderr:write((inCoroutine and "[co] " or "") .. call:sub(1, 300) .. "\n") end
    if opts.last then
        local f = assert(io.open(opts.last, "w"))
        f:write(reproducer(opts.seed, index, target, call, inCoroutine))
        f:close()
    end
    local chunk, problem = load(ENV_HEAD .. "return " .. call, "=call " .. index)
    local good, why
    if not chunk then
        good, why = false, "generated source does not compile: " .. problem
    else
        local F = P.fresh()
        local returnedBefore = stats.returned
        local t0 = rally.clock()
        if inCoroutine then
            local co = coroutine.create(function() return pcall(chunk, P, F, opts.dir, M) end)
            local resumed = table.pack(coroutine.resume(co))
            if resumed[1] then good, why = check(table.unpack(resumed, 2, resumed.n))
            else good, why = false, "coroutine died: " .. tostring(resumed[2]) end
        else
            good, why = check(pcall(chunk, P, F, opts.dir, M))
        end
        local dt = rally.clock() - t0
        stats.time[target.name] = (stats.time[target.name] or 0) + dt
        local c = stats.calls[target.name] or {0, 0}
        stats.calls[target.name] = c
        c[1] = c[1] + 1
        if stats.returned > returnedBefore then c[2] = c[2] + 1 end
        if dt > 0.05 then
            stats.slowest[#stats.slowest + 1] = {dt, index, target.name}
            table.sort(stats.slowest, function(a, b) return a[1] > b[1] end)
            stats.slowest[6] = nil
        end
    end
    if good then
        stats.passed = stats.passed + 1
    else
        stats.failed = stats.failed + 1
        stats.failures[#stats.failures + 1] = "call " .. index .. " (" .. target.name .. "): " .. why .. "\n" .. call
    end
    if index % 500 == 0 then
        -- the pool must still be whole (no call may damage objects it was only given)
        local ok, e = pcall(function()
            assert(#P.ds == 2160 and P.vec[1] and #P.X > 0 and P.mf.fitted, "pool damaged")
            collectgarbage()
        end)
        if not ok then
            stats.failed = stats.failed + 1
            stats.failures[#stats.failures + 1] = "after call " .. index .. ": " .. tostring(e)
        end
    end
end

if opts.profile then
    local names = {}
    for name in pairs(stats.time) do names[#names + 1] = name end
    table.sort(names, function(a, b) return stats.time[a] > stats.time[b] end)
    for _, name in ipairs(names) do
        local c = stats.calls[name]
        io.stderr:write(string.format("%8.2f s  %6d calls  %5.1f%% returned  %s\n", stats.time[name], c[1], 100 * c[2] / c[1], name))
    end
end
for _, f in ipairs(stats.failures) do io.stderr:write("FAILED " .. f .. "\n") end
local slow = {}
for _, s in ipairs(stats.slowest) do slow[#slow + 1] = string.format("%d %s %.2fs", s[2], s[3], s[1]) end
local summary = string.format("seed %d calls %d..%d: %d passed, %d failed (%d returned, %d Lua errors, longest error %d chars%s; slowest: %s)",
    opts.seed, opts.start, opts.start + opts.count - 1, stats.passed, stats.failed, stats.returned, stats.errors, stats.longest, stats.longestAt and " at call " .. stats.longestAt or "",
    #slow > 0 and table.concat(slow, ", ") or "none over 0.05 s")
if opts.report then
    local f = assert(io.open(opts.report, "a"))
    f:write(string.format("%d %d %d %d %d\n", stats.passed, stats.failed, stats.returned, stats.errors, stats.longest))
    f:close()
end
io.stderr:write(summary .. "\n")
print(string.format("%d passed, %d failed", stats.passed, stats.failed))
if stats.failed > 0 then os.exit(1) end
