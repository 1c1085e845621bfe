"""Figures of one run (or a few): a tidy DataFrame in, a matplotlib Figure out. No I/O.

Each function takes the tables a Result (or a comparison) holds and returns a Figure;
callers save it. Plotting code never reaches into a model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.plots import style
from sim.plots.pipeline import pipeline_panel


def headcount_and_leaders(ts: pd.DataFrame) -> Figure:
    """Headcount (left) and leaders vs leader posts (right) over time, one line per run."""
    fig = style.figure(11, 4)
    a1, a2 = fig.subplots(1, 2)
    for (scen, seed), g in ts.groupby(["scenario", "seed"], sort=False):
        x = style.years(g["month"])
        a1.plot(x, g["headcount"], label=f"{scen} (seed {seed})")
        a2.plot(x, g["leaders"], label=f"{style.metric_text('leaders')}, {scen}")
        a2.plot(x, g["leader_posts"], ls="--", label=f"{style.metric_text('leader_posts')}, {scen}")
    style.label_metric_axes(a1, "headcount")
    a2.set(title="Leaders and leader posts", xlabel="year", ylabel="people or posts")
    a1.legend(fontsize=8)
    a2.legend(fontsize=8)
    return fig


def age_pyramid(ages: pd.DataFrame) -> Figure:
    """Age pyramids by sex, one panel per date in ``ages['when']`` (ages in years)."""
    whens = list(dict.fromkeys(ages["when"]))
    fig = style.figure(5.5 * len(whens), 4.5)
    axes = fig.subplots(1, len(whens), sharey=True)
    axes = np.atleast_1d(axes)
    bins = np.arange(20, 66, 5)
    for ax, when in zip(axes, whens):
        g = ages[ages["when"] == when]
        men, _ = np.histogram(g.loc[~g["female"], "age"], bins)
        women, _ = np.histogram(g.loc[g["female"], "age"], bins)
        y = bins[:-1] + 2.5
        ax.barh(y, -men, height=4.5, color="tab:blue", label="men")
        ax.barh(y, women, height=4.5, color="tab:red", label="women")
        lim = max(men.max(initial=1), women.max(initial=1)) * 1.1
        ax.set_xlim(-lim, lim)
        ticks = ax.get_xticks()
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{abs(int(t))}" for t in ticks])
        ax.set(title=f"Age pyramid {when} (n = {len(g)})", xlabel="cadres", ylabel="age (5-year bands)")
        ax.legend(fontsize=8)
    return fig


def flows_per_year(ts: pd.DataFrame, columns=("retirements", "other_exits", "promotions", "recruits")) -> Figure:
    """Yearly totals of monthly flows (people per year), grouped bars (averaged over runs
    if several)."""
    cols = [c for c in columns if c in ts.columns]
    df = ts.assign(year=ts["month"].str[:4].astype(int))
    keys = [k for k in ("scenario", "seed", "replicate") if k in df.columns]
    yearly = df.groupby(keys + ["year"])[cols].sum().groupby("year").mean()
    fig = style.figure(9, 4)
    ax = fig.subplots()
    width = 0.8 / max(len(cols), 1)
    for j, c in enumerate(cols):
        ax.bar(yearly.index + (j - (len(cols) - 1) / 2) * width, yearly[c], width=width, label=style.metric_text(c))
    units = sorted({style.yearly_unit(c) for c in cols})
    ax.set(title="Flows per year (partial years at the ends)", xlabel="year", ylabel=" or ".join(units) or "per year")
    ax.set_xticks(yearly.index)
    ax.legend(fontsize=8)
    return fig


SURPLUS_OUTCOMES = {
    "surplus_placed": "took a post in the unit",
    "kept_head": "restored to a post (split)",
    "kept_deputy": "restored to a post (split)",
    "promotion": "promoted",
    "transfer": "transferred",
    "early_retirement": "retired early",
    "retirement": "retired (statutory)",
    "exit": "left (other)",
    "to_commune": "moved to a commune",
}


def surplus_outcomes_table(events: pd.DataFrame) -> pd.DataFrame:
    """Where surplus leaders went: for each person who became surplus, the first event
    that ended it (or "still surplus"). Columns: scenario (if present), outcome, people."""
    ev = events
    keys = ["scenario"] if "scenario" in ev.columns else []
    rows = []
    groups = ev.groupby(keys, sort=False) if keys else [((), ev)]
    for key, g in groups:
        g = g.reset_index(drop=True)
        start = g[g["kind"] == "surplus"]
        for pos, cid in zip(start.index, start["cadre_id"]):
            later = g.loc[(g.index > pos) & (g["cadre_id"] == cid) & g["kind"].isin(list(SURPLUS_OUTCOMES) + ["surplus"])]
            kind = later["kind"].iloc[0] if len(later) else "still surplus"
            if kind == "surplus":
                continue  # moved on to another unit's surplus: counted there
            rows.append({**dict(zip(keys, key if isinstance(key, tuple) else (key,))), "outcome": SURPLUS_OUTCOMES.get(kind, kind)})
    out = pd.DataFrame(rows, columns=keys + ["outcome"])
    return out.groupby(keys + ["outcome"]).size().rename("people").reset_index()


def surplus_outcomes(events: pd.DataFrame) -> Figure:
    """Stacked bars: where surplus leaders went (people), per scenario."""
    table = surplus_outcomes_table(events)
    fig = style.figure(9, 4)
    ax = fig.subplots()
    if table.empty:
        ax.text(0.5, 0.5, "no surplus leaders in this run", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    if "scenario" not in table.columns:
        table = table.assign(scenario="run")
    piv = table.pivot_table(index="scenario", columns="outcome", values="people", aggfunc="sum", fill_value=0)
    bottom = np.zeros(len(piv))
    for col in piv.columns:
        ax.bar(piv.index.astype(str), piv[col], bottom=bottom, label=col)
        bottom += piv[col].to_numpy()
    ax.set(title="Where surplus leaders went", ylabel="people")
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.tick_params(axis="x", rotation=30)
    return fig


RESTRUCTURING_PANELS = ("units", "leader_posts", "surplus_leaders", "wage_bill")


def restructuring_panel(ts: pd.DataFrame) -> Figure:
    """Units, leader posts, surplus leaders and the wage bill over time (mean per
    scenario), each in its own unit."""
    fig, axes = style.panel_grid(len(RESTRUCTURING_PANELS), ncols=2, size=(5.5, 3.5))
    for ax, col in zip(axes, RESTRUCTURING_PANELS):
        for name, g in ts.groupby("scenario", sort=False):
            mean = g.groupby("month")[col].mean()
            ax.plot(style.years(mean.index), mean.to_numpy(), label=str(name))
        style.label_metric_axes(ax, col)
    axes[0].legend(fontsize=7)
    return fig


def single_run_extra_figures(res) -> list[tuple[str, Figure]]:
    """The restructuring panel, the pipeline panel, and where surplus leaders went."""
    out = [("restructuring.png", restructuring_panel(res.timeseries)), ("pipeline.png", pipeline_panel(res.timeseries))]
    if (res.events["kind"] == "surplus").any():
        out.append(("surplus_outcomes.png", surplus_outcomes(res.events.assign(scenario=res.scenario))))
    return out
