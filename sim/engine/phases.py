"""The order of a month, as data.

A month runs in two parts. First the **dated events** of the month (restructuring
actions, congresses, pool reviews, rotation waves), which sit on Mesa's event list at the
month's time with a :class:`Phase` priority: Mesa runs events of one time in ascending
priority, so the priority *is* the phase order (ties keep the order they were scheduled
in). Then Mesa's step, which runs the **monthly phases** in :data:`MONTH_PHASES` order;
each process hooks into the phases it acts in.
"""

from __future__ import annotations

from enum import IntEnum


class Phase(IntEnum):
    """Priorities of dated events (Mesa runs lower values first; its own step runs at
    ``mesa.time.Priority.HIGH`` = 1, so every dated event of a month comes before the
    month's monthly phases)."""

    RESTRUCTURING = -50  # the organisation changes first: merges, splits, abolitions
    DISTRICT_CONGRESS = -40
    PROVINCIAL_CONGRESS = -35
    POOL_REVIEW = -20  # after the congresses: the pool is rebuilt for the new term
    ROTATION_WAVE = -10  # rotations draw on the reviewed pool
    REBALANCE = -5  # needs-based transfers after the month's planned moves


# the monthly phases, in order; "record" (data collection) always comes last
MONTH_PHASES = ("exits", "rotation_returns", "term_ends", "vacancies", "surplus")
