"""Needs-based transfers (điều động) between units: curing "surplus here, shortage
there" (nơi thừa, nơi thiếu), one aim of the provincial Standing Committee's 2018-2020
plan (the seed article of 5 Sep 2018).

Each unit with staff posts has a **norm**: the staff it needs (its job-position plan,
đề án vị trí việc làm). No unit-level figure was found, so the norm is the unit's
starting staff in post times ``1 + e``, with ``e`` a uniform draw in +/-
``policy.rebalance.norm_spread`` (estimate), keyed by the unit's id so that every
scenario has the same norms, and capped at the unit's posts. A merged unit's norm is the
sum of its origins' norms; a unit restored by a split gets its own back.

Every ``every_months`` (from ``first_month``), units above their norm send cadres of the
ranks in ``ranks`` (at least ``min_months_in_post`` in post, not on rotation) to vacant
posts of the same rank in units of the same area below their norm (province units
among themselves, a district's units among themselves), largest gaps first, at most
``per_review`` moves a review (event ``rebalance_transfer``, counted in ``transfers``).
With ``freeze_recruitment``, a unit at or above its norm (counted when the month's
filling begins) recruits no one into a vacated staff post that month (Resolution
39-NQ/TW, 2015).

``staffing_imbalance`` = sum over units of |staff in post - norm| / sum of norms.
"""

from __future__ import annotations

import zlib

import numpy as np

from sim.core.calendar import parse_month
from sim.core.vocabulary import NEVER, SPECIALIST, Event
from sim.engine.phases import Phase
from sim.engine.streams import mix64, pair_key
from sim.processes.base import Process

_UNIT = 1.0 / (1 << 53)


