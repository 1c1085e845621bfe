"""The People's Council elections (sim/processes/elections.py): NA Resolution 133/2020
(23 May 2021); Guidance 26-HD/BTCTW (2019): re-election to government posts needs 30
months of working age left at May 2021, on the 2012 Labour Code ages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.core.calendar import format_month, parse_month
from sim.model import CadreModel
from sim.output.result import EVENT_COLUMNS
from sim.processes.elections import ELECTED_FUNCTIONS
from sim.rules.congress import birth_cutoff
from sim.rules.eligibility import months_left
from sim.rules.retirement import retirement_month_index

ELECTION = parse_month("2021-05")


def events(model) -> pd.DataFrame:
    ev = pd.DataFrame(list(model.log), columns=EVENT_COLUMNS)
    ev["month"] = [format_month(int(m)) for m in ev["month"]]
    return ev


def elected_posts(model) -> list[int]:
    org = model.org
    return [p for u in org.units if u.active and u.function in ELECTED_FUNCTIONS for p in org.posts_of(u) if org.post_kind[p] <= 1]


@pytest.fixture(scope="module")
def election_2021():
    """A baseline run: the elected leaders at the end of 2021-04, then the run to 2021-06."""
    model = CadreModel(sim.load_config(["seed=1", "end=2021-06"]))
    while model.month < ELECTION:
        model.step()
    p, org = model.people, model.org
    ev = events(model)  # "not re-elected at the election" before the election month: none
    removed_early = ev[ev["detail"].str.contains("at the election", na=False)]
    holders = np.array([int(org.post_holder[q]) for q in elected_posts(model) if org.post_holder[q] >= 0])
    left = retirement_month_index(p.birth[holders], p.female[holders], "labour_code_2012") - ELECTION
    over_age = holders[left < 30]
    model.run()
    return model, holders, over_age, removed_early


def test_the_cutoffs_follow_from_the_rule():
    # 30 months at May 2021 on the 2012 ages: men born from Nov 1963, women from Nov 1968
    assert birth_cutoff(2021, 5, "M", 30) == (1963, 11)
    assert birth_cutoff(2021, 5, "F", 30) == (1968, 11)
    assert months_left(1963, 10, "M", 2021, 5, "labour_code_2012") == 29


def test_over_age_leaders_leave_at_the_2021_election_and_not_before(election_2021):
    model, holders, over_age, removed_early = election_2021
    assert len(removed_early) == 0
    assert len(over_age) >= 2
    p = model.people
    assert not p.active[over_age].any()
    ev = events(model)
    gone = ev[(ev["kind"] == "early_retirement") & ev["detail"].str.contains("at the election", na=False)]
    assert set(gone["month"]) == {"2021-05"}
    assert sorted(gone["cadre_id"]) == sorted(p.cadre_ids[i] for i in over_age.tolist())
    assert gone["detail"].str.contains("Decree 26/2015").all()  # the over-age regime before 2025
    # the others stand again and stay (unless they left for another reason)
    stay = np.setdiff1d(holders, over_age)
    assert p.active[stay].mean() > 0.9


def test_election_summary_and_event(election_2021):
    model, holders, over_age, _ = election_2021
    s = model.summary_extra
    assert s["election_2021_not_reelected"] == len(over_age)
    # 5 provincial (the two chairs are held by the Party secretary and the standing deputy
    # secretary: org.concurrent, elected at the congress) + 8 x 5 district
    assert s["election_2021_posts"] == len(elected_posts(model)) == 45
    for k in ("share_new", "share_women", "share_under40"):
        assert 0.0 <= s[f"election_2021_{k}"] <= 1.0
    assert 40 < s["election_2021_mean_age"] < 60
    held = s["election_2021_posts"] - s["election_2021_vacant"]
    newcomers = round(s["election_2021_share_new"] * held)
    assert 0 < newcomers <= len(over_age) + (47 - len(holders))  # only the freed or vacant posts get newcomers
    ev = events(model)
    elections = ev[ev["kind"] == "election"]
    assert elections["month"].tolist() == ["2021-05"]
    assert "not re-elected" in elections["detail"].iloc[0]


def test_share_new_is_measured_after_the_month_s_filling():
    model = CadreModel(sim.load_config(["seed=3", "end=2021-06"]))
    while model.month < ELECTION:
        model.step()
    org, p = model.org, model.people
    posts = elected_posts(model)
    before = {int(org.post_holder[q]) for q in posts}
    model.step()  # 2021-05
    after = [int(org.post_holder[q]) for q in posts if org.post_holder[q] >= 0]
    s = model.summary_extra
    assert s["election_2021_share_new"] == pytest.approx(np.mean([h not in before for h in after]))
    assert s["election_2021_share_women"] == pytest.approx(p.female[after].mean())
    assert s["election_2021_mean_age"] == pytest.approx(((ELECTION - p.birth[after]) / 12).mean())
    assert s["election_2021_vacant"] == len(posts) - len(after)
    # the newcomers promoted into the posts are first-timers: a full term left (the vacancy
    # process's rule; those moved in at a term limit come from another elected post)
    ev = events(model)
    promoted = set(ev.loc[(ev["month"] == "2021-05") & (ev["kind"] == "promotion"), "cadre_id"])
    new = [h for h in after if h not in before and p.cadre_ids[h] in promoted]
    assert new
    assert all(int(p.ret[h]) - ELECTION >= model.policy.appointment.min_months_left for h in new)


def test_later_elections_follow_the_cycle_on_the_ages_in_force():
    model = CadreModel(sim.load_config(["seed=0", "end=2026-04"]))
    assert model.elections._age_basis(1) == (model.policy.retirement_rule, 48)
    model.run()
    s = model.summary_extra
    assert {"election_2021_share_new", "election_2026_share_new", "election_2026_mean_age"} <= set(s)
    ev = events(model)
    assert ev.loc[ev["kind"] == "election", "month"].tolist() == ["2021-05", "2026-03"]


def test_the_new_councils_fill_their_leader_posts_in_the_election_month():
    """fill_at_election: the posts freed at the election are filled that month (Law on
    the Organisation of Local Government, 2015: elected at the first session), not at the
    monthly fill rate."""
    out = {}
    for fill in (True, False):
        vacant = new = 0.0
        for seed in (1, 2):
            cfg = sim.load_config([f"seed={seed}", "end=2021-06", f"policy.elections.fill_at_election={str(fill).lower()}"])
            s = sim.simulate(cfg).summary
            vacant += s["election_2021_vacant"]
            new += s["election_2021_share_new"]
        out[fill] = (vacant, new)
    assert out[True][0] <= 1 < out[False][0], out
    assert out[True][1] > out[False][1], out
