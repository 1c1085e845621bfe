"""The shared look of cadresim's figures and the helpers every figure module uses.

Figures are built as :class:`matplotlib.figure.Figure` objects, not through pyplot, so
importing or calling anything in ``sim.plots`` never chooses or changes matplotlib's
backend and leaves no figure open in pyplot's global list. Save one with :func:`save`
(or ``fig.savefig``); in a notebook, show it by returning it from a cell.

Words on the figures come from the metric registry (``sim.metrics``): a timeseries
column is titled by its label and its axis by its unit; a summary key (``<metric>_end``,
``<flow>_total``, ``<metric>_2020_10``) by the label of the metric it summarises.
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.metrics import BY_NAME

DPI = 110  # every saved figure: its size in inches x 110 pixels
BAND = (5, 95)  # percentiles shown around the mean across runs
RUN_KEYS = ("seed", "replicate")  # columns that tell one run of a scenario from another
YEAR = {"en": "year", "vi": "năm"}
_WHEN = {
    "en": {"end": "at the end", "total": "total over the horizon", "start": "at the start", "month": "in {month}"},
    "vi": {"end": "cuối kỳ", "total": "tổng cả giai đoạn", "start": "đầu kỳ", "month": "tháng {month}"},
}
# the registry's units (sim/metrics.py) in Vietnamese; a unit not listed stays in English
UNITS_VI: dict[str, str] = {
    "people": "người",
    "people per month": "người/tháng",
    "people per year": "người/năm",
    "posts": "vị trí",
    "posts per month": "vị trí/tháng",
    "posts per year": "vị trí/năm",
    "units": "đơn vị",
    "years": "tuổi",  # the registry's only measures in years are ages
    "base salaries per month": "lần lương cơ sở/tháng",
    "base salaries (one-off)": "lần lương cơ sở (một lần)",
    "ready candidates per key post": "người sẵn sàng/vị trí chủ chốt",
    "share of leaders": "% lãnh đạo",
    "share of pool members": "% người trong quy hoạch",
    "share of those posts held": "% các vị trí đó",
    "bn VND per month": "tỷ đồng/tháng",
    "percentage points": "điểm phần trăm",
}


def unit_words(unit: str | None, lang: str = "en") -> str:
    """A registry unit in ``lang`` ("" for none)."""
    unit = unit or ""
    return UNITS_VI.get(unit, unit) if lang == "vi" else unit


_MONTH_SUFFIX = re.compile(r"^(.+)_(\d{4})_(\d{2})$")


# --------------------------------------------------------------------------- words
def metric_text(name: str, lang: str = "en") -> str:
    """The registry's label of a timeseries column; the name in words if unregistered."""
    m = BY_NAME.get(name)
    return m.text(lang) if m is not None else name.replace("_", " ")


def metric_unit(name: str) -> str:
    """The registry's unit of a timeseries column ("" if unregistered)."""
    m = BY_NAME.get(name)
    return m.unit if m is not None else ""


def is_share(name: str) -> bool:
    """True for a registered fraction in [0, 1] (drawn as a percentage)."""
    m = BY_NAME.get(name)
    return bool(m is not None and m.share)


def total_unit(name: str) -> str:
    """The unit of a flow summed over months: "people per month" -> "people"."""
    return metric_unit(name).removesuffix(" per month")


def yearly_unit(name: str) -> str:
    """The unit of a flow summed per calendar year: "people per month" -> "people per year"."""
    return metric_unit(name).replace(" per month", " per year")


def summary_parts(key: str) -> tuple[str, str]:
    """(metric name, when) of a summary key: ``headcount_end`` -> ("headcount", "end"),
    ``promotions_total`` -> ("promotions", "total"), ``leaders_2020_10`` ->
    ("leaders", "2020-10"); ("", "") for keys that summarise no registered metric."""
    for suffix in ("end", "total", "start"):
        base = key.removesuffix(f"_{suffix}")
        if base != key and base in BY_NAME:
            return base, suffix
    m = _MONTH_SUFFIX.match(key)
    if m and m.group(1) in BY_NAME:
        return m.group(1), f"{m.group(2)}-{m.group(3)}"
    return "", ""


def summary_text(key: str, lang: str = "en") -> str:
    """A summary key in words: "cadres in post at the end", "promotions, total over the
    horizon", "leaders in 2020-10"; unregistered keys in words as they are."""
    name, when = summary_parts(key)
    if not name:
        return key.replace("_", " ")
    words = _WHEN.get(lang, _WHEN["en"])
    phrase = words[when] if when in words else words["month"].format(month=when)
    sep = ", " if when == "total" else " "
    return f"{metric_text(name, lang)}{sep}{phrase}"


def summary_unit(key: str) -> str:
    """The unit of a summary key's value ("" if unknown)."""
    name, when = summary_parts(key)
    if not name:
        return ""
    return total_unit(name) if when == "total" else metric_unit(name)


def with_unit(text: str, unit: str) -> str:
    """``text (unit)``, or the text alone when there is no unit."""
    return f"{text} ({unit})" if unit else text


