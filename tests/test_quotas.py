"""Merged-unit quotas by period, division consolidation, and what happens at the deadline
(Decrees 107/2020 and 108/2020; Conclusions 186/187-KL/TW, 2025; Decree 178/2024 art. 11)."""

from __future__ import annotations

import pytest

import sim
from sim.core.calendar import parse_month
from sim.core.vocabulary import DEPUTY, DIVISION_DEPUTY, DIVISION_HEAD
from sim.model import CadreModel


def run_to(cfg, month: str) -> CadreModel:
    model = CadreModel(cfg)
    stop = parse_month(month)
    while model.running and model.month <= stop:
        model.step()
    return model


def deputy_posts(model, uid: str) -> int:
    org = model.org
    return len(org.posts_of(org.unit_by_id[uid], DEPUTY))


def division_posts(model, uid: str) -> int:
    org = model.org
    unit = org.unit_by_id[uid]
    return len(org.posts_of(unit, DIVISION_HEAD)) + len(org.posts_of(unit, DIVISION_DEPUTY))


def test_a_2019_merger_gets_the_legal_number_of_deputies_only():
    """Thái Bình's 2019 office merger (3 offices): Decree 107/2020's average of 3, no +2;
    its sitting deputies (3 + 2 + 1 = 6) are kept: 3 surplus, as the province reported."""
    model = run_to(sim.load_config(["scenario=thai_binh_2019"]), "2019-05")
    assert deputy_posts(model, "P.office") == 3
    unit = model.org.unit_by_id["P.office"]
    surplus = model.transition.unit_surplus.get(unit.index, set())
    deputies = [i for i in surplus if int(model.people.rank[i]) == unit.deputy_rank]
    assert len(deputies) == 3


def test_a_2025_merger_gets_one_extra_deputy_per_extra_body_and_cuts_divisions():
    cfg = sim.load_config(["scenario=reform_2025"])
    before = run_to(cfg, "2025-02")
    divisions_before = division_posts(before, "P.finance") + division_posts(before, "P.planning_investment")
    after = run_to(cfg, "2025-03")
    assert deputy_posts(after, "P.finance_planning") == 3 + 1  # Conclusions 186/187: +1 for 2 bodies
    kept = division_posts(after, "P.finance_planning")
    # Thái Bình 2025: -27.9 % of the provincial divisions (heads and deputies alike, rounded)
    assert kept == pytest.approx(divisions_before * (1 - 0.279), abs=2)
    assert kept < divisions_before


def test_the_action_and_the_policy_choose_the_division_cut():
    base = ["scenario=reform_2025"]
    none = run_to(sim.load_config([*base, "policy.transition.divisions_cut_province=0"]), "2025-03")
    half = run_to(sim.load_config([*base, "policy.transition.divisions_cut_province=0.5"]), "2025-03")
    assert division_posts(half, "P.finance_planning") < division_posts(none, "P.finance_planning")
    assert any(e[1] == "divisions_cut" and e[3] == "P.finance_planning" for e in half.log)
    assert not any(e[1] == "divisions_cut" for e in none.log)


def test_pilot_mergers_cut_no_divisions_unless_asked():
    pilots = run_to(sim.load_config(["scenario=merge_departments", "end=2020-02"]), "2020-01")
    base = run_to(sim.load_config(["scenario=baseline", "end=2020-02"]), "2020-01")
    merged = [u for u in pilots.org.active_units() if u.merged_from]
    assert merged
    for u in merged:
        was = sum(division_posts(base, o) for o in u.merged_from)
        assert division_posts(pilots, u.uid) == was
    cut = run_to(
        sim.load_config(["scenario=merge_departments", "end=2020-02", "+scenario.actions.0.divisions_cut=0.5"]), "2020-01"
    )
    first = next(u for u in cut.org.active_units() if u.merged_from)
    assert division_posts(cut, first.uid) < sum(division_posts(base, o) for o in first.merged_from)


@pytest.mark.parametrize("after", ["step_down", "keep"])
def test_after_the_deadline_surplus_leaders_step_down_or_stay(after):
    # the Party-state mergers kept to the end (their reversal in 2022-07 would cure their surplus)
    cfg = sim.load_config(["scenario=all_pilots", f"policy.transition.after_deadline={after}", "scenario.reverse_party_state=null"])
    res = sim.simulate(cfg, seed=1)
    ts = res.timeseries.set_index("month")
    stepped = int((res.events["kind"] == "stepped_down").sum())
    if after == "step_down":
        assert stepped > 20
        assert ts.loc["2023-06", "surplus_leaders"] <= 2  # deadlines 2021-2022: cured soon after
        assert ts.loc["2025-12", "surplus_leaders"] <= 2
    else:
        assert stepped == 0
        # not cured at the deadlines: they wait for a vacancy of their rank in their unit
        assert ts.loc["2023-06", "surplus_leaders"] > 10


def test_a_leader_who_steps_down_keeps_the_old_pay():
    model = CadreModel(sim.load_config(["scenario=all_pilots", "end=2023-12"]))
    seen: list[tuple[int, float]] = []
    orig = model.transition.step_down_into

    def watched(p, m):
        before = {i: float(model.people.pay[i]) for i in model.transition.overdue}
        ok = orig(p, m)
        if ok:
            i = int(model.org.post_holder[p])
            seen.append((int(model.people.rank[i]), before[i] - float(model.people.pay[i])))
        return ok

    model.transition.step_down_into = watched
    while model.running:
        model.step()
    assert seen, "nobody stepped down"
    assert all(loss == 0.0 for _, loss in seen)  # Decree 178/2024 art. 11: the allowance is kept


def test_the_pool_plans_for_the_current_term_until_two_years_into_it():
    """Regulation 50-QĐ/TW: candidates for the next term need a full term at its start;
    right after a congress the pool in force is still the current term's."""
    from sim.core.calendar import parse_month
    from sim.model import CadreModel

    model = CadreModel(sim.load_config(["end=2035-12"]))
    pool = model.pool
    assert pool._next_term_start(parse_month("2019-12")) == parse_month("2020-10")
    assert pool._next_term_start(parse_month("2020-12")) == parse_month("2020-10")
    assert pool._next_term_start(parse_month("2022-09")) == parse_month("2020-10")
    assert pool._next_term_start(parse_month("2022-12")) == parse_month("2025-10")
    assert pool._next_term_start(parse_month("2030-12")) == parse_month("2030-10")


def test_bench_strength_holds_up_after_2025():
    """With end=2035-12 the mean bench strength over 2026-2035 stays >= 0.8 of 2019-2025
    (seeds 0-1; without the current term's pool after a congress it fell to about 0.79)."""
    cfg = sim.load_config(["end=2035-12"])
    early, late = [], []
    for seed in (0, 1):
        res = sim.simulate(cfg, seed=seed)
        ts = res.timeseries.set_index("month")["bench_strength"]
        early.append(ts["2019-01":"2025-12"].mean())
        late.append(ts["2026-01":"2035-12"].mean())
        assert "congress_2030_size" in res.summary
    assert sum(late) / sum(early) >= 0.8, (early, late)
