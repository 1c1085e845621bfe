"""Restructuring actions and the Conclusion 34 scenarios (issue 3)."""

import dataclasses
import functools

import pytest
import yaml

import sim
from sim import invariants
from sim.core.errors import ConfigError
from sim.core.vocabulary import EXIT_FLOWS
from sim.model import CadreModel
from sim.output.result import Result
from sim.params.schema import SHIPPED_SCENARIOS as SCENARIO_NAMES  # found in configs/scenario/
from sim.params.schema import ActionSpec
from sim.params.search import CONFIG_DIR
from sim.rules import early_retirement

# the scenarios with restructuring actions, read from their files (composing all 13 configs
# at collection would cost every pytest process several seconds)
WITH_ACTIONS = [n for n in SCENARIO_NAMES if yaml.safe_load((CONFIG_DIR / "scenario" / f"{n}.yaml").read_text(encoding="utf-8"))["actions"]]
EXIT_KINDS = set(EXIT_FLOWS)  # every way of leaving the payroll (sim/core/vocabulary.py)
SURPLUS_ENDS = {"surplus_placed", "stepped_down", "kept_head", "kept_deputy", "promotion", "transfer"} | EXIT_KINDS


def run_checked(cfg) -> tuple[CadreModel, Result]:
    model = CadreModel(cfg)
    while model.running:
        model.step()
        invariants.check(model)
    return model, Result.from_model(model)


@pytest.fixture(scope="module")
def runs():
    out = {}
    for name in SCENARIO_NAMES:
        out[name] = run_checked(sim.load_config([f"scenario={name}", "seed=11"]))
    return out


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_every_scenario_runs_the_full_horizon_with_invariants(runs, name):
    model, res = runs[name]
    ts = res.timeseries
    assert ts["month"].iloc[0] == "2018-09" and ts["month"].iloc[-1] == "2025-12"
    assert (ts["scenario"] == name).all()
    assert res.summary["headcount_end"] > 0
    assert bool(model.cfg.scenario.actions) == (name in WITH_ACTIONS)  # the list read from the files is right


@pytest.mark.parametrize("name", WITH_ACTIONS)
def test_every_action_is_recorded_and_changes_the_structure(runs, name):
    _, res = runs[name]
    steps = res.events[res.events["kind"].isin(["merge", "split", "concurrent_head", "abolish_level"])]
    assert len(steps) >= 1
    assert steps["detail"].str.len().gt(0).all()
    base = runs["baseline"][1].timeseries
    assert (res.timeseries["leader_posts"] != base["leader_posts"]).any()


def test_merge_offices_removes_two_head_posts_from_2019_05(runs):
    base = runs["baseline"][1].timeseries.set_index("month")
    mo = runs["merge_offices"][1].timeseries.set_index("month")
    diff = base["head_posts"] - mo["head_posts"]
    assert (diff.loc[:"2019-04"] == 0).all()
    assert (diff.loc["2019-05":] == 2).all()
    assert (base["units"] - mo["units"]).loc["2019-05":].eq(2).all()


def test_common_random_numbers_before_the_first_action(runs):
    base = runs["baseline"][1].timeseries.set_index("month").drop(columns="scenario")
    mo = runs["merge_offices"][1].timeseries.set_index("month").drop(columns="scenario")
    assert base.loc[:"2019-04"].equals(mo.loc[:"2019-04"])


def test_thai_binh_2019_reverts_and_cures_surplus(runs):
    base = runs["baseline"][1].timeseries.set_index("month")
    tb = runs["thai_binh_2019"][1].timeseries.set_index("month")
    assert (tb.loc["2019-05":"2020-08", "units"] == base.loc["2019-05":"2020-08", "units"] - 2).all()
    assert (tb.loc["2020-09":, "units"] == base.loc["2020-09":, "units"]).all()
    assert tb.loc["2019-05":"2020-08", "surplus_leaders"].max() > 0  # deputies kept without replacement
    assert (tb.loc["2021-01":, "surplus_leaders"] == 0).all()


