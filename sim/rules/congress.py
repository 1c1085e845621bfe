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
