"""Composing a configuration with Hydra: the config folders, the overrides, and the
typed :class:`~sim.params.schema.SimConfig` the model sees (never a DictConfig).

:func:`load_config` keeps the configs it composed in this process (a Hydra composition
costs about 0.3 s of CPU): the same overrides on the same config files give a copy of
the one composed before. An entry is used only while every YAML file of its search path
has the same contents (they are read and hashed at each use) and the job's search path
is the same; overrides with an interpolation (``${...}``) are always composed again.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from sim.core.errors import ConfigError
from sim.params.schema import SimConfig, register
from sim.params.search import CONFIG_DIR, _as_dir, scenario_names

CACHE_SIZE = 64  # composed configs kept by load_config (a SimConfig is a few hundred kB)
_CACHE: collections.OrderedDict = collections.OrderedDict()


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


def _sources_path(sources) -> list[str]:
    """Hydra's ``runtime.config_sources`` as search-path entries (``file://...``, ``pkg://...``)."""
    return [f"{s.schema}://{s.path}" for s in sources or () if s.path]


def current_search_path() -> list[str] | None:
    """The search path of the running Hydra job (``@hydra.main``), or None outside one."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return None
    return _sources_path(HydraConfig.get().runtime.config_sources)


def _job_searchpath() -> list[str]:
    """The ``hydra.searchpath`` folders of the running Hydra job ([] outside one)."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return []
    return [str(p) for p in HydraConfig.get().searchpath or ()]


def ensure_registered() -> None:
    """:func:`~sim.params.schema.register` unless the schema is in Hydra's ConfigStore
    already (registering builds the structured schema again: about 0.1 s each time)."""
    from hydra.core.config_store import ConfigStore

    repo = ConfigStore.instance().repo
    if "sim_schema.yaml" not in repo or "report_schema.yaml" not in repo:
        register()


