"""CadreModel: the province's cadres, month by month.

Each step is one month and reads, in order: dated events (restructuring actions) →
exits (statutory retirement in the exact month, other exits) → end of appointment terms
→ vacancy filling (top-down vacancy chains ending in recruitment) → data collection.

Speed: the work in a month is proportional to what happens in it. Retirement months are
known when a cadre is created and kept in month buckets; other exits are waiting times
(see sim/rules/exits.py) kept in the same way; candidates are indexed by (unit, rank)
and (area, rank); monthly metrics are numpy reductions over posts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import lru_cache

import mesa
import numpy as np

from sim import pipeline, restructuring
from sim.agents import Cadre
from sim.core.calendar import format_month, parse_month
from sim.core.vocabulary import DEPUTY, DIVISION_HEAD, HEAD, LEADER_KINDS, PROVINCE_AREA, SPECIALIST
from sim.metrics import COLUMNS, FLOW_COLUMNS, MonthlyCollector, collect_month
from sim.params.schema import SimConfig
from sim.rules import early_retirement, selection
from sim.rules.eligibility import reappointment, term_end
from sim.rules.exits import MAX_AGE_MONTHS, cumulative_hazard_table
from sim.rules.retirement import extended_retirement_index, retirement_index, retirement_month_index
from sim.world.org import Org, Unit
from sim.world.roster import Population, generate_population
from sim.world.roster_checks import load_roster_checked

# Named random streams, one per process (common random numbers across scenarios).
STREAMS = (
    "population",
    "exits",
    "vacancy",
    "selection",
    "recruitment",
    "restructuring",
    "transition",
    "pool",
    "rotation",
    "congress",
)
NEVER = 10**9
_EXIT_FLOW = {
    "retirement": "retirements",
    "exit": "other_exits",
    "early_retirement": "early_retirements",
    "to_commune": "to_commune",
}


def make_streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per named process, all from one root seed."""
    children = np.random.SeedSequence(int(seed)).spawn(len(STREAMS))
    return {name: np.random.default_rng(ss) for name, ss in zip(STREAMS, children)}


@lru_cache(maxsize=4096)
def _retirement_index_cached(birth: int, female: bool, rule: str) -> int:
    return retirement_index(birth, female, rule)


