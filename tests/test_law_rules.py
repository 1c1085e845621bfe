"""The law as written: tenure in equivalent posts (Regulation 80-QĐ/TW), the two-term limit
on the listed posts only (Regulation 65-QĐ/TW art. 4), congresses and pool rebuilds that
go on past 2025 (Party Charter art. 15: every five years)."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.core.calendar import every, parse_month
from sim.core.vocabulary import HEAD
from sim.model import CadreModel
from sim.rules.eligibility import tenure_ok


# ------------------------------------------------------------------ Regulation 80: tenure
def test_tenure_counts_time_at_the_rank_and_exempts_first_appointments():
    # Reg. 80-QĐ/TW (18 Aug 2022): "at least 2 years in the current or an equivalent post"
    months_at_rank = np.array([0, 23, 24, 60, 5])
    first = np.array([False, False, False, False, True])
    assert tenure_ok(months_at_rank, first, 24).tolist() == [False, False, True, True, True]


def test_a_lateral_move_keeps_the_time_towards_promotion(short_cfg):
    """A transfer to an equivalent post (same rank, another unit) restarts the time in
    the post but not the time at the rank; the candidate stays eligible."""
    model = CadreModel(short_cfg)
    people, org, m = model.people, model.org, model.month
    # a deputy head (not a specialist) who has been at the rank for years
    deputies = np.flatnonzero((people.post[: people.n] >= 0) & (people.rank[: people.n] == 3))
    deputies = deputies[org.post_kind[people.post[deputies]] != 4]
    i = int(deputies[np.argmin(people.rank_since[deputies])])
    assert m - people.rank_since[i] >= 24
    target = next(
        p for p in sorted(model.indices.vacancies[3]) if org.post_unit[p] != people.unit[i] and org.post_kind[p] != 4
    )
    assert model.vacancies.tenure_ok_now(np.array([i]), m).tolist() == [True]
    model.personnel.transfer(i, target, m)
    assert people.post_since[i] == m  # a new post ...
    assert model.vacancies.tenure_ok_now(np.array([i]), m).tolist() == [True]  # ... the same tenure
    # a promotion does restart it
    up = next(p for p in sorted(model.indices.vacancies[4]) if org.post_kind[p] != 4)
    model.personnel.move(i, up, m, "promotion")
    assert model.vacancies.tenure_ok_now(np.array([i]), m).tolist() == [False]


def test_after_the_pilot_mergers_bench_strength_holds_up():
    """Leaders moved into merged units keep their tenure, so the merged units' deputies
    stay ready (issue: the bench used to fall to about 0.7 of the baseline's)."""
    bench = {}
    for scenario in ("baseline", "all_pilots"):
        cfg = sim.load_config([f"scenario={scenario}", "end=2020-10"])
        bench[scenario] = np.mean([sim.simulate(cfg, seed=s).timeseries["bench_strength"].iloc[-1] for s in range(2)])
    assert bench["all_pilots"] >= 0.85 * bench["baseline"], bench


# ------------------------------------------------------------------ Regulation 65: term limit
def test_only_the_listed_posts_are_term_limited():
    model = CadreModel(sim.load_config([]))
    org = model.org
    limited = np.flatnonzero(org.post_term_limited[: org.n_posts])
    assert (org.post_kind[limited] == HEAD).all()
    where = {(org.units[u].area == 0, org.units[u].key) for u in org.post_unit[limited]}
    assert where == {
        (True, "party_standing"), (True, "pc_leadership"), (True, "inspectorate"), (True, "finance"),
        (False, "party_committee"), (False, "pc_leadership"), (False, "inspectorate"), (False, "finance_planning"),
    }
    assert len(limited) == 4 + 4 * len(org.district_codes)  # the province and each district
    heads = np.flatnonzero(org.post_kind[: org.n_posts] == HEAD)
    not_limited = {org.units[u].key for u in org.post_unit[heads[~org.post_term_limited[heads]]]}
    assert {"inspection", "party_office", "pc_office", "youth_union", "council_leadership"} <= not_limited


def test_term_limit_moves_happen_on_listed_posts_only_and_are_few():
    model = CadreModel(sim.load_config(["seed=0"]))
    enforce, posts_left = model.term_limit.enforce, []

    def watched(i, m):
        posts_left.append(int(model.people.post[i]))
        enforce(i, m)

    model.term_limit.enforce = watched
    model.run()
    assert 0 < len(posts_left) <= 40, len(posts_left)
    assert model.org.post_term_limited[posts_left].all()
    moves = sum(1 for e in model.events if e[1] == "term_limit_move")
    assert 0 < moves <= len(posts_left)


# ------------------------------------------------------------------ calendar past 2025
def test_every_repeats_after_the_last_month_given():
    last = parse_month("2035-12")
    got = every(["2020-10", "2025-10"], 5, last)
    assert got == [parse_month(s) for s in ("2020-10", "2025-10", "2030-10", "2035-10")]
    assert every(["2020-10"], 0, last) == [parse_month("2020-10")]
    assert every([], 5, last) == []


@pytest.mark.slow
def test_a_run_to_2035_has_the_2030_and_2035_congresses_and_pool_rebuilds():
    res = sim.simulate(sim.load_config(["end=2035-12"]), seed=0)
    s = res.summary
    for year in (2020, 2025, 2030, 2035):
        assert f"congress_{year}_size" in s
    assert s["congress_2030_size"] < s["congress_2025_size"] < s["congress_2020_size"]
    ev = res.events
    rebuilt = ev[(ev["kind"] == "pool_review") & ev["detail"].str.startswith("rebuilt")]["month"].tolist()
    assert {"2025-10", "2030-10", "2035-10"} <= set(rebuilt)


# ------------------------------------------------------------------ pay in VND
def test_base_salary_follows_the_decrees():
    from sim.rules.pay import base_salary_vnd

    assert base_salary_vnd(parse_month("2018-06")) == 1_300_000  # Decree 47/2017
    assert base_salary_vnd(parse_month("2018-07")) == 1_390_000  # Decree 72/2018
    assert base_salary_vnd(parse_month("2020-07")) == 1_490_000  # Decree 38/2019; the 2020 rise postponed
    assert base_salary_vnd(parse_month("2023-07")) == 1_800_000  # Decree 24/2023
    assert base_salary_vnd(parse_month("2024-06")) == 1_800_000
    assert base_salary_vnd(parse_month("2024-07")) == 2_340_000  # Decree 73/2024
    with pytest.raises(ValueError, match="no base salary before"):
        base_salary_vnd(parse_month("2016-01"))


def test_wage_bill_and_severance_in_vnd():
    from sim.rules.pay import base_salary_vnd

    res = sim.simulate(sim.load_config(["scenario=merge_offices", "end=2020-12"]), seed=0)
    ts = res.timeseries
    months = ts["month"].map(parse_month)
    assert np.allclose(ts["wage_bill_vnd"], ts["wage_bill"] * months.map(base_salary_vnd))  # the default schedule
    assert np.allclose(ts["severance_cost_vnd"], ts["severance_cost"] * months.map(base_salary_vnd))
    # a province of about 4,000 cadres: a few tens of billions of VND a month
    assert 20e9 < ts["wage_bill_vnd"].iloc[0] < 80e9
    assert res.summary["severance_cost_vnd_total"] == pytest.approx(ts["severance_cost_vnd"].sum())
