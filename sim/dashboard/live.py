"""The live page: one model on Mesa's SolaraViz, stepped month by month.

The sidebar's inputs (organisation, scenario, seed, and the policy parameters of
``dashboard.parameters``) are built from the schema (:mod:`sim.dashboard.controls`);
any change goes through the one adapter, ``controls.build_model``, and rebuilds the
model. SolaraViz's own Reset rebuilds ``CadreModel(config=...)`` from the same composed
config. The panels read the model each month: its DataCollector for the time series,
the people store for the pyramid and the levels, the event log for the latest events.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from sim.core.calendar import format_month
from sim.core.errors import USER_ERRORS
from sim.core.vocabulary import LEADER_KINDS, LEVELS, POST_KINDS, Event
from sim.dashboard import charts
from sim.dashboard.controls import SEED_MAX, Control, CurrentConfig, build_model, controls, setup_choices
from sim.dashboard.settings import DashboardSpec
from sim.dashboard.text import choice_label, event_label, metric_label, parameter_label, t
from sim.model import CadreModel

# The numbers of the "Now" panel, each with a data-testid ("now-<name>") for the browser test.
NOW = ("headcount", "leaders", "vacant_leader_posts", "surplus_leaders", "bench_strength", "promotions")
# The kinds the event table shows: people's moves up and out, and the organisation's steps.
EVENT_KINDS = (
    Event.PROMOTION,
    Event.RETIREMENT,
    Event.EARLY_RETIREMENT,
    Event.MERGE,
    Event.SPLIT,
    Event.CONCURRENT_HEAD,
    Event.ABOLISH_LEVEL,
    Event.DISTRICT_CONGRESS,
    Event.PROVINCIAL_CONGRESS,
)
AGE_BAND_YEARS = 5


# --------------------------------------------------------------------------- reading the model
def monthly_table(model: CadreModel) -> pd.DataFrame:
    """The months simulated so far: column ``month`` ("YYYY-MM") and every metric."""
    data = model.datacollector.model_vars
    n = len(next(iter(data.values()), ()))
    return pd.DataFrame(
        {"month": [format_month(model.start + k) for k in range(n)], **{k: list(v) for k, v in data.items()}}
    )


def current_month(model: CadreModel) -> str | None:
    """The last month simulated ("YYYY-MM"), None before the first step."""
    n = len(next(iter(model.datacollector.model_vars.values()), ()))
    return format_month(model.start + n - 1) if n else None


def by_level(model: CadreModel, lang: str = "en") -> pd.DataFrame:
    """Cadres in post and leaders (heads and deputies in post) by level, now."""
    org, people = model.org, model.people
    unit_level = np.array([LEVELS.index(u.level) for u in org.units])
    act = people.active_rows()
    units = people.unit[act]
    in_unit = units >= 0
    posts = people.post[act]
    leader = in_unit & (posts >= 0) & np.isin(org.post_kind[np.maximum(posts, 0)], LEADER_KINDS)
    rows = []
    for i, level in enumerate(LEVELS):
        here = in_unit & (unit_level[np.maximum(units, 0)] == i)
        rows.append({"level": t(level, lang), "measure": metric_label("headcount", lang), "count": int(here.sum())})
        rows.append(
            {"level": t(level, lang), "measure": metric_label("leaders", lang), "count": int((here & leader).sum())}
        )
    return pd.DataFrame(rows)


def age_bands(model: CadreModel, lang: str = "en") -> pd.DataFrame:
    """Cadres in post by 5-year age band and sex, now."""
    ages = model.age_table()
    low = (np.floor(ages["age"] / AGE_BAND_YEARS) * AGE_BAND_YEARS).astype(int)
    df = pd.DataFrame({"low": low, "sex": np.where(ages["female"], t("women", lang), t("men", lang))})
    out = df.groupby(["low", "sex"]).size().rename("count").reset_index()
    out["band"] = [f"{a}-{a + AGE_BAND_YEARS - 1}" for a in out["low"]]
    return out[["band", "sex", "count"]]


def latest_events(model: CadreModel, n: int = 12, lang: str = "en") -> pd.DataFrame:
    """The last ``n`` events of :data:`EVENT_KINDS`, newest first."""
    rows = []
    for month, kind, cadre, unit, post, rank, detail in reversed(model.events):
        if kind in EVENT_KINDS:
            rows.append(
                {
                    t("month", lang): format_month(month),
                    t("kind", lang): event_label(kind, lang),
                    t("cadre", lang): cadre,
                    t("unit", lang): unit,
                    t("post", lang): POST_KINDS[post] if post >= 0 else "",
                    t("rank", lang): rank if rank >= 0 else "",
                    t("detail", lang): detail,
                }
            )
            if len(rows) == n:
                break
    return pd.DataFrame(rows)


def now_numbers(model: CadreModel) -> dict[str, float]:
    """The last simulated month's values of :data:`NOW`."""
    data = model.datacollector.model_vars
    return {k: data[k][-1] for k in NOW if data.get(k)}


