"""The two-term limit (Regulation 98-QĐ/TW, 2017; Regulation 65-QĐ/TW, 2022, art. 4): the
head of a listed post (the org's ``head_term_limited`` flag: Party secretary, People's
Committee chair, heads of inspection and finance) who completes
``max_consecutive_terms`` consecutive terms in the post moves to an
equivalent post — a vacant post of the same rank in another unit, else a swap with the
holder of one. A move to another area is a rule rotation and needs five years of
service left (``policy.rotation.min_months_left_other``, Reg. 98 art. 5); with less,
the head moves within the same area. A provincial leader (``policy.central.min_rank``
and up) for whom the province has no equivalent post moves to the centre (event
``to_central``, Regulation 65-QĐ/TW art. 1.4). Called by the terms process at a term's end.
"""

from __future__ import annotations

import numpy as np

from sim.core.vocabulary import DEPUTY, HEAD, SPECIALIST, Event
from sim.processes.base import Process
from sim.rules import rotation as rotation_rules


class TermLimit(Process):
    name = "term_limit"

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org
        self.personnel = self.model.personnel
        self.min_months_far = self.model.policy.rotation.min_months_left_other

    def enforce(self, i: int, m: int) -> None:
        org, people, personnel = self.org, self.people, self.personnel
        p_old = int(people.post[i])
        r = int(people.rank[i])
        area = int(org.post_area[p_old])
        u = int(org.post_unit[p_old])
        months_left = np.array([int(people.ret[i]) - m])
        far_ok = bool(rotation_rules.eligible_for_rule_move(months_left, self.min_months_far)[0])
        fallback = None
        may = self.model.vacancies.may_take  # the units' rules (Women's and Youth Union leaders)
        for p in sorted(self.model.indices.vacancies[r]):
            if not org.post_active[p] or org.post_holder[p] >= 0 or int(org.post_unit[p]) == u or org.post_kind[p] == SPECIALIST:
                continue
            if not may(i, p, m):
                continue
            if int(org.post_area[p]) == area:
                fallback = p
                break
            if fallback is None and far_ok:
                fallback = p
        if fallback is not None:
            personnel.move(i, fallback, m, Event.TERM_LIMIT_MOVE)
            return
        # swap with a head or deputy of the same rank elsewhere (same area first)
        by_area_rank = self.model.indices.by_area_rank

        def holders(areas) -> list[int]:
            return sorted(
                j
                for a in areas
                for j in by_area_rank.get((a, r), ())
                if people.post[j] >= 0 and int(people.unit[j]) != u and org.post_kind[people.post[j]] in (HEAD, DEPUTY)
                and may(i, int(people.post[j]), m) and may(j, p_old, m)
            )

        partners = holders([area])
        if not partners and far_ok:
            partners = holders(a for a in range(len(org.area_codes)) if a != area)
        if not partners:
            if r >= self.model.central.pars.min_rank and self.model.central.pars.to_central_per_year > 0:
                # no equivalent post in the province (its top posts): a move to the centre
                personnel.remove(i, Event.TO_CENTRAL, m, detail="two-term limit: moved to a central post")
                return
            self.model.log.person(m, Event.TERM_LIMIT_NO_POST, i)
            return
        j = partners[0]
        p_j = int(people.post[j])
        personnel.leave_post(j)
        personnel.move(i, p_j, m, Event.TERM_LIMIT_MOVE)
        personnel.move(j, p_old, m, Event.TERM_LIMIT_SWAP)
