"""Terms of leaders (heads and deputies). Appointed posts: 5 years from the
appointment (Regulation 105-QĐ/TW, 2017). Elected posts follow their cycle (the unit's
``term_cycle``): Party posts end at the next congress of their level (Party Charter art.
15), People's Council and Committee posts at the next People's Council election (Law on
the Organisation of Local Government, 2015). At a term's end the leader is re-appointed
or re-elected; with under 5 years left the new term runs to retirement, with under 2
years the post is extended to retirement (Decree 115/2020). A part term of an elected
post counts towards the term limit when it lasted at least half a cycle (estimate). Heads count consecutive terms; the heads of the posts the law lists (the
org's ``head_term_limited`` flag: Regulation 65-QĐ/TW, 2022, art. 4, and Regulation
98-QĐ/TW, 2017, before it) are moved by the term-limit process at the limit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

import numpy as np

from sim.core.calendar import every
from sim.core.vocabulary import HEAD, LEADER_KINDS, NEVER, PROVINCE_AREA
from sim.processes.base import Process
from sim.rules.eligibility import reappointment, term_end


class Terms(Process):
    name = "terms"
    columns = {
        "head_terms": (np.int16, 0),  # consecutive terms completed in the current head post
        "term_end": (np.int64, NEVER),  # month the current term ends (NEVER: no term)
    }
    hooks = {"term_ends": "month"}

    def __init__(self, model):
        super().__init__(model)
        self.term_months = model.policy.appointment.term_months
        self.limit = model.policy.term_limit
        self.due: dict[int, list[int]] = defaultdict(list)  # month -> leaders whose term ends
        pol, horizon = model.policy, model.end + 12 * 10  # cycles reach past the end of the run
        c, e = pol.congress, pol.elections
        # (cycle, province?) -> the months its terms end
        self.cycle_months: dict[tuple[str, bool], list[int]] = {
            ("congress", True): every(c.province_months, c.period_years, horizon),
            ("congress", False): every(c.district_months, c.period_years, horizon),
            ("election", True): every(e.months, e.period_years, horizon),
            ("election", False): every(e.months, e.period_years, horizon),
        }
        self.cycle_of_post: dict[int, str] = {}  # post -> its cycle, for elected posts (memo)

    def setup(self) -> None:
        self.people = self.model.people
        personnel = self.model.personnel
        personnel.on_take.append(self.took_post)
        personnel.on_leave.append(self.left_post)

    def admit(self, idx: np.ndarray, pop) -> None:
        org = self.model.org
        self.people.head_terms[idx] = pop.head_terms
        leader = np.isin(org.post_kind[pop.post], LEADER_KINDS)
        for i, since in zip(idx[leader].tolist(), pop.post_since[leader].tolist()):
            self.start_term(i, since)

    def cycle(self, p: int) -> str:
        """The term cycle of post p ("appointment", "congress" or "election")."""
        c = self.cycle_of_post.get(p)
        if c is None:
            unit = self.model.org.units[int(self.model.org.post_unit[p])]
            c = self.cycle_of_post[p] = unit.spec.term_cycle if unit.spec is not None else "appointment"
        return c

    def start_term(self, i: int, appointed: int) -> None:
        """Schedule the end of the current term.

        Appointed posts: for an appointment made before the current month, the current
        term is the one that contains it. Elected posts: the next month of the cycle.
        A term never runs past retirement.
        """
        people = self.people
        p = int(people.post[i])
        cycle = self.cycle(p) if p >= 0 else "appointment"
        if cycle == "appointment":
            t = self.term_months
            end = appointed + t * ((self.model.month - appointed) // t + 1)
            end = term_end(end - t, int(people.ret[i]), t)
        else:
            end = min(self.next_cycle_end(p, cycle, max(appointed, self.model.month)), int(people.ret[i]))
        people.term_end[i] = end
        self.due[end].append(i)

    def next_cycle_end(self, p: int, cycle: str, after: int) -> int:
        months = self.cycle_months[(cycle, int(self.model.org.post_area[p]) == PROVINCE_AREA)]
        k = bisect_right(months, after)
        return months[k] if k < len(months) else NEVER

    def took_post(self, i: int, p: int, kind: int, kept: bool, m: int) -> None:
        if kind in LEADER_KINDS:
            if not kept:
                self.people.head_terms[i] = 0
                self.start_term(i, m)
            elif self.people.term_end[i] == NEVER:
                self.start_term(i, int(self.people.post_since[i]))

    def left_post(self, i: int) -> None:
        self.people.term_end[i] = NEVER

    def month(self, m: int) -> None:
        people, model = self.people, self.model
        org = model.org
        for i in self.due.pop(m, ()):
            if not people.active[i] or people.term_end[i] != m or people.post[i] < 0:
                continue
            p = int(people.post[i])
            cycle = self.cycle(p)
            kind, new_end = reappointment(m, int(people.ret[i]), self.term_months)
            if cycle != "appointment" and new_end > m:
                new_end = min(new_end, self.next_cycle_end(p, cycle, m), int(people.ret[i]))
            if org.post_kind[p] == HEAD:
                # a part term of an elected post counts when it lasted half a cycle (estimate)
                part = cycle != "appointment" and m - int(people.post_since[i]) < self.term_months // 2 and people.head_terms[i] == 0
                people.head_terms[i] += 0 if part else 1
                limited = self.limit.enabled and org.post_term_limited[p]
                if limited and people.head_terms[i] >= self.limit.max_consecutive_terms:
                    model.term_limit.enforce(i, m)
                    if people.post[i] >= 0 and people.term_end[i] != NEVER and people.term_end[i] > m:
                        continue  # moved: a new term has started in the new post
            if new_end > m:
                people.term_end[i] = new_end
                self.due[new_end].append(i)
            model.log.person(m, kind, i)
