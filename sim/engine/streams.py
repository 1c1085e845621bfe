"""Named random streams: one per process, keyed by name and re-derived every month.

The generator a process draws from in month m is ``default_rng([seed, crc32(name), m])``:
a stream is identified by its name (never by its position in a list), and an extra
draw in one month — a merger's extra vacancies, one more rotation — shifts nothing in
any later month or any other process. Scenarios therefore share their random numbers
wherever they do not really differ (common random numbers). No global ``random`` or
``np.random`` state is used anywhere.
"""

from __future__ import annotations

import statistics
import zlib
from collections.abc import Callable

import numpy as np
from scipy.special import ndtri

# the processes that draw random numbers, each with its own stream
STREAM_NAMES = (
    "population",
    "exits",
    "vacancy",
    "assessment",
    "recruitment",
    "restructuring",
    "transition",
    "pool",
    "rotation",
    "rebalance",
    "central",
)
_KEYS = {name: zlib.crc32(name.encode()) for name in STREAM_NAMES}
_STD_NORMAL = statistics.NormalDist()


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
        self._keyed: dict[tuple[str, str], KeyedDraws] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        m = self._month()
        hit = self._cache.get(name)
        if hit is None or hit[0] != m:
            hit = self._cache[name] = (m, stream_at(self.seed, name, m))
        return hit[1]

    def keyed(self, name: str, per: str = "month") -> KeyedDraws:
        """The named stream's keyed draws for the current month (``per="month"``) or
        the current calendar year (``per="year"``: the same draws in every month of
        the year, e.g. for the annual assessment of cadres)."""
        m = self._month()
        period = m if per == "month" else YEAR_PERIOD + m // 12 if per == "year" else None
        if period is None:
            raise ValueError(f"per must be 'month' or 'year', not {per!r}")
        hit = self._keyed.get((name, per))
        if hit is None or hit.period != period:
            hit = self._keyed[(name, per)] = KeyedDraws(self.seed, name, period)
        return hit


def make_streams(seed: int, month: int = 0) -> Streams:
    """The streams of a run, fixed at one month (the start, for the starting roster)."""
    return Streams(seed, lambda: month)



# ---------------------------------------------------------------------- keyed draws
# A draw that is a function of (seed, stream, month, key) — key: a cadre's identity, a
# post, or a pair of them — is the same in every scenario where that cadre or post
# exists, whatever else happened that month and in whatever order the draws are taken.
# Choices among a set are made by the smallest keyed draw, so a set that gains or loses
# one member changes the choice only if that member is (or was) the chosen one. This is
# what keeps common random numbers paired after a merger changes who competes for what.
_M64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_C1, _C2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_PAIR = 0xD6E8FEB86659FD93  # odd multiplier that spreads the first key of a pair
_SALT = 0xA0761D6478BD642F  # odd multiplier for the salt (which draw of a key)
_UNIT = 2.0**-53
YEAR_PERIOD = 1 << 40  # period numbers of calendar years start here (months are below)


def mix64(x: int) -> int:
    """SplitMix64's finaliser (a bijection of 64-bit integers with full avalanche)."""
    x = (x + _GOLDEN) & _M64
    x = ((x ^ (x >> 30)) * _C1) & _M64
    x = ((x ^ (x >> 27)) * _C2) & _M64
    return x ^ (x >> 31)


# 0-d arrays: numpy combines them with arrays faster than it does numpy scalars
_U = {k: np.array(v, np.uint64) for k, v in {"golden": _GOLDEN, "c1": _C1, "c2": _C2, "pair": _PAIR, "30": 30, "27": 27, "31": 31, "11": 11}.items()}


def _mix64_array(x: np.ndarray) -> np.ndarray:
    """:func:`mix64` on an array of uint64, in place (unsigned arithmetic wraps
    modulo 2**64); returns ``x``."""
    u = _U
    x += u["golden"]
    t = x >> u["30"]
    x ^= t
    x *= u["c1"]
    np.right_shift(x, u["27"], out=t)
    x ^= t
    x *= u["c2"]
    np.right_shift(x, u["31"], out=t)
    x ^= t
    return x


def pair_key(a, b):
    """One key for the pair (a, b) — a cadre and a post, say — arrays or ints: the first
    spread by an odd multiplier, the second added in with exclusive or (the draw mixes
    the result fully)."""
    if isinstance(a, np.ndarray):
        spread = a.astype(np.uint64) * _U["pair"]
    else:
        spread = (int(a) * _PAIR) & _M64
        if not isinstance(b, np.ndarray):
            return spread ^ (int(b) & _M64)
        spread = np.array(spread, np.uint64)
    return spread ^ (b.astype(np.uint64) if isinstance(b, np.ndarray) else np.array(int(b) & _M64, np.uint64))


class KeyedDraws:
    """Draws of one stream in one period (a month index, or ``YEAR_PERIOD`` + a year
    index), each a function of an integer key and a salt (which of a key's draws: 0,
    1, ...). Array and scalar forms give identical values."""

    def __init__(self, seed: int, name: str, period: int):
        key = _KEYS.get(name)
        if key is None:
            raise KeyError(f"unknown random stream {name!r}; valid: {', '.join(STREAM_NAMES)}")
        self.period = int(period)
        self._base = mix64(mix64(mix64(int(seed) & _M64) ^ key) ^ (self.period & _M64))
        self._base_array = np.array(self._base, np.uint64)

    def _bits(self, keys: np.ndarray, salt: int) -> np.ndarray:
        k = np.asarray(keys).astype(np.uint64)  # a copy: mixed in place below
        if salt:
            k += np.array((salt * _SALT) & _M64, np.uint64)
        k ^= self._base_array
        return _mix64_array(k)

    def uniform(self, keys, salt: int = 0) -> np.ndarray:
        """Uniform draws in the open interval (0, 1), one per key."""
        bits = self._bits(keys, salt)
        bits >>= _U["11"]
        u = bits.astype(np.float64)
        u += 0.5
        u *= _UNIT
        return u

    def normal(self, keys, salt: int = 0) -> np.ndarray:
        """Standard normal draws, one per key (the inverse normal CDF of :meth:`uniform`)."""
        return ndtri(self.uniform(keys, salt))

    def uniform1(self, key: int, salt: int = 0) -> float:
        """:meth:`uniform` for one key, without numpy's per-call overhead."""
        x = mix64(((int(key) + salt * _SALT) & _M64) ^ self._base)
        return ((x >> 11) + 0.5) * _UNIT

    def normal1(self, key: int, salt: int = 0) -> float:
        return _STD_NORMAL.inv_cdf(self.uniform1(key, salt))

    def uniforms1(self, key: int, n: int) -> list[float]:
        """``[uniform1(key, 0), ..., uniform1(key, n - 1)]``, in one call."""
        base, out = self._base, []
        for salt in range(n):
            x = mix64(((key + salt * _SALT) & _M64) ^ base)
            out.append(((x >> 11) + 0.5) * _UNIT)
        return out

    def smallest(self, keys, salt: int = 0) -> int:
        """Position of the key with the smallest draw: a choice among ``keys`` that
        only changes if the chosen key leaves the set or a key with a smaller draw joins."""
        return int(np.argmin(self._bits(keys, salt)))

    def order(self, keys, salt: int = 0) -> np.ndarray:
        """Positions of ``keys`` in a random order (ascending draw)."""
        return np.argsort(self._bits(keys, salt), kind="stable")
