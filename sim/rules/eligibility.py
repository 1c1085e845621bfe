"""Eligibility for appointment, promotion and re-appointment.

Sources: Regulation 105-QĐ/TW (2017) — 5-year appointment term and a full term of
working age at first appointment or promotion; Guidance 06-HD/BTCTW (2021); Decree
115/2020 and civil-service practice for re-appointment near retirement; at least 2
years in the current or an equivalent post before promotion (Regulation 80-QĐ/TW, 18
Aug 2022), first appointments exempt.
"""

from __future__ import annotations

import numpy as np

from sim.rules.retirement import retirement_month

TERM_MONTHS = 60  # Regulation 105-QĐ/TW: an appointment term is 5 years


def months_left(
    birth_year: int,
    birth_month: int | None,
    sex: str,
    year: int,
    month: int,
    rule: str = "decree_135",
) -> int:
    """Whole months from (year, month) to the retirement month (0 in that month)."""
    ry, rm = retirement_month(birth_year, birth_month, sex, rule)
    return (ry * 12 + rm - 1) - (year * 12 + month - 1)


def term_end(appointed: int, retirement: int, term_months: int = TERM_MONTHS) -> int:
    """Month index in which a term that starts at ``appointed`` ends.

    With less than a full term to retirement the term runs to retirement (Reg. 105).
    """
    return min(appointed + term_months, retirement)


def reappointment(now: int, retirement: int, term_months: int = TERM_MONTHS) -> tuple[str, int]:
    """Decision at the end of a term, as (kind, new term end month index).

    * >= 5 years left: a new full term ("reappointed").
    * 2–5 years left: a new term that runs to retirement ("reappointed_to_retirement").
    * < 2 years left: the post is extended to retirement ("extended").
    """
    left = retirement - now
    if left >= term_months:
        return "reappointed", now + term_months
    if left >= 24:
        return "reappointed_to_retirement", retirement
    return "extended", retirement


def tenure_ok(months_at_rank: np.ndarray, first_appointment: np.ndarray, min_months: int) -> np.ndarray:
    """Whether each candidate has served long enough to be promoted.

    Regulation 80-QĐ/TW (18 Aug 2022) asks for at least 2 years in the current *or an
    equivalent* post: the time counted is the time at the current rank (any unit), so
    a lateral move — a merger's re-appointment, a transfer, a rotation and its return,
    a term-limit move — keeps it. ``first_appointment`` (a specialist appointed to a
    leading post for the first time) is exempt.
    """
    return np.asarray(first_appointment, bool) | (np.asarray(months_at_rank) >= min_months)
