#!/usr/bin/env python3
"""A fast Python peer for the PJM rally benchmark (protocol v1, ../shared/BENCHMARK.md): the
same work as rally's benchmark recipe, written the way a skilled numpy user would.

    python3 scripts/bench/fast_peer.py DATA.csv OUT_DIR [--bootstrap N]

Same data, label, 19 features, split and models as the reference peer
(../shared/peer/python_reference.py): naive, L2 logistic regression (C = 1, L-BFGS on the exact
objective, intercept not penalised), LightGBM (300 rounds, learning rate 0.05, depth 6) on 2
threads. Unlike the reference peer it scores the way rally does: every metric (ROC-AUC, PR-AUC,
Brier, log loss, precision and lift at top 5%, Brier skill against the training base rate, ECE
and Murphy's decomposition on 10 bins), a 95% interval of each from the moving-block bootstrap
(block 168, 1000 resamples, the reference peer's draws: numpy default_rng(7)), the paired
interval of each model's difference from naive, and Diebold-Mariano tests (Brier, log loss,
Newey-West lag 23). The bootstrap never sorts a resample: each resample is a vector of row
counts, built from the block starts by a cumulative sum, and every metric is a count-weighted
sum over each model's one global score order (tie groups summed with reduceat, losses and
calibration bins by one matrix product for all models), a chunk of resamples at a time.

Prints one JSON line with the metrics and the seconds of each stage; writes metrics.json and
predictions.csv into OUT_DIR.
"""
import json
import os
import sys
import time

T0 = time.perf_counter()
# threading: LightGBM on 2 OpenMP threads (its fastest here); numpy's BLAS on one thread (the
# logistic regression's products are 34,369 x 20: threads cost more than they give)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import lightgbm as lgb  # noqa: E402
from scipy.optimize import minimize  # noqa: E402
from scipy.special import erfc, expit  # noqa: E402

T_IMPORT = time.perf_counter() - T0

H, W, Q = 24, 28 * 24, 0.95
TRAIN_END, TEST_START = "2016-12-31 23:00:00", "2017-01-01 00:00:00"
TOP, BINS, CLIP, BLOCK, SEED, LAG = 0.05, 10, 1e-6, 168, 7, 23
METRICS = ["roc_auc", "pr_auc", "brier", "log_loss", "precision_at_top", "lift_at_top", "brier_skill",
           "ece", "brier_reliability", "brier_resolution", "brier_uncertainty"]


def load(path):
    df = pd.read_csv(path, engine="c")
    df.columns = ["ts", "price", "sys_load_fc", "zonal_load_fc"]
    df["ts"] = pd.to_datetime(df["ts"], format="%Y-%m-%d %H:%M:%S")
    return df.set_index("ts").sort_index()


def build(df):
    p = df["price"]
    thr = p.rolling(W, min_periods=W).quantile(Q)
    fut = p.shift(-H)
    y = (fut > thr).astype(float).where(fut.notna() & thr.notna())
    cols = {f"lag{k}": p.shift(k) for k in (0, 1, 2, 23, 144)}
    for w in (24, 168):
        r = p.rolling(w)
        cols[f"mean{w}"], cols[f"std{w}"] = r.mean(), r.std()
    cols["max24"] = p.rolling(24).max()
    cols["gap_to_thr"] = p / thr
    tgt = df.index + pd.Timedelta(hours=H)
    cols["hour"], cols["dow"], cols["month"] = tgt.hour, tgt.day_of_week, tgt.month
    cols["weekend"] = (tgt.day_of_week >= 5).astype(float)
    for c in ("sys_load_fc", "zonal_load_fc"):
        fc = df[c].shift(-H)
        cols[c], cols[c + "_rel"] = fc, fc / df[c].rolling(168).mean()
    X = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in cols.items()}, index=df.index)
    ok = X.notna().all(axis=1).to_numpy() & y.notna().to_numpy()
    return X[ok], y.to_numpy()[ok], thr.to_numpy()[ok]


def logreg(Xtr, ytr, Xte, C=1.0):
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    A = np.hstack([(Xtr - mu) / sd, np.ones((len(Xtr), 1))])
    s = 2 * ytr - 1

    def f(w):
        z = A @ w
        loss = np.logaddexp(0, -s * z).sum()
        g = A.T @ (-s * expit(-s * z))
        pen = w.copy(); pen[-1] = 0
        return 0.5 * pen @ pen + C * loss, pen + C * g

    w = minimize(f, np.zeros(A.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 1000, "gtol": 1e-8}).x
    return expit(np.hstack([(Xte - mu) / sd, np.ones((len(Xte), 1))]) @ w)


