"""Figures for studies (comparison, sweep, sensitivity): tables in, Figure out.

Each function takes the tidy tables a study writes (timeseries, summary.csv, sweep
runs, sensitivity indices) and returns a matplotlib Figure; callers save it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from sim.plots import style

# Timeseries columns drawn over time in a comparison, in this order, when present: the
# staffing and restructuring stocks a reader compares first, the leaders' profile, pay.
TIME_METRICS = (
    "headcount",
    "leaders",
    "leader_posts",
    "surplus_leaders",
    "vacant_leader_posts",
    "units",
    "leaders_women_share",
    "leaders_under40_share",
    "leaders_mean_age",
    "wage_bill",
)


def metrics_over_time(ts: pd.DataFrame, metrics: list[str], band: tuple[float, float] = style.BAND) -> Figure:
    """One panel per metric: per scenario, the mean over replicates by month (line) and
    the ``band`` percentiles across replicates (shaded). Each panel is titled by the
    metric's label and its y axis is in the metric's unit (shares as percentages).
    """
    fig, axes = style.panel_grid(len(metrics))
    scenarios = list(dict.fromkeys(ts["scenario"]))
    colours = style.colours(scenarios)
    for ax, m in zip(axes, metrics):
        for s in scenarios:
            style.band_line(ax, ts[ts["scenario"] == s], m, color=colours[s], lw=1.4, label=s, band=band)
        style.label_metric_axes(ax, m)
        ax.grid(alpha=0.3)
    if metrics:
        axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(f"Mean over replicates with {band[0]:g}-{band[1]:g}% band", fontsize=10)
    return fig


def end_differences(table: pd.DataFrame, metrics: list[str]) -> Figure:
    """One panel per summary metric: each scenario's mean paired difference from the
    reference (dot), its 90% confidence interval (thick bar) and the 5th-95th percentile
    of single-replicate differences (thin line), in the metric's unit (shares in
    percentage points). Takes summary.csv's table.
    """
    fig, axes = style.panel_grid(len(metrics), ncols=3, size=(4.6, 0.35 * table["scenario"].nunique() + 1.4))
    ref = table["reference"].iloc[0] if len(table) else "reference"
    t = table[table["scenario"] != ref]
    scenarios = list(dict.fromkeys(t["scenario"]))
    y = np.arange(len(scenarios))[::-1]
    for ax, m in zip(axes, metrics):
        d = t[t["metric"] == m].set_index("scenario").reindex(scenarios)
        ax.hlines(y, d["diff_p5"], d["diff_p95"], color="0.6", lw=1)
        ax.hlines(y, d["diff_ci_low"], d["diff_ci_high"], color="tab:blue", lw=3.5)
        ax.plot(d["diff_mean"], y, "o", color="tab:blue", ms=4)
        ax.axvline(0, color="k", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels(scenarios, fontsize=7)
        ax.set_ylim(-0.6, len(scenarios) - 0.4)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(style.wrap(style.summary_text(m)), fontsize=9)
        name, _ = style.summary_parts(m)
        if style.is_share(name):
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, symbol=""))
            ax.set_xlabel("difference (percentage points)", fontsize=7)
        elif style.summary_unit(m):
            ax.set_xlabel(f"difference ({style.summary_unit(m)})", fontsize=7)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(
        f"Difference from {ref} (paired by replicate): mean, 90% CI (thick), 5-95% of single pairs (thin)",
        fontsize=9,
    )
    return fig


def outcomes_vs_parameters(runs: pd.DataFrame, outcomes: list[str], parameters: list[str]) -> Figure:
    """Sweep results: a grid with one row per outcome and one column per swept parameter;
    each run is a dot, the mean per parameter value a line. With exactly one other swept
    parameter (besides seed), one line per value of it.
    """
    nr, nc = max(len(outcomes), 1), max(len(parameters), 1)
    fig = style.figure(4.4 * nc, 3.2 * nr)
    axes = fig.subplots(nr, nc, squeeze=False)
    for i, out in enumerate(outcomes):
        for j, p in enumerate(parameters):
            ax = axes[i, j]
            others = [q for q in parameters if q != p]
            groups = runs.groupby(others[0], sort=True) if len(others) == 1 else [("all runs", runs)]
            values = sorted(runs[p].dropna().unique(), key=_sort_key)
            numeric = all(isinstance(v, (int, float, np.integer, np.floating)) for v in values)
            pos = {v: (float(v) if numeric else k) for k, v in enumerate(values)}
            for label, g in groups:
                x = g[p].map(pos).to_numpy(dtype=float)
                ax.plot(x, g[out].to_numpy(dtype=float), "o", alpha=0.45, ms=3.5)
                mean = g.groupby(p)[out].mean()
                xm = np.array([pos[v] for v in mean.index], dtype=float)
                order = np.argsort(xm)
                name = f"{others[0]}={label}" if len(others) == 1 else "mean (dots: runs)"
                ax.plot(xm[order], mean.to_numpy()[order], "-", color=ax.lines[-1].get_color(), label=name)
            if not numeric:
                ax.set_xlim(-0.5, len(values) - 0.5)
                ax.set_xticks(list(pos.values()))
                ax.set_xticklabels([str(v) for v in values], fontsize=8)
            ax.set_xlabel(p)
            if j == 0:
                ylabel = style.with_unit(style.summary_text(out), style.summary_unit(out))
                ax.set_ylabel(style.wrap(ylabel, 36), fontsize=8)
            if style.is_share(style.summary_parts(out)[0]):
                ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.grid(alpha=0.3)
            if i == 0 and j == 0:
                ax.legend(fontsize=7)
    return fig


def _sort_key(v):
    return (0, float(v), "") if isinstance(v, (int, float, np.integer, np.floating)) else (1, 0.0, str(v))


def sensitivity_bars(indices: pd.DataFrame, method: str) -> Figure:
    """Sensitivity indices per outcome (one panel each), parameters as bars.

    Morris: mu* (mean absolute elementary effect, in the outcome's unit per full
    parameter range) with its 95% bootstrap interval, and sigma as a second bar.
    Sobol: first-order S1 and total ST indices (shares of variance) with 95% intervals.
    """
    outcomes = list(dict.fromkeys(indices["outcome"]))
    fig, axes = style.panel_grid(len(outcomes), ncols=2, size=(5.5, 0.45 * indices["parameter"].nunique() + 1.6))
    bars = (
        (("mu_star", "mu_star_conf", "mu*"), ("sigma", None, "sigma"))
        if method == "morris"
        else (
            ("S1", "S1_conf", "S1"),
            ("ST", "ST_conf", "ST"),
        )
    )
    for ax, out in zip(axes, outcomes):
        d = indices[indices["outcome"] == out]
        y = np.arange(len(d))[::-1]
        h = 0.38
        for k, (col, err, label) in enumerate(bars):
            xerr = d[err].to_numpy(dtype=float) if err else None
            ax.barh(y + (0.5 - k) * h, d[col].to_numpy(dtype=float), height=h, xerr=xerr, label=label, capsize=2)
        ax.set_yticks(y)
        ax.set_yticklabels(d["parameter"], fontsize=7)
        ax.set_title(style.wrap(style.summary_text(out), 60), fontsize=9)
        if method == "morris":
            unit = style.summary_unit(out)
            ax.set_xlabel(f"effect of the full range{f' ({unit})' if unit else ''}", fontsize=7)
        else:
            ax.set_xlabel("share of the outcome's variance", fontsize=7)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"{method.capitalize()} sensitivity indices", fontsize=10)
    return fig
