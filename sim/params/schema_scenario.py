"""Schema of a scenario (``scenario``): dated restructuring actions plus policy overrides.
A scenario is data: one file ``scenario/<name>.yaml`` on the config search path (see
``sim/params/search.py``). Its ``policy:`` block holds any keys of ``policy`` (same
nesting, e.g. ``policy: {rotation: {per_year: 24}}``); they are applied on top of the
composed policy for that scenario only (``sim.params.compose.to_sim_config``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.core.calendar import parse_month
from sim.core.errors import ConfigError
from sim.params.declare import NONNEG, PROBABILITY, check_declared, par

ACTION_KINDS = ("concurrent_head", "merge", "split", "abolish_level")
ACTION_LEVELS = ("province", "district", "both")


@dataclass
class ActionSpec:
    """One dated restructuring action (see sim/restructuring.py).

    Units are selected in each chosen area by key (``units``) and/or by function tag
    (``functions``); a ``merge`` joins all selected units of an area into one, a
    ``concurrent_head`` gives the first selected unit's head the second unit's head post.
    """

    kind: str = par("???", choices=ACTION_KINDS, doc="what the action does")
    month: str = par("???", unit="month (YYYY-MM)", doc="effective month")
    level: str = par("province", choices=ACTION_LEVELS, doc="where the selected units are")
    units: list[str] = par([], doc="unit keys at that level")
    functions: list[str] = par([], doc="function tags at that level")
    districts: Any = par("all", doc='"all", a number of districts chosen with the seed, or a list of district codes')
    new_key: str | None = par(None, doc='key of the merged unit (default: the keys joined by "+")')
    new_name: str | None = par(None, doc="name of the merged unit")
    deputies: int | None = par(
        None, unit="persons", check=NONNEG, doc="deputy quota of the merged unit (default: legal + extra per body)"
    )
    divisions_cut: float | None = par(
        None,
        unit="share of the merged unit's divisions",
        check=PROBABILITY,
        doc="merge: share of the divisions consolidated away, their heads and deputies surplus "
        "(default: policy.transition.divisions_cut_* for mergers from extra_deputies_from on, else 0)",
    )
    deadline: str | None = par(
        None, unit="month (YYYY-MM)", doc="by when surplus leaders must be cured (default: policy.transition)"
    )
    note: str = par("", doc="free text")

    def __post_init__(self) -> None:
        check_declared(self, "action")
        d = self.districts
        if not (d == "all" or isinstance(d, int) or (isinstance(d, list) and all(isinstance(x, str) for x in d))):
            raise ConfigError(f"action.districts = {d!r} must be 'all', a number, or a list of district codes")
        if isinstance(d, int) and d < 1:
            raise ConfigError(f"action.districts = {d} must be >= 1")


@dataclass
class ScenarioConfig:
    """A scenario: what it is, where it comes from, its dated actions and its policy overrides."""

    name: str = par("baseline", doc="the scenario's name: the stem of its file")
    description: str = par("", doc="one line for tables and reports")
    source: str = par("", doc="the decisions or texts the scenario follows")
    actions: list[ActionSpec] = par([], doc="the dated restructuring actions, in order")
    policy: dict[str, Any] = par(
        {},
        doc="policy keys this scenario changes (nested as under policy:), applied on top of the composed policy",
    )
    reverse_party_state: str | None = par(
        None,
        unit="month (YYYY-MM)",
        doc="from this month the scenario's mergers of Party bodies with government agencies (units of the party "
        "and state sectors merged before it) are split again; null keeps them",
        source="Notice 16-TB/TW (7 Jul 2022) of the Politburo: merging Party agencies with government agencies of "
        "the same level suspended; the enterprise-bloc change kept",
    )

    def __post_init__(self) -> None:
        if self.reverse_party_state is not None:
            try:
                parse_month(str(self.reverse_party_state))
            except ValueError as err:
                raise ConfigError(f"scenario.reverse_party_state = {self.reverse_party_state!r}: {err}") from None


__all__ = ["ACTION_KINDS", "ACTION_LEVELS", "ActionSpec", "ScenarioConfig"]
