"""Choosing one candidate among eligible cadres.

Rules (config ``policy.selection.rule``):

* ``merit``: highest observed competence, where observed = latent competence + normal
  noise with standard deviation ``noise_sd`` (estimate: selection panels see merit
  imperfectly).
* ``seniority``: longest time in rank; ties broken at random.
* ``random``: uniform choice.

The randomness comes in as one standard-normal draw per candidate (``noise``), so the
caller decides how draws are tied to candidates (the model uses each cadre's assessment
of the year, sim/processes/assessment.py).
"""

from __future__ import annotations

import numpy as np

RULES = ("merit", "seniority", "random")


def choose(
    rule: str,
    competence: np.ndarray,
    months_in_rank: np.ndarray | None,
    noise: np.ndarray | np.random.Generator,
    noise_sd: float = 0.5,
    bonus: np.ndarray | None = None,
) -> int:
    """Position (0-based) of the chosen candidate among the arrays given.

    ``noise``: one standard-normal draw per candidate (or a generator to draw them
    from). ``merit`` adds ``noise_sd`` times it to competence, ``seniority`` breaks ties
    by it and ``random`` takes the candidate with the smallest draw.
    ``months_in_rank`` is used by ``seniority`` only; other rules accept None.
    ``bonus`` (optional, per candidate) is added to the merit score (e.g. rotation
    experience, the non-local preference); under ``seniority`` and ``random`` it only
    orders candidates by their bonus first.
    """
    n = len(competence)
    if n == 0:
        raise ValueError("no candidates to choose from")
    if rule not in RULES:
        raise ValueError(f"unknown selection rule {rule!r}; valid rules: {', '.join(RULES)}")
    if n == 1:
        return 0
    if isinstance(noise, np.random.Generator):
        noise = noise.standard_normal(n)
    noise = np.asarray(noise, float)
    if noise.shape != (n,):
        raise ValueError(f"need one draw per candidate: {n} candidates, draws of shape {noise.shape}")
    b = np.zeros(n) if bonus is None else np.asarray(bonus, float)
    if rule == "merit":
        observed = competence + noise_sd * noise + b
        return int(observed.argmax())
    if rule == "seniority":
        return int(np.lexsort((noise, -months_in_rank, -b))[0])
    top = np.flatnonzero(b == b.max())
    return int(top[np.argmin(noise[top])])