def format_number(x: float) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "–"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}"


# --------------------------------------------------------------------------- panels
def _tag(text: str, testid: str):
    return solara.v.Html(tag="span", attributes={"data-testid": testid}, children=[text])


@solara.component
def NowPanel(model: CadreModel, lang: str):
    update_counter.get()
    nums = now_numbers(model)
    with solara.Card(t("now", lang)):
        with solara.Column(gap="2px"):
            with solara.Row(gap="6px"):
                solara.Text(f"{t('month', lang)}:")
                _tag(current_month(model) or "–", "now-month")
                solara.Text(f"· {t('scenario', lang)}: {model.scenario_name}")
            for k in NOW:
                with solara.Row(gap="6px"):
                    solara.Text(f"{metric_label(k, lang)}:")
                    _tag(format_number(nums.get(k)), f"now-{k}")


@solara.component
def ChartPanel(model: CadreModel, lang: str, title: str, columns: tuple[str, ...], percent: bool = False, targets=None):
    update_counter.get()
    ts = monthly_table(model)
    with solara.Card(title):
        if ts.empty:
            solara.Text(t("no_events", lang))
        else:
            solara.FigureAltair(charts.lines(ts, list(columns), lang, percent=percent, targets=targets))


@solara.component
def LevelPanel(model: CadreModel, lang: str):
    update_counter.get()
    with solara.Card(t("by_level", lang)):
        solara.FigureAltair(charts.bars(by_level(model, lang), "level", "count", "measure", lang))


@solara.component
def PyramidPanel(model: CadreModel, lang: str):
    update_counter.get()
    with solara.Card(t("pyramid", lang)):
        solara.FigureAltair(charts.pyramid(age_bands(model, lang), lang))


@solara.component
def EventsPanel(model: CadreModel, lang: str):
    update_counter.get()
    ev = latest_events(model, lang=lang)
    with solara.Card(t("events", lang)):
        if ev.empty:
            solara.Text(t("no_events", lang))
        else:
            solara.DataFrame(ev, items_per_page=12)


def panels(lang: str, cfg) -> list[Callable[[CadreModel], object]]:
    """The live panels, as SolaraViz components (functions of the model)."""
    pool = cfg.policy.pool
    targets = {
        metric_label("pool_women_share", lang): pool.women_target,
        metric_label("pool_under40_share", lang): pool.young_target,
    }
    return [
        lambda m: NowPanel(m, lang),
        lambda m: ChartPanel(m, lang, t("headcount_leaders", lang), ("headcount", "leaders")),
        lambda m: LevelPanel(m, lang),
        lambda m: ChartPanel(m, lang, t("vacancy_surplus", lang), ("vacant_leader_posts", "surplus_leaders")),
        lambda m: ChartPanel(m, lang, t("pipeline", lang), ("bench_strength", "succession_gaps")),
        lambda m: ChartPanel(
            m,
            lang,
            t("shares", lang),
            ("leaders_women_share", "leaders_under40_share", "pool_women_share", "pool_under40_share"),
            percent=True,
            targets=targets,
        ),
        lambda m: PyramidPanel(m, lang),
        lambda m: EventsPanel(m, lang),
    ]


# --------------------------------------------------------------------------- inputs
def control_label(c: Control, lang: str) -> str:
    """The input's label: the parameter's short name (its unit and source are shown under it)."""
    return parameter_label(c.key, lang)


