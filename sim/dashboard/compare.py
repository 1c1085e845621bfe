"""The comparison page: a finished comparison folder's tidy tables, explored.

It reads only what ``python -m experiments.compare`` wrote (``manifest.json``,
``timeseries.parquet``, ``summary.csv``) and simulates nothing: bands over time (mean
and 5th-95th percentile over replicates, per month), paired differences from the
reference over time (mean and 90% interval of scenario - reference, same replicate,
the statistic of ``summary.csv``, :func:`sim.studies.stats.paired_difference`),
and the end-of-horizon headline table from ``summary.csv`` with a CSV download. A small
comparison can be started in the background (:mod:`sim.dashboard.background`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import solara
from scipy import stats

from sim.core.errors import USER_ERRORS, InputError
from sim.dashboard import charts
from sim.dashboard.background import BackgroundComparison, new_folder
from sim.dashboard.settings import DashboardSpec
from sim.dashboard.text import metric_label, t
from sim.metrics import BY_NAME
from sim.output.comparison import KEY_METRICS, summary_key
from sim.output.run_folder import is_complete
from sim.params.search import scenario_names

DEFAULT_METRICS = ("headcount", "leader_posts", "bench_strength")
MAX_DEFAULT_SCENARIOS = 4
TABLES = ("manifest.json", "timeseries.parquet", "summary.csv")


# --------------------------------------------------------------------------- reading a folder
def comparison_folders(root: Path) -> list[Path]:
    """The complete comparison folders directly under ``root``, newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and is_complete(p) and (p / "timeseries.parquet").is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


@dataclass
class ComparisonData:
    """One comparison folder's tables: ``timeseries`` (every run's months), ``summary``
    (summary.csv), the scenarios in their run order, the reference, the horizon."""

    path: Path
    manifest: dict
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    scenarios: list[str]
    reference: str
    metrics: list[str]

    @property
    def start(self) -> str:
        return str(self.timeseries["month"].min())

    @property
    def end(self) -> str:
        return str(self.timeseries["month"].max())

    @property
    def replications(self) -> int:
        return int(self.timeseries["replicate"].nunique())


def load_comparison(path: Path) -> ComparisonData:
    """Read a comparison folder; InputError naming the folder and what is missing or unfinished."""
    path = Path(path)
    missing = [f for f in TABLES if not (path / f).is_file()]
    if missing:
        raise InputError(f"{path}: not a comparison folder (missing {', '.join(missing)})")
    manifest = json.loads((path / "manifest.json").read_text())
    if manifest.get("status") != "complete":
        raise InputError(f"{path}: the comparison is not complete (manifest status {manifest.get('status')!r})")
    ts = pd.read_parquet(path / "timeseries.parquet")
    summary = pd.read_csv(path / "summary.csv")
    scenarios = [
        s for s in manifest.get("scenarios") or list(dict.fromkeys(ts["scenario"])) if s in set(ts["scenario"])
    ]
    reference = manifest.get("reference") or str(summary["reference"].iloc[0])
    metrics = [c for c in ts.columns if c in BY_NAME]
    return ComparisonData(path, manifest, ts, summary, scenarios, reference, metrics)


def bands(data: ComparisonData, scenarios: list[str], metrics: list[str]) -> pd.DataFrame:
    """Per metric, scenario and month: mean, 5th and 95th percentile over replicates."""
    ts = data.timeseries[data.timeseries["scenario"].isin(scenarios)]
    frames = []
    for m in metrics:
        g = ts.groupby(["scenario", "month"], sort=False)[m]
        out = pd.DataFrame({"mean": g.mean(), "p5": g.quantile(0.05), "p95": g.quantile(0.95)}).reset_index()
        out.insert(0, "metric", m)
        frames.append(out)
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["metric", "scenario", "month", "mean", "p5", "p95"])
    )


