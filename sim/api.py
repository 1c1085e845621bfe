"""The public functions: compose a config, run one replication, export the roster."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from sim.config import ConfigError, SimConfig, register

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def _explain_omegaconf(err: Exception) -> str:
    """A one-paragraph message for an OmegaConf/Hydra error, with valid keys if known."""
    msg = str(err).split("\n    full_key:")[0].strip()
    cause = err.__cause__
    if cause is not None and str(cause) not in msg:
        msg = f"{msg}\n{str(cause).split(chr(10) + '    full_key:')[0].strip()}"
    obj_type = getattr(err, "object_type", None) or getattr(cause, "object_type", None)
    if obj_type is not None and dataclasses.is_dataclass(obj_type):
        valid = ", ".join(f.name for f in dataclasses.fields(obj_type))
        msg = f"{msg}\nvalid keys of {obj_type.__name__}: {valid}"
    return msg


def compose(overrides: Iterable[str] = ()):
    """Compose ``configs/config.yaml`` with Hydra overrides; returns a DictConfig."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register()
    overrides = list(overrides)
    if GlobalHydra.instance().is_initialized():
        return hydra_compose(config_name="config", overrides=overrides)
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base=None):
        return hydra_compose(config_name="config", overrides=overrides)


def to_sim_config(cfg) -> SimConfig:
    """Turn a composed DictConfig into the typed SimConfig (runs all range checks)."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(cfg, SimConfig):
        return cfg
    try:
        if "hydra" in cfg:
            cfg = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "hydra"])
        obj = OmegaConf.to_object(cfg)
    except OmegaConfBaseException as err:
        raise ConfigError(_explain_omegaconf(err)) from None
    if not isinstance(obj, SimConfig):
        raise ConfigError("the composed config is not a SimConfig (is 'sim_schema' in the defaults list?)")
    return obj


def load_config(overrides: Iterable[str] = ()) -> SimConfig:
    """Compose the config as the command line would and return a typed SimConfig.

    ``sim.load_config(["scenario=all_pilots", "seed=7"])``. Raises
    :class:`sim.config.ConfigError` with a message naming what is wrong.
    """
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    try:
        cfg = compose(overrides)
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(_explain_omegaconf(err)) from None
    return to_sim_config(cfg)


def with_seed(cfg: SimConfig, seed: int | None) -> SimConfig:
    return cfg if seed is None else dataclasses.replace(cfg, seed=int(seed))


def simulate(cfg: SimConfig, seed: int | None = None, *, replicate: int | None = None):
    """Run one replication to the end of the horizon and return a :class:`Result`."""
    from sim.model import CadreModel
    from sim.results import Result

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
    """The generated starting population in the roster-CSV schema (sim/roster.py)."""
    from sim.model import make_streams
    from sim.org import Org
    from sim.roster import generate_population, population_frame

    cfg = with_seed(cfg, seed)
    org = Org(cfg.org)
    pop = generate_population(org, cfg, make_streams(cfg.seed)["population"])
    return population_frame(pop, org)


def org_counts(cfg: SimConfig) -> dict[str, int]:
    """Units and posts of the configured organisation at the start."""
    from sim.org import Org

    return Org(cfg.org).counts()


__all__ = ["load_config", "simulate", "synthetic_roster", "org_counts", "compose", "to_sim_config"]
