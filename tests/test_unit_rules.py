"""Unit rules declared in the org file (issue 11 items 4, 5 and part of 9): the Women's
Union's leaders are women; the Youth Union's leaders respect the age caps of Decision
289-QĐ/TW at appointment and in office (age-out moves); the provincial Party secretary
chairs the People's Council and the standing deputy secretary the People's Committee
from the start (the seed article); rotation experience counts more for key posts."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

import sim
from sim import invariants
from sim.core.calendar import parse_month
from sim.core.errors import ConfigError
from sim.core.vocabulary import DEPUTY, HEAD, NEVER, Event
from sim.model import CadreModel
from sim.params.schema import UnitSpec
from sim.processes.base import InvariantError

SEEDS = (0, 1, 2, 3)
ROOT = Path(__file__).resolve().parent.parent


def _age_years(df, start="2018-09"):
    return (parse_month(start) - df["birth"].map(parse_month)) / 12.0


def _unit_key(df):
    return df["unit"].str.split(".", n=1).str[1]


# --------------------------------------------------------------------------- the synthetic roster
@pytest.mark.parametrize("seed", SEEDS)
def test_womens_union_leaders_are_women_and_youth_union_leaders_young(base_cfg, seed):
    df = sim.synthetic_roster(base_cfg, seed=seed)
    leaders = df[df.post.isin(["head", "deputy"])]
    wu = leaders[_unit_key(leaders) == "womens_union"]
    assert len(wu) > 10
    assert (wu.sex == "F").mean() >= 0.9
    yu = leaders[_unit_key(leaders) == "youth_union"]
    age = _age_years(yu)
    heads = yu.post == "head"
    province = yu.unit.str.startswith("P.")
    assert len(yu[heads]) >= 6
    assert (age[heads] < 41).all()  # "at most 40": whole years
    assert (age[heads & province] < 41).all() and (age[~heads & province] < 39).all()
    assert (age[~province] < 36).all()
    # appointed at or below the first-appointment caps (post_since)
    at_appointment = (yu["post_since"].map(parse_month) - yu["birth"].map(parse_month)) / 12.0
    assert (at_appointment[heads & province] < 36).all() and (at_appointment[~province] < 31).all()


# --------------------------------------------------------------------------- a run
@pytest.fixture(scope="module")
def long_run():
    """The baseline to 2025-12, every invariant checked each month (the Youth Union cap
    among them: UnitRules.check)."""
    model = CadreModel(sim.load_config(["end=2025-12", "seed=1"]))
    youth_over: list[str] = []
    org, people = model.org, model.people
    youth = [u for u in org.units if u.key == "youth_union"]
    caps = {u.index: {HEAD: (u.spec.head_max_age + 1) * 12, DEPUTY: (u.spec.deputy_max_age + 1) * 12} for u in youth}
    while model.running:
        m = model.month
        model.step()
        invariants.check(model)
        # independently of the invariant: every Youth Union leader in post is under the cap
        for u in youth:
            for kind in (HEAD, DEPUTY):
                for p in org.posts_of(u, kind):
                    i = int(org.post_holder[p])
                    if i >= 0 and m - int(people.birth[i]) >= caps[u.index][kind]:
                        youth_over.append(f"{people.cadre_ids[i]} in {u.uid} at {m}")
    return model, youth_over


def test_no_youth_union_leader_stays_past_the_cap(long_run):
    model, youth_over = long_run
    assert youth_over == []
    outs = [e for e in model.events if e[1] == Event.AGE_OUT]
    assert len(outs) >= 5  # the caps bite: leaders really age out over seven years
    assert all(e[3].endswith(".youth_union") for e in outs)


def test_promotions_respect_the_sex_rule(long_run):
    model, _ = long_run
    people = model.people
    female = dict(zip(people.cadre_ids, people.female[: people.n].tolist()))
    into_wu = [e for e in model.events if e[1] == Event.PROMOTION and e[3].endswith(".womens_union") and e[4] in (HEAD, DEPUTY)]
    assert len(into_wu) >= 3
    assert all(female[e[2]] for e in into_wu)


def test_promotions_respect_the_first_appointment_cap(long_run):
    model, _ = long_run
    people = model.people
    birth = dict(zip(people.cadre_ids, people.birth[: people.n].tolist()))
    org = model.org
    first = {}
    for u in org.units:
        if u.key == "youth_union":
            first[(u.uid, HEAD)] = (u.spec.head_max_age_first + 1) * 12
            first[(u.uid, DEPUTY)] = (u.spec.deputy_max_age_first + 1) * 12
    into = [e for e in model.events if e[1] == Event.PROMOTION and (e[3], e[4]) in first]
    assert len(into) >= 3
    assert all(e[0] - birth[e[2]] < first[(e[3], e[4])] for e in into)


def test_the_invariant_catches_a_leader_past_the_cap():
    """Break the age-out once: the invariant must see it."""
    model = CadreModel(sim.load_config(["end=2019-12"]))
    model.unit_rules.age_out = lambda i, p, m: None  # the move does nothing
    with pytest.raises(InvariantError, match="youth_union past its cap"):
        while model.running:
            model.step()
            invariants.check(model)


def test_sex_rule_filter_can_fail():
    """Without the sex filter, men are appointed to Women's Union posts (the filter is what
    keeps them out)."""
    model = CadreModel(sim.load_config(["end=2025-12", "seed=1"]))
    model.vacancies.meet_unit_rules = lambda cands, p, m: cands
    model.run()
    people = model.people
    female = dict(zip(people.cadre_ids, people.female[: people.n].tolist()))
    into_wu = [e for e in model.events if e[1] == Event.PROMOTION and e[3].endswith(".womens_union") and e[4] in (HEAD, DEPUTY)]
    assert not all(female[e[2]] for e in into_wu)


# --------------------------------------------------------------------------- concurrency
def test_top_posts_are_held_concurrently_from_the_start():
    model = CadreModel(sim.load_config(["end=2018-10"]))
    org = model.org
    council, pc = org.unit_by_id["P.council_leadership"], org.unit_by_id["P.pc_leadership"]
    party = org.unit_by_id["P.party_standing"]
    assert org.posts_of(council, HEAD) == [] and org.posts_of(pc, HEAD) == []
    assert org.concurrent_holder_post(council) == org.posts_of(party, HEAD)[0]
    assert org.concurrent_holder_post(pc) == org.posts_of(party, DEPUTY)[0]
    res = sim.simulate(sim.load_config(["end=2018-12"]))
    ts = res.timeseries.set_index("month")
    assert ts.loc["2018-09", "concurrent_posts"] >= 2


def test_without_the_org_rule_there_is_no_concurrency():
    res = sim.simulate(sim.load_config(["end=2018-12", "org.concurrent=[]"]))
    assert res.timeseries.set_index("month").loc["2018-09", "concurrent_posts"] == 0


def test_the_concurrency_outlives_its_holder():
    """The standing deputy secretary leaves; whoever takes the post chairs the People's Committee."""
    model = CadreModel(sim.load_config(["end=2020-06"]))
    org = model.org
    pc = org.unit_by_id["P.pc_leadership"]
    q = org.concurrent_holder_post(pc)
    i = int(org.post_holder[q])
    model.personnel.remove(i, Event.EXIT, model.month)
    model.run()
    assert org.concurrent_holder_post(pc) == q and pc.concurrent_with == "P.party_standing"
    invariants.check(model)


