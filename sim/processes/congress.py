"""Party congresses (Directive 35-CT/TW, 2019): district congresses (``district_months``)
and the provincial congress (``province_months``).

At each, holders of Party-committee leadership posts without enough working time left
on the directive's age basis are not re-elected and leave with the over-age
early-retirement regime (Decree 26/2015; Decree 177/2024 from 2025). The provincial congress then elects the
provincial Party committee (about 5% smaller each time) from holders of posts of rank
>= ``COMMITTEE_MIN_RANK`` and their pool candidates, under the age rule (first time a
full term left, re-elected at least half a term), with the women and under-40 targets
as a preference (sim/rules/congress.py); the top leaders, and sitting members who can stand
again and still hold a post of those ranks (``incumbents_first``), are elected first. The
committee then elects its standing committee
(``standing_size``): the provincial top leaders (ranks 5-6) first, then by score.

The start: the incumbent committee (``previous_committee_size``, elected at the last
provincial congress before the start: 2015-10 for a start in 2018) and its standing
committee are seeded in the first month, after the first pool review, from the holders
of posts of rank >= ``COMMITTEE_MIN_RANK`` and their pool candidates: the top leaders
first, then a keyed draw (stream ``population``: the incumbents are part of the starting
population) with the 2015 national composition (``previous_mean_age``,
``previous_women_share``), among those who could have been elected then under the age
rule at that congress (the first round's rule and ages; a candidate holding such a rank
since the congress before counts as re-elected).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.core.calendar import every, format_month, parse_month
from sim.core.vocabulary import HEAD, PROVINCIAL_LEADER_RANK, Event
from sim.engine.phases import Phase
from sim.processes.base import InvariantError, Process
from sim.rules import congress as congress_rules
from sim.rules import early_retirement
from sim.rules.retirement import retirement_month_index

# the committee is drawn from holders of posts of this rank and above (directors and
# district top leaders; estimate) and their pool candidates, at the congresses and for
# the incumbent committee at the start
COMMITTEE_MIN_RANK = 4
# the incumbent committee at the start is part of the starting population: its draws are
# keyed draws of that stream (by cadre), salted apart from any other use
SEED_STREAM, SEED_SALT = "population", 7


class Congress(Process):
    name = "congress"
    columns = {
        "in_committee": (bool, False),  # member of the provincial Party committee
        "in_standing": (bool, False),  # member of its standing committee
    }

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.congress
        self.committee_size = self.pars.previous_committee_size

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org

    def schedule(self, timetable) -> None:
        c, end = self.pars, timetable.end
        # the incumbent committee: after the start's pool review (same priority, scheduled
        # later), unless a congress falls in the start month (then before it, without the pool)
        first_month = timetable.start in every(c.province_months, c.period_years, end)
        timetable.at(timetable.start, self.seed_incumbents, Phase.DISTRICT_CONGRESS if first_month else Phase.POOL_REVIEW)
        for k, mo in enumerate(every(c.district_months, c.period_years, end)):
            timetable.at(mo, partial(self.district, round_index=k), Phase.DISTRICT_CONGRESS)
        for k, mo in enumerate(every(c.province_months, c.period_years, end)):
            timetable.at(mo, partial(self.provincial, round_index=k), Phase.PROVINCIAL_CONGRESS)

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
        org = self.org
        holders = [h for u in units for p in org.posts_of(u) if (h := int(org.post_holder[p])) >= 0]
        return self.leave_over_age(holders, rule, min_months, m)

    def leave_over_age(self, holders: list[int], rule: str, min_months: int, m: int, why: str = "not re-elected") -> int:
        """Those of ``holders`` with fewer than ``min_months`` of working age left (on
        ``rule``'s ages) leave with the over-age early-retirement regime (Decree 26/2015;
        Decree 177/2024 from 2025); the number who left. Also used by the elections."""
        people, model = self.people, self.model
        out = 0
        # removing one holder changes no other post's holder: the holders and their
        # working time left can be read first, in one vectorised call
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
                detail = f"{why} ({early_retirement.LAW[reg]}): {pay.total:.2f} months' salary"
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

    def _candidates(self) -> np.ndarray:
        """Holders of posts of rank >= COMMITTEE_MIN_RANK and their pool candidates."""
        org, people, pool = self.org, self.people, self.model.pool
        n = people.n
        holders = np.flatnonzero(people.active[:n] & (people.post[:n] >= 0) & (people.rank[:n] >= COMMITTEE_MIN_RANK))
        pool_for_top = np.zeros(0, np.int64)
        if len(pool.post):
            sel = (org.post_rank[pool.post] >= COMMITTEE_MIN_RANK) & people.active[pool.cadre]
            pool_for_top = pool.cadre[sel]
        return np.unique(np.concatenate([holders, pool_for_top]))

    def _score(self, cands: np.ndarray, m: int) -> np.ndarray:
        return self.people.competence[cands] + self.model.policy.selection.noise_sd * self.model.assessment.noise(cands, m)

    def _standing(self, members: np.ndarray, m: int) -> np.ndarray:
        """The standing committee elected from committee members ``members``."""
        people = self.people
        pos = congress_rules.select_standing(people.rank[members], self._score(members, m), self.pars.standing_size, PROVINCIAL_LEADER_RANK)
        return members[pos]

    def _record(self, year: int, comp: dict, prefix: str = "") -> None:
        extra = self.model.summary_extra
        for k, v in comp.items():
            extra[f"congress_{year}_{prefix}{k}"] = float(v)

    def seed_incumbents(self, m: int) -> None:
        """The incumbent committee and standing committee at the start (see the module)."""
        c, people = self.pars, self.people
        period = 12 * (c.period_years or 5)  # Party Charter art. 15: five-year terms
        listed = sorted(parse_month(x) for x in c.province_months)
        prev, k = congress_rules.previous_round(listed, period, m)
        rule, min_months = self._age_basis(max(k, 0))
        cands = self._candidates()
        # could have been elected at that congress: re-elected (holding such a rank since
        # the congress before) with min_months left, first-timers with a full term
        incumbent = (people.rank[cands] >= COMMITTEE_MIN_RANK) & (people.rank_since[cands] <= prev - period)
        left = self._months_left_on(cands, rule, prev)
        eligible = congress_rules.age_rule_ok(incumbent, left, c.first_time_min_months, min_months)
        age_then = (prev - people.birth[cands]) / 12.0
        u = self.model.streams.keyed(SEED_STREAM).uniform(people.key[cands], SEED_SALT)
        rank = people.rank[cands]
        pos = congress_rules.seed_committee(
            eligible,
            rank >= PROVINCIAL_LEADER_RANK,
            people.female[cands],
            age_then,
            u,
            self.committee_size,
            women_share=c.previous_women_share,
            mean_age=c.previous_mean_age,
            order_first=-rank,
        )
        members = cands[pos]
        people.in_committee[members] = True
        standing = self._standing(members, m)
        people.in_standing[standing] = True
        # the incumbents as they were at their congress (ages then); nobody is new to them
        year, none = prev // 12, np.zeros(len(cands), bool)
        comp = congress_rules.composition(pos, none, people.female[cands], age_then)
        comp.pop("share_new")
        self._record(year, comp)
        at = np.searchsorted(cands, standing)
        comp = congress_rules.composition(at, none, people.female[cands], age_then)
        comp.pop("share_new")
        self._record(year, comp, "standing_")

    def provincial(self, m: int, round_index: int) -> None:
        """The provincial congress elects the provincial Party committee and its standing committee."""
        c, people, model = self.pars, self.people, self.model
        rule, min_months = self._age_basis(round_index)
        self._not_reelected(self._party_committees("province"), rule, min_months, m)
        cands = self._candidates()
        size = congress_rules.committee_size(self.committee_size, c.shrink)
        score = self._score(cands, m)
        age = (m - people.birth[cands]) / 12.0
        first = people.rank[cands] >= PROVINCIAL_LEADER_RANK  # the top leaders
        if c.incumbents_first:  # and sitting members who still hold a post of the committee's ranks
            first |= people.in_committee[cands] & (people.post[cands] >= 0) & (people.rank[cands] >= COMMITTEE_MIN_RANK)
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
            key_post=first,
        )
        comp = congress_rules.composition(selected, people.in_committee[cands], people.female[cands], age)
        year = m // 12
        self._record(year, comp)
        members = cands[selected]
        standing = self._standing(members, m)
        at = np.searchsorted(cands, standing)  # cands is sorted (np.unique)
        self._record(year, congress_rules.composition(at, people.in_standing[cands], people.female[cands], age), "standing_")
        extra = model.summary_extra
        extra[f"congress_{year}_non_local_district_secretaries"] = self._non_local_share(self._party_committees("district"))
        pm = model.pool.measure(m)
        for k in ("pool_size", "pool_women_share", "pool_under40_share", "bench_strength"):
            extra[f"congress_{year}_{k}"] = float(pm[k])
        people.in_committee[:] = False
        people.in_committee[members] = True
        people.in_standing[:] = False
        people.in_standing[standing] = True
        self.committee_size = size
        model.log.organisation(
            m, Event.PROVINCIAL_CONGRESS, "P", f"committee of {comp['size']} and standing committee of {len(standing)} elected at {format_month(m)}"
        )

    def check(self) -> None:
        people = self.people
        n = people.n
        standing = np.flatnonzero(people.in_standing[:n] & people.active[:n])
        if len(standing) and not people.in_committee[standing].all():
            raise InvariantError(f"{int((~people.in_committee[standing]).sum())} standing-committee members are not committee members")
        if len(standing) > self.pars.standing_size:
            raise InvariantError(f"standing committee of {len(standing)} > policy.congress.standing_size = {self.pars.standing_size}")
        members = int(np.count_nonzero(people.in_committee[:n] & people.active[:n]))
        if members > self.committee_size:
            raise InvariantError(f"{members} committee members in service > the committee's size {self.committee_size}")
