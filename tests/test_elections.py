"""Elected posts' terms follow their cycle (Party Charter art. 15; Law on the Organisation
of Local Government, 2015; NA Resolution 133/2020), appointed posts the 5-year clock
(Regulation 105-QĐ/TW); training rotations follow Regulation 65-QĐ/TW from 2022-04."""

from __future__ import annotations

import numpy as np

import sim
from sim.core.calendar import format_month, parse_month
from sim.core.vocabulary import DEPUTY, HEAD
from sim.model import CadreModel
from sim.rules.rotation import eligible_for_training_rotation, eligible_for_training_rotation_reg65


def holder_term_end(model, uid: str) -> str:
    """The term end of the unit's head (or, if that post is vacant, of its first deputy
    in post), unless it is their retirement month; "retires" then."""
    org, people = model.org, model.people
    unit = org.unit_by_id[uid]
    for p in org.posts_of(unit, HEAD) + org.posts_of(unit, DEPUTY):
        i = int(org.post_holder[p])
        if i >= 0 and people.term_end[i] != people.ret[i]:
            return format_month(int(people.term_end[i]))
    raise AssertionError(f"{uid}: no leader in post whose term ends before retirement")


def test_each_post_ends_its_term_with_its_cycle(short_cfg):
    model = CadreModel(sim.load_config([]))
    assert holder_term_end(model, "P.party_standing") == "2020-10"  # the provincial congress
    assert holder_term_end(model, "P.pc_leadership") == "2021-05"  # the People's Council election
    assert holder_term_end(model, "TB.party_committee") == "2020-06"  # the district congress
    assert holder_term_end(model, "TB.pc_leadership") == "2021-05"
    # an appointed post: 5 years after its appointment, within a term of the start
    org, people = model.org, model.people
    p = org.posts_of(org.unit_by_id["P.finance"], HEAD)[0]
    i = int(org.post_holder[p])
    end, since = int(people.term_end[i]), int(people.post_since[i])
    assert (end - since) % 60 == 0 or end == int(people.ret[i])


def test_elected_terms_after_the_first_cycle_run_to_the_next_one():
    cfg = sim.load_config(["end=2021-12"])
    model = CadreModel(cfg)
    while model.running and model.month <= parse_month("2021-06"):
        model.step()
    for uid, want in (("P.party_standing", "2025-10"), ("P.pc_leadership", "2026-03"), ("TB.party_committee", "2025-06")):
        assert holder_term_end(model, uid) == want, uid


def test_the_cycles_continue_past_2025():
    model = CadreModel(sim.load_config(["end=2035-12"]))
    months = model.terms.cycle_months
    assert parse_month("2030-10") in months[("congress", True)]
    assert parse_month("2031-03") in months[("election", True)]  # 2026-03 (15 Mar 2026), then every 5 years
    assert parse_month("2026-03") in months[("election", False)]


def test_training_rotation_age_rule_changes_in_2022():
    # a woman of 47 with 12 years of service left: too old under Reg. 98, eligible under Reg. 65
    age, left = np.array([47 * 12]), np.array([12 * 12])
    assert not eligible_for_training_rotation(age, np.array([True]), np.array([True]))[0]
    assert eligible_for_training_rotation_reg65(left, np.array([True]))[0]
    # a man of 45 with 9 years 11 months left: eligible under Reg. 98, not under Reg. 65
    assert eligible_for_training_rotation(np.array([45 * 12]), np.array([False]), np.array([True]))[0]
    assert not eligible_for_training_rotation_reg65(np.array([119]), np.array([True]))[0]


def test_rotations_after_2022_04_have_ten_years_left():
    model = CadreModel(sim.load_config(["end=2024-12"]))
    starts: list[tuple[int, int]] = []
    orig = model.personnel.log.person

    def watched(m, kind, i, detail=""):
        if kind == "rotation_out":
            starts.append((m, int(model.people.ret[i]) - m))
        return orig(m, kind, i, detail)

    model.personnel.log.person = watched
    while model.running:
        model.step()
    late = [left for m, left in starts if m >= parse_month("2022-04")]
    early = [left for m, left in starts if m < parse_month("2022-04")]
    assert late and early
    assert min(late) >= 120
