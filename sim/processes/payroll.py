"""Pay and the payroll cut.

* Pay: each cadre's monthly salary coefficient by rank plus the leadership allowance of
  a head or deputy post (Decree 204/2004 scales; Decision 128-QĐ/TW allowances), plus
  the public-service allowance on both (Decree 34/2012 art. 3: 25 %,
  ``policy.wage.public_service_allowance``), in multiples of the base salary
  (``people.pay``: also the "current monthly salary" that severance multiplies, as in
  the Ministry of Home Affairs' worked example, Official Letter 1814/BNV 2025);
  ``wage_bill`` is its sum over the cadres in service, ``wage_bill_vnd`` the same in
  nominal VND at the base salary in force (``policy.wage.base_salary_*``).
* Payroll cut: vacated specialist posts are abolished while the cut is behind its linear
  path (``policy.payroll.cuts``: Resolution 39-NQ/TW; Conclusion 40-KL/TW).
"""

from __future__ import annotations

import numpy as np

from sim.core.calendar import parse_month
from sim.core.vocabulary import SPECIALIST
from sim.processes.base import Process
from sim.rules.pay import base_salary_vnd, salary_multiple, schedule


class Payroll(Process):
    name = "payroll"
    metrics = ("wage_bill", "wage_bill_vnd")

    def __init__(self, model):
        super().__init__(model)
        pol = model.policy
        self.coef = np.asarray(pol.wage.coefficient_by_rank, float)
        self.allow = np.asarray(pol.wage.allowance_by_rank, float)
        # the public-service allowance is a share of salary + leadership allowance: scale both
        ps = float(pol.wage.public_service_allowance)
        self.coef, self.allow = salary_multiple(self.coef, 0.0, ps), salary_multiple(0.0, self.allow, ps)
        self.base_salary_schedule = schedule(pol.wage.base_salary_from, pol.wage.base_salary_vnd)
        # the same numbers as Python floats, for one-cadre updates (no numpy scalars)
        self.coef_list = self.coef.tolist()
        self.allow_list = self.allow.tolist()
        self.cuts = [(parse_month(c.start), parse_month(c.end), c.share) for c in pol.payroll.cuts] if pol.payroll.enabled else []
        self.initial_staff_posts = 0
        self.abolished = 0
        self._target: dict[int, int] = {}  # month -> staff posts to have abolished by then

    def setup(self) -> None:
        self.people = self.model.people
        self.model.personnel.on_take.append(self.took_post)

    def admit(self, idx: np.ndarray, pop) -> None:
        org = self.model.org
        rank = self.people.rank[idx].astype(np.int64)
        kind = org.post_kind[pop.post]
        self.people.pay[idx] = self.coef[rank] + np.where(kind < SPECIALIST, self.allow[rank], 0.0)
        self.initial_staff_posts = int(np.count_nonzero(org.post_kind[: org.n_posts] == SPECIALIST))

    def took_post(self, i: int, p: int, kind: int, kept: bool, m: int) -> None:
        r = int(self.people.rank[i])
        self.people.pay[i] = self.coef_list[r] + (self.allow_list[r] if kind != SPECIALIST else 0.0)

    def leader_pay(self, r: int) -> float:
        """Pay of a leader of rank r (kept by surplus leaders: the allowance stays)."""
        return self.coef_list[r] + self.allow_list[r]

    def cut_target(self, m: int) -> int:
        """Staff posts to have abolished by month m: the cuts' linear paths. A vacated
        staff post is abolished while the cut is behind it."""
        target = self._target.get(m)
        if target is None:
            t = 0.0
            for s, e, share in self.cuts:
                if m >= s:
                    t += share * min(1.0, (m - s + 1) / (e - s + 1))
            target = self._target[m] = int(t * self.initial_staff_posts)
        return target

    def abolish(self, p: int) -> None:
        """Abolish vacant staff post p (the payroll cut)."""
        self.model.org.remove_post(p)
        self.abolished += 1
        self.model.flows["posts_abolished"] += 1

    def base_salary_vnd(self, m: int) -> float:
        """The base salary in force in month m, VND per month (the configured schedule)."""
        return base_salary_vnd(m, self.base_salary_schedule)

    def measure(self, m: int) -> dict[str, float]:
        people = self.people
        n = people.n
        bill = float(people.pay[:n][people.active[:n]].sum())
        return {"wage_bill": bill, "wage_bill_vnd": bill * self.base_salary_vnd(m)}
