"""Filling vacancies, top down: each promotion opens a vacancy one rank below (a vacancy
chain) that ends in recruitment at entry rank.

Each month, vacancies are visited from the top rank down, in post order, with one draw
each against the fill probability of the post's kind (``policy.vacancy``, estimate: not
every vacancy is filled at once). A vacancy in a unit with surplus leaders of that rank
goes to one of them (kept without replacement); a vacated staff post may be abolished
by the payroll cut. Otherwise the post goes to a candidate one rank below:

* eligible: a full term of working age left and the minimum time in post
  (Regulation 105-QĐ/TW; Guidance 06-HD/BTCTW, 2021);
* key posts draw on their succession pool first (a vacancy without a ready pool
  candidate is a succession gap);
* candidates are looked for nearest first: the same unit, the same area, then (for
  provincial leaders, and for non-local-rule posts) the whole province, with the
  non-local rule (Regulation 98-QĐ/TW) applied as ``policy.non_local.strictness`` says;
* only candidates who meet the unit's rules (the org file's ``leader_sex`` and
  first-appointment age caps: the Women's Union, Decision 289-QĐ/TW for the Youth
  Union) are considered, at every scope, pool included;
* the choice follows ``policy.selection.rule`` (sim/rules/selection.py), with a bonus for
  rotation experience (``policy.rotation.experience_bonus``, plus
  ``key_post_experience_bonus`` for a key post).
"""

from __future__ import annotations

import numpy as np

from sim.core.vocabulary import N_RANKS, NEVER, PROVINCIAL_LEADER_RANK, SPECIALIST, Event
from sim.processes.base import Process
from sim.rules import selection
from sim.rules.eligibility import tenure_ok
from sim.rules.rotation import non_local_preference


