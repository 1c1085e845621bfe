"""Rotation (luân chuyển, Regulation 98-QĐ/TW, 2017): each year in ``wave_month``,
``per_year`` pool members within the age limits (men <= 50, women <= 45 at rotation,
art. 5; from 28 Apr 2022, Regulation 65-QĐ/TW art. 5: at least 10 years of service
left, whatever the age) move for ``length_months`` (at least 3 years) to an equivalent post in another
area — a vacancy, else a swap with the holder, who is transferred into the rotator's
post — then return to an equivalent post at home (higher only with a small
probability), or stay where they are if none is vacant. Rotation experience counts in
later selection (``experience_bonus``, estimate).
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

from sim.core.calendar import parse_month
from sim.core.vocabulary import NEVER, SPECIALIST, TOP_RANK, Event
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

    def wave(self, m: int) -> None:
        """Start this year's rotations: pool members within the age limits move to a
        vacant post of the same rank in another area for ``length_months``."""
        rot, org, people, personnel = self.pars, self.org, self.people, self.personnel
        draws = self.draws
        vacancies = self.model.indices.vacancies
        cands = self.model.pool.members
        if len(cands):
            cands = cands[people.active[cands] & (people.rot_end[cands] == NEVER) & (people.post[cands] >= 0) & (people.rank[cands] >= 1)]
            if m >= self.reg65_from:
                ok = rotation_rules.eligible_for_training_rotation_reg65(
                    people.ret[cands] - m, np.ones(len(cands), bool), rot.min_months_left_reg65
                )
            else:
                ok = rotation_rules.eligible_for_training_rotation(
                    m - people.birth[cands], people.female[cands], np.ones(len(cands), bool), rot.max_age_men, rot.max_age_women
                )
            cands = cands[ok]
        # keyed draws throughout: who goes first, which vacancy, which swap partner depend
        # on the cadres and posts involved, not on how many others there are
        order = draws.order(people.key[cands], salt=0)
        started = 0
        for i in cands[order].tolist():
            if started >= rot.per_year:
                break
            r = int(people.rank[i])
            area = int(org.post_area[people.post[i]])
            options = sorted(
                p for p in vacancies[r]
                if org.post_active[p] and org.post_holder[p] < 0 and org.post_kind[p] != SPECIALIST and int(org.post_area[p]) != area
            )
            origin_unit = int(people.unit[i])
            key = int(people.key[i])
            if options:
                p = options[draws.smallest(pair_key(key, np.array(options, np.uint64)), salt=1)]
                personnel.move(i, p, m, Event.ROTATION_OUT)
            else:
                # no vacancy of that rank elsewhere: swap with a holder of an equivalent
                # post in another area, who is transferred into the rotator's post
                partners = self._swap_partners(r, area)
                if not len(partners):
                    continue
                j = int(partners[draws.smallest(pair_key(key, people.key[partners]), salt=2)])
                p, p_old = int(people.post[j]), int(people.post[i])
                personnel.leave_post(j)
                personnel.move(i, p, m, Event.ROTATION_OUT)
                personnel.move(j, p_old, m, Event.TRANSFER)
                self.model.flows["transfers"] += 1
            people.rot_end[i] = m + rot.length_months
            people.rot_origin_unit[i] = origin_unit
            people.rotated[i] = True
            self.away.add(i)
            self._returns[m + rot.length_months].append(i)
            self.model.flows["rotations"] += 1
            started += 1

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
            p = self._vacancy_in(r, area, origin)
            if p is None and r != rank:
                r = rank
                p = self._vacancy_in(r, area, origin)
            if p is None:
                self.model.log.person(m, Event.ROTATION_END_IN_PLACE, i)
                continue
            higher = r > rank
            # a return one rank up is a promotion: recorded as one, so events and flows agree
            personnel.move(i, p, m, Event.PROMOTION if higher else Event.ROTATION_RETURN)
            if higher:
                self.model.flows["promotions"] += 1

    def _vacancy_in(self, r: int, area: int, unit) -> int | None:
        org = self.org
        best = None
        for p in sorted(self.model.indices.vacancies[r]):
            if not org.post_active[p] or org.post_holder[p] >= 0 or org.post_kind[p] == SPECIALIST:
                continue
            if unit is not None and int(org.post_unit[p]) == unit.index:
                return p
            if best is None and int(org.post_area[p]) == area:
                best = p
        return best

    def measure(self, m: int) -> dict[str, float]:
        return {"rotations_active": len(self.away)}
