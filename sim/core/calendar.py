"""Month arithmetic.

A month is an integer index: ``year * 12 + (month - 1)``. "YYYY-MM" strings are the
external form (configs, rosters, output tables).
"""

from __future__ import annotations

import re

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month_index(year: int, month: int) -> int:
    """Index of calendar month (year, month), month in 1..12."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return year * 12 + (month - 1)


def year_month(index: int) -> tuple[int, int]:
    """(year, month) of a month index."""
    return index // 12, index % 12 + 1


def parse_month(text: str) -> int:
    """Parse "YYYY-MM" into a month index; ValueError naming the text otherwise."""
    m = _MONTH_RE.match(str(text).strip())
    if not m:
        raise ValueError(f"'{text}' is not a month in the form YYYY-MM")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' has month {month}, expected 01..12")
    return month_index(year, month)


def format_month(index: int) -> str:
    """Month index as "YYYY-MM"."""
    y, m = year_month(int(index))
    return f"{y:04d}-{m:02d}"


def every(first: list[str], years: int, last: int) -> list[int]:
    """The months of a recurring event up to month index ``last``: the months given,
    then every ``years`` years after the last of them (none when ``years`` is 0).

    ``every(["2020-10", "2025-10"], 5, parse_month("2035-12"))`` gives the months of
    2020-10, 2025-10, 2030-10 and 2035-10.
    """
    months = sorted({parse_month(s) for s in first})
    if months and years > 0:
        nxt = months[-1] + 12 * years
        while nxt <= last:
            months.append(nxt)
            nxt += 12 * years
    return months
