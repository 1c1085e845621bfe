"""The model: invariants every month, reproducibility, Mesa integration."""

import dataclasses

import mesa
import numpy as np
import pandas as pd

import sim
from sim import invariants
from sim.core.vocabulary import EXIT_FLOWS, SPECIALIST
from sim.model import CadreModel
from sim.output.result import Result


def run_checked(cfg):
    model = CadreModel(cfg)
    while model.running:
        model.step()
        invariants.check(model)
    return model


def test_invariants_hold_every_month_full_horizon(base_cfg):
    model = run_checked(base_cfg)
    ts = model.datacollector.get_model_vars_dataframe()
    assert len(ts) == base_cfg.end_index - base_cfg.start_index + 1
    # something happened: people retired, were promoted and recruited
    assert model.totals["retirements"] > 100
    assert model.totals["promotions"] > 100
    assert model.totals["recruits"] > 100


def test_nobody_serves_past_the_retirement_month(short_cfg):
    model = CadreModel(short_cfg)
    retiring = {}
    n_working = n_stayed = 0
    while model.running:
        m = model.month
        due = np.flatnonzero(model.people.active[: model.people.n] & (model.people.ret[: model.people.n] == m - 1))
        working = np.flatnonzero(model.people.active[: model.people.n] & (model.people.ret[: model.people.n] == m))
        retiring[m] = due
        model.step()
        # the retirement month is worked (Decree 135/2020 art. 3); the cadre leaves at the start of the next
        assert not model.people.active[due].any(), "someone whose retirement month has passed is still active"
        n_working += len(working)
        n_stayed += int(model.people.active[working].sum())
    assert sum(len(v) for v in retiring.values()) > 0
    # only the other exits (about 1 % a year) take anyone out in the retirement month itself
    assert n_working > 50 and n_stayed >= 0.97 * n_working, (n_stayed, n_working)


def test_retirement_events_fall_in_the_month_after_the_statutory_month(short_cfg):
    """Decree 135/2020 art. 3: retirement takes effect at the end of the month the age is
    reached; the pension runs from the 1st of the next, the month the event is dated."""
    res = sim.simulate(short_cfg)
    model = CadreModel(short_cfg)
    ret = dict(zip(model.people.cadre_ids, model.people.ret[: model.people.n]))
    rows = res.events[res.events["kind"] == "retirement"]
    assert len(rows) > 10
    for cid, month in zip(rows["cadre_id"], rows["month"]):
        if cid in ret:  # a starting cadre: retirement known at creation
            assert sim.core.calendar.format_month(ret[cid] + 1) == month


def test_headcount_identity(base_cfg):
    res = sim.simulate(base_cfg)
    ts = res.timeseries
    start = res.summary["headcount_start"]
    assert start + ts["recruits"].sum() + ts["from_central"].sum() - ts["exits"].sum() == ts["headcount"].iloc[-1]
    parts = sum(ts[c] for c in EXIT_FLOWS.values())  # every way of leaving (sim/core/vocabulary.py)
    assert (ts["exits"] == parts).all()


def test_same_seed_same_tables_different_seed_different(short_cfg):
    a = sim.simulate(short_cfg, seed=5)
    b = sim.simulate(short_cfg, seed=5)
    c = sim.simulate(short_cfg, seed=6)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    pd.testing.assert_frame_equal(a.events, b.events)
    cols = ["headcount", "promotions", "recruits", "exits"]
    assert not a.timeseries[cols].equals(c.timeseries[cols])


def test_timeseries_columns_and_months(short_cfg):
    res = sim.simulate(short_cfg)
    ts = res.timeseries
    for col in [
        "month", "headcount", "units", "leader_posts", "leaders", "heads", "deputies",
        "vacant_leader_posts", "recruits", "exits", "retirements", "promotions",
        "leaders_women_share", "leaders_under40_share", "leaders_mean_age",
    ]:
        assert col in ts.columns, col
    assert ts["month"].iloc[0] == "2018-09" and ts["month"].iloc[-1] == "2020-12"
    assert (ts["leaders"] == ts["heads"] + ts["deputies"]).all()
    assert (ts["vacant_leader_posts"] == ts["leader_posts"] - ts["leaders"] + ts["surplus_leaders"]).all()
    assert ts["leaders_mean_age"].between(30, 62).all()


