"""The cadre agent.

A :class:`Cadre` is thin: its state lives in the model's parallel arrays at position
``idx`` (so that monthly metrics and eligibility checks are vectorised), and the agent
exposes it through read-only properties for anyone who works with agents directly.
"""

from __future__ import annotations

import mesa

from sim.core.calendar import format_month
from sim.core.vocabulary import POST_KINDS


class Cadre(mesa.Agent):
    """One cadre of the province (a civil servant or Party/Front official)."""

    def __init__(self, model, idx: int):
        super().__init__(model)
        self.idx = idx

    @property
    def cadre_id(self) -> str:
        return self.model.cadre_ids[self.idx]

    @property
    def sex(self) -> str:
        return "F" if self.model.female[self.idx] else "M"

    @property
    def birth(self) -> str:
        return format_month(self.model.birth[self.idx])

    @property
    def age_years(self) -> float:
        """Age in years at the model's current month."""
        return (self.model.month - self.model.birth[self.idx]) / 12.0

    @property
    def rank(self) -> int:
        return int(self.model.rank[self.idx])

    @property
    def post(self) -> int:
        """Post id held (-1 for none)."""
        return int(self.model.post[self.idx])

    @property
    def post_kind(self) -> str | None:
        p = self.post
        return POST_KINDS[self.model.org.post_kind[p]] if p >= 0 else None

    @property
    def unit_id(self) -> str | None:
        u = int(self.model.unit[self.idx])
        return self.model.org.units[u].uid if u >= 0 else None

    @property
    def retirement(self) -> str:
        """Month of statutory retirement, YYYY-MM."""
        return format_month(self.model.ret[self.idx])

    def __repr__(self) -> str:
        return f"Cadre({self.cadre_id}, {self.sex}, rank {self.rank}, {self.unit_id})"
