"""The browser dashboard (Solara): a live run of one model on Mesa's SolaraViz, and an
explorer of finished comparisons (bands over time, paired differences, the headline
table). Start it with ``python -m experiments.dashboard``; see docs/dashboard.md.

The layer on top of the package: it reads the model, the config schema, the metric
registry, the output folders and the study statistics, and nothing imports it.
"""
