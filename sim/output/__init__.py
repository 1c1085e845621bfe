"""Outputs: the tidy tables of a run, run folders written atomically, and the reports."""
