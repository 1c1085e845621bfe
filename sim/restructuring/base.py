"""What every restructuring action shares: the planned action, the organisation as it
will be while a scenario is planned, and the base class of the action registry."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.core.errors import ConfigError
from sim.params.schema import ActionSpec, SimConfig
from sim.world.org import Org


@dataclass
class PlannedAction:
    index: int  # position in scenario.actions (1-based in messages)
    spec: ActionSpec
    month: int
    groups: list[list[str]]  # per area: the unit ids acted on (split: [merged uid])
    areas: list[int]
    new_uids: list[str]
    deadline: int


def fail(i: int, spec: ActionSpec, msg: str) -> ConfigError:
    return ConfigError(f"scenario action {i} ({spec.kind} at {spec.month}): {msg}")


@dataclass
class PlanState:
    """Which unit ids exist, and what became of the others, as the plan is resolved
    action by action (nothing in the real organisation changes while planning)."""

    cfg: SimConfig
    org: Org
    fn_of: dict[str, str] = field(default_factory=dict)  # uid -> function tag
    alive: set[str] = field(default_factory=set)
    gone: dict[str, str] = field(default_factory=dict)  # uid -> what happened to it
    merged: dict[str, list[str]] = field(default_factory=dict)  # merged uid -> its origins

    @classmethod
    def of(cls, cfg: SimConfig, org: Org) -> PlanState:
        return cls(cfg, org, {u.uid: u.function for u in org.units}, {u.uid for u in org.units if u.active})

    def keys(self, level: str) -> set[str]:
        return {u.key for u in getattr(self.cfg.org, f"{level}_units")}

    def functions(self, level: str) -> set[str]:
        return {u.function for u in getattr(self.cfg.org, f"{level}_units")}


class Action:
    """One kind of restructuring action.

    * ``resolve`` (planning, before the run): the unit ids acted on in each area, and
      the ids of units it creates; raises :class:`ConfigError` naming what is wrong
      (valid names listed) and updates the :class:`PlanState`.
    * ``apply`` (at the action's month, on the running model).

    A new action is one subclass registered in ``sim.restructuring.actions.ACTIONS``
    (and its kind added to the schema's list of action kinds).
    """

    kind: str = ""

    def resolve(self, i: int, spec: ActionSpec, areas: list[int], state: PlanState) -> tuple[list[list[str]], list[str]]:
        raise NotImplementedError

    def apply(self, model, pa: PlannedAction, m: int) -> None:
        raise NotImplementedError


class PairingAction(Action):
    """Actions on units selected by key and function tag in each area (merge,
    concurrent head)."""

    min_units = 2

    def check_selection(self, i: int, spec: ActionSpec, code: str, uids: list[str]) -> None:
        if len(uids) < self.min_units:
            raise fail(i, spec, f"needs at least 2 units in {code}, found {', '.join(uids) or 'none'}")

    def selected(self, i: int, spec: ActionSpec, state: PlanState, code: str, uids: list[str]) -> str | None:
        """Called once per area after its units are selected: updates the plan state;
        returns the id of the unit it creates, if any."""
        return None

    def resolve(self, i: int, spec: ActionSpec, areas: list[int], state: PlanState) -> tuple[list[list[str]], list[str]]:
        levels = ["province"] if spec.level == "province" else ["district"] if spec.level == "district" else ["province", "district"]
        level_keys: set[str] = set()
        for lv in levels:
            level_keys |= state.keys(lv) | {k.split(".", 1)[1] for k in state.merged}
        bad = [k for k in spec.units if k not in level_keys]
        if bad:
            raise fail(i, spec, f"unknown unit key(s) {', '.join(bad)}; valid: {', '.join(sorted(level_keys))}")
        level_funcs = state.functions("province") | state.functions("district")
        badf = [f for f in spec.functions if f not in level_funcs]
        if badf:
            raise fail(i, spec, f"unknown function tag(s) {', '.join(badf)}; valid: {', '.join(sorted(level_funcs))}")
        if not spec.units and not spec.functions:
            raise fail(i, spec, "select units with 'units' (keys) or 'functions' (tags)")
        groups: list[list[str]] = []
        new_uids: list[str] = []
        for a in areas:
            code = state.org.area_codes[a]
            uids = []
            for k in spec.units:
                uid = f"{code}.{k}"
                if uid not in state.alive:
                    why = state.gone.get(uid, "it does not exist at this level")
                    raise fail(i, spec, f"unit {uid} does not exist at {spec.month} ({why})")
                uids.append(uid)
            for uid in sorted(state.alive):
                if uid.startswith(code + ".") and state.fn_of[uid] in spec.functions and uid not in uids:
                    uids.append(uid)
            self.check_selection(i, spec, code, uids)
            groups.append(uids)
            new_uid = self.selected(i, spec, state, code, uids)
            if new_uid is not None:
                new_uids.append(new_uid)
        return groups, new_uids
