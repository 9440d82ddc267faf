#!/usr/bin/env bash
# Runs a fuzz campaign in chunks through the real binary, so that a crash or a hang in one chunk
# is reported with the seed, the input number and the input itself, and the campaign goes on.
#
#   scripts/fuzz/run.sh csv|models SEED COUNT [CHUNK] [TIMEOUT]
#
# csv: scripts/fuzz/csv.lua; models: scripts/fuzz/models.lua. CHUNK inputs per process (default
# 2000), each process killed after TIMEOUT seconds (default 300: a hang is a failure). Inputs
# are numbered 1..COUNT and depend only on (SEED, number), so any one can be replayed with
# `--start N-1 --count 1`. The binary is $RALLY_SHELL (default .build/debug/rally-shell).
# Ends with "N passed, M failed" summed over the chunks (an input that crashes or hangs the
# process counts as failed, and the campaign resumes after it); exits 1 when M > 0.
set -uo pipefail
cd "$(dirname "$0")/../.."
kind=${1:?usage: run.sh csv|models SEED COUNT [CHUNK] [TIMEOUT]}
seed=${2:?seed}
count=${3:?count}
chunk=${4:-2000}
limit=${5:-300}
shell=${RALLY_SHELL:-.build/debug/rally-shell}
case $kind in
  csv|models) script=scripts/fuzz/$kind.lua ;;
  *) echo "run.sh: unknown campaign '$kind' (csv or models)" >&2; exit 2 ;;
esac
dir=${FUZZ_DIR:-/tmp/rally-fuzz-$kind-$seed}
mkdir -p "$dir"
passed=0 failed=0 start=0
while [ "$start" -lt "$count" ]; do
  n=$(( count - start < chunk ? count - start : chunk ))
  began=$SECONDS
  out=$(timeout -s KILL "$limit" "$shell" "$script" --seed "$seed" --start "$start" --count "$n" --dir "$dir" 2>"$dir/stderr")
  status=$?
  printf '%s\n' "$out" | grep '^FAIL' || true
  summary=$(printf '%s\n' "$out" | tail -n 1)
  if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]] && [ "$status" -le 1 ]; then
    passed=$(( passed + BASH_REMATCH[1] ))
    failed=$(( failed + BASH_REMATCH[2] ))
  else
    last=$(head -n 1 "$dir/last.lua" 2>/dev/null)
    crashed=$(sed -n 's/^-- seed [0-9]* input \([0-9]*\).*/\1/p' "$dir/last.lua")
    what=$([ $(( SECONDS - began )) -ge "$limit" ] && echo "hung (killed after ${limit}s)" || echo "died with status $status")
    echo "CRASH $kind campaign: the process $what at $last"
    echo "  replay: $shell $dir/last.lua   (input: $dir/input.${kind/models/json}; or $shell $script --seed $seed --start $(( ${crashed:-1} - 1 )) --count 1)"
    tail -n 5 "$dir/stderr" | sed 's/^/  stderr: /'
    keep="$dir/crash-$seed-$(date +%s)"
    cp "$dir/input.${kind/models/json}" "$keep.input" 2>/dev/null && cp "$dir/last.lua" "$keep.lua" && echo "  kept as $keep.input and $keep.lua"
    # the inputs before the crashing one passed (a chunk prints its FAIL lines only at its end,
    # so failures among them are lost with it: replay them with --start/--count to see them)
    finished=$(( ${crashed:-$(( start + 1 ))} - start - 1 ))
    [ "$finished" -lt 0 ] && finished=0
    passed=$(( passed + finished ))
    failed=$(( failed + 1 ))
    # go on after the crashing input
    start=$(( start + finished + 1 ))
    continue
  fi
  start=$(( start + n ))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
