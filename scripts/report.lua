-- The colleague-ready report, rendered from benchmark artifacts alone:
--
--   rally-shell scripts/report.lua [--artifacts DIR] [--out DIR] [--cost-ratio R] [--window FROM TO [TITLE]]...
--
-- Reads DIR (default artifacts/): metrics.json and predictions.csv (required), run.json,
-- importance.csv and sweep_thresholds.csv (used when present), as scripts/benchmark.lua writes
-- them. Writes reports/pjm_rally_demo.md with its SVG figures next to it and a self-contained
-- reports/pjm_rally_demo.html. No network, no external plotting: the engine draws the SVGs.
-- Without --window the close-ups are the January 2018 cold snap and a summer 2018 heat spell
-- (or the test period's first two weeks when those dates have no data, e.g. synthetic data).

local function usage(message)
  io.stderr:write("report.lua: ", message, "\n",
    "usage: rally-shell scripts/report.lua [--artifacts DIR] [--out DIR] [--cost-ratio R] [--window FROM TO [TITLE]]...\n")
  os.exit(2)
end

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
    if not from or not to then usage("--window needs FROM and TO dates (YYYY-MM-DD)") end
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
