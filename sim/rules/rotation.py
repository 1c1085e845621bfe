"""Rotation (luân chuyển), the non-local rule and the two-term limit.

Sources:

* Regulation 98-QĐ/TW (7 Oct 2017) on cadre rotation: rotation serves (a) training of
  succession-pool cadres, who must have at least 10 years (two terms) of service left,
  i.e. **men at most 50, women at most 45** at rotation (art. 5); and (b) the non-local
  rule and the consecutive-term limit, for which **at least 5 years** left suffice.
  A rotation lasts at least 3 years; on return the cadre gets an **equivalent** post,
  a higher one only exceptionally.
* Regulation 65-QĐ/TW (28 Apr 2022) art. 5 replaced the age limits: a training
  rotation needs at least **10 years of service left** (men and women alike).
* Regulation 98 (2017) and Regulation 65-QĐ/TW (2022): heads may not hold the same post
  in one locality for more than **two consecutive terms**; the **non-local** rule
  applies to district Party secretaries, district People's Committee chairs and the
  heads of police, inspection, court, procuracy, finance, tax and customs.

Randomness stays with the caller: functions that need a draw take it as an argument.
"""

from __future__ import annotations

import numpy as np

MAX_AGE_MEN = 50  # Reg. 98 art. 5: >= 10 years (2 terms) of service left; years of age
MAX_AGE_WOMEN = 45  # Reg. 98 art. 5
MIN_MONTHS_LEFT_RULE_MOVE = 60  # Reg. 98: non-local and term-limit moves need >= 5 years left
MAX_CONSECUTIVE_TERMS = 2  # Reg. 98 (2017), Reg. 65 (2022)
STRICTNESS = ("off", "preference", "required")
# Score bonus for a non-local candidate to a non-local-rule post under "preference", in
# units of the selection score (observed competence, whose spread is about 1 sd).
# Estimate: the regulations state the rule, not how strictly it was applied before 2022.
NON_LOCAL_BONUS = 0.5


def eligible_for_training_rotation(
    age_months: np.ndarray,
    female: np.ndarray,
    in_pool: np.ndarray,
    max_age_men: int = MAX_AGE_MEN,
    max_age_women: int = MAX_AGE_WOMEN,
) -> np.ndarray:
    """Who may be rotated for training (Reg. 98-QĐ/TW art. 5), as a boolean array.

    Pool members whose age in completed years at rotation is at most ``max_age_men``
    (men) or ``max_age_women`` (women); ages are stated in completed years, so a man of
    50 years 11 months still qualifies and one of 51 does not.
    """
    age_years = np.asarray(age_months) // 12
    female = np.asarray(female, dtype=bool)
    limit = np.where(female, max_age_women, max_age_men)
    return np.asarray(in_pool, dtype=bool) & (age_years <= limit)


def eligible_for_training_rotation_reg65(months_left: np.ndarray, in_pool: np.ndarray, min_months_left: int = 120) -> np.ndarray:
    """Who may be rotated for training from 28 Apr 2022 (Regulation 65-QĐ/TW art. 5):
    pool members with at least ``min_months_left`` months (10 years) of service left to
    the statutory retirement month, whatever their age or sex."""
    return np.asarray(in_pool, dtype=bool) & (np.asarray(months_left) >= min_months_left)


def eligible_for_rule_move(months_left: np.ndarray, min_months_left: int = MIN_MONTHS_LEFT_RULE_MOVE) -> np.ndarray:
    """Who may be moved to serve the non-local rule or the term limit (Reg. 98).

    Such moves need at least ``min_months_left`` months (5 years) to statutory
    retirement.
    """
    return np.asarray(months_left) >= min_months_left


def return_rank(origin_rank: int, u: float, higher_return_probability: float, max_rank: int | None = None) -> int:
    """Rank of the post a rotated cadre returns to (Reg. 98: equivalent post).

    One rank higher with probability ``higher_return_probability`` (the exceptional
    case; its size is an estimate, config ``policy.rotation.higher_return_probability``),
    decided by ``u < higher_return_probability`` for a uniform draw ``u`` in [0, 1)
    supplied by the caller. Never above ``max_rank`` when given.
    """
    if not 0.0 <= higher_return_probability <= 1.0:
        raise ValueError(f"higher_return_probability = {higher_return_probability} is not in [0, 1]")
    rank = origin_rank + 1 if u < higher_return_probability else origin_rank
    return min(rank, max_rank) if max_rank is not None else rank


def _check_strictness(strictness: str) -> None:
    if strictness not in STRICTNESS:
        raise ValueError(f"unknown non-local strictness {strictness!r}; valid: {', '.join(STRICTNESS)}")


def non_local_ok(home_area: int, post_area: int, strictness: str) -> bool:
    """May a cadre whose home is ``home_area`` hold a non-local-rule post in ``post_area``?

    Reg. 98 / Reg. 65: the post should go to someone not from that locality.
    ``"off"`` and ``"preference"`` allow locals (the latter only disfavours them, see
    :func:`non_local_preference`); ``"required"`` forbids them. Areas are integer codes;
    any code different from ``post_area`` (e.g. another district, or outside the
    province) counts as non-local.
    """
    _check_strictness(strictness)
    return strictness != "required" or int(home_area) != int(post_area)


def non_local_preference(
    home_area: np.ndarray, post_area: int, strictness: str, bonus: float = NON_LOCAL_BONUS
) -> np.ndarray:
    """Score adjustment per candidate for a non-local-rule post in ``post_area``.

    * ``"off"``: 0 for everyone.
    * ``"preference"``: ``bonus`` (default 0.5 selection-score units, estimate) for
      non-locals, 0 for locals.
    * ``"required"``: 0 for non-locals, ``-inf`` for locals (ineligible; the caller
      should drop candidates with a non-finite adjusted score).
    """
    _check_strictness(strictness)
    local = np.asarray(home_area) == post_area
    if strictness == "off":
        return np.zeros(local.shape)
    if strictness == "preference":
        return np.where(local, 0.0, float(bonus))
    return np.where(local, -np.inf, 0.0)


def term_limit_reached(head_terms: int, max_consecutive_terms: int = MAX_CONSECUTIVE_TERMS) -> bool:
    """True when a head has served ``max_consecutive_terms`` consecutive terms in the post.

    ``head_terms`` counts the consecutive terms served in the same post and locality,
    including the one ending now. At the limit the head is not reappointed for another
    term and is rotated or moved instead (Reg. 98 (2017), Reg. 65 (2022): at most two
    consecutive terms).
    """
    return bool(head_terms >= max_consecutive_terms)