def test_the_concurrency_invariant_can_fail():
    model = CadreModel(sim.load_config(["end=2018-10"]))
    model.step()
    invariants.check(model)
    pc = model.org.unit_by_id["P.pc_leadership"]
    pc.concurrent_post = model.org.posts_of(model.org.unit_by_id["P.finance"], DEPUTY)[0]
    with pytest.raises(InvariantError, match="P.pc_leadership is headed by the holder of post"):
        invariants.check(model)


# --------------------------------------------------------------------------- rotation experience
def test_key_post_experience_bonus_applies_to_key_posts_only():
    model = CadreModel(sim.load_config(["end=2018-10", "policy.rotation.experience_bonus=0"]))
    vac, org, people = model.vacancies, model.org, model.people
    n = org.n_posts
    key_post = int(np.flatnonzero(org.post_key[:n] & org.post_active[:n])[0])
    plain = int(np.flatnonzero(~org.post_key[:n] & org.post_active[:n] & (org.post_kind[:n] == DEPUTY))[0])
    cands = np.arange(40, 80, dtype=np.int64)
    rotated = int(cands[-1])
    people.rotated[cands] = False
    people.rotated[rotated] = True
    people.competence[rotated] = -50.0  # the weakest by far: only the bonus can choose them
    m = model.month
    vac.key_post_experience_bonus = 100.0
    assert vac._choose(cands, key_post, m, False) == rotated
    assert vac._choose(cands, plain, m, False) != rotated  # not a key post: no such bonus
    vac.key_post_experience_bonus = 0.0
    assert vac._choose(cands, key_post, m, False) != rotated


