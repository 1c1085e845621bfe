"""Figures: a tidy DataFrame in, a matplotlib Figure out. No I/O here.

Each function takes the tables a Result (or a comparison) holds and returns a Figure;
callers save it. Plotting code never reaches into a model.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _month_axis(ax, months: pd.Series) -> np.ndarray:
    """x positions as fractional years, e.g. 2018.67 for 2018-09."""
    ym = months.str.split("-", expand=True).astype(int)
    return (ym[0] + (ym[1] - 1) / 12.0).to_numpy()


def headcount_and_leaders(ts: pd.DataFrame) -> plt.Figure:
    """Headcount (left) and leaders vs leader posts (right) over time."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    for (scen, seed), g in ts.groupby(["scenario", "seed"], sort=False):
        x = _month_axis(a1, g["month"])
        a1.plot(x, g["headcount"], label=f"{scen} (seed {seed})")
        a2.plot(x, g["leaders"], label=f"leaders, {scen}")
        a2.plot(x, g["leader_posts"], ls="--", label=f"leader posts, {scen}")
    a1.set(title="Headcount", xlabel="year", ylabel="cadres in post")
    a2.set(title="Leaders and leader posts", xlabel="year", ylabel="head and deputy posts")
    a1.legend(fontsize=8)
    a2.legend(fontsize=8)
    return fig


def age_pyramid(ages: pd.DataFrame) -> plt.Figure:
    """Age pyramids by sex, one panel per date in ``ages['when']``."""
    whens = list(dict.fromkeys(ages["when"]))
    fig, axes = plt.subplots(1, len(whens), figsize=(5.5 * len(whens), 4.5), sharey=True, constrained_layout=True)
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


def flows_per_year(ts: pd.DataFrame, columns=("retirements", "other_exits", "promotions", "recruits")) -> plt.Figure:
    """Yearly totals of monthly flows, grouped bars (averaged over runs if several)."""
    cols = [c for c in columns if c in ts.columns]
    df = ts.assign(year=ts["month"].str[:4].astype(int))
    keys = [k for k in ("scenario", "seed", "replicate") if k in df.columns]
    yearly = df.groupby(keys + ["year"])[cols].sum().groupby("year").mean()
    fig, ax = plt.subplots(figsize=(9, 4), constrained_layout=True)
    width = 0.8 / max(len(cols), 1)
    for j, c in enumerate(cols):
        ax.bar(yearly.index + (j - (len(cols) - 1) / 2) * width, yearly[c], width=width, label=c.replace("_", " "))
    ax.set(title="Flows per year (partial years at the ends)", xlabel="year", ylabel="people")
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


def surplus_outcomes(events: pd.DataFrame) -> plt.Figure:
    """Stacked bars: where surplus leaders went, per scenario."""
    table = surplus_outcomes_table(events)
    fig, ax = plt.subplots(figsize=(9, 4), constrained_layout=True)
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


def restructuring_panel(ts: pd.DataFrame) -> plt.Figure:
    """Units, leader posts, surplus leaders and the wage bill over time (mean per scenario)."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), constrained_layout=True)
    panels = [
        ("units", "units"),
        ("leader_posts", "leader posts (heads + deputies)"),
        ("surplus_leaders", "surplus leaders"),
        ("wage_bill", "wage bill (base-salary units / month)"),
    ]
    for ax, (col, title) in zip(axes.flat, panels):
        for name, g in ts.groupby("scenario", sort=False):
            mean = g.groupby("month")[col].mean()
            ax.plot(_month_axis(ax, pd.Series(mean.index)), mean.to_numpy(), label=str(name))
        ax.set(title=title, xlabel="year")
    axes.flat[0].legend(fontsize=7)
    return fig


def single_run_extra_figures(res) -> list[tuple[str, plt.Figure]]:
    """The restructuring panel, the pipeline panel, and where surplus leaders went."""
    from sim.plots.pipeline import pipeline_panel

    out = [("restructuring.png", restructuring_panel(res.timeseries)), ("pipeline.png", pipeline_panel(res.timeseries))]
    if (res.events["kind"] == "surplus").any():
        out.append(("surplus_outcomes.png", surplus_outcomes(res.events.assign(scenario=res.scenario))))
    return out