def differences(data: ComparisonData, scenarios: list[str], metrics: list[str]) -> pd.DataFrame:
    """Per metric, scenario (other than the reference) and month: the mean of scenario -
    reference over replicates paired by replicate number, its 90% Student-t interval and
    the 5th/95th percentiles of single differences: :func:`sim.studies.stats.paired_difference`
    month by month (computed for all months at once; a test holds the two equal)."""
    ref = data.reference
    ts = data.timeseries
    others = [s for s in scenarios if s != ref]
    frames = []
    for m in metrics:
        piv = ts[ts["scenario"].isin([ref, *others])].pivot_table(
            index=["month", "replicate"], columns="scenario", values=m
        )
        if ref not in piv.columns:
            continue
        for s in others:
            if s not in piv.columns:
                continue
            g = (piv[s] - piv[ref]).dropna().groupby(level="month", sort=True)
            n, mean, sd = g.count(), g.mean(), g.std(ddof=1)
            half = pd.Series(stats.t.ppf(0.95, np.maximum(n - 1, 1)), index=n.index) * sd / np.sqrt(n)
            half = half.where(n > 1)
            out = pd.DataFrame(
                {
                    "diff_mean": mean,
                    "diff_ci_low": mean - half,
                    "diff_ci_high": mean + half,
                    "diff_p5": g.quantile(0.05),
                    "diff_p95": g.quantile(0.95),
                }
            ).reset_index()
            out.insert(0, "scenario", s)
            out.insert(0, "metric", m)
            frames.append(out)
    cols = ["metric", "scenario", "month", "diff_mean", "diff_ci_low", "diff_ci_high", "diff_p5", "diff_p95"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def headline(data: ComparisonData, scenarios: list[str], metrics: list[str], lang: str = "en") -> pd.DataFrame:
    """The end-of-horizon rows of summary.csv for the chosen scenarios and metrics
    (``<stock>_end``, ``<flow>_total``), with the metric's label in ``lang``."""
    keys = {summary_key(m): m for m in metrics}
    s = data.summary
    sel = s[s["scenario"].isin(scenarios) & s["metric"].isin(list(keys))].copy()
    order = {k: i for i, k in enumerate(keys)}
    sel["_scen"] = sel["scenario"].map({n: i for i, n in enumerate(scenarios)})
    sel["_metric"] = sel["metric"].map(order)
    sel = sel.sort_values(["_metric", "_scen"]).drop(columns=["_scen", "_metric"])
    sel.insert(2, "label", [metric_label(keys[k], lang) for k in sel["metric"]])
    sel.insert(3, "unit", [BY_NAME[keys[k]].unit for k in sel["metric"]])
    return sel.reset_index(drop=True)


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.3g}"