# --------------------------------------------------------------------------- bad values
BAD_UNITS = [
    ({"leader_sex": "W"}, "unit 'x': leader_sex = 'W' is not valid; choose M, F or null"),
    ({"head_max_age": 70}, "unit 'x': head_max_age = 70 must be a whole number of years in 17..59"),
    ({"deputy_max_age": 12}, "unit 'x': deputy_max_age = 12 must be a whole number of years in 17..59"),
    ({"head_max_age_first": 41, "head_max_age": 40}, "unit 'x': head_max_age_first = 41 is above head_max_age = 40"),
]


@pytest.mark.parametrize("fields,message", BAD_UNITS, ids=[m.split(":")[1].split("=")[0].strip() for _, m in BAD_UNITS])
def test_bad_unit_rule_values(fields, message):
    with pytest.raises(ConfigError) as err:
        UnitSpec(key="x", name="X", function="f", **fields)
    assert message in str(err.value)


def _org_variant(tmp_path, edit) -> str:
    """A copy of the default org file with ``edit`` applied, on a config search path."""
    src = ROOT / "configs" / "org" / "thai_binh_2018.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    edit(data)
    confdir = tmp_path / "conf"
    (confdir / "org").mkdir(parents=True, exist_ok=True)
    (confdir / "org" / "bad.yaml").write_text(yaml.safe_dump(copy.deepcopy(data), allow_unicode=True), encoding="utf-8")
    return f"hydra.searchpath=[file://{confdir}]"


def _youth(data):
    return next(u for u in data["province_units"] if u["key"] == "youth_union")


@pytest.mark.parametrize(
    "edit,fragments",
    [
        (lambda d: _youth(d).update(head_max_age_first=20, head_max_age=20), ["org.province_units unit 'youth_union'", "head_max_age_first = 20", "min_age = 23"]),
        (lambda d: _youth(d).update(deputy_max_age_first=39), ["unit 'youth_union'", "deputy_max_age_first = 39 is above deputy_max_age = 38"]),
        (lambda d: d["concurrent"].append({"unit": "party_standing", "heads": "nonesuch"}), ["org.concurrent[2].heads = 'nonesuch' is not a province unit"]),
        (lambda d: d["concurrent"].append({"unit": "finance", "heads": "pc_leadership"}), ["org.concurrent[2].heads = 'pc_leadership'", "already headed concurrently by org.concurrent[1]"]),
    ],
    ids=["cap below min_age", "first above in office", "unknown unit", "held twice"],
)
def test_bad_org_file_gives_one_clear_message(in_process, tmp_path, edit, fragments):
    from clitools import assert_user_error

    out = in_process("experiments.run", "end=2019-06", _org_variant(tmp_path, edit), "org=bad")
    assert_user_error(out, *fragments)


def test_a_merger_of_a_concurrently_held_unit_is_refused():
    with pytest.raises(ConfigError, match=r"P.pc_leadership is part of a standing concurrent post \(org.concurrent\[1\]"):
        CadreModel(
            sim.load_config(
                ["end=2019-06", "scenario.actions=[{kind:merge,month:'2019-01',level:province,units:[pc_leadership,pc_office]}]"]
            )
        )


def test_only_youth_union_posts_are_capped():
    model = CadreModel(sim.load_config(["end=2018-10"]))
    org = model.org
    capped = org.post_age_below[: org.n_posts] < NEVER
    assert {org.units[u].key for u in org.post_unit[: org.n_posts][capped]} == {"youth_union"}
