"""Indices that keep the monthly loop proportional to what happens in the month:
month queues (who is due when), candidates by (unit, rank) and (area, rank), and vacant
posts by rank."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict

import numpy as np

from sim.core.vocabulary import N_RANKS


def groups(keys: np.ndarray, idx: np.ndarray) -> list[tuple[int, list[int]]]:
    """(key, the idx with that key in their order) per distinct key, keys in order of
    first appearance: the same insertions as a loop over (key, idx) pairs, in bulk."""
    if not len(keys):
        return []
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    ends = np.append(starts[1:], len(keys)).tolist()
    members = idx[order].tolist()
    key_list = sorted_keys[starts].tolist()
    starts_list = starts.tolist()
    first_seen = np.argsort(order[starts], kind="stable").tolist()
    return [(key_list[g], members[starts_list[g] : ends[g]]) for g in first_seen]


class MonthQueue:
    """Cadre indices due in each month (statutory retirement, other exit, term end).

    The starting population is added in bulk and kept as one list sorted by month
    (stable, so in index order within a month); later additions go to per-month lists.
    ``pop(month)`` gives the bulk entries of the month, then the later ones in the order
    they were added: the same as appending everyone to per-month lists, without a
    Python list for each of the hundreds of months the starting cadres fall in.
    """

    def __init__(self):
        self._bulk_months: list[int] = []
        self._bulk_idx: list[int] = []
        self._later: dict[int, list[int]] = defaultdict(list)

    def add_bulk(self, months: np.ndarray, idx: np.ndarray) -> None:
        if self._bulk_months or self._later:
            raise RuntimeError("bulk entries must come first, and only once")
        order = np.argsort(months, kind="stable")
        self._bulk_months = months[order].tolist()
        self._bulk_idx = idx[order].tolist()

    def append(self, month: int, i: int) -> None:
        self._later[month].append(i)

    def pop(self, month: int) -> list[int]:
        a = bisect_left(self._bulk_months, month)
        b = bisect_right(self._bulk_months, month, lo=a)
        later = self._later.pop(month, None)
        due = self._bulk_idx[a:b]
        return due + later if later else due


class Indices:
    """Who is where: cadres by (unit, rank) and by (area, rank); vacant posts by rank.

    Kept up to date by :class:`~sim.world.personnel.Personnel` on every move, so a
    vacancy's candidates are found without scanning the population.
    """

    def __init__(self):
        self.by_unit_rank: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.by_area_rank: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.vacancies: list[set[int]] = [set() for _ in range(N_RANKS)]

    def add_bulk(self, units: np.ndarray, areas: np.ndarray, ranks: np.ndarray, idx: np.ndarray) -> None:
        """Index many cadres at once (each set's elements added in idx order)."""
        for index, a in ((self.by_unit_rank, units), (self.by_area_rank, areas)):
            for key, group in groups(a.astype(np.int64) * 8 + ranks, idx):
                index[(key >> 3, key & 7)].update(group)

    def add(self, i: int, unit: int, area: int, rank: int) -> None:
        self.by_unit_rank[(unit, rank)].add(i)
        self.by_area_rank[(area, rank)].add(i)

    def discard(self, i: int, unit: int, area: int, rank: int) -> None:
        self.by_unit_rank[(unit, rank)].discard(i)
        self.by_area_rank[(area, rank)].discard(i)
