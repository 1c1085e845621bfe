"""Rules the model must never break; checked every month in the tests.

These are full scans (O(population)) and are therefore not part of the monthly loop.
"""

from __future__ import annotations

import numpy as np


class InvariantError(AssertionError):
    pass


def check(model) -> None:
    """Raise InvariantError naming the first broken rule."""
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
    if not np.all(model.active[held]):
        raise InvariantError("a post is held by someone who has left")
    if np.any(org.post_active[: org.n_posts][holders >= 0] == False):  # noqa: E712
        raise InvariantError("an abolished post still has a holder")
    late = act[model.ret[act] < m]
    if len(late):
        raise InvariantError(f"{len(late)} cadres still serve after their retirement month (month {done})")
    if model.headcount != len(act):
        raise InvariantError(f"headcount counter {model.headcount} != active cadres {len(act)}")
    t = model.totals
    if model.initial_headcount + t["recruits"] - t["exits"] != model.headcount:
        raise InvariantError("headcount identity broken: start + recruits - exits != end")
    # candidate indices hold exactly the cadres at that (unit, rank)
    for (u, r), members in model.by_unit_rank.items():
        for i in members:
            if not model.active[i] or model.unit[i] != u or model.rank[i] != r:
                raise InvariantError(f"index by (unit, rank) is stale for cadre {model.cadre_ids[i]}")
    indexed = sum(len(s) for s in model.by_unit_rank.values())
    expected = int(np.count_nonzero(model.unit[act] >= 0))
    if indexed != expected:
        raise InvariantError(f"index by (unit, rank) holds {indexed} cadres, expected {expected}")
    # vacancies: every active, unheld post is listed
    free = np.flatnonzero(org.post_active[: org.n_posts] & (holders < 0))
    listed = set().union(*model.vacancies)
    missing = [p for p in free.tolist() if p not in listed]
    if missing:
        raise InvariantError(f"{len(missing)} vacant posts are not in the vacancy lists")
    extra_check = getattr(model, "check_extra_invariants", None)
    if extra_check is not None:
        extra_check()
