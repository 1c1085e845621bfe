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
    "leader_posts",
    "surplus_leaders",
    "leaders_women_share",
    "leaders_under40_share",
    "leaders_mean_age",
    "wage_bill",
)
# words on the figures that are not metric labels
_WORDS = {
    "en": {
        "band": "Mean over replications (line) and 5-95 % band (shaded); the reference in black",
        "target": "target",
        "diff": "difference",
        "pp": "difference (percentage points)",
        "diff_title": "Difference from {ref} (paired by replication): mean, 90 % interval (thick), 5-95 % of single pairs (thin)",
        "mean_ci": "mean difference, 90 % interval",
    },
    "vi": {
        "band": "Trung bình các lần mô phỏng (đường) và dải phân vị 5-95 % (tô màu); kịch bản đối chứng màu đen",
        "target": "chỉ tiêu",
        "diff": "chênh lệch",
        "pp": "chênh lệch (điểm phần trăm)",
        "diff_title": "Chênh lệch so với {ref} (theo cặp): trung bình, khoảng tin cậy 90 % (đậm), phân vị 5-95 % từng cặp (mảnh)",
        "mean_ci": "chênh lệch trung bình, khoảng tin cậy 90 %",
    },
}
# metrics with a target drawn on their time panel: metric -> key of the targets dict
TARGETS = {"pool_women_share": "pool_women_share", "pool_under40_share": "pool_under40_share"}


def _fit(title: str, fig: Figure) -> str:
    """A figure title broken over lines so that it fits the figure's width (about 11
    characters an inch at 9-10 pt)."""
    return style.wrap(title, max(30, int(11 * fig.get_size_inches()[0])))


def _w(key: str, lang: str) -> str:
    return _WORDS.get(lang, _WORDS["en"])[key]


def _unit(name: str, lang: str) -> str:
    return style.unit_words(style.metric_unit(name), lang)


def scenario_groups(scenarios: list[str], reference: str | None, apart=(), per_panel: int = 4) -> list[list[str]]:
    """Columns of a small-multiples figure: the other scenarios ``per_panel`` at a time,
    then the scenarios of a different scale (``apart``) on their own."""
    others = [s for s in scenarios if s != reference and s not in apart]
    groups = [others[i : i + per_panel] for i in range(0, len(others), max(per_panel, 1))]
    groups += [[s for s in scenarios if s in apart]] if any(s in apart for s in scenarios) else []
    return groups or [[]]


def metrics_over_time(
    ts: pd.DataFrame,
    metrics: list[str],
    band: tuple[float, float] = style.BAND,
    *,
    reference: str | None = None,
    apart=(),
    per_panel: int = 4,
    lang: str = "en",
    targets: dict | None = None,
) -> Figure:
    """Small multiples over time: one row per metric, one column per group of at most
    ``per_panel`` scenarios (scenarios in ``apart``, of a different scale, get their own
    column). Every panel shows the reference (black) beside its group: per scenario the
    mean over replications by month (line) and the ``band`` percentiles (shaded). The
    y axis is in the metric's unit (shares as percentages); a metric with a target
    (``targets``, keyed as :data:`TARGETS`) has it drawn dashed. Legends sit above the
    top row, outside the data.
    """
    scenarios = list(dict.fromkeys(ts["scenario"]))
    ref = reference if reference in scenarios else scenarios[0] if scenarios else None
    groups = scenario_groups(scenarios, ref, apart, per_panel)
    # colours by place within a column (each scenario is in one column), never grey:
    # the reference is black beside them
    palette = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C8", "C9")
    colours = {s: palette[i % len(palette)] for g in groups for i, s in enumerate(g)}
    nrows, ncols = max(len(metrics), 1), len(groups)
    fig = style.figure(3.5 * ncols + 0.6, 2.3 * nrows + 1.2)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    targets = targets or {}
    for r, m in enumerate(metrics):
        for c, group in enumerate(groups):
            ax = axes[r, c]
            different = bool(group) and group[0] in apart
            if c > 0 and not different:
                ax.sharey(axes[r, 0])
            if ref is not None:
                style.band_line(ax, ts[ts["scenario"] == ref], m, color="black", lw=1.2, label=ref, band=band)
            for s in group:
                style.band_line(ax, ts[ts["scenario"] == s], m, color=colours[s], lw=1.4, label=s, band=band)
            if m in TARGETS and targets.get(TARGETS[m]) is not None:
                t = targets[TARGETS[m]]
                ax.axhline(t, color="tab:red", ls="--", lw=1, label=f"{_w('target', lang)} {t:.0%}")
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
            if style.is_share(m):
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            if c == 0 or different:
                text = style.with_unit(style.metric_text(m, lang), "%" if style.is_share(m) else _unit(m, lang))
                ax.set_ylabel(style.wrap(text, 30), fontsize=8)
            if r == nrows - 1:
                ax.set_xlabel(style.YEAR.get(lang, "year"), fontsize=8)
            if r == 0:
                ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.02), ncol=2, frameon=False, borderaxespad=0)
    fig.suptitle(_fit(_w("band", lang), fig), fontsize=9)
    return fig


