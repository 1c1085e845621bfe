"""The registry of restructuring actions: each kind resolves its selection when the
scenario is planned and applies itself at its month.

* ``concurrent_head`` — the first selected unit's head also heads the second unit; the
  second unit's head post is removed (Conclusion 34-KL/TW pilot P1; P3 for the Mass
  Mobilisation board and the Fatherland Front).
* ``merge`` — the selected units of an area become one unit: one head post, a deputy
  quota, the divisions and staff posts of all of them (pilots P2, P4, P5, P6). The
  quota is the legal number of the merger's period: the Decree 107/2020 and 108/2020
  averages before ``policy.transition.extra_deputies_from``, plus
  ``extra_deputies_per_extra_body`` per extra body from then on (Conclusions 186/187,
  2025). A merger may consolidate a share of the divisions (``divisions_cut``; by
  default only from the 2025 period on, at Thái Bình's 2025 shares); the division heads
  and deputies left over become surplus like the leaders.
* ``split`` — undo a merger: the original units come back with their own head and
  deputy posts, and their divisions and staff return to them.
* ``abolish_level`` — every unit of the chosen districts is abolished (2025 reform);
  their cadres are reassigned to province vacancies of the same rank, retire early
  under the regime in force, or move to the commune level (outside the model).

Leaders left above quota become surplus leaders (sim/processes/transition.py).
"""

from __future__ import annotations

from sim.core.calendar import parse_month
from sim.core.vocabulary import DEPUTY, HEAD, PROVINCE_AREA, Event
from sim.params.schema import ActionSpec, UnitSpec
from sim.restructuring.base import Action, PairingAction, PlannedAction, PlanState, fail
from sim.restructuring.edits import close_unit, cut_divisions, move_staff_posts, restore_head_post, return_staff_posts


def _common_cycle(units) -> str:
    """The term cycle of a merged unit: the cycle its units share, else appointment."""
    cycles = {u.spec.term_cycle if u.spec is not None else "appointment" for u in units}
    return cycles.pop() if len(cycles) == 1 else "appointment"


class Merge(PairingAction):
    kind = "merge"

    def selected(self, i: int, spec: ActionSpec, state: PlanState, code: str, uids: list[str]) -> str:
        key = spec.new_key or "+".join(u.split(".", 1)[1] for u in uids)
        new_uid = f"{code}.{key}"
        if new_uid in state.alive:
            raise fail(i, spec, f"the merged unit's id {new_uid} is already in use")
        restorable = next((m for m, origins in state.merged.items() if new_uid in origins), None)
        if restorable is not None:
            raise fail(
                i,
                spec,
                f"the merged unit's id {new_uid} is the id of a unit {state.gone.get(new_uid, 'merged away')}, which a "
                f"split of {restorable} would restore; choose another new_key",
            )
        for u in uids:
            state.alive.discard(u)
            state.gone[u] = f"merged into {new_uid} at {spec.month}"
        state.alive.add(new_uid)
        state.fn_of[new_uid] = state.fn_of[uids[0]]
        state.merged[new_uid] = uids
        return new_uid

    def apply(self, model, pa: PlannedAction, m: int) -> None:
        org = model.org
        tr = model.policy.transition
        for uids, new_uid in zip(pa.groups, pa.new_uids):
            units = [org.unit_by_id[u] for u in uids]
            area = units[0].area
            legal = tr.legal_deputies_province if area == PROVINCE_AREA else tr.legal_deputies_district
            period_2025 = m >= parse_month(tr.extra_deputies_from)
            quota = pa.spec.deputies
            if quota is None:
                extra = tr.extra_deputies_per_extra_body if period_2025 else 0
                quota = legal + extra * (len(units) - 1)
            spec = UnitSpec(
                key=new_uid.split(".", 1)[1],
                name=pa.spec.new_name or " + ".join(u.name for u in units),
                sector=units[0].sector,
                function=units[0].function,
                head_rank=max(u.head_rank for u in units),
                deputy_rank=max(u.deputy_rank for u in units),
                deputies=quota,
                divisions=0,
                specialists=0,
                head_key=any(org.post_key[p] for u in units for p in org.posts_of(u, HEAD)),
                head_non_local=any(org.post_non_local[p] for u in units for p in org.posts_of(u, HEAD)),
                head_term_limited=any(org.post_term_limited[p] for u in units for p in org.posts_of(u, HEAD)),
                term_cycle=_common_cycle(units),
            )
            new = org.add_unit(spec, area, uid=new_uid, deputies=quota, merged_from=uids)
            for u in org.active_units():  # a unit headed by one of the merged units' heads
                if u.concurrent_with in uids:
                    u.concurrent_with = new_uid
            old_leader_posts = sum(len(org.posts_of(u, HEAD)) + len(org.posts_of(u, DEPUTY)) for u in units)
            model.log.organisation(
                m, Event.MERGE, new_uid, f"{' + '.join(uids)} -> {new_uid}; leader posts {old_leader_posts} -> {1 + quota}"
            )
            model.transition.rehouse_leaders(units, [new], m, pa.deadline)
            for u in units:
                move_staff_posts(model, u, new)
                close_unit(model, u, m)
            cut = pa.spec.divisions_cut
            if cut is None:
                cut = (tr.divisions_cut_province if area == PROVINCE_AREA else tr.divisions_cut_district) if period_2025 else 0.0
            if cut > 0:
                cut_divisions(model, new, cut, m, pa.deadline)


