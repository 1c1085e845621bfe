"""Surplus leaders after a restructuring action (the transition policy).

Leaders left above their unit's quota stay in the unit without a post and take the next
vacancy of their rank there (kept without replacement). At the action's deadline each
is transferred to a vacancy of equal rank (same area first), else offered early
retirement under the regime in force (Decree 108/2014 as amended by 113/2018 and
143/2020; Decree 29/2023 from Jul 2023; Decree 178/2024 from 2025), with a take-up
probability (``policy.transition``, estimate); whoever is left steps down to a vacancy
of a lower rank keeping the old allowance (``after_deadline: step_down``, Decree
178/2024 art. 11) or, with ``after_deadline: keep``, stays surplus, is retried for
transfers every month and is
reported. Cadres of an abolished unit are reassigned: a province vacancy of their rank,
early retirement, or the commune level.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from sim.core.calendar import format_month, parse_month
from sim.core.vocabulary import DEPUTY, HEAD, NEVER, PROVINCE_AREA, Event
from sim.processes.base import InvariantError, Process
from sim.rules import early_retirement
from sim.rules.retirement import retirement_index
from sim.world.org import Unit


class Transition(Process):
    name = "transition"
    stream = "transition"
    metrics = ("surplus_leaders",)
    hooks = {"surplus": "deadlines"}

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.transition
        self.decree_178_from = parse_month(self.pars.decree_178_from)
        self.decree_29_from = parse_month(self.pars.decree_29_from)
        self.decree_143_from = parse_month(self.pars.decree_143_from)
        self.surplus_since: dict[int, int] = {}  # surplus leader -> month of the decision that made it surplus
        self.unit_surplus: dict[int, set[int]] = defaultdict(set)  # unit index -> its surplus leaders
        self.deadline: dict[int, int] = {}  # surplus leader -> deadline month
        self._due: dict[int, list[int]] = defaultdict(list)  # month -> surplus leaders due
        self.overdue: set[int] = set()

    def setup(self) -> None:
        model = self.model
        self.people = model.people
        self.personnel = model.personnel
        model.personnel.on_release.append(self.release)
        model.personnel.on_remove.append(self.release)

    # ------------------------------------------------------------------ registry
    def release(self, i: int) -> None:
        """Cadre i is no longer surplus (placed, moved or gone)."""
        if i not in self.deadline:
            return
        u = int(self.people.unit[i])
        s = self.unit_surplus.get(u)
        if s is not None:
            s.discard(i)
            if not s:
                del self.unit_surplus[u]
        self.deadline.pop(i, None)
        self.surplus_since.pop(i, None)
        self.overdue.discard(i)

    def make_surplus(self, i: int, unit: Unit, m: int, deadline: int) -> None:
        """Cadre i stays in ``unit`` above its quota (no post) until placed or cured."""
        self.release(i)
        people = self.people
        self.personnel.leave_post(i)
        r = int(people.rank[i])
        people.unit[i] = unit.index
        self.model.indices.add(i, unit.index, unit.area, r)
        self.unit_surplus[unit.index].add(i)
        self.deadline[i] = deadline
        self.surplus_since[i] = m
        self._due[max(deadline, m)].append(i)
        people.pay[i] = self.model.payroll.leader_pay(r)  # the leadership allowance is kept
        self.model.log.person(m, Event.SURPLUS, i, f"deadline {format_month(deadline)}")

    def surplus_of(self, units: list[Unit]) -> set[int]:
        out: set[int] = set()
        for u in units:
            out |= self.unit_surplus.get(u.index, set())
        return out

    # ------------------------------------------------------------------ vacancies
    def place(self, p: int, m: int) -> bool:
        """A vacancy in a unit with surplus leaders of the post's rank goes to one of them."""
        org = self.model.org
        s = self.unit_surplus.get(int(org.post_unit[p]))
        if not s:
            return False
        r = int(org.post_rank[p])
        rank = self.people.rank
        same = [i for i in s if rank[i] == r]
        if not same:
            return False
        i = min(same)
        self.release(i)
        self.personnel.leave_post(i)
        self.personnel.take_post(i, p, m, lateral=True)
        self.model.log.person(m, Event.SURPLUS_PLACED, i)
        return True

    def rehouse_leaders(self, old_units: list[Unit], new_units: list[Unit], m: int, deadline: int) -> None:
        """Give the leaders (and surplus) of ``old_units`` the head and deputy posts of
        ``new_units``, rank for rank; whoever is left becomes surplus in new_units[0]."""
        org, people, personnel = self.model.org, self.people, self.personnel
        people_moved: list[int] = []
        for kind in (HEAD, DEPUTY):
            for u in old_units:
                for p in org.posts_of(u, kind):
                    h = int(org.post_holder[p])
                    if h >= 0:
                        people_moved.append(h)
        for u in old_units:
            people_moved.extend(sorted(self.unit_surplus.get(u.index, ()), key=lambda i: (-int(people.rank[i]), i)))
        placed: set[int] = set()
        lateral = not self.pars.reappoint_on_merge  # a new appointment restarts time in post and term
        for kind, label in ((HEAD, Event.KEPT_HEAD), (DEPUTY, Event.KEPT_DEPUTY)):
            for u in new_units:
                for p in org.posts_of(u, kind):
                    r = int(org.post_rank[p])
                    who = next((i for i in people_moved if i not in placed and people.rank[i] == r), None)
                    if who is None:
                        continue
                    placed.add(who)
                    self.release(who)
                    personnel.leave_post(who)
                    personnel.take_post(who, p, m, lateral=lateral)
                    self.model.log.person(m, label, who)
        for i in people_moved:
            if i not in placed:
                self.make_surplus(i, new_units[0], m, deadline)
        vacancies = self.model.indices.vacancies
        for u in new_units:  # posts nobody was rehoused into are vacancies
            for p in org.posts_of(u):
                if org.post_holder[p] < 0:
                    vacancies[int(org.post_rank[p])].add(p)

    # ------------------------------------------------------------------ leaving
    def offer_early_retirement(self, i: int, m: int) -> bool:
        """Offer early retirement under the regime in force; True if taken.

        The regime by month (``policy.transition.decree_29_from``, ``decree_178_from``):
        Decree 108/2014 as amended by 113/2018 and 143/2020, Decree 29/2023, Decree 178/2024
        as amended by 67/2025; its payment in months of current salary is
        ``sim.rules.early_retirement.payment``. Months early are counted to the regime's
        reference age (60/55 under Decree 113/2018 before ``decree_143_from``, else the
        statutory retirement month). Insured service is the time since entry into service:
        insured work before entry is not known and counted as none (*estimate*). Decree
        178's halving counts the months since the decision that made i surplus (i's last
        ``surplus`` event); a cadre of an abolished unit leaves in the decision's month.
        """
        tr, people = self.pars, self.people
        reg = early_retirement.regime(m, self.decree_178_from, self.decree_29_from)
        rule = early_retirement.reference_rule(m, reg, self.decree_143_from)
        if rule == "labour_code_2012":  # the month of turning 60 / 55
            ret = retirement_index(int(people.birth[i]), bool(people.female[i]), rule)
        else:
            ret = int(people.ret[i])
        left = early_retirement.months_early(ret, m)
        insured = m - int(people.entry[i])
        p = early_retirement.takeup_probability(
            left, reg, tr.takeup_decree_108, tr.takeup_decree_178, tr.takeup_decay_years, insured
        )
        if self.draws.uniform1(int(people.key[i]), 0) >= p:
            return False
        # a surplus leader at the deadline: the decision is the action that made i surplus
        decided = self.surplus_since.get(i, m)
        pay = early_retirement.payment(reg, left, insured, m - decided)
        cost = pay.total * float(people.pay[i])  # base salaries
        self.model.flows["severance_cost"] += cost
        self.model.flows["severance_cost_vnd"] += cost * self.model.payroll.base_salary_vnd(m)
        detail = (
            f"{early_retirement.LAW[reg]}: {pay.total:.2f} months' salary "
            f"(lump sum {pay.lump_sum:.2f}, years early {pay.per_year_early:.2f}, service {pay.service:.2f})"
        )
        self.personnel.remove(i, Event.EARLY_RETIREMENT, m, detail=detail)
        return True

    def reassign_abolished(self, i: int, m: int) -> None:
        """A cadre of an abolished unit: province vacancy, early retirement, or commune."""
        self.release(i)
        personnel = self.personnel
        personnel.leave_post(i)
        if self.draws.uniform1(int(self.people.key[i]), 1) < self.pars.to_province_share:
            p = personnel.find_vacancy(int(self.people.rank[i]), PROVINCE_AREA, province_only=True)
            if p is not None:
                personnel.transfer(i, p, m)
                return
        if self.offer_early_retirement(i, m):
            return
        personnel.remove(i, Event.TO_COMMUNE, m)

    def deadlines(self, m: int) -> None:
        """At the deadline: transfer, else offer early retirement; retry transfers after."""
        due = self._due.pop(m, ())
        if not self.pars.deadline_policy:
            return
        active = self.people.active
        for i in due:
            if not active[i] or self.deadline.get(i) != m:
                continue
            if self._try_transfer(i, m) or self.offer_early_retirement(i, m):
                continue
            self.overdue.add(i)
            self.model.log.person(m, Event.STILL_SURPLUS, i)
        for i in sorted(self.overdue):
            if self.deadline.get(i, NEVER) < m:
                self._try_transfer(i, m)

    def step_down_into(self, p: int, m: int) -> bool:
        """After the deadline (``after_deadline: step_down``): a vacancy of a lower rank
        in the area of overdue surplus leaders goes to the highest-ranked of them, who
        keeps its pay, i.e. the old allowance (Decree 178/2024 art. 11, amended by Decree
        67/2025; kept here until the next move, an estimate of "to the end of the term")."""
        org, people = self.model.org, self.people
        area, r = int(org.post_area[p]), int(org.post_rank[p])
        units = org.units
        best = None
        for i in self.overdue:
            ri = int(people.rank[i])
            if ri > r and int(units[int(people.unit[i])].area) == area and (best is None or (ri, -i) > best[0]):
                best = ((ri, -i), i)
        if best is None:
            return False
        i = best[1]
        pay = float(people.pay[i])
        personnel = self.personnel
        for f in personnel.on_release:
            f(i)
        personnel.leave_post(i)
        personnel.take_post(i, p, m)
        people.pay[i] = max(pay, float(people.pay[i]))
        self.model.log.person(m, Event.STEPPED_DOWN, i)
        return True

    def _try_transfer(self, i: int, m: int) -> bool:
        area = int(self.model.org.units[int(self.people.unit[i])].area)
        p = self.personnel.find_vacancy(int(self.people.rank[i]), area)
        if p is None:
            return False
        self.personnel.transfer(i, p, m)
        return True

    # ------------------------------------------------------------------ results
    def measure(self, m: int) -> dict[str, float]:
        return {"surplus_leaders": len(self.deadline)}

    def check(self) -> None:
        """Surplus leaders are accounted for: active, postless, in an active unit; and
        nobody else in service is without a post."""
        people = self.people
        n = people.n
        listed = set().union(*self.unit_surplus.values()) if self.unit_surplus else set()
        if listed != set(self.deadline):
            raise InvariantError("surplus registry and deadlines disagree")
        units = self.model.org.units
        for i in listed:
            if not people.active[i] or people.post[i] >= 0 or not units[int(people.unit[i])].active:
                raise InvariantError(f"surplus cadre {people.cadre_ids[i]} is not an active, postless member of an active unit")
        postless = set(np.flatnonzero(people.active[:n] & (people.post[:n] < 0)).tolist())
        if postless != listed:
            raise InvariantError(f"{len(postless - listed)} active cadres hold no post and are not surplus")
