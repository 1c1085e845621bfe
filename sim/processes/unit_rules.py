"""Unit rules in office: a leader past the unit's in-office age cap leaves the post.

The caps are the org file's ``head_max_age`` and ``deputy_max_age`` (whole years: "at
most 40" allows 40 years and 11 months). For the Youth Union, Decision 289-QĐ/TW (2010):
the provincial secretary at most 40 in office, deputies 38, the district secretary 35.
The month a leader turns one year older than the cap is known when the post is taken,
so it is queued (as retirement months are, sim/processes/exits.py), never searched for:
the starting leaders are queued in bulk, later ones on every ``take_post``.

The age-out move (event ``age_out``, detail: where to), in the month the cap is passed,
after the month's retirements and before the vacancies are filled (so the post is filled
in the same month). Decision 289 moves an over-age Youth Union cadre to other work at the
same level, so:

1. a vacant post of the same rank (any unit and post kind but a specialist post, the
   leader's own unit excepted) whose rules the leader meets, in the same area first,
   then anywhere (the rank ladder makes a district division head and a provincial
   division head equivalent, so this includes division-level posts);
2. else a vacant post one rank lower, in the same area first, then anywhere; then two
   ranks lower, and so on down to a specialist post (estimate: Decision 289 names no
   rank for the new post; the pay is the new post's);
3. else (no vacancy at or below the rank anywhere) the leader is kept as a surplus
   leader (sim/processes/transition.py) in a unit of the same area without age caps, of
   the same sector and with leader posts of that rank if there is one (the Fatherland
   Front for the Youth Union), with the transition policy's default deadline.

A leader who takes a capped post already past its cap (a rotation return, a
restructuring placement: only promotions check the caps beforehand) is moved out in the
same month, at its end (the ``surplus`` phase).
"""

from __future__ import annotations

import numpy as np

from sim.core.calendar import format_month
from sim.core.vocabulary import NEVER, POST_KINDS, SPECIALIST, Event
from sim.processes.base import InvariantError, Process
from sim.world.indices import MonthQueue


