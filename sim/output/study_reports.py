"""The files of a gathered sweep and of a sensitivity analysis: tables, figures and
report.md (no simulation here; the studies compute what these write)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from sim.plots.comparison import outcomes_vs_parameters, sensitivity_bars
from sim.plots.style import save

MORRIS_COLUMNS = ("mu", "mu_star", "sigma", "mu_star_conf")
SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")


def markdown_table(df: pd.DataFrame) -> str:
    """A small DataFrame as a Markdown table (numbers to 4 significant digits)."""

    def cell(v) -> str:
        return f"{v:.4g}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- sweep
def write_sweep_files(out: Path, sweep, sweep_dir: Path, outcomes: list[str], xs: list[str]) -> None:
    """Write sweep_timeseries.parquet, sweep_runs.csv, figures/outcomes_vs_parameters.png
    (when a parameter varies) and report.md for a gathered sweep (``sim.studies.sweep.Sweep``)."""
    out = Path(out)
    sweep.timeseries.to_parquet(out / "sweep_timeseries.parquet", index=False)
    sweep.runs.to_csv(out / "sweep_runs.csv", index=False)
    figs = []
    if xs:
        fig = outcomes_vs_parameters(sweep.runs, outcomes, xs)
        figs.append(save(fig, out / "figures" / "outcomes_vs_parameters.png"))
    means = sweep.runs.groupby(list(xs), dropna=False)[outcomes].mean().reset_index() if xs else None
    (out / "report.md").write_text(sweep_report(sweep, Path(sweep_dir), means, figs))


def sweep_report(sweep, sweep_dir: Path, means: pd.DataFrame | None, figs: list[str]) -> str:
    """report.md of a sweep: what was found, the mean outcome per parameter value, files."""
    table = markdown_table(means) if means is not None else "(no parameter varies)"
    skipped = "\n".join(f"* job {k}: {v}" for k, v in sweep.skipped.items()) or "none"
    fig_md = "\n\n".join(f"![{f}](figures/{f})" for f in figs)
    return f"""# cadresim sweep: {len(sweep.runs)} runs from `{sweep_dir}`

Overrides found: {", ".join(f"`{p}`" for p in sweep.parameters) or "none"}; varied:
{", ".join(f"`{p}`" for p in sweep.varied) or "none"}.

## Mean outcome by parameter value (over the other varied parameters and seeds)

{table}

## Figures

{fig_md}

## Files

* `sweep_timeseries.parquet`: one row per run and month, with `job` and the overrides as columns.
* `sweep_runs.csv`: one row per run, with the overrides and every summary metric.

Skipped jobs: {skipped}
"""


# --------------------------------------------------------------------------- sensitivity
def write_sensitivity_files(
    out: Path, indices: pd.DataFrame, samples: pd.DataFrame, method: str, cfg, runs: int, seeds: list[int]
) -> None:
    """Write indices.csv, samples.csv, figures/sensitivity.png and report.md."""
    out = Path(out)
    indices.to_csv(out / "indices.csv", index=False)
    samples.to_csv(out / "samples.csv", index=False)
    save(sensitivity_bars(indices, method), out / "figures" / "sensitivity.png")
    (out / "report.md").write_text(sensitivity_report(indices, samples, method, cfg, runs, seeds))


def sensitivity_report(indices: pd.DataFrame, samples: pd.DataFrame, method: str, cfg, runs: int, seeds) -> str:
    """report.md of a sensitivity analysis: the parameters, the indices, how to read them."""
    spec = cfg.sensitivity
    params = pd.DataFrame([dataclasses.asdict(p) for p in spec.parameters])
    cols = ["outcome", "parameter", *(MORRIS_COLUMNS if method == "morris" else SOBOL_COLUMNS)]
    how = (
        "`mu_star` is the mean absolute change in the outcome when the parameter moves across "
        "its whole range (in the outcome's unit); `sigma` large relative to `mu_star` means the "
        "effect depends on the other parameters (interactions or non-linearity)."
        if method == "morris"
        else "`S1` is the share of the outcome's variance due to the parameter alone, `ST` the share "
        "including its interactions; `_conf` columns are 95% bootstrap half-widths."
    )
    return (
        f"# cadresim sensitivity ({method}): {len(samples)} sample points x "
        f"{spec.replications} replications = {runs} runs\n\n"
        f"Scenario `{cfg.scenario.name}`, horizon {cfg.start} to {cfg.end}, seeds {seeds[0]}..{seeds[-1]} "
        f"at every point.\n\n## Parameters\n\n{markdown_table(params)}\n\n"
        f"## Indices\n\n{how}\n\n{markdown_table(indices[cols])}\n\n"
        f"![sensitivity](figures/sensitivity.png)\n\n"
        f"Files: `indices.csv` (this table with the ranges), `samples.csv` (every point's "
        f"parameter values and outcome means over replications).\n"
    )
