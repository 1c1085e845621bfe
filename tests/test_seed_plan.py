"""The seed article's own plan and the 2018-2021 history around it: the Standing
Committee's rotation and transfer plan, needs-based transfers, moves to and from the
central level, leader-quality outputs and the reversal of the Party-state mergers."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.core.calendar import parse_month
from sim.model import CadreModel
from sim.output.result import Result
from sim.processes.rebalance import Rebalance


def _plan_moves(res, managed_ranks):
    ev = res.events
    window = (ev["month"] >= "2018-10") & (ev["month"] <= "2019-12")
    plan = ev[window & ev["detail"].str.startswith("plan", na=False)]
    own = plan[~plan["detail"].str.endswith(": swap")]  # the plan's own moves, not their swap partners
    return plan, own[own["rank"].isin(managed_ranks)]


@pytest.mark.parametrize("seed", range(4))
def test_the_plan_moves_at_least_20_managed_cadres_in_q4_2018_and_2019(seed):
    cfg = sim.load_config(["end=2019-12"])
    res = sim.simulate(cfg, seed=seed)
    plan, own = _plan_moves(res, cfg.policy.plan.managed_ranks)
    assert len(own) >= 20, own.groupby("detail").size()
    assert set(own["kind"]) <= {"rotation_out", "transfer"}
    rotations = own[own["kind"] == "rotation_out"]
    assert len(rotations) == cfg.policy.plan.rotations
    # rule transfers: a district head under the non-local rule never lands in its home district
    assert (own["detail"] == "plan: non-local rule").any() or (own["detail"] == "plan: two consecutive terms").any()
    # nothing of the plan outside its months
    ev = res.events
    assert not ev[(ev["month"] > "2019-12") & ev["detail"].str.startswith("plan", na=False)].size


def test_no_plan_without_its_numbers():
    cfg = sim.load_config(["end=2019-12", "policy.plan.rotations=0", "policy.plan.transfers=0"])
    plan, _ = _plan_moves(sim.simulate(cfg, seed=0), cfg.policy.plan.managed_ranks)
    assert plan.empty


def test_plan_transfers_take_local_heads_out_of_their_home_district():
    model = CadreModel(sim.load_config(["end=2019-12", "seed=2"])).run()
    ev = Result.from_model(model).events
    moved = ev[ev["detail"] == "plan: non-local rule"]
    assert len(moved)
    idx = {cid: i for i, cid in enumerate(model.people.cadre_ids)}
    org = model.org
    for cid, uid in zip(moved["cadre_id"], moved["unit"]):
        i = idx[cid]
        assert org.unit_by_id[uid].area != int(model.people.home[i])


def _imbalance(extra, seed):
    res = sim.simulate(sim.load_config(["end=2020-12", *extra]), seed=seed)
    ts = res.timeseries.set_index("month")["staffing_imbalance"]
    return res, ts


@pytest.mark.parametrize("seed", range(4))
def test_needs_based_transfers_reduce_the_staffing_imbalance(seed):
    res, ts = _imbalance([], seed)
    moves = res.events[res.events["kind"] == "rebalance_transfer"]
    assert len(moves) > 20
    assert ts["2020-12"] < 0.7 * ts["2018-09"], ts
    _, without = _imbalance(["policy.rebalance.every_months=0"], seed)
    assert ts["2020-12"] < without["2020-12"]


def test_rebalance_moves_within_an_area_from_above_the_norm_to_below_it(monkeypatch):
    checked = []
    review = Rebalance.review

    def watched(self, m):  # the gaps as the review sees them, then its moves
        org = self.org
        before = {u.index: self.staff(u) - (self.norm(u) or 0) for u in org.units if u.active}
        n0 = len(self.model.events)
        review(self, m)
        for e in self.model.events[n0:]:
            assert e[1] == "rebalance_transfer"
            words = e[6].split(" ")  # "from <unit> (above its norm) to <unit> (below it)"
            a, b = org.unit_by_id[words[1]], org.unit_by_id[words[6]]
            assert a.area == b.area
            assert before[a.index] > 0 > before[b.index], (m, e)
            checked.append(e)
        assert len(self.model.events) - n0 <= self.pars.per_review

    monkeypatch.setattr(Rebalance, "review", watched)
    CadreModel(sim.load_config(["end=2019-06", "seed=1"])).run()
    assert len(checked) > 10


def test_a_unit_at_its_norm_recruits_no_one():
    model = CadreModel(sim.load_config(["end=2018-10", "seed=0"]))
    reb, org = model.rebalance, model.org
    unit = next(u for u in org.units if u.active and reb.norm(u) is not None)
    posts = [p for p in unit.posts if org.post_rank[p] == 0]
    p = next(q for q in posts if org.post_holder[q] >= 0)
    model.personnel.remove(int(org.post_holder[p]), "exit", model.month)
    reb.norm_of[unit.uid] = reb.staff(unit)  # exactly at its norm
    reb._norms = reb._frozen = None  # the norms changed by hand: forget the month's count
    assert reb.frozen(p)
    assert model.recruitment.recruit(p, model.month) is None
    assert org.post_holder[p] < 0
    reb.norm_of[unit.uid] = reb.staff(unit) + 1  # now below it
    reb._norms = reb._frozen = None
    assert model.recruitment.recruit(p, model.month) is not None


def test_moves_to_and_from_the_centre():
    cfg = sim.load_config(["policy.central.to_central_per_year=0.9", "policy.central.from_central_share=1.0", "end=2022-12"])
    model = CadreModel(cfg).run()
    res = Result.from_model(model)
    ev = res.events
    out = ev[(ev["kind"] == "to_central") & (ev["detail"] == "promoted or rotated to a central post")]
    assert len(out) >= 3  # (the central cadres who fill the vacancies go back only at the end of their term)
    assert (out["rank"] >= cfg.policy.central.min_rank).all()
    came = ev[ev["kind"] == "from_central"]
    assert len(came) >= 3
    assert (came["rank"] >= cfg.policy.central.min_rank).all()
    # each came from outside the province, counts as rotated, and goes back after a term
    idx = {cid: i for i, cid in enumerate(model.people.cadre_ids)}
    for cid, month in zip(came["cadre_id"], came["month"]):
        i = idx[cid]
        assert model.people.home[i] == -1 and model.people.rotated[i]
        back = ev[(ev["cadre_id"] == cid) & (ev["kind"] == "to_central")]
        if parse_month(month) + cfg.policy.central.from_central_months <= cfg.end_index:
            assert len(back) == 1
    ts = res.timeseries
    assert ts["from_central"].sum() == len(came)
    assert ts["to_central"].sum() == (ev["kind"] == "to_central").sum()


def test_no_central_moves_when_switched_off():
    cfg = sim.load_config(["policy.central.to_central_per_year=0", "policy.central.from_central_share=0", "end=2021-12"])
    ev = sim.simulate(cfg, seed=0).events
    assert not ev["kind"].isin(["to_central", "from_central"]).any()


def test_merit_selection_gives_more_competent_leaders_than_random():
    means = {}
    for rule in ("merit", "random"):
        cfg = sim.load_config([f"policy.selection.rule={rule}"])
        means[rule] = np.array([sim.simulate(cfg, seed=s).summary["leaders_mean_competence_end"] for s in range(4)])
    assert (means["merit"] > means["random"]).all(), means


def test_leader_quality_columns_are_measured():
    res = sim.simulate(sim.load_config([]), seed=0)
    ts, s = res.timeseries, res.summary
    for c in ("leaders_mean_competence", "key_posts_mean_competence", "leaders_rotated_share"):
        assert ts[c].notna().all()
        assert f"{c}_2020_10" in s and f"{c}_end" in s
    assert ts["leaders_rotated_share"].iloc[0] == 0.0
    assert ts["leaders_rotated_share"].iloc[-1] > ts["leaders_rotated_share"].iloc[12] > 0
    assert ts["leaders_rotated_share"].between(0, 1).all()


def test_party_state_mergers_are_reversed_from_2022_07_unless_kept():
    rev = sim.simulate(sim.load_config(["scenario=all_pilots", "end=2022-12"]), seed=0)
    kept = sim.simulate(sim.load_config(["scenario=all_pilots", "end=2022-12", "scenario.reverse_party_state=null"]), seed=0)
    r, k = rev.timeseries.set_index("month"), kept.timeseries.set_index("month")
    assert r.loc["2022-06", "units"] == k.loc["2022-06", "units"]
    # Organisation + Home Affairs and Inspection + Inspectorate at province and 8 districts,
    # the district Party + PC offices in 8: 26 mergers split, each giving back one unit
    assert r.loc["2022-07", "units"] - k.loc["2022-07", "units"] == 26
    splits = rev.events[rev.events["kind"] == "split"]
    assert len(splits) == 26 and (splits["month"] == "2022-07").all()
    assert not splits["unit"].str.contains("bloc").any()  # the bloc Party committee merger stays
    assert kept.events[kept.events["kind"] == "split"].empty


def test_a_reversal_month_must_be_a_month():
    with pytest.raises(sim.core.errors.ConfigError, match="reverse_party_state"):
        sim.load_config(["scenario=all_pilots", "scenario.reverse_party_state=July"])
