"""What is measured each month.

Stocks are numpy reductions over the posts arrays (a few hundred leader posts) and the
pay array, flows are running counters kept by the model as events happen; nothing here
loops over the population in Python.

Units: ``wage_bill`` is the month's pay in multiples of the base salary (salary
coefficient plus leadership allowance, plus the public-service allowance on both,
summed over cadres); ``severance_cost`` is the one-off early-retirement payments of the
month in the same unit (sim/rules/early_retirement.py). ``wage_bill_vnd`` and
``severance_cost_vnd`` are the same in nominal VND, at the base salary in force that
month (``policy.wage.base_salary_*``: Decrees 47/2017, 72/2018, 38/2019, 24/2023, 73/2024).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import mesa
import numpy as np

from sim.core.vocabulary import HEAD, LEADER_KINDS


@dataclass(frozen=True)
class Metric:
    """One column of the monthly timeseries.

    ``kind``: "stock" (measured at the end of the month) or "flow" (counted during the
    month; summed over the horizon in summaries). ``label``: plain words in English and
    Vietnamese, for axes, tables and reports. ``unit``: what one unit of the value is.
    ``share``: a fraction in [0, 1], shown as a percentage. ``group``: where it is shown
    (staffing, restructuring, pipeline, pay).
    """

    name: str
    kind: str
    label: dict[str, str]
    unit: str
    group: str
    share: bool = False

    def text(self, lang: str = "en") -> str:
        return self.label.get(lang) or self.label["en"]


def _m(name, kind, en, vi, unit, group, share=False) -> Metric:
    return Metric(name, kind, {"en": en, "vi": vi}, unit, group, share)


METRICS: tuple[Metric, ...] = (
    # stocks, at the end of the month
    _m("headcount", "stock", "cadres in post", "số cán bộ đang công tác", "people", "staffing"),
    _m("units", "stock", "units", "số cơ quan, đơn vị", "units", "restructuring"),
    _m("leader_posts", "stock", "leader posts (heads and deputies)", "số vị trí lãnh đạo (cấp trưởng, cấp phó)", "posts", "restructuring"),
    _m("head_posts", "stock", "head posts", "số vị trí cấp trưởng", "posts", "restructuring"),
    _m("leaders", "stock", "leaders (in post or surplus)", "số lãnh đạo (kể cả dôi dư)", "people", "staffing"),
    _m("heads", "stock", "heads in post", "số cấp trưởng", "people", "staffing"),
    _m("deputies", "stock", "deputies (in post or surplus)", "số cấp phó (kể cả dôi dư)", "people", "staffing"),
    _m("vacant_leader_posts", "stock", "vacant leader posts", "vị trí lãnh đạo còn trống", "posts", "staffing"),
    _m("surplus_leaders", "stock", "surplus leaders (above quota)", "lãnh đạo dôi dư (vượt số lượng quy định)", "people", "restructuring"),
    _m("concurrent_posts", "stock", "units under a concurrent head", "đơn vị do người kiêm nhiệm đứng đầu", "units", "restructuring"),
    _m("wage_bill", "stock", "monthly wage bill", "quỹ lương hằng tháng", "base salaries per month", "pay"),
    _m("wage_bill_vnd", "stock", "monthly wage bill (VND)", "quỹ lương hằng tháng (đồng)", "VND per month (nominal)", "pay"),
    _m("leaders_women_share", "stock", "women among leaders", "tỷ lệ nữ trong lãnh đạo", "share of leaders", "pipeline", True),
    _m("leaders_under40_share", "stock", "leaders under 40", "tỷ lệ lãnh đạo dưới 40 tuổi", "share of leaders", "pipeline", True),
    _m("leaders_mean_age", "stock", "leaders' mean age", "tuổi bình quân của lãnh đạo", "years", "pipeline"),
    _m("leaders_mean_competence", "stock", "leaders' mean competence", "năng lực bình quân của lãnh đạo", "sd of latent competence (0 = mean recruit)", "pipeline"),
    _m("key_posts_mean_competence", "stock", "key-post holders' mean competence", "năng lực bình quân của người giữ vị trí chủ chốt", "sd of latent competence (0 = mean recruit)", "pipeline"),
    _m("leaders_rotated_share", "stock", "leaders who have served a rotation", "tỷ lệ lãnh đạo đã qua luân chuyển", "share of leaders", "pipeline", True),
    _m("rotations_active", "stock", "cadres away on rotation", "cán bộ đang luân chuyển", "people", "pipeline"),
    _m("pool_size", "stock", "succession pool (people)", "số người trong quy hoạch", "people", "pipeline"),
    _m("pool_women_share", "stock", "women in the pool", "tỷ lệ nữ trong quy hoạch", "share of pool members", "pipeline", True),
    _m("pool_under40_share", "stock", "pool members under 40", "tỷ lệ dưới 40 tuổi trong quy hoạch", "share of pool members", "pipeline", True),
    _m("bench_strength", "stock", "bench strength", "số người sẵn sàng kế nhiệm mỗi vị trí chủ chốt", "ready candidates per key post", "pipeline"),
    _m("staffing_imbalance", "stock", "staffing imbalance (surplus and shortage against the norms)", "mức mất cân đối biên chế (thừa, thiếu so với định mức)", "share of the units' norms (sum of |staff - norm| / sum of norms)", "staffing", True),
    _m("non_local_key_share", "stock", "non-local holders of non-local-rule posts", "tỷ lệ không phải người địa phương ở vị trí phải bố trí không là người địa phương", "share of those posts held", "pipeline", True),
    # flows, during the month
    _m("recruits", "flow", "recruits", "tuyển dụng mới", "people per month", "staffing"),
    _m("exits", "flow", "exits (all kinds)", "số người ra khỏi biên chế", "people per month", "staffing"),
    _m("retirements", "flow", "statutory retirements", "nghỉ hưu đúng tuổi", "people per month", "staffing"),
    _m("other_exits", "flow", "other exits (quits, deaths, moves away)", "nghỉ việc vì lý do khác", "people per month", "staffing"),
    _m("early_retirements", "flow", "early retirements", "nghỉ hưu trước tuổi", "people per month", "restructuring"),
    _m("to_commune", "flow", "moves to the commune level", "chuyển về cấp xã", "people per month", "restructuring"),
    _m("to_central", "flow", "moves to central posts", "điều động, luân chuyển về Trung ương", "people per month", "pipeline"),
    _m("from_central", "flow", "central cadres rotated into the province", "cán bộ Trung ương luân chuyển về tỉnh", "people per month", "pipeline"),
    _m("promotions", "flow", "promotions", "bổ nhiệm lên vị trí cao hơn", "people per month", "pipeline"),
    _m("transfers", "flow", "transfers (same rank)", "điều động (cùng cấp)", "people per month", "staffing"),
    _m("posts_abolished", "flow", "staff posts abolished (payroll cut)", "biên chế cắt giảm", "posts per month", "restructuring"),
    _m("severance_cost", "flow", "early-retirement payments", "chi trả nghỉ hưu trước tuổi", "base salaries (one-off)", "pay"),
    _m("severance_cost_vnd", "flow", "early-retirement payments (VND)", "chi trả nghỉ hưu trước tuổi (đồng)", "VND (nominal, one-off)", "pay"),
    _m("rotations", "flow", "rotations started", "số lượt luân chuyển mới", "people per month", "pipeline"),
    _m("succession_gaps", "flow", "key-post vacancies without a ready pool candidate", "vị trí chủ chốt trống không có người kế nhiệm sẵn sàng", "posts per month", "pipeline"),
)
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
# derived once from the registry, never listed again
STOCK_COLUMNS = [m.name for m in METRICS if m.kind == "stock"]
FLOW_COLUMNS = [m.name for m in METRICS if m.kind == "flow"]
COLUMNS = STOCK_COLUMNS + FLOW_COLUMNS


def metric(name: str) -> Metric:
    """The registry entry of a timeseries column; KeyError naming the valid ones."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; valid: {', '.join(BY_NAME)}") from None


