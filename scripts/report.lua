-- The colleague-ready report, rendered from benchmark artifacts alone:
--
--   rally-shell scripts/report.lua [--artifacts DIR] [--out DIR] [--cost-ratio R] [--window FROM TO [TITLE]]... [--help]
--
-- Reads DIR (default artifacts/): metrics.json and predictions.csv (required), run.json,
-- importance.csv and sweep_thresholds.csv (used when present), as scripts/benchmark.lua writes
-- them. Writes reports/pjm_rally_demo.md with its SVG figures next to it and a self-contained
-- reports/pjm_rally_demo.html. No network, no external plotting: the engine draws the SVGs.
-- Without --window the close-ups are the January 2018 cold snap and a summer 2018 heat spell
-- (or the test period's first two weeks when those dates have no data, e.g. synthetic data).
-- --window FROM TO [TITLE] (repeatable) chooses the close-ups instead: dates YYYY-MM-DD (or
-- "YYYY-MM-DD HH:MM"), TITLE optional. --help, -h prints this text.

local function usage(message)
  io.stderr:write("report.lua: ", message, "\n",
    "usage: rally-shell scripts/report.lua [--artifacts DIR] [--out DIR] [--cost-ratio R] [--window FROM TO [TITLE]]... [--help]\n")
  os.exit(2)
end

require("recipe").help(arg)

local options = { artifacts = "artifacts/", out = "reports/" }
local i = 1
while arg and arg[i] do
  local flag = arg[i]
  if flag == "--artifacts" or flag == "--out" then
    options[flag:sub(3)] = arg[i + 1] or usage(flag .. " needs a directory")
    i = i + 2
  elseif flag == "--cost-ratio" then
    local ratio = tonumber(arg[i + 1] or usage("--cost-ratio needs a number"))
    if not ratio or ratio <= 0 then usage("--cost-ratio needs a positive number, got '" .. arg[i + 1] .. "'") end
    options.cost_ratio = ratio
    i = i + 2
  elseif flag == "--window" then
    local from, to = arg[i + 1], arg[i + 2]
    local function missing(x) return not x or x:sub(1, 2) == "--" end
    if missing(from) or missing(to) then
      usage("--window needs FROM and TO dates (YYYY-MM-DD) after it, got " .. (missing(from) and "no FROM" or "no TO")
        .. " (e.g. --window 2018-01-01 2018-01-07 \"New Year\")")
    end
    local window = { from = from, to = to }
    i = i + 3
    if arg[i] and arg[i]:sub(1, 2) ~= "--" then
      window.title = arg[i]
      i = i + 1
    end
    options.windows = options.windows or {}
    options.windows[#options.windows + 1] = window
  else
    usage("unknown argument '" .. flag .. "'")
  end
end

local started = rally.clock()
local out = rally.report(options)
for _, note in ipairs(out.notes) do io.stderr:write("report: note: ", note, "\n") end
print(string.format("report: %s and %s (%d figures) from %s in %.2f s",
  out.markdown, out.html, #out.figures, options.artifacts, rally.clock() - started))
