"""A scenario the planner accepts also runs (GitHub issue 16): everything an action needs
at its month is checked when the scenario is planned, so a planned action never fails
mid-run. Hypothesis generates lists of restructuring actions on a small organisation;
each list either stops at planning with a ConfigError, or runs to the end of the
horizon with the model's invariants holding."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import sim
from sim import invariants
from sim.core.errors import ConfigError
from sim.model import CadreModel
from sim.params.schema import ActionSpec, DistrictSpec, OrgConfig, ScenarioConfig, UnitSpec

ORG = OrgConfig(
    name="small",
    province="Small",
    districts=[DistrictSpec(code="AA", name="Alpha"), DistrictSpec(code="BB", name="Beta"), DistrictSpec(code="CC", name="Gamma")],
    province_units=[
        UnitSpec(key="top", name="Top", sector="party", function="leadership_party", head_rank=6, deputy_rank=5, deputies=1),
        UnitSpec(key="office", name="Office", sector="state", function="office", deputies=2, divisions=1, specialists=3),
        UnitSpec(key="board", name="Board", sector="party", function="organisation", deputies=1, divisions=1, specialists=2),
        UnitSpec(key="records", name="Records", sector="state", function="office", deputies=1, specialists=2),
    ],
    district_units=[
        UnitSpec(key="committee", name="Committee", sector="state", function="leadership_state", deputies=1),
        UnitSpec(key="division", name="Division", sector="state", function="office", head_rank=2, deputy_rank=1, deputies=1, specialists=2),
        UnitSpec(key="unit2", name="Second division", sector="party", function="office", head_rank=2, deputy_rank=1, deputies=1, specialists=2),
    ],
)
MONTHS = [f"2019-{m:02d}" for m in range(1, 11)]


@pytest.fixture(scope="module")
def base():
    return sim.load_config(["end=2019-12"])


PROVINCE = ["office", "board", "records", "top"]
MERGED = ["ob", "office+board", "office+records", "board+records", "office+board+records", "division+unit2"]
DISTRICTS = st.sampled_from(["all", 1, 2, ["AA"], ["BB", "CC"]])


def _month():
    return st.sampled_from(MONTHS)


def action():
    """One action, mostly of the shapes real scenarios use (so that many plans get
    through planning), with the keys of earlier merges and of existing units as
    ``new_key`` now and then."""
    pair = st.lists(st.sampled_from(PROVINCE), min_size=2, max_size=3, unique=True)
    merge_p = st.builds(
        dict, kind=st.just("merge"), month=_month(), level=st.just("province"), units=pair,
        new_key=st.sampled_from([None, None, "ob", "office", "records", "board"]), deputies=st.sampled_from([None, 0, 3]),
    )
    merge_d = st.builds(
        dict, kind=st.just("merge"), month=_month(), level=st.sampled_from(["district", "both"]),
        units=st.just(["division", "unit2"]), districts=DISTRICTS, new_key=st.sampled_from([None, "division", "merged"]),
    )
    by_function = st.builds(dict, kind=st.just("merge"), month=_month(), level=st.sampled_from(["province", "district"]), functions=st.just(["office"]))
    split = st.builds(
        dict, kind=st.just("split"), month=_month(), level=st.sampled_from(["province", "district"]),
        units=st.lists(st.sampled_from(MERGED + ["office", "records", "division", "merged"]), min_size=1, max_size=1),
    )
    concurrent = st.builds(dict, kind=st.just("concurrent_head"), month=_month(), level=st.just("province"), units=st.lists(st.sampled_from(PROVINCE + MERGED[:2]), min_size=2, max_size=2, unique=True))
    abolish = st.builds(dict, kind=st.just("abolish_level"), month=_month(), level=st.just("district"), districts=DISTRICTS)
    return st.one_of(merge_p, merge_d, by_function, split, concurrent, abolish)


def _spec(a: dict) -> ActionSpec:
    return ActionSpec(**a)


def _in_month_order(actions: list[dict]) -> list[dict]:
    return sorted(actions, key=lambda a: a["month"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(action(), min_size=1, max_size=4))
@example(  # a merged unit named after a unit that a later split restores (once a mid-run crash)
    actions=[
        {"kind": "merge", "month": "2019-01", "level": "province", "units": ["office", "board"], "new_key": "ob"},
        {"kind": "merge", "month": "2019-03", "level": "province", "units": ["records", "top"], "new_key": "office"},
        {"kind": "split", "month": "2019-05", "level": "province", "units": ["ob"]},
    ]
)
def test_a_plan_that_validates_also_runs(base, actions):
    try:
        cfg = dataclasses.replace(base, org=ORG, scenario=ScenarioConfig(name="generated", actions=[_spec(a) for a in _in_month_order(actions)]))
        model = CadreModel(cfg, seed=3)
    except ConfigError:
        return  # refused at planning, with a message: what the planner is for
    model.run()  # must not raise: every action was checked at plan time
    invariants.check(model)
    assert model.month == model.end + 1 or model.month == model.end


def test_the_generator_reaches_plans_that_run(base):
    """The property above is not vacuous: plans of every kind get through planning."""
    actions = [
        {"kind": "merge", "month": "2019-01", "units": ["office", "board"], "new_key": "ob"},
        {"kind": "concurrent_head", "month": "2019-02", "units": ["ob", "records"]},
        {"kind": "split", "month": "2019-04", "units": ["ob"]},
        {"kind": "abolish_level", "month": "2019-05", "level": "district", "districts": 2},
    ]
    cfg = dataclasses.replace(base, org=ORG, scenario=ScenarioConfig(name="generated", actions=[ActionSpec(**a) for a in actions]))
    model = CadreModel(cfg, seed=3)
    model.run()
    invariants.check(model)
    assert [pa.spec.kind for pa in model.planned] == ["merge", "concurrent_head", "split", "abolish_level"]
