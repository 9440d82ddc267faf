-- What the bench scripts' rally sides share (require "measure"): the peer's "name value" file,
-- the process's peak resident memory, a file's size.
local measure = {}

--- The "name value" lines of the peer's output file, as a table (numbers where they parse).
function measure.read_pairs(path)
  local out = {}
  for line in io.lines(path) do
    local k, v = line:match("^(%S+) (%S+)$")
    out[k] = tonumber(v) or v
  end
  return out
end

--- This process's peak resident set (VmHWM), in MB.
function measure.peak_mb()
  for line in io.lines("/proc/self/status") do
    local kb = line:match("^VmHWM:%s+(%d+) kB")
    if kb then return tonumber(kb) / 1024 end
  end
end

--- The size of the file at `path`, in MB (10^6 bytes).
function measure.file_mb(path)
  local f = assert(io.open(path, "rb"))
  local size = f:seek("end")
  f:close()
  return size / 1e6
end

return measure
