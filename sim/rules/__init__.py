"""Pure functions of the law and policy: no model state, inputs in, decision out."""

from sim.rules import congress, early_retirement, eligibility, exits, pool, retirement, rotation, selection

__all__ = ["congress", "early_retirement", "eligibility", "exits", "pool", "retirement", "rotation", "selection"]
