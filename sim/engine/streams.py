"""Named random streams: one per process, keyed by name and re-derived every month.

The generator a process draws from in month m is ``default_rng([seed, crc32(name), m])``:
a stream is identified by its name (never by its position in a list), and an extra
draw in one month — a merger's extra vacancies, one more rotation — shifts nothing in
any later month or any other process. Scenarios therefore share their random numbers
wherever they do not really differ (common random numbers). No global ``random`` or
``np.random`` state is used anywhere.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

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
_KEYS = {name: zlib.crc32(name.encode()) for name in STREAM_NAMES}


def stream_at(seed: int, name: str, month: int) -> np.random.Generator:
    """The generator of stream ``name`` in calendar month ``month`` (a month index)."""
    key = _KEYS.get(name)
    if key is None:
        raise KeyError(f"unknown random stream {name!r}; valid: {', '.join(STREAM_NAMES)}")
    return np.random.default_rng([int(seed), key, int(month)])


class Streams:
    """``streams[name]``: the named stream's generator for the current month.

    Within a month the same generator object is returned, so successive draws continue
    one sequence; a new month starts a fresh one.
    """

    def __init__(self, seed: int, month: Callable[[], int]):
        self.seed = int(seed)
        self._month = month
        self._cache: dict[str, tuple[int, np.random.Generator]] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        m = self._month()
        hit = self._cache.get(name)
        if hit is None or hit[0] != m:
            hit = self._cache[name] = (m, stream_at(self.seed, name, m))
        return hit[1]


def make_streams(seed: int, month: int = 0) -> Streams:
    """The streams of a run, fixed at one month (the start, for the starting roster)."""
    return Streams(seed, lambda: month)

