#!/usr/bin/env bash
# The bounded fuzz campaign CI runs (scripts/test.sh): 20,000 CSV inputs and 2,000 model files
# through the debug rally-shell with a fixed seed, the two campaigns side by side (about 45 s of
# CPU in all). A crash, a hang or a bad message fails it and prints the seed, the input number
# and the input (see run.sh). The last line is "N passed, M failed" over both campaigns.
#   scripts/fuzz/ci.sh [SEED]
set -uo pipefail
cd "$(dirname "$0")/../.."
seed=${1:-12}
work=$(mktemp -d /tmp/rally-fuzz-ci.XXXXXX)
FUZZ_DIR=$work/csv bash scripts/fuzz/run.sh csv "$seed" 20000 5000 240 >"$work/csv.out" 2>&1 &
csv=$!
FUZZ_DIR=$work/models bash scripts/fuzz/run.sh models "$seed" 2000 1000 240 >"$work/models.out" 2>&1 &
models=$!
wait $csv; csv_status=$?
wait $models; models_status=$?
echo "fuzz: 20000 CSV inputs (seed $seed): $(tail -n 1 "$work/csv.out")"
head -n -1 "$work/csv.out"
echo "fuzz: 2000 model files (seed $seed): $(tail -n 1 "$work/models.out")"
head -n -1 "$work/models.out"
total() { sed -n "s/^\([0-9]*\) passed, \([0-9]*\) failed$/\\$1/p" "$work/csv.out" "$work/models.out" | awk '{ s += $1 } END { print s + 0 }'; }
echo "$(total 1) passed, $(total 2) failed"
if [ "$csv_status" -eq 0 ] && [ "$models_status" -eq 0 ]; then rm -rf "$work"; exit 0; fi
echo "fuzz: inputs and reproducers kept in $work"
exit 1