def test_deadline_policy_cures_surplus_that_otherwise_stays():
    on = sim.simulate(sim.load_config(["scenario=all_pilots", "seed=3"])).timeseries.set_index("month")
    off = sim.simulate(
        sim.load_config(["scenario=all_pilots", "seed=3", "policy.transition.deadline_policy=false"])
    ).timeseries.set_index("month")
    # before the first deadline (2019-01 + 24 months) both keep everyone
    assert on.loc[:"2020-12", "surplus_leaders"].equals(off.loc[:"2020-12", "surplus_leaders"])
    assert on.loc["2025-12", "surplus_leaders"] < off.loc["2025-12", "surplus_leaders"]
    assert on["transfers"].sum() > off["transfers"].sum()


def test_all_pilots_has_fewer_leader_posts_and_units_in_2025(runs):
    base = runs["baseline"][1].summary
    allp = runs["all_pilots"][1].summary
    assert allp["leader_posts_end"] < base["leader_posts_end"]
    assert allp["units_end"] < base["units_end"]
    assert allp["wage_bill_end"] < base["wage_bill_end"]


def test_concurrent_heads_counts_concurrent_posts(runs):
    ts = runs["concurrent_heads"][1].timeseries.set_index("month")
    # 2 pairs at the province and in each of 8 districts, besides the org file's 2 standing
    # ones (the Party secretary and the standing deputy secretary as council and PC chairs)
    assert ts.loc["2019-01":, "concurrent_posts"].eq(18 + 2).all()
    assert ts.loc[:"2018-12", "concurrent_posts"].eq(2).all()


@pytest.mark.parametrize("name", [n for n in SCENARIO_NAMES if n != "baseline"])
def test_every_displaced_person_is_accounted_for(runs, name):
    model, res = runs[name]
    ev = res.events.reset_index(drop=True)
    displaced = ev[ev["kind"] == "surplus"]
    still = {model.people.cadre_ids[i] for i in model.transition.deadline}
    for pos, cid in zip(displaced.index, displaced["cadre_id"]):
        later = ev[(ev.index > pos) & (ev["cadre_id"] == cid)]
        ended = later["kind"].isin(SURPLUS_ENDS | {"surplus"}).any()
        assert ended or cid in still, f"{cid} became surplus and vanished"
    # nobody disappears: every departure is an event of an exit kind
    gone = [model.people.cadre_ids[i] for i in range(model.people.n) if not model.people.active[i]]
    exit_ids = set(ev.loc[ev["kind"].isin(EXIT_KINDS), "cadre_id"])
    assert set(gone) <= exit_ids
    assert res.summary["headcount_start"] + res.summary["recruits_total"] - res.summary["exits_total"] == res.summary["headcount_end"]


def test_reform_2025_reassigns_every_district_cadre(runs):
    model, res = runs["reform_2025"]
    ev = res.events
    month = ev[ev["month"] == "2025-07"]
    assert (ev["kind"] == "abolish_level").sum() == 8
    moved = month["kind"].value_counts()
    assert moved.get("to_commune", 0) > 1000
    assert moved.get("early_retirement", 0) > 10
    ts = res.timeseries.set_index("month")
    assert ts.loc["2025-07", "units"] < 50 and ts.loc["2025-06", "units"] > 200
    assert ts.loc["2025-07", "severance_cost"] > 0
    assert all(u.level == "province" for u in model.org.active_units())


def test_payroll_cut_follows_its_path(runs):
    model, res = runs["baseline"]
    ts = res.timeseries.set_index("month")
    staff0 = model.payroll.initial_staff_posts
    cut_2021 = ts.loc[:"2021-06", "posts_abolished"].sum()
    # the cut is made as staff posts fall vacant, so it can lag its path by a few posts
    assert int(0.05 * staff0) - 8 <= cut_2021 <= int(0.05 * staff0)
    off = sim.simulate(sim.load_config(["seed=11", "policy.payroll.enabled=false"]))
    assert off.summary["posts_abolished_total"] == 0
    assert off.summary["headcount_end"] > res.summary["headcount_end"] + 100


# --------------------------------------------------------------------------- bad actions
@functools.cache
def _composed(*overrides: str):
    """sim.load_config, once per list of overrides (the tests below only replace fields)."""
    return sim.load_config(list(overrides))


