"""Choosing one candidate among eligible cadres.

Rules (config ``policy.selection.rule``):

* ``merit``: highest observed competence, where observed = latent competence + normal
  noise with standard deviation ``noise_sd`` (estimate: selection panels see merit
  imperfectly).
* ``seniority``: longest time in rank; ties broken at random.
* ``random``: uniform choice.
"""

from __future__ import annotations

import numpy as np

RULES = ("merit", "seniority", "random")


def choose(
    rule: str,
    competence: np.ndarray,
    months_in_rank: np.ndarray | None,
    rng: np.random.Generator,
    noise_sd: float = 0.5,
    bonus: np.ndarray | None = None,
) -> int:
    """Position (0-based) of the chosen candidate among the arrays given.

    ``months_in_rank`` is used by ``seniority`` only; other rules accept None.
    ``bonus`` (optional, per candidate) is added to the merit score (e.g. rotation
    experience, the non-local preference); under ``seniority`` and ``random`` it only
    orders candidates by their bonus first.
    """
    n = len(competence)
    if n == 0:
        raise ValueError("no candidates to choose from")
    if n == 1:
        return 0
    b = np.zeros(n) if bonus is None else np.asarray(bonus, float)
    if rule == "merit":
        observed = competence + rng.normal(0.0, noise_sd, n) + b
        return int(observed.argmax())
    if rule == "seniority":
        tiebreak = rng.random(n)
        return int(np.lexsort((tiebreak, -months_in_rank, -b))[0])
    if rule == "random":
        top = np.flatnonzero(b == b.max())
        return int(top[rng.integers(len(top))])
    raise ValueError(f"unknown selection rule {rule!r}; valid rules: {', '.join(RULES)}")
