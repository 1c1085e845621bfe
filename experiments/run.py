"""One replication of one scenario: ``python -m experiments.run scenario=merge_offices seed=3``.

Writes a run folder (results/run/<timestamp>/): manifest.json, timeseries.parquet,
events.parquet, summary.csv, figures/*.png, report.md (``report.figures=false``: no
figures, e.g. for the jobs of a multirun whose figures nobody looks at).
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments._cli import run_cli
from sim.api import simulate
from sim.output.report import write_single_run
from sim.params.compose import to_sim_config


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    sim_cfg = to_sim_config(cfg)
    out = Path(HydraConfig.get().runtime.output_dir)
    write_single_run(out, sim_cfg, lambda: simulate(sim_cfg))
    print(f"run folder: {out}")


if __name__ == "__main__":
    run_cli(main)
