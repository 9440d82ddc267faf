#!/usr/bin/env python3
"""Cross-check of rally's SPA test against arch.bootstrap.SPA (used by SuperiorPredictiveAbilityTests).

    python3 scripts/crosscheck/spa_arch.py DIR BLOCK

reads DIR/losses.csv (column 0: the benchmark's loss per row, columns 1..k: the alternatives')
and DIR/weights.csv (one line per resample: how many times each row was drawn, as rally's
BlockBootstrap draws them), and prints JSON: arch's lower / consistent / upper p-values, its
statistic (the largest mean differential), the variances it uses for the consistent threshold,
and whether `studentize=False` gives the same p-values (arch 8.0 does not studentize).

arch draws its own resamples; to compare exactly, its bootstrap is replaced by one that hands
it rally's resamples (row i repeated w_i times: the same mean as rally's sum of w_i d_i / n).
"""
import json
import sys

import numpy as np
from arch.bootstrap import SPA


class GivenResamples:
    """Stands in for arch's bootstrap object: yields the loss differentials of the given resamples."""

    def __init__(self, data, weights):
        self.data, self.weights = data, weights

    def bootstrap(self, reps):
        for w in self.weights[:reps]:
            yield (self.data[np.repeat(np.arange(len(w)), w)],), {}


def run(losses, weights, block, studentize):
    spa = SPA(losses[:, 0], losses[:, 1:], block_size=block, reps=len(weights), bootstrap="mbb", studentize=studentize)
    spa.bootstrap = GivenResamples(spa._loss_diff, weights)
    spa.compute()
    return spa


def main():
    folder, block = sys.argv[1], int(sys.argv[2])
    losses = np.loadtxt(f"{folder}/losses.csv", delimiter=",", ndmin=2)
    weights = np.loadtxt(f"{folder}/weights.csv", delimiter=",", dtype=np.int64, ndmin=2)
    spa = run(losses, weights, block, True)
    plain = run(losses, weights, block, False)
    p = spa.pvalues
    print(json.dumps({
        "lower": float(p["lower"]), "consistent": float(p["consistent"]), "upper": float(p["upper"]),
        "statistic": float(np.max(spa._loss_diff.mean(axis=0))),
        "variances": [float(v) for v in spa._loss_diff_var],
        "studentize_changes_nothing": bool((plain.pvalues == p).all()),
    }))


if __name__ == "__main__":
    main()
