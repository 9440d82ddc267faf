#!/usr/bin/env bash
# The gbdt fit (protocol v1: 300 rounds, depth 6, eta 0.05, 34,369 training rows) on a quiet
# machine and beside one busy process, rally's trainer against XGBoost's own rounds under OpenMP
# wait settings, in one invocation:
#
#   scripts/bench_gbdt.sh [--data PATH] [--runs N] [--shell PATH] [--also 'VAR=VALUE ...']...
#
# Settings timed (each run of each setting alternates with the others):
#   rally           gbdt's default trainer (XGBoost's hist trees grown in rally), nothing set
#   xgboost         trainer = "xgboost": XGBoost's own rounds with what rally-shell chooses for them
#   active          trainer = "xgboost", OMP_WAIT_POLICY=active: threads spin for work without end
#                   (XGBoost's fastest on a quiet machine)
#   passive         trainer = "xgboost", OMP_WAIT_POLICY=passive: threads sleep at once
#   --also '...'    trainer = "xgboost" with any other environment, e.g. --also 'GOMP_SPINCOUNT=20000'
#                   (repeatable)
# Conditions: quiet (nothing else started here) and busy (beside one CPU-bound shell loop, started
# before the run and stopped after it). The fit seconds are run.json's fit_gbdt of
# `rally-shell scripts/benchmark.lua --bootstrap 0 [--trainer xgboost]`; the gbdt PR-AUC of every
# run is printed too (it must not depend on the setting: both trainers grow the same trees).
# Prints the medians and the ratios: busy / quiet of each setting, and each setting's quiet time
# over active's.
set -euo pipefail
cd "$(dirname "$0")/.."

data=../shared/data/pjm_comed_2013_2018.csv
runs=5
shell=""
settings=("rally|" "xgboost|TRAINER=xgboost" "active|TRAINER=xgboost OMP_WAIT_POLICY=active"
          "passive|TRAINER=xgboost OMP_WAIT_POLICY=passive")
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --shell) shell="$2"; shift 2 ;;
    --also) settings+=("$2|TRAINER=xgboost $2"); shift 2 ;;
    *) echo "usage: scripts/bench_gbdt.sh [--data PATH] [--runs N] [--shell PATH] [--also 'VAR=VALUE ...']..." >&2; exit 2 ;;
  esac
done
[ -f "$data" ] || { echo "bench_gbdt.sh: no data file at $data" >&2; exit 1; }
if [ -z "$shell" ]; then
  echo "bench_gbdt.sh: building rally-shell (release)..." >&2
  bash scripts/setup.sh release
  shell=.build/release/rally-shell
fi

work=$(mktemp -d)
busy=""
cleanup() { [ -n "$busy" ] && kill "$busy" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for i in $(seq 1 "$runs"); do
  for condition in quiet busy; do
    for s in "${!settings[@]}"; do
      entry=${settings[$s]}
      environment=${entry#*|}
      out="$work/$s-$condition-$i"
      if [ "$condition" = busy ]; then
        sh -c 'while :; do :; done' &
        busy=$!
      fi
      # shellcheck disable=SC2086  # the setting is a list of VAR=VALUE words
      trainer=()
      case " $environment " in *" TRAINER=xgboost "*) trainer=(--trainer xgboost) ;; esac
      env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT ${environment//TRAINER=xgboost/} "$shell" scripts/benchmark.lua --data "$data" --out "$out" --bootstrap 0 --quiet "${trainer[@]}" > /dev/null
      if [ -n "$busy" ]; then kill "$busy"; wait "$busy" 2>/dev/null || true; busy=""; fi
    done
  done
  echo "bench_gbdt.sh: run $i of $runs done" >&2
done

names=()
for entry in "${settings[@]}"; do names+=("${entry%%|*}"); done
python3 - "$work" "$runs" "${names[@]}" <<'PY'
import json, statistics, sys
work, runs, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def fit(s, condition, i):
    return json.load(open(f"{work}/{s}-{condition}-{i}/run.json"))["seconds"]["fit_gbdt"]

def pr_auc(s, condition, i):
    return json.load(open(f"{work}/{s}-{condition}-{i}/metrics.json"))["metrics"]["gbdt"]["pr_auc"]["value"]

print(f"gbdt fit seconds (run.json fit_gbdt), {runs} alternating runs per setting and condition")
median = {}
for s, name in enumerate(names):
    for condition in ("quiet", "busy"):
        values = [fit(s, condition, i) for i in range(1, runs + 1)]
        median[(name, condition)] = statistics.median(values)
        print(f"  {name:<28} {condition:<5} " + " ".join(f"{v:6.3f}" for v in values) + f"   median {median[(name, condition)]:6.3f}")
aucs = sorted({round(pr_auc(s, c, i), 12) for s in range(len(names)) for c in ("quiet", "busy") for i in range(1, runs + 1)})
print("gbdt PR-AUC over every run: " + ", ".join(f"{a:.6f}" for a in aucs))
print(f"{'setting':<28} {'quiet':>7} {'busy':>7} {'busy/quiet':>11} {'quiet/active quiet':>19}")
for name in names:
    q, b = median[(name, "quiet")], median[(name, "busy")]
    print(f"{name:<28} {q:7.3f} {b:7.3f} {b / q:10.2f}x {q / median[('active', 'quiet')]:18.2f}x")
PY
