"""Rules the model must never break; checked every month in the tests.

These are full scans (O(population)) and are therefore not part of the monthly loop.
Call :func:`check` after each ``model.step()``; it raises :class:`InvariantError`
naming the first broken rule.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np

from sim.core.vocabulary import (
    COUNTED_FLOWS,
    DEPUTY,
    DIVISION_DEPUTY,
    DIVISION_HEAD,
    EXIT_FLOWS,
    HEAD,
    SPECIALIST,
    Event,
)
from sim.processes.base import InvariantError

# promotions are "promotion" events, plus rotation returns to a higher post (recorded as
# "rotation_return" when at the same rank, sim/processes/rotation.py)
PROMOTION_EVENTS = (Event.PROMOTION,)
PROMOTION_MAYBE_EVENTS = (Event.ROTATION_RETURN,)


def check(model) -> None:
    """Raise InvariantError naming the first broken rule: the world's rules first, then
    each process's own (``Process.check``)."""
    _check_posts_and_holders(model)
    _check_indices(model)
    _check_structure(model)
    _check_events_and_flows(model)
    for proc in model.processes:
        proc.check()


# --------------------------------------------------------------------------- posts
def _check_posts_and_holders(model) -> None:
    org = model.org
    n = model.people.n
    m = model.month  # called after a step: the month just simulated is m - 1
    done = m - 1
    act = np.flatnonzero(model.people.active[:n])
    holders = org.post_holder[: org.n_posts]
    held = holders[holders >= 0]
    if len(np.unique(held)) != len(held):
        raise InvariantError("a cadre holds two posts")
    # the post <-> holder links agree both ways
    posts = model.people.post[act]
    in_post = posts >= 0
    if not np.array_equal(holders[posts[in_post]], act[in_post]):
        raise InvariantError("a cadre's post does not list it as the holder")
    if len(held) != int(np.count_nonzero(in_post)):
        raise InvariantError(f"{len(held)} posts have a holder but {int(np.count_nonzero(in_post))} cadres hold a post")
    if not np.all(model.people.active[held]):
        raise InvariantError("a post is held by someone who has left")
    if np.any(~org.post_active[: org.n_posts][holders >= 0]):
        raise InvariantError("an abolished post still has a holder")
    late = act[model.people.ret[act] < done]  # they work their retirement month (Decree 135/2020 art. 3)
    if len(late):
        raise InvariantError(f"{len(late)} cadres still serve after their retirement month (month {done})")
    if model.personnel.headcount != len(act):
        raise InvariantError(f"headcount counter {model.personnel.headcount} != active cadres {len(act)}")
    t = model.totals
    if model.initial_headcount + t["recruits"] + t["from_central"] - t["exits"] != model.personnel.headcount:
        raise InvariantError("headcount identity broken: start + recruits + central cadres in - exits != end")
    # a cadre in post has the post's rank and belongs to the post's unit
    p = posts[in_post]
    who = act[in_post]
    if np.any(model.people.rank[who] != org.post_rank[p]):
        i = int(who[np.flatnonzero(model.people.rank[who] != org.post_rank[p])[0]])
        raise InvariantError(f"cadre {model.people.cadre_ids[i]} has rank {int(model.people.rank[i])}, its post rank {int(org.post_rank[model.people.post[i]])}")
    if np.any(model.people.unit[who] != org.post_unit[p]):
        i = int(who[np.flatnonzero(model.people.unit[who] != org.post_unit[p])[0]])
        raise InvariantError(f"cadre {model.people.cadre_ids[i]} is listed in another unit than its post's")
    # vacancies: every active, unheld post is listed
    free = np.flatnonzero(org.post_active[: org.n_posts] & (holders < 0))
    listed = set().union(*model.indices.vacancies)
    missing = [p for p in free.tolist() if p not in listed]
    if missing:
        raise InvariantError(f"{len(missing)} vacant posts are not in the vacancy lists")


def _check_indices(model) -> None:
    """Candidate indices hold exactly the active cadres at that (unit, rank) / (area, rank)."""
    org, people = model.org, model.people
    act = np.flatnonzero(people.active[: people.n])
    expected = int(np.count_nonzero(people.unit[act] >= 0))
    unit_area = np.array([u.area for u in org.units], dtype=np.int64)

    def flat(index):
        """(members, their key's first part, their key's rank), one entry per member."""
        sizes = [len(s) for s in index.values()]
        members = np.fromiter((i for s in index.values() for i in s), np.int64, sum(sizes))
        first = np.repeat(np.array([k[0] for k in index], np.int64), sizes)
        rank = np.repeat(np.array([k[1] for k in index], np.int64), sizes)
        return members, first, rank

    i, u, r = flat(model.indices.by_unit_rank)
    bad = ~people.active[i] | (people.unit[i] != u) | (people.rank[i] != r)
    if bad.any():
        raise InvariantError(f"index by (unit, rank) is stale for cadre {people.cadre_ids[int(i[np.argmax(bad)])]}")
    if len(i) != expected:
        raise InvariantError(f"index by (unit, rank) holds {len(i)} cadres, expected {expected}")
    i, a, r = flat(model.indices.by_area_rank)
    units = people.unit[i]
    bad = ~people.active[i] | (people.rank[i] != r) | (units < 0)
    bad |= unit_area[np.maximum(units, 0)] != a
    if bad.any():
        raise InvariantError(f"index by (area, rank) is stale for cadre {people.cadre_ids[int(i[np.argmax(bad)])]}")
    if len(i) != expected:
        raise InvariantError(f"index by (area, rank) holds {len(i)} cadres, expected {expected}")


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
        q = u.concurrent_post  # the org file's concurrent post held by a deputy (else the primary's head)
        if q is not None and not (
            q < n_posts and org.post_active[q] and int(pu[q]) == primary.index and int(kind[q]) in (HEAD, DEPUTY)
        ):
            raise InvariantError(
                f"unit {u.uid} is headed by the holder of post {q}, which is not an active head or deputy post of "
                f"{primary.uid}: nobody heads it"
            )
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
    n = model.people.n
    gone = np.flatnonzero(~model.people.active[:n])
    if len(gone) != len(t.exited):
        raise InvariantError(f"{len(gone)} cadres have left but {len(t.exited)} exit events were recorded")
    ids = model.people.cadre_ids
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
        if mv.get("headcount") and mv["headcount"][-1] != model.personnel.headcount:
            raise InvariantError(f"the table's last headcount {mv['headcount'][-1]} != {model.personnel.headcount}")
        if mv.get("surplus_leaders") and mv["surplus_leaders"][-1] != len(model.transition.deadline):
            raise InvariantError(
                f"the table's surplus_leaders {mv['surplus_leaders'][-1]} != {len(model.transition.deadline)} surplus cadres"
            )