# the columns measured here, on the organisation and the people store; every other
# column comes from a process's ``measure`` (its ``metrics``) or is a flow counter
STAFFING_COLUMNS = (
    "headcount", "units", "leader_posts", "head_posts", "leaders", "heads", "deputies",
    "vacant_leader_posts", "concurrent_posts", "leaders_women_share", "leaders_under40_share", "leaders_mean_age",
    "leaders_mean_competence", "key_posts_mean_competence", "leaders_rotated_share",
)


class _LeaderPosts(NamedTuple):
    """What the metrics need to know about the leader posts of one organisation version."""

    ids: np.ndarray  # active head and deputy posts
    is_head: np.ndarray  # per post in ids
    key_ids: np.ndarray  # active key posts
    units: int
    concurrent: int
    head_posts: int


class MonthRecorder:
    """Builds each month's row (staffing measures, the processes' measures, the month's
    flows) and feeds it to Mesa's DataCollector; adds the flows to the run totals."""

    def __init__(self, model):
        self.model = model
        self.datacollector = MonthlyCollector(COLUMNS)
        self.young_months = model.policy.pool.young_age * 12
        self._cache = None

    def _leader_posts(self) -> _LeaderPosts:
        """Active head and deputy posts (cached until the organisation changes)."""
        org = self.model.org
        cache = self._cache
        if cache is None or cache[0] != org.version:
            n = org.n_posts
            ids = np.flatnonzero(org.post_active[:n] & np.isin(org.post_kind[:n], LEADER_KINDS))
            is_head = org.post_kind[ids] == HEAD
            units = sum(1 for u in org.units if u.active)
            concurrent = sum(1 for u in org.units if u.active and u.concurrent_with is not None)
            key_ids = np.flatnonzero(org.post_active[:n] & org.post_key[:n])
            cache = self._cache = (org.version, _LeaderPosts(ids, is_head, key_ids, units, concurrent, int(np.count_nonzero(is_head))))
        return cache[1]

    def staffing(self, m: int) -> dict[str, float]:
        model = self.model
        org, people = model.org, model.people
        posts = self._leader_posts()
        lp = posts.ids
        holders = org.post_holder[lp]
        filled = holders >= 0
        h = holders[filled]
        n_holders = len(h)
        heads = np.count_nonzero(posts.is_head[filled])
        # surplus leaders are leaders too: above quota, kept after a restructuring action
        surplus = list(model.transition.deadline)
        if surplus:
            h = np.concatenate([h, np.asarray(surplus, dtype=h.dtype)])
        n_leaders = len(h)
        if n_leaders:
            age_months = m - people.birth[h]
            women = float(np.count_nonzero(people.female[h])) / n_leaders
            under40 = float(np.count_nonzero(age_months < self.young_months)) / n_leaders
            mean_age = float((age_months / 12.0).sum()) / n_leaders  # = mean, without its overhead
            competence = float(people.competence[h].sum()) / n_leaders
            rotated = float(np.count_nonzero(people.rotated[h])) / n_leaders
        else:
            women = under40 = mean_age = competence = rotated = float("nan")
        kh = org.post_holder[posts.key_ids]
        kh = kh[kh >= 0]
        key_competence = float(people.competence[kh].sum()) / len(kh) if len(kh) else float("nan")
        return {
            "headcount": model.personnel.headcount,
            "units": posts.units,
            "leader_posts": len(lp),
            "head_posts": posts.head_posts,
            "leaders": n_leaders,
            "heads": heads,
            "deputies": n_leaders - heads,
            "vacant_leader_posts": len(lp) - n_holders,
            "concurrent_posts": posts.concurrent,
            "leaders_women_share": women,
            "leaders_under40_share": under40,
            "leaders_mean_age": mean_age,
            "leaders_mean_competence": competence,
            "key_posts_mean_competence": key_competence,
            "leaders_rotated_share": rotated,
        }

    def record(self, m: int) -> dict[str, float]:
        model = self.model
        flows, totals = model.flows, model.totals
        for key, v in flows.items():
            totals[key] += v
        row = self.staffing(m)
        for proc in model.processes:
            row.update(proc.measure(m))
        row.update(flows)
        self.datacollector.collect_row(model, row)
        for key in flows:
            flows[key] = 0
        return row


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
