"""The unit of extension: a process.

A process is one mechanism of the cadre system (exits, terms, vacancy filling, the
succession pool, rotation, ...). Its lifecycle on a model:

1. ``__init__(model)``: read its parameters; no world access yet.
2. ``columns``: the people-store columns it owns (name -> (dtype, fill)).
3. ``setup()``: the world exists (organisation, people store, personnel); subscribe to
   the personnel moves it must follow.
4. ``schedule(timetable)``: put its dated events on the model's timetable, each with a
   :class:`~sim.engine.phases.Phase` priority.
5. ``admit(idx, pop)``: initialise its columns for the starting population.
6. ``hooks``: monthly phase name -> method name, run each month in
   :data:`~sim.engine.phases.MONTH_PHASES` order.
7. ``measure(m)``: its entries of the monthly row (names in ``metrics``, each in the
   metric registry).
8. ``check()``: its invariants (full scans; called by the tests after each month).

Adding a process is one module with such a class plus one entry in
``sim.model.PROCESSES`` (docs/architecture.md shows a worked example).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np


class Process:
    name: ClassVar[str] = ""  # the model attribute it is reached by (model.<name>)
    stream: ClassVar[str | None] = None  # its random stream, by name
    columns: ClassVar[dict[str, tuple[type, object]]] = {}
    metrics: ClassVar[tuple[str, ...]] = ()
    hooks: ClassVar[dict[str, str]] = {}  # monthly phase -> method name

    def __init__(self, model):
        self.model = model

    @property
    def rng(self) -> np.random.Generator:
        """This process's random stream."""
        return self.model.streams[self.stream]

    @property
    def draws(self):
        """This process's keyed draws this month (:class:`~sim.engine.streams.KeyedDraws`)."""
        return self.model.streams.keyed(self.stream)

    def setup(self) -> None:
        """Subscribe to personnel moves (the world exists now)."""

    def schedule(self, timetable) -> None:
        """Put dated events on the timetable."""

    def admit(self, idx: np.ndarray, pop) -> None:
        """Initialise this process's columns for the starting cadres ``idx``."""

    def measure(self, m: int) -> dict[str, float]:
        """This process's entries of month m's row."""
        return {}

    def check(self) -> None:
        """Raise :class:`sim.invariants.InvariantError` if an invariant is broken."""


class InvariantError(AssertionError):
    """A rule the model must never break is broken (the message names it)."""
