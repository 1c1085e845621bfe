"""Dated events on Mesa's event list, in calendar months.

``Model.time`` counts simulated months: the month with index ``start + k - 1`` is
simulated when ``model.time == k`` (Mesa's step for time k). A dated event for month
``m`` is scheduled at time ``m - start + 1`` with its :class:`~sim.engine.phases.Phase`
as priority, so it runs at the start of that month, before the monthly phases.

Mesa keeps only weak references to scheduled callables; the timetable holds the strong
ones, so an event scheduled with a bound method or a small callable object is never
dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sim.engine.phases import Phase


class Timetable:
    """Schedule ``action(month)`` calls on a :class:`mesa.Model` by calendar month."""

    def __init__(self, model, start: int, end: int):
        self.model = model
        self.start = start
        self.end = end
        self._keep: list[Callable] = []  # strong references (Mesa's are weak)

    def time_of(self, month: int) -> int:
        return month - self.start + 1

    def month_of(self, time: float) -> int:
        return self.start + int(time) - 1

    def at(self, month: int, action: Callable[[int], None], phase: Phase) -> bool:
        """Run ``action(month)`` at the start of ``month``; False (nothing scheduled)
        when the month is outside the horizon."""
        if not self.start <= month <= self.end:
            return False
        call = _Call(action, month)
        self._keep.append(call)
        self.model.schedule_event(call, at=self.time_of(month), priority=phase)
        return True

    def each(self, months: Iterable[int], action: Callable[[int], None], phase: Phase) -> int:
        """``at`` for each month (ascending, duplicates once); the number scheduled."""
        return sum(self.at(mo, action, phase) for mo in sorted(set(months)))

    def every_year(self, month_of_year: int, action: Callable[[int], None], phase: Phase) -> int:
        """``action`` in that calendar month (1..12) of every year of the horizon."""
        return self.each((mo for mo in range(self.start, self.end + 1) if mo % 12 + 1 == month_of_year), action, phase)


class _Call:
    """``action(month)`` as the zero-argument callable Mesa's events take."""

    __slots__ = ("action", "month", "__weakref__")

    def __init__(self, action: Callable[[int], None], month: int):
        self.action = action
        self.month = month

    def __call__(self) -> None:
        self.action(self.month)