class UnitRules(Process):
    name = "unit_rules"
    hooks = {"exits": "age_outs", "surplus": "late_age_outs"}

    def __init__(self, model):
        super().__init__(model)
        self.deadline_months = model.policy.transition.default_deadline_months
        self.due = MonthQueue()  # month a leader passes the cap of the post held
        self.now: list[int] = []  # took a capped post already past its cap this month

    def setup(self) -> None:
        model = self.model
        self.people, self.org, self.personnel = model.people, model.org, model.personnel
        self.personnel.on_take.append(self.took_post)

    def admit(self, idx: np.ndarray, pop) -> None:
        below = self.org.post_age_below[pop.post]
        capped = below < NEVER
        # a starting leader past the cap (the roster check refuses one) would leave at the start
        self.due.add_bulk(np.maximum(pop.birth[capped] + below[capped], self.model.start), idx[capped])

    def took_post(self, i: int, p: int, kind: int, kept: bool, m: int) -> None:
        below = int(self.org.post_age_below[p])
        if below >= NEVER:
            return
        month = int(self.people.birth[i]) + below
        if month <= m:
            self.now.append(i)
        else:
            self.due.append(month, i)

    # ------------------------------------------------------------------ the month
    def age_outs(self, m: int) -> None:
        for i in self.due.pop(m) + self._take_now():
            self._age_out_if_due(i, m)

    def late_age_outs(self, m: int) -> None:
        for i in self._take_now():
            self._age_out_if_due(i, m)

    def _take_now(self) -> list[int]:
        now, self.now = self.now, []
        return now

    def _age_out_if_due(self, i: int, m: int) -> None:
        people, org = self.people, self.org
        p = int(people.post[i])
        if not people.active[i] or p < 0 or m - int(people.birth[i]) < org.post_age_below[p]:
            return  # left, moved, or the post's cap changed (a queue entry of an earlier post)
        self.age_out(i, p, m)

    def age_out(self, i: int, p: int, m: int) -> None:
        """Move leader i out of post p (past its cap) to an equivalent post, else surplus."""
        people, org, personnel = self.people, self.org, self.personnel
        units = org.units
        unit = units[int(org.post_unit[p])]
        age_years = (m - int(people.birth[i])) // 12
        said = f"{POST_KINDS[int(org.post_kind[p])]} of {unit.uid} at {age_years}, cap {int(org.post_age_below[p]) // 12 - 1}"
        r = int(org.post_rank[p])
        dest = next((q for q in (self._vacancy(i, p, rr, m) for rr in range(r, -1, -1)) if q is not None), None)
        if dest is not None:
            people_log = (
                f"{said}: to {units[int(org.post_unit[dest])].uid} ({POST_KINDS[int(org.post_kind[dest])]}, "
                f"rank {int(org.post_rank[dest])})"
            )
            self.model.log.person(m, Event.AGE_OUT, i, people_log)
            for f in personnel.on_release:
                f(i)
            personnel.leave_post(i)
            personnel.take_post(i, dest, m)
            return
        host = self._host_unit(unit, int(people.rank[i]))
        self.model.log.person(m, Event.AGE_OUT, i, f"{said}: kept as surplus in {host.uid}")
        self.model.transition.make_surplus(i, host, m, m + self.deadline_months)

    def _vacancy(self, i: int, p: int, r: int, m: int) -> int | None:
        """A vacant post of rank r, outside the unit of i's post p (and not a specialist
        post at p's own rank), whose sex rule and age caps i meets: the same area first,
        then the first anywhere."""
        org, people = self.org, self.people
        u, area = int(org.post_unit[p]), int(org.post_area[p])
        vac = sorted(self.model.indices.vacancies[r])
        if not vac:
            return None
        posts = np.asarray(vac, np.int64)
        age = m - int(people.birth[i])
        sex = org.post_sex_rule[posts]
        ok = org.post_active[posts] & (org.post_holder[posts] < 0) & (org.post_unit[posts] != u)
        if r == int(org.post_rank[p]):
            ok &= org.post_kind[posts] != SPECIALIST
        ok &= (sex < 0) | (sex == int(people.female[i]))
        ok &= (age < org.post_age_below[posts]) & (age < org.post_first_age_below[posts])
        if not ok.any():
            return None
        same = ok & (org.post_area[posts] == area)
        return int(posts[np.flatnonzero(same if same.any() else ok)[0]])

    def _host_unit(self, unit, r: int):
        """Where an aged-out leader without a post is kept: an active unit of the same
        area without age caps, preferring the same sector and leader posts of rank r."""
        org = self.org

        def uncapped(u) -> bool:
            return all(org.post_age_below[q] >= NEVER for q in u.posts if org.post_active[q])

        options = [u for u in org.active_units() if u.area == unit.area and u is not unit and uncapped(u)]
        if not options:
            raise InvariantError(f"{unit.uid}: no unit without age caps in its area to keep an aged-out leader in")
        return max(options, key=lambda u: (u.sector == unit.sector, r in (u.head_rank, u.deputy_rank), -u.index))

    # ------------------------------------------------------------------ invariants
    def check(self) -> None:
        """No leader is in post past the in-office age cap of the post (at the end of
        the month just simulated)."""
        org, people = self.org, self.people
        n = org.n_posts
        posts = np.flatnonzero(org.post_active[:n] & (org.post_age_below[:n] < NEVER) & (org.post_holder[:n] >= 0))
        if not len(posts):
            return
        done = self.model.month - 1
        holders = org.post_holder[posts]
        over = done - people.birth[holders] >= org.post_age_below[posts]
        if over.any():
            k = int(np.flatnonzero(over)[0])
            p, i = int(posts[k]), int(holders[k])
            raise InvariantError(
                f"cadre {people.cadre_ids[i]} is {(done - int(people.birth[i])) // 12} in {format_month(done)}, "
                f"still {POST_KINDS[int(org.post_kind[p])]} of {org.units[int(org.post_unit[p])].uid} past its cap of "
                f"{int(org.post_age_below[p]) // 12 - 1} years"
            )
