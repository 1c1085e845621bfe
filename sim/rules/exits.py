"""Exits other than statutory retirement (resignation, transfer out of the province's
payroll, death, dismissal), as an annual hazard by age band and rank.

The hazard is turned into a waiting time at creation: each cadre draws a unit
exponential budget E; the exit happens in the first month in which the cumulative
hazard since the draw exceeds E. A rank change keeps the unused budget (the exponential
is memoryless), so no new random draw is needed and scenarios keep common random numbers.
"""

from __future__ import annotations

import numpy as np

MAX_AGE_MONTHS = 80 * 12


def cumulative_hazard_table(
    band_lower_ages: list[int],
    annual_rates: list[float],
    rank_multipliers: list[float],
) -> np.ndarray:
    """Cumulative monthly hazard, shape (n_ranks, MAX_AGE_MONTHS + 1), by age in months.

    Element [r, a] is the hazard accumulated from age 0 to age ``a`` months at rank r.
    ``annual_rates[i]`` is the annual exit probability from age ``band_lower_ages[i]``.
    """
    ages = np.arange(MAX_AGE_MONTHS) // 12
    band = np.searchsorted(np.asarray(band_lower_ages), ages, side="right") - 1
    annual = np.where(band >= 0, np.asarray(annual_rates)[np.clip(band, 0, None)], 0.0)
    monthly = -np.log1p(-annual) / 12.0
    mult = np.asarray(rank_multipliers, dtype=float)[:, None]
    cum = np.zeros((len(rank_multipliers), MAX_AGE_MONTHS + 1))
    cum[:, 1:] = np.cumsum(monthly[None, :] * mult, axis=1)
    return cum
