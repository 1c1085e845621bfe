"""Restructuring actions as data: plan (resolve and check) and apply.

A scenario is a list of dated actions (``ActionSpec``):

* ``concurrent_head`` — the first selected unit's head also heads the second unit; the
  second unit's head post is removed (Conclusion 34 pilot P1; P3 for the Mass
  Mobilisation board and the Fatherland Front).
* ``merge`` — the selected units of an area become one unit: one head post, a deputy
  quota (the legal number plus ``extra_deputies_per_extra_body`` per extra body,
  Conclusions 186/187), the divisions and staff posts of all of them (P2, P4, P5, P6).
* ``split`` — undo a merger: the original units come back with their own head and
  deputy posts, and their divisions and staff return to them.
* ``abolish_level`` — every unit of the chosen districts is abolished (2025 reform);
  their cadres are reassigned to province vacancies of the same rank, retire early
  under the regime in force, or move to the commune level (outside the model).

Leaders left above quota become *surplus leaders*: kept without replacement (they take
the next vacancy of their rank in their unit), and at the deadline transferred to a
vacancy of equal rank (same area first, then any), else offered early retirement
(sim/rules/early_retirement.py); whoever is left stays surplus and is reported.

:func:`plan` resolves every selection against the organisation as it will be at each
action's month and raises :class:`ConfigError` (listing the valid names) before any
simulation starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.core.calendar import format_month, parse_month
from sim.core.errors import ConfigError
from sim.core.vocabulary import DEPUTY, HEAD, PROVINCE_AREA
from sim.params.checks import check_plan
from sim.params.schema import ActionSpec, SimConfig, UnitSpec
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


def _fail(pa_index: int, spec: ActionSpec, msg: str) -> ConfigError:
    return ConfigError(f"scenario action {pa_index} ({spec.kind} at {spec.month}): {msg}")


def _areas(i: int, spec: ActionSpec, org: Org, rng: np.random.Generator) -> list[int]:
    codes = org.district_codes
    if spec.level == "province":
        return [PROVINCE_AREA]
    d = spec.districts
    if d == "all":
        chosen = list(range(1, len(codes) + 1))
    elif isinstance(d, int):
        if d > len(codes):
            raise _fail(i, spec, f"districts = {d} but the organisation has only {len(codes)} districts")
        chosen = sorted((rng.choice(len(codes), size=d, replace=False) + 1).tolist())
    else:
        bad = [c for c in d if c not in codes]
        if bad:
            raise _fail(i, spec, f"unknown district code(s) {', '.join(bad)}; valid: {', '.join(codes)}")
        chosen = [codes.index(c) + 1 for c in d]
    return ([PROVINCE_AREA] if spec.level == "both" else []) + chosen


def plan(cfg: SimConfig, org: Org, rng: np.random.Generator) -> list[PlannedAction]:
    """Resolve and check the scenario's actions; nothing in ``org`` is changed."""
    start, end = cfg.start_index, cfg.end_index
    fn_of: dict[str, str] = {u.uid: u.function for u in org.units}  # uid -> function tag
    alive: set[str] = {u.uid for u in org.units if u.active}
    gone: dict[str, str] = {}  # uid -> what happened to it
    merged: dict[str, list[str]] = {}
    keys_by_level = {
        "province": {u.key for u in cfg.org.province_units},
        "district": {u.key for u in cfg.org.district_units},
    }
    functions_by_level = {
        "province": {u.function for u in cfg.org.province_units},
        "district": {u.function for u in cfg.org.district_units},
    }
    out: list[PlannedAction] = []
    indexed = sorted(enumerate(cfg.scenario.actions, start=1), key=lambda t: (_month(t[0], t[1]), t[0]))
    for i, spec in indexed:
        month = _month(i, spec)
        if not start <= month <= end:
            raise _fail(i, spec, f"month {spec.month} is outside the horizon {cfg.start}..{cfg.end}")
        areas = _areas(i, spec, org, rng)
        deadline = month + cfg.policy.transition.default_deadline_months
        if spec.deadline is not None:
            deadline = _parse(i, spec, spec.deadline, "deadline")
            if deadline < month:
                raise _fail(i, spec, f"deadline {spec.deadline} is before the action's month")
        groups: list[list[str]] = []
        new_uids: list[str] = []
        if spec.kind == "abolish_level":
            if spec.level != "district":
                raise _fail(i, spec, "abolish_level applies to level 'district' only")
            for a in areas:
                code = org.area_codes[a]
                uids = sorted(u for u in alive if u.startswith(code + "."))
                for u in uids:
                    gone[u] = f"abolished with district {code} at {spec.month}"
                    alive.discard(u)
                groups.append(uids)
        elif spec.kind == "split":
            if len(spec.units) != 1:
                raise _fail(i, spec, "split takes exactly one unit key: the merged unit")
            for a in areas:
                uid = f"{org.area_codes[a]}.{spec.units[0]}"
                if uid not in merged or uid not in alive:
                    valid = ", ".join(sorted(k for k in merged if k in alive)) or "none yet"
                    raise _fail(i, spec, f"{uid} was never merged (or no longer exists); merged units at that month: {valid}")
                origins = merged.pop(uid)
                alive.discard(uid)
                gone[uid] = f"split at {spec.month}"
                for o in origins:
                    alive.add(o)
                    gone.pop(o, None)
                groups.append([uid])
        else:
            level_keys = set()
            for lv in (["province"] if spec.level == "province" else ["district"] if spec.level == "district" else ["province", "district"]):
                level_keys |= keys_by_level[lv] | {k.split(".", 1)[1] for k in merged}
            bad = [k for k in spec.units if k not in level_keys]
            if bad:
                raise _fail(i, spec, f"unknown unit key(s) {', '.join(bad)}; valid: {', '.join(sorted(level_keys))}")
            level_funcs = set().union(*(functions_by_level[lv] for lv in ("province", "district")))
            badf = [f for f in spec.functions if f not in level_funcs]
            if badf:
                raise _fail(i, spec, f"unknown function tag(s) {', '.join(badf)}; valid: {', '.join(sorted(level_funcs))}")
            if not spec.units and not spec.functions:
                raise _fail(i, spec, "select units with 'units' (keys) or 'functions' (tags)")
            for a in areas:
                code = org.area_codes[a]
                uids = []
                for k in spec.units:
                    uid = f"{code}.{k}"
                    if uid not in alive:
                        why = gone.get(uid, "it does not exist at this level")
                        raise _fail(i, spec, f"unit {uid} does not exist at {spec.month} ({why})")
                    uids.append(uid)
                for uid in sorted(alive):
                    if uid.startswith(code + ".") and fn_of[uid] in spec.functions and uid not in uids:
                        uids.append(uid)
                if len(uids) < 2:
                    raise _fail(i, spec, f"needs at least 2 units in {code}, found {', '.join(uids) or 'none'}")
                if spec.kind == "concurrent_head" and len(uids) != 2:
                    raise _fail(i, spec, f"concurrent_head pairs exactly 2 units in {code}, found {', '.join(uids)}")
                groups.append(uids)
                if spec.kind == "merge":
                    key = spec.new_key or "+".join(u.split(".", 1)[1] for u in uids)
                    new_uid = f"{code}.{key}"
                    if new_uid in alive:
                        raise _fail(i, spec, f"the merged unit's id {new_uid} is already in use")
                    for u in uids:
                        alive.discard(u)
                        gone[u] = f"merged into {new_uid} at {spec.month}"
                    alive.add(new_uid)
                    fn_of[new_uid] = fn_of[uids[0]]
                    merged[new_uid] = uids
                    new_uids.append(new_uid)
        out.append(PlannedAction(i, spec, month, groups, areas, new_uids, deadline))
    check_plan(cfg, org, out)
    return out


