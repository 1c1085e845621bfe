"""The base salary (mức lương cơ sở) in VND per month, by the decree in force.

Pay in the model is in multiples of the base salary (salary coefficient plus leadership
allowance coefficient); these are the amounts that turn it into nominal VND:

* 1,300,000 from 1 Jul 2017 — Decree 47/2017/NĐ-CP;
* 1,390,000 from 1 Jul 2018 — Decree 72/2018/NĐ-CP;
* 1,490,000 from 1 Jul 2019 — Decree 38/2019/NĐ-CP (the rise planned for 1 Jul 2020
  was postponed, Resolution 128/2020/QH14);
* 1,800,000 from 1 Jul 2023 — Decree 24/2023/NĐ-CP;
* 2,340,000 from 1 Jul 2024 — Decree 73/2024/NĐ-CP.

After the last step the amount is held (no later rise is assumed). The model reads the
schedule from ``policy.wage`` (``base_salary_vnd``, ``base_salary_from``); this table is
the default of that schedule and of :func:`base_salary_vnd` called without one.

The public-service allowance (phụ cấp công vụ, Decree 34/2012/NĐ-CP art. 3: 25 % of
the salary plus leadership allowance) is part of pay (``policy.wage.public_service_allowance``).
"""

from __future__ import annotations

from bisect import bisect_right

from sim.core.calendar import format_month, parse_month

BASE_SALARY_VND = (
    ("2017-07", 1_300_000, "Decree 47/2017/NĐ-CP"),
    ("2018-07", 1_390_000, "Decree 72/2018/NĐ-CP"),
    ("2019-07", 1_490_000, "Decree 38/2019/NĐ-CP"),
    ("2023-07", 1_800_000, "Decree 24/2023/NĐ-CP"),
    ("2024-07", 2_340_000, "Decree 73/2024/NĐ-CP"),
)
_FROM = [parse_month(s) for s, _, _ in BASE_SALARY_VND]
_VND = [v for _, v, _ in BASE_SALARY_VND]


def salary_multiple(coefficient, leadership_allowance, public_service_allowance: float = 0.25):
    """Monthly salary in multiples of the base salary: the salary coefficient plus the
    leadership allowance (Decree 204/2004), plus the public-service allowance on both
    (Decree 34/2012/NĐ-CP art. 3: 25 %). Works on numbers and numpy arrays."""
    return (coefficient + leadership_allowance) * (1.0 + public_service_allowance)


def schedule(starts: list[str], amounts: list[float]) -> tuple[list[int], list[float]]:
    """A base-salary schedule (first months as indices, VND per month) from config lists."""
    pairs = sorted(zip((parse_month(s) for s in starts), (float(a) for a in amounts)))
    return [m for m, _ in pairs], [a for _, a in pairs]


def base_salary_vnd(month: int, sched: tuple[list[int], list[float]] | None = None) -> float:
    """The base salary in force in a month (a month index), VND per month, from
    ``sched`` (see :func:`schedule`) or the decrees' table above."""
    starts, amounts = sched if sched is not None else (_FROM, _VND)
    k = bisect_right(starts, month) - 1
    if k < 0:
        raise ValueError(f"no base salary before {format_month(starts[0])} in this table")
    return amounts[k]
