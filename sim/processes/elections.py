"""People's Council elections (NA Resolution 133/2020: 23 May 2021; then every
``period_years``, the next held on 15 Mar 2026): the People's Council and People's
Committee leaders of the province and the districts (units of function
``leadership_assembly`` and ``leadership_state``) stand again.

At each election month, a holder of one of those leadership posts without enough working
time left under the directive's rule for re-election (Guidance 26-HD/BTCTW, 2019: at
least half a term, 30 months, at May 2021, computed with the 2012 Labour Code ages
60/55; later elections on the ages in force, ``reelected_min_months_later``) is not
re-elected and leaves with the over-age early-retirement regime (Decree 26/2015;
Decree 177/2024 from 2025), as at the congresses (:meth:`Congress.leave_over_age`).
Their posts are filled by the normal vacancy process that month, whose full-term rule
(``policy.appointment.min_months_left``) is the first-timer's rule.

Timing: the election is a dated event (at the provincial congress's priority, before the
pool review and the month's phases) that records who held those posts; at the end of the
same month (the ``surplus`` phase, after ``vacancies``) the posts are measured as held
after the filling: ``election_<year>_share_new`` (held by someone who held none of them
before the election), ``_share_women``, ``_share_under40``, ``_mean_age``, with
``_posts``, ``_vacant`` and ``_not_reelected``; one ``election`` event per election
carries the same in its detail.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.core.calendar import every, format_month
from sim.core.vocabulary import LEADER_KINDS, Event
from sim.engine.phases import Phase
from sim.processes.base import Process
from sim.rules import elections as election_rules

# units whose leaders are elected by the People's Council (Law on the Organisation of
# Local Government, 2015): the council's own leadership and the People's Committee's
ELECTED_FUNCTIONS = ("leadership_assembly", "leadership_state")
LEVELS = ("province", "district")


class Elections(Process):
    name = "elections"
    hooks = {"surplus": "measure_after"}

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.elections
        self.pending: tuple[int, list[int], set[int], int] | None = None  # (month, posts, holders before, left)

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org

    def schedule(self, timetable) -> None:
        e = self.pars
        for k, mo in enumerate(every(e.months, e.period_years, timetable.end)):
            timetable.at(mo, partial(self.election, round_index=k), Phase.PROVINCIAL_CONGRESS)

    def _age_basis(self, round_index: int) -> tuple[str, int]:
        """The first election on the directive's 2019 basis, later ones on the ages in force."""
        e = self.pars
        if round_index == 0:
            return e.age_rule_basis, e.reelected_min_months
        return self.model.policy.retirement_rule, e.reelected_min_months_later

    def leader_posts(self) -> list[int]:
        """Active head and deputy posts of the elected leaderships, province and districts."""
        org = self.org
        return [
            p
            for u in org.units
            if u.active and u.level in LEVELS and u.function in ELECTED_FUNCTIONS
            for p in org.posts_of(u)
            if int(org.post_kind[p]) in LEADER_KINDS
        ]

    def election(self, m: int, round_index: int) -> None:
        rule, min_months = self._age_basis(round_index)
        org = self.org
        posts = self.leader_posts()
        before = [h for p in posts if (h := int(org.post_holder[p])) >= 0]
        gone = self.model.congress.leave_over_age(before, rule, min_months, m, why="not re-elected at the election")
        if self.pars.fill_at_election:
            self._fill(posts, m)
        self.pending = (m, posts, set(before), gone)

    def _fill(self, posts: list[int], m: int) -> None:
        """The new councils elect their leaders at once: every vacant elected post is
        filled now, highest rank first, by the vacancy process's candidate rules (the
        vacancies this opens below are filled in the month's normal filling)."""
        model, org = self.model, self.org
        transition, vacancies = model.transition, model.vacancies
        todo = sorted((p for p in posts if org.post_active[p] and org.post_holder[p] < 0), key=lambda p: (-int(org.post_rank[p]), p))
        for p in todo:
            if transition.unit_surplus and transition.place(p, m):
                continue
            c = vacancies.select_candidate(p, m)
            if c is not None:
                model.personnel.move(c, p, m, Event.PROMOTION, "elected at the People's Council election")
                model.flows["promotions"] += 1

    def measure_after(self, m: int) -> None:
        """The posts as held after the election month's filling (see the module)."""
        if self.pending is None or self.pending[0] != m:
            return
        _, posts, before, gone = self.pending
        self.pending = None
        org, people = self.org, self.people
        live = [p for p in posts if org.post_active[p]]
        holders = np.array([h for p in live if (h := int(org.post_holder[p])) >= 0], np.int64)
        new = np.array([int(h) not in before for h in holders.tolist()], bool)
        comp = election_rules.composition(new, people.female[holders], (m - people.birth[holders]) / 12.0)
        comp.update(posts=len(live), vacant=len(live) - len(holders), not_reelected=gone)
        year = m // 12
        for k, v in comp.items():
            self.model.summary_extra[f"election_{year}_{k}"] = float(v)
        self.model.log.organisation(
            m,
            Event.ELECTION,
            "",
            f"{format_month(m)}: {len(live)} People's Council and Committee leader posts; {gone} not re-elected; "
            f"after filling {len(holders)} held, {int(new.sum())} by newcomers",
        )
