"""Recruitment at entry rank: the end of every vacancy chain.

A recruit's sex, age, home district, competence and exit-hazard draw come from the
month's recruitment stream in batches, so the n-th recruit of a month gets the same
draws in every scenario (``policy.recruitment``: women share, age range; estimates).
"""

from __future__ import annotations

from sim.core.vocabulary import PROVINCE_AREA, Event
from sim.processes.base import Process

BATCH = 256  # draws per batch (a performance choice; the draws do not depend on it)


class Recruitment(Process):
    name = "recruitment"
    stream = "recruitment"

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.recruitment
        self._buf = None
        self._buf_month = None
        self._pos = 0

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org

    def _next_draws(self) -> tuple[bool, int, float, float, float]:
        """The next recruit's (female, age in months, home draw, competence, hazard budget)."""
        buf = self._buf
        if buf is None or self._pos >= len(buf[0]) or self._buf_month != self.model.month:
            self._buf_month = self.model.month
            rng, rc = self.rng, self.pars
            buf = self._buf = (
                (rng.random(BATCH) < rc.women_share).tolist(),
                rng.integers(rc.age_min * 12, rc.age_max * 12 + 1, BATCH).tolist(),
                rng.random(BATCH).tolist(),
                rng.normal(0.0, 1.0, BATCH).tolist(),
                rng.exponential(1.0, BATCH).tolist(),
            )
            self._pos = 0
        j = self._pos
        self._pos += 1
        return buf[0][j], buf[1][j], buf[2][j], buf[3][j], buf[4][j]

    def recruit(self, p: int, m: int) -> int:
        """A new cadre enters at post p (an entry-level post); returns its index."""
        model, org, people = self.model, self.org, self.people
        i = people.n
        if i >= people.cap:
            people.alloc(i + 1)
        female, age, home_draw, competence, budget = self._next_draws()
        area = int(org.post_area[p])
        n_d = len(org.district_codes)
        home = area if area != PROVINCE_AREA or not n_d else 1 + int(home_draw * n_d)
        birth = m - age
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
        model.exits.admit_recruit(i, m, birth, female, r, budget)
        people.n = i + 1
        people.cadre_ids.append(f"R{m // 12}{m % 12 + 1:02d}-{i:05d}")
        model.agents_admitted(i)
        people.rank_since[i] = m
        personnel = model.personnel
        personnel.take_post(i, p, m)
        personnel.headcount += 1
        model.flows["recruits"] += 1
        model.log.person(m, Event.RECRUITMENT, i)
        return i