class Rebalance(Process):
    name = "rebalance"
    stream = "rebalance"
    metrics = ("staffing_imbalance",)

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.rebalance
        self.norm_of: dict[str, int] = {}  # unit id -> norm (people)
        self._norms = None  # (org version, unit indices, norms) for the metric
        self._frozen = None  # ((month, org version), units at or above their norm)

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org

    def schedule(self, timetable) -> None:
        every = self.pars.every_months
        if every > 0 and self.pars.per_review > 0:
            start = max(parse_month(self.pars.first_month), timetable.start)
            timetable.each(range(start, timetable.end + 1, every), self.review, Phase.REBALANCE)

    def admit(self, idx: np.ndarray, pop) -> None:
        """The norms, from the staff in post at the start (see the module docstring)."""
        org, spread = self.org, self.pars.norm_spread
        seed = self.model.seed
        n, k = org.n_posts, len(org.units)
        active = org.post_active[:n]
        units = org.post_unit[:n]
        n_posts = np.bincount(units[active], minlength=k).tolist()
        staff = np.bincount(units[active & (org.post_holder[:n] >= 0)], minlength=k).tolist()
        staffed = np.bincount(units[active & (org.post_kind[:n] == SPECIALIST)], minlength=k).tolist()
        for u in org.units:
            if not u.active or not staffed[u.index]:
                continue  # leadership bodies: no staff of their own (see the org file)
            draw = ((mix64(pair_key(seed, zlib.crc32(u.uid.encode()))) >> 11) + 0.5) * _UNIT
            e = (2.0 * draw - 1.0) * spread
            self.norm_of[u.uid] = int(min(n_posts[u.index], max(1, round(staff[u.index] * (1.0 + e)))))

    # ------------------------------------------------------------------ norms
    def norm(self, unit) -> int | None:
        """The norm of ``unit`` (None: a unit without one)."""
        n = self.norm_of.get(unit.uid)
        if n is None and unit.merged_from:
            parts = [self.norm_of.get(o) for o in unit.merged_from]
            if all(x is not None for x in parts):
                n = self.norm_of[unit.uid] = int(sum(parts))
        return n

    def staff(self, unit) -> int:
        """Staff in post in ``unit`` (held active posts)."""
        org = self.org
        return sum(1 for p in unit.posts if org.post_active[p] and org.post_holder[p] >= 0)

    def frozen_units(self) -> np.ndarray:
        """Per unit: at or above its norm when this month's filling began (all False
        without ``freeze_recruitment``; staff counted once a month)."""
        org = self.org
        key = (self.model.month, org.version)
        if self._frozen is None or self._frozen[0] != key:
            over = np.zeros(len(org.units), bool)
            if self.pars.freeze_recruitment:
                units, idx, norms = self._normed_units()
                over[idx] = self._staff_by_unit()[idx] >= norms
            self._frozen = (key, over)
        return self._frozen[1]

    def frozen(self, p: int) -> bool:
        """Whether a vacated post p may not be refilled by recruitment this month: its
        unit was at or above its norm when the month's filling began
        (``freeze_recruitment``)."""
        return bool(self.frozen_units()[int(self.org.post_unit[p])])

    def _normed_units(self):
        org = self.org
        cache = self._norms
        if cache is None or cache[0] != org.version:
            units = [u for u in org.units if u.active and self.norm(u) is not None]
            idx = np.array([u.index for u in units], np.int64)
            norms = np.array([self.norm(u) for u in units], np.int64)
            cache = self._norms = (org.version, units, idx, norms)
        return cache[1], cache[2], cache[3]

    def _staff_by_unit(self) -> np.ndarray:
        org = self.org
        n = org.n_posts
        held = org.post_active[:n] & (org.post_holder[:n] >= 0)
        return np.bincount(org.post_unit[:n][held], minlength=len(org.units))

    # ------------------------------------------------------------------ the review
    def review(self, m: int) -> None:
        """Move cadres from units above their norm to units of the same area below it."""
        pars = self.pars
        units, idx, norms = self._normed_units()
        if not units:
            return
        gap = dict(zip(idx.tolist(), (self._staff_by_unit()[idx] - norms).tolist()))
        by_area: dict[int, list] = {}
        for u in units:
            by_area.setdefault(u.area, []).append(u)
        # the vacant posts of the movable ranks, by unit and rank (from the vacancy index)
        # (of the units below their norm only: the others receive no one)
        org, vacancies = self.org, self.model.indices.vacancies
        below = np.zeros(len(org.units), bool)
        below[[u for u, g in gap.items() if g < 0]] = True
        self._vacant: dict[int, dict[int, list[int]]] = {}
        for r in pars.ranks:
            arr = np.fromiter(vacancies[r], np.int64, len(vacancies[r]))
            arr = np.sort(arr[org.post_active[arr] & (org.post_holder[arr] < 0) & below[org.post_unit[arr]]])
            for p, u in zip(arr.tolist(), org.post_unit[arr].tolist()):
                self._vacant.setdefault(u, {}).setdefault(r, []).append(p)
        moved, stuck = 0, set()
        while moved < pars.per_review:
            progress = False
            for area in sorted(by_area):
                if moved >= pars.per_review:
                    break
                if area in stuck:
                    continue
                if self._one_move(by_area[area], gap, m):
                    moved += 1
                    progress = True
                else:
                    stuck.add(area)
            if not progress:
                break

    def _one_move(self, units, gap: dict[int, int], m: int) -> bool:
        """One transfer in one area: the sender furthest above its norm that has a
        movable cadre of a rank the receiver furthest below its norm has a vacancy of."""
        people, pars = self.people, self.pars
        senders = sorted((u for u in units if gap[u.index] > 0), key=lambda u: (-gap[u.index], u.uid))
        receivers = sorted((u for u in units if gap[u.index] < 0), key=lambda u: (gap[u.index], u.uid))
        if not senders or not receivers:
            return False
        by_unit_rank = self.model.indices.by_unit_rank
        draws = self.draws
        for rcv in receivers:
            vacant = self._vacant.get(rcv.index)
            if not vacant:
                continue
            for snd in senders:
                for r in sorted(vacant):
                    pool = by_unit_rank.get((snd.index, r))
                    if not pool:
                        continue
                    c = np.fromiter(pool, np.int64, len(pool))
                    ok = (people.post[c] >= 0) & (people.rot_end[c] == NEVER) & (m - people.post_since[c] >= pars.min_months_in_post)
                    c = np.sort(c[ok])
                    if not len(c):
                        continue
                    i = int(c[draws.smallest(people.key[c], salt=0)])
                    posts = [p for p in vacant[r] if self.model.vacancies.may_take(i, p, m)]
                    if not posts:
                        continue
                    p = posts[draws.smallest(pair_key(int(people.key[i]), np.array(posts, np.uint64)), salt=1)]
                    vacant[r].remove(p)
                    if not vacant[r]:
                        del vacant[r]
                    self.model.personnel.move(i, p, m, Event.REBALANCE_TRANSFER, f"from {snd.uid} (above its norm) to {rcv.uid} (below it)")
                    self.model.flows["transfers"] += 1
                    gap[snd.index] -= 1
                    gap[rcv.index] += 1
                    return True
        return False

    def measure(self, m: int) -> dict[str, float]:
        units, idx, norms = self._normed_units()
        total = int(norms.sum())
        if not total:
            return {"staffing_imbalance": float("nan")}
        staff = self._staff_by_unit()[idx]
        return {"staffing_imbalance": float(np.abs(staff - norms).sum()) / total}