class ConcurrentHead(PairingAction):
    kind = "concurrent_head"

    def check_selection(self, i: int, spec: ActionSpec, code: str, uids: list[str]) -> None:
        super().check_selection(i, spec, code, uids)
        if len(uids) != 2:
            raise fail(i, spec, f"concurrent_head pairs exactly 2 units in {code}, found {', '.join(uids)}")

    def apply(self, model, pa: PlannedAction, m: int) -> None:
        org = model.org
        for uids in pa.groups:
            primary, secondary = (org.unit_by_id[u] for u in uids)
            model.log.organisation(
                m, Event.CONCURRENT_HEAD, secondary.uid, f"head of {primary.uid} also heads {secondary.uid}; 1 head post removed"
            )
            for p in org.posts_of(secondary, HEAD):
                holder = int(org.post_holder[p])
                if holder >= 0:
                    model.transition.make_surplus(holder, secondary, m, pa.deadline)
                org.remove_post(p)
                model.indices.vacancies[int(org.post_rank[p])].discard(p)
            secondary.concurrent_with = primary.uid
            org.version += 1


class Split(Action):
    kind = "split"

    def resolve(self, i: int, spec: ActionSpec, areas: list[int], state: PlanState) -> tuple[list[list[str]], list[str]]:
        if len(spec.units) != 1:
            raise fail(i, spec, "split takes exactly one unit key: the merged unit")
        groups = []
        for a in areas:
            uid = f"{state.org.area_codes[a]}.{spec.units[0]}"
            if uid not in state.merged or uid not in state.alive:
                valid = ", ".join(sorted(k for k in state.merged if k in state.alive)) or "none yet"
                raise fail(i, spec, f"{uid} was never merged (or no longer exists); merged units at that month: {valid}")
            origins = state.merged.pop(uid)
            state.alive.discard(uid)
            state.gone[uid] = f"split at {spec.month}"
            for o in origins:
                state.alive.add(o)
                state.gone.pop(o, None)
            groups.append([uid])
        return groups, []

    def apply(self, model, pa: PlannedAction, m: int) -> None:
        org = model.org
        for (uid,) in pa.groups:
            merged = org.unit_by_id[uid]
            restored = [org.restore_unit(o) for o in merged.merged_from]
            model.log.organisation(m, Event.SPLIT, uid, f"{uid} -> {' + '.join(merged.merged_from)}")
            model.transition.rehouse_leaders([merged], restored, m, pa.deadline)
            return_staff_posts(model, merged, restored)
            close_unit(model, merged, m)
            for u in org.active_units():  # units headed concurrently by the split unit's head
                if u.concurrent_with == uid:
                    restore_head_post(model, u)


class AbolishLevel(Action):
    kind = "abolish_level"

    def resolve(self, i: int, spec: ActionSpec, areas: list[int], state: PlanState) -> tuple[list[list[str]], list[str]]:
        if spec.level != "district":
            raise fail(i, spec, "abolish_level applies to level 'district' only")
        groups = []
        for a in areas:
            code = state.org.area_codes[a]
            uids = sorted(u for u in state.alive if u.startswith(code + "."))
            for u in uids:
                state.gone[u] = f"abolished with district {code} at {spec.month}"
                state.alive.discard(u)
            groups.append(uids)
        return groups, []

    def apply(self, model, pa: PlannedAction, m: int) -> None:
        org = model.org
        for a, uids in zip(pa.areas, pa.groups):
            units = [org.unit_by_id[u] for u in uids if org.unit_by_id[u].active]
            model.log.organisation(m, Event.ABOLISH_LEVEL, org.area_codes[a], f"district {org.area_codes[a]}: {len(units)} units abolished")
            people = sorted(model.personnel.holders_of(units) | model.transition.surplus_of(units))
            for u in units:
                close_unit(model, u, m, reassign=False)
            for i in people:
                model.transition.reassign_abolished(i, m)


ACTIONS: dict[str, Action] = {a.kind: a for a in (Merge(), Split(), ConcurrentHead(), AbolishLevel())}
