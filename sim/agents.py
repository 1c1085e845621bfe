"""The cadre agent: a view of one row of the people store.

A :class:`Cadre` holds no state of its own: its attributes read the model's people
store at row ``idx`` (so monthly metrics and eligibility checks stay vectorised).
Agents are created **lazily**: none exist until someone reads ``model.agents``; from
then on the model keeps one per cadre in service (a recruit gets one, a leaver's is
removed). A replication that never looks at agents pays nothing for them.
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
    def _people(self):
        return self.model.people

    @property
    def cadre_id(self) -> str:
        return self._people.cadre_ids[self.idx]

    @property
    def sex(self) -> str:
        return "F" if self._people.female[self.idx] else "M"

    @property
    def birth(self) -> str:
        return format_month(self._people.birth[self.idx])

    @property
    def age_years(self) -> float:
        """Age in years at the model's current month."""
        return (self.model.month - self._people.birth[self.idx]) / 12.0

    @property
    def rank(self) -> int:
        return int(self._people.rank[self.idx])

    @property
    def post(self) -> int:
        """Post id held (-1 for none)."""
        return int(self._people.post[self.idx])

    @property
    def post_kind(self) -> str | None:
        p = self.post
        return POST_KINDS[self.model.org.post_kind[p]] if p >= 0 else None

    @property
    def unit_id(self) -> str | None:
        u = int(self._people.unit[self.idx])
        return self.model.org.units[u].uid if u >= 0 else None

    @property
    def retirement(self) -> str:
        """Month of statutory retirement, YYYY-MM."""
        return format_month(self._people.ret[self.idx])

    def __repr__(self) -> str:
        return f"Cadre({self.cadre_id}, {self.sex}, rank {self.rank}, {self.unit_id})"


class AgentViews:
    """Creates the Cadre agents on first use and keeps them in step afterwards."""

    def __init__(self, model):
        self.model = model
        self.live = False
        self._of: dict[int, Cadre] = {}

    def materialise(self) -> None:
        if self.live:
            return
        self.live = True
        for i in self.model.people.active_rows().tolist():
            self._of[i] = Cadre(self.model, i)

    def admitted(self, i: int) -> None:
        if self.live:
            self._of[i] = Cadre(self.model, i)

    def removed(self, i: int) -> None:
        agent = self._of.pop(i, None)
        if agent is not None:
            agent.remove()
