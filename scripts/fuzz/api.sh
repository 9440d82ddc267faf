#!/usr/bin/env bash
# Runs the Lua API fuzzer (scripts/fuzz/api.lua) in chunks, one process at a time (niced), each
# in its own scratch directory, and turns a dead process into a Lua reproducer.
#
#   scripts/fuzz/api.sh --ci                      # CI: seed 1 (or $RALLY_FUZZ_SEED), 20,000 calls; exit 1 on a crash
#   scripts/fuzz/api.sh --seed 7 --count 200000   # a local campaign; crashes are recorded and the campaign goes on
#   scripts/fuzz/api.sh --seed 7 --start 1234 --count 1   # one call again
# options: --seed S  --count N  --start K (first call index, default 1)  --chunk C (calls per process,
#   default 5000)  --timeout SEC (per chunk, default 300)  --bin PATH (default .build/debug/rally-shell)
#   --log DIR (keep crash reproducers there, default .build/fuzz-api)  --stop (stop at the first crash)
#
# Before each call the script writes that call, as a self-contained Lua file (the pool of objects,
# then the call), to the chunk's last.lua. When the process dies (a signal, a Swift trap, a hang
# past --timeout), this prints the seed, the call index, the end of stderr and that reproducer,
# runs the reproducer alone to say whether it crashes by itself, saves it under --log, and goes
# on with the next call (or stops, with --ci/--stop). The last line is "N passed, M failed":
# passed = calls that returned or raised a Lua error; failed = crashes and invariant failures.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

seed=1 count=20000 start=1 chunk=5000 timeout=300 bin=.build/debug/rally-shell log=.build/fuzz-api stop=0
while [ $# -gt 0 ]; do
    case "$1" in
        --ci) seed=${RALLY_FUZZ_SEED:-1}; count=20000; stop=1 ;;
        --seed) seed=$2; shift ;;
        --count) count=$2; shift ;;
        --start) start=$2; shift ;;
        --chunk) chunk=$2; shift ;;
        --timeout) timeout=$2; shift ;;
        --bin) bin=$2; shift ;;
        --log) log=$2; shift ;;
        --stop) stop=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "api.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
case "$bin" in /*) ;; *) bin=$root/$bin ;; esac
[ -x "$bin" ] || { echo "api.sh: $bin not found (swift build first)" >&2; exit 2; }
mkdir -p "$log"
log=$(cd "$log" && pwd)

passed=0 failed=0 crashes=0
report=$(mktemp)
trap 'rm -f "$report"' EXIT
began=$(date +%s)
echo "api fuzz: seed $seed, calls $start..$((start + count - 1)), $chunk per process"

next=$start
end=$((start + count))
while [ "$next" -lt "$end" ]; do
    n=$((end - next)); [ "$n" -gt "$chunk" ] && n=$chunk
    scratch=$(mktemp -d /tmp/rally-fuzz-api.XXXXXX)
    : > "$report"
    # stdin is /dev/null: nothing may block on it; the scratch directory is the working
    # directory, so relative paths the fuzzer makes up land in it
    # at most 8 GB of address space: an allocation sized by a hostile number fails at once (and
    # counts as a crash) instead of filling the memory of a shared machine
    (cd "$scratch" && ulimit -v 8388608 && RALLY_FUZZ_DIR=$scratch timeout -k 5 "$timeout" nice -n 10 "$bin" "$root/scripts/fuzz/api.lua" \
        --seed "$seed" --start "$next" --count "$n" --dir "$scratch" --last "$scratch/last.lua" --report "$report" \
        </dev/null >"$scratch/stdout" 2>"$scratch/stderr")
    rc=$?
    if [ -s "$report" ]; then
        read -r p f _ < "$report"
        passed=$((passed + p)); failed=$((failed + f))
        if [ "$f" -gt 0 ]; then grep -a '^FAILED' "$scratch/stderr" | head -20 >&2; [ "$stop" = 1 ] && break; fi
        next=$((next + n))
    else
        # the process died: the last call written is the one that killed it
        at=$(sed -n 's/^-- rally API fuzzer: seed [0-9-]*, call \([0-9-]*\) .*/\1/p' "$scratch/last.lua" 2>/dev/null)
        [ -n "$at" ] || at=$next
        what=$([ "$rc" -eq 124 ] && echo "hang (no end within ${timeout}s)" || { [ "$rc" -gt 128 ] && echo "signal $((rc - 128))" || echo "exit status $rc"; })
        # calls before it in this chunk passed
        passed=$((passed + at - next)); failed=$((failed + 1)); crashes=$((crashes + 1))
        saved="$log/crash-seed$seed-call$at.lua"
        cp "$scratch/last.lua" "$saved" 2>/dev/null
        alone=$(mktemp -d /tmp/rally-fuzz-api.XXXXXX)
        (cd "$alone" && ulimit -v 8388608 && RALLY_FUZZ_DIR=$alone timeout -k 5 60 "$bin" "$saved" </dev/null >/dev/null 2>&1)
        arc=$?
        rm -rf "$alone"
        {
            echo "CRASH: seed $seed call $at: $what"
            echo "--- stderr (the Swift runtime's message and the first frames of the crashed thread):"
            grep -av '^seed ' "$scratch/stderr" | grep -aE 'Fatal error|error:|Program crashed|crashed:|^ *[0-9]+ .* in |^ *[0-9]+ 0x' | head -n 16 | cut -c1-220
            echo "--- reproducer: $saved ($([ "$arc" -gt 128 ] || [ "$arc" -eq 124 ] && echo "alone it crashes too: status $arc" || echo "alone it exits $arc: rerun the chunk, --seed $seed --start $next --count $((at - next + 1))"))"
            echo "    run it: (cd \"\$(mktemp -d)\" && $bin $saved)"
            if [ "$stop" = 1 ]; then cat "$saved"; else grep -av '^local P = \|^local F = \|^local D = \|^local function M' "$saved" | sed -n '1,2p;/^print(/p'; fi
            echo "---"
        } >&2
        next=$((at + 1))
        [ "$stop" = 1 ] && { rm -rf "$scratch"; break; }
    fi
    rm -rf "$scratch"
done
echo "api fuzz: seed $seed, $((passed + failed)) calls in $(( $(date +%s) - began )) s, $crashes crashes"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
