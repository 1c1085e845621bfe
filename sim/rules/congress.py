"""Party congresses: who may be elected to a Party committee, and who is.

Source: Directive 35-CT/TW (30 May 2019) on Party congresses at all levels towards the
13th National Congress:

* **age rule**: a first-time committee member needs a full term (60 months) of working
  age left at the start of the congress; a re-elected member at least half a term
  (30 months). The directive computed this with the retirement ages then in force
  (Labour Code 2012: 60 men, 55 women) at reference months of Sep 2020 (province) and
  Jun 2020 (district), and published the results as birth-month cut-offs, e.g.
  first-time provincial members: men born from Sep 1965, women from Sep 1970.
  :func:`birth_cutoff` derives such cut-offs from the rule instead of storing them.
* **size**: about 5% fewer members than the 2015–2020 maximum.
* **composition**: under 40 at least 10%, 40–50 about 40–50%; women at least 15%
  (medium confidence).

The incumbent committee at the start (:func:`seed_committee`) is drawn to the 2015
outcome (mean age 50.05, women 13 %: Women's Union report on the first 21 provinces,
hoilhpn.org.vn), and each committee elects a standing committee (:func:`select_standing`;
about 15 members in 2015, same report).

The same functions serve the 2025 round (Directive 45-CT/TW, 14 Apr 2025: reference
months Jun 2025 district / Sep 2025 province, re-election 48 months, current ages).
"""

from __future__ import annotations

import math

import numpy as np

from sim.rules.eligibility import months_left

FIRST_TIME_MIN_MONTHS = 60  # Directive 35-CT/TW: a full term of working age left
REELECTED_MIN_MONTHS = 30  # Directive 35-CT/TW: at least half a term left
WOMEN_TARGET = 0.15  # Directive 35-CT/TW (medium confidence)
UNDER40_TARGET = 0.10  # Directive 35-CT/TW: under 40 at least 10%
SHRINK = 0.05  # Directive 35-CT/TW: about 5% fewer members than the 2015-2020 maximum
# Bonus added to a woman's (under-40's) score while the committee's women (under-40)
# target is unmet, in standard deviations of the eligible candidates' scores.
# Estimate: the directive sets the targets, not how selection pursues them.
PREFERENCE_BONUS_SD = 1.0
TARGET_MODES = ("none", "preference", "quota")


