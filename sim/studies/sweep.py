"""Sweeps: one run per combination of parameter values, as tidy tables.

A Hydra multirun (``python -m experiments.run -m ...``) leaves one job folder per
combination (``<sweep dir>/<job number>/``), each with ``.hydra/overrides.yaml`` (the
job's overrides) and the run folder files (manifest.json, timeseries.parquet,
summary.csv). :func:`gather_sweep` reads them all: the overrides become columns, so each
row says which parameter values produced it.

:func:`run_sweep` gives the same tables without Hydra's launcher, from Python: the
combinations are jobs for the study runner (``sim.studies.runner``), labelled with the
job numbers a multirun would give them::

    sweep = run_sweep({"seed": [0, 1], "policy.selection.rule": ["merit", "random"]}, ["end=2021-12"])
    sweep.runs                         # one row per combination: job, the values, summary
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser

from sim.api import load_config
from sim.core.errors import ConfigError, InputError
from sim.output.run_folder import RunFolder, is_complete
from sim.output.study_reports import markdown_table, write_sweep_files
from sim.studies.runner import Job, run_jobs

JOB_COLUMNS = ("job",)
__all__ = [
    "Sweep",
    "check_outcomes",
    "gather_sweep",
    "grid_combinations",
    "job_folders",
    "job_overrides",
    "markdown_table",
    "run_sweep",
    "write_sweep",
]


@dataclass
class Sweep:
    """A gathered multirun.

    ``timeseries``: one row per job and month, with a ``job`` column and one column per
    override key (e.g. ``policy.selection.rule``); ``runs``: one row per job with the
    override columns and the job's summary metrics; ``parameters``: the override keys;
    ``varied``: those taking more than one value; ``skipped``: job folders left out, with
    the reason (not complete, files missing).
    """

    timeseries: pd.DataFrame
    runs: pd.DataFrame
    parameters: list[str]
    varied: list[str]
    skipped: dict[str, str] = field(default_factory=dict)


def job_folders(sweep_dir: Path) -> list[Path]:
    """Job folders of a multirun (those with ``.hydra/overrides.yaml``), by job number."""
    root = Path(sweep_dir)
    if not root.exists():
        raise InputError("sweep folder not found; pass sweep.dir=<a multirun folder>", file=str(root))
    if not root.is_dir():
        raise InputError("is not a folder; pass sweep.dir=<a multirun folder>", file=str(root))
    jobs = [p.parent.parent for p in root.glob("*/.hydra/overrides.yaml")]
    if not jobs:
        raise InputError(
            "holds no job folders (no <job>/.hydra/overrides.yaml); is this the folder a "
            "'-m' run printed (e.g. results/run-multirun/<timestamp>)?",
            file=str(root),
        )
    return sorted(jobs, key=lambda p: (0, int(p.name), "") if p.name.isdigit() else (1, 0, p.name))


def job_overrides(job: Path) -> dict[str, object]:
    """A job's overrides as {key: value}, values typed as Hydra parses them.

    Lists and dicts become their text; ``~key`` deletions are left out.
    """
    f = job / ".hydra" / "overrides.yaml"
    try:
        lines = yaml.safe_load(f.read_text()) or []
    except (OSError, yaml.YAMLError) as err:
        raise InputError(f"cannot read the job's overrides: {err}", file=str(f)) from None
    out: dict[str, object] = {}
    for ov in OverridesParser.create().parse_overrides(lines):
        if ov.is_delete():
            continue
        value = ov.value()
        if isinstance(value, (list, dict)):
            value = str(ov.get_value_element_as_str())
        out[ov.get_key_element().lstrip("+")] = value
    return out


def gather_sweep(sweep_dir: Path) -> Sweep:
    """Read every complete job of a multirun folder into tidy tables (see :class:`Sweep`)."""
    rows_ts, rows_runs, skipped = [], [], {}
    params: dict[str, None] = {}
    for job in job_folders(sweep_dir):
        if not is_complete(job):
            skipped[job.name] = "manifest.json is missing or not 'complete' (the job failed or is still running)"
            continue
        ts_file, sum_file = job / "timeseries.parquet", job / "summary.csv"
        if not ts_file.exists() or not sum_file.exists():
            skipped[job.name] = "timeseries.parquet or summary.csv is missing"
            continue
        try:
            ov = job_overrides(job)
            ts = pd.read_parquet(ts_file)
            summary = pd.read_csv(sum_file)
        except Exception as err:  # a damaged job folder is left out, with the reason
            skipped[job.name] = f"unreadable ({type(err).__name__}: {str(err)[:160]})"
            continue
        if ts.empty:
            skipped[job.name] = "timeseries.parquet has no rows"
            continue
        if not {"metric", "value"} <= set(summary.columns):
            skipped[job.name] = "summary.csv is not a single run's (no metric/value columns)"
            continue
        # values the run's own table already holds (seed, scenario) are taken from the table
        ov_cols = {k: v for k, v in ov.items() if k not in ts.columns}
        params.update(dict.fromkeys(ov))
        ts.insert(0, "job", job.name)
        for k, v in ov_cols.items():
            ts[k] = v
        rows_ts.append(ts)
        run = {"job": job.name, **{k: ts[k].iloc[0] if k in ts.columns else v for k, v in ov.items()}}
        for c in ("scenario", "seed"):
            if c in ts.columns:
                run.setdefault(c, ts[c].iloc[0])
        run.update(dict(zip(summary["metric"], summary["value"])))
        rows_runs.append(run)
    if not rows_ts:
        reasons = "; ".join(f"job {k}: {v}" for k, v in list(skipped.items())[:5])
        raise InputError(f"no complete job to gather ({reasons})", file=str(sweep_dir))
    timeseries = pd.concat(rows_ts, ignore_index=True)
    lead = ["job", *[p for p in params if p in timeseries.columns and p not in ("seed", "scenario")]]
    timeseries = timeseries[lead + [c for c in timeseries.columns if c not in lead]]
    runs = pd.DataFrame(rows_runs)
    parameters = list(params)
    varied = [p for p in parameters if p in runs.columns and runs[p].astype(str).nunique() > 1]
    return Sweep(timeseries, runs, parameters, varied, skipped)


def grid_combinations(grid: Mapping[str, Sequence]) -> list[dict[str, object]]:
    """Every combination of the values, in the order of Hydra's basic sweeper (the first
    key varies slowest): ``{"a": [1, 2], "b": ["x"]}`` -> ``[{a: 1, b: x}, {a: 2, b: x}]``."""
    if not grid:
        raise ConfigError("the sweep grid is empty; give at least one key with its values")
    empty = [k for k, v in grid.items() if isinstance(v, (str, bytes)) or len(v) == 0]
    if empty:
        raise ConfigError(f"sweep grid: {', '.join(empty)} needs a list of one or more values")
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def run_sweep(
    grid: Mapping[str, Sequence], overrides: Sequence[str] = (), workers: int = 0, *, progress: bool = True
) -> Sweep:
    """Run one replication per combination of ``grid`` (dotted config key -> values;
    ``seed`` may be one of them) with ``overrides`` applied to all, on ``workers`` local
    cores (0 = all), and return the tables :func:`gather_sweep` gives for the
    equivalent multirun (``job`` numbers from 0, in the basic sweeper's order)."""
    combos = grid_combinations(grid)
    jobs = []
    for number, combo in enumerate(combos):
        cfg = load_config([*overrides, *(f"{k}={v}" for k, v in combo.items())])
        jobs.append(Job(str(number), cfg, cfg.seed, 0))
    batch = run_jobs(jobs, workers, progress=progress, desc="sweep runs", noun="job", label_column="job")
    params = list(grid)
    rows_ts, rows_runs = [], []
    for out, combo in zip(batch.outputs, combos):
        ts = out.timeseries.drop(columns="replicate")
        extra = {k: v for k, v in combo.items() if k not in ts.columns}
        ts = ts.assign(**extra)
        rows_ts.append(ts)
        rows_runs.append({"job": out.label, **combo, "scenario": ts["scenario"].iloc[0], "seed": out.seed, **out.summary})
    timeseries = pd.concat(rows_ts, ignore_index=True)
    lead = ["job", *[p for p in params if p in timeseries.columns and p not in ("seed", "scenario")]]
    timeseries = timeseries[lead + [c for c in timeseries.columns if c not in lead]]
    runs = pd.DataFrame(rows_runs)
    varied = [p for p in params if runs[p].astype(str).nunique() > 1]
    return Sweep(timeseries, runs, params, varied)


def check_outcomes(runs: pd.DataFrame, outcomes: list[str]) -> None:
    """Raise InputError naming unknown outcomes and listing the summary keys available."""
    known = [c for c in runs.columns if pd.api.types.is_numeric_dtype(runs[c]) and c not in ("job", "seed")]
    bad = [o for o in outcomes if o not in runs.columns]
    if not outcomes or bad:
        raise InputError(
            f"sweep.outcomes: unknown summary key(s) {', '.join(bad) or '(none given)'}; available: {', '.join(known)}"
        )


def plotted_parameters(sweep: Sweep) -> list[str]:
    """Swept parameters to put on x axes: the varied ones, seed only if nothing else varies."""
    non_seed = [p for p in sweep.varied if p != "seed"]
    return non_seed or [p for p in sweep.varied if p == "seed"]


def write_sweep(out: Path, sim_cfg, sweep_dir: Path, outcomes: list[str]) -> Sweep:
    """Gather ``sweep_dir`` and write ``out``: sweep_timeseries.parquet, sweep_runs.csv,
    figures/outcomes_vs_parameters.png, report.md, manifest.json (complete last)."""
    sweep = gather_sweep(sweep_dir)
    check_outcomes(sweep.runs, outcomes)
    seeds = sorted({int(s) for s in sweep.runs["seed"]}) if "seed" in sweep.runs.columns else []
    folder = RunFolder(out, sim_cfg, experiment="sweep", seeds=seeds)
    write_sweep_files(out, sweep, Path(sweep_dir), outcomes, plotted_parameters(sweep))
    folder.complete(
        sweep_dir=str(Path(sweep_dir).resolve()),
        jobs=len(sweep.runs),
        skipped=sweep.skipped,
        parameters=sweep.parameters,
        varied=sweep.varied,
        outcomes=outcomes,
    )
    return sweep