class Layout:
    """One model's score order, laid out once: where each tie group holding a positive starts
    and ends, and how many positives precede those places."""

    def __init__(self, y, p):
        self.order = np.argsort(-p, kind="stable")
        ps, ys = p[self.order], y[self.order]
        starts = np.flatnonzero(np.r_[True, ps[1:] != ps[:-1]])
        ends = np.r_[starts[1:], len(p)]
        has_pos = np.add.reduceat(ys, starts) > 0
        self.gs, self.ge = starts[has_pos], ends[has_pos]
        self.pos_at = np.flatnonzero(ys == 1)              # positions of the positives in the order
        self.pos_before_gs = np.searchsorted(self.pos_at, self.gs)
        self.pos_before_ge = np.searchsorted(self.pos_at, self.ge)
        self.sorted_y = ys
        self.k = max(1, int(round(TOP * len(y))))


def counts_chunk(starts, m):
    """Row counts (resamples x m) of resamples given their block starts."""
    r, nb = starts.shape
    take = np.full(nb, BLOCK); take[-1] = m - (nb - 1) * BLOCK
    base = (np.arange(r) * (m + 1))[:, None]
    d = np.bincount((base + starts).ravel(), minlength=r * (m + 1))
    d -= np.bincount((base + starts + take).ravel(), minlength=r * (m + 1))
    return np.cumsum(d.reshape(r, m + 1)[:, :m], axis=1, dtype=np.int32)


def prefix(A):
    """Cumulative sums along rows with a leading 0 column."""
    out = np.zeros((A.shape[0], A.shape[1] + 1), dtype=np.int64)
    np.cumsum(A, axis=1, out=out[:, 1:])
    return out


def ranked(C, L, P):
    """ROC-AUC, PR-AUC and precision at top of each resample (rows of counts C), from the
    model's one score order: no sort."""
    Cs = C[:, L.order]
    N = C.shape[1] - P
    cum, cum_pos = prefix(Cs), prefix(Cs[:, L.pos_at])
    tp, pos_above = cum_pos[:, L.pos_before_ge], cum_pos[:, L.pos_before_gs]
    pos = (tp - pos_above).astype(float)
    neg_above = (cum[:, L.gs] - pos_above).astype(float)
    fp = (cum[:, L.ge] - tp).astype(float)
    neg = fp - neg_above
    auc = (pos * (N[:, None] - neg_above - neg) + 0.5 * pos * neg).sum(axis=1) / (P * N)
    with np.errstate(invalid="ignore", divide="ignore"):
        ap = np.where(pos > 0, (pos / P[:, None]) * (tp / (tp + fp)), 0).sum(axis=1)
    width = int((cum[:, 1:] < L.k).sum(axis=1).max()) + 1
    taken = np.minimum(Cs[:, :width], np.maximum(L.k - cum[:, :width], 0))
    hits = taken @ L.sorted_y[:width]
    return auc, ap, hits / L.k


def score(C, y, preds, layouts, clim):
    """Every metric of every model on each resample (rows of counts C)."""
    Cf = C.astype(float)
    n = Cf.sum(axis=1)
    P = Cf @ y
    base = P / n
    out = {}
    onehot_cols, cols = [], []
    for p in preds.values():
        q = np.clip(p, CLIP, 1 - CLIP)
        b = np.minimum(np.searchsorted(np.linspace(0, 1, BINS + 1)[1:-1], p, side="left"), BINS - 1)
        oh = np.zeros((len(p), BINS)); oh[np.arange(len(p)), b] = 1
        cols.append(np.column_stack([(p - y) ** 2, -(y * np.log(q) + (1 - y) * np.log(1 - q)), oh, oh * p[:, None], oh * y[:, None]]))
    cols.append(((clim - y) ** 2)[:, None])
    S = Cf @ np.hstack(cols)
    ref = S[:, -1] / n
    width = 2 + 3 * BINS
    for j, (name, p) in enumerate(preds.items()):
        s = S[:, j * width:(j + 1) * width]
        brier, ll = s[:, 0] / n, s[:, 1] / n
        cnt, sp, sy = s[:, 2:2 + BINS], s[:, 2 + BINS:2 + 2 * BINS], s[:, 2 + 2 * BINS:]
        with np.errstate(invalid="ignore", divide="ignore"):
            mp, my = sp / cnt, sy / cnt
            rel = np.nansum(cnt * (mp - my) ** 2, axis=1) / n
            res = np.nansum(cnt * (my - base[:, None]) ** 2, axis=1) / n
            ece = np.nansum(cnt * np.abs(mp - my), axis=1) / n
        auc, ap, prec = ranked(C, layouts[name], P)
        out[name] = np.column_stack([auc, ap, brier, ll, prec, prec / base, 1 - brier / ref, ece, rel, res, base * (1 - base)])
    return out


