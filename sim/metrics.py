"""What is measured each month.

Stocks are numpy reductions over the posts arrays (a few hundred leader posts) and the
pay array, flows are running counters kept by the model as events happen; nothing here
loops over the population in Python.

Units: ``wage_bill`` is the month's pay in multiples of the base salary (salary
coefficient plus leadership allowance, summed over cadres); ``severance_cost`` is the
one-off early-retirement payments of the month in the same unit.
"""

from __future__ import annotations

from typing import NamedTuple

import mesa
import numpy as np

from sim.core.vocabulary import HEAD
from sim.pipeline import pool_metrics

# flows: counted during the month; stocks: measured at the end of the month
FLOW_COLUMNS = [
    "recruits",
    "exits",
    "retirements",
    "other_exits",
    "early_retirements",
    "to_commune",
    "promotions",
    "transfers",
    "posts_abolished",
    "severance_cost",
    "rotations",
    "succession_gaps",
]
STOCK_COLUMNS = [
    "headcount",
    "units",
    "leader_posts",
    "head_posts",
    "leaders",
    "heads",
    "deputies",
    "vacant_leader_posts",
    "surplus_leaders",
    "concurrent_posts",
    "wage_bill",
    "leaders_women_share",
    "leaders_under40_share",
    "leaders_mean_age",
    "rotations_active",
    "pool_size",
    "pool_women_share",
    "pool_under40_share",
    "bench_strength",
    "non_local_key_share",
]
COLUMNS = STOCK_COLUMNS + FLOW_COLUMNS


class _LeaderPosts(NamedTuple):
    """What the metrics need to know about the leader posts of one organisation version."""

    ids: np.ndarray  # active head and deputy posts
    is_head: np.ndarray  # per post in ids
    units: int
    concurrent: int
    head_posts: int
    non_local: np.ndarray  # district posts in ids under the non-local rule
    non_local_area: np.ndarray  # their areas


def _leader_posts(model) -> _LeaderPosts:
    """Active head and deputy posts (cached until the organisation changes)."""
    org = model.org
    cache = getattr(model, "_leader_cache", None)
    if cache is None or cache[0] != org.version:
        n = org.n_posts
        ids = np.flatnonzero(org.post_active[:n] & (org.post_kind[:n] <= 1))
        is_head = org.post_kind[ids] == HEAD
        units = sum(1 for u in org.units if u.active)
        concurrent = sum(1 for u in org.units if u.active and u.concurrent_with is not None)
        nl = ids[org.post_non_local[ids] & (org.post_area[ids] > 0)]
        leader_posts = _LeaderPosts(
            ids, is_head, units, concurrent, int(np.count_nonzero(is_head)), nl, org.post_area[nl]
        )
        cache = (org.version, leader_posts)
        model._leader_cache = cache
    return cache[1]


def collect_month(model, m: int) -> dict[str, float]:
    """One timeseries row (without the month label)."""
    org = model.org
    posts = _leader_posts(model)
    lp = posts.ids
    holders = org.post_holder[lp]
    filled = holders >= 0
    h = holders[filled]
    n_holders = len(h)
    heads = np.count_nonzero(posts.is_head[filled])
    # surplus leaders are leaders too: above quota, kept after a restructuring action
    surplus = list(model.surplus_deadline)
    n_surplus = len(surplus)
    if n_surplus:
        h = np.concatenate([h, np.asarray(surplus, dtype=h.dtype)])
    n_leaders = len(h)
    n = model.n
    wage_bill = float(model.pay[:n][model.active[:n]].sum())
    if n_leaders:
        age = (m - model.birth[h]) / 12.0
        women = float(np.count_nonzero(model.female[h])) / n_leaders
        under40 = float(np.count_nonzero(age < 40.0)) / n_leaders
        mean_age = float(age.sum()) / n_leaders  # = age.mean(), without its overhead
    else:
        women = under40 = mean_age = float("nan")
    row = {
        "headcount": model.headcount,
        "units": posts.units,
        "leader_posts": len(lp),
        "head_posts": posts.head_posts,
        "leaders": n_leaders,
        "heads": heads,
        "deputies": n_leaders - heads,
        "vacant_leader_posts": len(lp) - n_holders,
        "surplus_leaders": n_surplus,
        "concurrent_posts": posts.concurrent,
        "wage_bill": wage_bill,
        "leaders_women_share": women,
        "leaders_under40_share": under40,
        "leaders_mean_age": mean_age,
    }
    row["rotations_active"] = len(model.rotating)
    row.update(pool_metrics(model, m))
    row["non_local_key_share"] = _non_local_key_share(model, posts)
    row.update(model.flows)
    return row


def _non_local_key_share(model, posts: _LeaderPosts) -> float:
    """Share of district posts under the non-local rule held by someone from elsewhere."""
    h = model.org.post_holder[posts.non_local]
    ok = h >= 0
    held = np.count_nonzero(ok)
    if not held:
        return float("nan")
    return np.count_nonzero(model.home[h[ok]] != posts.non_local_area[ok]) / held


class MonthlyCollector(mesa.DataCollector):
    """Mesa's DataCollector fed one ready-made row per month.

    The values are Python scalars, so the per-value deep copies of the generic
    ``collect`` are skipped; ``model_vars`` and ``_collection_steps`` are kept as Mesa
    expects them (``mesa.batch_run`` reads them).
    """

    def __init__(self, columns: list[str]):
        super().__init__(model_reporters={c: c for c in columns})
        self._columns = list(columns)

    def collect_row(self, model, row: dict[str, float]) -> None:
        self._collection_steps.append(model.time)
        for c in self._columns:
            self.model_vars[c].append(row[c])
