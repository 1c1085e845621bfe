"""Planning a scenario: every action's selection resolved and checked against the
organisation as it will be at the action's month, before any simulation starts, and
the plan put on the model's timetable.

A scenario is a list of dated actions (``ActionSpec``); the kinds are the registry in
sim/restructuring/actions.py. :func:`plan` raises :class:`~sim.core.errors.ConfigError`
naming what is wrong (and the valid names) and changes nothing in the organisation.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.core.calendar import format_month, parse_month
from sim.core.vocabulary import PROVINCE_AREA
from sim.engine.phases import Phase
from sim.params.checks import check_plan
from sim.params.schema import ActionSpec, SimConfig
from sim.restructuring.actions import ACTIONS
from sim.restructuring.base import PlannedAction, PlanState, fail
from sim.world.org import Org


def _areas(i: int, spec: ActionSpec, org: Org, rng: np.random.Generator) -> list[int]:
    codes = org.district_codes
    if spec.level == "province":
        return [PROVINCE_AREA]
    d = spec.districts
    if d == "all":
        chosen = list(range(1, len(codes) + 1))
    elif isinstance(d, int):
        if d > len(codes):
            raise fail(i, spec, f"districts = {d} but the organisation has only {len(codes)} districts")
        chosen = sorted((rng.choice(len(codes), size=d, replace=False) + 1).tolist())
    else:
        bad = [c for c in d if c not in codes]
        if bad:
            raise fail(i, spec, f"unknown district code(s) {', '.join(bad)}; valid: {', '.join(codes)}")
        chosen = [codes.index(c) + 1 for c in d]
    return ([PROVINCE_AREA] if spec.level == "both" else []) + chosen


def plan(cfg: SimConfig, org: Org, rng: np.random.Generator) -> list[PlannedAction]:
    """Resolve and check the scenario's actions; nothing in ``org`` is changed.

    With ``scenario.reverse_party_state`` set, the mergers of Party bodies with
    government agencies that still stand at the end of the plan are split again at that
    month (Notice 16-TB/TW, 2022): the plan is resolved once to find them, then again
    with the splits added, from the same random state.
    """
    actions = list(cfg.scenario.actions)
    rev = cfg.scenario.reverse_party_state
    if rev is None or parse_month(rev) > cfg.end_index:
        return _plan(cfg, org, rng, actions)
    saved = rng.bit_generator.state
    first = _plan(cfg, org, rng, actions, check=False)
    rng.bit_generator.state = saved
    return _plan(cfg, org, rng, actions + _reversals(first, org, parse_month(rev)))


def _reversals(planned: list[PlannedAction], org: Org, rev: int) -> list[ActionSpec]:
    """A split at month ``rev`` of each merger made before it that joined units of the
    party and state sectors and still stands at the end of the plan."""
    standing = set()
    sector_of = {u.uid: u.sector for u in org.units}
    for pa in planned:
        if pa.spec.kind == "split":
            standing -= {g[0] for g in pa.groups}
        if pa.spec.kind == "merge":
            standing -= {u for g in pa.groups for u in g}  # merged again: not this merger any more
        if pa.spec.kind == "merge" and pa.month < rev:
            for group, new in zip(pa.groups, pa.new_uids):
                if {"party", "state"} <= {sector_of.get(u) for u in group}:
                    standing.add(new)
    by_key: dict[tuple[str, str], list[str]] = {}
    for uid in sorted(standing, key=lambda u: (org.area_codes.index(u.split(".", 1)[0]), u)):
        code, key = uid.split(".", 1)
        level = "province" if code == org.area_codes[PROVINCE_AREA] else "district"
        by_key.setdefault((level, key), []).append(code)
    return [
        ActionSpec(
            kind="split",
            month=format_month(rev),
            level=level,
            units=[key],
            districts=codes if level == "district" else "all",
            note="Notice 16-TB/TW (7 Jul 2022): the Party-state merger suspended",
        )
        for (level, key), codes in sorted(by_key.items())
    ]


def _plan(cfg: SimConfig, org: Org, rng: np.random.Generator, actions: list[ActionSpec], check: bool = True) -> list[PlannedAction]:
    start, end = cfg.start_index, cfg.end_index
    state = PlanState.of(cfg, org)
    out: list[PlannedAction] = []
    indexed = sorted(enumerate(actions, start=1), key=lambda t: (_month(t[0], t[1]), t[0]))
    for i, spec in indexed:
        month = _month(i, spec)
        if not start <= month <= end:
            raise fail(i, spec, f"month {spec.month} is outside the horizon {cfg.start}..{cfg.end}")
        areas = _areas(i, spec, org, rng)
        deadline = month + cfg.policy.transition.default_deadline_months
        if spec.deadline is not None:
            deadline = _parse(i, spec, spec.deadline, "deadline")
            if deadline < month:
                raise fail(i, spec, f"deadline {spec.deadline} is before the action's month")
        groups, new_uids = ACTIONS[spec.kind].resolve(i, spec, areas, state)
        out.append(PlannedAction(i, spec, month, groups, areas, new_uids, deadline))
    if check:
        check_plan(cfg, org, out)
    return out


def _parse(i: int, spec: ActionSpec, text: str, what: str) -> int:
    try:
        return parse_month(text)
    except ValueError as err:
        raise fail(i, spec, f"{what}: {err}") from None


def _month(i: int, spec: ActionSpec) -> int:
    return _parse(i, spec, spec.month, "month")


def describe(planned: list[PlannedAction]) -> list[str]:
    return [
        f"{format_month(pa.month)} {pa.spec.kind}: " + "; ".join(" + ".join(g) for g in pa.groups)
        for pa in planned
    ]


def schedule(model, planned: list[PlannedAction], timetable) -> None:
    """Put the planned actions on the timetable (in plan order within a month)."""
    for pa in planned:
        timetable.at(pa.month, partial(ACTIONS[pa.spec.kind].apply, model, pa), Phase.RESTRUCTURING)


__all__ = ["PlannedAction", "describe", "plan", "schedule"]
