"""The live page's inputs, read from the parameter schema, and the one adapter that
turns their values into a model.

A :class:`Control` is built from a field's declaration (``sim/params/declare.py``):
its kind follows the type (a select for a field with ``choices``, a checkbox for a
bool, a slider for a number), its unit, meaning and source are the declared ones, a
probability slides over [0, 1], and other numbers over the range the dashboard settings
give (``dashboard.ranges``). Its starting value is the composed config's, so a
scenario's own ``policy:`` block shows as the scenario sets it.

:func:`to_overrides` is the only way from the page to the model: UI values become Hydra
override strings, :func:`live_config` composes them with :mod:`sim.params.compose` into
a typed ``SimConfig``, and :func:`build_model` gives that config to ``CadreModel``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mesa.experimental.scenarios import Scenario as MesaScenario

from sim.core.errors import ConfigError
from sim.model import CadreModel
from sim.params.compose import load_config
from sim.params.declare import NONNEG, PROBABILITY, info
from sim.params.schema import SimConfig
from sim.params.schema_studies import ParamRange
from sim.params.search import CONFIG_DIR, scenario_names

# The keys of the setup block (config groups and the seed), besides the policy parameters.
SETUP_KEYS = ("org", "scenario", "seed")
SEED_MAX = 999  # the seed input's reach on the page (any seed >= 0 is valid on the command line)


@dataclass(frozen=True)
class Control:
    """One input of the live page, bound to the config key ``key``.

    ``kind``: "select", "checkbox", "int" or "float" (a slider); ``low``/``high``/``step``
    for sliders; ``choices`` for selects; ``unit``, ``doc`` and ``source`` as declared
    on the schema field; ``value``: the composed config's value.
    """

    key: str
    kind: str
    value: Any
    unit: str = ""
    doc: str = ""
    source: str = ""
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    step: float | None = None

    def clamp(self, value: Any) -> Any:
        """The value as the widget holds it (int for an int slider, within its range)."""
        if self.kind == "int":
            return int(min(max(int(value), self.low), self.high))
        if self.kind == "float":
            return float(min(max(float(value), self.low), self.high))
        if self.kind == "checkbox":
            return bool(value)
        return value


def _field(cfg: SimConfig, key: str) -> tuple[dataclasses.Field, Any]:
    """The schema field declared for a dotted key, and its value in ``cfg``."""
    obj: Any = cfg
    parts = key.split(".")
    for i, name in enumerate(parts):
        if not dataclasses.is_dataclass(obj):
            raise ConfigError(f"dashboard.parameters: {key} is not a parameter ({'.'.join(parts[:i])} has no fields)")
        fields = {f.name: f for f in dataclasses.fields(obj)}
        if name not in fields:
            where = ".".join(parts[:i]) or "the top level"
            raise ConfigError(f"dashboard.parameters: unknown key {key}; valid keys of {where}: {', '.join(fields)}")
        f = fields[name]
        obj = getattr(obj, name)
    return f, obj


def control(cfg: SimConfig, key: str, ranges: Iterable[ParamRange] = ()) -> Control:
    """The input for one config key, from its schema declaration and its value in ``cfg``."""
    f, value = _field(cfg, key)
    meta = info(f)
    common = {"key": key, "value": value, "unit": meta["unit"], "doc": meta["doc"], "source": meta["source"]}
    if meta["choices"]:
        return Control(kind="select", choices=tuple(meta["choices"]), **common)
    if isinstance(value, bool):
        return Control(kind="checkbox", **common)
    if not isinstance(value, (int, float)) or dataclasses.is_dataclass(value):
        raise ConfigError(f"dashboard.parameters: {key} is a {type(value).__name__}; only numbers, flags and choices")
    integer = isinstance(value, int)
    given = {r.name: r for r in ranges}
    if key in given:
        r = given[key]
        low, high = r.low, r.high
        integer = integer or r.integer
    elif meta["check"] == PROBABILITY:
        low, high = 0.0, 1.0
    else:
        bound = "no upper bound" if meta["check"] == NONNEG else "no declared range"
        raise ConfigError(f"dashboard.ranges: {key} has {bound}; add {{name: {key}, low: ..., high: ...}}")
    if not low <= value <= high:
        raise ConfigError(f"dashboard.ranges: {key} = {value} lies outside its slider range [{low}, {high}]")
    if integer:
        return Control(kind="int", low=int(low), high=int(high), step=1, **common)
    step = 0.01 if high - low <= 2 else 10 ** math.floor(math.log10((high - low) / 100))
    return Control(kind="float", low=float(low), high=float(high), step=step, **common)


def controls(cfg: SimConfig, keys: Sequence[str], ranges: Iterable[ParamRange] = ()) -> list[Control]:
    """The inputs for ``keys``, in that order."""
    ranges = list(ranges)
    return [control(cfg, k, ranges) for k in keys]


def org_names() -> list[str]:
    """The organisations shipped in ``configs/org/`` (the ``org`` config group)."""
    return sorted(p.stem for p in (CONFIG_DIR / "org").glob("*.yaml"))


def setup_choices() -> dict[str, list[str]]:
    return {"org": org_names(), "scenario": scenario_names()}


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 10))
    text = str(value)
    if not text or any(c in text for c in " ,=[]{}()'\"\\"):
        raise ConfigError(f"the value {text!r} cannot be given as a Hydra override")
    return text


def to_overrides(values: Mapping[str, Any], base: Sequence[str] = ()) -> list[str]:
    """UI values -> Hydra overrides: ``base`` first (``dashboard.overrides``), then one
    ``key=value`` per value, the setup keys first, then the parameters in the order given."""
    ordered = [k for k in SETUP_KEYS if k in values] + [k for k in values if k not in SETUP_KEYS]
    return [*base, *(f"{k}={_format(values[k])}" for k in ordered)]


def live_config(values: Mapping[str, Any], base: Sequence[str] = ()) -> SimConfig:
    """Compose the config the page's values describe (a ConfigError names a bad one)."""
    return load_config(to_overrides(values, base))


class CurrentConfig:
    """The page's latest composed config, for SolaraViz's Reset: SolaraViz keeps the
    model parameters it is given first, so it is given this holder, whose ``config`` the
    page replaces whenever the adapter composes a new one."""

    def __init__(self, config: SimConfig):
        self.config = config


class LiveModel(CadreModel):
    """``CadreModel`` as SolaraViz rebuilds it on Reset: ``type(model)(config=...,
    scenario=<Mesa Scenario>)``. Mesa passes its own (empty) ``Scenario`` object because
    every Mesa model carries one; the cadre scenario is ``config.scenario``, so that
    object is dropped and the model is built from the composed config alone."""

    def __init__(self, config: SimConfig | CurrentConfig, scenario: MesaScenario | None = None):
        if scenario is not None and not isinstance(scenario, MesaScenario):
            raise TypeError(f"LiveModel takes the cadre scenario in config, not scenario={scenario!r}")
        super().__init__(config.config if isinstance(config, CurrentConfig) else config)


def build_model(values: Mapping[str, Any], base: Sequence[str] = ()) -> LiveModel:
    """The adapter: page values -> overrides -> composed SimConfig -> CadreModel."""
    return LiveModel(live_config(values, base))


__all__ = [
    "Control",
    "CurrentConfig",
    "LiveModel",
    "SETUP_KEYS",
    "build_model",
    "control",
    "controls",
    "live_config",
    "org_names",
    "setup_choices",
    "to_overrides",
]
