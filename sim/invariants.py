"""Rules the model must never break; checked every month in the tests.

These are full scans (O(population)) and are therefore not part of the monthly loop.
Call :func:`check` after each ``model.step()``; it raises :class:`InvariantError`
naming the first broken rule.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np

from sim.core.vocabulary import DEPUTY, DIVISION_DEPUTY, DIVISION_HEAD, HEAD, SPECIALIST
from sim.rules.retirement import extended_retirement_index, retirement_month_index

# event kind of each way of leaving -> its flow column (sim/model.py)
EXIT_FLOWS = {
    "retirement": "retirements",
    "exit": "other_exits",
    "early_retirement": "early_retirements",
    "to_commune": "to_commune",
}
# event kind -> flow column that counts it one for one
COUNTED_FLOWS = {"recruitment": "recruits", **EXIT_FLOWS}
# promotions are "promotion" events, plus rotation returns to a higher post (recorded as
# "rotation_return", sim/pipeline.py)
PROMOTION_EVENTS = ("promotion",)
PROMOTION_MAYBE_EVENTS = ("rotation_return",)
MIN_AGE_MONTHS = 16 * 12  # nobody younger is on a roster (sim/world/roster.py) or recruited
POOL_PER_POST_MAX = 3  # Reg. 50-QĐ/TW (2021), if the policy does not say
POOL_POSTS_PER_PERSON_MAX = 3


class InvariantError(AssertionError):
    pass


def check(model) -> None:
    """Raise InvariantError naming the first broken rule."""
    _check_posts_and_holders(model)
    _check_indices(model)
    _check_structure(model)
    _check_ages(model)
    _check_events_and_flows(model)
    _check_pool(model)
    extra_check = getattr(model, "check_extra_invariants", None)
    if extra_check is not None:
        extra_check()


# --------------------------------------------------------------------------- posts
def _check_posts_and_holders(model) -> None:
    org = model.org
    n = model.n
    m = model.month  # called after a step: the month just simulated is m - 1
    done = m - 1
    act = np.flatnonzero(model.active[:n])
    holders = org.post_holder[: org.n_posts]
    held = holders[holders >= 0]
    if len(np.unique(held)) != len(held):
        raise InvariantError("a cadre holds two posts")
    # the post <-> holder links agree both ways
    posts = model.post[act]
    in_post = posts >= 0
    if not np.array_equal(holders[posts[in_post]], act[in_post]):
        raise InvariantError("a cadre's post does not list it as the holder")
    if len(held) != int(np.count_nonzero(in_post)):
        raise InvariantError(f"{len(held)} posts have a holder but {int(np.count_nonzero(in_post))} cadres hold a post")
    if not np.all(model.active[held]):
        raise InvariantError("a post is held by someone who has left")
    if np.any(~org.post_active[: org.n_posts][holders >= 0]):
        raise InvariantError("an abolished post still has a holder")
    late = act[model.ret[act] < m]
    if len(late):
        raise InvariantError(f"{len(late)} cadres still serve after their retirement month (month {done})")
    if model.headcount != len(act):
        raise InvariantError(f"headcount counter {model.headcount} != active cadres {len(act)}")
    t = model.totals
    if model.initial_headcount + t["recruits"] - t["exits"] != model.headcount:
        raise InvariantError("headcount identity broken: start + recruits - exits != end")
    # a cadre in post has the post's rank and belongs to the post's unit
    p = posts[in_post]
    who = act[in_post]
    if np.any(model.rank[who] != org.post_rank[p]):
        i = int(who[np.flatnonzero(model.rank[who] != org.post_rank[p])[0]])
        raise InvariantError(f"cadre {model.cadre_ids[i]} has rank {int(model.rank[i])}, its post rank {int(org.post_rank[model.post[i]])}")
    if np.any(model.unit[who] != org.post_unit[p]):
        i = int(who[np.flatnonzero(model.unit[who] != org.post_unit[p])[0]])
        raise InvariantError(f"cadre {model.cadre_ids[i]} is listed in another unit than its post's")
    # vacancies: every active, unheld post is listed
    free = np.flatnonzero(org.post_active[: org.n_posts] & (holders < 0))
    listed = set().union(*model.vacancies)
    missing = [p for p in free.tolist() if p not in listed]
    if missing:
        raise InvariantError(f"{len(missing)} vacant posts are not in the vacancy lists")


def _check_indices(model) -> None:
    """Candidate indices hold exactly the active cadres at that (unit, rank) / (area, rank)."""
    org = model.org
    act = np.flatnonzero(model.active[: model.n])
    for (u, r), members in model.by_unit_rank.items():
        for i in members:
            if not model.active[i] or model.unit[i] != u or model.rank[i] != r:
                raise InvariantError(f"index by (unit, rank) is stale for cadre {model.cadre_ids[i]}")
    indexed = sum(len(s) for s in model.by_unit_rank.values())
    expected = int(np.count_nonzero(model.unit[act] >= 0))
    if indexed != expected:
        raise InvariantError(f"index by (unit, rank) holds {indexed} cadres, expected {expected}")
    by_area = getattr(model, "by_area_rank", None)
    if by_area is None:
        return
    unit_area = np.array([u.area for u in org.units], dtype=np.int64)
    for (a, r), members in by_area.items():
        for i in members:
            if not model.active[i] or model.rank[i] != r or model.unit[i] < 0 or unit_area[model.unit[i]] != a:
                raise InvariantError(f"index by (area, rank) is stale for cadre {model.cadre_ids[i]}")
    indexed = sum(len(s) for s in by_area.values())
    if indexed != expected:
        raise InvariantError(f"index by (area, rank) holds {indexed} cadres, expected {expected}")


def _check_structure(model) -> None:
    """Posts belong to active units; one head post per unit at most (none when the unit
    shares the head of another, active, unit); post ranks follow the post kind."""
    org = model.org
    n_posts = org.n_posts
    act_post = org.post_active[:n_posts]
    unit_active = np.array([u.active for u in org.units], bool)
    pu = org.post_unit[:n_posts]
    if np.any(act_post & ~unit_active[pu]):
        p = int(np.flatnonzero(act_post & ~unit_active[pu])[0])
        raise InvariantError(f"post {p} is active in the closed unit {org.units[int(pu[p])].uid}")
    kind = org.post_kind[:n_posts]
    heads = np.bincount(pu[act_post & (kind == HEAD)], minlength=len(org.units))
    if np.any(heads > 1):
        u = org.units[int(np.flatnonzero(heads > 1)[0])]
        raise InvariantError(f"unit {u.uid} has {int(heads[u.index])} head posts")
    for u in org.units:
        if not u.active or u.concurrent_with is None:
            continue
        if heads[u.index]:
            raise InvariantError(f"unit {u.uid} shares the head of {u.concurrent_with} but kept its own head post")
        primary = org.unit_by_id.get(u.concurrent_with)
        if primary is None or not primary.active:
            raise InvariantError(f"unit {u.uid} shares the head of {u.concurrent_with}, which no longer exists: nobody heads it")
    head_rank = np.array([u.head_rank for u in org.units], np.int64)[pu]
    deputy_rank = np.array([u.deputy_rank for u in org.units], np.int64)[pu]
    want = np.select(
        [kind == HEAD, kind == DEPUTY, kind == DIVISION_HEAD, kind == DIVISION_DEPUTY, kind == SPECIALIST],
        [head_rank, deputy_rank, 2, 1, 0],
        -1,
    )
    wrong = act_post & (org.post_rank[:n_posts] != want)
    if np.any(wrong):
        p = int(np.flatnonzero(wrong)[0])
        raise InvariantError(f"post {p} (kind {int(kind[p])}) has rank {int(org.post_rank[p])}, expected {int(want[p])}")


def _check_ages(model) -> None:
    """Every active cadre is at least 16 and below the statutory retirement age: the
    stored retirement month is the statutory one (or, under the senior extension, at
    most the extended one)."""
    act = np.flatnonzero(model.active[: model.n])
    if not len(act):
        return
    done = model.month - 1
    birth, female = model.birth[act], model.female[act]
    statutory = retirement_month_index(birth, female, model.policy.retirement_rule)
    ret = model.ret[act]
    ext = model.policy.senior_extension
    if ext.enabled:
        bad = (ret < statutory) | (ret > extended_retirement_index(birth, female, statutory))
    else:
        bad = ret != statutory
    if np.any(bad):
        i = int(act[np.flatnonzero(bad)[0]])
        raise InvariantError(f"cadre {model.cadre_ids[i]}'s retirement month is not the statutory one")
    young = done - birth < MIN_AGE_MONTHS
    if np.any(young):
        i = int(act[np.flatnonzero(young)[0]])
        raise InvariantError(f"cadre {model.cadre_ids[i]} is younger than 16")


# --------------------------------------------------------------------------- events
@dataclass
class _EventTally:
    seen: int = 0  # events already read
    exited: dict[str, str] = field(default_factory=dict)  # cadre_id -> exit kind
    counts: dict[str, int] = field(default_factory=dict)  # event kind -> count


_tallies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _tally(model) -> _EventTally:
    """Events read incrementally (each event once over a run)."""
    t = _tallies.get(model)
    if t is None or t.seen > len(model.events):
        t = _EventTally()
        _tallies[model] = t
    for ev in model.events[t.seen :]:
        kind, cid = ev[1], ev[2]
        t.counts[kind] = t.counts.get(kind, 0) + 1
        if kind in EXIT_FLOWS:
            if cid in t.exited:
                raise InvariantError(f"cadre {cid} left twice ({t.exited[cid]}, then {kind})")
            t.exited[cid] = kind
    t.seen = len(model.events)
    return t


def _check_events_and_flows(model) -> None:
    """Every cadre who left has exactly one exit event and nobody active has one; event
    counts equal the flow totals; the collected table adds up to the totals."""
    t = _tally(model)
    n = model.n
    gone = np.flatnonzero(~model.active[:n])
    if len(gone) != len(t.exited):
        raise InvariantError(f"{len(gone)} cadres have left but {len(t.exited)} exit events were recorded")
    ids = model.cadre_ids
    missing = [ids[i] for i in gone.tolist() if ids[i] not in t.exited]
    if missing:
        raise InvariantError(f"cadre {missing[0]} left without an exit event ({len(missing)} in all)")
    totals = model.totals
    if "exits" in totals:
        parts = sum(totals[f] for f in EXIT_FLOWS.values() if f in totals)
        if parts != totals["exits"]:
            raise InvariantError(f"exits {totals['exits']} != the sum of its kinds {parts}")
        if totals["exits"] != len(t.exited):
            raise InvariantError(f"exits total {totals['exits']} != {len(t.exited)} exit events")
    for kind, flow in COUNTED_FLOWS.items():
        if flow in totals and totals[flow] != t.counts.get(kind, 0):
            raise InvariantError(f"flow {flow} = {totals[flow]} but {t.counts.get(kind, 0)} '{kind}' events")
    if "promotions" in totals:
        low = sum(t.counts.get(k, 0) for k in PROMOTION_EVENTS)
        high = low + sum(t.counts.get(k, 0) for k in PROMOTION_MAYBE_EVENTS)
        if not low <= totals["promotions"] <= high:
            raise InvariantError(
                f"flow promotions = {totals['promotions']} but there are {low} 'promotion' events "
                f"(and {high - low} rotation returns)"
            )
    mv = getattr(getattr(model, "datacollector", None), "model_vars", None)
    if mv:
        for flow in ("recruits", "exits", "promotions"):
            if flow in mv and flow in totals and sum(mv[flow]) != totals[flow]:
                raise InvariantError(f"the table's {flow} add up to {sum(mv[flow])}, the model's total is {totals[flow]}")
        if mv.get("headcount") and mv["headcount"][-1] != model.headcount:
            raise InvariantError(f"the table's last headcount {mv['headcount'][-1]} != {model.headcount}")
        if mv.get("surplus_leaders") and mv["surplus_leaders"][-1] != len(model.surplus_deadline):
            raise InvariantError(
                f"the table's surplus_leaders {mv['surplus_leaders'][-1]} != {len(model.surplus_deadline)} surplus cadres"
            )


# --------------------------------------------------------------------------- pool
def _check_pool(model) -> None:
    """Succession pool (Reg. 50): at most 3 candidates per post and 3 posts per person,
    each listed once per post. (Leavers may stay listed until the next review: the model
    filters them when the pool is used, see sim/pipeline.py.)"""
    pool = getattr(model, "pool", None)
    if not isinstance(pool, dict) or not pool:
        return
    spec = getattr(model.policy, "pool", None)
    per_post = getattr(spec, "per_post_max", POOL_PER_POST_MAX)
    per_person = getattr(spec, "posts_per_person_max", POOL_POSTS_PER_PERSON_MAX)
    posts_of: dict[int, int] = {}
    for post, members in pool.items():
        members = np.asarray(members, dtype=np.int64).ravel()
        if len(members) > per_post:
            raise InvariantError(f"pool for post {post} has {len(members)} candidates (max {per_post})")
        if len(np.unique(members)) != len(members):
            raise InvariantError(f"pool for post {post} lists a candidate twice")
        if len(members) and (members.min() < 0 or members.max() >= model.n):
            raise InvariantError(f"pool for post {post} holds an index that is not a cadre")
        for i in members.tolist():
            posts_of[i] = posts_of.get(i, 0) + 1
    over = [i for i, k in posts_of.items() if k > per_person]
    if over:
        raise InvariantError(f"cadre {model.cadre_ids[over[0]]} is in the pool for {posts_of[over[0]]} posts (max {per_person})")
