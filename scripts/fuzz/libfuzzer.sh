#!/usr/bin/env bash
# Coverage-guided fuzzing of the CSV reader and the time parsers with libFuzzer and
# AddressSanitizer (Fuzz/CSVTarget). Builds the target into .build/libfuzzer, seeds a corpus with
# the layouts users export, and runs for SECONDS (default 60); extra arguments go to libFuzzer
# (e.g. -jobs=2 -workers=2). A finding stops the run and is saved as .build/libfuzzer/crash-*;
# replay it with: .build/libfuzzer/debug/rally-fuzz-csv .build/libfuzzer/crash-<hash>
# The per-input timeout is 60 s, not libFuzzer's 1200 s nor a tight 10 s: a 10 s limit was hit on
# a machine under a load of 16 by an input that replays in 0.02 s of CPU.
#   scripts/fuzz/libfuzzer.sh [SECONDS] [libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
[ $# -gt 0 ] && shift
case "$seconds" in ''|*[!0-9]*) echo "libfuzzer.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;; esac
bash scripts/setup.sh debug >/dev/null   # the Debian packages the engine links to
build=.build/libfuzzer
echo "libfuzzer: building rally-fuzz-csv with -sanitize=fuzzer,address" >&2
RALLY_LIBFUZZER=1 swift build --build-path "$build" --product rally-fuzz-csv \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' >&2 || true; }

# Seed corpus: two option bytes (0 0 = detect everything, repair nothing), then a file.
corpus="$build/corpus"
mkdir -p "$corpus"
seed() { printf '\0\0%b' "$2" > "$corpus/seed-$1"; }
seed plain 'Date,price,load\n2013-01-01 00:00,31.05,42497\n2013-01-01 01:00,29.1,41000\n2013-01-01 02:00,,40100\n'
seed semicolon '\xef\xbb\xbfDatum;Preis\r\n01.01.2013 00:00;31,05\r\n01.01.2013 01:00;29,10\r\n'
seed date-hour 'date,HE,price\n2013-01-01,1,31.05\n2013-01-01,2,29.1\n2013-01-01,24,30\n'
seed day-first 'time,price\n13-01-2013 00:00:00,1\n13-01-2013 01:00:00,2\n'
seed quoted '"time","price, $/MWh"\n"2013-01-01 00:00","1e309"\n"2013-01-01 01:00","-0"\n'
seed ampm 'time,price\n01/01/2013 12:00 AM,1\n01/01/2013 01:00 AM,2\n'
seed dataminer 'datetime_beginning_utc,datetime_beginning_ept,pnode_id,pnode_name,voltage,equipment,type,zone,system_energy_price_da,total_lmp_da,congestion_price_da,marginal_loss_price_da,row_is_current,version_nbr\n1/1/2013 5:00:00 AM,1/1/2013 12:00:00 AM,33092371,COMED,,,ZONE,COMED,30.1,31.05,0.5,0.45,TRUE,1\n1/1/2013 6:00:00 AM,1/1/2013 1:00:00 AM,33092371,COMED,,,ZONE,COMED,28.1,29.1,0.5,0.5,TRUE,1\n'

# Tokens worth trying where the fuzzer would take long to find them byte by byte.
dict="$build/csv.dict"
printf '%s\n' '","' '";"' '"\\""' '"\\x0d\\x0a"' '"2013-01-01"' '" 00:00"' '":00"' '"T"' '"Z"' '"-05:00"' \
    '"AM"' '"PM"' '"HE"' '"hour_ending"' '"1e309"' '"nan"' '"inf"' '"\\xef\\xbb\\xbf"' \
    '"datetime_beginning_utc"' '"pnode_id"' '"row_is_current"' '"version_nbr"' '"total_lmp_da"' > "$dict"

echo "libfuzzer: running for ${seconds}s (corpus $corpus)" >&2
exec "$build/debug/rally-fuzz-csv" "$corpus" -dict="$dict" -max_total_time="$seconds" -max_len=4096 \
    -rss_limit_mb=2048 -timeout=60 -print_final_stats=1 -artifact_prefix="$build/crash-" "$@"
