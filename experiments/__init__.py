"""Command-line entry points (thin Hydra apps): run, compare, sweep, sensitivity, benchmark."""