def wrap(text: str, width: int = 44) -> str:
    """Break a long title over lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width)) or text


# --------------------------------------------------------------------------- figures
def figure(width: float, height: float) -> Figure:
    """An empty figure of ``width`` x ``height`` inches with constrained layout."""
    return Figure(figsize=(width, height), layout="constrained")


def panel_grid(n: int, ncols: int = 3, size: tuple[float, float] = (4.6, 3.2)) -> tuple[Figure, list]:
    """A figure of ``n`` panels, ``ncols`` to a row, each ``size`` inches; unused cells
    of the last row are removed. Returns the figure and the ``n`` axes in reading order."""
    n = max(n, 1)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = figure(size[0] * ncols, size[1] * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat[n:]:
        fig.delaxes(ax)
    return fig, list(axes.flat[:n])


def save(fig: Figure, path: Path) -> str:
    """Write ``fig`` to ``path`` at :data:`DPI` (its own size in inches); returns the file name."""
    path = Path(path)
    fig.savefig(path, dpi=DPI)
    return path.name


def colours(names) -> dict:
    """One colour per name (scenario, congress year ...), in order of first appearance,
    from matplotlib's default cycle (C0, C1, ...); the same name always gets the same
    colour within a figure."""
    return {s: f"C{i % 10}" for i, s in enumerate(dict.fromkeys(names))}


def no_data(ax, what: str) -> None:
    """Mark a panel whose data is absent from the table."""
    ax.text(0.5, 0.5, f"no {what} in the table", ha="center", va="center", transform=ax.transAxes, color="grey")


def label_metric_axes(ax, name: str, lang: str = "en", *, title: bool = True) -> None:
    """Title a panel by the metric's label, its y axis by the unit, x by "year";
    shares get a percentage axis."""
    if title:
        ax.set_title(metric_text(name, lang))
    ax.set(xlabel=YEAR.get(lang, "year"), ylabel=metric_unit(name))
    if is_share(name):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))


# --------------------------------------------------------------------------- time axis and bands
def years(months) -> np.ndarray:
    """Month labels "YYYY-MM" as fractional years (2018-09 -> 2018.67)."""
    s = pd.Series(np.asarray(months, dtype=str))
    return (s.str[:4].astype(int) + (s.str[5:7].astype(int) - 1) / 12.0).to_numpy()


def run_keys(df: pd.DataFrame) -> list[str]:
    """The run-identifying columns present in ``df``."""
    return [k for k in RUN_KEYS if k in df.columns]


def runs_by_month(g: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Month x run table of one metric for one scenario's rows, months in order."""
    keys = run_keys(g)
    if not keys:
        return g.groupby("month", sort=True)[[metric]].mean()
    return g.pivot_table(index="month", columns=keys, values=metric, aggfunc="mean", dropna=False).sort_index()


def band_line(ax, g: pd.DataFrame, metric: str, *, color=None, ls="-", lw=None, label=None, band=BAND) -> None:
    """The mean over runs by month (line) with the ``band`` percentiles across runs
    (shaded, 5th-95th by default) when there are several runs; months where no run has
    a value are left out of the band."""
    piv = runs_by_month(g, metric)
    arr = piv.to_numpy(dtype=float).reshape(len(piv), -1)
    x = years(piv.index)
    valid = ~np.all(np.isnan(arr), axis=1)
    mean = np.full(len(arr), np.nan)
    with np.errstate(all="ignore"):
        mean[valid] = np.nanmean(arr[valid], axis=1)
    (line,) = ax.plot(x, mean, color=color, ls=ls, lw=lw, label=label)
    if arr.shape[1] > 1 and valid.any():
        lo, hi = np.nanpercentile(arr[valid], band, axis=1)
        ax.fill_between(x[valid], lo, hi, color=line.get_color(), alpha=0.2, lw=0)


def spread(values) -> tuple[float, float, float]:
    """(mean, 5th, 95th percentile) of the non-NaN values; NaNs when there are none."""
    v = pd.Series(values, dtype=float).dropna().to_numpy()
    if v.size == 0:
        return np.nan, np.nan, np.nan
    lo, hi = np.percentile(v, BAND)
    return float(v.mean()), float(lo), float(hi)


def grouped_bars(
    ax, groups: list, means: np.ndarray, lo: np.ndarray, hi: np.ndarray, labels: list, colors=None
) -> None:
    """Bars: one group per entry of ``groups``, one bar per row of ``means``.

    ``means``, ``lo``, ``hi`` have shape (series, groups); NaN means are not drawn;
    error bars (lo to hi) are drawn where they differ from the mean.
    """
    n_series = len(means)
    width = 0.8 / max(n_series, 1)
    x = np.arange(len(groups), dtype=float)
    for k in range(n_series):
        ok = ~np.isnan(means[k])
        if not ok.any():
            continue
        pos = x[ok] + (k - (n_series - 1) / 2) * width
        # a mean of equal values can exceed their 95th percentile by rounding: clip at 0
        err = np.clip(np.vstack([means[k][ok] - lo[k][ok], hi[k][ok] - means[k][ok]]), 0.0, None)
        has_err = bool(np.nan_to_num(err).any())
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
