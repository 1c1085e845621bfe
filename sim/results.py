"""Results: tidy tables from a run, and writing a run folder atomically."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calendar import format_month, parse_month
from sim.metrics import FLOW_COLUMNS, STOCK_COLUMNS
from sim.org import POST_KINDS

CONGRESS_MONTHS = ("2020-10", "2025-10")  # provincial congresses (Directive 35-CT/TW)
EVENT_COLUMNS = ["month", "kind", "cadre_id", "unit", "post", "rank", "detail"]


class Result:
    """One replication: ``timeseries`` (one row per month), ``summary`` and ``events``.

    ``events`` and ``ages`` are built on first access: a comparison of hundreds of
    replications that only needs the timeseries does not pay for them.
    """

    def __init__(self, timeseries, summary, raw_events, ages_raw, scenario, seed, replicate=None, org_counts=None, start=0, end=0):
        self.timeseries: pd.DataFrame = timeseries
        self.summary: dict[str, float] = summary
        self.scenario: str = scenario
        self.seed: int = seed
        self.replicate: int | None = replicate
        self.org_counts: dict[str, int] = org_counts or {}
        self._raw_events = raw_events
        self._ages_raw = ages_raw
        self._start, self._end = start, end
        self._events: pd.DataFrame | None = None
        self._ages: pd.DataFrame | None = None

    @property
    def events(self) -> pd.DataFrame:
        """One row per event: month, kind, cadre_id, unit, post, rank, detail."""
        if self._events is None:
            ev = pd.DataFrame(self._raw_events, columns=EVENT_COLUMNS)
            if len(ev):
                labels = {m: format_month(m) for m in set(ev["month"].tolist())}
                ev["month"] = ev["month"].map(labels)
                kinds = np.array(list(POST_KINDS) + [""], dtype=object)
                ev["post"] = kinds[ev["post"].to_numpy()]
            self._events = ev
        return self._events

    @property
    def ages(self) -> pd.DataFrame:
        """Ages (years) and sex of the cadres in service at the start and at the end."""
        if self._ages is None:
            start, end = self._ages_raw
            self._ages = pd.concat(
                [
                    pd.DataFrame({"when": format_month(self._start), "age": start["age"], "female": start["female"]}),
                    pd.DataFrame({"when": format_month(self._end), "age": end["age"], "female": end["female"]}),
                ],
                ignore_index=True,
            )
        return self._ages

    @classmethod
    def from_model(cls, model, replicate: int | None = None) -> Result:
        columns = model.datacollector.model_vars
        n_months = len(next(iter(columns.values()), ()))
        # the label columns first, then the metrics; built in one go (inserting columns
        # one by one into a DataFrame copies it each time)
        data = {
            "month": [format_month(m) for m in range(model.start, model.start + n_months)],
            "scenario": model.scenario_name,
            "seed": model.seed,
        }
        if replicate is not None:
            data["replicate"] = replicate
        # numpy infers the dtype pandas would (int64, or float64 once a float is in);
        # giving pandas arrays skips its slower per-object inference
        data.update((name, np.asarray(values) if values else values) for name, values in columns.items())
        ts = pd.DataFrame(data)
        summary = summarise(ts, model)
        return cls(
            ts,
            summary,
            model.events,
            (model.initial_ages, model.age_table()),
            model.scenario_name,
            model.seed,
            replicate,
            model.org.counts(),
            model.start,
            model.end,
        )


def summarise(ts: pd.DataFrame, model=None) -> dict[str, float]:
    """End-of-horizon stocks, horizon totals of flows, stocks at congress months."""
    out: dict[str, float] = {}
    last = ts.iloc[-1]
    cols = [c for c in ts.columns if c not in ("month", "scenario", "seed", "replicate")]
    flows = [c for c in cols if c in FLOW_COLUMNS or c.endswith("s_flow")]
    for c in cols:
        if c in flows:
            out[f"{c}_total"] = float(ts[c].sum())
        else:
            out[f"{c}_end"] = float(last[c])
    if model is not None:
        out["headcount_start"] = float(model.initial_headcount)
    row_of = {label: k for k, label in enumerate(ts["month"].tolist())}
    for cm in CONGRESS_MONTHS:
        if cm in row_of:
            row = ts.iloc[row_of[cm]]
            for c in STOCK_COLUMNS:
                out[f"{c}_{cm.replace('-', '_')}"] = float(row[c])
    if model is not None:
        extra = getattr(model, "summary_extra", None)
        if extra:
            out.update(extra)
    return out


# --------------------------------------------------------------------------- run folders
def git_state(repo: Path) -> dict[str, object]:
    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10)
        commit = proc.stdout.strip() if proc.returncode == 0 else ""
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=repo,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        )
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", None
    return {"git_commit": commit or None, "git_dirty": dirty}


def package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("mesa", "numpy", "pandas", "pyarrow", "matplotlib", "hydra-core", "omegaconf"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def config_hash(cfg) -> str:
    text = json.dumps(dataclasses.asdict(cfg), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    os.replace(tmp, path)


class RunFolder:
    """A run folder whose manifest says "running" until :meth:`complete` is called.

    A crash, a kill or a bad input leaves the manifest at "running" or "failed", never
    "complete"; ``complete`` is written last, by an atomic rename.
    """

    def __init__(self, path: Path, cfg, *, experiment: str, seeds: list[int]):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "figures").mkdir(exist_ok=True)
        self.t0 = time.perf_counter()
        repo = Path(__file__).resolve().parent.parent
        self.manifest = {
            "experiment": experiment,
            "status": "running",
            "command": " ".join(["python", "-m", f"experiments.{experiment}"] + sys.argv[1:]),
            **git_state(repo),
            "packages": package_versions(),
            "config_hash": config_hash(cfg),
            "seeds": seeds,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        write_json_atomic(self.path / "manifest.json", self.manifest)

    def fail(self, message: str) -> None:
        self.manifest.update(status="failed", error=message)
        write_json_atomic(self.path / "manifest.json", self.manifest)

    def complete(self, **extra) -> None:
        self.manifest.update(extra)
        self.manifest["wall_time_s"] = round(time.perf_counter() - self.t0, 3)
        self.manifest["status"] = "complete"
        write_json_atomic(self.path / "manifest.json", self.manifest)


def is_complete(path: Path) -> bool:
    f = Path(path) / "manifest.json"
    try:
        return json.loads(f.read_text()).get("status") == "complete"
    except (OSError, ValueError):
        return False


def month_range(start: str, end: str) -> list[str]:
    return [format_month(m) for m in range(parse_month(start), parse_month(end) + 1)]
