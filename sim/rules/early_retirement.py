"""Early retirement for restructuring: eligibility, take-up and the one-off payment.

Regimes:

* ``decree_108`` — Decree 108/2014 as amended by Decree 113/2018 (2018–2024): men 55–58
  and women 50–53 with >= 20 years of insurance, i.e. 2 to 5 years before the statutory
  age; no pension deduction plus 3 months' salary for each year retired early.
* ``decree_178`` — Decree 178/2024 (amended by 67/2025), from 2025: anyone within 10
  years of the statutory age; a lump sum of 1 month's salary per month retired early
  when that is at most 60 months, or 0.9 x 60 months' salary for 5–10 years, halved for
  those who leave more than 12 months after the decree took effect; plus 5 months'
  salary for each year retired early.

Take-up is not published: it is a parameter (``policy.transition``), scaled down
exponentially with the years given up.
"""

from __future__ import annotations

import math

REGIMES = ("decree_108", "decree_178")


def regime(month: int, decree_178_from: int) -> str:
    """Regime in force in a month (month indices)."""
    return "decree_178" if month >= decree_178_from else "decree_108"


def eligible(months_left: int, regime_name: str) -> bool:
    """May someone ``months_left`` months before the statutory age retire early?"""
    if regime_name == "decree_108":
        return 24 <= months_left <= 60
    if regime_name == "decree_178":
        return 0 < months_left <= 120
    raise ValueError(f"unknown regime {regime_name!r}; valid: {', '.join(REGIMES)}")


def takeup_probability(months_left: int, regime_name: str, base_108: float, base_178: float, decay_years: float) -> float:
    """Probability that an eligible person offered early retirement takes it."""
    if not eligible(months_left, regime_name):
        return 0.0
    base = base_178 if regime_name == "decree_178" else base_108
    return base * math.exp(-(months_left / 12.0) / decay_years)


def payment_salary_months(months_left: int, regime_name: str, months_since_178: int = 0) -> float:
    """One-off payment in months of the person's salary (coefficient x base salary)."""
    years = months_left / 12.0
    if regime_name == "decree_108":
        return 3.0 * years
    lump = float(months_left) if months_left <= 60 else 0.9 * 60
    if months_since_178 >= 12:
        lump *= 0.5
    return lump + 5.0 * years


def payment_decree_26(months_left: int, service_months: int) -> float:
    """Decree 26/2015, cadres not re-elected for age: 3 months' salary per year retired
    early, plus 5 months for the first 20 years of service and 0.5 month for each year
    beyond (in months of salary)."""
    years_early = max(months_left, 0) / 12.0
    service = max(service_months, 0) / 12.0
    return 3.0 * years_early + 5.0 + 0.5 * max(service - 20.0, 0.0)
