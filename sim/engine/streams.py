"""Named random streams: one per process, keyed by name.

Every process draws from its own stream (``model.streams["exits"]``, ...), so a
scenario that draws more in one process shifts no other process's draws (common random
numbers across scenarios). No global ``random`` or ``np.random`` state is used anywhere.
"""

from __future__ import annotations

import numpy as np

# the processes that draw random numbers, each with its own stream
STREAM_NAMES = (
    "population",
    "exits",
    "vacancy",
    "selection",
    "recruitment",
    "restructuring",
    "transition",
    "pool",
    "rotation",
    "congress",
)


def make_streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per named process, all from one root seed."""
    children = np.random.SeedSequence(int(seed)).spawn(len(STREAM_NAMES))
    return {name: np.random.default_rng(ss) for name, ss in zip(STREAM_NAMES, children)}
