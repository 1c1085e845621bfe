"""Personnel moves: the only code that changes who holds which post.

Every process moves people through :class:`Personnel` — take a post, leave it, move,
transfer, recruit, remove — so the post <-> holder links, the candidate indices, the
vacancy lists and the event log always agree. Processes that keep state about a
person (retirement and exit months, terms, pay, surplus status, rotation) subscribe to
the moves they care about (``on_rank_change``, ``on_take``, ``on_leave``,
``on_release``, ``on_remove``), so this module knows no process.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.core.vocabulary import EXIT_FLOWS, NEVER, PROVINCE_AREA, Event
from sim.world.indices import Indices
from sim.world.org import Org, Unit
from sim.world.people import People


class EventLog(list):
    """One tuple per event: (month, kind, cadre_id, unit id, post kind, rank, detail)."""

    def __init__(self, people: People, org: Org):
        super().__init__()
        self._people = people
        self._org = org

    def person(self, m: int, kind: str, i: int, detail: str = "") -> None:
        people, org = self._people, self._org
        p = int(people.post[i])
        u = int(people.unit[i])
        self.append(
            (
                m,
                kind,
                people.cadre_ids[i],
                org.units[u].uid if u >= 0 else "",
                int(org.post_kind[p]) if p >= 0 else -1,
                int(people.rank[i]),
                detail,
            )
        )

    def organisation(self, m: int, kind: str, unit: str, detail: str) -> None:
        """A restructuring or pipeline step (no cadre)."""
        self.append((m, kind, "", unit, -1, -1, detail))


class Personnel:
    """Moves of people between posts, with the bookkeeping that must go with them."""

    def __init__(self, people: People, org: Org, indices: Indices, log: EventLog, flows: dict[str, float]):
        self.people = people
        self.org = org
        self.idx = indices
        self.log = log
        self.flows = flows
        self.headcount = 0
        # subscribers (processes), called in subscription order
        self.on_rank_change: list[Callable[[int, int, int, int], None]] = []  # (i, old rank, new rank, month)
        self.on_take: list[Callable[[int, int, int, bool, int], None]] = []  # (i, post, post kind, kept, month)
        self.on_leave: list[Callable[[int], None]] = []  # i left its post
        self.on_release: list[Callable[[int], None]] = []  # i is moved or leaves: no longer surplus
        self.on_remove: list[Callable[[int], None]] = []  # i leaves the payroll

    # ------------------------------------------------------------------ posts
    def leave_post(self, i: int) -> None:
        """Take cadre i out of its post; the post becomes a vacancy if still active."""
        people, org = self.people, self.org
        p = int(people.post[i])
        r = int(people.rank[i])
        u = int(people.unit[i])
        if u >= 0:
            self.idx.discard(i, u, org.units[u].area, r)
        if p >= 0:
            org.post_holder[p] = -1
            if org.post_active[p]:
                self.idx.vacancies[int(org.post_rank[p])].add(p)
        people.post[i] = -1
        for f in self.on_leave:
            f(i)

    def take_post(self, i: int, p: int, m: int, lateral: bool = False) -> None:
        """Put cadre i (holding no post) into vacant post p.

        ``lateral``: a restructuring move to a post of the same rank keeps the time in
        post and the current term.
        """
        people, org = self.people, self.org
        r_new = int(org.post_rank[p])
        r_old = int(people.rank[i])
        if r_new != r_old:
            for f in self.on_rank_change:
                f(i, r_old, r_new, m)
            people.rank[i] = r_new
            people.rank_since[i] = m
        keep = lateral and r_new == r_old
        u = int(org.post_unit[p])
        kind = int(org.post_kind[p])
        people.post[i] = p
        people.unit[i] = u
        if not keep:
            people.post_since[i] = m
        org.post_holder[p] = i
        self.idx.vacancies[r_new].discard(p)
        self.idx.add(i, u, org.units[u].area, r_new)
        for f in self.on_take:
            f(i, p, kind, keep, m)

    def move(self, i: int, p: int, m: int, kind: str, detail: str = "") -> None:
        """Move cadre i from its post (if any) into vacant post p, recording an event."""
        for f in self.on_release:
            f(i)
        self.leave_post(i)
        self.take_post(i, p, m)
        self.log.person(m, kind, i, detail)

    def transfer(self, i: int, p: int, m: int) -> None:
        """Move cadre i to vacant post p at the same rank (điều động)."""
        for f in self.on_release:
            f(i)
        self.leave_post(i)
        self.take_post(i, p, m)
        self.flows["transfers"] += 1
        self.log.person(m, Event.TRANSFER, i)

    def reattach(self, i: int, dest: Unit) -> None:
        """Cadre i (and the post it holds) now belongs to unit ``dest``."""
        people, org = self.people, self.org
        r = int(people.rank[i])
        old = int(people.unit[i])
        self.idx.discard(i, old, int(org.units[old].area), r)
        people.unit[i] = dest.index
        self.idx.add(i, dest.index, dest.area, r)

    def remove(self, i: int, kind: str, m: int, detail: str = "") -> None:
        """Cadre i leaves the payroll (retirement, other exit, early retirement, ...)."""
        self.log.person(m, kind, i, detail)
        for f in self.on_remove:
            f(i)
        self.leave_post(i)
        self.people.active[i] = False
        self.headcount -= 1
        self.flows["exits"] += 1
        self.flows[EXIT_FLOWS[kind]] += 1

    # ------------------------------------------------------------------ look-ups
    def find_vacancy(self, r: int, area: int, province_only: bool = False) -> int | None:
        """A vacant post of rank r: in ``area`` first, then anywhere (or the province only)."""
        org = self.org
        fallback = None
        for p in sorted(self.idx.vacancies[r]):
            if org.post_holder[p] >= 0 or not org.post_active[p]:
                continue
            a = int(org.post_area[p])
            if a == area:
                return p
            if fallback is None and (not province_only or a == PROVINCE_AREA):
                fallback = p
        return None if province_only and area != PROVINCE_AREA and fallback is None else fallback

    def holders_of(self, units: list[Unit]) -> set[int]:
        """Cadres holding an active post in ``units``."""
        org = self.org
        out: set[int] = set()
        for u in units:
            for p in u.posts:
                h = int(org.post_holder[p])
                if h >= 0 and org.post_active[p]:
                    out.add(h)
        return out


__all__ = ["EventLog", "NEVER", "Personnel"]
