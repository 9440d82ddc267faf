#!/usr/bin/env bash
# Runs a sweep recipe as an N-task Slurm job array plus a merge job that waits for it:
#
#   scripts/slurm/submit.sh [--wait] N DIR RECIPE [recipe arguments...]
#   e.g. scripts/slurm/submit.sh 4 /shared/sweeps/thresholds scripts/sweep_thresholds.lua --data prices.csv
#
# Task i runs shard i/N into DIR/shard_<i>.json; the merge writes DIR/sweep.csv. Prints the two
# job ids. --wait returns when the merge has finished (its exit status). DIR must be on storage
# every node sees; run it from the project folder (the jobs start there).
set -euo pipefail
wait=""
if [ "${1:-}" = "--wait" ]; then wait="--wait"; shift; fi
n=${1:?usage: submit.sh [--wait] N DIR RECIPE [args...]}
dir=${2:?usage: submit.sh [--wait] N DIR RECIPE [args...]}
shift 2
here=$(dirname "$0")
mkdir -p "$dir"
array=$(sbatch --parsable --array="1-$n" --output="$dir/task_%a.out" "$here/sweep.sbatch" "$dir" "$@")
echo "array job $array: $n shards into $dir"
merge=$(sbatch --parsable $wait --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$dir/merge.out" \
    "$here/merge.sbatch" "$dir" "$dir/sweep.csv")
echo "merge job $merge: $dir/sweep.csv"
