"""Throughput measurements: replications of the configured province, Mesa's Boltzmann
wealth example at a comparable agent count, and a whole comparison on local cores.

``benchmark(cfg)`` gives the line ``python -m experiments.benchmark`` prints: our
agent-months per second, Boltzmann's agent-steps per second and their ratio (in wall
time, and in processor time, which other programs on the machine disturb less). These
are measurements, not tests.
"""

from __future__ import annotations

import dataclasses
import math
import time

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from sim.api import simulate
from sim.params.schema import SimConfig
from sim.studies.compare import comparison_jobs, scenario_configs
from sim.studies.runner import replicate_seeds, run_jobs

WARM_UP_SEED = 10_000  # a run outside the timed ones pays the imports and first-call costs


def time_cadresim(cfg: SimConfig, replications: int) -> dict:
    """Time ``replications`` runs of ``cfg`` (seeds 0, 1, ...) in this process, set-up
    included, after one warm-up run. Returns seconds per replication, agent-months (the
    sum of monthly headcounts) and agent-months per second, and the mean headcount."""
    simulate(cfg, seed=WARM_UP_SEED)
    agent_months = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for r in range(replications):
        res = simulate(cfg, seed=r)
        agent_months += int(res.timeseries["headcount"].sum())
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "replications": replications,
        "seconds_per_replication": wall / replications,
        "agent_months": agent_months,
        "agent_months_per_s": agent_months / wall,
        "agent_months_per_cpu_s": agent_months / cpu,
        "mean_headcount": agent_months / replications / len(res.timeseries),
    }


def time_boltzmann(n_agents: int, steps: int, seed: int = 0) -> dict:
    """Time Mesa's Boltzmann wealth example with ``n_agents`` for ``steps`` steps
    (about one agent per grid cell, as the example's default); agent-steps per second."""
    side = max(10, int(math.ceil(math.sqrt(n_agents))))
    t0, c0 = time.perf_counter(), time.process_time()
    model = BoltzmannWealth(BoltzmannScenario(n=n_agents, width=side, height=side, rng=seed))
    for _ in range(steps):
        model.step()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "agents": n_agents,
        "steps": steps,
        "agent_steps_per_s": n_agents * steps / wall,
        "agent_steps_per_cpu_s": n_agents * steps / cpu,
    }


def time_comparison(cfg: SimConfig, replications: int, overrides: list[str] | None = None) -> dict:
    """Time ``cfg.scenarios`` x ``replications`` runs on ``cfg.workers`` local cores
    (0 = all), process start-up included.

    Each scenario is composed with ``overrides`` (a command line's, as
    ``sim.studies.compare.scenario_overrides`` keeps them); without them, ``cfg`` with
    each scenario's block swapped in. Returns runs, wall seconds, runs per second, workers.
    """
    if overrides is not None:
        cfgs = scenario_configs(list(cfg.scenarios), overrides)
    else:
        cfgs = {
            n: dataclasses.replace(cfg, scenario=c.scenario) for n, c in scenario_configs(list(cfg.scenarios)).items()
        }
    t0 = time.perf_counter()
    jobs = comparison_jobs(cfgs, replicate_seeds(cfg.seed, replications))
    batch = run_jobs(jobs, cfg.workers, progress=False, desc="compare runs")
    wall = time.perf_counter() - t0
    n = len(batch.outputs)
    return {
        "compare_scenarios": len(cfgs),
        "compare_runs": n,
        "compare_seconds": round(wall, 2),
        "compare_replications_per_s": round(n / wall, 2),
        "compare_workers": batch.workers,
    }


def benchmark(cfg: SimConfig, overrides: list[str] | None = None) -> dict:
    """The benchmark line: ``cfg.benchmark.replications`` timed runs of ``cfg``,
    Boltzmann at the same mean agent count for ``cfg.benchmark.boltzmann_steps``
    steps, their ratio, and (when ``cfg.benchmark.compare_replications`` > 0) a timed
    comparison of ``cfg.scenarios`` (see :func:`time_comparison` for ``overrides``)."""
    bench = cfg.benchmark
    ours = time_cadresim(cfg, bench.replications)
    boltz = time_boltzmann(int(round(ours["mean_headcount"])), bench.boltzmann_steps)
    line = {
        "cadresim_agent_months_per_s": round(ours["agent_months_per_s"]),
        "cadresim_seconds_per_replication": round(ours["seconds_per_replication"], 4),
        "boltzmann_agent_steps_per_s": round(boltz["agent_steps_per_s"]),
        "ratio": round(ours["agent_months_per_s"] / boltz["agent_steps_per_s"], 2),
        # the same ratio in processor time: steadier when other work shares the machine
        "ratio_cpu": round(ours["agent_months_per_cpu_s"] / boltz["agent_steps_per_cpu_s"], 2),
        "agents": boltz["agents"],
        "replications": bench.replications,
        "scenario": cfg.scenario.name,
    }
    if bench.compare_replications > 0:
        line.update(time_comparison(cfg, bench.compare_replications, overrides))
    return line