def _parse(i: int, spec: ActionSpec, text: str, what: str) -> int:
    try:
        return parse_month(text)
    except ValueError as err:
        raise _fail(i, spec, f"{what}: {err}") from None


def _month(i: int, spec: ActionSpec) -> int:
    return _parse(i, spec, spec.month, "month")


# --------------------------------------------------------------------------- applying
def schedule_all(model, planned: list[PlannedAction]) -> None:
    for pa in planned:
        model.schedule(pa.month, _ACTIONS[pa.spec.kind](pa))


class _Action:
    def __init__(self, pa: PlannedAction):
        self.pa = pa

    def __call__(self, model, m: int) -> None:
        raise NotImplementedError


class _Merge(_Action):
    def __call__(self, model, m: int) -> None:
        org: Org = model.org
        tr = model.policy.transition
        for uids, new_uid in zip(self.pa.groups, self.pa.new_uids):
            units = [org.unit_by_id[u] for u in uids]
            area = units[0].area
            legal = tr.legal_deputies_province if area == PROVINCE_AREA else tr.legal_deputies_district
            quota = self.pa.spec.deputies
            if quota is None:
                quota = legal + tr.extra_deputies_per_extra_body * (len(units) - 1)
            spec = UnitSpec(
                key=new_uid.split(".", 1)[1],
                name=self.pa.spec.new_name or " + ".join(u.name for u in units),
                sector=units[0].sector,
                function=units[0].function,
                head_rank=max(u.head_rank for u in units),
                deputy_rank=max(u.deputy_rank for u in units),
                deputies=quota,
                divisions=0,
                specialists=0,
                head_key=any(org.post_key[p] for u in units for p in org.posts_of(u, HEAD)),
                head_non_local=any(org.post_non_local[p] for u in units for p in org.posts_of(u, HEAD)),
            )
            new = org.add_unit(spec, area, uid=new_uid, deputies=quota, merged_from=uids)
            for u in org.active_units():  # a unit headed by one of the merged units' heads
                if u.concurrent_with in uids:
                    u.concurrent_with = new_uid
            old_leader_posts = sum(len(org.posts_of(u, HEAD)) + len(org.posts_of(u, DEPUTY)) for u in units)
            model.record_restructuring(
                m,
                "merge",
                new_uid,
                f"{' + '.join(uids)} -> {new_uid}; leader posts {old_leader_posts} -> {1 + quota}",
            )
            model.rehouse_leaders(units, [new], m, self.pa.deadline)
            for u in units:
                model.move_staff_posts(u, new)
                model.close_unit(u, m)


