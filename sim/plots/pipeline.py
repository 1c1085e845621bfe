"""Figures of the talent pipeline: succession pool, rotation and congresses.

A tidy DataFrame in, a matplotlib Figure out; no I/O (callers save). Several runs per
scenario (distinguished by ``seed`` and/or ``replicate`` columns) are summarised by the
mean per scenario with a 5–95% band (lines) or 5–95% error bars (bars).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.plots import style

# the timeseries columns pipeline_panel draws (a panel says "no data" for a missing one)
PANEL_COLUMNS = ("bench_strength", "succession_gaps", "pool_women_share", "pool_under40_share", "rotations_active")
CONGRESS_METRICS = {  # summary key suffix -> axis title; registry metrics are titled by their label
    "share_women": "women share",
    "share_under40": "under-40 share",
    "share_new": "share newly elected",
    "mean_age": "mean age (years)",
    "non_local_district_secretaries": "non-local district secretaries",
    "size": "committee elected (people)",
    "standing_size": "standing committee (people)",
    "standing_share_new": "standing committee: share newly elected",
    "standing_share_women": "standing committee: women share",
    "standing_share_under40": "standing committee: under-40 share",
    "standing_mean_age": "standing committee: mean age (years)",
}
# congress measures that are fractions in [0, 1] besides the share_* ones and registry shares
_CONGRESS_SHARES = ("non_local_district_secretaries",)
_CONGRESS_KEY = re.compile(r"^congress_(\d{4})_(.+)$")


def congress_columns(columns) -> dict[str, set[int]]:
    """Summary columns named ``congress_<year>_<measure>``: measure -> congress years."""
    found: dict[str, set[int]] = {}
    for col in columns:
        m = _CONGRESS_KEY.match(str(col))
        if m:
            found.setdefault(m.group(2), set()).add(int(m.group(1)))
    return found


def pipeline_panel(
    ts: pd.DataFrame, *, women_target: float = 0.25, young_target: float = 0.15, lang: str = "en"
) -> Figure:
    """2×2 panel of the talent pipeline over time, one colour per scenario.

    Top left: bench strength (eligible pool candidates per key post). Top right:
    succession gaps summed per calendar year (bars; mean over runs, 5–95% error bars).
    Bottom left: pool women share (solid) and under-40 share (dash-dot) with the
    Regulation 50-QĐ/TW targets (shares in 0-1) as dashed lines. Bottom right:
    rotations active.

    ``ts`` has a ``month`` column ("YYYY-MM"), optionally ``scenario``, ``seed`` and
    ``replicate``, and the metric columns; a missing metric leaves its panel empty with
    a note. One legend of the scenarios, and one of the line styles, sit outside the
    panels, on the right.
    """
    from matplotlib.lines import Line2D

    df = ts if "scenario" in ts.columns else ts.assign(scenario="run")
    scenarios = list(dict.fromkeys(df["scenario"]))
    colors = style.colours(scenarios)
    fig = style.figure(13, 8)
    (a_bench, a_gaps), (a_share, a_rot) = fig.subplots(2, 2)
    year = style.YEAR.get(lang, "year")

    for ax, metric in ((a_bench, "bench_strength"), (a_rot, "rotations_active")):
        if metric in df.columns:
            for s in scenarios:
                style.band_line(ax, df[df["scenario"] == s], metric, color=colors[s], label=str(s))
        else:
            style.no_data(ax, metric)
        style.label_metric_axes(ax, metric, lang)
        ax.set_ylabel(style.unit_words(style.metric_unit(metric), lang))

    if "succession_gaps" in df.columns:
        yearly = (
            df.assign(year=df["month"].astype(str).str[:4].astype(int))
            .groupby(["scenario", *style.run_keys(df), "year"], sort=False)["succession_gaps"]
            .sum()
            .reset_index()
        )
        years = sorted(yearly["year"].unique())
        stats = np.full((3, len(scenarios), len(years)), np.nan)
        for (s, y), g in yearly.groupby(["scenario", "year"], sort=False):
            stats[:, scenarios.index(s), years.index(y)] = style.spread(g["succession_gaps"])
        labels = [str(s) for s in scenarios]
        style.grouped_bars(a_gaps, years, stats[0], stats[1], stats[2], labels, [colors[s] for s in scenarios])
    else:
        style.no_data(a_gaps, "succession_gaps")
    per_year = {"en": "per year (partial years at the ends)", "vi": "mỗi năm (năm đầu, cuối không đủ 12 tháng)"}
    a_gaps.set(
        title=style.wrap(f"{style.metric_text('succession_gaps', lang)}, {per_year.get(lang, per_year['en'])}", 60),
        xlabel=year,
        ylabel=style.unit_words(style.yearly_unit("succession_gaps"), lang),
    )

    drew = False
    for metric, ls in (("pool_women_share", "-"), ("pool_under40_share", "-.")):
        if metric in df.columns:
            for s in scenarios:
                style.band_line(a_share, df[df["scenario"] == s], metric, color=colors[s], ls=ls, label=None)
            drew = True
    words = {
        "en": ("women target", "under-40 target", "Succession pool composition (Reg. 50-QĐ/TW targets dashed)"),
        "vi": ("chỉ tiêu nữ", "chỉ tiêu dưới 40 tuổi", "Cơ cấu quy hoạch (chỉ tiêu theo Quy định 50-QĐ/TW, nét đứt)"),
    }.get(lang, None) or ("women target", "under-40 target", "Succession pool composition")
    a_share.axhline(women_target, color="tab:red", ls="--", lw=1)
    a_share.axhline(young_target, color="tab:grey", ls="--", lw=1)
    if not drew:
        style.no_data(a_share, "pool shares")
    a_share.set(title=words[2], xlabel=year, ylabel="%")
    a_share.yaxis.set_major_formatter(PercentFormatter(1.0))
    # legends outside the data: the scenarios (colours), then what each line style means
    handles = [Line2D([], [], color=colors[s], lw=2) for s in scenarios]
    fig.legend(handles, [str(s) for s in scenarios], loc="outside right upper", fontsize=8, frameon=False)
    styles = [
        Line2D([], [], color="0.3", ls="-"),
        Line2D([], [], color="0.3", ls="-."),
        Line2D([], [], color="tab:red", ls="--"),
        Line2D([], [], color="tab:grey", ls="--"),
    ]
    style_labels = [
        style.metric_text("pool_women_share", lang),
        style.metric_text("pool_under40_share", lang),
        f"{words[0]} {women_target:.0%}",
        f"{words[1]} {young_target:.0%}",
    ]
    fig.legend(styles, style_labels, loc="outside right lower", fontsize=8, frameon=False)
    return fig


def congress_bars(summary: pd.DataFrame, targets: dict | None = None, lang: str = "en") -> Figure:
    """Congress outcomes by scenario: one axis per measure, bars grouped by scenario.

    ``summary`` has one row per run, a ``scenario`` column, and columns named
    ``congress_<year>_<measure>`` (e.g. ``congress_2020_share_women``). Within each
    axis, one bar per congress year for each scenario: the mean over runs, with 5–95%
    error bars when there are several runs; a congress year has the same colour on
    every axis. Measures that are registry metrics (``pool_size``, ``bench_strength``
    ...) are titled by their label and unit. Shares are drawn on 0–100%; the mean-age axis starts near the data (its
    label says where). Measures are laid out in the order of ``CONGRESS_METRICS``,
    then any others found, alphabetically. ``targets``: measure -> target share, drawn
    dashed (e.g. ``{"share_women": 0.15}``, Directive 35-CT/TW); the congress years'
    legend sits outside the panels, at the top.
    """
    targets = {k: v for k, v in (targets or {}).items() if v is not None}
    df = summary if "scenario" in summary.columns else summary.assign(scenario="run")
    found = congress_columns(df.columns)
    measures = [k for k in CONGRESS_METRICS if k in found] + sorted(k for k in found if k not in CONGRESS_METRICS)
    if not measures:
        fig = style.figure(6, 3)
        ax = fig.subplots()
        style.no_data(ax, "congress_<year>_<measure> columns")
        ax.set_axis_off()
        return fig

    scenarios = list(dict.fromkeys(df["scenario"]))
    year_color = style.colours(sorted(set().union(*found.values())))  # a year has one colour on every axis
    fig, axes = style.panel_grid(len(measures), ncols=3, size=(max(4.5, 0.42 * len(scenarios) + 1.5), 3.9))
    for ax, measure in zip(axes, measures):
        years = sorted(found[measure])
        stats = np.full((3, len(years), len(scenarios)), np.nan)
        for k, y in enumerate(years):
            col = f"congress_{y}_{measure}"
            for i, s in enumerate(scenarios):
                stats[:, k, i] = style.spread(df.loc[df["scenario"] == s, col])
        labels = [f"{y} congress" for y in years]
        style.grouped_bars(ax, scenarios, stats[0], stats[1], stats[2], labels, [year_color[y] for y in years])
        ax.set_title(CONGRESS_METRICS.get(measure) or style.metric_text(measure, lang))
        if len(scenarios) > 3:
            ax.tick_params(axis="x", labelsize=7)
            for t in ax.get_xticklabels():
                t.set(rotation=50, ha="right", rotation_mode="anchor")
        else:
            ax.tick_params(axis="x", labelsize=8)
        if measure in targets:
            ax.axhline(targets[measure], color="tab:red", ls="--", lw=1)
        if measure.startswith(("share_", "standing_share_")) or measure in _CONGRESS_SHARES or style.is_share(measure):
            ax.set_ylim(0, 1.0)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            if style.is_share(measure):
                ax.set_ylabel(style.metric_unit(measure))
        elif measure.endswith("mean_age") and np.isfinite(stats[1]).any():
            # ages differ by a year or two: start the axis near the data (stated in the label)
            bottom = max(0.0, 5.0 * np.floor(np.nanmin(stats[1]) / 5.0) - 5.0)
            ax.set_ylim(bottom=bottom, top=np.nanmax(stats[2]) + 2.0)
            ax.set_ylabel(f"years (axis starts at {bottom:g})")
        elif measure.endswith("size"):
            ax.set_ylabel("people")
        elif style.metric_unit(measure):
            ax.set_ylabel(style.metric_unit(measure))
    handles, labels = axes[0].get_legend_handles_labels()
    if targets:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="tab:red", ls="--"))
        labels.append({"vi": "chỉ tiêu (nét đứt)"}.get(lang, "target (dashed)"))
    fig.legend(handles, labels, loc="outside upper center", ncol=len(labels), fontsize=8, frameon=False)
    return fig