def _with_actions(*actions, **kw):
    cfg = _composed(*kw.pop("overrides", []))
    scen = dataclasses.replace(cfg.scenario, name="baseline", actions=list(actions))
    return dataclasses.replace(cfg, scenario=scen)


@pytest.mark.parametrize(
    "action,fragment",
    [
        (ActionSpec(kind="merge", month="2019-05", units=["pc_office", "ministry"]), "unknown unit key(s) ministry; valid: "),
        (ActionSpec(kind="merge", month="2019-05", functions=["magic"]), "unknown function tag(s) magic; valid: "),
        (ActionSpec(kind="merge", month="2030-01", units=["pc_office", "na_office"]), "outside the horizon 2018-09..2025-12"),
        (ActionSpec(kind="split", month="2019-05", units=["pc_office"]), "was never merged"),
        (ActionSpec(kind="concurrent_head", month="2019-05", functions=["office"]), "pairs exactly 2 units"),
        (ActionSpec(kind="merge", month="2019-05", level="district", districts=["XX"], units=["health", "justice"]), "unknown district code(s) XX"),
        (ActionSpec(kind="abolish_level", month="2019-05", level="province"), "district' only"),
    ],
)
def test_bad_actions_fail_before_the_run(action, fragment):
    with pytest.raises(ConfigError, match=None) as err:
        CadreModel(_with_actions(action))
    assert fragment in str(err.value)
    assert "scenario action 1" in str(err.value)


def test_merging_a_unit_that_no_longer_exists():
    a = ActionSpec(kind="merge", month="2019-05", units=["pc_office", "council_office"], new_key="office")
    b = ActionSpec(kind="merge", month="2019-09", units=["pc_office", "na_office"])
    with pytest.raises(ConfigError) as err:
        CadreModel(_with_actions(a, b))
    assert "P.pc_office does not exist at 2019-09 (merged into P.office at 2019-05)" in str(err.value)


def test_merge_of_n_districts_is_chosen_with_the_seed():
    a = ActionSpec(kind="merge", month="2019-05", level="district", districts=3, units=["health", "justice"])
    m1 = CadreModel(_with_actions(a, overrides=["seed=1"]))
    m2 = CadreModel(_with_actions(a, overrides=["seed=1"]))
    assert m1.planned[0].areas == m2.planned[0].areas and len(m1.planned[0].areas) == 3
    # one composition; the model takes the seed as an argument, as a comparison's replicates do
    cfg = _with_actions(a)
    picks = {tuple(CadreModel(cfg, seed=s).planned[0].areas) for s in range(6)}
    assert len(picks) > 1


# --------------------------------------------------------------------------- early retirement rules
def test_early_retirement_windows_and_payments():
    assert early_retirement.regime(2024 * 12 + 11, 2025 * 12) == "decree_108"
    assert early_retirement.regime(2025 * 12, 2025 * 12) == "decree_178"
    assert not early_retirement.eligible(12, "decree_108") and early_retirement.eligible(36, "decree_108")
    assert not early_retirement.eligible(72, "decree_108") and early_retirement.eligible(72, "decree_178")
    assert not early_retirement.eligible(130, "decree_178")
    # Decree 108/113: 3 months' salary per year early, + 5 months for 20 insured years
    # (the full worked examples are in tests/test_severance.py)
    assert early_retirement.payment("decree_108", 36, 240).total == pytest.approx(9.0 + 5.0)
    # Decree 178: months early (<= 60) + 5 months per year early + 5 for 20 insured years
    assert early_retirement.payment("decree_178", 36, 240).total == pytest.approx(36 + 15 + 5)
    # 5-10 years: 0.9 x 60 + 4 months per year early, halved from the 13th month after the decision
    assert early_retirement.payment("decree_178", 84, 240).total == pytest.approx(54 + 28 + 5)
    assert early_retirement.payment("decree_178", 84, 240, 13).total == pytest.approx(27 + 28 + 5)
    p_near = early_retirement.takeup_probability(30, "decree_178", 0.3, 0.6, 5.0)
    p_far = early_retirement.takeup_probability(110, "decree_178", 0.3, 0.6, 5.0)
    assert 0 < p_far < p_near < 0.6