def _input(c: Control, label: str, value, on_value: Callable):
    if c.kind == "select":
        return solara.Select(label, value=value, values=list(c.choices), on_value=on_value)
    if c.kind == "checkbox":
        return solara.Checkbox(label=label, value=bool(value), on_value=on_value)
    if c.kind == "int":
        return solara.SliderInt(
            label,
            value=int(value),
            min=int(c.low),
            max=int(c.high),
            step=int(c.step),
            on_value=on_value,
            thumb_label="always",
        )
    return solara.SliderFloat(
        label, value=float(value), min=c.low, max=c.high, step=c.step, on_value=on_value, thumb_label="always"
    )


@solara.component
def ControlInput(c: Control, value, on_value: Callable, lang: str):
    """One input: the widget (its meaning as declared in the schema as a tooltip), then its source."""
    label = control_label(c, lang)
    with solara.Tooltip(c.doc or label):
        with solara.Column(gap="0px"):
            _input(c, label, value, on_value)
    parts = [c.unit] if c.unit and c.kind in ("int", "float") else []
    parts += [f"{t('source', lang)}: {c.source}"] if c.source else []
    hint = " · ".join(parts)
    if c.kind == "select" and lang != "en":
        hint = " / ".join(f"{v} = {choice_label(v, lang)}" for v in c.choices) + (f"; {hint}" if hint else "")
    if hint:
        solara.Text(
            hint,
            style={
                "font-size": "11px",
                "color": "gray",
                "line-height": "1.2",
                "margin-bottom": "10px",
                "display": "block",
            },
        )


@solara.component
def Inputs(cfg, values: dict, setter: Callable, settings: DashboardSpec, lang: str, error: str | None):
    """The sidebar's organisation, scenario, seed and policy inputs."""
    choices = setup_choices()
    with solara.Sidebar():
        with solara.Card(t("setup", lang)):
            solara.Select(
                t("org", lang), value=values.get("org", cfg.org.name), values=choices["org"], on_value=setter("org")
            )
            solara.Select(
                t("scenario", lang),
                value=values.get("scenario", cfg.scenario.name),
                values=choices["scenario"],
                on_value=setter("scenario"),
            )
            if cfg.scenario.description:
                solara.Text(cfg.scenario.description, style={"font-size": "11px", "color": "gray"})
            solara.SliderInt(
                t("seed", lang), value=int(values.get("seed", cfg.seed)), min=0, max=SEED_MAX, on_value=setter("seed")
            )
        with solara.Card(t("policy", lang)):
            for c in controls(cfg, settings.parameters, settings.ranges):
                ControlInput(c, c.clamp(values.get(c.key, c.value)), setter(c.key), lang)
        if error:
            solara.Error(error)


@solara.component
def LivePage(
    settings: DashboardSpec | None = None, lang: str = "en", on_model: Callable[[CadreModel], None] | None = None
):
    """The live run: inputs in the sidebar, SolaraViz's controls and the panels.

    ``on_model`` is called with every model the page builds (tests use it).
    """
    settings = settings or DashboardSpec()
    values, set_values = solara.use_state({})
    key = tuple(sorted((k, str(v)) for k, v in values.items()))

    def make():
        try:
            return build_model(values, settings.overrides), None
        except USER_ERRORS as err:
            return None, str(err)

    model, error = solara.use_memo(make, dependencies=[key])
    last_good = solara.use_ref(None)
    if model is not None:
        last_good.current = model
    shown = model or last_good.current
    current = solara.use_memo(lambda: CurrentConfig(None), [])

    def announce():
        if model is not None and on_model is not None:
            on_model(model)

    solara.use_effect(announce, [model])
    solara.Title(f"cadresim — {t('live', lang)}")
    if shown is None:
        solara.Error(error or "no model")
        return
    cfg = shown.cfg
    current.config = cfg  # what Reset rebuilds from

    def setter(k: str):
        def on_value(v):
            set_values(lambda old: {**old, k: v})

        return on_value

    SolaraViz(
        shown,
        components=panels(lang, cfg),
        model_params={"config": current},
        name=f"cadresim — {t('live', lang)}",
        play_interval=150,
    )
    # the sidebar's inputs (Solara places them above SolaraViz's Step / Play / Reset card)
    Inputs(cfg, values, setter, settings, lang, error)


__all__ = [
    "EVENT_KINDS",
    "LivePage",
    "NOW",
    "age_bands",
    "by_level",
    "current_month",
    "latest_events",
    "monthly_table",
    "now_numbers",
]
