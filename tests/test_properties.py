"""Invariants as properties (GitHub issue 6): random small organisations, populations,
policies, rosters and restructuring scenarios; ``sim.invariants.check`` after every month.

Hypothesis runs derandomized (the same examples on every run, no example database), so
a failure here is reproducible: the falsifying example is printed. Scenarios that
``sim.restructuring.plan`` (or ``sim.params.checks.check_plan``) rejects raise ConfigError
before the run; they are counted as such (``event``) and must never raise anything else.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import sim
from sim import invariants
from sim.core.calendar import format_month, parse_month
from sim.core.errors import ConfigError
from sim.model import CadreModel, make_streams
from sim.output.result import Result
from sim.params.checks import check_plan
from sim.params.schema import ActionSpec, DistrictSpec, OrgConfig, PopulationSpec, ScenarioConfig, SimConfig, UnitSpec
from sim.restructuring import plan
from sim.world.org import Org
from sim.world.roster import OPTIONAL
from sim.world.roster_checks import load_roster_checked

SETTINGS = dict(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KEYS = ("office", "finance", "organisation", "inspection", "health", "justice")
FUNCTIONS = ("f_office", "f_org")  # few tags, so that a selection by tag finds two units
CODES = ("AA", "BB", "CC")
STARTS = ("2018-09", "2019-01", "2020-03", "2024-06")  # 2024-06: Decree 178 and the 2025 congress


@functools.cache
def base_config() -> SimConfig:
    return sim.load_config(["end=2020-06"])


# --------------------------------------------------------------------------- strategies
@st.composite
def unit_specs(draw, key: str, level: str) -> UnitSpec:
    head_rank = draw(st.integers(1, 6 if level == "province" else 4))
    deputy_rank = draw(st.integers(0, head_rank - 1))
    return UnitSpec(
        key=key,
        name=key.title(),
        sector=draw(st.sampled_from(("party", "state", "front", "assembly"))),
        function=draw(st.sampled_from(FUNCTIONS)),
        head_rank=head_rank,
        deputy_rank=deputy_rank,
        deputies=draw(st.integers(0, 3)),
        divisions=draw(st.integers(0, 2)) if deputy_rank >= 3 else 0,
        division_deputies=draw(st.integers(0, 2)),
        specialists=draw(st.integers(0, 12)),
        head_key=draw(st.booleans()),
        head_non_local=draw(st.booleans()),
        psc_remit=draw(st.booleans()),
    )


@st.composite
def populations(draw) -> PopulationSpec:
    d = PopulationSpec()
    shift = draw(st.integers(-6, 4))
    share = st.floats(0.0, 1.0, allow_nan=False)
    return PopulationSpec(
        age_mean_by_rank=[a + shift for a in d.age_mean_by_rank],
        age_sd_by_rank=[max(1.0, s * draw(st.sampled_from((0.5, 1.0, 1.5)))) for s in d.age_sd_by_rank],
        women_share_by_rank=draw(st.lists(share, min_size=7, max_size=7)),
        max_months_in_rank=draw(st.integers(0, 180)),
        local_share=draw(share),
        non_local_share_2018=draw(share),
        vacancy_rate_leaders=draw(st.floats(0.0, 0.5)),
        vacancy_rate_staff=draw(st.floats(0.0, 0.5)),
    )


@st.composite
def organisations(draw) -> OrgConfig:
    n_districts = draw(st.integers(1, 3))
    prov_keys = draw(st.lists(st.sampled_from(KEYS), min_size=2, max_size=5, unique=True))
    dist_keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True))
    return OrgConfig(
        name="random",
        province="Random",
        districts=[DistrictSpec(code=c, name=c) for c in CODES[:n_districts]],
        province_units=[draw(unit_specs(k, "province")) for k in prov_keys],
        district_units=[draw(unit_specs(k, "district")) for k in dist_keys],
        population=draw(populations()),
    )


@st.composite
def policies(draw):
    p = base_config().policy
    prob = st.floats(0.0, 1.0, allow_nan=False)
    return dataclasses.replace(
        p,
        retirement_rule=draw(st.sampled_from(("decree_135", "labour_code_2012"))),
        senior_extension=dataclasses.replace(p.senior_extension, enabled=draw(st.booleans()), min_rank=draw(st.integers(3, 6))),
        selection=dataclasses.replace(p.selection, rule=draw(st.sampled_from(("merit", "seniority", "random")))),
        vacancy=dataclasses.replace(
            p.vacancy,
            fill_probability_leader=draw(prob),
            fill_probability_division=draw(prob),
            fill_probability_entry=draw(prob),
        ),
        appointment=dataclasses.replace(
            p.appointment,
            min_months_left=draw(st.sampled_from((0, 24, 60))),
            min_months_in_post=draw(st.sampled_from((0, 12, 24))),
            term_months=draw(st.sampled_from((12, 60))),
        ),
        transition=dataclasses.replace(
            p.transition,
            deadline_policy=draw(st.booleans()),
            default_deadline_months=draw(st.integers(0, 12)),
            extra_deputies_per_extra_body=draw(st.integers(0, 2)),
            takeup_decree_108=draw(prob),
            takeup_decree_178=draw(prob),
            to_province_share=draw(prob),
        ),
        term_limit=dataclasses.replace(p.term_limit, enabled=draw(st.booleans()), max_consecutive_terms=draw(st.integers(1, 2))),
        non_local=dataclasses.replace(p.non_local, strictness=draw(st.sampled_from(("off", "preference", "required")))),
        pool=dataclasses.replace(
            p.pool,
            target_mode=draw(st.sampled_from(("none", "preference", "quota"))),
            choice=draw(st.sampled_from(("merit", "seniority", "random", "mixed"))),
            review_month=draw(st.integers(1, 12)),
        ),
        rotation=dataclasses.replace(p.rotation, per_year=draw(st.integers(0, 4)), wave_month=draw(st.integers(1, 12)), length_months=draw(st.sampled_from((3, 12, 36)))),
        payroll=dataclasses.replace(p.payroll, enabled=draw(st.booleans())),
    )


@st.composite
def horizons(draw) -> tuple[str, str]:
    start = draw(st.sampled_from(STARTS))
    months = draw(st.integers(3, 36))
    return start, format_month(min(parse_month(start) + months, parse_month("2035-12")))


def _tags(units: list[UnitSpec], exactly_two: bool) -> list[str]:
    """Function tags held by at least (or exactly) two units of a level."""
    tags = [u.function for u in units]
    return sorted({t for t in tags if (tags.count(t) == 2 if exactly_two else tags.count(t) >= 2)})


@st.composite
def action_lists(draw, org: OrgConfig, start: str, end: str) -> list[ActionSpec]:
    """Dated actions on the organisation's keys and function tags.

    Mostly sensible: months in order, units that still exist at that level (merged
    units leave, their merger joins; a split brings them back), tags that select two
    units, districts that exist. Sometimes not (district subsets are not tracked, tags
    may meet merged units): the planner must then raise ConfigError.
    """
    s, e = parse_month(start), parse_month(end)
    units_of = {"province": org.province_units, "district": org.district_units}
    alive = {lv: [u.key for u in units_of[lv]] for lv in units_of}
    headless: dict[str, set[str]] = {lv: set() for lv in units_of}
    origins: dict[tuple[str, str], list[str]] = {}
    codes = [d.code for d in org.districts]
    months = sorted(draw(st.lists(st.integers(s, e), min_size=2, max_size=7)))
    out: list[ActionSpec] = []
    for k, month in enumerate(months):
        kinds = ("concurrent_head", "merge", "merge", "split", "abolish_level") + (("split",) * 2 if origins else ())
        kind = draw(st.sampled_from(kinds))
        level = draw(st.sampled_from(("province", "province", "district", "both")))
        levels = ["province", "district"] if level == "both" else [level]
        districts = "all"
        if level != "province":
            districts = draw(
                st.one_of(
                    st.just("all"),
                    st.integers(1, len(codes)),
                    st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True),
                )
            )
        if kind == "split":
            done = list(origins)
            if not done:
                continue
            lv, key = draw(st.sampled_from(done[::-1]))  # the latest merger first
            level, levels = lv, ["province", "district"] if lv == "both" else [lv]
            back = origins.pop((lv, key))
            for one in levels:
                alive[one] = [u for u in alive[one] if u != key] + [u for u in back if u not in alive[one]]
            out.append(ActionSpec(kind="split", month=format_month(month), level=level, units=[key],
                                  districts=districts if level != "province" else "all"))
            continue
        if kind == "abolish_level":
            if level == "province" or draw(st.integers(0, 3)):  # rarer: it removes whole districts
                continue
            out.append(ActionSpec(kind="abolish_level", month=format_month(month), level="district", districts=districts))
            continue
        keys = sorted(set.intersection(*(set(alive[lv]) - headless[lv] for lv in levels)))
        tags = sorted(set.intersection(*(set(_tags(units_of[lv], kind == "concurrent_head")) for lv in levels)))
        if tags and (len(keys) < 2 or draw(st.integers(0, 3)) == 0):
            units, functions = [], [draw(st.sampled_from(tags))]
        elif len(keys) >= 2:
            size = 2 if kind == "concurrent_head" else draw(st.integers(2, min(3, len(keys))))
            units, functions = draw(st.lists(st.sampled_from(keys), min_size=size, max_size=size, unique=True)), []
        else:
            continue
        spec = ActionSpec(kind=kind, month=format_month(month), level=level, units=units, functions=functions, districts=districts)
        if kind == "concurrent_head" and units:
            for lv in levels:
                headless[lv].add(units[1])
        if kind == "merge":
            new_key = f"m{k}"
            spec = dataclasses.replace(spec, new_key=new_key, deputies=draw(st.one_of(st.none(), st.integers(0, 3))))
            if units:
                for lv in levels:
                    alive[lv] = [u for u in alive[lv] if u not in units] + [new_key]
                    headless[lv] -= set(units)
                origins[(level, new_key)] = units
        out.append(spec)
    return out


@st.composite
def scenarios(draw):
    org = draw(organisations())
    start, end = draw(horizons())
    actions = draw(action_lists(org, start, end))
    seed, policy = draw(st.integers(0, 2**16)), draw(policies())
    cfg = with_scenario(base_config(), actions, seed=seed, start=start, end=end, org=org, policy=policy)
    assume(cfg is not None)
    return cfg


# --------------------------------------------------------------------------- helpers
def with_scenario(cfg: SimConfig, actions: list[ActionSpec], **changes) -> SimConfig | None:
    """The config with these actions, or None when building it raises ConfigError (once
    check_config runs in SimConfig.__post_init__, repeated or unused fields of
    an action are rejected there)."""
    try:
        return dataclasses.replace(cfg, scenario=ScenarioConfig(name="random", actions=actions), **changes)
    except ConfigError as err:
        assert str(err).startswith("scenario action "), err
        event("rejected when the config is built (ConfigError)")
        return None


def planned_or_none(cfg: SimConfig):
    """The checked plan, or None when the scenario is (rightly) rejected."""
    org = Org(cfg.org)
    try:
        # the model's own stream at its first month: "districts: <number>" picks districts with it
        out = plan(cfg, org, make_streams(cfg.seed, cfg.start_index)["restructuring"])
        check_plan(cfg, org, out)
    except ConfigError as err:
        assert str(err).startswith("scenario action "), err
        event("rejected: " + str(err).split("): ", 1)[1][:40])
        return None
    return out


def run_checked(cfg: SimConfig) -> CadreModel:
    model = CadreModel(cfg)
    invariants_at_start(model)
    while model.running:
        model.step()
        invariants.check(model)
    assert model.month == cfg.end_index + 1
    assert len(model.datacollector.model_vars["headcount"]) == cfg.end_index - cfg.start_index + 1
    return model


def invariants_at_start(model: CadreModel) -> None:
    """Before the first step: everyone is in a post of their rank, nobody is past
    retirement (the checks that need a simulated month are skipped)."""
    n = model.people.n
    assert model.headcount == n == model.initial_headcount
    assert np.all(model.people.post[:n] >= 0)
    assert np.array_equal(model.org.post_holder[model.people.post[:n]], np.arange(n))
    assert np.all(model.people.ret[:n] >= model.start)


# --------------------------------------------------------------------------- properties
@settings(max_examples=500, **SETTINGS)
@given(cfg=scenarios())
def test_invariants_hold_every_month(cfg):
    """Random organisation, population, policy and scenario: every invariant holds
    after every month, and the tables add up."""
    planned = planned_or_none(cfg)
    if planned is None:
        event("scenario rejected by plan (ConfigError)")
        return
    event(f"{len(cfg.scenario.actions)} actions")
    model = run_checked(cfg)
    ts = Result.from_model(model).timeseries
    assert ts["headcount"].iloc[-1] == model.initial_headcount + ts["recruits"].sum() + ts["from_central"].sum() - ts["exits"].sum()
    assert (ts["headcount"] >= 0).all()
    assert list(ts["month"]) == [format_month(m) for m in range(cfg.start_index, cfg.end_index + 1)]


@settings(max_examples=200, **SETTINGS)
@given(data=st.data())
def test_plan_accepts_or_rejects_with_config_error(data):
    """Any list of actions on the default province (and nonsense on purpose): the
    planner returns a plan or raises ConfigError naming the action; nothing else."""
    cfg = base_config()
    actions = data.draw(action_lists(cfg.org, cfg.start, cfg.end))
    extra = data.draw(st.lists(st.sampled_from(("nonesuch", "pc_office", "finance", "m0", "office")), max_size=2))
    if extra and actions:
        actions[-1] = dataclasses.replace(actions[-1], units=actions[-1].units + extra)
    cfg = with_scenario(cfg, actions)
    out = None if cfg is None else planned_or_none(cfg)
    event("rejected" if out is None else "accepted")
    if out is not None:
        assert [pa.month for pa in out] == sorted(pa.month for pa in out)
        for pa in out:
            if pa.spec.kind == "merge":
                assert all(len(g) >= 2 for g in pa.groups)
            if pa.spec.kind == "concurrent_head":
                assert all(len(g) == 2 and g[0] != g[1] for g in pa.groups)


@settings(max_examples=30, **SETTINGS)
@given(data=st.data())
def test_invariants_hold_for_the_default_province_under_random_scenarios(data):
    """The real organisation (247 units), random actions on its keys, short horizon."""
    cfg = base_config()
    start, end = "2018-09", data.draw(st.sampled_from(("2019-12", "2020-06")))
    cfg = dataclasses.replace(cfg, end=end, seed=data.draw(st.integers(0, 1000)))
    actions = data.draw(action_lists(cfg.org, start, end))
    cfg = with_scenario(cfg, actions)
    planned = None if cfg is None else planned_or_none(cfg)
    if planned is None:
        event("scenario rejected by plan (ConfigError)")
        return
    run_checked(cfg)


@settings(max_examples=80, **SETTINGS)
@given(cfg=scenarios(), shuffle=st.randoms(use_true_random=False), drop=st.sets(st.sampled_from(OPTIONAL)), blank=st.floats(0.0, 0.5))
def test_random_roster_files_load_and_keep_the_invariants(cfg, shuffle, drop, blank):
    """A synthetic roster of a random organisation written as CSV (rows shuffled, some
    optional columns dropped, some optional cells left empty) loads with the same people
    and runs with every invariant holding."""
    cfg = dataclasses.replace(cfg, scenario=ScenarioConfig(name="baseline"))
    df = sim.synthetic_roster(cfg).astype(str)
    if len(df) == 0:
        event("empty population")
        return
    rows = list(range(len(df)))
    shuffle.shuffle(rows)
    df = df.iloc[rows].drop(columns=sorted(drop)).reset_index(drop=True)
    rng = np.random.default_rng(cfg.seed)
    for col in [c for c in OPTIONAL if c in df.columns]:
        df.loc[rng.random(len(df)) < blank, col] = ""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.csv"
        df.to_csv(path, index=False)
        cfg = dataclasses.replace(cfg, roster=str(path))
        model = CadreModel(cfg)
        load_roster_checked(path, Org(cfg.org), cfg, np.random.default_rng(0))  # the extra checks accept it
    assert model.people.cadre_ids == list(df["cadre_id"])
    births = df["birth"].map(parse_month).to_numpy()
    assert np.array_equal(model.people.birth[: model.people.n], births)
    assert np.array_equal(model.people.female[: model.people.n], (df["sex"] == "F").to_numpy())
    units = [model.org.units[u].uid for u in model.people.unit[: model.people.n]]
    assert units == list(df["unit"])
    invariants_at_start(model)
    while model.running:
        model.step()
        invariants.check(model)


def _second_post(m):
    vacant = int(np.flatnonzero(m.org.post_active[: m.org.n_posts] & (m.org.post_holder[: m.org.n_posts] < 0))[0])
    m.org.post_holder[vacant] = m.org.post_holder[m.people.post[0]]


def _late_retirement(m):
    m.people.ret[0] = m.month - 2  # the month before last: it should have left at the start of the last


def _headcount(m):
    m.totals["recruits"] += 1


def _stale_index(m):
    m.indices.by_unit_rank[(int(m.people.unit[0]), int(m.people.rank[0]))].discard(0)


def _lost_exit_event(m):
    m.events[:] = [e for e in m.events if e[1] not in invariants.EXIT_FLOWS]


def _not_statutory(m):
    m.people.ret[0] += 5


def _big_pool(m):
    """A fourth candidate for a key post, in the real pool arrays (Reg. 50 allows 3)."""
    pool = m.pool
    p = int(pool.post[0])
    have = set(pool.cadre[pool.post == p].tolist())
    extra = [i for i in range(m.people.n) if i not in have][: 4 - len(have)]
    post = np.concatenate([pool.post, np.full(len(extra), p)])
    cadre = np.concatenate([pool.cadre, extra])
    order = np.lexsort((cadre, post))
    pool.post, pool.cadre = post[order], cadre[order]
    pool.members = np.unique(pool.cadre)


def _pool_twice(m):
    """A candidate listed twice for one post."""
    pool = m.pool
    pool.post = np.insert(pool.post, 0, pool.post[0])
    pool.cadre = np.insert(pool.cadre, 0, pool.cadre[0])


def _rank_of_post(m):
    m.people.rank[0] = (int(m.people.rank[0]) + 1) % 7


BREAKERS = {
    _second_post: "holds two posts",
    _late_retirement: "after their retirement month",
    _headcount: "headcount identity",
    _stale_index: "index by (unit, rank)",
    _lost_exit_event: "exit events were recorded",
    _not_statutory: "not the statutory one",
    _big_pool: "(max 3)",
    _pool_twice: "lists a candidate twice",
    _rank_of_post: "its post rank",
}


def test_invariant_checks_catch_broken_models():
    """The checks are not vacuous: break a model in each way and the check says so."""
    cfg = dataclasses.replace(base_config(), end="2019-06")
    for breaker, message in BREAKERS.items():
        model = CadreModel(cfg)
        for _ in range(6):
            model.step()
            invariants.check(model)  # fine before
        assert model.totals["exits"] > 0
        breaker(model)
        try:
            invariants.check(model)
        except invariants.InvariantError as err:
            assert message in str(err), (breaker.__name__, str(err))
        else:
            raise AssertionError(f"{breaker.__name__}: the broken model passed the checks")


# --------------------------------------------------------------------------- bugs found
def _scenario(*actions: dict) -> SimConfig:
    cfg = dataclasses.replace(base_config(), end="2021-06")
    return dataclasses.replace(cfg, scenario=ScenarioConfig(name="t", actions=[ActionSpec(**a) for a in actions]))


MERGER_OF_A_MERGER_SPLIT_TWICE = (
    {"kind": "merge", "month": "2019-05", "units": ["pc_office", "council_office"], "new_key": "o"},
    {"kind": "merge", "month": "2020-01", "units": ["o", "na_office"], "new_key": "o2"},
    {"kind": "split", "month": "2020-06", "units": ["o2"]},
    {"kind": "split", "month": "2020-09", "units": ["o"]},
)
CONCURRENT_HEAD_THEN_MERGE_ITS_UNIT = (
    {"kind": "concurrent_head", "month": "2019-05", "units": ["pc_office", "council_office"]},
    {"kind": "merge", "month": "2019-07", "units": ["pc_office", "na_office"], "new_key": "m"},
)
CONCURRENT_HEAD_THEN_SPLIT_ITS_UNIT = (
    {"kind": "merge", "month": "2019-03", "units": ["pc_office", "na_office"], "new_key": "m"},
    {"kind": "concurrent_head", "month": "2019-05", "units": ["m", "council_office"]},
    {"kind": "split", "month": "2019-07", "units": ["m"]},
)


def test_split_of_a_merger_of_a_merger():
    cfg = _scenario(*MERGER_OF_A_MERGER_SPLIT_TWICE)
    model = run_checked(cfg)
    assert model.org.unit_by_id["P.pc_office"].active and model.org.unit_by_id["P.council_office"].active


@pytest.mark.parametrize("actions", [CONCURRENT_HEAD_THEN_MERGE_ITS_UNIT, CONCURRENT_HEAD_THEN_SPLIT_ITS_UNIT], ids=["merge", "split"])
def test_concurrent_head_survives_a_change_of_its_first_unit(actions):
    cfg = _scenario(*actions)
    model = run_checked(cfg)
    # the second unit is headed again: by the merged unit's head, or by its own head post
    second = model.org.unit_by_id["P.council_office"]
    assert second.active
    assert second.concurrent_with is None or model.org.unit_by_id[second.concurrent_with].active
