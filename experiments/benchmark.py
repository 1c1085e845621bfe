"""Throughput benchmark: ``python -m experiments.benchmark [benchmark.replications=20]``.

Times replications of the configured province (set-up included) and, in the same
process, Mesa's own Boltzmann wealth example at a comparable agent count; prints one
JSON line: our agent-months per second, Boltzmann's agent-steps per second, and the
ratio. Also written to <run folder>/benchmark.json. With
``benchmark.compare_replications=N`` it also times all ``scenarios`` x N runs on local
cores (``sim.studies.benchmark``). This is a measurement, not a test.
"""

from __future__ import annotations

import json
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments._cli import run_cli
from sim.params.compose import to_sim_config
from sim.studies.benchmark import benchmark
from sim.studies.compare import scenario_overrides


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    line = benchmark(to_sim_config(cfg), scenario_overrides(list(hc.overrides.task)))
    (Path(hc.runtime.output_dir) / "benchmark.json").write_text(json.dumps(line, indent=2))
    print(json.dumps(line))


if __name__ == "__main__":
    run_cli(main)
