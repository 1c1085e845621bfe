"""Figures of the talent pipeline: succession pool, rotation and congresses.

A tidy DataFrame in, a matplotlib Figure out; no I/O (callers save). Several runs per
scenario (distinguished by ``seed`` and/or ``replicate`` columns) are summarised by the
mean per scenario with a 5–95% band (lines) or 5–95% error bars (bars).
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

BAND = (5, 95)  # percentiles shown around the mean across runs
RUN_KEYS = ("seed", "replicate")
CONGRESS_METRICS = {  # summary key suffix -> axis title
    "share_women": "women share",
    "share_under40": "under-40 share",
    "share_new": "share newly elected",
    "mean_age": "mean age (years)",
    "non_local_district_secretaries": "non-local district secretaries",
}
_CONGRESS_KEY = re.compile(r"^congress_(\d{4})_(.+)$")


def _years(months: pd.Series | pd.Index) -> np.ndarray:
    """'YYYY-MM' -> fractional year, e.g. 2018.67 for 2018-09."""
    ym = pd.Series(months).astype(str).str.split("-", expand=True).astype(int)
    return (ym[0] + (ym[1] - 1) / 12.0).to_numpy()


def _run_keys(df: pd.DataFrame) -> list[str]:
    return [k for k in RUN_KEYS if k in df.columns]


def _runs_by_month(g: pd.DataFrame, metric: str) -> pd.DataFrame:
    """month x run table of one metric for one scenario."""
    keys = _run_keys(g)
    if not keys:
        return g.groupby("month", sort=True)[[metric]].mean()
    return g.pivot_table(index="month", columns=keys, values=metric, aggfunc="mean", dropna=False).sort_index()


def _band_line(ax, g: pd.DataFrame, metric: str, *, color=None, ls="-", label=None) -> None:
    """Mean over runs with a 5–95% band when there are several runs."""
    piv = _runs_by_month(g, metric)
    arr = piv.to_numpy(dtype=float).reshape(len(piv), -1)
    x = _years(piv.index)
    with np.errstate(all="ignore"):
        valid = ~np.all(np.isnan(arr), axis=1)
        mean = np.full(len(arr), np.nan)
        mean[valid] = np.nanmean(arr[valid], axis=1)
    (line,) = ax.plot(x, mean, color=color, ls=ls, label=label)
    if arr.shape[1] > 1 and valid.any():
        lo, hi = np.nanpercentile(arr[valid], BAND, axis=1)
        ax.fill_between(x[valid], lo, hi, color=line.get_color(), alpha=0.2, lw=0)


def _no_data(ax, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what} in the table", ha="center", va="center", transform=ax.transAxes, color="grey")


def _grouped_bars(
    ax,
    groups: list,
    series: list,
    means: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    labels: list,
    colors: list | None = None,
) -> None:
    """Bars: one group per entry of ``groups``, one bar per entry of ``series``.

    ``means``, ``lo``, ``hi`` have shape (len(series), len(groups)); NaN means are not
    drawn; error bars are drawn where lo/hi differ from the mean.
    """
    width = 0.8 / max(len(series), 1)
    x = np.arange(len(groups), dtype=float)
    for k in range(len(series)):
        ok = ~np.isnan(means[k])
        if not ok.any():
            continue
        pos = x[ok] + (k - (len(series) - 1) / 2) * width
        err = np.clip(np.vstack([means[k][ok] - lo[k][ok], hi[k][ok] - means[k][ok]]), 0.0, None)  # a mean of equal values can exceed their p95 by rounding
        has_err = np.nan_to_num(err).any()
        ax.bar(
            pos,
            means[k][ok],
            width=width,
            label=labels[k],
            color=None if colors is None else colors[k],
            yerr=err if has_err else None,
            capsize=2 if has_err else 0,
        )
    ax.set_xticks(x)
    ax.set_xticklabels([str(g) for g in groups])


def _summarise(values: pd.Series) -> tuple[float, float, float]:
    """(mean, 5th, 95th percentile) of the non-NaN values; NaNs when none."""
    v = values.dropna().to_numpy(dtype=float)
    if v.size == 0:
        return np.nan, np.nan, np.nan
    lo, hi = np.percentile(v, BAND)
    return float(v.mean()), float(lo), float(hi)


def pipeline_panel(ts: pd.DataFrame, *, women_target: float = 0.25, young_target: float = 0.15) -> plt.Figure:
    """2×2 panel of the talent pipeline over time, one colour per scenario.

    Top left: bench strength (eligible pool candidates per key post). Top right:
    succession gaps summed per calendar year (bars; mean over runs, 5–95% error bars).
    Bottom left: pool women share (solid) and under-40 share (dash-dot) with the
    Regulation 50-QĐ/TW targets as dashed lines. Bottom right: rotations active.

    ``ts`` has a ``month`` column ("YYYY-MM"), optionally ``scenario``, ``seed`` and
    ``replicate``, and the metric columns; a missing metric leaves its panel empty with
    a note.
    """
    df = ts if "scenario" in ts.columns else ts.assign(scenario="run")
    scenarios = list(dict.fromkeys(df["scenario"]))
    colors = {s: f"C{i % 10}" for i, s in enumerate(scenarios)}
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    (a_bench, a_gaps), (a_share, a_rot) = axes

    for ax, metric, title, ylabel in (
        (a_bench, "bench_strength", "Bench strength", "eligible pool candidates per key post"),
        (a_rot, "rotations_active", "Rotations active", "cadres on rotation"),
    ):
        if metric in df.columns:
            for s in scenarios:
                _band_line(ax, df[df["scenario"] == s], metric, color=colors[s], label=str(s))
            ax.legend(fontsize=8)
        else:
            _no_data(ax, metric)
        ax.set(title=title, xlabel="year", ylabel=ylabel)

    if "succession_gaps" in df.columns:
        yearly = (
            df.assign(year=df["month"].astype(str).str[:4].astype(int))
            .groupby(["scenario", *_run_keys(df), "year"], sort=False)["succession_gaps"]
            .sum()
            .reset_index()
        )
        years = sorted(yearly["year"].unique())
        stats = np.full((3, len(scenarios), len(years)), np.nan)
        for (s, y), g in yearly.groupby(["scenario", "year"], sort=False):
            stats[:, scenarios.index(s), years.index(y)] = _summarise(g["succession_gaps"])
        labels = [str(s) for s in scenarios]
        _grouped_bars(a_gaps, years, scenarios, stats[0], stats[1], stats[2], labels, [colors[s] for s in scenarios])
        a_gaps.legend(fontsize=8)
    else:
        _no_data(a_gaps, "succession_gaps")
    a_gaps.set(
        title="Succession gaps per year (partial years at the ends)",
        xlabel="year",
        ylabel="key-post vacancies without a candidate",
    )

    drew = False
    for metric, ls, what in (("pool_women_share", "-", "women"), ("pool_under40_share", "-.", "under 40")):
        if metric in df.columns:
            for s in scenarios:
                _band_line(a_share, df[df["scenario"] == s], metric, color=colors[s], ls=ls, label=f"{what}, {s}")
            drew = True
    a_share.axhline(women_target, color="tab:red", ls="--", lw=1, label=f"women target {women_target:.0%}")
    a_share.axhline(young_target, color="tab:grey", ls="--", lw=1, label=f"under-40 target {young_target:.0%}")
    if not drew:
        _no_data(a_share, "pool shares")
    a_share.set(
        title="Succession pool composition (Reg. 50-QĐ/TW targets dashed)",
        xlabel="year",
        ylabel="share of pool members",
    )
    a_share.legend(fontsize=7)
    return fig


def congress_bars(summary: pd.DataFrame) -> plt.Figure:
    """Congress outcomes by scenario: one axis per measure, bars grouped by scenario.

    ``summary`` has one row per run, a ``scenario`` column, and columns named
    ``congress_<year>_<measure>`` (e.g. ``congress_2020_share_women``). Within each
    axis, one bar per congress year for each scenario: the mean over runs, with 5–95%
    error bars when there are several runs; a congress year has the same colour on
    every axis. Shares are drawn on 0–1; the mean-age axis starts near the data (its
    label says where). Measures are laid out in the order of ``CONGRESS_METRICS``,
    then any others found, alphabetically.
    """
    df = summary if "scenario" in summary.columns else summary.assign(scenario="run")
    found: dict[str, set[int]] = {}
    for col in df.columns:
        m = _CONGRESS_KEY.match(str(col))
        if m:
            found.setdefault(m.group(2), set()).add(int(m.group(1)))
    measures = [k for k in CONGRESS_METRICS if k in found] + sorted(k for k in found if k not in CONGRESS_METRICS)
    if not measures:
        fig, ax = plt.subplots(figsize=(6, 3), constrained_layout=True)
        _no_data(ax, "congress_<year>_<measure> columns")
        ax.set_axis_off()
        return fig

    scenarios = list(dict.fromkeys(df["scenario"]))
    all_years = sorted(set().union(*found.values()))
    year_color = {y: f"C{i % 10}" for i, y in enumerate(all_years)}  # same colour for a year on every axis
    ncols = min(3, len(measures))
    nrows = -(-len(measures) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.5 * ncols, 3.6 * nrows), constrained_layout=True, squeeze=False)
    for ax in axes.flat[len(measures) :]:
        fig.delaxes(ax)
    for ax, measure in zip(axes.flat, measures):
        years = sorted(found[measure])
        stats = np.full((3, len(years), len(scenarios)), np.nan)
        for k, y in enumerate(years):
            col = f"congress_{y}_{measure}"
            for i, s in enumerate(scenarios):
                stats[:, k, i] = _summarise(df.loc[df["scenario"] == s, col])
        labels = [f"{y} congress" for y in years]
        _grouped_bars(ax, scenarios, years, stats[0], stats[1], stats[2], labels, [year_color[y] for y in years])
        ax.set(title=CONGRESS_METRICS.get(measure, measure.replace("_", " ")))
        ax.tick_params(axis="x", labelrotation=30 if len(scenarios) > 3 else 0, labelsize=8)
        if measure.startswith("share_"):
            ax.set_ylim(0, 1.0)
        elif measure == "mean_age" and np.isfinite(stats[1]).any():
            # ages differ by a year or two: start the axis near the data (stated in the label)
            bottom = max(0.0, 5.0 * np.floor(np.nanmin(stats[1]) / 5.0) - 5.0)
            ax.set_ylim(bottom=bottom, top=np.nanmax(stats[2]) + 2.0)
            ax.set_ylabel(f"years (axis starts at {bottom:g})")
        ax.legend(fontsize=7)
    return fig
