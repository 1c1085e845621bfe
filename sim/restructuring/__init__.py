"""Restructuring: scenario actions as a registry (resolve when planned, apply at their
month) — merge, split, concurrent_head, abolish_level."""

from sim.restructuring.base import PlannedAction
from sim.restructuring.planner import describe, plan, schedule

__all__ = ["PlannedAction", "describe", "plan", "schedule"]
