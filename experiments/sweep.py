"""Gather a multirun: ``python -m experiments.sweep sweep.dir=results/run-multirun/<timestamp>``.

Reads every complete job of the multirun folder (made with e.g. ``python -m
experiments.run -m seed='range(0,3)' policy.selection.rule=merit,random``) and writes a
run folder (results/sweep/<timestamp>/): sweep_timeseries.parquet (one row per run and
month, the job's overrides as columns), sweep_runs.csv (one row per run with its summary
metrics), figures/outcomes_vs_parameters.png (``sweep.outcomes`` against the swept
parameters), report.md and manifest.json.
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments._cli import run_cli
from sim.core.errors import InputError
from sim.params.compose import to_sim_config
from sim.studies.sweep import write_sweep


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    sim_cfg = to_sim_config(cfg)
    if sim_cfg.sweep.dir is None:
        raise InputError(
            "sweep.dir is not set; pass sweep.dir=<a multirun folder, e.g. results/run-multirun/<timestamp>>"
        )
    out = Path(HydraConfig.get().runtime.output_dir)
    sweep = write_sweep(out, sim_cfg, Path(sim_cfg.sweep.dir), list(sim_cfg.sweep.outcomes))
    print(f"gathered {len(sweep.runs)} runs (varied: {', '.join(sweep.varied) or 'nothing'}); run folder: {out}")


if __name__ == "__main__":
    run_cli(main)
