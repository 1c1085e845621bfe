"""The public functions: compose a config, run one replication, export the roster."""

from __future__ import annotations

import dataclasses
import gc

import pandas as pd

from sim.params.compose import compose, load_config, to_sim_config
from sim.params.schema import SimConfig


def with_seed(cfg: SimConfig, seed: int | None) -> SimConfig:
    return cfg if seed is None else dataclasses.replace(cfg, seed=int(seed))


def simulate(cfg: SimConfig, seed: int | None = None, *, replicate: int | None = None):
    """Run one replication to the end of the horizon and return a :class:`Result`."""
    from sim.model import CadreModel
    from sim.output.result import Result

    cfg = with_seed(cfg, seed)
    # The cyclic garbage collector would repeatedly scan the thousands of long-lived
    # agents while the run allocates; one collection after the run is enough.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        model = CadreModel(cfg)
        model.run()
        return Result.from_model(model, replicate=replicate)
    finally:
        if was_enabled:
            gc.enable()


def synthetic_roster(cfg: SimConfig, seed: int | None = None) -> pd.DataFrame:
    """The generated starting population in the roster-CSV schema (sim/world/roster.py)."""
    from sim.model import make_streams
    from sim.world.org import Org
    from sim.world.roster import generate_population, population_frame

    cfg = with_seed(cfg, seed)
    org = Org(cfg.org)
    pop = generate_population(org, cfg, make_streams(cfg.seed, cfg.start_index)["population"])
    return population_frame(pop, org)


def org_counts(cfg: SimConfig) -> dict[str, int]:
    """Units and posts of the configured organisation at the start."""
    from sim.world.org import Org

    return Org(cfg.org).counts()


__all__ = ["load_config", "simulate", "synthetic_roster", "org_counts", "compose", "to_sim_config"]
