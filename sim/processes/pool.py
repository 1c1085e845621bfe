"""The succession pool (quy hoạch, Regulation 50-QĐ/TW, 2021).

For every key post (unit heads), up to ``per_post_max`` candidates from one rank below
in the post's area (the whole province for provincial leaders and for non-local-rule
posts), each person in at most ``posts_per_person_max`` pools, all with a full term of
working age left at the start of the next term. Rebuilt at the start and at each new
term (``pool.rebuild_months``); reviewed every ``review_month`` and after every
restructuring action (members who still qualify stay, free places are filled), so the
work is proportional to what changed since the last review. The rules are pure
functions in sim/rules/pool.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np

from sim.core.calendar import every
from sim.core.vocabulary import NEVER, PROVINCIAL_LEADER_RANK, Event
from sim.engine.phases import Phase
from sim.processes.base import InvariantError, Process
from sim.rules import pool as pool_rules


class PoolByPost(Mapping):
    """Read-only mapping: key post -> its pool members (cadre indices, ascending).

    A view on the pool arrays (sorted by post, then cadre) that slices them when asked:
    a review covers ~250 key posts, while a month looks up only the few it fills.
    """

    def __init__(self, posts: np.ndarray, pool_post: np.ndarray, pool_cadre: np.ndarray):
        self._posts = posts.tolist()
        self._is_key = set(self._posts)
        self._pool_post = pool_post
        self._pool_cadre = pool_cadre

    def __getitem__(self, p: int) -> np.ndarray:
        if p not in self._is_key:
            raise KeyError(p)
        a = int(np.searchsorted(self._pool_post, p))
        b = int(np.searchsorted(self._pool_post, p, side="right"))
        return self._pool_cadre[a:b]

    def __iter__(self):
        return iter(self._posts)

    def __len__(self) -> int:
        return len(self._posts)


class Pool(Process):
    name = "pool"
    stream = "pool"
    metrics = ("pool_size", "pool_women_share", "pool_under40_share", "bench_strength")

    def __init__(self, model):
        super().__init__(model)
        self.pars = model.policy.pool
        self.appointment = model.policy.appointment
        self.strictness = model.policy.non_local.strictness
        # at each new term: the months given, then on the congress cycle
        self.rebuild_months = every(self.pars.rebuild_months, model.policy.congress.period_years, model.end)
        self.young_months = self.pars.young_age * 12
        # the pool as two arrays sorted by (post, cadre), and its distinct members
        self.post = np.zeros(0, np.int64)
        self.cadre = np.zeros(0, np.int64)
        self.members = np.zeros(0, np.int64)
        self.by_post: Mapping[int, np.ndarray] = {}
        self._key_cache = None
        self._scope_cache = None
        self._reviewed_posts = np.zeros(0, np.int64)  # the key posts of the last review

    def setup(self) -> None:
        self.people = self.model.people
        self.org = self.model.org

    def schedule(self, timetable) -> None:
        # reviewed at the start, yearly and at each new term; right after a restructuring
        # action only the new key posts get candidates (and the posts that are gone
        # lose theirs), the rest of the pool waits for the regular review
        start, end = timetable.start, timetable.end
        months = {start, *self.rebuild_months}
        months |= {mo for mo in range(start, end + 1) if mo % 12 + 1 == self.pars.review_month}
        timetable.each(months, self.review, Phase.POOL_REVIEW)
        restructured = {pa.month for pa in self.model.planned} - months
        timetable.each(restructured, self.review_new_posts, Phase.POOL_REVIEW)

    # ------------------------------------------------------------------ key posts
    def key_posts(self) -> np.ndarray:
        """Active key posts (heads of units), cached until the organisation changes."""
        org = self.org
        cache = self._key_cache
        if cache is None or cache[0] != org.version:
            n = org.n_posts
            cache = self._key_cache = (org.version, np.flatnonzero(org.post_active[:n] & org.post_key[:n]))
        return cache[1]

    def _next_term_start(self, m: int) -> int:
        """The start of the term the pool in force at month m plans for: the current
        term's until ``next_term_after_months`` into it, then the next one's."""
        earlier = [mo for mo in self.rebuild_months if mo <= m]
        if earlier and m - earlier[-1] < self.pars.next_term_after_months:
            return earlier[-1]
        later = [mo for mo in self.rebuild_months if mo >= m]
        return min(later) if later else m + self.appointment.term_months

    def _scope_key(self, p: int, wide: bool) -> tuple[int, int, bool]:
        """Posts with the same key draw on the same candidates: rank r-1 in the post's
        area (the unit's own staff are part of it), or in every area for provincial
        leaders and for non-local-rule posts."""
        org = self.org
        r = int(org.post_rank[p])
        wide = wide or r >= PROVINCIAL_LEADER_RANK
        return (-1 if wide else int(org.post_area[p]), r - 1, wide)

    def _key_post_scopes(self) -> dict[int, tuple[tuple, tuple, bool]]:
        """For each active key post: (scope key, group key, non-local rule required).

        Posts with the same group key share one candidate array. Cached until the
        organisation changes: it depends only on the posts' rank, area and flags.
        """
        org = self.org
        cache = self._scope_cache
        if cache is None or cache[0] != org.version:
            strict = self.strictness
            scopes = {}
            for p in self.key_posts().tolist():
                non_local = bool(org.post_non_local[p])
                key = self._scope_key(p, non_local and strict != "off")
                required = strict == "required" and non_local
                scopes[p] = (key, (*key, int(org.post_area[p]) if required else -2), required)
            cache = self._scope_cache = (org.version, scopes)
        return cache[1]

    def _scope_members(self, key: tuple[int, int, bool]) -> np.ndarray:
        area, r, wide = key
        areas = range(len(self.org.area_codes)) if wide else (area,)
        by_area_rank = self.model.indices.by_area_rank
        out: set[int] = set()
        for a in areas:
            out |= by_area_rank.get((a, r), set())
        return np.fromiter(out, np.int64, len(out))

    def _candidate_groups(self, posts: list[int], term_start: int) -> tuple[list[np.ndarray], dict[tuple, np.ndarray]]:
        """Eligible candidates for each post; posts with the same scope share one array."""
        org, people = self.org, self.people
        need = self.appointment.min_months_left
        scopes = self._key_post_scopes()
        lists = []
        groups: dict[tuple, np.ndarray] = {}
        for p in posts:
            key, gkey, required = scopes[p]
            cands = groups.get(gkey)
            if cands is None:
                cands = self._scope_members(key)
                if len(cands):
                    ok = people.active[cands] & (people.ret[cands] - term_start >= need)
                    if required:
                        ok &= people.home[cands] != org.post_area[p]
                    cands = np.sort(cands[ok])
                groups[gkey] = cands
            lists.append(cands)
        return lists, groups

    def _still_qualified(self, term_start: int) -> np.ndarray:
        """Which current pool entries still qualify (vectorised over the pool)."""
        org, people = self.org, self.people
        pp, pc = self.post, self.cadre
        if not len(pp):
            return np.zeros(0, bool)
        strict = self.strictness
        unit_area = org.unit_areas()
        ok = (
            org.post_active[pp]
            & org.post_key[pp]
            & people.active[pc]
            & (people.rank[pc] == org.post_rank[pp] - 1)
            & (people.ret[pc] - term_start >= self.appointment.min_months_left)
        )
        wide = (org.post_rank[pp] >= PROVINCIAL_LEADER_RANK) | (org.post_non_local[pp] & (strict != "off"))
        ok &= wide | (unit_area[np.maximum(people.unit[pc], 0)] == org.post_area[pp])
        if strict == "required":
            ok &= ~org.post_non_local[pp] | (people.home[pc] != org.post_area[pp])
        return ok

    # ------------------------------------------------------------------ review
    def review_new_posts(self, m: int) -> None:
        """After a restructuring action: candidates for the key posts created since the
        last review; members of posts that are gone lose those places."""
        self.review(m, only_new=True)

    def review(self, m: int, full: bool | None = None, only_new: bool = False) -> None:
        """Review the pool (rebuild it from scratch at the start and at new terms)."""
        pol, org, people = self.pars, self.org, self.people
        if full is None:
            full = m == self.model.start or m in self.rebuild_months or not len(self.post)
        posts = self.key_posts()
        term_start = self._next_term_start(m)
        if full:
            todo = posts
            kept_pp = kept_pc = np.zeros(0, np.int64)
        elif only_new:
            ok = org.post_active[self.post]
            kept_pp, kept_pc = self.post[ok], self.cadre[ok]
            todo = posts[~np.isin(posts, self._reviewed_posts)]
        else:
            ok = self._still_qualified(term_start)
            kept_pp, kept_pc = self.post[ok], self.cadre[ok]
            per_post = np.bincount(kept_pp, minlength=org.n_posts)
            todo = posts[per_post[posts] < pol.per_post_max]
        lists, groups = self._candidate_groups(todo.tolist(), term_start)
        # every candidate of the review, ascending (a mask over the population is
        # cheaper than np.unique of the concatenated groups)
        in_universe = np.zeros(people.n, bool)
        for c in groups.values():
            in_universe[c] = True
        universe = np.flatnonzero(in_universe)
        # the year's assessment (sim/processes/assessment.py) and draws keyed by cadre and
        # year: a candidate's draws depend neither on who else is reviewed nor on whether
        # a merger brought an extra review this year
        draws, keys = self.model.streams.keyed(self.stream, per="year"), people.key[universe]
        score = pool_rules.pool_score(
            pol.choice,
            people.competence[universe],
            m - people.rank_since[universe],
            (self.model.assessment.noise(universe, m), draws.uniform(keys, 1)),
            pol.noise_sd,
        ) + self.model.policy.rotation.experience_bonus * people.rotated[universe]
        young = (m - people.birth[universe]) < self.young_months
        # positions in the universe; arrays (sorted, distinct) shared by posts of one
        # scope, so build_pool ranks each scope once
        positions = {id(c): np.searchsorted(universe, c) for c in groups.values()}
        eligible = [positions[id(c)] for c in lists]
        extra = {}
        if not full:
            is_todo = np.zeros(org.n_posts, bool)
            is_todo[todo] = True
            in_todo = is_todo[kept_pp]
            outside = kept_pc[~in_todo]  # members of posts that stay as they are
            posts_held = np.bincount(outside, minlength=people.n)
            holders = np.flatnonzero(posts_held)
            extra["prior_posts"] = posts_held[universe] if len(universe) else np.zeros(0, np.int64)
            extra["prior_totals"] = (
                len(holders),
                int(people.female[holders].sum()),
                int(((m - people.birth[holders]) < self.young_months).sum()),
            )
            # kept members of the posts under review, per post in cadre order (the pool
            # arrays are sorted by post, then cadre): one searchsorted for all posts
            inside_pp, inside_pc = kept_pp[in_todo], kept_pc[in_todo]
            inside_pos = np.searchsorted(universe, inside_pc).tolist()
            lo = np.searchsorted(inside_pp, todo).tolist()
            hi = np.searchsorted(inside_pp, todo, side="right").tolist()
            extra["existing"] = [inside_pos[a:b] for a, b in zip(lo, hi)]
        chosen = pool_rules.build_pool_sorted(
            eligible,
            score,
            people.female[universe],
            young,
            per_post_max=pol.per_post_max,
            posts_per_person_max=pol.posts_per_person_max,
            women_target=pol.women_target,
            young_target=pol.young_target,
            target_mode=pol.target_mode,
            rng=draws.uniform(keys, 2),
            by_score=False,  # the pool arrays are sorted by post and cadre below
            **extra,
        )
        new_pp = np.repeat(todo, [len(c) for c in chosen]).astype(np.int64)
        new_pc = universe[np.fromiter(itertools.chain.from_iterable(chosen), np.intp)].astype(np.int64)
        if not full:
            keep = ~in_todo
            new_pp = np.concatenate([kept_pp[keep], new_pp])
            new_pc = np.concatenate([kept_pc[keep], new_pc])
        order = np.lexsort((new_pc, new_pp))
        self.post, self.cadre = new_pp[order], new_pc[order]
        self.by_post = PoolByPost(posts, self.post, self.cadre)
        self._reviewed_posts = posts
        self.members = np.flatnonzero(np.bincount(self.cadre, minlength=people.n))  # = np.unique
        self.model.log.organisation(
            m, Event.POOL_REVIEW, "", f"{'rebuilt' if full else 'reviewed'}: {len(self.members)} people for {len(posts)} key posts"
        )

    # ------------------------------------------------------------------ use
    def _ready(self, cadres: np.ndarray, rank_below, m: int) -> np.ndarray:
        """In service, one rank below the post, a full term left, minimum time in the
        current or an equivalent post, not away on rotation."""
        people, ap = self.people, self.appointment
        return (
            people.active[cadres]
            & (people.rank[cadres] == rank_below)
            & (people.ret[cadres] - m >= ap.min_months_left)
            & self.model.vacancies.tenure_ok_now(cadres, m)
            & (people.rot_end[cadres] == NEVER)
        )

    def candidates_for(self, p: int, m: int) -> np.ndarray:
        """Pool members of key post p who could take it now."""
        c = self.by_post.get(p)
        if c is None or not len(c):
            return np.zeros(0, np.int64)
        org = self.org
        if not org.post_active[p]:
            return c[:0]
        return c[self._ready(c, int(org.post_rank[p]) - 1, m)]

    def measure(self, m: int) -> dict[str, float]:
        # shares are counts over sizes: the same floats as the means of the boolean arrays
        people, org = self.people, self.org
        posts = self.key_posts()
        members = self.members
        members = members[people.active[members]] if len(members) else members
        n_people = len(members)
        out = {"pool_size": n_people}
        if n_people:
            out["pool_women_share"] = np.count_nonzero(people.female[members]) / n_people
            out["pool_under40_share"] = np.count_nonzero((m - people.birth[members]) < self.young_months) / n_people
        else:
            out["pool_women_share"] = out["pool_under40_share"] = float("nan")
        if len(posts):
            ready_entries = 0
            pp = self.post
            if len(pp):
                # also drops members who left and posts that were abolished
                ready = org.post_active[pp] & self._ready(self.cadre, org.post_rank[pp] - 1, m)
                counts = np.bincount(pp[ready], minlength=org.n_posts)
                ready_entries = int(counts[posts].sum())
            out["bench_strength"] = ready_entries / len(posts)
        else:
            out["bench_strength"] = float("nan")
        return out

    def check(self) -> None:
        """At most ``per_post_max`` candidates per post and ``posts_per_person_max``
        posts per person, each listed once per post, every member a real cadre, the
        arrays sorted by (post, cadre). Leavers may stay listed until the next review:
        they are filtered when the pool is used."""
        pp, pc = self.post, self.cadre
        if not len(pp):
            return
        people = self.people
        if len(pp) != len(pc):
            raise InvariantError("pool post and cadre arrays differ in length")
        if pc.min() < 0 or pc.max() >= people.n:
            raise InvariantError("the pool holds an index that is not a cadre")
        order = np.lexsort((pc, pp))
        if not np.array_equal(order, np.arange(len(pp))):
            raise InvariantError("the pool arrays are not sorted by (post, cadre)")
        same = (pp[1:] == pp[:-1]) & (pc[1:] == pc[:-1])
        if np.any(same):
            raise InvariantError(f"pool for post {int(pp[1:][same][0])} lists a candidate twice")
        per_post = np.bincount(pp)
        if per_post.max() > self.pars.per_post_max:
            p = int(np.argmax(per_post))
            raise InvariantError(f"pool for post {p} has {int(per_post[p])} candidates (max {self.pars.per_post_max})")
        per_person = np.bincount(pc)
        if per_person.max() > self.pars.posts_per_person_max:
            i = int(np.argmax(per_person))
            raise InvariantError(
                f"cadre {people.cadre_ids[i]} is in the pool for {int(per_person[i])} posts (max {self.pars.posts_per_person_max})"
            )
        members = np.flatnonzero(per_person)
        if not np.array_equal(members, self.members):
            raise InvariantError("the pool's member list disagrees with its entries")
        for p in np.unique(pp)[:5].tolist():  # the mapping other processes read agrees
            if not np.array_equal(np.asarray(self.by_post[p]), pc[pp == p]):
                raise InvariantError(f"the pool mapping for post {p} disagrees with the pool arrays")
