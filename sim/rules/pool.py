"""The succession pool (quy hoạch): who is designated for which post.

Source: Regulation 50-QĐ/TW (2021) on cadre planning:

* at most **3 candidates per post** (``per_post_max``);
* one person in the pool for at most **3 posts** at one level (``posts_per_person_max``);
* candidates need a full term of working age left (applied by the caller, which passes
  only eligible candidates);
* composition targets for the pool at province and district level: **women >= 25%**,
  **young (under 40) >= 15%**.

The regulation states the targets but not how a Standing Committee reaches them; the
three ``target_mode`` values are modelling choices (none / a score preference / a hard
quota by swaps), and the size of the preference is an estimate.

Arrays are indexed by *position* in the candidate arrays (``score``, ``female``,
``young``); the caller maps positions back to cadre ids.
"""

from __future__ import annotations

import math

import numpy as np

CHOICE_RULES = ("merit", "seniority", "random", "mixed")
TARGET_MODES = ("none", "preference", "quota")

PER_POST_MAX = 3  # Reg. 50-QĐ/TW (2021): at most 3 candidates per post
POSTS_PER_PERSON_MAX = 3  # Reg. 50-QĐ/TW (2021): one person for at most 3 posts
WOMEN_TARGET = 0.25  # Reg. 50-QĐ/TW (2021): women >= 25% of the pool
YOUNG_TARGET = 0.15  # Reg. 50-QĐ/TW (2021): under 40 >= 15% (province, district)
# Bonus given to a woman (young) candidate while the pool is below its women (young)
# target, in standard deviations of the candidates' scores. Estimate: Reg. 50 sets the
# targets but not how strongly selection pursues them.
PREFERENCE_BONUS_SD = 1.0