def _compose(overrides: Iterable[str]):
    """(DictConfig without the ``hydra`` node, the search path it was composed with)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import open_dict

    ensure_registered()
    overrides = list(overrides)
    job_dirs = _job_searchpath()
    if job_dirs and not any(o.lstrip("+~").startswith("hydra.searchpath") for o in overrides):
        # inside a job (experiments.compare, sweep, ...) each scenario's config is composed
        # with the folders the command line added, so its own scenario files are found
        overrides.append("hydra.searchpath=[" + ",".join(job_dirs) + "]")
    if GlobalHydra.instance().is_initialized():
        cfg = hydra_compose(config_name="config", overrides=overrides, return_hydra_config=True)
    else:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base=None):
            cfg = hydra_compose(config_name="config", overrides=overrides, return_hydra_config=True)
    search_path = _sources_path(cfg.hydra.runtime.config_sources)
    with open_dict(cfg):
        del cfg["hydra"]
    return cfg, search_path


def compose(overrides: Iterable[str] = ()):
    """Compose ``configs/config.yaml`` with Hydra overrides; returns a DictConfig.

    Scenario names in ``scenarios`` are checked by :func:`to_sim_config`; a config composed
    with ``hydra.searchpath=[...]`` needs that search path there (or use :func:`load_config`).
    """
    return _compose(overrides)[0]


def check_scenario_names(names: Iterable[str], search_path: Iterable[str | Path] | None = None) -> None:
    """Every name is a ``scenario/*.yaml`` on the search path (None: the package's configs)."""
    valid = scenario_names(search_path)
    bad = [n for n in names if n not in valid]
    if bad:
        raise ConfigError(f"scenarios: unknown name(s) {', '.join(bad)}; valid: {', '.join(valid)}")


def apply_scenario_policy(cfg):
    """The config with the scenario's ``policy:`` block merged over ``policy`` (a copy;
    the same config when the block is empty). Unknown or ill-typed keys are refused with
    a message naming the scenario file."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    block = OmegaConf.select(cfg, "scenario.policy")
    if not block:
        return cfg
    name = OmegaConf.select(cfg, "scenario.name")
    if not OmegaConf.is_dict(block):
        raise ConfigError(f"scenario {name}: policy must be a mapping of policy keys, e.g. policy: {{rotation: {{per_year: 24}}}}")
    out = copy.deepcopy(cfg)
    try:
        out.policy = OmegaConf.merge(out.policy, block)
    except OmegaConfBaseException as err:
        raise ConfigError(
            f"scenario {name} (scenario/{name}.yaml), its policy block: {_explain_omegaconf(err)}"
        ) from None
    return out


def policy_keys(block, prefix: str = "policy") -> list[str]:
    """The dotted keys a (nested) policy block sets, e.g. ``["policy.rotation.per_year"]``."""
    out: list[str] = []
    for key, value in dict(block or {}).items():
        if isinstance(value, dict) and value:
            out.extend(policy_keys(value, f"{prefix}.{key}"))
        else:
            out.append(f"{prefix}.{key}")
    return out


def comparison_overrides(task_overrides: Iterable[str]) -> list[str]:
    """Check a comparison's command-line overrides; returns the ``policy.*`` ones.

    In a comparison each scenario comes from its own file, so ``scenario=<name>`` and
    ``scenario.*`` overrides (which would give every scenario, the reference included,
    the same actions) are refused; ``policy.*`` overrides apply to every scenario.
    """
    refused = []
    for text in task_overrides:
        key = text.split("=", 1)[0].lstrip("+~")
        if key == "scenario" or key.startswith("scenario."):
            refused.append(text)
    if refused:
        raise ConfigError(
            f"{', '.join(refused)}: a comparison takes each scenario from its own file and does not take "
            "scenario= or scenario.* overrides (they would change every scenario alike, the reference too). "
            "List the scenarios with scenarios=[baseline,merge_offices]; for a variant, write a file "
            "scenario/<name>.yaml (actions and a policy: block) in a folder of your own and add "
            "hydra.searchpath=[file:///abs/folder] (README, 'Your own scenario')."
        )
    return [o for o in task_overrides if o.split("=", 1)[0].lstrip("+~").startswith("policy")]


def to_sim_config(cfg, search_path: Iterable[str | Path] | None = None) -> SimConfig:
    """Turn a composed DictConfig into the typed SimConfig (runs all range checks).

    Args:
        cfg: a composed config (a SimConfig is returned as it is).
        search_path: the config folders whose ``scenario/*.yaml`` are valid in ``scenarios``;
            default: the running Hydra job's search path, else the package's ``configs/``.
    """
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(cfg, SimConfig):
        return cfg
    try:
        if "hydra" in cfg:
            cfg = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "hydra"])
        cfg = apply_scenario_policy(cfg)
        obj = OmegaConf.to_object(cfg)
    except OmegaConfBaseException as err:
        raise ConfigError(_explain_omegaconf(err)) from None
    if not isinstance(obj, SimConfig):
        raise ConfigError("the composed config is not a SimConfig (is 'sim_schema' in the defaults list?)")
    check_scenario_names(obj.scenarios, current_search_path() if search_path is None else search_path)
    return obj


def _files_digest(search_path: Iterable[str]) -> str:
    """A hash of the names and contents of every YAML file in the local folders of a
    search path (structured:// entries hold no files; the schema is code)."""
    h = hashlib.sha256()
    for entry in search_path:
        folder = _as_dir(entry)
        h.update(f"\0{entry}\0".encode())
        if folder is None or not folder.is_dir():
            continue
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".yaml", ".yml", ".txt")):
                    f = Path(root) / name
                    h.update(f"{f.relative_to(folder)}\0".encode())
                    try:
                        h.update(f.read_bytes())
                    except OSError:
                        h.update(b"\0unreadable")
    return h.hexdigest()


def _cache_key(overrides: list[str]) -> tuple | None:
    """What a composition depends on besides the files: the overrides, and inside a
    Hydra job (or an ``initialize_config_dir`` block) the loader's search path and the
    job's ``hydra.searchpath``. None: not to be kept."""
    from hydra.core.global_hydra import GlobalHydra

    if any("${" in o for o in overrides):
        return None  # an interpolation may read the environment or the clock
    loader: tuple = ()
    gh = GlobalHydra.instance()
    if gh.is_initialized():
        loader = tuple(e.path for e in gh.hydra.config_loader.get_search_path().get_path())
    return (tuple(overrides), loader, tuple(_job_searchpath()))


def load_config(overrides: Iterable[str] = ()) -> SimConfig:
    """Compose the config as the command line would and return a typed SimConfig.

    ``sim.load_config(["scenario=all_pilots", "seed=7"])``; a scenario file of one's own
    is found with ``"hydra.searchpath=[file:///abs/dir]"``. Raises
    :class:`sim.core.errors.ConfigError` with a message naming what is wrong.

    Each call gives a config of its own (a copy of the one composed before for the same
    overrides and unchanged config files: see the module's docstring).
    """
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    overrides = list(overrides)
    key = _cache_key(overrides)
    if key is not None and key in _CACHE:
        search_path, digest, kept = _CACHE[key]
        if _files_digest(search_path) == digest:
            _CACHE.move_to_end(key)
            return copy.deepcopy(kept)
        del _CACHE[key]
    try:
        cfg, search_path = _compose(overrides)
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(_explain_omegaconf(err)) from None
    out = to_sim_config(cfg, search_path)
    if key is not None:
        _CACHE[key] = (search_path, _files_digest(search_path), copy.deepcopy(out))
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return out


__all__ = [
    "CONFIG_DIR",
    "apply_scenario_policy",
    "policy_keys",
    "check_scenario_names",
    "comparison_overrides",
    "compose",
    "current_search_path",
    "ensure_registered",
    "load_config",
    "scenario_names",
    "to_sim_config",
]
