"""Party congress rules (Directive 35-CT/TW 2019; Directive 45-CT/TW 2025)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules.congress import age_rule_ok, birth_cutoff, committee_size, composition, select_committee
from sim.rules.eligibility import months_left

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