class _Split(_Action):
    def __call__(self, model, m: int) -> None:
        org: Org = model.org
        for (uid,) in self.pa.groups:
            merged = org.unit_by_id[uid]
            restored = [org.restore_unit(o) for o in merged.merged_from]
            model.record_restructuring(m, "split", uid, f"{uid} -> {' + '.join(merged.merged_from)}")
            model.rehouse_leaders([merged], restored, m, self.pa.deadline)
            model.return_staff_posts(merged, restored)
            model.close_unit(merged, m)
            for u in org.active_units():  # units headed concurrently by the split unit's head
                if u.concurrent_with == uid:
                    model.restore_head_post(u)


class _ConcurrentHead(_Action):
    def __call__(self, model, m: int) -> None:
        org: Org = model.org
        for uids in self.pa.groups:
            primary, secondary = (org.unit_by_id[u] for u in uids)
            model.record_restructuring(
                m, "concurrent_head", secondary.uid, f"head of {primary.uid} also heads {secondary.uid}; 1 head post removed"
            )
            for p in org.posts_of(secondary, HEAD):
                holder = int(org.post_holder[p])
                if holder >= 0:
                    model.make_surplus(holder, secondary, m, self.pa.deadline)
                org.remove_post(p)
                model.vacancies[int(org.post_rank[p])].discard(p)
            secondary.concurrent_with = primary.uid
            org.version += 1


class _AbolishLevel(_Action):
    def __call__(self, model, m: int) -> None:
        org: Org = model.org
        for a, uids in zip(self.pa.areas, self.pa.groups):
            units = [org.unit_by_id[u] for u in uids if org.unit_by_id[u].active]
            model.record_restructuring(m, "abolish_level", org.area_codes[a], f"district {org.area_codes[a]}: {len(units)} units abolished")
            people = sorted(model.people_of(units))
            for u in units:
                model.close_unit(u, m, reassign=False)
            for i in people:
                model.reassign_abolished(i, m)


_ACTIONS = {"merge": _Merge, "split": _Split, "concurrent_head": _ConcurrentHead, "abolish_level": _AbolishLevel}


def describe(planned: list[PlannedAction]) -> list[str]:
    return [
        f"{format_month(pa.month)} {pa.spec.kind}: " + "; ".join(" + ".join(g) for g in pa.groups)
        for pa in planned
    ]


__all__ = ["PlannedAction", "plan", "schedule_all", "describe"]
