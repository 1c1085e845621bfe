"""Statistics of a comparison: the spread over replicates and paired differences.

Replicate ``r`` of every scenario uses the same seed, so the difference of a pair
(scenario - reference, same replicate) carries far less noise than the difference of
two independent runs; intervals on differences are computed on those pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

REFERENCE = "baseline"
ID_COLUMNS = ("scenario", "replicate", "seed")
DIFF_COLUMNS = ("diff_mean", "diff_ci_low", "diff_ci_high", "diff_p5", "diff_p95")


def summarise_comparison(runs: pd.DataFrame, reference: str | None = REFERENCE) -> pd.DataFrame:
    """Per scenario and summary metric: the spread over replicates and the paired
    difference from the reference scenario.

    Args:
        runs: one row per run with columns scenario, replicate, and one per metric
            (``Comparison.runs``).
        reference: the scenario differences are taken from; if absent from ``runs``,
            the first scenario listed.

    Returns a long table, one row per (scenario, metric), in the metric's own unit:
    ``n`` (runs with a value), ``mean``, ``p5``, ``p95`` (5th and 95th percentiles over
    replicates), ``reference``, ``diff_mean`` (mean of scenario - reference over
    replicates paired by replicate number), ``diff_ci_low``/``diff_ci_high`` (90%
    confidence interval of that mean, Student t on the paired differences),
    ``diff_p5``/``diff_p95`` (5th/95th percentiles of the paired differences: how much
    one replicate's difference varies).
    """
    if runs.empty:
        raise ValueError("no runs to summarise")
    scenarios = list(dict.fromkeys(runs["scenario"]))
    ref = reference if reference in scenarios else scenarios[0]
    metrics = [c for c in runs.columns if c not in ID_COLUMNS and pd.api.types.is_numeric_dtype(runs[c])]
    by_rep = {s: g.set_index("replicate")[metrics] for s, g in runs.groupby("scenario", sort=False)}
    base = by_rep[ref]
    rows = []
    for s in scenarios:
        g = by_rep[s]
        paired = g.merge(base, left_index=True, right_index=True, how="inner", suffixes=("", "__ref"))
        for m in metrics:
            v = g[m].to_numpy(dtype=float)
            v = v[~np.isnan(v)]
            d = (paired[m] - paired[f"{m}__ref"]).to_numpy(dtype=float)
            d = d[~np.isnan(d)]
            row = {"scenario": s, "metric": m, "n": len(v)}
            row.update(spread(v))
            row["reference"] = ref
            row.update(paired_difference(d))
            rows.append(row)
    return pd.DataFrame(rows)


def spread(v: np.ndarray) -> dict[str, float]:
    """``mean``, ``p5`` and ``p95`` of the values (NaN when there are none)."""
    if len(v) == 0:
        return {"mean": np.nan, "p5": np.nan, "p95": np.nan}
    p5, p95 = np.percentile(v, [5, 95])
    return {"mean": float(v.mean()), "p5": float(p5), "p95": float(p95)}


def paired_difference(d: np.ndarray) -> dict[str, float]:
    """Mean of the paired differences ``d``, its 90% Student-t interval (needs two
    pairs) and the 5th/95th percentiles of single differences (NaN when absent)."""
    out = dict.fromkeys(DIFF_COLUMNS, np.nan)
    if len(d) == 0:
        return out
    mean = float(d.mean())
    out["diff_mean"] = mean
    out["diff_p5"], out["diff_p95"] = (float(x) for x in np.percentile(d, [5, 95]))
    if len(d) > 1:
        half = float(stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)))
        out["diff_ci_low"], out["diff_ci_high"] = mean - half, mean + half
    return out