class Vacancies(Process):
    name = "vacancies"
    stream = "vacancy"
    metrics = ("non_local_key_share",)
    hooks = {"vacancies": "fill"}

    def __init__(self, model):
        super().__init__(model)
        pol = model.policy
        pv = pol.vacancy
        # by post kind: head, deputy, division head, division deputy, specialist
        self.fill_probability = (
            pv.fill_probability_leader,
            pv.fill_probability_leader,
            pv.fill_probability_division,
            pv.fill_probability_division,
            pv.fill_probability_entry,
        )
        self.appointment = pol.appointment
        self.selection = pol.selection
        self.strictness = pol.non_local.strictness
        self.experience_bonus = pol.rotation.experience_bonus
        self.key_post_experience_bonus = pol.rotation.key_post_experience_bonus
        self._gap_seen: set[int] = set()  # key posts whose current vacancy was counted as a gap
        self._non_local_cache = None
        self._ruled_cache = None

    def setup(self) -> None:
        model = self.model
        self.people = model.people
        self.org = model.org
        self.indices = model.indices

    def fill(self, m: int) -> None:
        model, org = self.model, self.org
        draw = self.draws.uniform1
        transition, payroll, recruit = model.transition, model.payroll, model.recruitment.recruit
        frozen = model.rebalance.frozen
        move, flows = model.personnel.move, model.flows
        prob_by_kind = self.fill_probability
        cut_target = payroll.cut_target(m)
        step_down = transition.pars.after_deadline == "step_down"
        for r in range(N_RANKS - 1, -1, -1):
            vac = self.indices.vacancies[r]
            if not vac:
                continue
            todo = sorted(vac)
            if not transition.unit_surplus and not (step_down and transition.overdue):
                # only the payroll cut (the first vacancies in post order) or recruitment can
                # take a specialist vacancy now: leave out at once those of units at their
                # staffing norm that the cut does not reach (the loop would skip them one by one)
                arr = np.fromiter(todo, np.int64, len(todo))
                open_staff = (org.post_kind[arr] == SPECIALIST) & org.post_active[arr] & (org.post_holder[arr] < 0)
                if open_staff.any():
                    need = max(int(cut_target - payroll.abolished), 0)
                    if need:
                        open_staff[np.flatnonzero(open_staff)[:need]] = False  # abolished by the cut below
                    skip = open_staff & model.rebalance.frozen_units()[org.post_unit[arr]]
                    if skip.any():
                        todo = arr[~skip].tolist()
            kinds = org.post_kind[todo].tolist()  # a post's kind never changes
            for p, kind in zip(todo, kinds):
                if org.post_holder[p] >= 0 or not org.post_active[p]:
                    vac.discard(p)
                    continue
                if transition.unit_surplus and transition.place(p, m):
                    continue  # kept without replacement: a surplus leader takes the post
                if step_down and transition.overdue and transition.step_down_into(p, m):
                    continue  # past the deadline: a surplus leader of a higher rank steps down into it
                if kind == SPECIALIST and payroll.abolished < cut_target:
                    payroll.abolish(p)
                    vac.discard(p)
                    continue
                if kind == SPECIALIST and frozen(p):
                    continue  # the unit is at or above its staffing norm (sim/processes/rebalance.py)
                if draw(p) >= prob_by_kind[kind]:  # one draw per vacancy, keyed by the post
                    continue
                if kind == SPECIALIST or r == 0:
                    recruit(p, m)
                    continue
                c = self.select_candidate(p, m)
                if c is not None:
                    move(c, p, m, Event.PROMOTION)
                    flows["promotions"] += 1

    # ------------------------------------------------------------------ candidates
    def eligible(self, cands: np.ndarray, m: int) -> np.ndarray:
        """Candidates who may be promoted now: a full term left, and the minimum time in
        the current or an equivalent post (same rank, any unit: Regulation 80-QĐ/TW,
        2022), except at a first appointment from a specialist post."""
        people, ap = self.people, self.appointment
        ok = people.ret[cands] >= m + ap.min_months_left
        ok &= self.tenure_ok_now(cands, m)
        return cands[ok]

    def tenure_ok_now(self, cands: np.ndarray, m: int) -> np.ndarray:
        """:func:`sim.rules.eligibility.tenure_ok` for cadres ``cands`` in month m."""
        people = self.people
        posts = people.post[cands]
        specialist = (posts >= 0) & (self.org.post_kind[np.maximum(posts, 0)] == SPECIALIST)
        return tenure_ok(m - people.rank_since[cands], specialist, self.appointment.min_months_in_post)

    def candidate_scopes(self, p: int, wide: bool = False):
        """Candidate sets for post p, nearest first: same unit, same area, all areas."""
        org, idx = self.org, self.indices
        r = int(org.post_rank[p])
        u = int(org.post_unit[p])
        area = int(org.post_area[p])
        yield idx.by_unit_rank.get((u, r - 1), ())
        yield idx.by_area_rank.get((area, r - 1), ())
        if r >= PROVINCIAL_LEADER_RANK or wide:  # provincial leaders (and non-local posts) from the whole province
            for a in range(len(org.area_codes)):
                if a != area:
                    yield idx.by_area_rank.get((a, r - 1), ())

    def select_candidate(self, p: int, m: int) -> int | None:
        """Choose who fills post p: for a key post the succession pool first, then
        eligible cadres one rank below, nearest scope first (for non-local-rule posts,
        all areas, with the non-local rule applied)."""
        org = self.org
        r = int(org.post_rank[p])
        key = bool(org.post_key[p])
        non_local = bool(org.post_non_local[p]) and self.strictness != "off"
        if key:
            ready = self.meet_unit_rules(self.model.pool.candidates_for(p, m), p, m)
            if non_local and len(ready):
                ready = ready[np.isfinite(self._non_local_bonus(ready, p))]
            if len(ready):
                self._gap_seen.discard(p)
                return self._choose(ready, p, m, non_local)
            if p not in self._gap_seen:
                self._gap_seen.add(p)
                self.model.flows["succession_gaps"] += 1
        found: list[np.ndarray] = []
        for scope in self.candidate_scopes(p, wide=non_local):
            if not scope:
                continue
            c = self.meet_unit_rules(self.eligible(np.fromiter(scope, np.int64, len(scope)), m), p, m)
            if non_local and len(c):
                c = c[np.isfinite(self._non_local_bonus(c, p))]
            if len(c):
                found.append(c)
                if r < PROVINCIAL_LEADER_RANK and not non_local:
                    break
        if not found:
            return None
        cands = np.unique(np.concatenate(found)) if len(found) > 1 else found[0]
        return self._choose(cands, p, m, non_local)

    def meet_unit_rules(self, cands: np.ndarray, p: int, m: int) -> np.ndarray:
        """The candidates who may be appointed to post p under its unit's rules (the org
        file's ``leader_sex``, and the first-appointment age cap, or the in-office cap if
        it is lower): a Women's Union leader is a woman; a Youth Union secretary is at most
        35 at appointment (Decision 289-QĐ/TW). Ages are whole years: "at most 35" allows
        35 years and 11 months."""
        org = self.org
        sex = int(org.post_sex_rule[p])
        below = min(int(org.post_first_age_below[p]), int(org.post_age_below[p]))
        if (sex < 0 and below >= NEVER) or not len(cands):
            return cands
        people = self.people
        ok = np.ones(len(cands), bool)
        if sex >= 0:
            ok &= people.female[cands] == bool(sex)
        if below < NEVER:
            ok &= m - people.birth[cands] < below
        return cands[ok]

    def ruled_posts(self) -> np.ndarray:
        """Per post: whether its unit has a leader rule (cached until the organisation changes)."""
        org = self.org
        cache = self._ruled_cache
        if cache is None or cache[0] != org.version:
            n = org.n_posts
            ruled = (org.post_sex_rule[:n] >= 0) | (np.minimum(org.post_first_age_below[:n], org.post_age_below[:n]) < NEVER)
            cache = self._ruled_cache = (org.version, ruled)
        return cache[1]

    def may_take(self, i: int, p: int, m: int) -> bool:
        """Whether cadre i may be put into post p under its unit's rules (for moves other
        than promotions: rotations, transfers, term-limit moves)."""
        if not self.ruled_posts()[p]:
            return True
        return len(self.meet_unit_rules(np.array([i], np.int64), p, m)) == 1

    def may_take_each(self, cands: np.ndarray, posts: np.ndarray, m: int) -> np.ndarray:
        """:meth:`may_take` for pairs (cands[k], posts[k]), vectorised over the posts without rules."""
        ok = ~self.ruled_posts()[posts]
        for k in np.flatnonzero(~ok).tolist():
            ok[k] = self.may_take(int(cands[k]), int(posts[k]), m)
        return ok

    def _non_local_bonus(self, cands: np.ndarray, p: int) -> np.ndarray:
        return non_local_preference(self.people.home[cands], int(self.org.post_area[p]), self.strictness)

    def _choose(self, cands: np.ndarray, p: int, m: int, non_local: bool) -> int:
        people, sel = self.people, self.selection
        per_rotation = self.experience_bonus + (self.key_post_experience_bonus if self.org.post_key[p] else 0.0)
        bonus = per_rotation * people.rotated[cands]
        if non_local:
            bonus = bonus + self._non_local_bonus(cands, p)
        k = selection.choose(
            sel.rule,
            people.competence[cands],
            m - people.rank_since[cands] if sel.rule == "seniority" else None,  # only seniority reads it
            self.model.assessment.noise(cands, m),  # the year's assessment (sim/processes/assessment.py)
            sel.noise_sd,
            bonus=bonus,
        )
        return int(cands[k])

    # ------------------------------------------------------------------ results
    def _non_local_posts(self) -> tuple[np.ndarray, np.ndarray]:
        """Active district leader posts under the non-local rule and their areas (cached
        until the organisation changes)."""
        org = self.org
        cache = self._non_local_cache
        if cache is None or cache[0] != org.version:
            n = org.n_posts
            ids = np.flatnonzero(org.post_active[:n] & (org.post_kind[:n] <= 1) & org.post_non_local[:n] & (org.post_area[:n] > 0))
            cache = self._non_local_cache = (org.version, ids, org.post_area[ids])
        return cache[1], cache[2]

    def measure(self, m: int) -> dict[str, float]:
        """Share of district posts under the non-local rule held by someone from elsewhere."""
        posts, areas = self._non_local_posts()
        h = self.org.post_holder[posts]
        ok = h >= 0
        held = np.count_nonzero(ok)
        if not held:
            return {"non_local_key_share": float("nan")}
        return {"non_local_key_share": np.count_nonzero(self.people.home[h[ok]] != areas[ok]) / held}
