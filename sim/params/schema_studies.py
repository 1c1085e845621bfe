"""Schema of the studies run on the model (``benchmark``, ``sensitivity``, ``sweep``):
settings of an experiment, not facts about cadres."""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.errors import ConfigError
from sim.params.declare import NONNEG, check_declared, par


@dataclass
class BenchmarkSpec:
    """``python -m experiments.benchmark``: the model's speed against Mesa's Boltzmann example."""

    replications: int = par(20, unit="replications", doc="timed replications of the default province")
    boltzmann_steps: int = par(20, unit="steps", doc="steps of Mesa's Boltzmann wealth example at the same agent count")
    compare_replications: int = par(
        0, unit="replications", check=NONNEG, doc="> 0: also time a comparison of all scenarios x this many"
    )

    def __post_init__(self) -> None:
        if self.replications < 1 or self.boltzmann_steps < 1:
            raise ConfigError("benchmark.replications and benchmark.boltzmann_steps must be >= 1")
        check_declared(self, "benchmark")


@dataclass
class ParamRange:
    """One parameter of a sensitivity analysis: a dotted config key and its range."""

    name: str = par("???", doc='dotted config key, e.g. "policy.vacancy.fill_probability_leader"')
    low: float = par(0.0, doc="lower end of the range, in the parameter's unit")
    high: float = par(1.0, doc="upper end of the range, in the parameter's unit")
    integer: bool = par(False, doc="round sampled values to integers")
    source: str = par("", doc="why this range")

    def __post_init__(self) -> None:
        check_declared(self, f"sensitivity parameter {self.name}")
        if not self.low < self.high:
            raise ConfigError(f"sensitivity parameter {self.name}: low ({self.low}) must be < high ({self.high})")


@dataclass
class SensitivitySpec:
    """``python -m experiments.sensitivity``: a global sensitivity analysis with SALib."""

    method: str = par("morris", choices=("morris", "sobol"), doc="SALib method")
    parameters: list[ParamRange] = par(
        [], doc="the parameters varied (configs/experiment/sensitivity.yaml lists a default set)"
    )
    outcomes: list[str] = par(["headcount_end", "leaders_end"], doc="summary keys analysed")
    samples: int = par(4, doc="Morris trajectories, or the Sobol base sample N")
    levels: int = par(4, doc="Morris grid levels")
    replications: int = par(2, unit="replications", doc="replications averaged at each sample point")

    def __post_init__(self) -> None:
        check_declared(self, "sensitivity")
        if self.samples < 1 or self.replications < 1:
            raise ConfigError("sensitivity.samples and sensitivity.replications must be >= 1")


@dataclass
class SweepSpec:
    """``python -m experiments.sweep``: gather the runs of a Hydra multirun."""

    dir: str | None = par(None, doc="the multirun folder to gather")
    outcomes: list[str] = par(["headcount_end", "leaders_end"], doc="summary keys tabulated")


__all__ = ["BenchmarkSpec", "ParamRange", "SensitivitySpec", "SweepSpec"]
