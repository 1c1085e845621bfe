"""Rotation (luân chuyển, Regulation 98-QĐ/TW, 2017): each year in ``wave_month``,
``per_year`` pool members within the age limits (men <= 50, women <= 45 at rotation,
art. 5; from 28 Apr 2022, Regulation 65-QĐ/TW art. 5: at least 10 years of service
left, whatever the age) move for ``length_months`` (at least 3 years) to an equivalent post in another
area — a vacancy, else a swap with the holder, who is transferred into the rotator's
post — then return to an equivalent post at home (higher only with a small
probability), or stay where they are if none is vacant. Rotation experience counts in
later selection (``experience_bonus``, estimate).

The provincial Standing Committee's 2018-2020 plan (``policy.plan``; the seed article of
5 Sep 2018) adds, in the plan's months, two kinds of move among the cadres it manages
(leader posts of ``managed_ranks`` in units with ``psc_remit``): **training rotations**
of pool members under the same age rule as the yearly wave (Regulation 98-QĐ/TW art. 5), and
**rule transfers** (điều động) of local holders of non-local-rule posts and of holders
in a second consecutive term of a term-limited post, to an equivalent post in another
area (Regulation 98-QĐ/TW). Their events carry a ``detail`` that starts with "plan".
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from functools import partial

import numpy as np

from sim.core.calendar import parse_month
from sim.core.vocabulary import HEAD, NEVER, SPECIALIST, TOP_RANK, Event
from sim.engine.phases import Phase
from sim.engine.streams import pair_key
from sim.processes.base import Process
from sim.rules import rotation as rotation_rules


class Rotation(Process):
    name = "rotation"
    stream = "rotation"
    columns = {
        "rot_end": (np.int64, NEVER),  # month a rotation ends (NEVER: not rotating)
        "rot_origin_unit": (np.int32, -1),  # the unit rotated from
        "rotated": (bool, False),  # ever rotated: experience counts in selection
    }
    metrics = ("rotations_active",)
    hooks = {"rotation_returns": "returns"}

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.rotation
        self.reg65_from = parse_month(self.pars.reg65_from)
        self.plan = model.policy.plan
        self.plan_months = [parse_month(x) for x in self.plan.months]
        self.away: set[int] = set()  # cadres on rotation now
        self._returns: dict[int, list[int]] = defaultdict(list)  # month -> rotations ending

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org
        self.personnel = self.model.personnel
        self.personnel.on_remove.append(self.away.discard)

    def schedule(self, timetable) -> None:
        if self.pars.per_year > 0:
            timetable.every_year(self.pars.wave_month, self.wave, Phase.ROTATION_WAVE)
        n = len(self.plan_months)
        for k, mo in enumerate(self.plan_months):
            # the plan's totals spread evenly over its months (the first months take the remainder last)
            rot = (k + 1) * self.plan.rotations // n - k * self.plan.rotations // n
            tra = (k + 1) * self.plan.transfers // n - k * self.plan.transfers // n
            if rot or tra:
                timetable.at(mo, partial(self.plan_wave, rotations=rot, transfers=tra), Phase.ROTATION_WAVE)

    def wave(self, m: int) -> None:
        """Start this year's rotations: pool members within the age limits move to a
        vacant post of the same rank in another area for ``length_months``."""
        rot, people = self.pars, self.people
        draws = self.draws
        cands = self.model.pool.members
        if len(cands):
            cands = cands[people.active[cands] & (people.rot_end[cands] == NEVER) & (people.post[cands] >= 0) & (people.rank[cands] >= 1)]
            cands = cands[self._training_eligible(cands, m)]
        # keyed draws throughout: who goes first, which vacancy, which swap partner depend
        # on the cadres and posts involved, not on how many others there are
        order = draws.order(people.key[cands], salt=0)
        started = 0
        for i in cands[order].tolist():
            if started >= rot.per_year:
                break
            if self._start(i, m, rot.length_months, salt=1):
                started += 1

    def _training_eligible(self, cands: np.ndarray, m: int) -> np.ndarray:
        """Which of ``cands`` may go on a training rotation in month m: within the age
        limits (Regulation 98-QĐ/TW art. 5), from ``reg65_from`` with enough service left
        (Regulation 65-QĐ/TW art. 5)."""
        rot, people = self.pars, self.people
        if m >= self.reg65_from:
            return rotation_rules.eligible_for_training_rotation_reg65(people.ret[cands] - m, np.ones(len(cands), bool), rot.min_months_left_reg65)
        return rotation_rules.eligible_for_training_rotation(
            m - people.birth[cands], people.female[cands], np.ones(len(cands), bool), rot.max_age_men, rot.max_age_women
        )

    def _start(self, i: int, m: int, length: int, salt: int, detail: str = "") -> bool:
        """Rotate cadre i for ``length`` months to a post of its rank in another area: a
        vacancy, else a swap with the holder, who is transferred into i's post."""
        org, people, personnel = self.org, self.people, self.personnel
        draws = self.draws
        r = int(people.rank[i])
        area = int(org.post_area[people.post[i]])
        may = self.model.vacancies.may_take
        options = [p for p in self._vacancies_elsewhere(r, area) if may(i, p, m)]
        origin_unit = int(people.unit[i])
        key = int(people.key[i])
        if options:
            p = options[draws.smallest(pair_key(key, np.array(options, np.uint64)), salt=salt)]
            personnel.move(i, p, m, Event.ROTATION_OUT, detail)
        else:
            # no vacancy of that rank elsewhere: swap with a holder of an equivalent
            # post in another area, who is transferred into the rotator's post
            partners = self._swappable(i, self._swap_partners(r, area), m)
            if not len(partners):
                return False
            j = int(partners[draws.smallest(pair_key(key, people.key[partners]), salt=salt + 1)])
            p, p_old = int(people.post[j]), int(people.post[i])
            personnel.leave_post(j)
            personnel.move(i, p, m, Event.ROTATION_OUT, detail)
            personnel.move(j, p_old, m, Event.TRANSFER, detail and f"{detail}: swap")
            self.model.flows["transfers"] += 1
        people.rot_end[i] = m + length
        people.rot_origin_unit[i] = origin_unit
        people.rotated[i] = True
        self.away.add(i)
        self._returns[m + length].append(i)
        self.model.flows["rotations"] += 1
        return True

    def _swappable(self, i: int, partners: np.ndarray, m: int) -> np.ndarray:
        """The partners j with whom i may swap posts under both units' rules."""
        if not len(partners):
            return partners
        people, vac = self.people, self.model.vacancies
        p_i = int(people.post[i])
        ok = vac.may_take_each(np.full(len(partners), i, np.int64), people.post[partners], m)
        if vac.ruled_posts()[p_i]:
            ok &= np.isin(partners, vac.meet_unit_rules(partners, p_i, m))
        return partners[ok]

    def _vacancies_elsewhere(self, r: int, area: int, avoid: int = -1) -> list[int]:
        """Vacant non-specialist posts of rank r outside ``area`` (and ``avoid``), ascending."""
        org = self.org
        return sorted(
            p for p in self.model.indices.vacancies[r]
            if org.post_active[p] and org.post_holder[p] < 0 and org.post_kind[p] != SPECIALIST
            and int(org.post_area[p]) not in (area, avoid)
        )

    # ------------------------------------------------------------------ the 2018-2020 plan
    def _managed(self, cands: np.ndarray) -> np.ndarray:
        """Which of ``cands`` (holding a post) are in the Standing Committee's remit."""
        org, people = self.org, self.people
        posts = people.post[cands]
        return org.post_psc[posts] & np.isin(people.rank[cands], self.plan.managed_ranks)

    def plan_wave(self, m: int, rotations: int, transfers: int) -> None:
        """One month of the Standing Committee's plan: rule transfers first (they are
        the plan's obligations), then training rotations of pool members."""
        people, org = self.people, self.org
        n = people.n
        if transfers:
            held = np.flatnonzero(people.active[:n] & (people.post[:n] >= 0) & (people.rot_end[:n] == NEVER))
            held = held[self._managed(held)]
            posts = people.post[held]
            head = org.post_kind[posts] == HEAD
            local = head & org.post_non_local[posts] & (people.home[held] == org.post_area[posts])
            second_term = head & org.post_term_limited[posts] & (people.head_terms[held] >= 1)
            enough = people.ret[held] - m >= self.pars.min_months_left_other
            cands = held[(local | second_term) & enough]
            why = np.where(local[(local | second_term) & enough], "plan: non-local rule", "plan: two consecutive terms")
            order = self.draws.order(people.key[cands], salt=10)
            done = 0
            for k in order.tolist():
                if done >= transfers:
                    break
                if self._transfer(int(cands[k]), m, str(why[k])):
                    done += 1
        if rotations:
            cands = self.model.pool.members
            if len(cands):
                cands = cands[people.active[cands] & (people.rot_end[cands] == NEVER) & (people.post[cands] >= 0)]
                cands = cands[self._managed(cands)]
                cands = cands[self._training_eligible(cands, m)]
            order = self.draws.order(people.key[cands], salt=20)
            done = 0
            for i in cands[order].tolist():
                if done >= rotations:
                    break
                if self._start(i, m, self.plan.length_months, salt=21, detail="plan: training rotation"):
                    done += 1

    def _transfer(self, i: int, m: int, detail: str) -> bool:
        """Transfer cadre i for good to an equivalent post in another area (for the
        non-local rule, outside its home district too): a vacancy, else a swap."""
        org, people, personnel = self.org, self.people, self.personnel
        r = int(people.rank[i])
        p_old = int(people.post[i])
        area = int(org.post_area[p_old])
        key = int(people.key[i])
        may = self.model.vacancies.may_take
        options = [
            p for p in self._vacancies_elsewhere(r, area, avoid=int(people.home[i]))
            if org.post_kind[p] == org.post_kind[p_old] and may(i, p, m)
        ]
        if options:
            p = options[self.draws.smallest(pair_key(key, np.array(options, np.uint64)), salt=11)]
            personnel.move(i, p, m, Event.TRANSFER, detail)
            self.model.flows["transfers"] += 1
            return True
        partners = self._swap_partners(r, area)
        if len(partners):
            # the partner must be able to hold i's post (not local to it if the rule applies)
            # and i the partner's (outside i's home district)
            ok = (org.post_kind[people.post[partners]] == org.post_kind[p_old]) & (org.post_area[people.post[partners]] != people.home[i])
            if org.post_non_local[p_old]:
                ok &= people.home[partners] != area
            partners = self._swappable(i, partners[ok], m)
        if not len(partners):
            return False
        j = int(partners[self.draws.smallest(pair_key(key, people.key[partners]), salt=12)])
        p = int(people.post[j])
        personnel.leave_post(j)
        personnel.move(i, p, m, Event.TRANSFER, detail)
        personnel.move(j, p_old, m, Event.TRANSFER, f"{detail}: swap")
        self.model.flows["transfers"] += 2
        return True

    def _swap_partners(self, r: int, area: int) -> np.ndarray:
        """Cadres of rank r in other areas who hold a non-specialist post and are not
        rotating, ascending (vectorised: a rank can have a thousand holders)."""
        org, people = self.org, self.people
        by_area_rank = self.model.indices.by_area_rank
        sets = (by_area_rank.get((a, r), ()) for a in range(len(org.area_codes)) if a != area)
        cands = np.fromiter(itertools.chain.from_iterable(sets), np.int64)
        posts = people.post[cands]
        ok = (posts >= 0) & (people.rot_end[cands] == NEVER) & (org.post_kind[np.maximum(posts, 0)] != SPECIALIST)
        return np.sort(cands[ok])

    def returns(self, m: int) -> None:
        """Rotations that end this month: back to an equivalent post in the home unit's
        area (one rank higher with a small probability); if none is vacant, stay."""
        rot, org, people, personnel = self.pars, self.org, self.people, self.personnel
        draws = self.draws
        for i in self._returns.pop(m, ()):
            if not people.active[i] or people.rot_end[i] != m:
                continue
            people.rot_end[i] = NEVER
            self.away.discard(i)
            origin = org.units[int(people.rot_origin_unit[i])]
            area = origin.area
            if not origin.active:  # merged away meanwhile: go back to the area
                origin = None
            rank = int(people.rank[i])
            r = rotation_rules.return_rank(rank, draws.uniform1(int(people.key[i]), salt=3), rot.higher_return_probability, max_rank=TOP_RANK)
            p = self._vacancy_in(i, r, area, origin, m)
            if p is None and r != rank:
                r = rank
                p = self._vacancy_in(i, r, area, origin, m)
            if p is None:
                self.model.log.person(m, Event.ROTATION_END_IN_PLACE, i)
                continue
            higher = r > rank
            # a return one rank up is a promotion: recorded as one, so events and flows agree
            personnel.move(i, p, m, Event.PROMOTION if higher else Event.ROTATION_RETURN)
            if higher:
                self.model.flows["promotions"] += 1

    def _vacancy_in(self, i: int, r: int, area: int, unit, m: int) -> int | None:
        org, may = self.org, self.model.vacancies.may_take
        best = None
        for p in sorted(self.model.indices.vacancies[r]):
            if not org.post_active[p] or org.post_holder[p] >= 0 or org.post_kind[p] == SPECIALIST or not may(i, p, m):
                continue
            if unit is not None and int(org.post_unit[p]) == unit.index:
                return p
            if best is None and int(org.post_area[p]) == area:
                best = p
        return best

    def measure(self, m: int) -> dict[str, float]:
        return {"rotations_active": len(self.away)}
