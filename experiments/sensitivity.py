"""Sensitivity analysis: ``python -m experiments.sensitivity +experiment=sensitivity [sensitivity.method=sobol]``.

Varies the parameters declared in ``sensitivity.parameters`` (ranges and their sources
in configs/experiment/sensitivity.yaml) with SALib's Morris (default) or Sobol design,
runs ``sensitivity.replications`` replications per sample point on ``workers`` local
cores (0 = all), and writes a run folder (results/sensitivity/<timestamp>/):
indices.csv, samples.csv, figures/sensitivity.png, report.md, manifest.json.
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments._cli import run_cli
from sim.params.compose import to_sim_config
from sim.studies.sensitivity import write_sensitivity


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    sim_cfg = to_sim_config(cfg)
    out = Path(HydraConfig.get().runtime.output_dir)
    res = write_sensitivity(out, sim_cfg)
    print(f"{res.method}: {len(res.samples)} points, {res.runs} runs; run folder: {out}")


if __name__ == "__main__":
    run_cli(main)
