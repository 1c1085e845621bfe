"""Recruitment at entry rank: the end of every vacancy chain.

A recruit's sex, age, home district, competence and exit-hazard draw are keyed draws
of the recruitment stream on the month and the post filled, so the recruit into a
given post in a given month is the same person in every scenario, however many other
recruits that month brings (``policy.recruitment``: women share, age range; estimates).
"""

from __future__ import annotations

import math
from statistics import NormalDist

from sim.core.vocabulary import PROVINCE_AREA, Event
from sim.engine.streams import mix64, pair_key
from sim.processes.base import Process

_STD_NORMAL = NormalDist()
RECRUIT_KEY_BIT = 1 << 63  # recruits' identity keys have the top bit set; starting cadres' keys are row indices


def recruit_key(m: int, p: int) -> int:
    """The identity key of the cadre recruited into post p in month m."""
    return mix64(pair_key(m, p)) | RECRUIT_KEY_BIT


class Recruitment(Process):
    name = "recruitment"
    stream = "recruitment"

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.recruitment

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org

    def _draws_for(self, key: int) -> tuple[bool, int, float, float, float]:
        """The recruit's (female, age in months, home draw, competence, hazard budget)."""
        rc = self.pars
        u_female, u_age, u_home, u_competence, u_budget = self.draws.uniforms1(key, 5)
        lo, n_ages = rc.age_min * 12, (rc.age_max - rc.age_min) * 12 + 1
        age = lo + min(int(u_age * n_ages), n_ages - 1)
        return u_female < rc.women_share, age, u_home, _STD_NORMAL.inv_cdf(u_competence), -math.log(u_budget)

    def recruit(self, p: int, m: int) -> int | None:
        """A new cadre enters at post p (an entry-level post); returns its index (None:
        the post's unit is at or above its staffing norm and recruits no one,
        sim/processes/rebalance.py)."""
        model, org = self.model, self.org
        if model.rebalance.frozen(p):
            return None
        key = recruit_key(m, p)
        female, age, home_draw, competence, budget = self._draws_for(key)
        area = int(org.post_area[p])
        n_d = len(org.district_codes)
        home = area if area != PROVINCE_AREA or not n_d else 1 + min(int(home_draw * n_d), n_d - 1)
        i = self.new_cadre(p, m, key, female, m - age, home, competence, budget, f"R{m // 12}{m % 12 + 1:02d}")
        model.flows["recruits"] += 1
        model.log.person(m, Event.RECRUITMENT, i)
        return i

    def new_cadre(self, p: int, m: int, key: int, female: bool, birth: int, home: int, competence: float, budget: float, prefix: str) -> int:
        """A cadre from outside the payroll takes post p in month m (a recruit, or a
        central cadre rotated in); returns its index. The caller records the event."""
        model, org, people = self.model, self.org, self.people
        i = people.n
        if i >= people.cap:
            people.alloc(i + 1)
        r = int(org.post_rank[p])
        people.birth[i] = birth
        people.female[i] = female
        people.home[i] = home
        people.entry[i] = m
        people.competence[i] = competence
        people.rank[i] = r
        people.post[i] = -1
        people.unit[i] = -1
        people.active[i] = True
        people.key[i] = key
        model.exits.admit_recruit(i, m, birth, female, r, budget)
        people.n = i + 1
        people.cadre_ids.append(f"{prefix}-{i:05d}")
        model.agents_admitted(i)
        people.rank_since[i] = m
        personnel = model.personnel
        personnel.take_post(i, p, m)
        personnel.headcount += 1
        return i
