"""Party congresses (Directive 35-CT/TW, 2019): district congresses (``district_months``)
and the provincial congress (``province_months``).

At each, holders of Party-committee leadership posts without enough working time left
on the directive's age basis are not re-elected and leave with the over-age
early-retirement regime (Decree 26/2015; Decree 177/2024 from 2025). The provincial congress then elects the
provincial Party committee (about 5% smaller each time) from holders of posts of rank
>= ``COMMITTEE_MIN_RANK`` and their pool candidates, under the age rule (first time a
full term left, re-elected at least half a term), with the women and under-40 targets
as a preference (sim/rules/congress.py).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.core.calendar import every, format_month, parse_month
from sim.core.vocabulary import HEAD, PROVINCIAL_LEADER_RANK, Event
from sim.engine.phases import Phase
from sim.processes.base import Process
from sim.rules import congress as congress_rules
from sim.rules import early_retirement
from sim.rules.retirement import retirement_month_index

# the committee is drawn from holders of posts of this rank and above (directors and
# district top leaders; estimate) — and the 2015-2020 committee at the start is
# approximated by them
COMMITTEE_MIN_RANK = 4


class Congress(Process):
    name = "congress"
    columns = {"in_committee": (bool, False)}  # member of the provincial Party committee

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.congress
        self.committee_size = self.pars.previous_committee_size

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org

    def schedule(self, timetable) -> None:
        c, end = self.pars, timetable.end
        for k, mo in enumerate(every(c.district_months, c.period_years, end)):
            timetable.at(mo, partial(self.district, round_index=k), Phase.DISTRICT_CONGRESS)
        for k, mo in enumerate(every(c.province_months, c.period_years, end)):
            timetable.at(mo, partial(self.provincial, round_index=k), Phase.PROVINCIAL_CONGRESS)

    def admit(self, idx: np.ndarray, pop) -> None:
        people = self.people
        people.in_committee[idx] = people.active[idx] & (people.rank[idx] >= COMMITTEE_MIN_RANK)

    # ------------------------------------------------------------------ helpers
    def _age_basis(self, round_index: int) -> tuple[str, int]:
        """The retirement rule and re-election minimum of a round: the first round on
        the directive's 2019 basis, later rounds on their own (``*_2025`` keys)."""
        c = self.pars
        if round_index == 0:
            return c.age_rule_basis, c.reelected_min_months
        return c.age_rule_basis_2025, c.reelected_min_months_2025

    def _months_left_on(self, cadres: np.ndarray, rule: str, m: int) -> np.ndarray:
        return retirement_month_index(self.people.birth[cadres], self.people.female[cadres], rule) - m

    def _not_reelected(self, units, rule: str, min_months: int, m: int) -> int:
        """Holders of Party-committee leadership posts without enough working time left
        on the directive's age basis leave with the over-age regime (Decree 26/2015; 177/2024 from 2025)."""
        org, people, model = self.org, self.people, self.model
        out = 0
        # removing one holder changes no other post's holder: the holders and their
        # working time left can be read first, in one vectorised call
        holders = [h for u in units for p in org.posts_of(u) if (h := int(org.post_holder[p])) >= 0]
        if not holders:
            return out
        months_left = self._months_left_on(np.array(holders), rule, m).tolist()
        decree_177_from = parse_month(model.policy.transition.decree_177_from)
        for h, left in zip(holders, months_left):
            if left < min_months:
                # Decree 26/2015, from 2025 Decree 177/2024 art. 3.2 (sim/rules/early_retirement.py);
                # insured service = time since entry (estimate)
                reg = early_retirement.over_age_regime(m, decree_177_from)
                pay = early_retirement.payment(reg, max(early_retirement.months_early(int(people.ret[h]), m), 0), m - int(people.entry[h]))
                cost = pay.total * float(people.pay[h])  # base salaries
                model.flows["severance_cost"] += cost
                model.flows["severance_cost_vnd"] += cost * model.payroll.base_salary_vnd(m)
                detail = f"not re-elected ({early_retirement.LAW[reg]}): {pay.total:.2f} months' salary"
                model.personnel.remove(h, Event.EARLY_RETIREMENT, m, detail=detail)
                out += 1
        return out

    def _non_local_share(self, units) -> float:
        org, people = self.org, self.people
        holders = [int(org.post_holder[p]) for u in units for p in org.posts_of(u, HEAD) if org.post_holder[p] >= 0]
        if not holders:
            return float("nan")
        h = np.array(holders)
        areas = np.array([org.units[int(people.unit[i])].area for i in holders])
        return float((people.home[h] != areas).mean())

    def _party_committees(self, level: str):
        return [u for u in self.org.units if u.active and u.level == level and u.function == "leadership_party"]

    # ------------------------------------------------------------------ congresses
    def district(self, m: int, round_index: int) -> None:
        """District congresses: over-age leaders leave."""
        rule, min_months = self._age_basis(round_index)
        units = self._party_committees("district")
        gone = self._not_reelected(units, rule, min_months, m)
        year = m // 12
        extra = self.model.summary_extra
        extra[f"district_congress_{year}_not_reelected"] = float(gone)
        extra[f"district_congress_{year}_non_local_secretaries"] = self._non_local_share(units)
        self.model.log.organisation(m, Event.DISTRICT_CONGRESS, "", f"{len(units)} district congresses; {gone} not re-elected")

    def provincial(self, m: int, round_index: int) -> None:
        """The provincial congress elects the provincial Party committee."""
        c, org, people, model = self.pars, self.org, self.people, self.model
        rule, min_months = self._age_basis(round_index)
        self._not_reelected(self._party_committees("province"), rule, min_months, m)
        n = people.n
        holders = np.flatnonzero(people.active[:n] & (people.post[:n] >= 0) & (people.rank[:n] >= COMMITTEE_MIN_RANK))
        pool = model.pool
        pool_for_top = np.zeros(0, np.int64)
        if len(pool.post):
            sel = (org.post_rank[pool.post] >= COMMITTEE_MIN_RANK) & people.active[pool.cadre]
            pool_for_top = pool.cadre[sel]
        cands = np.unique(np.concatenate([holders, pool_for_top]))
        size = congress_rules.committee_size(self.committee_size, c.shrink)
        score = people.competence[cands] + model.policy.selection.noise_sd * model.assessment.noise(cands, m)
        age = (m - people.birth[cands]) / 12.0
        selected = congress_rules.select_committee(
            people.in_committee[cands],
            self._months_left_on(cands, rule, m),
            people.female[cands],
            age,
            score,
            size,
            first_time_min_months=c.first_time_min_months,
            reelected_min_months=min_months,
            women_target=c.women_target,
            under40_target=c.under40_target,
            key_post=people.rank[cands] >= PROVINCIAL_LEADER_RANK,
        )
        comp = congress_rules.composition(selected, people.in_committee[cands], people.female[cands], age)
        year = m // 12
        extra = model.summary_extra
        for k, v in comp.items():
            extra[f"congress_{year}_{k}"] = float(v)
        extra[f"congress_{year}_non_local_district_secretaries"] = self._non_local_share(self._party_committees("district"))
        pm = pool.measure(m)
        for k in ("pool_size", "pool_women_share", "pool_under40_share", "bench_strength"):
            extra[f"congress_{year}_{k}"] = float(pm[k])
        people.in_committee[:] = False
        people.in_committee[cands[selected]] = True
        self.committee_size = size
        model.log.organisation(m, Event.PROVINCIAL_CONGRESS, "P", f"committee of {comp['size']} elected at {format_month(m)}")

