"""Compare scenarios: ``python -m experiments.compare [scenarios=[baseline,merge_offices]] [replications=50]``.

Runs every scenario in ``scenarios`` with ``replications`` replicates (replicate r uses
seed ``seed + r`` in every scenario: common random numbers) on ``workers`` local cores
(0 = all), and writes a run folder (results/compare/<timestamp>/): manifest.json,
timeseries.parquet, runs.csv, summary.csv, figures/*.png, report.md, parts/. Rerunning
with ``hydra.run.dir=<that folder>`` loads the runs already in parts/ and runs the rest.
Other overrides (``end=2030-12``, ``policy.selection.rule=random``) apply to every scenario.
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments._cli import run_cli
from sim.params.compose import to_sim_config
from sim.studies.compare import scenario_overrides, write_comparison


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    base = to_sim_config(cfg)
    hc = HydraConfig.get()
    task = list(hc.overrides.task)
    out = Path(hc.runtime.output_dir)
    write_comparison(out, base, scenario_overrides(task), task_overrides=task)
    print(f"run folder: {out}")


if __name__ == "__main__":
    run_cli(main)
