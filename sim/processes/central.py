"""Moves between the province and the central level (Regulation 65-QĐ/TW, 2022, art.
1.4: rotation to and from the central level; ``policy.central``, estimates).

* **to the centre** (event ``to_central``): each month, each holder of a provincial
  leadership post (rank ``min_rank`` and above) with a full term of service left is
  promoted or rotated to a central post with the monthly equivalent of
  ``to_central_per_year`` (a keyed draw on the cadre and month); the post opens a
  vacancy chain in the province. Thái Bình's Party secretary went in May 2020.
* **from the centre** (event ``from_central``): a vacancy of rank ``min_rank`` and above
  is filled by a central cadre rotated into the province with probability
  ``from_central_share``, decided once when the vacancy is first seen (a keyed draw on
  the post and that month), before the province's own candidates are looked at. The
  cadre is of an age in ``from_central_age``, from outside the province (home -1),
  counts as rotated, and returns to the centre after ``from_central_months`` (event
  ``to_central``) unless it has left before.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import NormalDist

import numpy as np

from sim.core.vocabulary import LEADER_KINDS, Event
from sim.engine.streams import mix64, pair_key
from sim.processes.base import Process

_STD_NORMAL = NormalDist()
CENTRAL_KEY_BIT = 1 << 62  # central cadres' identity keys (recruits use bit 63)


class Central(Process):
    name = "central"
    stream = "central"
    hooks = {"exits": "to_centre", "vacancies": "from_centre"}

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.central
        self.monthly = 1.0 - (1.0 - self.pars.to_central_per_year) ** (1.0 / 12.0)
        self._posts = None  # (org version, top leader posts)
        self._decided: set[int] = set()  # vacant top posts whose vacancy was decided
        self._returns: dict[int, list[int]] = defaultdict(list)  # month -> central cadres going back
        self.central_until: dict[int, int] = {}  # central cadre -> month it goes back

    def setup(self) -> None:
        model = self.model
        self.people = model.people
        self.org = model.org
        model.personnel.on_take.append(self._taken)
        model.personnel.on_remove.append(lambda i: self.central_until.pop(i, None))

    def _taken(self, i: int, p: int, kind: int, kept: bool, m: int) -> None:
        self._decided.discard(p)

    def _top_posts(self) -> np.ndarray:
        org = self.org
        cache = self._posts
        if cache is None or cache[0] != org.version:
            n = org.n_posts
            ids = np.flatnonzero(org.post_active[:n] & (org.post_rank[:n] >= self.pars.min_rank) & np.isin(org.post_kind[:n], LEADER_KINDS))
            cache = self._posts = (org.version, ids)
        return cache[1]

    def to_centre(self, m: int) -> None:
        """This month's promotions and returns to the centre."""
        people, remove = self.people, self.model.personnel.remove
        for i in self._returns.pop(m, ()):
            if people.active[i] and self.central_until.get(i) == m:
                remove(i, Event.TO_CENTRAL, m, detail="back to the centre at the end of the rotation")
        if self.monthly <= 0.0:
            return
        h = self.org.post_holder[self._top_posts()]
        h = h[h >= 0]
        if not len(h):
            return
        left_ok = people.ret[h] >= m + self.model.policy.appointment.min_months_left
        h = h[left_ok & np.array([i not in self.central_until for i in h.tolist()], bool)]
        if not len(h):
            return
        u = self.draws.uniform(people.key[h], salt=0)
        for i in h[u < self.monthly].tolist():
            remove(i, Event.TO_CENTRAL, m, detail="promoted or rotated to a central post")

    def from_centre(self, m: int) -> None:
        """Vacant top posts seen for the first time: some go to a central cadre."""
        pars, org = self.pars, self.org
        if pars.from_central_share <= 0.0:
            return
        vacancies = self.model.indices.vacancies
        surplus = self.model.transition.unit_surplus
        for r in range(pars.min_rank, len(vacancies)):
            for p in sorted(vacancies[r]):
                if p in self._decided or org.post_holder[p] >= 0 or not org.post_active[p] or org.post_kind[p] not in LEADER_KINDS:
                    continue
                if surplus.get(int(org.post_unit[p])):
                    continue  # kept for the unit's surplus leaders (sim/processes/transition.py)
                self._decided.add(p)
                if self.draws.uniform1(p, salt=1) < pars.from_central_share:
                    self._rotate_in(p, m)

    def _rotate_in(self, p: int, m: int) -> None:
        pars, org = self.pars, self.org
        model = self.model
        key = mix64(pair_key(m, p)) & (CENTRAL_KEY_BIT - 1) | CENTRAL_KEY_BIT
        u_female, u_age, u_comp, u_budget = self.draws.uniforms1(key, 4)
        r = int(org.post_rank[p])
        lo, hi = pars.from_central_age
        age = lo * 12 + min(int(u_age * ((hi - lo) * 12 + 1)), (hi - lo) * 12)
        women = model.cfg.org.population.women_share_by_rank[r]
        competence = _STD_NORMAL.inv_cdf(u_comp)
        i = model.recruitment.new_cadre(p, m, key, u_female < women, m - age, -1, competence, -np.log(u_budget), f"C{m // 12}{m % 12 + 1:02d}")
        model.people.rotated[i] = True
        back = m + pars.from_central_months
        self.central_until[i] = back
        self._returns[back].append(i)
        model.flows["from_central"] += 1
        model.log.person(m, Event.FROM_CENTRAL, i, "a central cadre rotated into the province")
