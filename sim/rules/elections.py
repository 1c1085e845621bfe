"""People's Council elections: who stands again, and the make-up of the elected leaders.

Sources: Guidance 26-HD/BTCTW (18 Oct 2019) on the 2020-2025 personnel work: those
re-elected to government posts (People's Council and People's Committee leaders) need at
least 30 months (half a term) of working age left at the reference month, May 2021, with
the ages then in force (Labour Code 2012: 60 men, 55 women); first-timers a full term.
The cut-offs follow from the rule (:func:`sim.rules.congress.birth_cutoff`): for May 2021
and 30 months, men born from Nov 1963, women from Nov 1968 (a published answer of Feb 2020,
baothainguyen.vn, gives Sep 1963 / Sep 1968, i.e. a reference month of Mar 2021).
"""

from __future__ import annotations

import math

import numpy as np


def composition(new: np.ndarray, female: np.ndarray, age_years: np.ndarray) -> dict[str, float]:
    """Make-up of the leaders in post after an election: ``share_new`` (did not hold one
    of those posts before it), ``share_women``, ``share_under40`` (age < 40),
    ``mean_age`` (years); NaN when no post is held."""
    new = np.asarray(new, dtype=bool)
    if new.size == 0:
        return dict.fromkeys(("share_new", "share_women", "share_under40", "mean_age"), math.nan)
    age = np.asarray(age_years, dtype=float)
    return {
        "share_new": float(new.mean()),
        "share_women": float(np.asarray(female, dtype=bool).mean()),
        "share_under40": float((age < 40).mean()),
        "mean_age": float(age.mean()),
    }