def test_promotions_respect_the_appointment_rules(short_cfg):
    """A full term left (Reg. 105) and 24 months in the current or an equivalent post,
    i.e. at the rank (Reg. 80-QĐ/TW), unless it is a first appointment from a specialist
    post; time in the post itself may be shorter (a lateral move keeps the tenure)."""
    model = CadreModel(short_cfg)
    ap = short_cfg.policy.appointment
    checked = first = lateral_tenure = 0
    while model.running:
        m = model.month
        people, org = model.people, model.org
        before_post = people.post[: people.n].copy()
        before_rank_since = people.rank_since[: people.n].copy()
        before_post_since = people.post_since[: people.n].copy()
        n_events = len(model.events)
        model.step()
        for ev in model.events[n_events:]:
            if ev[1] != "promotion":
                continue
            i = people.cadre_ids.index(ev[2])
            assert people.ret[i] - m >= ap.min_months_left
            assert before_post[i] >= 0
            if org.post_kind[before_post[i]] == SPECIALIST:
                first += 1
            else:
                assert m - before_rank_since[i] >= ap.min_months_in_post
                lateral_tenure += m - before_post_since[i] < ap.min_months_in_post
            checked += 1
    assert checked > 20 and first > 0
    assert lateral_tenure > 0  # promoted on time at the rank, with less time in the post itself


def test_vacancy_chain_promotes_from_one_rank_below(short_cfg):
    model = CadreModel(short_cfg)
    ranks_before = model.people.rank[: model.people.n].copy()
    model.step()
    promos = [e for e in model.events if e[1] == "promotion"]
    assert promos
    for e in promos:
        i = model.people.cadre_ids.index(e[2])
        assert model.people.rank[i] == ranks_before[i] + 1


def test_selection_rule_changes_who_is_promoted(short_cfg):
    merit = sim.simulate(short_cfg)
    rnd_cfg = dataclasses.replace(
        short_cfg,
        policy=dataclasses.replace(short_cfg.policy, selection=dataclasses.replace(short_cfg.policy.selection, rule="random")),
    )
    rnd = sim.simulate(rnd_cfg)
    promoted = lambda r: set(r.events.loc[r.events.kind == "promotion", "cadre_id"])  # noqa: E731
    assert promoted(merit) != promoted(rnd)


def test_model_constructs_from_keyword_params():
    model = CadreModel(scenario="baseline", seed=3, end="2019-03")
    model.run()
    res = Result.from_model(model)
    assert len(res.timeseries) == 7
    assert res.timeseries["seed"].eq(3).all()


def test_mesa_batch_run():
    out = mesa.batch_run(
        CadreModel,
        parameters={"scenario": "baseline", "end": "2019-02"},
        rng=[1, 2],
        max_steps=100,
        data_collection_period=1,
        display_progress=False,
        number_processes=1,
    )
    df = pd.DataFrame(out)
    assert len(df) == 2 * 6  # two seeds x six months
    assert set(df["seed"]) == {1, 2}
    assert (df["headcount"] > 3500).all()
    a = df[df.seed == 1]["headcount"].to_numpy()
    b = df[df.seed == 2]["headcount"].to_numpy()
    assert not np.array_equal(a, b)


def test_agents_are_mesa_agents_and_leave_on_exit(short_cfg):
    model = CadreModel(short_cfg)
    assert len(model.agents) == model.headcount
    model.run()
    assert len(model.agents) == model.headcount
    agent = next(iter(model.agents))
    assert agent.sex in ("M", "F") and 16 < agent.age_years < 66
    assert agent.unit_id in model.org.unit_by_id


def test_later_retirement_under_decree_135_means_fewer_retirements(base_cfg):
    old = sim.simulate(sim.load_config(["policy.retirement_rule=labour_code_2012"]))
    new = sim.simulate(base_cfg)
    assert new.summary["retirements_total"] < old.summary["retirements_total"]
