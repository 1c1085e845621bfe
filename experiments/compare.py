"""Compare scenarios: ``python -m experiments.compare [scenarios=[baseline,merge_offices]] [replications=50]``.

Runs every scenario in ``scenarios`` with ``replications`` replicates (replicate r uses
seed ``seed + r`` in every scenario: common random numbers) on ``workers`` local cores
(0 = all), and writes a run folder (results/compare/<timestamp>/): manifest.json,
timeseries.parquet and .csv, runs.csv, summary.csv, comparison.yaml, figures/*.png,
report.md, report.vi.md, report.xlsx, parts/. Rerunning with ``hydra.run.dir=<that
folder>`` loads the runs already in parts/ and runs the rest.

``policy.*`` overrides (``policy.selection.rule=random``) and the horizon (``end=2030-12``)
apply to every scenario, and the report says so; ``scenario=`` and ``scenario.*`` are
refused: each scenario comes from its own file (README, "Your own scenario").
``report.*`` keys choose what the report shows (``report.lang=vi``, ``report.scenarios``).
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments._cli import run_cli
from sim.output.comparison_report import closing_lines
from sim.params.compose import comparison_overrides, to_sim_config
from sim.studies.compare import scenario_overrides, write_comparison


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    task = list(hc.overrides.task)
    comparison_overrides(task)  # scenario= and scenario.* are refused before anything is written
    base = to_sim_config(cfg)
    out = Path(hc.runtime.output_dir)
    write_comparison(out, base, scenario_overrides(task), task_overrides=task)
    print("\n".join(closing_lines(out, base.report.lang)))


if __name__ == "__main__":
    run_cli(main)
