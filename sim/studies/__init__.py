"""Studies: comparisons, sweeps and sensitivity analyses, all run as lists of (scenario, seed) jobs."""
