"""The people store: one row per cadre who ever served in the run, as parallel numpy
arrays (so eligibility checks and monthly metrics are vectorised).

The base columns are the person and the post they hold; each process adds the columns
it owns (``Process.columns``: retirement and exit months, terms, rotation state, ...),
so the store is declared in one place per fact. Rows are never removed: a cadre who
leaves keeps the row with ``active`` false.
"""

from __future__ import annotations

import numpy as np

# name -> (dtype, fill value for a new row)
BASE_COLUMNS: dict[str, tuple[type, object]] = {
    "birth": (np.int64, 0),  # month index of birth
    "female": (bool, False),
    "home": (np.int16, 0),  # home area: 0 = province (no district), 1..n = district
    "entry": (np.int64, 0),  # month of entry into service
    "competence": (np.float64, 0.0),  # latent competence, standard-normal scale
    "post": (np.int64, -1),  # post held (-1: none)
    "rank": (np.int8, 0),  # rank on the cross-unit ladder, 0..6
    "unit": (np.int32, -1),  # unit belonged to (-1: none)
    "post_since": (np.int64, 0),  # month the current post was taken
    "rank_since": (np.int64, 0),  # month the current rank was reached
    "active": (bool, False),  # in service
    "pay": (np.float64, 0.0),  # monthly pay, multiples of the base salary
    # identity for keyed random draws (sim/engine/streams.py): the same cadre has the same
    # key in every scenario — the row index for the starting cadres, the month and post
    # of entry for recruits (row indices of recruits differ between scenarios)
    "key": (np.uint64, 0),
}


class People:
    """Parallel arrays with amortised growth; ``n`` rows in use, ids in ``cadre_ids``."""

    def __init__(self, extra_columns: dict[str, tuple[type, object]] | None = None):
        self.columns = dict(BASE_COLUMNS)
        for name, spec in (extra_columns or {}).items():
            if name in self.columns:
                raise ValueError(f"people column {name!r} is declared twice")
            self.columns[name] = spec
        self.n = 0
        self.cap = 0
        self.cadre_ids: list[str] = []
        self.alloc(0)

    def alloc(self, need: int) -> None:
        """Make room for ``need`` rows (at least doubling, so appends are amortised O(1))."""
        cap = self.cap
        if need <= cap and cap:
            return
        new_cap = max(need, 2 * cap, 256)
        for name, (dtype, fill) in self.columns.items():
            new = np.full(new_cap, fill, dtype=dtype)
            if cap:
                new[:cap] = getattr(self, name)
            setattr(self, name, new)
        self.cap = new_cap

    def active_rows(self) -> np.ndarray:
        return np.flatnonzero(self.active[: self.n])

    def age_table(self, month: int) -> dict[str, np.ndarray]:
        """Ages (years) and sexes of the cadres in service at ``month`` (for pyramids)."""
        act = self.active_rows()
        return {"age": (month - self.birth[act]) / 12.0, "female": self.female[act].copy()}
