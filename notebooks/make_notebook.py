#!/usr/bin/env python3
"""Writes notebooks/pjm_rally_demo.ipynb (a plain nbformat-4 JSON file, no outputs).

The notebook draws the report's key figures with pandas + matplotlib from the same artifacts
that scripts/report.lua reads (metrics.json, predictions.csv, run.json, importance.csv,
sweep_thresholds.csv). Edit the cells here, then run `python3 notebooks/make_notebook.py` (`--check` only
verifies that the committed notebook matches).
Execute it with `jupyter nbconvert --to notebook --execute notebooks/pjm_rally_demo.ipynb`;
RALLY_ARTIFACTS=DIR points it at another artifacts directory (default: ../artifacts).
"""
import json
from pathlib import Path

CELLS = [
    ("markdown", """# Rally risk on PJM power prices — the benchmark in pandas

The same key figures as `reports/pjm_rally_demo.html`, drawn with pandas and matplotlib from the
benchmark artifacts alone (`metrics.json`, `predictions.csv`, and `run.json`, `importance.csv`,
`sweep_thresholds.csv` when present). Nothing is re-fitted: every number comes from the files.

Set `RALLY_ARTIFACTS` to read another artifacts directory (default `../artifacts`, as written by
`rally-shell scripts/benchmark.lua`)."""),
    ("code", """import json
import os
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

ART = Path(os.environ.get("RALLY_ARTIFACTS", "../artifacts"))
metrics = json.loads((ART / "metrics.json").read_text())
pred = pd.read_csv(ART / "predictions.csv", parse_dates=["ts"])
run = json.loads((ART / "run.json").read_text()) if (ART / "run.json").exists() else {}

models, baseline = metrics["models"], metrics["baseline"]
labeler = run.get("parameters", {}).get("labeler", {})
H = int(labeler.get("horizon", 0))           # label horizon in hours (0: unknown)
target = pred["ts"] + pd.Timedelta(hours=H)  # the hour each label and probability is about
y = pred["y"].to_numpy()
COLORS = {"naive": "#7a7a7a", "logreg": "#0072B2", "gbdt": "#D55E00"}
OTHER = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
color = {m: COLORS.get(m, OTHER[i % len(OTHER)]) for i, m in enumerate(models)}
plt.rcParams.update({"figure.dpi": 100, "axes.grid": True, "grid.color": "#e6e6e6"})

t = metrics["test"]
print(f"{len(pred)} test hours {pred.ts.iloc[0]} .. {pred.ts.iloc[-1]}, {t['positives']} rallies "
      f"(base rate {100 * t['base_rate']:.2f}%); models {models}, baseline {baseline}; labeler {labeler or 'not recorded'}")
if run.get("data", {}).get("synthetic"):
    print("NOTE: these artifacts come from SYNTHETIC data; the numbers say nothing about PJM.")"""),
    ("markdown", """## The benchmark table

Point values on all test hours with 95% moving-block bootstrap intervals, then the differences
from the baseline (paired intervals) and Diebold–Mariano p-values (better: the model's loss is
lower than the baseline's; worse: higher). An interval that excludes zero marks a difference
larger than the resampling noise."""),
    ("code", """keys = ["roc_auc", "pr_auc", "brier", "log_loss", "precision_at_top", "lift_at_top", "brier_skill"]

def fmt(e, d=3):
    return f"{e['value']:.{d}f} [{e['ci95'][0]:.{d}f}, {e['ci95'][1]:.{d}f}]" if e and e["value"] is not None else ""

table = pd.DataFrame({m: {k: fmt(metrics["metrics"][m].get(k), 4 if k == "brier" else 3) for k in keys} for m in models}).T
table"""),
    ("code", """rows = {}
for m, v in metrics.get("vs_baseline", {}).items():
    row = {}
    for k in ["pr_auc", "roc_auc", "brier", "log_loss"]:
        d = v.get(k + "_diff")
        if d:
            lo, hi = d["ci95"]
            row[f"Δ {k}"] = f"{d['value']:+.4f} [{lo:+.4f}, {hi:+.4f}]" + ("" if lo <= 0 <= hi else " *")
    for name, key in [("DM p (Brier)", "dm_brier"), ("DM p (log loss)", "dm_log_loss")]:
        p, z = v.get(key + "_p"), v.get(key + "_statistic")
        way = "" if not z else (" better" if z < 0 else " worse")  # statistic < 0: the model's loss is lower
        row[name] = "n/a" if p is None else f"{p:.2g}{way}"
    rows[m] = row
pd.DataFrame(rows).T  # * = interval excludes zero; better / worse: the model's loss is lower / higher than the baseline's"""),
    ("markdown", """## Close-ups: price, probabilities and realized rallies

The January 2018 cold snap and a summer 2018 heat spell (or the test period's first two weeks
when those dates have no data). Probabilities and thresholds are drawn at the hour they are
about (`H` hours after they were issued); shaded hours were rallies."""),
    ("code", """defaults = [("January 2018 cold snap", "2017-12-26", "2018-01-10 23:59"),
            ("Summer 2018 heat spell", "2018-06-25", "2018-07-10 23:59")]
first, last = target.iloc[0], target.iloc[-1]
windows = [(n, pd.Timestamp(a), pd.Timestamp(b)) for n, a, b in defaults if pd.Timestamp(a) <= last and pd.Timestamp(b) >= first]
if not windows:
    windows = [("First two weeks of the test period", first, min(first + pd.Timedelta(days=14, hours=-1), last))]

for title, a, b in windows:
    about = (target >= a) & (target <= b)
    own = (pred.ts >= a) & (pred.ts <= b)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
    for ax in (ax1, ax2):
        for hour in target[about & (pred.y == 1)]:
            ax.axvspan(hour, hour + pd.Timedelta(hours=1), color="#e8a09a", alpha=0.45, lw=0)
    ax1.plot(pred.ts[own], pred.price[own], color="#222222", lw=1.1, label="price")
    ax1.step(target[about], pred.threshold[about], where="post", color="#7a7a7a", ls="--", lw=1.2,
             label=f"threshold set {H} h earlier")
    ax1.set_ylabel("USD/MWh")
    ax1.legend(loc="upper right", fontsize=9)
    for m in models:
        ax2.step(target[about], pred["p_" + m][about], where="post", color=color[m], lw=1.3, label=m)
    ax2.set_ylim(0, 1)
    ax2.set_ylabel(f"Rally probability (issued {H} h ahead)")
    ax2.legend(loc="upper right", fontsize=9, ncol=len(models))
    ax2.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    fig.suptitle(f"{title}: {a:%Y-%m-%d} to {b:%Y-%m-%d}")
    fig.tight_layout()
    plt.show()"""),
    ("markdown", """## Reliability with bootstrap bands

Ten equal-width probability bins (those of the ECE in `metrics.json`; a probability on an edge
goes to the bin below, as scikit-learn's `calibration_curve`). Bands: 2.5–97.5 percentiles of
each bin's rally rate over moving-block resamples of the test hours (blocks of 168 h, bins
fixed). The resampling uses numpy's generator, so bands match the report's in method, not in
the last digit."""),
    ("code", """def block_weights(n, block, rng):
    w = np.zeros(n)
    remaining = n
    for start in rng.integers(0, n - block, size=-(-n // block)):
        take = min(block, remaining)
        w[start:start + take] += 1
        remaining -= take
    return w

rng = np.random.default_rng(7)
weights = np.array([block_weights(len(y), 168, rng) for _ in range(200)])
inner = np.linspace(0, 1, 11)[1:-1]
fig, axes = plt.subplots(1, len(models), figsize=(4 * len(models), 4.2), sharey=True, squeeze=False)
for ax, m in zip(axes[0], models):
    p = pred["p_" + m].to_numpy()
    b = np.searchsorted(inner, p, side="left")
    used = [k for k in range(10) if (b == k).any()]
    mean_p = [p[b == k].mean() for k in used]
    observed = [y[b == k].mean() for k in used]
    rates = []
    for k in used:
        wk = weights[:, b == k]
        total = wk.sum(axis=1)
        rates.append(np.where(total > 0, (wk * y[b == k]).sum(axis=1) / np.where(total > 0, total, 1), np.nan))
    lo = [np.nanpercentile(r, 2.5) for r in rates]
    hi = [np.nanpercentile(r, 97.5) for r in rates]
    ax.plot([0, 1], [0, 1], ls="--", color="#7a7a7a", lw=1)
    ax.fill_between(mean_p, lo, hi, color=color[m], alpha=0.22, lw=0)
    ax.plot(mean_p, observed, "o-", color=color[m])
    ece = metrics["metrics"][m].get("ece")
    ax.set_title(m + (f"  ECE {ece['value']:.3f}" if ece else ""))
    ax.set_xlabel("Mean predicted probability")
    ax.set_xlim(0, 1); ax.set_ylim(0, 1)
axes[0][0].set_ylabel("Observed rally rate")
fig.tight_layout()
plt.show()"""),
    ("markdown", "## Precision–recall and lift by top-k%"),
    ("code", """def ranked(s):
    return np.lexsort((np.arange(len(s)), -s))  # highest first, ties in time order

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
base = y.mean()
ax1.axhline(base, ls="--", color="#7a7a7a", lw=1, label=f"no skill ({100 * base:.1f}%)")
lifts = {}
for m in models:
    s = pred["p_" + m].to_numpy()
    order = ranked(s)
    hits = np.cumsum(y[order])
    ends = np.r_[s[order][1:] != s[order][:-1], True]   # one point per distinct threshold
    k = np.arange(1, len(y) + 1)
    ap = metrics["metrics"][m].get("pr_auc", {}).get("value")
    recall, precision = hits[ends] / y.sum(), hits[ends] / k[ends]
    # Steps, as average precision sums them: each precision holds over the recall its threshold adds.
    ax1.plot(np.r_[0, recall], np.r_[precision, precision[-1]], drawstyle="steps-post", color=color[m],
             label=f"{m} (PR-AUC {ap:.3f})" if ap is not None else m)
    top = [max(1, int(round(pct / 100 * len(y)))) for pct in range(1, 21)]
    lifts[m] = [hits[n - 1] / n / base for n in top]
    ax2.plot(range(1, 21), lifts[m], "o-", color=color[m], label=m, ms=3)
ax1.set_xlabel("Recall"); ax1.set_ylabel("Precision"); ax1.set_xlim(0, 1); ax1.set_ylim(0, 1); ax1.legend(fontsize=9)
ax2.axhline(1, ls="--", color="#7a7a7a", lw=1)
ax2.set_xlabel("Top k% of hours flagged"); ax2.set_ylabel("Lift (rally rate ÷ base rate)"); ax2.legend(fontsize=9)
fig.tight_layout()
plt.show()
pd.DataFrame(lifts, index=pd.Index(range(1, 21), name="top k%")).loc[[1, 5, 10, 20]].round(2)"""),
    ("markdown", "## Rally rate by hour of day and month (of the hour the label is about)"),
    ("code", """grid = pd.DataFrame({"hour": target.dt.hour, "month": target.dt.month, "y": y})
rate = grid.pivot_table(index="hour", columns="month", values="y", aggfunc="mean").reindex(index=range(24), columns=range(1, 13))
fig, ax = plt.subplots(figsize=(11, 6))
image = ax.imshow(rate.to_numpy() * 100, aspect="auto", cmap="Oranges", vmin=0)
ax.set_xticks(range(12), ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
ax.set_yticks(range(0, 24, 2), [f"{h:02d}:00" for h in range(0, 24, 2)])
ax.set_xlabel("Month"); ax.set_ylabel("Hour of day"); ax.grid(False)
fig.colorbar(image, ax=ax, label="Rally rate (% of hours)")
ax.set_title("Rally rate by hour of day and month (test period)")
plt.show()"""),
    ("markdown", """## Feature importance and the threshold sweep (when their files exist)

The sweep is drawn against its first varying labeler parameter (`q`); any other varying parameter
(`window`) is held at the benchmark's own value from `run.json`, as in the report, or splits the
lines when the sweep lacks that value. Its intervals come from the sweep's own bootstrap of each
configuration (`sweep_thresholds.lua --bootstrap`, 200 resamples by default), not the benchmark
table's, so at the benchmark's `q` the interval may differ slightly from the table above."""),
    ("code", """imp_path = ART / "importance.csv"
imp = pd.read_csv(imp_path) if imp_path.exists() else pd.DataFrame(columns=["model", "feature", "gain"])
if len(imp):
    model = "gbdt" if (imp.model == "gbdt").any() else imp.model.iloc[0]
    share = imp[imp.model == model].set_index("feature").gain
    share = (share / share.sum()).sort_values().tail(20)
    ax = share.plot.barh(figsize=(9, 0.3 * len(share) + 1.2), color=color.get(model, "#D55E00"))
    ax.set_xlabel("Share of total gain"); ax.set_title(f"{model}: feature importance")
    plt.show()
else:
    print("no importance rows")

sweep_path = ART / "sweep_thresholds.csv"
if sweep_path.exists():
    sweep = pd.read_csv(sweep_path)
    keys = list(sweep.columns[: list(sweep.columns).index("model")])
    varying = [k for k in keys if sweep[k].nunique() > 1 and pd.api.types.is_numeric_dtype(sweep[k])]
    if varying:
        x = varying[0]
        held = {}
        for k in varying[1:]:  # hold the other varying parameters at the benchmark's value when the sweep has it
            if k in labeler and (sweep[k] == labeler[k]).any():
                held[k] = labeler[k]
                sweep = sweep[sweep[k] == labeler[k]]
        split = [k for k in varying[1:] if k not in held]
        headline = next((c for c in sweep.columns if f"{c}_lo" in sweep.columns and f"{c}_hi" in sweep.columns), "pr_auc")
        fig, axes = plt.subplots(1, 2, figsize=(12, 4))
        styles = ["-", "--", ":", "-."]  # one line style per value of a split parameter; colour is the model
        values = list(dict.fromkeys(map(tuple, sweep[split].to_numpy()))) if split else [()]
        for key, part in sweep.groupby(["model"] + split, sort=False):
            key = key if isinstance(key, tuple) else (key,)
            m = key[0]
            label = ", ".join([m] + [f"{k} = {v}" for k, v in zip(split, key[1:])])
            c = color.get(m)
            part = part.sort_values(x)
            axes[0].plot(part[x], part[headline], marker="o", ls=styles[values.index(tuple(key[1:])) % len(styles)], color=c, label=label)
            if f"{headline}_lo" in part:
                axes[0].fill_between(part[x], part[f"{headline}_lo"], part[f"{headline}_hi"], color=c, alpha=0.15)
        if "base_rate" in sweep:  # the labels' own figure: one line per value of any split parameter
            for v, part in (sweep.groupby(split, sort=False) if split else [((), sweep)]):
                rate = part.groupby(x)["base_rate"].first()
                v = v if isinstance(v, tuple) else (v,)
                axes[1].plot(rate.index, rate.to_numpy() * 100, marker="o", ls=styles[values.index(v) % len(styles)], color="#222222",
                             label=", ".join(f"{k} = {w}" for k, w in zip(split, v)) or None)
            if split:
                axes[1].legend(fontsize=9)
        axes[0].set_xlabel(x); axes[0].set_ylabel(f"{headline} (95% interval: the sweep's own bootstrap)"); axes[0].legend(fontsize=9)
        axes[1].set_xlabel(x); axes[1].set_ylabel("Base rate (%)")
        at = ", ".join(f"{k} = {v}" for k, v in held.items())
        fig.suptitle(f"Threshold sweep over {x}" + (f" at the benchmark's {at}" if at else "")
                     + (f", one line per {', '.join(split)}" if split else ""))
        fig.tight_layout()
        plt.show()
        if not split:  # the numbers drawn: the report's sweep sentence quotes the same ones
            print(sweep.pivot_table(index=x, columns="model", values=headline, sort=False).round(4)
                  .join((sweep.groupby(x)["base_rate"].first() * 100).round(2).rename("base rate (%)")))
else:
    print("no sweep_thresholds.csv")"""),
    ("markdown", """## What an alarm is worth

A false alarm costs 1 unit, a missed rally `R` units; for calibrated probabilities the
cheapest rule is to act when p ≥ 1/(1 + R). Savings are against doing nothing (every rally
missed)."""),
    ("code", """def saving(p, R):
    act = p >= 1 / (1 + R)
    cost = (act & (y == 0)).sum() + R * (~act & (y == 1)).sum()
    return 1 - cost / (R * y.sum())

pd.DataFrame({m: {R: round(100 * saving(pred["p_" + m].to_numpy(), R), 1) for R in [2, 5, 10, 20, 50]} for m in models}) \\
    .rename_axis("cost ratio R")  # % saved vs doing nothing"""),
]


def notebook():
    cells = []
    for kind, source in CELLS:
        lines = source.split("\n")
        cell = {"cell_type": kind, "metadata": {}, "source": [line + "\n" for line in lines[:-1]] + [lines[-1]]}
        if kind == "code":
            cell.update({"execution_count": None, "outputs": []})
        cells.append(cell)
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index:02d}"
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


if __name__ == "__main__":
    import sys
    text = json.dumps(notebook(), indent=1, ensure_ascii=False) + "\n"
    path = Path(__file__).with_name("pjm_rally_demo.ipynb")
    if sys.argv[1:] == ["--check"]:
        if path.read_text(encoding="utf-8") != text:
            sys.exit(f"{path} is out of date: run python3 {Path(__file__).name}")
        print(f"{path} is up to date")
    else:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
