"""A comparison's tables, figures and report.md (no simulation here).

:class:`Comparison` holds the tidy tables of many runs; :func:`write_comparison_files`
writes them into a run folder with the figures and the report, given the summary table
the study computed (``sim.studies.stats.summarise_comparison``).
"""

from __future__ import annotations

import dataclasses
import shlex
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.metrics import metric
from sim.output.result import congress_months
from sim.plots import comparison as compare_plots
from sim.plots import pipeline as pipeline_plots
from sim.plots.style import save

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
    "succession_gaps",
    "wage_bill",
    "severance_cost",
)


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


def write_comparison_files(
    out: Path, comp: Comparison, table: pd.DataFrame, cfgs: dict, base_cfg, overrides: list[str], command: str
) -> list[str]:
    """Write timeseries.parquet, runs.csv, summary.csv (``table``), figures/*.png and
    report.md into ``out``; returns the figure file names."""
    out = Path(out)
    comp.timeseries.to_parquet(out / "timeseries.parquet", index=False)
    comp.runs.to_csv(out / "runs.csv", index=False)
    table.to_csv(out / "summary.csv", index=False)
    figs = comparison_figures(comp, table, out / "figures", base_cfg.policy)
    (out / "report.md").write_text(comparison_report(comp, table, cfgs, base_cfg, overrides, figs, command, out))
    return figs


def compare_command(task_overrides: list[str]) -> str:
    """The command line that reproduces a comparison, overrides quoted for a shell."""
    return " ".join(["python -m experiments.compare", *(shlex.quote(o) for o in task_overrides)])


def comparison_figures(comp: Comparison, table: pd.DataFrame, figdir: Path, policy=None) -> list[str]:
    """Save the comparison's figures into ``figdir``; returns their file names.

    ``policy`` (a PolicyConfig) supplies the pool targets drawn on the pipeline panel.
    The pipeline and congress figures are drawn only when the tables hold their columns.
    """
    figdir = Path(figdir)
    figdir.mkdir(parents=True, exist_ok=True)
    ts = comp.timeseries
    metrics = [m for m in compare_plots.TIME_METRICS if m in ts.columns]
    made = [save(compare_plots.metrics_over_time(ts, metrics), figdir / "metrics_over_time.png")]
    outcomes = [m for m in KEY_OUTCOMES if m in set(table["metric"])]
    made.append(save(compare_plots.end_differences(table, outcomes), figdir / "differences_from_reference.png"))
    if any(c in ts.columns for c in pipeline_plots.PANEL_COLUMNS):
        pool = policy.pool if policy is not None else None
        targets = {"women_target": pool.women_target, "young_target": pool.young_target} if pool else {}
        made.append(save(pipeline_plots.pipeline_panel(ts, **targets), figdir / "pipeline.png"))
    if pipeline_plots.congress_columns(comp.runs.columns):
        made.append(save(pipeline_plots.congress_bars(comp.runs), figdir / "congress.png"))
    return made


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.3g}"


def comparison_report(
    comp: Comparison,
    table: pd.DataFrame,
    cfgs: dict,
    base_cfg,
    overrides: list[str],
    figs: list[str],
    command: str,
    out: Path,
) -> str:
    """report.md: what was run, the key tables, the figures, how to reproduce it."""
    ref = table["reference"].iloc[0]
    outcomes = [m for m in KEY_OUTCOMES if m in set(table["metric"])]
    t = table.set_index(["scenario", "metric"])
    others = [s for s in comp.scenarios if s != ref]

    def md_table(scenarios: list[str], cell) -> str:
        # metrics as rows: their names are long, scenario names short
        lines = ["| metric | " + " | ".join(scenarios) + " |", "|---|" + "---|" * len(scenarios)]
        lines += [f"| {m} | " + " | ".join(cell(t.loc[(s, m)]) for s in scenarios) + " |" for m in outcomes]
        return "\n".join(lines)

    levels = md_table(comp.scenarios, lambda r: f"{_fmt(r['mean'])} [{_fmt(r['p5'])}, {_fmt(r['p95'])}]")
    diffs = (
        md_table(others, lambda r: f"{_fmt(r['diff_mean'])} [{_fmt(r['diff_ci_low'])}, {_fmt(r['diff_ci_high'])}]")
        if others
        else "(only the reference scenario was run)"
    )
    scen_rows = "\n".join(
        f"| {n} | {c.scenario.description or '–'} | {len(c.scenario.actions)} | {c.scenario.source or '–'} |"
        for n, c in cfgs.items()
    )
    fig_md = "\n\n".join(f"![{f}](figures/{f})" for f in figs)
    conf = yaml.safe_dump(
        {k: v for k, v in dataclasses.asdict(base_cfg).items() if k in ("seed", "start", "end", "roster", "policy")},
        sort_keys=False,
        allow_unicode=True,
    )
    congress = "/".join(f"`_{m.replace('-', '_')}`" for m in congress_months(base_cfg))
    congress_note = f", {congress} the value in that congress month" if congress else ""
    seeds = comp.seeds
    return f"""# cadresim comparison: {len(comp.scenarios)} scenario(s) x {len(seeds)} replication(s)

Horizon {base_cfg.start} to {base_cfg.end}; organisation `{base_cfg.org.name}`. Replicate r
uses seed {seeds[0]} + r (seeds {seeds[0]}..{seeds[-1]}) in every scenario (common random
numbers), so differences are paired by replicate. Reference scenario: `{ref}`.
Runs: {comp.simulated} simulated{f" on {comp.workers} worker process(es)" if comp.simulated else ""},
{comp.loaded} loaded from `parts/` (saved by an earlier, interrupted or repeated attempt).

## Scenarios

| scenario | description | actions | source |
|---|---|---|---|
{scen_rows}

## End of horizon ({base_cfg.end}): mean [5th, 95th percentile over replicates]

{levels}

## Difference from `{ref}`: mean of paired differences [90% confidence interval]

{diffs}

All metrics and scenarios, with the spread of single-replicate differences
(`diff_p5`, `diff_p95`), are in `summary.csv`; one row per run in `runs.csv`; every
month of every run in `timeseries.parquet`. `_end` is the value in {base_cfg.end},
`_total` the sum over the horizon{congress_note}.

## Figures

{fig_md}

## Configuration

Overrides applied to every scenario: `{" ".join(overrides) or "(none)"}`.
Reference scenario's seed, horizon and policy:

```yaml
{conf}```

## Reproduce

```bash
{command}
```

The same command with `hydra.run.dir={out}` reruns into this folder: runs already in
`parts/` are loaded, not rerun, so an interrupted comparison finishes where it stopped.
"""
