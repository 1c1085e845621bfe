"""Results: the tidy tables of one replication."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.core.calendar import every, format_month, parse_month
from sim.core.vocabulary import POST_KINDS
from sim.metrics import FLOW_COLUMNS, STOCK_COLUMNS

EVENT_COLUMNS = ["month", "kind", "cadre_id", "unit", "post", "rank", "detail"]


class Result:
    """One replication: ``timeseries`` (one row per month), ``summary`` and ``events``.

    ``events`` and ``ages`` are built on first access: a comparison of hundreds of
    replications that only needs the timeseries does not pay for them.
    """

    def __init__(self, timeseries, summary, raw_events, ages_raw, scenario, seed, replicate=None, org_counts=None, start=0, end=0):
        self.timeseries: pd.DataFrame = timeseries
        self.summary: dict[str, float] = summary
        self.scenario: str = scenario
        self.seed: int = seed
        self.replicate: int | None = replicate
        self.org_counts: dict[str, int] = org_counts or {}
        self._raw_events = raw_events
        self._ages_raw = ages_raw
        self._start, self._end = start, end
        self._events: pd.DataFrame | None = None
        self._ages: pd.DataFrame | None = None

    @property
    def events(self) -> pd.DataFrame:
        """One row per event: month, kind, cadre_id, unit, post, rank, detail."""
        if self._events is None:
            ev = pd.DataFrame(self._raw_events, columns=EVENT_COLUMNS)
            if len(ev):
                labels = {m: format_month(m) for m in set(ev["month"].tolist())}
                ev["month"] = ev["month"].map(labels)
                kinds = np.array(list(POST_KINDS) + [""], dtype=object)
                ev["post"] = kinds[ev["post"].to_numpy()]
            self._events = ev
        return self._events

    @property
    def ages(self) -> pd.DataFrame:
        """Ages (years) and sex of the cadres in service at the start and at the end."""
        if self._ages is None:
            start, end = self._ages_raw
            self._ages = pd.concat(
                [
                    pd.DataFrame({"when": format_month(self._start), "age": start["age"], "female": start["female"]}),
                    pd.DataFrame({"when": format_month(self._end), "age": end["age"], "female": end["female"]}),
                ],
                ignore_index=True,
            )
        return self._ages

    @classmethod
    def from_model(cls, model, replicate: int | None = None) -> Result:
        columns = model.datacollector.model_vars
        n_months = len(next(iter(columns.values()), ()))
        # the label columns first, then the metrics; built in one go (inserting columns
        # one by one into a DataFrame copies it each time)
        data = {
            "month": [format_month(m) for m in range(model.start, model.start + n_months)],
            "scenario": model.scenario_name,
            "seed": np.full(n_months, model.seed, dtype=np.int64),  # int64: no two seeds share a value
        }
        if replicate is not None:
            data["replicate"] = replicate
        # numpy infers the dtype pandas would (int64, or float64 once a float is in);
        # giving pandas arrays skips its slower per-object inference
        data.update((name, np.asarray(values) if values else values) for name, values in columns.items())
        ts = pd.DataFrame(data)
        summary = summarise(ts, model)
        return cls(
            ts,
            summary,
            model.events,
            (model.initial_ages, model.age_table()),
            model.scenario_name,
            model.seed,
            replicate,
            model.org.counts(),
            model.start,
            model.end,
        )


def congress_months(cfg) -> list[str]:
    """The months ("YYYY-MM") of the provincial congresses in the run's horizon
    (``policy.congress.province_months``, then every ``period_years``), at which the
    summary records every stock."""
    c = cfg.policy.congress
    return [format_month(m) for m in every(c.province_months, c.period_years, cfg.end_index)]


def summarise(ts: pd.DataFrame, model=None, months: list[str] | None = None) -> dict[str, float]:
    """End-of-horizon stocks (``<stock>_end``), horizon totals of flows
    (``<flow>_total``), stocks at the congress months (``<stock>_<YYYY>_<MM>``).

    ``months`` are those congress months; by default the provincial congress months of
    ``model.cfg`` (none without a model). Months outside the horizon are skipped.
    """
    out: dict[str, float] = {}
    last = ts.iloc[-1]
    cols = [c for c in ts.columns if c not in ("month", "scenario", "seed", "replicate")]
    flows = [c for c in cols if c in FLOW_COLUMNS or c.endswith("s_flow")]
    for c in cols:
        if c in flows:
            out[f"{c}_total"] = float(ts[c].sum())
        else:
            out[f"{c}_end"] = float(last[c])
    if model is not None:
        out["headcount_start"] = float(model.initial_headcount)
    if months is None:
        months = congress_months(model.cfg) if model is not None else []
    row_of = {label: k for k, label in enumerate(ts["month"].tolist())}
    for cm in months:
        if cm in row_of:
            row = ts.iloc[row_of[cm]]
            for c in STOCK_COLUMNS:
                out[f"{c}_{cm.replace('-', '_')}"] = float(row[c])
    if model is not None:
        extra = getattr(model, "summary_extra", None)
        if extra:
            out.update(extra)
    return out


def month_range(start: str, end: str) -> list[str]:
    return [format_month(m) for m in range(parse_month(start), parse_month(end) + 1)]
