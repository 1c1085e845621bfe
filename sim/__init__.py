"""cadresim: an agent-based model of a Vietnamese province's cadres under the
Conclusion 34-KL/TW pilot mergers (see README.md)."""

from sim import rules
from sim.api import load_config, org_counts, simulate, synthetic_roster
from sim.core.errors import ConfigError, InputError
from sim.params.schema import SimConfig

__all__ = [
    "ConfigError",
    "InputError",
    "SimConfig",
    "load_config",
    "org_counts",
    "rules",
    "simulate",
    "synthetic_roster",
]
