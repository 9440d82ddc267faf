#!/usr/bin/env bash
# The bounded fuzz campaign CI runs (scripts/test.sh): 20,000 CSV inputs and 2,000 model files
# through the debug rally-shell, a fixed seed, about a minute on two cores. A crash, a hang or a
# bad message fails it and prints the seed, the input number and the input (see run.sh).
#   scripts/fuzz/ci.sh [SEED]
set -uo pipefail
cd "$(dirname "$0")/../.."
seed=${1:-12}
status=0
echo "fuzz: 20000 CSV inputs (seed $seed)"
FUZZ_DIR=/tmp/rally-fuzz-ci-csv-$$ bash scripts/fuzz/run.sh csv "$seed" 20000 5000 120 || status=1
echo "fuzz: 2000 model files (seed $seed)"
FUZZ_DIR=/tmp/rally-fuzz-ci-models-$$ bash scripts/fuzz/run.sh models "$seed" 2000 1000 120 || status=1
[ "$status" -eq 0 ] && rm -rf /tmp/rally-fuzz-ci-csv-$$ /tmp/rally-fuzz-ci-models-$$
exit $status
