"""Altair charts of the two pages: a DataFrame in, a chart out (no Solara here).

Altair rather than matplotlib: a live page redraws its charts every month, and a Vega
chart is a small JSON spec drawn by the browser.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from sim.dashboard.text import metric_label, t

WIDTH, HEIGHT = 380, 200
BAND_WIDTH = 330
MONTH_AXIS = alt.Axis(format="%Y-%m", tickCount=6, labelOverlap=True, grid=False)


def _dates(months: pd.Series) -> pd.Series:
    return pd.to_datetime(months.astype(str) + "-01")


def lines(
    ts: pd.DataFrame, columns: list[str], lang: str, *, percent: bool = False, targets: dict[str, float] | None = None
) -> alt.Chart:
    """One line per column of a monthly table (column ``month``, "YYYY-MM"); ``targets``:
    label -> level, drawn as dashed rules."""
    cols = [c for c in columns if c in ts.columns]
    long = ts[["month", *cols]].melt(id_vars="month", var_name="measure", value_name="value")
    long["date"] = _dates(long["month"])
    long["measure"] = long["measure"].map(lambda c: metric_label(c, lang))
    fmt = ".0%" if percent else ",.4~g"
    chart = (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=alt.X("date:T", title=t("month", lang), axis=MONTH_AXIS),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=fmt)),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom", columns=1)),
            tooltip=["month:N", "measure:N", alt.Tooltip("value:Q", format=fmt)],
        )
    )
    if targets:
        rules = pd.DataFrame(
            {"target": [f"{t('target', lang)}: {k}" for k in targets], "value": list(targets.values())}
        )
        chart = chart + alt.Chart(rules).mark_rule(strokeDash=[4, 3], color="gray").encode(
            y="value:Q", tooltip=["target:N"]
        )
    return chart.properties(width=WIDTH, height=HEIGHT)


def bars(df: pd.DataFrame, x: str, y: str, color: str, lang: str) -> alt.Chart:
    """Grouped bars: ``x`` categories, one bar per ``color`` value, height ``y``."""
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=None),
            xOffset=f"{color}:N",
            y=alt.Y(f"{y}:Q", title=t("count", lang)),
            color=alt.Color(f"{color}:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[f"{x}:N", f"{color}:N", f"{y}:Q"],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


def pyramid(bands: pd.DataFrame, lang: str) -> alt.Chart:
    """Age pyramid: ``bands`` has columns band, sex, count; men are drawn to the left."""
    df = bands.copy()
    df["signed"] = df["count"].where(df["sex"] == t("women", lang), -df["count"])
    order = sorted(df["band"].unique(), reverse=True)
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("band:N", sort=order, title=t("age", lang)),
            x=alt.X("signed:Q", title=t("people", lang), axis=alt.Axis(format="~s", labelExpr="abs(datum.value)")),
            color=alt.Color("sex:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["band:N", "sex:N", "count:Q"],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


def bands_over_time(
    stats: pd.DataFrame,
    metrics: list[str],
    lang: str,
    *,
    y: str = "mean",
    low: str = "p5",
    high: str = "p95",
    scenarios: list[str] | None = None,
) -> alt.VConcatChart:
    """Per metric, one panel: a line per scenario with its band (``low``..``high``).
    ``stats`` has columns metric, scenario, month, and the three value columns; scenarios
    keep their colours across panels, in the order of ``scenarios`` (default: as they come)."""
    order = list(scenarios) if scenarios else list(dict.fromkeys(stats["scenario"]))
    charts = []
    for m in metrics:
        d = stats[stats["metric"] == m].copy()
        if d.empty:
            continue
        d["date"] = _dates(d["month"])
        base = alt.Chart(d).encode(
            x=alt.X("date:T", title=None, axis=MONTH_AXIS),
            color=alt.Color(
                "scenario:N", title=None, sort=order, scale=alt.Scale(domain=order), legend=alt.Legend(orient="right")
            ),
        )
        band = base.mark_area(opacity=0.2).encode(
            y=alt.Y(f"{low}:Q", title=None, scale=alt.Scale(zero=False)), y2=f"{high}:Q"
        )
        line = base.mark_line().encode(
            y=alt.Y(f"{y}:Q", title=None, scale=alt.Scale(zero=False)),
            tooltip=[
                "scenario:N",
                "month:N",
                alt.Tooltip(f"{y}:Q", format=",.4~g"),
                alt.Tooltip(f"{low}:Q", format=",.4~g"),
                alt.Tooltip(f"{high}:Q", format=",.4~g"),
            ],
        )
        charts.append((band + line).properties(width=BAND_WIDTH, height=150, title=metric_label(m, lang)))
    return alt.vconcat(*charts) if charts else alt.vconcat()


__all__ = ["bands_over_time", "bars", "lines", "pyramid"]
