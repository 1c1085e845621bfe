"""The talent pipeline on a running model: succession pool reviews, rotation waves and
returns, the two-term limit, and the 2020 and 2025 congresses.

The rules are pure functions in sim/rules/pool.py, rotation.py and congress.py; this
module applies them to the model's arrays at dated events, so that the monthly loop only
pays for the pipeline in the months when something is scheduled.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np

from sim.core.calendar import format_month, parse_month
from sim.core.vocabulary import DEPUTY, HEAD, PROVINCE_AREA, SPECIALIST
from sim.rules import congress as congress_rules
from sim.rules import early_retirement
from sim.rules import pool as pool_rules
from sim.rules import rotation as rotation_rules
from sim.rules.retirement import retirement_month_index

NEVER = 10**9


def schedule(model) -> None:
    """Put the pipeline's dated events into the model's queue."""
    pol = model.policy
    start, end = model.start, model.end
    rebuild = [parse_month(s) for s in pol.pool.rebuild_months]
    # congresses first in their month (the pool is rebuilt after the new term starts)
    for i, s in enumerate(pol.congress.district_months):
        mo = parse_month(s)
        if start <= mo <= end:
            model.schedule(mo, DistrictCongress(i))
    for i, s in enumerate(pol.congress.province_months):
        mo = parse_month(s)
        if start <= mo <= end:
            model.schedule(mo, ProvincialCongress(i))
    # the pool is also reviewed right after a restructuring action: merged units' head
    # posts need candidates, and the old units' posts are gone
    action_months = {pa.month for pa in getattr(model, "planned", ())}
    for mo in range(start, end + 1):
        if mo == start or mo % 12 + 1 == pol.pool.review_month or mo in rebuild or mo in action_months:
            model.schedule(mo, review_pool)
        if pol.rotation.per_year > 0 and mo % 12 + 1 == pol.rotation.wave_month:
            model.schedule(mo, rotation_wave)


# --------------------------------------------------------------------------- pool
def key_posts(model) -> np.ndarray:
    """Active key posts (heads of units), cached until the organisation changes."""
    org = model.org
    cache = getattr(model, "_key_cache", None)
    if cache is None or cache[0] != org.version:
        n = org.n_posts
        ids = np.flatnonzero(org.post_active[:n] & org.post_key[:n])
        cache = (org.version, ids)
        model._key_cache = cache
    return cache[1]


def _next_term_start(model, m: int) -> int:
    later = [parse_month(s) for s in model.policy.pool.rebuild_months if parse_month(s) >= m]
    return min(later) if later else m + model.policy.appointment.term_months


def _scope_key(model, p: int, wide: bool) -> tuple[int, int, bool]:
    """Posts with the same key draw on the same candidates: rank r-1 in the post's area
    (the unit's own staff are part of it), or in every area for provincial leaders and
    for non-local-rule posts."""
    org = model.org
    r = int(org.post_rank[p])
    wide = wide or r >= 5
    return (-1 if wide else int(org.post_area[p]), r - 1, wide)


def _key_post_scopes(model) -> dict[int, tuple[tuple, tuple, bool]]:
    """For each active key post: (scope key, group key, non-local rule required).

    Posts with the same group key share one candidate array. Cached until the
    organisation changes: it depends only on the posts' rank, area and flags.
    """
    org = model.org
    cache = getattr(model, "_scope_cache", None)
    if cache is None or cache[0] != org.version:
        strict = model.policy.non_local.strictness
        scopes = {}
        for p in key_posts(model).tolist():
            non_local = bool(org.post_non_local[p])
            key = _scope_key(model, p, non_local and strict != "off")
            required = strict == "required" and non_local
            scopes[p] = (key, (*key, int(org.post_area[p]) if required else -2), required)
        cache = (org.version, scopes)
        model._scope_cache = cache
    return cache[1]


def _scope_members(model, key: tuple[int, int, bool]) -> np.ndarray:
    area, r, wide = key
    areas = range(len(model.org.area_codes)) if wide else (area,)
    out: set[int] = set()
    for a in areas:
        out |= model.by_area_rank.get((a, r), set())
    return np.fromiter(out, np.int64, len(out))


def _candidate_groups(model, posts: list[int], term_start: int) -> tuple[list[np.ndarray], dict[tuple, np.ndarray]]:
    """Eligible candidates for each post; posts with the same scope share one array."""
    org = model.org
    need = model.policy.appointment.min_months_left
    scopes = _key_post_scopes(model)
    lists = []
    groups: dict[tuple, np.ndarray] = {}
    for p in posts:
        key, gkey, required = scopes[p]
        cands = groups.get(gkey)
        if cands is None:
            cands = _scope_members(model, key)
            if len(cands):
                ok = model.active[cands] & (model.ret[cands] - term_start >= need)
                if required:
                    ok &= model.home[cands] != org.post_area[p]
                cands = np.sort(cands[ok])
            groups[gkey] = cands
        lists.append(cands)
    return lists, groups


def _still_qualified(model, term_start: int) -> np.ndarray:
    """Which current pool entries still qualify (vectorised over the pool)."""
    org = model.org
    pp, pc = model.pool_post, model.pool_cadre
    if not len(pp):
        return np.zeros(0, bool)
    strict = model.policy.non_local.strictness
    unit_area = org.unit_areas()
    ok = (
        org.post_active[pp]
        & org.post_key[pp]
        & model.active[pc]
        & (model.rank[pc] == org.post_rank[pp] - 1)
        & (model.ret[pc] - term_start >= model.policy.appointment.min_months_left)
    )
    wide = (org.post_rank[pp] >= 5) | (org.post_non_local[pp] & (strict != "off"))
    ok &= wide | (unit_area[np.maximum(model.unit[pc], 0)] == org.post_area[pp])
    if strict == "required":
        ok &= ~org.post_non_local[pp] | (model.home[pc] != org.post_area[pp])
    return ok


def review_pool(model, m: int, full: bool | None = None) -> None:
    """Review the succession pool (Reg. 50-QĐ/TW).

    At the start and at each new term (``pool.rebuild_months``) it is rebuilt from
    scratch. The yearly review and the review after a restructuring action keep the
    members who still qualify and fill only the free places, so the work is
    proportional to what changed since the last review.
    """
    pol = model.policy.pool
    org = model.org
    if full is None:
        full = m == model.start or format_month(m) in pol.rebuild_months or not len(model.pool_post)
    posts = key_posts(model)
    term_start = _next_term_start(model, m)
    if full:
        todo = posts
        kept_pp = kept_pc = np.zeros(0, np.int64)
    else:
        ok = _still_qualified(model, term_start)
        kept_pp, kept_pc = model.pool_post[ok], model.pool_cadre[ok]
        per_post = np.bincount(kept_pp, minlength=org.n_posts)
        todo = posts[per_post[posts] < pol.per_post_max]
    todo_list = todo.tolist()
    lists, groups = _candidate_groups(model, todo_list, term_start)
    # every candidate of the review, ascending (a mask over the population is cheaper
    # than np.unique of the concatenated groups)
    in_universe = np.zeros(model.n, bool)
    for c in groups.values():
        in_universe[c] = True
    universe = np.flatnonzero(in_universe)
    rng = model.streams["pool"]
    score = pool_rules.pool_score(
        pol.choice, model.competence[universe], m - model.rank_since[universe], rng, pol.noise_sd
    ) + model.policy.rotation.experience_bonus * model.rotated[universe]
    young = (m - model.birth[universe]) < pol.young_age * 12
    # positions in the universe; arrays (sorted, distinct) shared by posts of one scope,
    # so build_pool ranks each scope once
    positions = {id(c): np.searchsorted(universe, c) for c in groups.values()}
    eligible = [positions[id(c)] for c in lists]
    extra = {}
    if not full:
        is_todo = np.zeros(org.n_posts, bool)
        is_todo[todo] = True
        in_todo = is_todo[kept_pp]
        outside = kept_pc[~in_todo]  # members of posts that stay as they are
        posts_held = np.bincount(outside, minlength=model.n)
        people = np.flatnonzero(posts_held)
        extra["prior_posts"] = posts_held[universe] if len(universe) else np.zeros(0, np.int64)
        extra["prior_totals"] = (
            len(people),
            int(model.female[people].sum()),
            int(((m - model.birth[people]) < pol.young_age * 12).sum()),
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
        model.female[universe],
        young,
        per_post_max=pol.per_post_max,
        posts_per_person_max=pol.posts_per_person_max,
        women_target=pol.women_target,
        young_target=pol.young_target,
        target_mode=pol.target_mode,
        rng=rng,
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
    model.pool_post, model.pool_cadre = new_pp[order], new_pc[order]
    model.pool = PoolByPost(posts, model.pool_post, model.pool_cadre)
    model.pool_people = np.flatnonzero(np.bincount(model.pool_cadre, minlength=model.n))  # = np.unique
    model.record_restructuring(
        m, "pool_review", "", f"{'rebuilt' if full else 'reviewed'}: {len(model.pool_people)} people for {len(posts)} key posts"
    )


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


def pool_ready(model, cadres: np.ndarray, posts: np.ndarray, m: int) -> np.ndarray:
    """Pool candidates who could take their post now: in service, one rank below it,
    a full term left, minimum time in post, not away on rotation."""
    org = model.org
    ap = model.policy.appointment
    return (
        model.active[cadres]
        & org.post_active[posts]
        & (model.rank[cadres] == org.post_rank[posts] - 1)
        & (model.ret[cadres] - m >= ap.min_months_left)
        & (m - model.post_since[cadres] >= ap.min_months_in_post)
        & (model.rot_end[cadres] == NEVER)
    )


def pool_metrics(model, m: int) -> dict[str, float]:
    # shares are counts over sizes: the same floats as the means of the boolean arrays
    posts = key_posts(model)
    pc, pp = model.pool_cadre, model.pool_post
    people = model.pool_people
    people = people[model.active[people]] if len(people) else people
    n_people = len(people)
    out = {"pool_size": n_people}
    if n_people:
        out["pool_women_share"] = np.count_nonzero(model.female[people]) / n_people
        out["pool_under40_share"] = np.count_nonzero((m - model.birth[people]) < 480) / n_people
    else:
        out["pool_women_share"] = out["pool_under40_share"] = float("nan")
    if len(posts):
        ready_entries = 0
        if len(pp):
            # pool_ready also drops members who left and posts that were abolished
            ready = pool_ready(model, pc, pp, m)
            counts = np.bincount(pp[ready], minlength=model.org.n_posts)
            ready_entries = int(counts[posts].sum())
        out["bench_strength"] = ready_entries / len(posts)
    else:
        out["bench_strength"] = float("nan")
    return out


def pool_candidates_for(model, p: int, m: int) -> np.ndarray:
    """Pool members of post p who are ready now (:func:`pool_ready` for one post)."""
    c = model.pool.get(p)
    if c is None or not len(c):
        return np.zeros(0, np.int64)
    org = model.org
    if not org.post_active[p]:
        return c[:0]
    ap = model.policy.appointment
    ready = (
        model.active[c]
        & (model.rank[c] == int(org.post_rank[p]) - 1)
        & (model.ret[c] - m >= ap.min_months_left)
        & (m - model.post_since[c] >= ap.min_months_in_post)
        & (model.rot_end[c] == NEVER)
    )
    return c[ready]


# --------------------------------------------------------------------------- rotation
def rotation_wave(model, m: int) -> None:
    """Start this year's rotations (luân chuyển, Reg. 98-QĐ/TW): pool members within the
    age limits move to a vacant post of the same rank in another area for
    ``length_months``."""
    rot = model.policy.rotation
    org = model.org
    rng = model.streams["rotation"]
    cands = model.pool_people
    if len(cands):
        cands = cands[model.active[cands] & (model.rot_end[cands] == NEVER) & (model.post[cands] >= 0) & (model.rank[cands] >= 1)]
        ok = rotation_rules.eligible_for_training_rotation(
            m - model.birth[cands], model.female[cands], np.ones(len(cands), bool), rot.max_age_men, rot.max_age_women
        )
        cands = cands[ok]
    order = rng.permutation(len(cands))
    started = 0
    for i in cands[order].tolist():
        if started >= rot.per_year:
            break
        r = int(model.rank[i])
        area = int(org.post_area[model.post[i]])
        options = sorted(
            p for p in model.vacancies[r]
            if org.post_active[p] and org.post_holder[p] < 0 and org.post_kind[p] != SPECIALIST and int(org.post_area[p]) != area
        )
        origin_unit = int(model.unit[i])
        if options:
            p = options[int(rng.integers(len(options)))]
            model.move_cadre(i, p, m, "rotation_out")
        else:
            # no vacancy of that rank elsewhere: swap with a holder of an equivalent
            # post in another area, who is transferred into the rotator's post
            partners = _swap_partners(model, r, area)
            if not partners:
                continue
            j = partners[int(rng.integers(len(partners)))]
            p, p_old = int(model.post[j]), int(model.post[i])
            model._leave_post(j)
            model.move_cadre(i, p, m, "rotation_out")
            model.move_cadre(j, p_old, m, "transfer")
            model.flows["transfers"] += 1
        model.rot_end[i] = m + rot.length_months
        model.rot_origin_unit[i] = origin_unit
        model.rotated[i] = True
        model.rotating.add(i)
        model._rotation_bucket[m + rot.length_months].append(i)
        model.flows["rotations"] += 1
        started += 1


def _swap_partners(model, r: int, area: int) -> list[int]:
    """Cadres of rank r in other areas who hold a non-specialist post and are not
    rotating, ascending (vectorised: a rank can have a thousand holders)."""
    org = model.org
    sets = (model.by_area_rank.get((a, r), ()) for a in range(len(org.area_codes)) if a != area)
    people = np.fromiter(itertools.chain.from_iterable(sets), np.int64)
    posts = model.post[people]
    ok = (posts >= 0) & (model.rot_end[people] == NEVER) & (org.post_kind[np.maximum(posts, 0)] != SPECIALIST)
    return np.sort(people[ok]).tolist()


def rotation_returns(model, m: int) -> None:
    """Rotations that end this month: back to an equivalent post in the home unit's area
    (one rank higher with a small probability); if none is vacant, stay where they are."""
    rot = model.policy.rotation
    org = model.org
    rng = model.streams["rotation"]
    for i in model._rotation_bucket.pop(m, ()):
        if not model.active[i] or model.rot_end[i] != m:
            continue
        model.rot_end[i] = NEVER
        model.rotating.discard(i)
        origin = org.units[int(model.rot_origin_unit[i])]
        area = origin.area
        if not origin.active:  # merged away meanwhile: go back to the area
            origin = None
        r = rotation_rules.return_rank(int(model.rank[i]), float(rng.random()), rot.higher_return_probability, max_rank=6)
        p = _vacancy_in(model, r, area, origin)
        if p is None and r != int(model.rank[i]):
            r = int(model.rank[i])
            p = _vacancy_in(model, r, area, origin)
        if p is None:
            model._record_event(m, "rotation_end_in_place", i)
            continue
        higher = r > int(model.rank[i])
        # a return one rank up is a promotion: recorded as one, so events and flows agree
        model.move_cadre(i, p, m, "promotion" if higher else "rotation_return")
        if higher:
            model.flows["promotions"] += 1


def _vacancy_in(model, r: int, area: int, unit) -> int | None:
    org = model.org
    best = None
    for p in sorted(model.vacancies[r]):
        if not org.post_active[p] or org.post_holder[p] >= 0 or org.post_kind[p] == SPECIALIST:
            continue
        if unit is not None and int(org.post_unit[p]) == unit.index:
            return p
        if best is None and int(org.post_area[p]) == area:
            best = p
    return best


# --------------------------------------------------------------------------- term limit
def enforce_term_limit(model, i: int, m: int) -> None:
    """A head at the two-term limit moves to an equivalent post (Reg. 98, Reg. 65):
    a vacant post of the same rank in another unit, else a swap with the holder of one.

    A move to another area is a rule rotation and needs five years of service left
    (``policy.rotation.min_months_left_other``, Reg. 98 art. 5); with less, the head
    moves within the same area.
    """
    org = model.org
    p_old = int(model.post[i])
    r = int(model.rank[i])
    area = int(org.post_area[p_old])
    u = int(org.post_unit[p_old])
    months_left = np.array([int(model.ret[i]) - m])
    far_ok = bool(rotation_rules.eligible_for_rule_move(months_left, model.policy.rotation.min_months_left_other)[0])
    fallback = None
    for p in sorted(model.vacancies[r]):
        if not org.post_active[p] or org.post_holder[p] >= 0 or int(org.post_unit[p]) == u or org.post_kind[p] == SPECIALIST:
            continue
        if int(org.post_area[p]) == area:
            fallback = p
            break
        if fallback is None and far_ok:
            fallback = p
    if fallback is not None:
        model.move_cadre(i, fallback, m, "term_limit_move")
        return
    # swap with a head or deputy of the same rank elsewhere (same area first)
    def holders(areas) -> list[int]:
        return sorted(
            j
            for a in areas
            for j in model.by_area_rank.get((a, r), ())
            if model.post[j] >= 0 and int(model.unit[j]) != u and org.post_kind[model.post[j]] in (HEAD, DEPUTY)
        )

    partners = holders([area])
    if not partners and far_ok:
        partners = holders(a for a in range(len(org.area_codes)) if a != area)
    if not partners:
        model._record_event(m, "term_limit_no_post", i)
        return
    j = partners[0]
    p_j = int(model.post[j])
    model._leave_post(j)
    model.move_cadre(i, p_j, m, "term_limit_move")
    model.move_cadre(j, p_old, m, "term_limit_swap")


# --------------------------------------------------------------------------- congresses
def _age_basis(model, round_index: int) -> tuple[str, int]:
    c = model.policy.congress
    if round_index == 0:
        return c.age_rule_basis, c.reelected_min_months
    return c.age_rule_basis_2025, c.reelected_min_months_2025


def _months_left_on(model, cadres: np.ndarray, rule: str, m: int) -> np.ndarray:
    return retirement_month_index(model.birth[cadres], model.female[cadres], rule) - m


def _not_reelected(model, units, rule: str, min_months: int, m: int) -> int:
    """Holders of Party-committee leadership posts without enough working time left on
    the directive's age basis are not re-elected; they leave with the over-age
    early-retirement regime (Decree 26/2015)."""
    org = model.org
    out = 0
    # removing one holder changes no other post's holder: the holders and their
    # working time left can be read first, in one vectorised call
    holders = [h for u in units for p in org.posts_of(u) if (h := int(org.post_holder[p])) >= 0]
    if not holders:
        return out
    months_left = _months_left_on(model, np.array(holders), rule, m).tolist()
    for h, left in zip(holders, months_left):
        if left < min_months:
            months = early_retirement.payment_decree_26(max(int(model.ret[h]) - m, 0), m - int(model.entry[h]))
            model.flows["severance_cost"] += months * float(model.pay[h])
            model.remove_cadre(h, "early_retirement", m, detail="not re-elected (Decree 26/2015)")
            out += 1
    return out


def _non_local_share(model, units) -> float:
    org = model.org
    holders = [int(org.post_holder[p]) for u in units for p in org.posts_of(u, HEAD) if org.post_holder[p] >= 0]
    if not holders:
        return float("nan")
    h = np.array(holders)
    areas = np.array([org.units[int(model.unit[i])].area for i in holders])
    return float((model.home[h] != areas).mean())


def _district_party_committees(model):
    return [u for u in model.org.units if u.active and u.level == "district" and u.function == "leadership_party"]


class DistrictCongress:
    """District Party congresses (Directive 35: mid-2020; 2025): over-age leaders leave."""

    def __init__(self, round_index: int):
        self.round_index = round_index

    def __call__(self, model, m: int) -> None:
        rule, min_months = _age_basis(model, self.round_index)
        units = _district_party_committees(model)
        gone = _not_reelected(model, units, rule, min_months, m)
        year = m // 12
        model.summary_extra[f"district_congress_{year}_not_reelected"] = float(gone)
        model.summary_extra[f"district_congress_{year}_non_local_secretaries"] = _non_local_share(model, units)
        model.record_restructuring(m, "district_congress", "", f"{len(units)} district congresses; {gone} not re-elected")


class ProvincialCongress:
    """The provincial Party congress: elects the provincial Party committee (Directive 35)."""

    def __init__(self, round_index: int):
        self.round_index = round_index

    def __call__(self, model, m: int) -> None:
        c = model.policy.congress
        org = model.org
        rule, min_months = _age_basis(model, self.round_index)
        standing = [u for u in org.units if u.active and u.level == "province" and u.function == "leadership_party"]
        _not_reelected(model, standing, rule, min_months, m)
        n = model.n
        holders = np.flatnonzero(model.active[:n] & (model.post[:n] >= 0) & (model.rank[:n] >= 4))
        pool_for_top = np.zeros(0, np.int64)
        if len(model.pool_post):
            sel = (org.post_rank[model.pool_post] >= 4) & model.active[model.pool_cadre]
            pool_for_top = model.pool_cadre[sel]
        cands = np.unique(np.concatenate([holders, pool_for_top]))
        size = congress_rules.committee_size(model.committee_size, c.shrink)
        rng = model.streams["congress"]
        score = model.competence[cands] + rng.normal(0.0, model.policy.selection.noise_sd, len(cands))
        age = (m - model.birth[cands]) / 12.0
        selected = congress_rules.select_committee(
            model.in_committee[cands],
            _months_left_on(model, cands, rule, m),
            model.female[cands],
            age,
            score,
            size,
            first_time_min_months=c.first_time_min_months,
            reelected_min_months=min_months,
            women_target=c.women_target,
            under40_target=c.under40_target,
            key_post=model.rank[cands] >= 5,
        )
        comp = congress_rules.composition(selected, model.in_committee[cands], model.female[cands], age)
        year = m // 12
        for k, v in comp.items():
            model.summary_extra[f"congress_{year}_{k}"] = float(v)
        model.summary_extra[f"congress_{year}_non_local_district_secretaries"] = _non_local_share(
            model, _district_party_committees(model)
        )
        pm = pool_metrics(model, m)
        for k in ("pool_size", "pool_women_share", "pool_under40_share", "bench_strength"):
            model.summary_extra[f"congress_{year}_{k}"] = float(pm[k])
        model.in_committee[:] = False
        model.in_committee[cands[selected]] = True
        model.committee_size = size
        model.record_restructuring(
            m, "provincial_congress", "P", f"committee of {comp['size']} elected at {format_month(m)}"
        )


__all__ = ["schedule", "review_pool", "pool_metrics", "rotation_wave", "rotation_returns", "enforce_term_limit", "PROVINCE_AREA"]