def birth_cutoff(
    ref_year: int, ref_month: int, sex: str, min_months: int, rule: str = "labour_code_2012"
) -> tuple[int, int]:
    """Earliest birth (year, month) with at least ``min_months`` of working age left.

    That is, the least birth month B such that
    ``months_left(B, sex, ref_year, ref_month, rule) >= min_months``; everyone born in B
    or later qualifies (retirement never comes earlier for a later birth). With
    ``rule="labour_code_2012"`` and reference 2020-09, 60 months, this is Directive
    35's published cut-off for first-time provincial members (men from Sep 1965).
    """
    ref = ref_year * 12 + ref_month - 1

    def ok(b: int) -> bool:
        return months_left(b // 12, b % 12 + 1, sex, ref_year, ref_month, rule) >= min_months

    lo, hi = ref - min_months - 80 * 12, ref  # ok(lo) is False; ok(hi) must be True
    if ok(lo) or not ok(hi):
        raise ValueError(f"no birth cut-off for {min_months} months left at {ref_year}-{ref_month:02d} ({sex}, {rule})")
    while hi - lo > 1:  # bisection on a monotone predicate: keep ok(lo) False, ok(hi) True
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi // 12, hi % 12 + 1


def age_rule_ok(
    incumbent: np.ndarray,
    left_months: np.ndarray,
    first_time_min_months: int = FIRST_TIME_MIN_MONTHS,
    reelected_min_months: int = REELECTED_MIN_MONTHS,
) -> np.ndarray:
    """Directive 35 age rule per candidate: incumbents need ``reelected_min_months``
    left, newcomers ``first_time_min_months`` (months to statutory retirement at the
    reference month)."""
    incumbent = np.asarray(incumbent, dtype=bool)
    left = np.asarray(left_months)
    return np.where(incumbent, left >= reelected_min_months, left >= first_time_min_months)


def select_committee(
    incumbent: np.ndarray,
    months_left: np.ndarray,
    female: np.ndarray,
    age_years: np.ndarray,
    score: np.ndarray,
    size: int,
    *,
    first_time_min_months: int = FIRST_TIME_MIN_MONTHS,
    reelected_min_months: int = REELECTED_MIN_MONTHS,
    women_target: float = WOMEN_TARGET,
    under40_target: float = UNDER40_TARGET,
    key_post: np.ndarray | None = None,
    target_mode: str = "preference",
    preference_bonus_sd: float = PREFERENCE_BONUS_SD,
) -> np.ndarray:
    """Positions of the elected committee members (at most ``size``), in election order.

    1. **Age rule** (Directive 35-CT/TW): incumbents need ``reelected_min_months`` left,
       first-timers ``first_time_min_months``; others cannot be elected.
    2. **Key-post holders first**: eligible holders of key posts (``key_post``) are
       elected, as their posts carry committee membership in practice; if there are
       more than ``size``, the best-scoring ones.
    3. **The rest by score**, one seat at a time. Targets are counts:
       ceil(target × seats filled in the end). With ``target_mode="preference"``
       (default), while the women (under-40) count is below its target, women
       (under 40) get ``preference_bonus_sd`` standard deviations of the eligible
       candidates' scores added (estimate). ``"quota"`` gives the unmet group the seat
       outright while an eligible member of it is left; ``"none"`` ignores targets.

    ``months_left`` is months to statutory retirement at the congress's reference
    month, computed with the ages the directive used (config
    ``policy.congress.age_rule_basis``: the 2012 ages for 2020, see :func:`birth_cutoff`).
    ``age_years`` is age at the congress (under 40 = ``age_years < 40``).
    Ties go to the lower position. Returns an int array of positions.
    """
    if target_mode not in TARGET_MODES:
        raise ValueError(f"unknown target_mode {target_mode!r}; valid: {', '.join(TARGET_MODES)}")
    score = np.asarray(score, dtype=float)
    female = np.asarray(female, dtype=bool)
    under40 = np.asarray(age_years, dtype=float) < 40
    n = score.size
    key = np.zeros(n, dtype=bool) if key_post is None else np.asarray(key_post, dtype=bool)
    eligible = age_rule_ok(incumbent, months_left, first_time_min_months, reelected_min_months)
    size = max(int(size), 0)
    seats = min(size, int(eligible.sum()))

    def best_first(pos: np.ndarray, s: np.ndarray) -> np.ndarray:
        return pos[np.lexsort((pos, -s))]

    keyed = np.flatnonzero(eligible & key)
    chosen = list(best_first(keyed, score[keyed])[:seats])
    taken = np.zeros(n, dtype=bool)
    taken[chosen] = True

    need_w = math.ceil(women_target * seats - 1e-9)
    need_y = math.ceil(under40_target * seats - 1e-9)
    pool = np.flatnonzero(eligible)
    sd = float(score[pool].std()) if pool.size else 0.0
    bonus = preference_bonus_sd * (sd if sd > 0 else 1.0)

    while len(chosen) < seats:
        free = np.flatnonzero(eligible & ~taken)
        short_w = int(female[taken].sum()) < need_w
        short_y = int(under40[taken].sum()) < need_y
        adj = score[free].copy()
        if target_mode == "preference":
            adj += bonus * (short_w * female[free].astype(float) + short_y * under40[free].astype(float))
        elif target_mode == "quota":
            wanted = (short_w & female[free]) | (short_y & under40[free])
            if wanted.any():
                free, adj = free[wanted], adj[wanted]
        i = int(best_first(free, adj)[0])
        chosen.append(i)
        taken[i] = True
    return np.array(chosen, dtype=np.intp)


def committee_size(previous_size: int, shrink: float = SHRINK) -> int:
    """New committee size: ``floor(previous_size × (1 − shrink))``, at least 1.

    Directive 35-CT/TW: about 5% fewer members than the 2015–2020 maximum. Rounding
    down keeps the cut at least ``shrink``; it reproduces Thái Bình, 54 → 51
    (baochinhphu.vn; thoidai.com.vn).
    """
    if not 0.0 <= shrink < 1.0:
        raise ValueError(f"shrink = {shrink} must be in [0, 1)")
    return max(1, math.floor(previous_size * (1.0 - shrink) + 1e-9))


def composition(
    selected: np.ndarray, incumbent: np.ndarray, female: np.ndarray, age_years: np.ndarray
) -> dict[str, float]:
    """Size and make-up of an elected committee.

    Keys: ``size``; ``share_new`` (not incumbents); ``share_women``; ``share_under40``
    (age < 40, Directive 35's band); ``mean_age`` (years). Shares and mean are NaN for
    an empty committee.
    """
    sel = np.asarray(selected, dtype=np.intp)
    if sel.size == 0:
        return {
            "size": 0,
            "share_new": math.nan,
            "share_women": math.nan,
            "share_under40": math.nan,
            "mean_age": math.nan,
        }
    age = np.asarray(age_years, dtype=float)[sel]
    return {
        "size": int(sel.size),
        "share_new": float(1.0 - np.asarray(incumbent, dtype=bool)[sel].mean()),
        "share_women": float(np.asarray(female, dtype=bool)[sel].mean()),
        "share_under40": float((age < 40).mean()),
        "mean_age": float(age.mean()),
    }


def previous_round(listed: list[int], period_months: int, before: int) -> tuple[int, int]:
    """The last congress (or election) held before month ``before``, and its round.

    ``listed`` are the known months (ascending month indices), later ones follow every
    ``period_months``. Returns ``(month, k)``: the round's index ``k`` in that cycle
    (0 for the first listed month), or ``k = -1`` for the round one period before the
    first listed month (the 2015 congresses, for a start in 2018). Derived, not stored.
    """
    if not listed:
        raise ValueError("no congress months listed")
    if period_months <= 0:
        raise ValueError(f"period_months = {period_months} must be > 0")
    first = min(listed)
    if before <= first:
        return first - period_months * ((first - before) // period_months + 1), -1
    held = sorted(listed)
    while held[-1] + period_months < before:
        held.append(held[-1] + period_months)
    k = max(i for i, mo in enumerate(held) if mo < before)
    return held[k], k


def seed_committee(
    eligible: np.ndarray,
    first: np.ndarray,
    female: np.ndarray,
    age_years: np.ndarray,
    u: np.ndarray,
    size: int,
    *,
    women_share: float,
    mean_age: float,
    order_first: np.ndarray | None = None,
) -> np.ndarray:
    """Positions of an incumbent committee drawn to a known composition, in order.

    1. Eligible candidates marked ``first`` (the top leaders) first, in ascending
       ``order_first`` (e.g. minus the rank: the highest rank first), at most ``size``.
    2. The other seats by a weighted draw without replacement among the other eligible
       candidates: ``round(women_share × size)`` women in all (as far as there are
       eligible women; the rest men, or women when men run out). Each candidate's key is
       ``log(u) · exp(−θ · (age − mean_age))`` (Efraimidis–Spirakis: weights
       ``exp(θ · age)``), the largest keys win; θ (per year, in [−3, 3]) is set by
       bisection so that the committee's mean age comes as close to ``mean_age`` as
       the candidates allow.

    ``u`` are uniform draws in (0, 1), one per candidate, keyed by the candidate's
    identity (so the result does not depend on the candidates' order). Ties in the
    draw go to the lower position. Returns an int array of positions.
    """
    eligible = np.asarray(eligible, dtype=bool)
    first = np.asarray(first, dtype=bool) & eligible
    female = np.asarray(female, dtype=bool)
    age = np.asarray(age_years, dtype=float)
    logu = np.log(np.asarray(u, dtype=float))
    size = max(int(size), 0)
    top = np.flatnonzero(first)
    if order_first is not None and top.size:
        top = top[np.lexsort((top, np.asarray(order_first)[top]))]
    top = top[:size]
    rest = np.flatnonzero(eligible & ~first)
    seats = min(size - top.size, rest.size)
    rest_f, rest_m = rest[female[rest]], rest[~female[rest]]
    want_w = max(0, int(round(women_share * size)) - int(female[top].sum()))
    n_w = min(want_w, rest_f.size, seats)
    n_m = min(seats - n_w, rest_m.size)
    n_w = seats - n_m  # women take the seats men cannot fill

    def draw(theta: float) -> np.ndarray:
        parts = [top]
        for group, k in ((rest_f, n_w), (rest_m, n_m)):
            if k:
                key = logu[group] * np.exp(-theta * (age[group] - mean_age))
                parts.append(group[np.lexsort((group, -key))[:k]])
        return np.concatenate(parts).astype(np.intp)

    def gap(theta: float) -> float:
        sel = draw(theta)
        return float(age[sel].mean()) - mean_age if sel.size else 0.0

    lo, hi = -3.0, 3.0
    if seats == 0 or gap(hi) <= 0:
        return draw(hi)  # no seats to draw, or even the oldest draw is younger than the target
    if gap(lo) >= 0:
        return draw(lo)
    for _ in range(40):  # bisection on θ: the mean age rises with θ
        mid = 0.5 * (lo + hi)
        if gap(mid) < 0:
            lo = mid
        else:
            hi = mid
    return draw(lo if abs(gap(lo)) <= abs(gap(hi)) else hi)


def select_standing(rank: np.ndarray, score: np.ndarray, size: int, top_rank: int) -> np.ndarray:
    """Positions of the standing committee elected from a committee, in order.

    Members of rank ``top_rank`` or above (the provincial top leaders) first, the
    highest rank first, then the rest; within each, by score (ties to the lower
    position); at most ``size``.
    """
    rank = np.asarray(rank)
    score = np.asarray(score, dtype=float)
    pos = np.arange(rank.size)
    top = rank >= top_rank
    order = np.lexsort((pos, -score, -np.where(top, rank, -1)))
    return order[: max(int(size), 0)].astype(np.intp)
