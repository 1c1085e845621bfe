"""Statutory retirement against Decree 135/2020 Appendix I and the 2012 Labour Code."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules.eligibility import months_left
from sim.rules.retirement import retirement_index, retirement_month, retirement_month_index, statutory_age_months

# Rows of Decree 135/2020 Appendix I around the year boundaries: (birth, retirement).
# Men: 60y3m in 2021, +3 months a year; the age of the year in which it is reached applies.
MEN = [
    ((1960, 12), (2020, 12)),  # 60y0m, still the 2020 age
    ((1961, 1), (2021, 4)),  # 60y3m
    ((1961, 9), (2021, 12)),
    ((1961, 10), (2022, 4)),  # 60y3m would fall in 1/2022, so the 2022 age 60y6m applies
    ((1962, 6), (2022, 12)),
    ((1962, 7), (2023, 4)),  # 60y9m
    ((1963, 3), (2023, 12)),
    ((1963, 4), (2024, 4)),  # 61y0m
    ((1964, 1), (2025, 4)),  # 61y3m
    ((1964, 10), (2026, 4)),  # 61y6m
    ((1965, 7), (2027, 4)),  # 61y9m
    ((1966, 4), (2028, 4)),  # 62y0m, the end of the roadmap
    ((1970, 5), (2032, 5)),
]
# Women: 55y4m in 2021, +4 months a year to 60y in 2035.
WOMEN = [
    ((1965, 12), (2020, 12)),
    ((1966, 1), (2021, 5)),  # 55y4m
    ((1966, 8), (2021, 12)),
    ((1966, 9), (2022, 5)),  # 55y8m
    ((1967, 4), (2022, 12)),
    ((1967, 5), (2023, 5)),  # 56y0m
    ((1968, 1), (2024, 5)),  # 56y4m
    ((1968, 9), (2025, 5)),  # 56y8m
    ((1969, 5), (2026, 5)),  # 57y0m
    ((1975, 4), (2034, 12)),  # 59y8m
    ((1975, 5), (2035, 5)),  # 60y0m, the end of the roadmap
    ((1980, 3), (2040, 3)),
]


@pytest.mark.parametrize("birth,expected", MEN)
def test_decree_135_men(birth, expected):
    assert retirement_month(*birth, "M") == expected


@pytest.mark.parametrize("birth,expected", WOMEN)
def test_decree_135_women(birth, expected):
    assert retirement_month(*birth, "F") == expected


def test_brief_example_man_born_october_1961():
    # Decree 135/2020 Appendix I: reaches 60y3m in 1/2022, so the 2022 age (60y6m) applies: end of 4/2022
    assert retirement_month(1961, 10, "M") == (2022, 4)
    assert statutory_age_months(2022, "M") == 60 * 12 + 6


def test_labour_code_2012_is_60_and_55():
    assert retirement_month(1965, 3, "M", rule="labour_code_2012") == (2025, 3)
    assert retirement_month(1970, 3, "F", rule="labour_code_2012") == (2025, 3)


def test_unknown_birth_month_counts_as_january():
    assert retirement_month(1962, None, "M") == retirement_month(1962, 1, "M")


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="sex"):
        retirement_month(1960, 1, "X")
    with pytest.raises(ValueError, match="unknown retirement rule"):
        retirement_month(1960, 1, "M", rule="nope")
    with pytest.raises(ValueError, match="birth_month"):
        retirement_month(1960, 13, "M")


def test_roadmap_caps():
    assert statutory_age_months(2040, "M") == 62 * 12
    assert statutory_age_months(2040, "F") == 60 * 12
    assert statutory_age_months(2019, "F") == 55 * 12


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.integers(1940, 1995), st.integers(1, 12), st.booleans(), st.sampled_from(["decree_135", "labour_code_2012"]))
def test_vectorised_and_scalar_agree(year, month, female, rule):
    birth = year * 12 + month - 1
    ry, rm = retirement_month(year, month, "F" if female else "M", rule)
    vec = retirement_month_index(np.array([birth]), np.array([female]), rule)[0]
    assert vec == ry * 12 + rm - 1 == retirement_index(birth, female, rule)
    # the age in force in the retirement year is exactly what was reached
    assert vec - birth == statutory_age_months(ry, "F" if female else "M", rule)


def test_months_left_counts_whole_months():
    # man born 9/1965 under the 2012 ages retires 9/2025: 60 months from 9/2020
    assert months_left(1965, 9, "M", 2020, 9, rule="labour_code_2012") == 60
    assert months_left(1965, 8, "M", 2020, 9, rule="labour_code_2012") == 59
    assert months_left(1961, 10, "M", 2022, 4) == 0
