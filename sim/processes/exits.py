"""Leaving the payroll: statutory retirement in the exact month, and other exits.

* Retirement: at the end of the month in which the statutory age is reached (Labour
  Code 2019 art. 169; Decree 135/2020 arts. 3-4: retirement takes effect at the end of
  that month's last day, the pension from the 1st of the next), so the cadre works the
  retirement month and leaves the payroll at the start of the next; or the extended age for senior leaders when
  ``policy.senior_extension`` is on (Decree 83/2022). Known when a cadre is created, so
  it is queued, not searched for.
* Other exits (quits, deaths, moves out of the province): an annual hazard by age band
  and rank (``policy.exits``, estimate), drawn as a waiting time: each cadre gets an
  exponential hazard budget once, and leaves in the month the cumulative hazard
  exceeds it; a rank change keeps the unused budget (memoryless), so no redraw.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import numpy as np

from sim.core.vocabulary import NEVER, Event
from sim.processes.base import InvariantError, Process
from sim.rules.exits import MAX_AGE_MONTHS, cumulative_hazard_table
from sim.rules.retirement import extended_retirement_index, retirement_index, retirement_month_index
from sim.world.indices import MonthQueue
from sim.world.roster import MIN_AGE_MONTHS


@lru_cache(maxsize=4096)
def _retirement_index_cached(birth: int, female: bool, rule: str) -> int:
    return retirement_index(birth, female, rule)


@lru_cache(maxsize=16)
def hazard_tables(
    band_lower_ages: tuple[int, ...], annual_rates: tuple[float, ...], rank_multipliers: tuple[float, ...]
) -> tuple[np.ndarray, tuple[tuple[float, ...], ...]]:
    """The cumulative exit-hazard table (read-only) and its rows as tuples of floats.

    The tuples serve the one-cadre look-ups (a recruit, a promotion), where ``bisect``
    on a tuple is much cheaper than ``np.searchsorted`` on a scalar and gives the same
    index (the rows are non-decreasing).
    """
    cum = cumulative_hazard_table(list(band_lower_ages), list(annual_rates), list(rank_multipliers))
    cum.flags.writeable = False
    return cum, tuple(tuple(row.tolist()) for row in cum)


class Exits(Process):
    name = "exits"
    stream = "exits"
    columns = {
        "ret": (np.int64, NEVER),  # month of statutory retirement
        "haz_target": (np.float64, 0.0),  # cumulative hazard at which the cadre leaves
        "exit_month": (np.int64, NEVER),  # month of another exit (NEVER: retires first)
    }
    hooks = {"exits": "month"}

    def __init__(self, model):
        super().__init__(model)
        pol = model.policy
        self.rule = pol.retirement_rule
        self.extension = pol.senior_extension
        ex = pol.exits
        self.cum_haz, self.cum_haz_rows = hazard_tables(
            tuple(ex.band_lower_ages), tuple(ex.annual_rates), tuple(ex.rank_multipliers)
        )
        self.retirements = MonthQueue()
        self.others = MonthQueue()

    def setup(self) -> None:
        self.people = self.model.people
        self.personnel = self.model.personnel
        self.personnel.on_rank_change.append(self.rank_changed)

    def admit(self, idx: np.ndarray, pop) -> None:
        people = self.people
        rank = people.rank[idx].astype(np.int64)
        ret = retirement_month_index(pop.birth, pop.female, self.rule)
        if self.extension.enabled:
            senior = rank >= self.extension.min_rank
            ret = np.where(senior, extended_retirement_index(pop.birth, pop.female, ret), ret)
        people.ret[idx] = ret
        budget = self.rng.exponential(1.0, len(idx))
        start = self.model.start
        age = np.clip(start - pop.birth, 0, MAX_AGE_MONTHS)
        target = self.cum_haz[rank, age] + budget
        people.haz_target[idx] = target
        exit_age = np.empty(len(idx), np.int64)
        for r in np.unique(rank):
            sel = rank == r
            exit_age[sel] = np.searchsorted(self.cum_haz[r], target[sel], side="left")
        exit_month = np.maximum(pop.birth + exit_age, start)
        people.exit_month[idx] = np.where(exit_month < ret, exit_month, NEVER)
        self.retirements.add_bulk(people.ret[idx], idx)
        em = people.exit_month[idx]
        has_exit = em != NEVER
        self.others.add_bulk(em[has_exit], idx[has_exit])

    def admit_recruit(self, i: int, m: int, birth: int, female: bool, rank: int, budget: float) -> None:
        """Retirement and exit months of a recruit (``budget``: its hazard draw)."""
        people = self.people
        ret = _retirement_index_cached(birth, female, self.rule)
        row = self.cum_haz_rows[rank]
        target = row[min(m - birth, MAX_AGE_MONTHS)] + budget
        em = max(birth + bisect_left(row, target), m + 1)  # = np.searchsorted(..., side="left")
        exit_month = em if em < ret else NEVER
        people.ret[i] = ret
        people.haz_target[i] = target
        people.exit_month[i] = exit_month
        self.retirements.append(ret, i)
        if exit_month != NEVER:
            self.others.append(exit_month, i)

    def month(self, m: int) -> None:
        people, remove = self.people, self.personnel.remove
        for i in self.retirements.pop(m - 1):  # they worked their retirement month (Decree 135/2020 art. 3)
            if people.active[i] and people.ret[i] == m - 1:
                remove(i, Event.RETIREMENT, m)
        for i in self.others.pop(m):
            if people.active[i] and people.exit_month[i] == m:
                remove(i, Event.EXIT, m)

    def rank_changed(self, i: int, r_old: int, r_new: int, m: int) -> None:
        """Keep the unused hazard budget across a rank change (memoryless exits); a
        promotion into a senior post may extend the retirement age (Decree 83/2022)."""
        people = self.people
        birth = int(people.birth[i])
        age = min(max(m - birth, 0), MAX_AGE_MONTHS)
        rows = self.cum_haz_rows
        remaining = float(people.haz_target[i]) - rows[r_old][age]
        target = rows[r_new][age] + remaining
        people.haz_target[i] = target
        exit_age = bisect_left(rows[r_new], target)  # = np.searchsorted(..., side="left")
        em = max(birth + exit_age, m + 1)
        em = em if em < people.ret[i] else NEVER
        if em != people.exit_month[i]:
            people.exit_month[i] = em
            if em != NEVER:
                self.others.append(em, i)
        ext = self.extension
        if ext.enabled and r_new >= ext.min_rank:
            new_ret = int(extended_retirement_index(people.birth[i], people.female[i], people.ret[i]))
            if new_ret != people.ret[i]:
                people.ret[i] = new_ret
                self.retirements.append(new_ret, i)

    def check(self) -> None:
        """Every cadre in service is at least 16 and before the statutory retirement
        month (or, under the senior extension, at most the extended one)."""
        people = self.people
        act = people.active_rows()
        if not len(act):
            return
        m = self.model.month  # checked after a step: the month just simulated is m - 1
        late = act[people.ret[act] < m - 1]
        if len(late):
            raise InvariantError(f"{len(late)} cadres still serve after their retirement month (month {m - 1})")
        birth, female = people.birth[act], people.female[act]
        statutory = retirement_month_index(birth, female, self.rule)
        ret = people.ret[act]
        if self.extension.enabled:
            bad = (ret < statutory) | (ret > extended_retirement_index(birth, female, statutory))
        else:
            bad = ret != statutory
        if np.any(bad):
            i = int(act[np.flatnonzero(bad)[0]])
            raise InvariantError(f"cadre {people.cadre_ids[i]}'s retirement month is not the statutory one")
        young = (m - 1) - birth < MIN_AGE_MONTHS
        if np.any(young):
            i = int(act[np.flatnonzero(young)[0]])
            raise InvariantError(f"cadre {people.cadre_ids[i]} is younger than 16")
