"""Appointment terms of leaders (heads and deputies): 5 years (Regulation 105-QĐ/TW,
2017). At a term's end the leader is re-appointed; with under 5 years left the new term
runs to retirement, with under 2 years the post is extended to retirement (Decree
115/2020). Heads count consecutive terms; the heads of the posts the law lists (the
org's ``head_term_limited`` flag: Regulation 65-QĐ/TW, 2022, art. 4, and Regulation
98-QĐ/TW, 2017, before it) are moved by the term-limit process at the limit.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from sim.core.vocabulary import HEAD, LEADER_KINDS, NEVER
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

    def start_term(self, i: int, appointed: int) -> None:
        """Schedule the end of the current appointment term.

        For an appointment made before the current month, the current term is the one
        that contains it. A term never runs past retirement.
        """
        t = self.term_months
        end = appointed + t * ((self.model.month - appointed) // t + 1)
        end = term_end(end - t, int(self.people.ret[i]), t)
        self.people.term_end[i] = end
        self.due[end].append(i)

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
            kind, new_end = reappointment(m, int(people.ret[i]), self.term_months)
            p = int(people.post[i])
            if org.post_kind[p] == HEAD:
                people.head_terms[i] += 1
                limited = self.limit.enabled and org.post_term_limited[p]
                if limited and people.head_terms[i] >= self.limit.max_consecutive_terms:
                    model.term_limit.enforce(i, m)
                    if people.post[i] >= 0 and people.term_end[i] != NEVER and people.term_end[i] > m:
                        continue  # moved: a new term has started in the new post
            if new_end > m:
                people.term_end[i] = new_end
                self.due[new_end].append(i)
            model.log.person(m, kind, i)