@lru_cache(maxsize=16)
def _hazard_tables(
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


def _groups(keys: np.ndarray, idx: np.ndarray) -> list[tuple[int, list[int]]]:
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
    """Cadre indices due in each month (statutory retirement, other exit).

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


def _extend_sets(index: dict[tuple[int, int], set[int]], a: np.ndarray, b: np.ndarray, idx: np.ndarray) -> None:
    """Add each idx to index[(a, b)] (b in 0..7: a rank); a set's elements are added in
    idx order, so it iterates as if they had been added one by one."""
    for key, group in _groups(a.astype(np.int64) * 8 + b, idx):
        index[(key >> 3, key & 7)].update(group)


class CadreModel(mesa.Model):
    """A province's cadre corps under a restructuring scenario.

    Args:
        config: a composed :class:`sim.params.schema.SimConfig`; when omitted it is composed
            from ``configs/`` with the keyword parameters below as overrides.
        scenario: scenario name (config group ``scenario``), e.g. ``"merge_offices"``.
        seed: root seed of the named random streams (also accepted as ``rng`` when it
            is an int, as ``mesa.batch_run(..., rng=[...])`` passes it).
        start, end: "YYYY-MM" horizon overrides.
        overrides: further Hydra overrides, e.g. ``["policy.selection.rule=random"]``.
    """

    def __init__(
        self,
        config: SimConfig | None = None,
        *,
        scenario: str | None = None,
        seed: int | None = None,
        rng=None,
        start: str | None = None,
        end: str | None = None,
        overrides: list[str] | tuple[str, ...] = (),
    ):
        if seed is None and isinstance(rng, (int, np.integer)):
            seed = int(rng)
        if config is None:
            from sim.api import load_config

            ov = list(overrides)
            if scenario is not None:
                ov.append(f"scenario={scenario}")
            if start is not None:
                ov.append(f"start={start}")
            if end is not None:
                ov.append(f"end={end}")
            if seed is not None:
                ov.append(f"seed={seed}")
            config = load_config(ov)
        elif scenario is not None and scenario != config.scenario.name:
            raise ValueError(
                f"scenario={scenario!r} disagrees with config.scenario.name={config.scenario.name!r}"
            )
        self.cfg = config
        self.seed = int(config.seed if seed is None else seed)
        super().__init__(rng=self.seed)
        self.scenario_name = config.scenario.name
        self.streams = make_streams(self.seed)
        self.start = config.start_index
        self.end = config.end_index
        self.month = self.start
        pol = config.policy
        self.policy = pol
        self.org = Org(config.org)

        self.events: list[tuple] = []
        self._ret_bucket = MonthQueue()
        self._exit_bucket = MonthQueue()
        self._term_bucket: dict[int, list[int]] = defaultdict(list)
        self._dated: dict[int, list] = defaultdict(list)
        self.by_unit_rank: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.by_area_rank: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.vacancies: list[set[int]] = [set() for _ in range(7)]
        self.cadre_ids: list[str] = []
        self.agents_by_idx: list[Cadre | None] = []
        self._cum_haz, self._cum_haz_rows = _hazard_tables(
            tuple(pol.exits.band_lower_ages), tuple(pol.exits.annual_rates), tuple(pol.exits.rank_multipliers)
        )
        self._alloc(0)
        self.headcount = 0
        self.flows = dict.fromkeys(FLOW_COLUMNS, 0)
        self.totals = dict.fromkeys(self.flows, 0)
        # surplus leaders (above quota after a restructuring action)
        self.surplus_unit: dict[int, set[int]] = defaultdict(set)
        self.surplus_deadline: dict[int, int] = {}
        self._deadline_bucket: dict[int, list[int]] = defaultdict(list)
        self.overdue: set[int] = set()
        self._coef = np.asarray(pol.wage.coefficient_by_rank, float)
        self._allow = np.asarray(pol.wage.allowance_by_rank, float)
        # the same numbers as Python floats, for one-cadre updates (no numpy scalars)
        self._coef_list = self._coef.tolist()
        self._allow_list = self._allow.tolist()
        self._decree_178_from = parse_month(pol.transition.decree_178_from)
        self.planned = restructuring.plan(config, self.org, self.streams["restructuring"])
        restructuring.schedule_all(self, self.planned)
        # talent pipeline
        self.pool: dict[int, np.ndarray] = {}
        self.pool_post = np.zeros(0, np.int64)
        self.pool_cadre = np.zeros(0, np.int64)
        self.pool_people = np.zeros(0, np.int64)  # distinct pool members at the last review
        self.rotating: set[int] = set()
        self._rotation_bucket: dict[int, list[int]] = defaultdict(list)
        self._gap_seen: set[int] = set()
        self.summary_extra: dict[str, float] = {}
        self.committee_size = pol.congress.previous_committee_size
        pipeline.schedule(self)

        if config.roster is not None:
            pop = load_roster_checked(config.roster, self.org, config, self.streams["population"])
        else:
            pop = generate_population(self.org, config, self.streams["population"])
        self._add_population(pop)
        self.initial_headcount = self.headcount
        # the 2015-2020 committee is approximated by the holders of rank >= 4 posts at the start
        held = self.active[: self.n] & (self.rank[: self.n] >= 4)
        self.in_committee[: self.n] = held
        self._initial_staff_posts = int(np.count_nonzero(self.org.post_kind[: self.org.n_posts] == SPECIALIST))
        self._payroll_cuts = [
            (parse_month(c.start), parse_month(c.end), c.share) for c in pol.payroll.cuts
        ] if pol.payroll.enabled else []
        self.staff_posts_abolished = 0
        self._payroll_target: dict[int, int] = {}  # month -> posts to have abolished by then
        self.initial_ages = self.age_table()

        self.datacollector = MonthlyCollector(COLUMNS)
        self.running = True

    # ------------------------------------------------------------------ storage
    _ARRAYS = {
        "birth": (np.int64, 0),
        "female": (bool, False),
        "home": (np.int16, 0),
        "entry": (np.int64, 0),
        "competence": (np.float64, 0.0),
        "ret": (np.int64, NEVER),
        "haz_target": (np.float64, 0.0),
        "exit_month": (np.int64, NEVER),
        "post": (np.int64, -1),
        "rank": (np.int8, 0),
        "unit": (np.int32, -1),
        "post_since": (np.int64, 0),
        "rank_since": (np.int64, 0),
        "head_terms": (np.int16, 0),
        "term_end": (np.int64, NEVER),
        "active": (bool, False),
        "pay": (np.float64, 0.0),
        "rot_end": (np.int64, NEVER),  # month a rotation ends (NEVER: not rotating)
        "rot_origin_unit": (np.int32, -1),
        "rotated": (bool, False),  # ever rotated: experience counts in selection
        "in_committee": (bool, False),  # member of the provincial Party committee
    }

    def _alloc(self, need: int) -> None:
        cap = getattr(self, "_cap", 0)
        if need <= cap and cap:
            return
        new_cap = max(need, 2 * cap, 256)
        for name, (dtype, fill) in self._ARRAYS.items():
            new = np.full(new_cap, fill, dtype=dtype)
            if cap:
                new[:cap] = getattr(self, name)
            setattr(self, name, new)
        self._cap = new_cap
        self.n = getattr(self, "n", 0)

    def _add_population(self, pop: Population) -> None:
        n0, k = self.n, len(pop)
        self._alloc(n0 + k + max(256, k // 2))
        idx = np.arange(n0, n0 + k)
        org = self.org
        self.birth[idx] = pop.birth
        self.female[idx] = pop.female
        self.home[idx] = pop.home
        self.entry[idx] = pop.entry
        self.competence[idx] = pop.competence
        self.post[idx] = pop.post
        rank = org.post_rank[pop.post].astype(np.int64)
        self.rank[idx] = rank
        self.unit[idx] = org.post_unit[pop.post]
        self.post_since[idx] = pop.post_since
        self.rank_since[idx] = pop.rank_since
        self.head_terms[idx] = pop.head_terms
        self.active[idx] = True
        kind = org.post_kind[pop.post]
        self.pay[idx] = self._coef[rank] + np.where(kind < SPECIALIST, self._allow[rank], 0.0)
        ret = retirement_month_index(pop.birth, pop.female, self.policy.retirement_rule)
        ext = self.policy.senior_extension
        if ext.enabled:
            senior = rank >= ext.min_rank
            ret = np.where(senior, extended_retirement_index(pop.birth, pop.female, ret), ret)
        self.ret[idx] = ret
        # other exits: an exponential hazard budget per cadre (see sim/rules/exits.py)
        budget = self.streams["exits"].exponential(1.0, k)
        age = np.clip(self.start - pop.birth, 0, MAX_AGE_MONTHS)
        target = self._cum_haz[rank, age] + budget
        self.haz_target[idx] = target
        exit_age = np.empty(k, np.int64)
        for r in np.unique(rank):
            sel = rank == r
            exit_age[sel] = np.searchsorted(self._cum_haz[r], target[sel], side="left")
        exit_month = np.maximum(pop.birth + exit_age, self.start)
        self.exit_month[idx] = np.where(exit_month < ret, exit_month, NEVER)
        org.post_holder[pop.post] = idx
        self.n = n0 + k
        self.cadre_ids.extend(pop.cadre_id.tolist())
        self.agents_by_idx.extend(Cadre(self, i) for i in idx.tolist())
        self._ret_bucket.add_bulk(self.ret[idx], idx)
        em = self.exit_month[idx]
        has_exit = em != NEVER
        self._exit_bucket.add_bulk(em[has_exit], idx[has_exit])
        unit = self.unit[idx].astype(np.int64)
        area = org.post_area[pop.post].astype(np.int64)
        _extend_sets(self.by_unit_rank, unit, rank, idx)
        _extend_sets(self.by_area_rank, area, rank, idx)
        leader = np.isin(org.post_kind[pop.post], LEADER_KINDS)
        for i, since in zip(idx[leader].tolist(), pop.post_since[leader].tolist()):
            self._start_term(i, since)
        self.headcount += k
        held = np.zeros(org.n_posts, bool)
        held[pop.post] = True
        for p in np.flatnonzero(org.post_active[: org.n_posts] & ~held).tolist():
            self.vacancies[int(org.post_rank[p])].add(p)

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """One month: dated events, exits, term ends, vacancy filling, data collection."""
        m = self.month
        for key in self.flows:
            self.flows[key] = 0
        for action in self._dated.pop(m, ()):
            action(self, m)
        self._process_exits(m)
        pipeline.rotation_returns(self, m)
        self._process_term_ends(m)
        self._fill_vacancies(m)
        self._process_surplus(m)
        self._record(m)
        self.month += 1
        if self.month > self.end:
            self.running = False

    def run(self) -> CadreModel:
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    def schedule(self, month: int, action) -> None:
        """Run ``action(model, month)`` at the start of ``month`` (dated event queue)."""
        self._dated[month].append(action)

    # ------------------------------------------------------------------ exits
    def _process_exits(self, m: int) -> None:
        for i in self._ret_bucket.pop(m):
            if self.active[i] and self.ret[i] == m:
                self.remove_cadre(i, "retirement", m)
        for i in self._exit_bucket.pop(m):
            if self.active[i] and self.exit_month[i] == m:
                self.remove_cadre(i, "exit", m)

    def remove_cadre(self, i: int, kind: str, m: int, detail: str = "") -> None:
        """A cadre leaves the payroll (retirement, other exit, early retirement)."""
        self._record_event(m, kind, i, detail)
        self.rotating.discard(i)
        if i in self.surplus_deadline:
            self._clear_surplus(i)
        self._leave_post(i)
        self.active[i] = False
        self.headcount -= 1
        self.flows["exits"] += 1
        self.flows[_EXIT_FLOW[kind]] += 1
        agent = self.agents_by_idx[i]
        if agent is not None:
            agent.remove()
            self.agents_by_idx[i] = None

    # ------------------------------------------------------------------ posts
    def _leave_post(self, i: int) -> None:
        """Take cadre i out of its post; the post becomes a vacancy if still active."""
        org = self.org
        p = int(self.post[i])
        r = int(self.rank[i])
        u = int(self.unit[i])
        if u >= 0:
            self.by_unit_rank[(u, r)].discard(i)
            self.by_area_rank[(org.units[u].area, r)].discard(i)
        if p >= 0:
            org.post_holder[p] = -1
            if org.post_active[p]:
                self.vacancies[int(org.post_rank[p])].add(p)
        self.post[i] = -1
        self.term_end[i] = NEVER

    def _take_post(self, i: int, p: int, m: int, lateral: bool = False) -> None:
        """Put cadre i (holding no post) into vacant post p.

        ``lateral``: a restructuring move to a post of the same rank keeps the time in
        post and the current term.
        """
        org = self.org
        r_new = int(org.post_rank[p])
        r_old = int(self.rank[i])
        if r_new != r_old:
            self._retarget_exit(i, r_old, r_new, m)
            self.rank[i] = r_new
            self.rank_since[i] = m
            ext = self.policy.senior_extension
            if ext.enabled and r_new >= ext.min_rank:
                new_ret = int(extended_retirement_index(self.birth[i], self.female[i], self.ret[i]))
                if new_ret != self.ret[i]:
                    self.ret[i] = new_ret
                    self._ret_bucket.append(new_ret, i)
        keep = lateral and r_new == r_old
        u = int(org.post_unit[p])
        kind = int(org.post_kind[p])
        self.post[i] = p
        self.unit[i] = u
        if not keep:
            self.post_since[i] = m
        org.post_holder[p] = i
        self.vacancies[r_new].discard(p)
        self.by_unit_rank[(u, r_new)].add(i)
        self.by_area_rank[(org.units[u].area, r_new)].add(i)
        self.pay[i] = self._coef_list[r_new] + (self._allow_list[r_new] if kind != SPECIALIST else 0.0)
        if kind in LEADER_KINDS:
            if not keep:
                self.head_terms[i] = 0
                self._start_term(i, m)
            elif self.term_end[i] == NEVER:
                self._start_term(i, int(self.post_since[i]))

    def move_cadre(self, i: int, p: int, m: int, kind: str) -> None:
        """Move cadre i from its post (if any) into vacant post p, recording an event."""
        if i in self.surplus_deadline:  # a surplus leader promoted: surplus cured
            self._clear_surplus(i)
        self._leave_post(i)
        self._take_post(i, p, m)
        self._record_event(m, kind, i)

    def _retarget_exit(self, i: int, r_old: int, r_new: int, m: int) -> None:
        """Keep the unused hazard budget across a rank change (memoryless exits)."""
        birth = int(self.birth[i])
        age = min(max(m - birth, 0), MAX_AGE_MONTHS)
        rows = self._cum_haz_rows
        remaining = float(self.haz_target[i]) - rows[r_old][age]
        target = rows[r_new][age] + remaining
        self.haz_target[i] = target
        exit_age = bisect_left(rows[r_new], target)  # = np.searchsorted(..., side="left")
        em = max(birth + exit_age, m + 1)
        em = em if em < self.ret[i] else NEVER
        if em != self.exit_month[i]:
            self.exit_month[i] = em
            if em != NEVER:
                self._exit_bucket.append(em, i)

    def _start_term(self, i: int, appointed: int) -> None:
        """Schedule the end of the current appointment term (5 years, Reg. 105).

        For an appointment made before the start, the current term is the one that
        contains the start month. A term never runs past retirement.
        """
        t = self.policy.appointment.term_months
        end = appointed + t * ((self.month - appointed) // t + 1)
        end = term_end(end - t, int(self.ret[i]), t)
        self.term_end[i] = end
        self._term_bucket[end].append(i)

    def _process_term_ends(self, m: int) -> None:
        for i in self._term_bucket.pop(m, ()):
            if not self.active[i] or self.term_end[i] != m or self.post[i] < 0:
                continue
            kind, new_end = reappointment(m, int(self.ret[i]), self.policy.appointment.term_months)
            if self.org.post_kind[self.post[i]] == HEAD:
                self.head_terms[i] += 1
                tl = self.policy.term_limit
                if tl.enabled and self.head_terms[i] >= tl.max_consecutive_terms:
                    pipeline.enforce_term_limit(self, i, m)
                    if self.post[i] >= 0 and self.term_end[i] != NEVER and self.term_end[i] > m:
                        continue  # moved: a new term has started in the new post
            if new_end > m:
                self.term_end[i] = new_end
                self._term_bucket[new_end].append(i)
            self._record_event(m, kind, i)

    # ------------------------------------------------------------------ vacancies
    def _fill_vacancies(self, m: int) -> None:
        """Top-down: each promotion opens a vacancy below (a vacancy chain)."""
        vac_rng = self.streams["vacancy"]
        org = self.org
        pv = self.policy.vacancy
        prob_by_kind = (
            pv.fill_probability_leader,
            pv.fill_probability_leader,
            pv.fill_probability_division,
            pv.fill_probability_division,
            pv.fill_probability_entry,
        )
        cut_target = self._payroll_cut_target(m)
        for r in range(6, -1, -1):
            vac = self.vacancies[r]
            if not vac:
                continue
            todo = sorted(vac)
            draws = vac_rng.random(len(todo)).tolist()  # one draw per vacancy, in post order
            kinds = org.post_kind[todo].tolist()  # a post's kind never changes
            for p, u, kind in zip(todo, draws, kinds):
                if org.post_holder[p] >= 0 or not org.post_active[p]:
                    vac.discard(p)
                    continue
                if self.surplus_unit and self._place_surplus(p, m):
                    continue  # kept without replacement: a surplus leader takes the post
                if kind == SPECIALIST and self.staff_posts_abolished < cut_target:
                    org.remove_post(p)
                    vac.discard(p)
                    self.staff_posts_abolished += 1
                    self.flows["posts_abolished"] += 1
                    continue
                if u >= prob_by_kind[kind]:
                    continue
                if kind == SPECIALIST or r == 0:
                    self._recruit(p, m)
                    continue
                c = self.select_candidate(p, m)
                if c is not None:
                    self.move_cadre(c, p, m, "promotion")
                    self.flows["promotions"] += 1

    def eligible(self, cands: np.ndarray, m: int) -> np.ndarray:
        """Candidates who may be promoted now (full term left, time in post)."""
        ap = self.policy.appointment
        ok = (self.ret[cands] >= m + ap.min_months_left) & (self.post_since[cands] <= m - ap.min_months_in_post)
        return cands[ok]

    def candidate_scopes(self, p: int, wide: bool = False):
        """Candidate sets for post p, nearest first: same unit, same area, all areas."""
        org = self.org
        r = int(org.post_rank[p])
        u = int(org.post_unit[p])
        area = int(org.post_area[p])
        yield self.by_unit_rank.get((u, r - 1), ())
        yield self.by_area_rank.get((area, r - 1), ())
        if r >= 5 or wide:  # provincial leaders (and non-local posts) from the whole province
            for a in range(len(org.area_codes)):
                if a != area:
                    yield self.by_area_rank.get((a, r - 1), ())

    def select_candidate(self, p: int, m: int) -> int | None:
        """Choose who fills post p: for a key post the succession pool first, then
        eligible cadres one rank below, nearest scope first (for non-local-rule posts,
        all areas, with the non-local rule applied)."""
        org = self.org
        r = int(org.post_rank[p])
        key = bool(org.post_key[p])
        non_local = bool(org.post_non_local[p]) and self.policy.non_local.strictness != "off"
        if key:
            ready = pipeline.pool_candidates_for(self, p, m)
            if non_local and len(ready):
                ready = ready[np.isfinite(self._non_local_bonus(ready, p))]
            if len(ready):
                self._gap_seen.discard(p)
                return self._choose(ready, p, m, non_local)
            if p not in self._gap_seen:
                self._gap_seen.add(p)
                self.flows["succession_gaps"] += 1
        pool: list[np.ndarray] = []
        for scope in self.candidate_scopes(p, wide=non_local):
            if not scope:
                continue
            c = self.eligible(np.fromiter(scope, np.int64, len(scope)), m)
            if non_local and len(c):
                c = c[np.isfinite(self._non_local_bonus(c, p))]
            if len(c):
                pool.append(c)
                if r < 5 and not non_local:
                    break
        if not pool:
            return None
        cands = np.unique(np.concatenate(pool)) if len(pool) > 1 else pool[0]
        return self._choose(cands, p, m, non_local)

    def _non_local_bonus(self, cands: np.ndarray, p: int) -> np.ndarray:
        from sim.rules.rotation import non_local_preference

        return non_local_preference(self.home[cands], int(self.org.post_area[p]), self.policy.non_local.strictness)

    def _choose(self, cands: np.ndarray, p: int, m: int, non_local: bool) -> int:
        sel = self.policy.selection
        bonus = self.policy.rotation.experience_bonus * self.rotated[cands]
        if non_local:
            bonus = bonus + self._non_local_bonus(cands, p)
        k = selection.choose(
            sel.rule,
            self.competence[cands],
            m - self.rank_since[cands] if sel.rule == "seniority" else None,  # only seniority reads it
            self.streams["selection"],
            sel.noise_sd,
            bonus=bonus,
        )
        return int(cands[k])

    def _recruit(self, p: int, m: int) -> int:
        """A new cadre enters at post p (an entry-level post)."""
        org = self.org
        i = self.n
        if i >= self._cap:
            self._alloc(i + 1)
        female, age, home_draw, competence, budget = self._next_recruit_draws()
        area = int(org.post_area[p])
        n_d = len(org.district_codes)
        home = area if area != PROVINCE_AREA or not n_d else 1 + int(home_draw * n_d)
        birth = m - age
        r = int(org.post_rank[p])
        ret = _retirement_index_cached(birth, female, self.policy.retirement_rule)
        row = self._cum_haz_rows[r]
        target = row[min(age, MAX_AGE_MONTHS)] + budget
        em = max(birth + bisect_left(row, target), m + 1)  # = np.searchsorted(..., side="left")
        exit_month = em if em < ret else NEVER
        self.birth[i] = birth
        self.female[i] = female
        self.home[i] = home
        self.entry[i] = m
        self.competence[i] = competence
        self.rank[i] = r
        self.post[i] = -1
        self.unit[i] = -1
        self.active[i] = True
        self.ret[i] = ret
        self.haz_target[i] = target
        self.exit_month[i] = exit_month
        self.n = i + 1
        self.cadre_ids.append(f"R{m // 12}{m % 12 + 1:02d}-{i:05d}")
        self.agents_by_idx.append(Cadre(self, i))
        self._ret_bucket.append(ret, i)
        if exit_month != NEVER:
            self._exit_bucket.append(exit_month, i)
        self.rank_since[i] = m
        self._take_post(i, p, m)
        self.headcount += 1
        self.flows["recruits"] += 1
        self._record_event(m, "recruitment", i)
        return i

    def _next_recruit_draws(self) -> tuple[bool, int, float, float, float]:
        """The next recruit's random attributes, drawn in batches from the recruitment
        stream (the n-th recruit gets the same draws in every scenario)."""
        buf = getattr(self, "_recruit_buf", None)
        if buf is None or self._recruit_pos >= len(buf[0]):
            rng = self.streams["recruitment"]
            rc = self.policy.recruitment
            k = 256
            buf = (
                (rng.random(k) < rc.women_share).tolist(),
                rng.integers(rc.age_min * 12, rc.age_max * 12 + 1, k).tolist(),
                rng.random(k).tolist(),
                rng.normal(0.0, 1.0, k).tolist(),
                rng.exponential(1.0, k).tolist(),
            )
            self._recruit_buf = buf
            self._recruit_pos = 0
        j = self._recruit_pos
        self._recruit_pos += 1
        return buf[0][j], buf[1][j], buf[2][j], buf[3][j], buf[4][j]

    def _payroll_cut_target(self, m: int) -> int:
        """Staff posts to have abolished by month m: the cuts' linear paths (Res. 39;
        Concl. 40). A vacated staff post is abolished while the cut is behind it."""
        target = self._payroll_target.get(m)
        if target is None:
            t = 0.0
            for s, e, share in self._payroll_cuts:
                if m >= s:
                    t += share * min(1.0, (m - s + 1) / (e - s + 1))
            target = self._payroll_target[m] = int(t * self._initial_staff_posts)
        return target

    # ------------------------------------------------------------------ restructuring
    def record_restructuring(self, m: int, kind: str, unit: str, detail: str) -> None:
        """One row in ``events`` per restructuring step (cadre_id empty)."""
        self.events.append((m, kind, "", unit, -1, -1, detail))

    def make_surplus(self, i: int, unit: Unit, m: int, deadline: int) -> None:
        """Cadre i stays in ``unit`` above its quota (no post) until placed or cured."""
        if i in self.surplus_deadline:
            self._clear_surplus(i)
        self._leave_post(i)
        r = int(self.rank[i])
        self.unit[i] = unit.index
        self.by_unit_rank[(unit.index, r)].add(i)
        self.by_area_rank[(unit.area, r)].add(i)
        self.surplus_unit[unit.index].add(i)
        self.surplus_deadline[i] = deadline
        self._deadline_bucket[max(deadline, m)].append(i)
        self.pay[i] = self._coef_list[r] + self._allow_list[r]  # the leadership allowance is kept
        self._record_event(m, "surplus", i, f"deadline {format_month(deadline)}")

    def _clear_surplus(self, i: int) -> None:
        u = int(self.unit[i])
        s = self.surplus_unit.get(u)
        if s is not None:
            s.discard(i)
            if not s:
                del self.surplus_unit[u]
        self.surplus_deadline.pop(i, None)
        self.overdue.discard(i)

    def _place_surplus(self, p: int, m: int) -> bool:
        """A vacancy in a unit with surplus leaders of the post's rank goes to one of them."""
        org = self.org
        s = self.surplus_unit.get(int(org.post_unit[p]))
        if not s:
            return False
        r = int(org.post_rank[p])
        same = [i for i in s if self.rank[i] == r]
        if not same:
            return False
        i = min(same)
        self._clear_surplus(i)
        self._leave_post(i)
        self._take_post(i, p, m, lateral=True)
        self._record_event(m, "surplus_placed", i)
        return True

    def rehouse_leaders(self, old_units: list[Unit], new_units: list[Unit], m: int, deadline: int) -> None:
        """Give the leaders (and surplus) of ``old_units`` the head and deputy posts of
        ``new_units``, rank for rank; whoever is left becomes surplus in new_units[0]."""
        org = self.org
        people: list[int] = []
        for kind in (HEAD, DEPUTY):
            for u in old_units:
                for p in org.posts_of(u, kind):
                    h = int(org.post_holder[p])
                    if h >= 0:
                        people.append(h)
        for u in old_units:
            people.extend(sorted(self.surplus_unit.get(u.index, ()), key=lambda i: (-int(self.rank[i]), i)))
        placed: set[int] = set()
        for kind, label in ((HEAD, "kept_head"), (DEPUTY, "kept_deputy")):
            for u in new_units:
                for p in org.posts_of(u, kind):
                    r = int(org.post_rank[p])
                    who = next((i for i in people if i not in placed and self.rank[i] == r), None)
                    if who is None:
                        continue
                    placed.add(who)
                    if who in self.surplus_deadline:
                        self._clear_surplus(who)
                    self._leave_post(who)
                    # a new appointment in the merged unit restarts time in post and term
                    self._take_post(who, p, m, lateral=not self.policy.transition.reappoint_on_merge)
                    self._record_event(m, label, who)
        for i in people:
            if i not in placed:
                self.make_surplus(i, new_units[0], m, deadline)
        for u in new_units:  # posts nobody was rehoused into are vacancies
            for p in org.posts_of(u):
                if org.post_holder[p] < 0:
                    self.vacancies[int(org.post_rank[p])].add(p)

    def restore_head_post(self, unit: Unit) -> None:
        """A unit whose head was shared gets its own head post back (a vacancy)."""
        spec = unit.spec
        p = self.org.add_post(
            unit,
            HEAD,
            unit.head_rank,
            key=bool(spec.head_key) if spec else True,
            non_local=bool(spec.head_non_local) if spec else False,
            psc=bool(spec.psc_remit) if spec else True,
        )
        unit.concurrent_with = None
        self.vacancies[unit.head_rank].add(p)

    def _reattach(self, i: int, dest: Unit) -> None:
        r = int(self.rank[i])
        old = int(self.unit[i])
        self.by_unit_rank[(old, r)].discard(i)
        self.by_area_rank[(int(self.org.units[old].area), r)].discard(i)
        self.unit[i] = dest.index
        self.by_unit_rank[(dest.index, r)].add(i)
        self.by_area_rank[(dest.area, r)].add(i)

    def move_staff_posts(self, src: Unit, dest: Unit) -> None:
        """Divisions and specialist posts (and their holders) move to ``dest``."""
        org = self.org
        for p in [p for p in src.posts if org.post_active[p] and org.post_kind[p] >= DIVISION_HEAD]:
            org.move_post(p, dest)
            h = int(org.post_holder[p])
            if h >= 0:
                self._reattach(h, dest)

    def return_staff_posts(self, merged: Unit, restored: list[Unit]) -> None:
        """After a split, staff posts go back to the unit they were created in."""
        org = self.org
        by_uid = {u.uid: u for u in restored}
        for p in [p for p in merged.posts if org.post_active[p] and org.post_kind[p] >= DIVISION_HEAD]:
            dest = by_uid.get(org.post_origin[p], restored[0])
            org.move_post(p, dest)
            h = int(org.post_holder[p])
            if h >= 0:
                self._reattach(h, dest)

    def close_unit(self, unit: Unit, m: int, reassign: bool = True) -> None:
        """Abolish a unit and its remaining posts. With ``reassign`` the posts must
        already be empty (their people were rehoused)."""
        org = self.org
        for p in list(unit.posts):
            if not org.post_active[p]:
                continue
            h = int(org.post_holder[p])
            if h >= 0:
                if reassign:
                    raise RuntimeError(f"closing {unit.uid}: post {p} still held")
                self._leave_post(h)
            org.remove_post(p)
            self.vacancies[int(org.post_rank[p])].discard(p)
        org.deactivate_unit(unit)

    def people_of(self, units: list[Unit]) -> set[int]:
        org = self.org
        out: set[int] = set()
        for u in units:
            for p in u.posts:
                h = int(org.post_holder[p])
                if h >= 0 and org.post_active[p]:
                    out.add(h)
            out |= self.surplus_unit.get(u.index, set())
        return out

    def find_vacancy(self, r: int, area: int, province_only: bool = False) -> int | None:
        """A vacant post of rank r: in ``area`` first, then anywhere (or the province only)."""
        org = self.org
        fallback = None
        for p in sorted(self.vacancies[r]):
            if org.post_holder[p] >= 0 or not org.post_active[p]:
                continue
            a = int(org.post_area[p])
            if a == area:
                return p
            if fallback is None and (not province_only or a == PROVINCE_AREA):
                fallback = p
        return None if province_only and area != PROVINCE_AREA and fallback is None else fallback

    def transfer(self, i: int, p: int, m: int) -> None:
        """Move cadre i to vacant post p at the same rank (điều động)."""
        if i in self.surplus_deadline:
            self._clear_surplus(i)
        self._leave_post(i)
        self._take_post(i, p, m)
        self.flows["transfers"] += 1
        self._record_event(m, "transfer", i)

    def offer_early_retirement(self, i: int, m: int) -> bool:
        """Offer early retirement under the regime in force; True if taken."""
        tr = self.policy.transition
        reg = early_retirement.regime(m, self._decree_178_from)
        left = int(self.ret[i]) - m
        p = early_retirement.takeup_probability(left, reg, tr.takeup_decree_108, tr.takeup_decree_178, tr.takeup_decay_years)
        if self.streams["transition"].random() >= p:
            return False
        months = early_retirement.payment_salary_months(left, reg, m - self._decree_178_from)
        self.flows["severance_cost"] += months * float(self.pay[i])
        self.remove_cadre(i, "early_retirement", m)
        return True

    def reassign_abolished(self, i: int, m: int) -> None:
        """A cadre of an abolished unit: province vacancy, early retirement, or commune."""
        if i in self.surplus_deadline:
            self._clear_surplus(i)
        self._leave_post(i)
        if self.streams["transition"].random() < self.policy.transition.to_province_share:
            p = self.find_vacancy(int(self.rank[i]), PROVINCE_AREA, province_only=True)
            if p is not None:
                self.transfer(i, p, m)
                return
        if self.offer_early_retirement(i, m):
            return
        self.remove_cadre(i, "to_commune", m)

    def _process_surplus(self, m: int) -> None:
        """At the deadline: transfer, else offer early retirement; retry transfers after."""
        due = self._deadline_bucket.pop(m, ())
        if not self.policy.transition.deadline_policy:
            return
        for i in due:
            if not self.active[i] or self.surplus_deadline.get(i) != m:
                continue
            if self._try_transfer(i, m) or self.offer_early_retirement(i, m):
                continue
            self.overdue.add(i)
            self._record_event(m, "still_surplus", i)
        for i in sorted(self.overdue):
            if self.surplus_deadline.get(i, NEVER) < m:
                self._try_transfer(i, m)

    def _try_transfer(self, i: int, m: int) -> bool:
        area = int(self.org.units[int(self.unit[i])].area)
        p = self.find_vacancy(int(self.rank[i]), area)
        if p is None:
            return False
        self.transfer(i, p, m)
        return True

    def check_extra_invariants(self) -> None:
        """Surplus leaders are accounted for: active, postless, in an active unit."""
        from sim.invariants import InvariantError

        n = self.n
        listed = set().union(*self.surplus_unit.values()) if self.surplus_unit else set()
        if listed != set(self.surplus_deadline):
            raise InvariantError("surplus registry and deadlines disagree")
        for i in listed:
            if not self.active[i] or self.post[i] >= 0 or not self.org.units[int(self.unit[i])].active:
                raise InvariantError(f"surplus cadre {self.cadre_ids[i]} is not an active, postless member of an active unit")
        postless = set(np.flatnonzero(self.active[:n] & (self.post[:n] < 0)).tolist())
        if postless != listed:
            raise InvariantError(f"{len(postless - listed)} active cadres hold no post and are not surplus")

    # ------------------------------------------------------------------ records
    def _record_event(self, m: int, kind: str, i: int, detail: str = "") -> None:
        p = int(self.post[i])
        u = int(self.unit[i])
        self.events.append(
            (
                m,
                kind,
                self.cadre_ids[i],
                self.org.units[u].uid if u >= 0 else "",
                int(self.org.post_kind[p]) if p >= 0 else -1,
                int(self.rank[i]),
                detail,
            )
        )

    def _record(self, m: int) -> None:
        for key, v in self.flows.items():
            self.totals[key] += v
        row = collect_month(self, m)
        self.__dict__.update(row)  # the latest values as attributes, as Mesa reporters read them
        self.datacollector.collect_row(self, row)

    def age_table(self) -> dict[str, np.ndarray]:
        """Ages (years) and sexes of the cadres in post now (for pyramids)."""
        act = np.flatnonzero(self.active[: self.n])
        return {"age": (self.month - self.birth[act]) / 12.0, "female": self.female[act].copy()}


__all__ = ["CadreModel", "STREAMS", "make_streams", "DEPUTY", "HEAD"]
