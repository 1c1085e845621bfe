"""The dashboard's settings (``dashboard.*`` in ``configs/dashboard.yaml``), declared
once here with their defaults, and how the entry point hands them to the Solara app.

``python -m experiments.dashboard`` composes ``configs/dashboard.yaml`` with Hydra,
checks it, and passes the result to the server process in one environment variable
(:data:`ENV`); ``solara run sim.dashboard.app`` without it uses these defaults.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass

from sim.core.errors import ConfigError
from sim.dashboard.text import LANGS
from sim.params.declare import par, section
from sim.params.schema_studies import ParamRange

ENV = "CADRESIM_DASHBOARD"

# The policy parameters the live page offers, by config key: the list (selection
# rule, rotation per year, non-local strictness, pool targets and mode, retirement rule,
# early-retirement take-up, payroll cut on/off). Their labels, units, ranges and sources
# are read from the schema (sim/params/schema_policy.py), never written here.
LIVE_PARAMETERS = [
    "policy.selection.rule",
    "policy.rotation.per_year",
    "policy.non_local.strictness",
    "policy.pool.women_target",
    "policy.pool.young_target",
    "policy.pool.target_mode",
    "policy.retirement_rule",
    "policy.transition.takeup_decree_108",
    "policy.transition.takeup_decree_178",
    "policy.payroll.enabled",
]


@dataclass
class DashboardSpec:
    """``python -m experiments.dashboard``: where it serves and what it offers."""

    host: str = par("127.0.0.1", doc="address the server listens on (local only by default)")
    port: int = par(8765, unit="TCP port", doc="port the server listens on (1-65535)")
    lang: str = par("en", choices=LANGS, doc="language the pages open in (a switch on the page changes it)")
    results: str = par(
        "results/compare", doc="folder whose run folders the comparison page lists, and where it starts new ones"
    )
    overrides: list[str] = par(
        [], doc="Hydra overrides applied to every live model and every comparison started here, e.g. end=2030-12"
    )
    parameters: list[str] = par(
        factory=lambda: list(LIVE_PARAMETERS), doc="policy parameters offered as sliders and selects on the live page"
    )
    ranges: list[ParamRange] = par(
        [
            ParamRange(
                name="policy.rotation.per_year",
                low=0,
                high=48,
                integer=True,
                source="estimate: the slider's reach, from none to four times the default 12 a year",
            )
        ],
        doc="slider ranges of numeric parameters whose declaration has no upper bound (probabilities run 0-1)",
    )
    max_replications: int = par(20, unit="replications", doc="largest comparison the page starts in the background")

    def __post_init__(self) -> None:
        if not 1 <= int(self.port) <= 65535:
            raise ConfigError(f"dashboard.port = {self.port} must be 1..65535")
        if self.lang not in LANGS:
            raise ConfigError(f"dashboard.lang = {self.lang!r}; valid: {', '.join(LANGS)}")
        if self.max_replications < 2:
            raise ConfigError("dashboard.max_replications must be >= 2 (paired intervals need two pairs)")
        self.ranges = [r if isinstance(r, ParamRange) else ParamRange(**r) for r in self.ranges]


@dataclass
class DashboardConfig:
    """The root of ``configs/dashboard.yaml``."""

    dashboard: DashboardSpec = section(DashboardSpec)


def register() -> None:
    """Register the schema with Hydra's ConfigStore as ``dashboard_schema`` (idempotent)."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="dashboard_schema", node=DashboardConfig)


def to_env(spec: DashboardSpec) -> str:
    return json.dumps(dataclasses.asdict(spec))


def from_env(environ=None) -> DashboardSpec:
    """The settings the entry point passed on, or the defaults (``solara run`` by hand)."""
    text = (os.environ if environ is None else environ).get(ENV)
    return DashboardSpec() if not text else DashboardSpec(**json.loads(text))


__all__ = ["ENV", "LIVE_PARAMETERS", "DashboardConfig", "DashboardSpec", "from_env", "register", "to_env"]
