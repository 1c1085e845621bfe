"""Pure functions of the law and policy: no model state, inputs in, decision out."""

from sim.rules import eligibility, exits, retirement, selection

__all__ = ["eligibility", "exits", "retirement", "selection"]