def bootstrap(y, preds, layouts, clim, nboot, chunk=128):
    m = len(y)
    nb = int(np.ceil(m / BLOCK))
    rng = np.random.default_rng(SEED)
    starts = np.array([rng.integers(0, m - BLOCK, nb) for _ in range(nboot)]).reshape(nboot, nb)
    reps = {k: [] for k in preds}
    for c0 in range(0, nboot, chunk):
        C = counts_chunk(starts[c0:c0 + chunk], m)
        P = C @ y.astype(np.int32)
        keep = (P > 0) & (P < m)
        for k, v in score(C[keep], y, preds, layouts, clim).items():
            reps[k].append(v)
    return {k: np.vstack(v) for k, v in reps.items()}


def diebold_mariano(d, lag=LAG):
    n = len(d)
    c = d - d.mean()
    v = c @ c / n + 2 * sum((1 - k / (lag + 1)) * (c[k:] @ c[:-k]) / n for k in range(1, lag + 1))
    stat = d.mean() / np.sqrt(v / n)
    return float(erfc(abs(stat) / np.sqrt(2)))


def main():
    path, out = sys.argv[1], sys.argv[2]
    nboot = int(sys.argv[sys.argv.index("--bootstrap") + 1]) if "--bootstrap" in sys.argv else 1000
    t = {"import": T_IMPORT}
    s = time.perf_counter(); df = load(path); t["load"] = time.perf_counter() - s
    s = time.perf_counter(); X, y, thr = build(df); t["features_labels"] = time.perf_counter() - s
    idx = X.index
    train = (idx + pd.Timedelta(hours=H) <= pd.Timestamp(TRAIN_END))
    test = idx >= pd.Timestamp(TEST_START)
    A = X.to_numpy()
    Xtr, ytr, Xte, yte = A[train], y[train], A[test], y[test]
    preds = {}
    s = time.perf_counter()
    g = list(X.columns).index("gap_to_thr")
    above_tr, above_te = Xtr[:, g] > 1, Xte[:, g] > 1
    preds["naive"] = np.where(above_te, ytr[above_tr].mean(), ytr[~above_tr].mean())
    t["naive"] = time.perf_counter() - s
    s = time.perf_counter(); preds["logreg"] = logreg(Xtr, ytr, Xte); t["logreg"] = time.perf_counter() - s
    s = time.perf_counter()
    params = dict(objective="binary", n_estimators=300, learning_rate=0.05, num_leaves=31, max_depth=6,
                  verbose=-1, num_threads=2, force_col_wise=True)
    gb = lgb.LGBMClassifier(**params).fit(Xtr, ytr)
    preds["gbdt"] = gb.predict_proba(Xte)[:, 1]
    t["gbdt"] = time.perf_counter() - s
    s = time.perf_counter()
    clim = np.full(len(yte), ytr.mean())
    layouts = {k: Layout(yte, p) for k, p in preds.items()}
    point = score(np.ones((1, len(yte)), dtype=np.int32), yte, preds, layouts, clim)
    reps = bootstrap(yte, preds, layouts, clim, nboot)
    res, vs = {}, {}
    for k in preds:
        res[k] = {m: {"value": float(point[k][0, j]),
                      "ci95": [float(v) for v in np.percentile(reps[k][:, j], [2.5, 97.5])]} for j, m in enumerate(METRICS)}
        if k != "naive":
            diff = reps[k] - reps["naive"]
            vs[k] = {m + "_diff": {"value": float(point[k][0, j] - point["naive"][0, j]),
                                   "ci95": [float(v) for v in np.percentile(diff[:, j], [2.5, 97.5])]} for j, m in enumerate(METRICS)}
            q = {n: np.clip(preds[n], CLIP, 1 - CLIP) for n in (k, "naive")}
            se = {n: (preds[n] - yte) ** 2 for n in (k, "naive")}
            ll = {n: -(yte * np.log(q[n]) + (1 - yte) * np.log(1 - q[n])) for n in (k, "naive")}
            vs[k]["dm_brier_p"] = diebold_mariano(se[k] - se["naive"])
            vs[k]["dm_log_loss_p"] = diebold_mariano(ll[k] - ll["naive"])
    t["evaluate"] = time.perf_counter() - s
    s = time.perf_counter()
    pd.DataFrame({"ts": idx[test].strftime("%Y-%m-%d %H:%M"), "y": yte, **{f"p_{k}": v for k, v in preds.items()}}).to_csv(
        f"{out}/predictions.csv", index=False)
    with open(f"{out}/metrics.json", "w") as f:
        json.dump({"metrics": res, "vs_baseline": vs, "bootstrap": {"resamples": nboot, "used": int(len(reps["naive"]))}}, f, indent=2)
    t["write"] = time.perf_counter() - s
    t["total"] = time.perf_counter() - T0
    print(json.dumps({"rows": int(len(X)), "train": int(train.sum()), "test": int(test.sum()),
                      "base_rate_test": float(yte.mean()),
                      "metrics": {k: {m: v["value"] for m, v in r.items()} | {"pr_auc_ci95": r["pr_auc"]["ci95"]} for k, r in res.items()},
                      "seconds": {k: round(v, 4) for k, v in t.items()}}))


if __name__ == "__main__":
    main()
