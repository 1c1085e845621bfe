"""Eligibility for appointment, promotion and re-appointment.

Sources: Regulation 105-QĐ/TW (2017) — 5-year appointment term and a full term of
working age at first appointment or promotion; Guidance 06-HD/BTCTW (2021); Decree
115/2020 and civil-service practice for re-appointment near retirement; 24 months in
post before promotion (2025 rule for public employees, used as the default).
"""

from __future__ import annotations

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
