"""A comparison's tables (no simulation, no writing here).

:class:`Comparison` holds the tidy tables of many runs and :class:`ReportData` what a
report is made from; :func:`load_report_data` reads them back from a finished run
folder and :func:`select` narrows them to a subset. Writing the folder's files, figures
and reports is :mod:`sim.output.comparison_report`'s job.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from sim.core.errors import ConfigError
from sim.metrics import BY_NAME, metric
from sim.output.run_folder import is_complete
from sim.params.compose import policy_keys
from sim.params.declare import SOURCE

# Metrics whose summary (the end-of-horizon value of a stock, the horizon total of a
# flow) is shown in the report's tables and the differences figure, in this order.
KEY_METRICS = (
    "headcount",
    "leaders",
    "leader_posts",
    "surplus_leaders",
    "vacant_leader_posts",
    "units",
    "leaders_women_share",
    "leaders_under40_share",
    "leaders_mean_age",
    "bench_strength",
    "retirements",
    "early_retirements",
    "promotions",
    "recruits",
    "rotations",
    "succession_gaps",
    "wage_bill",
    "severance_cost",
)
# The headline figure and paragraph: staffing beside the talent pipeline, when present.
HEADLINE_STAFFING = ("leader_posts", "headcount", "wage_bill")
HEADLINE_PIPELINE = ("bench_strength", "leaders_women_share", "leaders_under40_share", "leaders_mean_competence")
META_FILE = "comparison.yaml"  # what was run: settings and each scenario's description
TABLE_COLUMNS = 4  # scenarios per Markdown table: wider tables are split


def summary_key(name: str) -> str:
    """The summary key of a metric: ``<stock>_end`` or ``<flow>_total``."""
    return f"{name}_total" if metric(name).kind == "flow" else f"{name}_end"


KEY_OUTCOMES = tuple(summary_key(m) for m in KEY_METRICS)


@dataclass
class Comparison:
    """All runs of a comparison.

    ``timeseries``: one row per run and month (scenario, seed, replicate columns);
    ``runs``: one row per run, its summary metrics as columns; ``simulated`` and
    ``loaded``: runs computed now and runs loaded from the part store; ``workers``:
    processes used; ``seconds``: wall time of the runs.
    """

    timeseries: pd.DataFrame
    runs: pd.DataFrame
    scenarios: list[str]
    seeds: list[int]
    simulated: int = 0
    loaded: int = 0
    workers: int = 1
    seconds: float = 0.0


@dataclass
class ReportData:
    """What a report and its figures are made from: the tidy tables of a comparison
    folder and its ``comparison.yaml`` (``meta``: ``run`` settings, ``scenarios``)."""

    timeseries: pd.DataFrame
    runs: pd.DataFrame
    table: pd.DataFrame
    meta: dict
    metrics: list[str] = field(default_factory=list)  # timeseries metrics shown; [] = the defaults

    @property
    def scenarios(self) -> list[str]:
        return list(dict.fromkeys(self.table["scenario"]))

    @property
    def reference(self) -> str:
        return str(self.table["reference"].iloc[0])

    def abolishing(self) -> list[str]:
        """Scenarios that abolish a level: their scale differs, so they get their own panels."""
        info = self.meta.get("scenarios", {})
        return [s for s in self.scenarios if info.get(s, {}).get("abolishes_level")]


# --------------------------------------------------------------------------- what was run
def _base_salary(wage, month: str) -> tuple[float, str]:
    """The base salary (VND a month) in force in ``month`` and the decree that set it."""
    i = max([k for k, m in enumerate(wage.base_salary_from) if m <= month] or [0])
    declared = {f.name: f.metadata.get(SOURCE, "") for f in dataclasses.fields(wage)}
    decrees = re.findall(r"\d+/\d{4}", declared.get("base_salary_vnd", ""))
    name = decrees[i] if i < len(decrees) else ""
    return float(wage.base_salary_vnd[i]), f"Decree {name}/NĐ-CP" if name else ""


def scenario_info(cfg) -> dict:
    """One scenario as the report shows it: description, source, actions, policy block."""
    sc = cfg.scenario
    kinds = [a.kind for a in sc.actions]
    block = dict(sc.policy or {})
    return {
        "description": sc.description,
        "source": sc.source,
        "actions": len(kinds),
        "action_kinds": sorted(set(kinds)),
        "abolishes_level": "abolish_level" in kinds,
        "policy": block,
        "policy_keys": policy_keys(block),
    }


def comparison_meta(
    comp: Comparison, table: pd.DataFrame, cfgs: dict, base_cfg, overrides: list[str], command: str, out
) -> dict:
    """``comparison.yaml``: the settings a report needs, without the configs."""
    pool = base_cfg.policy.pool
    base, decree = _base_salary(base_cfg.policy.wage, base_cfg.end)
    policy_overrides = [o for o in overrides if o.split("=", 1)[0].lstrip("+~").startswith("policy")]
    return {
        "run": {
            "org": base_cfg.org.name,
            "start": base_cfg.start,
            "end": base_cfg.end,
            "seeds": [int(s) for s in comp.seeds],
            "reference": str(table["reference"].iloc[0]),
            "simulated": int(comp.simulated),
            "loaded": int(comp.loaded),
            "workers": int(comp.workers),
            "overrides": list(overrides),
            "policy_overrides": policy_overrides,
            "command": command,
            "folder": str(out),
            "targets": {
                "pool_women_share": float(pool.women_target),
                "pool_under40_share": float(pool.young_target),
                "congress_share_women": float(base_cfg.policy.congress.women_target),
            },
            "base_salary_vnd_end": base,
            "base_salary_decree": decree,
        },
        "scenarios": {n: scenario_info(c) for n, c in cfgs.items()},
    }


def compare_command(task_overrides: list[str]) -> str:
    """The command line that reproduces a comparison, overrides quoted for a shell."""
    return " ".join(["python -m experiments.compare", *(shlex.quote(o) for o in task_overrides)])


# --------------------------------------------------------------------------- reading a folder back
def load_report_data(folder: Path) -> ReportData:
    """The tables of a finished comparison folder (ConfigError naming what is missing)."""
    folder = Path(folder)
    need = ["timeseries.parquet", "runs.csv", "summary.csv", META_FILE]
    missing = [n for n in need if not (folder / n).is_file()]
    if missing:
        raise ConfigError(
            f"run_dir={folder}: not a finished comparison folder (missing {', '.join(missing)}); "
            "give the folder experiments.compare wrote (results/compare/<timestamp>)"
        )
    if not is_complete(folder):
        raise ConfigError(
            f"run_dir={folder}: the comparison there did not finish (its manifest.json does not say complete)"
        )
    meta = yaml.safe_load((folder / META_FILE).read_text(encoding="utf-8"))
    return ReportData(
        pd.read_parquet(folder / "timeseries.parquet"),
        pd.read_csv(folder / "runs.csv"),
        pd.read_csv(folder / "summary.csv"),
        meta,
    )


def select(data: ReportData, scenarios=(), metrics=()) -> ReportData:
    """The same data for a subset of scenarios (the reference is always kept) and with
    the given timeseries metrics shown; unknown names are refused with the valid ones."""
    scenarios, metrics = list(scenarios or ()), list(metrics or ())
    have = data.scenarios
    bad = [s for s in scenarios if s not in have]
    if bad:
        raise ConfigError(f"scenarios: {', '.join(bad)} not in this comparison; it has: {', '.join(have)}")
    shown = set(data.timeseries.columns) & set(BY_NAME)
    bad = [m for m in metrics if m not in shown]
    if bad:
        raise ConfigError(f"metrics: unknown {', '.join(bad)}; valid: {', '.join(m for m in BY_NAME if m in shown)}")
    keep = [data.reference] + [s for s in scenarios if s != data.reference] if scenarios else have
    keep = [s for s in have if s in keep]
    return ReportData(
        data.timeseries[data.timeseries["scenario"].isin(keep)],
        data.runs[data.runs["scenario"].isin(keep)],
        data.table[data.table["scenario"].isin(keep)],
        data.meta,
        metrics or list(data.metrics),
    )


def outcome_keys(data: ReportData) -> list[str]:
    """The summary keys the tables show: the chosen metrics' or the key metrics'."""
    names = data.metrics or list(KEY_METRICS)
    present = set(data.table["metric"])
    return [summary_key(m) for m in names if m in BY_NAME and summary_key(m) in present]


__all__ = [
    "KEY_METRICS",
    "KEY_OUTCOMES",
    "META_FILE",
    "Comparison",
    "ReportData",
    "compare_command",
    "comparison_meta",
    "load_report_data",
    "outcome_keys",
    "select",
    "summary_key",
]
