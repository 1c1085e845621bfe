"""Typed configuration: the schema of every parameter.

The dataclasses are registered in Hydra's ConfigStore (see :func:`register`), so a
composed config is checked against them at composition time: an unknown key or a wrong
type fails before any simulation starts. Each field declares its default, unit and
source (``sim/params/declare.py``); the YAML files under ``configs/`` hold only data and
what differs from these defaults. The model only ever sees these dataclasses, never a
DictConfig.

The sections live in ``schema_org``, ``schema_policy``, ``schema_scenario`` and
``schema_studies``; every class is importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.calendar import parse_month
from sim.core.errors import ConfigError
from sim.params.checks import check_config
from sim.params.declare import NONNEG, check_declared, par, section
from sim.params.schema_moves import CentralSpec, PlanSpec, RebalanceSpec
from sim.params.schema_org import DistrictSpec, OrgConfig, PopulationSpec, UnitSpec
from sim.params.schema_policy import (
    AppointmentSpec,
    CongressSpec,
    ElectionSpec,
    ExitSpec,
    NonLocalSpec,
    PolicyConfig,
    PoolSpec,
    RecruitmentSpec,
    RotationSpec,
    SelectionSpec,
    SeniorExtensionSpec,
    TermLimitSpec,
    VacancySpec,
)
from sim.params.schema_report import ReportJob, ReportSpec
from sim.params.schema_scenario import ACTION_KINDS, ActionSpec, ScenarioConfig
from sim.params.schema_staffing import PayrollCut, PayrollSpec, TransitionSpec, WageSpec
from sim.params.schema_studies import BenchmarkSpec, ParamRange, SensitivitySpec, SweepSpec
from sim.params.search import shipped_scenarios

# The scenarios shipped in configs/scenario/, in their stable order (found, not listed;
# a user's folder adds more: sim.params.compose.scenario_names(search_path)).
SHIPPED_SCENARIOS = tuple(shipped_scenarios())
EARLIEST_START = "2000-01"
LATEST_END = "2035-12"  # the model's limit: the retirement roadmap and the congress calendar run to 2035
SEED_MAX = 2**63 - 1  # seeds are stored as int64 in every table


@dataclass
class SimConfig:
    """One simulation (and the comparison, benchmark, sensitivity and sweep run on it)."""

    seed: int = par(0, check=NONNEG, doc="root seed of every named random stream")
    start: str = par(
        "2018-09",
        unit="month (YYYY-MM)",
        doc=f"first simulated month (from {EARLIEST_START})",
        source="Conclusion 34-KL/TW (7 Aug 2018) and its roll-out in Thái Bình (news article, 5 Sep 2018)",
    )
    end: str = par(
        "2025-12",
        unit="month (YYYY-MM)",
        doc=f"last simulated month (at most {LATEST_END})",
        source="the 2020-2025 congress term, through the 2025 reorganisation",
    )
    roster: str | None = par(None, doc="path to a roster CSV that replaces the synthetic population; null = synthetic")
    org: OrgConfig = section(OrgConfig)
    scenario: ScenarioConfig = section(ScenarioConfig)
    policy: PolicyConfig = section(PolicyConfig)
    scenarios: list[str] = par(
        factory=shipped_scenarios,
        doc="scenarios of experiments.compare: names of scenario/*.yaml files on the config search path; "
        "default: every shipped scenario, in the order of configs/scenario/order.txt",
    )
    replications: int = par(
        100, unit="replications per scenario", doc="experiments.compare; 10 scenarios x 100 take ~1-2 min on 2 cores"
    )
    workers: int = par(0, unit="processes", check=NONNEG, doc="processes for comparisons; 0 = all local cores")
    benchmark: BenchmarkSpec = section(BenchmarkSpec)
    sensitivity: SensitivitySpec = section(SensitivitySpec)
    sweep: SweepSpec = section(SweepSpec)
    report: ReportSpec = section(ReportSpec)

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not 0 <= self.seed <= SEED_MAX:
            raise ConfigError(
                f"seed = {self.seed} must be a whole number in 0..{SEED_MAX} (2**63 - 1; seeds are stored as int64)"
            )
        try:
            s, e = parse_month(self.start), parse_month(self.end)
        except ValueError as err:
            raise ConfigError(f"start/end: {err}") from None
        if s >= e:
            raise ConfigError(f"start ({self.start}) must be before end ({self.end})")
        if e > parse_month(LATEST_END):
            raise ConfigError(f"end ({self.end}) is later than {LATEST_END}, the model's limit")
        if s < parse_month(EARLIEST_START):
            raise ConfigError(f"start ({self.start}) is before {EARLIEST_START}")
        # scenario names are checked where the search path is known: sim.params.compose.to_sim_config
        if self.replications < 1:
            raise ConfigError(f"replications = {self.replications} must be >= 1")
        check_declared(self, "")

        check_config(self)

    @property
    def start_index(self) -> int:
        return parse_month(self.start)

    @property
    def end_index(self) -> int:
        return parse_month(self.end)


def register() -> None:
    """Register the schema with Hydra's ConfigStore (idempotent)."""
    from hydra.core.config_store import ConfigStore

    cs = ConfigStore.instance()
    cs.store(name="sim_schema", node=SimConfig)
    cs.store(name="report_schema", node=ReportJob)  # experiments.report (configs/report.yaml)


__all__ = [
    "ACTION_KINDS",
    "ActionSpec",
    "AppointmentSpec",
    "BenchmarkSpec",
    "CentralSpec",
    "CongressSpec",
    "ElectionSpec",
    "DistrictSpec",
    "EARLIEST_START",
    "ExitSpec",
    "LATEST_END",
    "NonLocalSpec",
    "OrgConfig",
    "ParamRange",
    "PayrollCut",
    "PayrollSpec",
    "PolicyConfig",
    "PoolSpec",
    "PopulationSpec",
    "RecruitmentSpec",
    "RotationSpec",
    "ScenarioConfig",
    "PlanSpec",
    "RebalanceSpec",
    "SelectionSpec",
    "SEED_MAX",
    "SHIPPED_SCENARIOS",
    "SeniorExtensionSpec",
    "SensitivitySpec",
    "SimConfig",
    "SweepSpec",
    "TermLimitSpec",
    "TransitionSpec",
    "UnitSpec",
    "VacancySpec",
    "WageSpec",
    "register",
]
