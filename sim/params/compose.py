"""Composing a configuration with Hydra: the config folders, the overrides, and the
typed :class:`~sim.params.schema.SimConfig` the model sees (never a DictConfig)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from sim.core.errors import ConfigError
from sim.params.schema import SimConfig, register

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"


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
    :class:`sim.params.schema.ConfigError` with a message naming what is wrong.
    """
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    try:
        cfg = compose(overrides)
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(_explain_omegaconf(err)) from None
    return to_sim_config(cfg)


__all__ = ["CONFIG_DIR", "compose", "load_config", "to_sim_config"]