def headline_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The headline table as a reader sees it: mean [p5, p95] and difference [90% CI]."""
    return pd.DataFrame(
        {
            t("scenario", lang): table["scenario"],
            t("metric", lang): table["label"],
            t("unit", lang): table["unit"],
            t("mean", lang) + " [5, 95]": [
                f"{_fmt(a)} [{_fmt(b)}, {_fmt(c)}]" for a, b, c in zip(table["mean"], table["p5"], table["p95"])
            ],
            t("difference", lang) + " [90% CI]": [
                f"{_fmt(a)} [{_fmt(b)}, {_fmt(c)}]"
                for a, b, c in zip(table["diff_mean"], table["diff_ci_low"], table["diff_ci_high"])
            ],
        }
    )


def default_selection(data: ComparisonData) -> tuple[list[str], list[str]]:
    scen = [data.reference] + [s for s in data.scenarios if s != data.reference][: MAX_DEFAULT_SCENARIOS - 1]
    mets = [m for m in DEFAULT_METRICS if m in data.metrics] or data.metrics[:3]
    return scen, mets


# --------------------------------------------------------------------------- the page
def _multi(label: str, items: list[tuple[str, str]], value: list[str], on_value):
    return solara.v.Select(
        label=label,
        items=[{"text": text, "value": v} for v, text in items],
        v_model=value,
        on_v_model=on_value,
        multiple=True,
        chips=True,
        small_chips=True,
        deletable_chips=True,
    )


@solara.component
def Explorer(data: ComparisonData, lang: str):
    scen0, met0 = default_selection(data)
    scenarios, set_scenarios = solara.use_state(scen0, key=f"scen-{data.path}")
    metrics, set_metrics = solara.use_state(met0, key=f"met-{data.path}")
    scen = [s for s in data.scenarios if s in scenarios]
    mets = [m for m in data.metrics if m in metrics]
    solara.Text(
        t(
            "runs_info",
            lang,
            n_scen=len(data.scenarios),
            n_rep=data.replications,
            start=data.start,
            end=data.end,
            ref=data.reference,
        ),
    )
    with solara.Row():
        with solara.Column(style={"min-width": "320px"}):
            _multi(t("scenarios", lang), [(s, s) for s in data.scenarios], scen, set_scenarios)
        with solara.Column(style={"min-width": "420px"}):
            key_first = [m for m in KEY_METRICS if m in data.metrics] + [
                m for m in data.metrics if m not in KEY_METRICS
            ]
            _multi(t("metrics", lang), [(m, metric_label(m, lang)) for m in key_first], mets, set_metrics)
    band_table = solara.use_memo(lambda: bands(data, scen, mets), [data.path, tuple(scen), tuple(mets)])
    diff_table = solara.use_memo(lambda: differences(data, scen, mets), [data.path, tuple(scen), tuple(mets)])
    if not scen or not mets:
        return
    table = headline(data, scen, mets, lang)
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        with solara.Card(t("bands", lang)):
            solara.FigureAltair(charts.bands_over_time(band_table, mets, lang, scenarios=scen))
        with solara.Card(t("differences", lang, ref=data.reference)):
            if diff_table.empty:
                solara.Text("–")
            else:
                solara.FigureAltair(
                    charts.bands_over_time(
                        diff_table, mets, lang, y="diff_mean", low="diff_ci_low", high="diff_ci_high", scenarios=scen
                    )
                )
    with solara.Card(t("headline", lang, end=data.end, ref=data.reference)):
        solara.DataFrame(headline_display(table, lang), items_per_page=50)
        solara.FileDownload(
            lambda: table.to_csv(index=False).encode("utf-8"),
            filename=f"{data.path.name}_headline.csv",
            label=t("download", lang),
            mime_type="text/csv",
        )


@solara.component
def Launcher(settings: DashboardSpec, lang: str, on_done):
    """Start a small comparison in a child process and show its progress."""
    all_scen = scenario_names()
    scenarios, set_scenarios = solara.use_state(all_scen[:3])
    reps, set_reps = solara.use_state(min(5, settings.max_replications))
    job, set_job = solara.use_state(None)
    progress = solara.use_reactive(None)
    error = solara.use_reactive(None)

    def watch():
        if job is None:
            return
        while True:
            p = job.progress()
            progress.set(p)
            if p.state in ("complete", "failed"):
                if p.state == "complete":
                    on_done(job.out)
                return
            time.sleep(0.5)

    solara.lab.use_task(watch, dependencies=[job], prefer_threaded=True)

    def start():
        error.set(None)
        try:
            ordered = [s for s in all_scen if s in scenarios]
            set_job(BackgroundComparison(new_folder(Path(settings.results)), ordered, reps, settings.overrides).start())
        except USER_ERRORS as err:
            error.set(str(err))

    p = progress.value
    busy = job is not None and (p is None or p.state in ("running", "writing"))
    with solara.Card(t("new_run", lang)):
        _multi(t("scenarios", lang), [(s, s) for s in all_scen], scenarios, set_scenarios)
        solara.SliderInt(
            t("replications", lang),
            value=reps,
            min=2,
            max=settings.max_replications,
            on_value=set_reps,
            thumb_label="always",
        )
        if settings.overrides:
            solara.Text(" ".join(settings.overrides), style={"font-size": "11px", "color": "gray"})
        solara.Button(t("start", lang), on_click=start, disabled=busy or not scenarios, color="primary")
        if job is not None and p is not None:
            solara.ProgressLinear(p.percent if p.state == "running" else (True if p.state == "writing" else 100))
            if p.state == "running":
                solara.Text(t("running", lang, done=p.done, total=p.total))
            elif p.state == "writing":
                solara.Text(t("writing", lang))
            elif p.state == "complete":
                solara.Success(t("finished", lang, path=str(job.out)))
            else:
                solara.Error(t("failed", lang, message=p.message))
        if error.value:
            solara.Error(error.value)


@solara.component
def ComparePage(settings: DashboardSpec | None = None, lang: str = "en"):
    """Pick a finished comparison folder, explore it, or start a new one."""
    settings = settings or DashboardSpec()
    root = Path(settings.results)
    refresh, set_refresh = solara.use_state(0)
    folders = solara.use_memo(lambda: comparison_folders(root), [str(root), refresh])
    chosen, set_chosen = solara.use_state(str(folders[0]) if folders else None)
    if chosen is None and folders:
        chosen = str(folders[0])

    def done(path: Path):
        set_refresh(lambda k: k + 1)
        set_chosen(str(path))

    def read():
        if chosen is None:
            return None, None
        try:
            return load_comparison(Path(chosen)), None
        except USER_ERRORS as err:
            return None, str(err)

    data, error = solara.use_memo(read, [chosen])
    solara.Title(f"cadresim — {t('compare', lang)}")
    with solara.Sidebar():
        Launcher(settings, lang, done)
    with solara.Column():
        if folders:
            solara.Select(t("folder", lang), value=chosen, values=[str(p) for p in folders], on_value=set_chosen)
        else:
            solara.Info(t("no_folder", lang, path=str(root)))
        if error:
            solara.Error(error)
        if data is not None:
            Explorer(data, lang)


__all__ = [
    "ComparePage",
    "ComparisonData",
    "bands",
    "comparison_folders",
    "default_selection",
    "differences",
    "headline",
    "load_comparison",
]