def headline_effects(
    table: pd.DataFrame,
    groups: dict[str, list[str]],
    scenarios: list[str],
    *,
    ref: str,
    lang: str = "en",
    scales: dict | None = None,
    title: str = "",
) -> Figure:
    """The headline figure: one row of panels per group of summary keys (staffing,
    pipeline), one panel per key; in each, every scenario's mean paired difference from
    the reference (dot) with its 90 % confidence interval (bar), in the key's unit
    (shares in percentage points; ``scales``: key -> (factor, unit), e.g. the wage
    bill in billion VND). Takes summary.csv's table."""
    scales = scales or {}
    rows = [(g, keys) for g, keys in groups.items() if keys]
    ncols = max(len(k) for _, k in rows)
    t = table[table["scenario"].isin(scenarios)]
    n = len(scenarios)
    height = 0.28 * n + 1.5
    fig = style.figure(3.0 * ncols + 1.6, height * len(rows) + 0.5)
    subs = fig.subfigures(len(rows), 1, squeeze=False)[:, 0]
    y = np.arange(n)[::-1]
    names = {"staffing": {"en": "Staffing", "vi": "Biên chế, tổ chức"}, "pipeline": {"en": "Talent pipeline", "vi": "Nguồn cán bộ kế cận"}}
    for sub, (group, keys) in zip(subs, rows):
        axes = sub.subplots(1, ncols, squeeze=False)[0]
        for ax in axes[len(keys) :]:
            ax.set_axis_off()
        for k, (ax, key) in enumerate(zip(axes, keys)):
            d = t[t["metric"] == key].set_index("scenario").reindex(scenarios)
            factor, unit = scales.get(key, (1.0, style.summary_unit(key)))
            share = style.is_share(style.summary_parts(key)[0])
            if share:
                factor, unit = 100.0, None
            lo, hi, mean = (d[c].to_numpy(dtype=float) * factor for c in ("diff_ci_low", "diff_ci_high", "diff_mean"))
            ax.hlines(y, lo, hi, color="tab:blue", lw=3.5, alpha=0.8)
            ax.plot(mean, y, "o", color="tab:blue", ms=4.5)
            ax.axvline(0, color="k", lw=0.8)
            ax.set_yticks(y)
            ax.set_yticklabels(scenarios if k == 0 else [], fontsize=8)
            ax.set_ylim(-0.6, n - 0.4)
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.tick_params(axis="x", labelsize=7)
            ax.set_title(style.wrap(style.metric_text(style.summary_parts(key)[0], lang), 30), fontsize=9)
            xl = _w("pp", lang) if share else f"{_w('diff', lang)} ({style.unit_words(unit, lang)})" if unit else _w("diff", lang)
            ax.set_xlabel(style.wrap(xl, 34), fontsize=7)
            ax.grid(axis="x", alpha=0.3)
        sub.suptitle(names.get(group, {}).get(lang, group), fontsize=10, x=0.02, ha="left")
    if title:
        fig.suptitle(_fit(title, fig), fontsize=10)
    return fig


def end_differences(table: pd.DataFrame, metrics: list[str], lang: str = "en") -> Figure:
    """One panel per summary metric: each scenario's mean paired difference from the
    reference (dot), its 90% confidence interval (thick bar) and the 5th-95th percentile
    of single-replicate differences (thin line), in the metric's unit (shares in
    percentage points). Takes summary.csv's table.
    """
    ref = table["reference"].iloc[0] if len(table) else "reference"
    t = table[table["scenario"] != ref]
    scenarios = list(dict.fromkeys(t["scenario"]))
    ncols = 4
    fig, axes = style.panel_grid(len(metrics), ncols=ncols, size=(3.3, 0.26 * len(scenarios) + 1.35))
    y = np.arange(len(scenarios))[::-1]
    for k, (ax, m) in enumerate(zip(axes, metrics)):
        d = t[t["metric"] == m].set_index("scenario").reindex(scenarios)
        ax.hlines(y, d["diff_p5"], d["diff_p95"], color="0.6", lw=1)
        ax.hlines(y, d["diff_ci_low"], d["diff_ci_high"], color="tab:blue", lw=3.5)
        ax.plot(d["diff_mean"], y, "o", color="tab:blue", ms=4)
        ax.axvline(0, color="k", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels(scenarios if k % ncols == 0 else [], fontsize=7)
        ax.set_ylim(-0.6, len(scenarios) - 0.4)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(style.wrap(style.summary_text(m, lang), 34), fontsize=8)
        name, _ = style.summary_parts(m)
        if style.is_share(name):
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, symbol=""))
            ax.set_xlabel(_w("pp", lang), fontsize=7)
        else:
            unit = style.unit_words(style.summary_unit(m), lang)
            ax.set_xlabel(f"{_w('diff', lang)} ({unit})" if unit else _w("diff", lang), fontsize=7)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(_fit(_w("diff_title", lang).format(ref=ref), fig), fontsize=9)
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
