"""Party congress rules (Directive 35-CT/TW 2019; Directive 45-CT/TW 2025)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.core.calendar import parse_month
from sim.model import CadreModel
from sim.rules.congress import (
    age_rule_ok,
    birth_cutoff,
    committee_size,
    composition,
    previous_round,
    seed_committee,
    select_committee,
    select_standing,
)
from sim.rules.eligibility import months_left
from sim.rules.retirement import retirement_month_index

# Published birth cut-offs for the 2020-2025 committees (Directive 35-CT/TW, as quoted by
# baothainguyen.vn, 27 Feb 2020). Computed with the 2012 ages (60/55) at the start of the
# congresses: province Sep 2020, district Jun 2020.
DIRECTIVE_35 = [
    # (ref year, ref month, sex, min months) -> earliest birth
    ((2020, 9, "M", 60), (1965, 9)),  # first-time provincial members, men
    ((2020, 9, "F", 60), (1970, 9)),  # first-time provincial members, women
    ((2020, 6, "M", 60), (1965, 6)),  # first-time district members, men
    ((2020, 6, "F", 60), (1970, 6)),  # first-time district members, women
    ((2020, 9, "M", 30), (1963, 3)),  # re-elected provincial members, men
    ((2020, 9, "F", 30), (1968, 3)),  # re-elected provincial members, women
    ((2020, 6, "M", 30), (1962, 12)),  # re-elected district members, men
    ((2020, 6, "F", 30), (1967, 12)),  # re-elected district members, women
]
# Directive 45-CT/TW (14 Apr 2025), Appendix 2, as quoted by baohaiduong.vn: current ages
# (Decree 135/2020 roadmap), province Sep 2025, district Jun 2025, re-election 48 months.
DIRECTIVE_45 = [
    ((2025, 9, "M", 60), (1968, 9)),
    ((2025, 9, "F", 60), (1972, 5)),
    ((2025, 6, "M", 60), (1968, 6)),
    ((2025, 6, "F", 60), (1972, 2)),
    ((2025, 9, "M", 48), (1967, 9)),
    ((2025, 9, "F", 48), (1971, 9)),
]


@pytest.mark.parametrize("args,expected", DIRECTIVE_35)
def test_directive_35_cutoffs(args, expected):
    assert birth_cutoff(*args) == expected  # default rule: labour_code_2012, as the directive


@pytest.mark.parametrize("args,expected", DIRECTIVE_45)
def test_directive_45_cutoffs_with_decree_135(args, expected):
    assert birth_cutoff(*args, rule="decree_135") == expected


@pytest.mark.parametrize("args,expected", DIRECTIVE_35 + DIRECTIVE_45)
def test_cutoff_is_the_boundary(args, expected):
    ry, rm, sex, need = args
    rule = "labour_code_2012" if ry == 2020 else "decree_135"
    y, m = expected
    prev = (y, m - 1) if m > 1 else (y - 1, 12)
    assert months_left(y, m, sex, ry, rm, rule) >= need
    assert months_left(*prev, sex, ry, rm, rule) < need


def test_committee_size_thai_binh():
    assert committee_size(54, 0.05) == 51  # Thái Bình 2015-2020 -> 2020-2025
    assert committee_size(40, 0.05) == 38  # exact: 38.0 stays 38
    assert committee_size(1, 0.5) == 1
    with pytest.raises(ValueError):
        committee_size(54, 1.0)


def test_age_rule_ok():
    inc = np.array([True, True, False, False])
    left = np.array([30, 29, 60, 59])
    assert age_rule_ok(inc, left).tolist() == [True, False, True, False]


@st.composite
def committees(draw):
    n = draw(st.integers(0, 40))
    ints = lambda lo, hi: st.lists(st.integers(lo, hi), min_size=n, max_size=n)  # noqa: E731
    bools = st.lists(st.booleans(), min_size=n, max_size=n)
    return dict(
        incumbent=np.array(draw(bools), dtype=bool),
        months_left=np.array(draw(ints(-5, 200))),
        female=np.array(draw(bools), dtype=bool),
        age_years=np.array(draw(ints(25, 64)), dtype=float),
        score=np.array(draw(ints(-3, 3)), dtype=float),
        size=draw(st.integers(0, 30)),
        key_post=np.array(draw(bools), dtype=bool),
        target_mode=draw(st.sampled_from(["none", "preference", "quota"])),
    )


@settings(derandomize=True, max_examples=200, deadline=None)
@given(committees())
def test_committee_age_rule_never_violated(c):
    sel = select_committee(**c)
    assert len(sel) <= c["size"]
    assert len(set(sel.tolist())) == len(sel)
    need = np.where(c["incumbent"], 30, 60)
    assert np.all(c["months_left"][sel] >= need[sel])
    eligible = c["months_left"] >= need
    # as many seats as possible are filled
    assert len(sel) == min(c["size"], int(eligible.sum()))
    # eligible key-post holders are elected, unless they alone exceed the seats
    keyed = np.flatnonzero(eligible & c["key_post"])
    if len(keyed) <= c["size"]:
        assert set(keyed.tolist()) <= set(sel.tolist())


def _candidates(women_score: float):
    """30 eligible men aged 45-55 scoring 1..3, 10 women aged 41-50 scoring lower, and
    4 under-40 men scoring lowest."""
    n_men, n_women, n_young = 30, 10, 4
    score = np.concatenate([np.linspace(1.0, 3.0, n_men), np.full(n_women, women_score), np.full(n_young, 0.0)])
    female = np.r_[np.zeros(n_men, bool), np.ones(n_women, bool), np.zeros(n_young, bool)]
    age = np.r_[np.linspace(45, 55, n_men), np.linspace(41, 50, n_women), np.full(n_young, 35.0)]
    incumbent = np.zeros(score.size, bool)
    left = np.full(score.size, 120)
    return incumbent, left, female, age, score


def test_targets_raise_women_and_under40_shares():
    # women just below the elected men (1.5 < 1.69, the 20th man): a 1-sd bonus (about
    # 0.8 here) lifts them; the under-40 men score 0: the bonus is too small for them
    incumbent, left, female, age, score = _candidates(women_score=1.5)
    out = {}
    for mode in ("none", "preference", "quota"):
        sel = select_committee(incumbent, left, female, age, score, 20, target_mode=mode)
        assert len(sel) == 20
        out[mode] = composition(sel, incumbent, female, age)
    assert out["none"]["share_women"] == 0.0 and out["none"]["share_under40"] == 0.0
    assert out["preference"]["share_women"] == 0.15  # ceil(0.15 x 20) = 3 women, then by score
    assert out["preference"]["share_under40"] == 0.0
    assert out["quota"]["share_women"] == 0.15
    assert out["quota"]["share_under40"] == 0.10  # ceil(0.10 x 20) = 2 seats reserved


def test_preference_does_not_reach_target_when_gap_is_large():
    incumbent, left, female, age, score = _candidates(women_score=-10.0)
    pref = select_committee(incumbent, left, female, age, score, 20)
    quota = select_committee(incumbent, left, female, age, score, 20, target_mode="quota")
    assert female[pref].sum() == 0
    assert female[quota].sum() == 3


def test_key_posts_first_and_ineligible_key_posts_out():
    incumbent = np.array([True, True, False, False, False])
    left = np.array([31, 20, 100, 100, 100])  # the second incumbent has too little time left
    female = np.zeros(5, bool)
    age = np.full(5, 50.0)
    score = np.array([-5.0, 10.0, 3.0, 2.0, 1.0])
    key = np.array([True, True, False, False, False])
    sel = select_committee(incumbent, left, female, age, score, 3, key_post=key, women_target=0, under40_target=0)
    assert sel.tolist() == [0, 2, 3]


def test_composition():
    incumbent = np.array([True, False, False, True])
    female = np.array([True, True, False, False])
    age = np.array([39.5, 45.0, 50.0, 60.0])
    c = composition(np.array([0, 1, 2]), incumbent, female, age)
    assert c == {
        "size": 3,
        "share_new": pytest.approx(2 / 3),
        "share_women": pytest.approx(2 / 3),
        "share_under40": pytest.approx(1 / 3),
        "mean_age": pytest.approx(134.5 / 3),
    }
    empty = composition(np.array([], dtype=int), incumbent, female, age)
    assert empty["size"] == 0 and math.isnan(empty["share_women"]) and math.isnan(empty["mean_age"])


# ---------------------------------------------------------------- the incumbent committee


def test_previous_round_is_derived_from_the_cycle():
    listed = [parse_month("2020-10"), parse_month("2025-10")]
    assert previous_round(listed, 60, parse_month("2018-09")) == (parse_month("2015-10"), -1)
    assert previous_round(listed, 60, parse_month("2020-10")) == (parse_month("2015-10"), -1)  # not yet held
    assert previous_round(listed, 60, parse_month("2020-11")) == (parse_month("2020-10"), 0)
    assert previous_round(listed, 60, parse_month("2031-01")) == (parse_month("2030-10"), 2)
    assert previous_round(listed, 60, parse_month("2009-01")) == (parse_month("2005-10"), -1)


def _seed_inputs(n=80, seed=3):
    rng = np.random.default_rng(seed)
    return dict(
        eligible=rng.random(n) < 0.9,
        first=np.arange(n) < 5,
        female=rng.random(n) < 0.2,
        age_years=rng.uniform(35, 58, n),
        u=rng.random(n),
    )


def test_seed_committee_size_women_age_and_order_independence():
    c = _seed_inputs()
    sel = seed_committee(**c, size=40, women_share=0.13, mean_age=50.0, order_first=-np.arange(80))
    assert len(sel) == 40 and len(set(sel.tolist())) == 40
    assert c["eligible"][sel].all()
    top = np.flatnonzero(c["first"] & c["eligible"])
    assert sel[: len(top)].tolist() == top[::-1].tolist()  # the top leaders first, highest order first
    assert int(c["female"][sel].sum()) == max(round(0.13 * 40), int(c["female"][top].sum()))
    assert abs(c["age_years"][sel].mean() - 50.0) < 0.5  # the draw is tilted to the target age
    young = seed_committee(**c, size=40, women_share=0.13, mean_age=42.0)
    assert c["age_years"][young].mean() < c["age_years"][sel].mean() - 3
    # the same people whatever the candidates' order (draws keyed by identity)
    perm = np.random.default_rng(0).permutation(80)
    shuffled = {k: v[perm] for k, v in c.items()}
    sel2 = seed_committee(**shuffled, size=40, women_share=0.13, mean_age=50.0, order_first=-np.arange(80)[perm])
    assert set(perm[sel2].tolist()) == set(sel.tolist())


def test_select_standing_top_leaders_first_then_score():
    rank = np.array([4, 6, 4, 5, 4, 5, 3])
    score = np.array([9.0, -1.0, 2.0, -2.0, 5.0, 0.0, 7.0])
    assert select_standing(rank, score, 4, top_rank=5).tolist() == [1, 5, 3, 0]
    assert select_standing(rank, score, 10, top_rank=5).tolist() == [1, 5, 3, 0, 6, 4, 2]


@pytest.fixture(scope="module")
def seeded():
    """Models of 5 seeds after their first month (the incumbent committee is seeded)."""
    out = []
    for seed in range(5):
        model = CadreModel(sim.load_config([f"seed={seed}", "end=2018-12"]))
        model.step()
        out.append(model)
    return out


def test_the_starting_committee_is_54_members_near_the_2015_composition(seeded):
    prev = parse_month("2015-10")  # one period before the first listed congress, 2020-10
    ages, women = [], []
    for model in seeded:
        p = model.people
        members = np.flatnonzero(p.in_committee[: p.n])
        assert len(members) == 54  # Thái Bình 2015-2020 (baochinhphu.vn)
        age = (prev - p.birth[members]) / 12
        ages.append(age.mean())
        women.append(p.female[members].mean())
        # each could have been elected at 2015-10: a full term left on the 2012 ages, or half
        # a term for those holding a committee rank since 2010-10
        left = retirement_month_index(p.birth[members], p.female[members], "labour_code_2012") - prev
        since_2010 = (p.rank[members] >= 4) & (p.rank_since[members] <= prev - 60)
        assert np.all(left >= np.where(since_2010, 30, 60))
        # the top leaders in post at the start who could have been elected in 2015 are members
        n = p.n
        top = np.flatnonzero(p.active[:n] & (p.post[:n] >= 0) & (p.rank[:n] >= 5) & (p.post_since[:n] < model.start))
        left = retirement_month_index(p.birth[top], p.female[top], "labour_code_2012") - prev
        since_2010 = p.rank_since[top] <= prev - 60
        top = top[left >= np.where(since_2010, 30, 60)]
        assert len(top) >= 4
        assert p.in_committee[top].all()
        assert model.summary_extra["congress_2015_size"] == 54
    assert 48.5 < np.mean(ages) < 51.5  # 2015 national outcome: 50.05 (hoilhpn.org.vn)
    assert 0.11 < np.mean(women) < 0.15  # 2015 national outcome: 13 %
    assert np.mean(ages) == pytest.approx(np.mean([m.summary_extra["congress_2015_mean_age"] for m in seeded]))


def test_the_starting_standing_committee_is_15_committee_members(seeded):
    for model in seeded:
        p = model.people
        standing = np.flatnonzero(p.in_standing[: p.n])
        assert len(standing) == 15
        assert p.in_committee[standing].all()
        members = np.flatnonzero(p.in_committee[: p.n])
        top = members[p.rank[members] >= 5]
        assert set(top.tolist()) <= set(standing.tolist())
        model.congress.check()


@pytest.fixture(scope="module")
def congress_2020():
    """One baseline run through the 2020 congress: the members before and after it."""
    model = CadreModel(sim.load_config(["seed=2", "end=2020-12"]))
    while model.month < parse_month("2020-10"):
        model.step()
    p = model.people
    before = np.flatnonzero(p.in_committee[: p.n] & p.active[: p.n])
    # sitting members in a post of the committee's ranks with 30 months left (2012 ages)
    left = retirement_month_index(p.birth[before], p.female[before], "labour_code_2012") - parse_month("2020-10")
    can = before[(left >= 30) & (p.post[before] >= 0) & (p.rank[before] >= 4)]
    model.step()
    return model, before, can


def test_the_2020_congress_reelects_sitting_members_who_can_stand_and_elects_a_standing_committee(congress_2020):
    model, before, can = congress_2020
    p = model.people
    s = model.summary_extra
    assert len(can) > 20
    assert p.in_committee[can].all()  # re-elected (policy.congress.incumbents_first)
    members = np.flatnonzero(p.in_committee[: p.n])
    assert len(members) == s["congress_2020_size"] == 51
    assert s["congress_2020_share_new"] == pytest.approx(1 - np.isin(members, before).mean())
    assert 0.15 < s["congress_2020_share_new"] < 0.5
    standing = np.flatnonzero(p.in_standing[: p.n])
    assert len(standing) == s["congress_2020_standing_size"] == 15
    assert p.in_committee[standing].all()
    top = members[p.rank[members] >= 5]
    assert set(top.tolist()) <= set(standing.tolist())
    for k in ("standing_share_new", "standing_share_women", "standing_share_under40"):
        assert 0.0 <= s[f"congress_2020_{k}"] <= 1.0
    assert 40 < s["congress_2020_standing_mean_age"] < 60
    model.congress.check()


def test_a_bad_standing_committee_size_names_the_key():
    with pytest.raises(sim.core.errors.ConfigError, match="policy.congress.standing_size"):
        sim.load_config(["policy.congress.standing_size=0"])
