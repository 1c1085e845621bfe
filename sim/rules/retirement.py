"""Statutory retirement month.

Implements:

* Labour Code 2012 (rule ``"labour_code_2012"``): men retire at 60, women at 55.
* Labour Code 2019 art. 169 with Decree 135/2020 art. 4 (rule ``"decree_135"``): the
  statutory age depends on the calendar year in which it is reached. Men: 60y0m up to
  2020, 60y3m in 2021, +3 months a year to 62y0m from 2028. Women: 55y0m up to 2020,
  55y4m in 2021, +4 months a year to 60y0m from 2035.
* Decree 135/2020 art. 3: retirement happens at the end of the month in which the age
  is reached; an unknown birth month counts as January.

The age that applies is the one of the year in which the person reaches it: the result
is the least year Y such that birth + age(Y) falls in Y (this reproduces Decree 135
Appendix I, e.g. a man born 10/1961 retires in 4/2022 at 60y6m).
"""

from __future__ import annotations

import numpy as np

RULES = ("decree_135", "labour_code_2012")


def _check(sex: str, rule: str) -> None:
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if rule not in RULES:
        raise ValueError(f"unknown retirement rule {rule!r}; valid rules: {', '.join(RULES)}")


def statutory_age_months(year: int, sex: str, rule: str = "decree_135") -> int:
    """Statutory retirement age, in months, for someone who reaches it in ``year``."""
    _check(sex, rule)
    if sex == "M":
        base, step, cap = 720, 3, 744  # 60y; +3 months a year; 62y (Decree 135 art. 4.1)
    else:
        base, step, cap = 660, 4, 720  # 55y; +4 months a year; 60y (Decree 135 art. 4.2)
    if rule == "labour_code_2012" or year <= 2020:
        return base
    return min(base + step * (year - 2020), cap)


def retirement_month(
    birth_year: int, birth_month: int | None, sex: str, rule: str = "decree_135"
) -> tuple[int, int]:
    """(year, month) of the month in which the statutory retirement age is reached.

    ``birth_month`` None means unknown and counts as January (Decree 135 art. 3).
    """
    _check(sex, rule)
    bm = 1 if birth_month is None else int(birth_month)
    if not 1 <= bm <= 12:
        raise ValueError(f"birth_month must be 1..12 or None, got {birth_month!r}")
    reached = retirement_index(birth_year * 12 + bm - 1, sex == "F", rule)
    return reached // 12, reached % 12 + 1


def retirement_index(birth: int, female: bool, rule: str = "decree_135") -> int:
    """Month index of the retirement month for a birth month index (scalar, fast)."""
    sex = "F" if female else "M"
    year = (birth + statutory_age_months(0, sex, rule)) // 12
    # Monotone fixed-point iteration: the age never falls with the year, so this
    # climbs to the least year whose age is reached within that same year.
    while True:
        reached = birth + statutory_age_months(year, sex, rule)
        if reached // 12 <= year:
            return reached
        year = reached // 12


def retirement_month_index(
    birth: np.ndarray, female: np.ndarray, rule: str = "decree_135"
) -> np.ndarray:
    """Vectorised :func:`retirement_month` on month indices.

    ``birth`` holds month indices (year * 12 + month - 1), ``female`` booleans.
    Returns the month index of the retirement month for each person.
    """
    if rule not in RULES:
        raise ValueError(f"unknown retirement rule {rule!r}; valid rules: {', '.join(RULES)}")
    birth = np.asarray(birth, dtype=np.int64)
    female = np.asarray(female, dtype=bool)
    base = np.where(female, 660, 720)
    if rule == "labour_code_2012":
        return birth + base
    step = np.where(female, 4, 3)
    cap = np.where(female, 720, 744)
    year = (birth + base) // 12
    while True:
        age = np.where(year <= 2020, base, np.minimum(base + step * (year - 2020), cap))
        reached = birth + age
        ry = reached // 12
        if np.all(ry <= year):
            return reached
        year = np.maximum(year, ry)


def extended_retirement_index(
    birth: np.ndarray | int,
    female: np.ndarray | bool,
    statutory: np.ndarray | int,
    men_age_months: int = 65 * 12,
    women_age_months: int = 60 * 12,
) -> np.ndarray | int:
    """Retirement month index for holders of listed senior posts.

    Decree 83/2022 (amended by Decree 99/2024) lets them work beyond the statutory age,
    up to 65 for men and 60 for women; never earlier than the statutory month.
    """
    extended = np.asarray(birth) + np.where(female, women_age_months, men_age_months)
    return np.maximum(statutory, extended)
