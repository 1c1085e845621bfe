"""Figures: DataFrames in, matplotlib Figures out; no backend switch at import."""
