"""Rotation, non-local and term-limit rules (Regulation 98-QĐ/TW 2017, Regulation 65-QĐ/TW 2022)."""

import numpy as np
import pytest

from sim.rules.rotation import (
    eligible_for_rule_move,
    eligible_for_training_rotation,
    non_local_ok,
    non_local_preference,
    return_rank,
    term_limit_reached,
)


def test_training_rotation_age_limits():
    # ages in months: 50y11m and 51y0m for men; 45y11m and 46y0m for women
    age = np.array([50 * 12 + 11, 51 * 12, 45 * 12 + 11, 46 * 12, 30 * 12, 30 * 12])
    female = np.array([False, False, True, True, False, True])
    in_pool = np.array([True, True, True, True, True, False])
    got = eligible_for_training_rotation(age, female, in_pool)
    assert got.tolist() == [True, False, True, False, True, False]  # last: not in the pool


def test_training_rotation_women_limit_is_lower():
    age = np.full(2, 48 * 12)
    got = eligible_for_training_rotation(age, np.array([False, True]), np.array([True, True]))
    assert got.tolist() == [True, False]


def test_rule_move_needs_five_years_left():
    assert eligible_for_rule_move(np.array([59, 60, 200])).tolist() == [False, True, True]
    assert eligible_for_rule_move(np.array([30]), min_months_left=24).tolist() == [True]


def test_return_rank_equivalent_unless_exceptional():
    assert return_rank(3, u=0.5, higher_return_probability=0.1) == 3
    assert return_rank(3, u=0.05, higher_return_probability=0.1) == 4
    assert return_rank(3, u=0.0, higher_return_probability=0.0) == 3  # u < 0 never happens
    assert return_rank(6, u=0.0, higher_return_probability=1.0, max_rank=6) == 6
    with pytest.raises(ValueError):
        return_rank(3, u=0.5, higher_return_probability=1.5)


def test_return_rank_frequency_matches_probability():
    u = np.random.default_rng(0).random(20_000)
    higher = np.mean([return_rank(2, x, 0.1) == 3 for x in u])
    assert higher == pytest.approx(0.1, abs=0.01)


def test_non_local_ok():
    assert non_local_ok(3, 3, "off") and non_local_ok(3, 3, "preference")
    assert not non_local_ok(3, 3, "required")
    assert non_local_ok(2, 3, "required") and non_local_ok(-1, 3, "required")
    with pytest.raises(ValueError, match="valid"):
        non_local_ok(1, 2, "sometimes")


def test_non_local_preference():
    home = np.array([1, 2, 3, -1])
    assert non_local_preference(home, 2, "off").tolist() == [0.0, 0.0, 0.0, 0.0]
    assert non_local_preference(home, 2, "preference").tolist() == [0.5, 0.0, 0.5, 0.5]
    assert non_local_preference(home, 2, "preference", bonus=1.0).tolist() == [1.0, 0.0, 1.0, 1.0]
    req = non_local_preference(home, 2, "required")
    assert req.tolist() == [0.0, -np.inf, 0.0, 0.0]
    # the vectorised and scalar rules agree on who may hold the post
    for s in ("off", "preference", "required"):
        adj = non_local_preference(home, 2, s)
        assert np.isfinite(adj).tolist() == [non_local_ok(h, 2, s) for h in home]


def test_term_limit():
    assert not term_limit_reached(1)
    assert term_limit_reached(2)
    assert term_limit_reached(3)
    assert not term_limit_reached(2, max_consecutive_terms=3)