def _standardise(x: np.ndarray) -> np.ndarray:
    """(x - mean) / sd; zeros where the sd is 0 (all equal)."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def pool_score(
    rule: str,
    competence: np.ndarray,
    months_in_rank: np.ndarray,
    rng: np.random.Generator | tuple[np.ndarray, np.ndarray],
    noise_sd: float = 0.5,
) -> np.ndarray:
    """Score of each candidate for the pool (higher is better), by the choice rule.

    * ``merit``: observed competence = latent competence + N(0, ``noise_sd``) noise
      (``noise_sd`` is an estimate: panels see merit imperfectly, as in
      :mod:`sim.rules.selection`).
    * ``seniority``: months in rank, ties broken at random (a uniform draw in [0, 1)
      added, less than one month).
    * ``random``: a uniform draw.
    * ``mixed``: the mean of the standardised merit score and the standardised
      seniority score.

    The same draws (one normal and one uniform per candidate, in that order) are taken
    whatever the rule, so switching rules does not shift the caller's random stream.
    ``rng`` is a generator to take them from, or the pair (normals, uniforms) of arrays
    already drawn (the model keys them by cadre).
    """
    if rule not in CHOICE_RULES:
        raise ValueError(f"unknown pool choice rule {rule!r}; valid rules: {', '.join(CHOICE_RULES)}")
    competence = np.asarray(competence, dtype=float)
    months_in_rank = np.asarray(months_in_rank, dtype=float)
    n = competence.size
    if noise_sd < 0:
        raise ValueError(f"noise_sd = {noise_sd} must be >= 0")
    if isinstance(rng, np.random.Generator):
        noise, uniform = rng.standard_normal(n), rng.random(n)
    else:
        noise, uniform = (np.asarray(a, float) for a in rng)
        if noise.shape != (n,) or uniform.shape != (n,):
            raise ValueError(f"need one normal and one uniform draw per candidate ({n})")
    merit = competence + noise_sd * noise
    seniority = months_in_rank + uniform
    if rule == "merit":
        return merit
    if rule == "seniority":
        return seniority
    if rule == "random":
        return uniform
    return 0.5 * (_standardise(merit) + _standardise(seniority))


def pool_shares(pool: list[np.ndarray], female: np.ndarray, young: np.ndarray) -> tuple[int, float, float]:
    """(size, women_share, young_share) of the pool, counting distinct persons.

    A person designated for several posts counts once. Shares are NaN for an empty pool.
    """
    members = np.unique(np.concatenate([np.asarray(p, dtype=np.intp) for p in pool])) if pool else np.array([], np.intp)
    size = int(members.size)
    if size == 0:
        return 0, math.nan, math.nan
    female = np.asarray(female, dtype=bool)
    young = np.asarray(young, dtype=bool)
    return size, float(female[members].mean()), float(young[members].mean())


class _PoolState:
    """Running bookkeeping of a pool under construction (private).

    Distinct members and their women/young counts are kept as running counters, so a
    share costs O(1) rather than a pass over all candidates.
    """

    def __init__(self, n_posts: int, n: int, female: np.ndarray, young: np.ndarray):
        self.members: list[list[int]] = [[] for _ in range(n_posts)]
        self.count = [0] * n  # posts per person (a list: scalar access is the hot path)
        self.attr = {"female": female.tolist(), "young": young.tolist()}
        self._distinct = 0
        self._with = {"female": 0, "young": 0}

    def add(self, j: int, i: int) -> None:
        self.members[j].append(i)
        if self.count[i] == 0:
            self._distinct += 1
            for name, a in self.attr.items():
                self._with[name] += int(a[i])
        self.count[i] += 1

    def remove(self, j: int, i: int) -> None:
        self.members[j].remove(i)
        self.count[i] -= 1
        if self.count[i] == 0:
            self._distinct -= 1
            for name, a in self.attr.items():
                self._with[name] -= int(a[i])

    def distinct(self) -> int:
        return self._distinct

    def n_with(self, name: str) -> int:
        return self._with[name]

    def share(self, name: str) -> float:
        d = self.distinct()
        return self.n_with(name) / d if d else 0.0

    def share_after_swap(self, name: str, out: int, inc: int) -> float:
        """Share of ``name`` if ``out`` loses one post and ``inc`` gains one."""
        d, k = self.distinct(), self.n_with(name)
        a = self.attr[name]
        if self.count[out] == 1:  # out leaves the pool
            d -= 1
            k -= int(a[out])
        if self.count[inc] == 0:  # inc joins the pool
            d += 1
            k += int(a[inc])
        return k / d if d else 0.0


def build_pool(
    eligible: list[np.ndarray],
    score: np.ndarray,
    female: np.ndarray,
    young: np.ndarray,
    *,
    per_post_max: int = PER_POST_MAX,
    posts_per_person_max: int = POSTS_PER_PERSON_MAX,
    women_target: float = WOMEN_TARGET,
    young_target: float = YOUNG_TARGET,
    target_mode: str = "preference",
    rng: np.random.Generator | None = None,
    preference_bonus_sd: float = PREFERENCE_BONUS_SD,
    existing: list[np.ndarray] | None = None,
    prior_posts: np.ndarray | None = None,
    prior_totals: tuple[int, int, int] = (0, 0, 0),
) -> list[np.ndarray]:
    """Designate up to ``per_post_max`` candidates for each post (Regulation 50-QĐ/TW).

    ``existing[j]`` (optional): positions already designated for post j and kept (a
    yearly review supplements the pool rather than rebuilding it); they count towards
    every limit and share, and only the free places are filled. ``prior_posts``
    (per candidate) and ``prior_totals`` (distinct people, women, young) describe pool
    members designated for posts outside this call, so the posts-per-person limit and
    the targets apply to the whole pool.

    Parameters
    ----------
    eligible
        ``eligible[j]``: positions of the candidates eligible for post j (the caller has
        applied the rank, scope and age rules). Duplicates are ignored.
    score
        One finite score per candidate, higher is better (e.g. from :func:`pool_score`).
    female, young
        Booleans per candidate (young = under 40 at the review, Reg. 50).
    target_mode
        ``"none"``: by score only. ``"preference"``: while the pool's running share of
        women (young) among distinct persons is below ``women_target``
        (``young_target``), women (young) candidates get ``preference_bonus_sd``
        standard deviations of ``score`` (over all candidates; 1.0 if all are equal)
        added; the two bonuses add up, and an empty pool counts as below target. ``"quota"``: fill by score, then swap the lowest-scoring member
        without the attribute for the best available eligible candidate with it, while
        the pool-level share is below target and a swap that raises it exists (women
        first; a young swap never takes the women share below its target, or below
        its current value if that is already short).
    rng
        Optional; breaks exact score ties at random: a generator, or one uniform draw per
        candidate. Without it ties go to the lower position.

    Greedy: posts are processed in order of scarcity (fewest eligible first, ties by
    post index), and within a post the best-scoring available candidate is taken one at
    a time. Guarantees: no person in more than ``posts_per_person_max`` posts, no person
    twice in a post, at most ``per_post_max`` per post, every member eligible for the
    post. Returns one int array per post, ordered by descending ``score``.
    """
    if target_mode not in TARGET_MODES:
        raise ValueError(f"unknown target_mode {target_mode!r}; valid: {', '.join(TARGET_MODES)}")
    if per_post_max < 0 or posts_per_person_max < 0:
        raise ValueError("per_post_max and posts_per_person_max must be >= 0")
    # Posts that share a candidate array (same scope) share one cleaned copy, so the
    # ranking below is computed once per scope rather than once per post.
    cleaned: dict[int, np.ndarray] = {}
    elig = []
    for e in eligible:
        key = id(e)
        if key not in cleaned:
            cleaned[key] = np.unique(np.asarray(e, dtype=np.intp))
        elig.append(cleaned[key])
    members = build_pool_sorted(
        elig,
        score,
        female,
        young,
        per_post_max=per_post_max,
        posts_per_person_max=posts_per_person_max,
        women_target=women_target,
        young_target=young_target,
        target_mode=target_mode,
        rng=rng,
        preference_bonus_sd=preference_bonus_sd,
        existing=existing,
        prior_posts=prior_posts,
        prior_totals=prior_totals,
    )
    return [np.array(m, dtype=np.intp) for m in members]


def build_pool_sorted(
    eligible: list[np.ndarray],
    score: np.ndarray,
    female: np.ndarray,
    young: np.ndarray,
    *,
    per_post_max: int = PER_POST_MAX,
    posts_per_person_max: int = POSTS_PER_PERSON_MAX,
    women_target: float = WOMEN_TARGET,
    young_target: float = YOUNG_TARGET,
    target_mode: str = "preference",
    rng: np.random.Generator | np.ndarray | None = None,
    preference_bonus_sd: float = PREFERENCE_BONUS_SD,
    existing: list | None = None,
    prior_posts: np.ndarray | None = None,
    prior_totals: tuple[int, int, int] = (0, 0, 0),
    by_score: bool = True,
) -> list[list[int]]:
    """:func:`build_pool` for callers whose ``eligible`` arrays are already sorted and
    free of duplicates (the model's reviews); returns plain lists of positions.

    Same rules, same random draws and same members as :func:`build_pool`; posts that
    share one array object share its ranking. ``by_score=False`` leaves each post's
    members in the order they were designated (for callers that re-sort them anyway).
    """
    if target_mode not in TARGET_MODES:
        raise ValueError(f"unknown target_mode {target_mode!r}; valid: {', '.join(TARGET_MODES)}")
    if per_post_max < 0 or posts_per_person_max < 0:
        raise ValueError("per_post_max and posts_per_person_max must be >= 0")
    score = np.asarray(score, dtype=float)
    female = np.asarray(female, dtype=bool)
    young = np.asarray(young, dtype=bool)
    n = score.size
    if female.size != n or young.size != n:
        raise ValueError("score, female and young must have the same length")
    elig = eligible
    checked: set[int] = set()
    for j, e in enumerate(elig):
        if id(e) in checked:  # a shared array is checked once
            continue
        checked.add(id(e))
        if e.size and (e[0] < 0 or e[-1] >= n):
            raise ValueError(f"eligible[{j}] holds positions outside 0..{n - 1}")

    # Tie-break rank: 0 is best. Exact ties go to a random order (rng) or the lower position.
    if rng is None:
        tiebreak = np.arange(n, dtype=float)
    elif isinstance(rng, np.random.Generator):
        tiebreak = rng.random(n)
    else:
        tiebreak = np.asarray(rng, float)
        if tiebreak.shape != (n,):
            raise ValueError(f"need one tie-break draw per candidate ({n})")
    order = np.lexsort((tiebreak, -score))  # best first
    rank_of = np.empty(n, dtype=np.int64)
    rank_of[order] = np.arange(n)

    sd = float(score.std()) if n else 0.0
    bonus = preference_bonus_sd * (sd if sd > 0 else 1.0)
    state = _PoolState(len(elig), n, female, young)
    prefer = target_mode == "preference"
    if prior_posts is not None:
        state.count = np.asarray(prior_posts).astype(np.int64).tolist()
        state._distinct, state._with["female"], state._with["young"] = (int(x) for x in prior_totals)

    # hot loops: plain lists and local counters (numpy scalar access costs ~1 us)
    count = state.count
    fem, yng = state.attr["female"], state.attr["young"]
    with_w, with_y = state._with["female"], state._with["young"]
    distinct = state._distinct
    ppm = posts_per_person_max
    members_of = state.members
    if existing is not None:
        for j, kept in enumerate(existing):
            kept = kept if isinstance(kept, list) else np.asarray(kept, dtype=np.intp).tolist()
            members = members_of[j]
            for i in dict.fromkeys(kept):
                if len(members) < per_post_max:
                    members.append(i)
                    if count[i] == 0:
                        distinct += 1
                        with_w += fem[i]
                        with_y += yng[i]
                    count[i] += 1

    orders: dict[tuple[int, bool, bool], list] = {}  # scope -> [ranked candidates, first usable]

    def short_targets() -> tuple[bool, bool]:
        """Which targets the pool is below now (an empty pool is below any target > 0)."""
        if not prefer:
            return (False, False)
        if distinct:
            return (with_w < women_target * distinct, with_y < young_target * distinct)
        return (women_target > 0, young_target > 0)

    # the shortfalls change only when someone new joins the pool: kept up to date there
    now = short_targets()
    sizes = [e.size for e in elig]
    # scarcest posts first; the sort is stable, so ties stay in post order
    for j in sorted(range(len(elig)), key=sizes.__getitem__):
        if not sizes[j]:
            continue
        members = members_of[j]
        free = per_post_max - len(members)
        if free <= 0:
            continue
        cands = elig[j]
        flags = None
        while free > 0:
            # the order depends only on the candidates and on which targets are short
            if now != flags:
                flags = now
                key = (id(cands), *now)
                entry = orders.get(key)
                if entry is None:
                    adj = score[cands] + bonus * (now[0] * female[cands] + now[1] * young[cands])
                    entry = orders[key] = [cands[np.lexsort((rank_of[cands], -adj))].tolist(), 0]
                ranked = entry[0]
                n_ranked = len(ranked)
            # people at their posts-per-person limit stay there: skip them for good
            start = entry[1]
            while start < n_ranked and count[ranked[start]] >= ppm:
                start += 1
            entry[1] = start
            best = -1
            for k in range(start, n_ranked):
                i = ranked[k]
                if count[i] < ppm and i not in members:
                    best = i
                    break
            if best < 0:
                break
            members.append(best)
            free -= 1
            if count[best] == 0:
                distinct += 1
                with_w += fem[best]
                with_y += yng[best]
                now = short_targets()
            count[best] += 1
    state._distinct = distinct
    state._with["female"], state._with["young"] = with_w, with_y

    if target_mode == "quota":
        _swap_towards(state, elig, "female", women_target, rank_of, posts_per_person_max, guard=None)
        _swap_towards(state, elig, "young", young_target, rank_of, posts_per_person_max, guard=("female", women_target))

    if not by_score:
        return members_of
    rank_list = rank_of.tolist()
    return [sorted(m, key=rank_list.__getitem__) for m in members_of]


def _swap_towards(
    state: _PoolState,
    elig: list[np.ndarray],
    name: str,
    target: float,
    rank_of: np.ndarray,
    posts_per_person_max: int,
    guard: tuple[str, float] | None,
) -> None:
    """Quota mode: swap members without ``name`` for eligible ones with it (in place).

    Each swap must strictly raise the pool share of ``name``; with a ``guard``
    (other attribute, its target) a swap may not lower that attribute's share below
    min(its target, its current share). Members leave lowest score first; entrants are
    the best-scoring available.
    """
    a = state.attr[name]
    while state.distinct() and state.share(name) < target:
        current = state.share(name)
        guard_floor = min(guard[1], state.share(guard[0])) if guard else None
        # members without the attribute, lowest score (highest rank number) first
        outs = sorted(
            ((j, i) for j, m in enumerate(state.members) for i in m if not a[i]),
            key=lambda ji: -rank_of[ji[1]],
        )
        done = False
        for j, out in outs:
            cands = elig[j]
            counts = np.asarray(state.count)[cands]
            inc = cands[np.asarray(a)[cands] & (counts < posts_per_person_max) & ~np.isin(cands, state.members[j])]
            for i in inc[np.argsort(rank_of[inc], kind="stable")]:
                if state.share_after_swap(name, out, int(i)) <= current:
                    continue
                if guard and state.share_after_swap(guard[0], out, int(i)) < guard_floor:
                    continue
                state.remove(j, out)
                state.add(j, int(i))
                done = True
                break
            if done:
                break
        if not done:
            return
