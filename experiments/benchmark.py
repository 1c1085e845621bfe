"""Throughput benchmark: ``python -m experiments.benchmark [benchmark.replications=20]``.

Times replications of the configured province (set-up included) and, in the same
process, Mesa's own Boltzmann wealth example at a comparable agent count; prints one
JSON line: our agent-months per second, Boltzmann's agent-steps per second, and the
ratio. Also written to <run folder>/benchmark.json. This is a measurement, not a test.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments._cli import run_cli
from sim.api import simulate
from sim.params.compose import to_sim_config


def time_cadresim(cfg, replications: int) -> dict:
    simulate(cfg, seed=10_000)  # warm-up: imports and first-call costs
    agent_months = 0
    t0 = time.perf_counter()
    for r in range(replications):
        res = simulate(cfg, seed=r)
        agent_months += int(res.timeseries["headcount"].sum())
    wall = time.perf_counter() - t0
    return {
        "replications": replications,
        "seconds_per_replication": wall / replications,
        "agent_months": agent_months,
        "agent_months_per_s": agent_months / wall,
        "mean_headcount": agent_months / replications / len(res.timeseries),
    }


def time_boltzmann(n_agents: int, steps: int, seed: int = 0) -> dict:
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    side = max(10, int(math.ceil(math.sqrt(n_agents))))  # about one agent per cell, as the example's default
    t0 = time.perf_counter()
    model = BoltzmannWealth(BoltzmannScenario(n=n_agents, width=side, height=side, rng=seed))
    for _ in range(steps):
        model.step()
    wall = time.perf_counter() - t0
    return {"agents": n_agents, "steps": steps, "agent_steps_per_s": n_agents * steps / wall}


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    sim_cfg = to_sim_config(cfg)
    bench = sim_cfg.benchmark
    ours = time_cadresim(sim_cfg, bench.replications)
    boltz = time_boltzmann(int(round(ours["mean_headcount"])), bench.boltzmann_steps)
    line = {
        "cadresim_agent_months_per_s": round(ours["agent_months_per_s"]),
        "cadresim_seconds_per_replication": round(ours["seconds_per_replication"], 4),
        "boltzmann_agent_steps_per_s": round(boltz["agent_steps_per_s"]),
        "ratio": round(ours["agent_months_per_s"] / boltz["agent_steps_per_s"], 2),
        "agents": boltz["agents"],
        "replications": bench.replications,
        "scenario": sim_cfg.scenario.name,
    }
    if bench.compare_replications > 0:
        from sim.studies.compare import time_comparison

        line.update(time_comparison(sim_cfg, bench.compare_replications))
    out = Path(HydraConfig.get().runtime.output_dir)
    (out / "benchmark.json").write_text(json.dumps(line, indent=2))
    print(json.dumps(line))


if __name__ == "__main__":
    run_cli(main)
