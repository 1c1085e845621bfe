"""Bad inputs (GitHub issue 6): each stops ``python -m experiments.run`` with one message
naming what is wrong and where (key; or file, line, column), exit code 2, no traceback,
and no run folder marked complete.

The command line runs in-process (the ``in_process`` fixture: ``experiments._cli.run_cli``
on ``experiments.run.main`` with a patched ``sys.argv``, which is what ``python -m
experiments.run`` does); ``test_in_process_matches_a_real_subprocess`` checks that a real
subprocess reports the same.

docs/bad_inputs.md lists every case with the message it really gives: each case checks
its own row there, so the page cannot drift from the code. After a deliberate change of
a message, rewrite the rows with

    CADRESIM_REFRESH_DOCS=1 .venv/bin/python -m pytest -q tests/test_bad_inputs.py
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from clitools import Outcome, assert_user_error, cli, scenario_names

import sim
from sim.core.errors import ConfigError
from sim.params.checks import check_actions, check_config, check_org_config, check_plan
from sim.params.schema import ActionSpec, DistrictSpec, OrgConfig, ScenarioConfig, UnitSpec
from sim.world.roster_checks import load_roster_checked

ROOT = Path(__file__).resolve().parent.parent
SHORT = "end=2019-06"  # keeps any run that does start short


@pytest.fixture()
def run(in_process):
    """``python -m experiments.run <args>`` in this process; returns a clitools.Outcome."""
    return lambda *args: in_process("experiments.run", *args)


# --------------------------------------------------------------------------- a tiny organisation
TINY = {
    "name": "tiny",
    "province": "Tiny",
    "districts": [{"code": "AA", "name": "Alpha"}, {"code": "BB", "name": "Beta"}],
    "province_units": [
        {"key": "top", "name": "Top", "sector": "party", "function": "leadership_party", "head_rank": 6, "deputy_rank": 5, "deputies": 1},
        {"key": "office", "name": "Office", "sector": "state", "function": "office", "head_rank": 4, "deputy_rank": 3, "deputies": 2, "divisions": 1, "specialists": 4},
        {"key": "board", "name": "Board", "sector": "party", "function": "organisation", "head_rank": 4, "deputy_rank": 3, "deputies": 1, "divisions": 1, "specialists": 3},
    ],
    "district_units": [
        {"key": "committee", "name": "Committee", "sector": "state", "function": "leadership_state", "head_rank": 4, "deputy_rank": 3, "deputies": 1},
        {"key": "division", "name": "Division", "sector": "state", "function": "office", "head_rank": 2, "deputy_rank": 1, "deputies": 1, "specialists": 3},
    ],
}


def _tiny_org(data: dict = TINY) -> OrgConfig:
    return OrgConfig(
        name=data["name"],
        province=data["province"],
        districts=[DistrictSpec(**d) for d in data["districts"]],
        province_units=[UnitSpec(**u) for u in data["province_units"]],
        district_units=[UnitSpec(**u) for u in data["district_units"]],
    )


# --------------------------------------------------------------------------- configuration
CONFIG_CASES = [
    # (id, override, fragments naming the key and what is valid)
    ("unknown top-level key", "not_a_key=1", ["'not_a_key'", "valid keys of SimConfig", "seed, start, end"]),
    ("unknown nested key", "policy.selection.not_a_key=1", ["'policy.selection.not_a_key'", "not in 'SelectionSpec'", "valid keys of SelectionSpec: rule, noise_sd"]),
    ("float given text", "policy.selection.noise_sd=abc", ["policy.selection.noise_sd=abc", "could not be converted to Float"]),
    ("int given text", "seed=abc", ["seed=abc", "could not be converted to Integer"]),
    ("bool given text", "policy.transition.deadline_policy=maybe", ["policy.transition.deadline_policy=maybe", "not a valid bool"]),
    ("string given a list", "roster=[1,2]", ["roster=[1,2]", "Cannot convert 'list' to string"]),
    ("rank list of the wrong length", "policy.exits.rank_multipliers=[1,2]", ["policy.exits.rank_multipliers needs 7 values", "got 2"]),
    ("probability above 1", "policy.vacancy.fill_probability_leader=1.5", ["policy.vacancy.fill_probability_leader = 1.5", "not a probability in [0, 1]"]),
    ("probability below 0", "policy.transition.takeup_decree_108=-0.1", ["policy.transition.takeup_decree_108 = -0.1", "not a probability in [0, 1]"]),
    ("negative quota", "policy.transition.legal_deputies_province=-1", ["policy.transition.legal_deputies_province = -1", "must be >= 0"]),
    ("start not before end", "start=2019-07", ["start (2019-07) must be before end (2019-06)"]),
    ("end after 2035-12", "end=2036-01", ["end (2036-01) is later than 2035-12"]),
    ("month not YYYY-MM", "start=2018/09", ["start/end", "'2018/09' is not a month in the form YYYY-MM"]),
    ("month 13", "end=2020-13", ["start/end", "'2020-13' has month 13"]),
    ("unknown retirement rule", "policy.retirement_rule=nonesuch", ["policy.retirement_rule = 'nonesuch'", "decree_135, labour_code_2012"]),
    ("unknown selection rule", "policy.selection.rule=lottery", ["policy.selection.rule = 'lottery'", "merit, seniority, random"]),
    ("unknown scenario name", "scenario=nonesuch", ["Could not find 'scenario/nonesuch'", "baseline", "all_pilots"]),
    ("unknown organisation name", "org=nonesuch", ["Could not find 'org/nonesuch'", "thai_binh_2018"]),
    ("unknown name in scenarios=[...]", "scenarios=[baseline,nonesuch]", ["scenarios: unknown name(s) nonesuch", "valid: baseline"]),
    ("replications < 1", "replications=0", ["replications = 0 must be >= 1"]),
    # GitHub issue 16: values that used to run to a wrong result, or crash mid-run
    ("nan in a rank list", "policy.exits.rank_multipliers=[1,0.8,0.7,nan,0.5,0.5,0.5]", ["policy.exits.rank_multipliers[3] = nan is not a finite number"]),
    ("nan noise", "policy.selection.noise_sd=nan", ["policy.selection.noise_sd = nan is not a finite number"]),
    ("inf in a salary list", "policy.wage.base_salary_vnd=[1.3e6,1.39e6,inf,1.8e6,2.34e6]", ["policy.wage.base_salary_vnd[2] = inf is not a finite number"]),
    ("-inf competence shift", "org.population.competence_rank_shift=-inf", ["org.population.competence_rank_shift = -inf is not a finite number"]),
    ("exit rate x multiplier >= 1", "policy.exits.rank_multipliers=[1,0.8,0.7,70,0.5,0.5,0.5]", ["policy.exits.annual_rates[0] x policy.exits.rank_multipliers[3]", "must stay below 1 per year"]),
    ("bad month in a month list", "policy.congress.province_months=[2020-10,2025-13]", ["policy.congress.province_months[1]", "'2025-13' has month 13"]),
    ("non-month in a month list", "policy.pool.rebuild_months=[2020-10,soon]", ["policy.pool.rebuild_months[1]", "'soon' is not a month in the form YYYY-MM"]),
    ("non-ASCII digits in a month list", "policy.wage.base_salary_from=[2018-07,2019-07,2023-07,'٢٠٢٤-٠٧']", ["policy.wage.base_salary_from[3]", "is not a month in the form YYYY-MM"]),
    ("negative age spread", "org.population.age_sd_by_rank=[12,7,-6,5,4,4,3]", ["org.population.age_sd_by_rank[2] = -6.0 must be >= 0"]),
    ("negative months in rank", "org.population.max_months_in_rank=-1", ["org.population.max_months_in_rank = -1 must be >= 0"]),
    ("minimum age past retirement", "org.population.min_age=58", ["org.population.min_age = 58 must be in 16..54", "no one can be past retirement at the start"]),
    ("mean age past retirement", "org.population.age_mean_by_rank=[40,44,47,50,52,53,64]", ["org.population.age_mean_by_rank[6] = 64.0 must lie in [min_age, 60)"]),
    ("seed beyond int64", "seed=9223372036854775808", ["seed = 9223372036854775808 must be a whole number in 0..9223372036854775807", "int64"]),
    ("negative pool noise", "policy.pool.noise_sd=-0.5", ["policy.pool.noise_sd = -0.5 must be >= 0"]),
    ("non-positive base salary", "policy.wage.base_salary_vnd=[1.3e6,1.39e6,0,1.8e6,2.34e6]", ["policy.wage.base_salary_vnd[2] = 0.0 must be > 0"]),
]


@pytest.mark.parametrize("override,fragments", [c[1:] for c in CONFIG_CASES], ids=[c[0] for c in CONFIG_CASES])
def test_bad_config(run, tmp_path, request, override, fragments):
    out = run(SHORT, override)
    assert_user_error(out, *fragments)
    assert out.status is None  # stopped before the run folder was started
    documented(request, out, tmp_path)


# --------------------------------------------------------------------------- organisation YAML
def _variant(edit) -> dict:
    data = copy.deepcopy(TINY)
    edit(data)
    return data


def _set(level: str, i: int, **kv):
    return lambda d: d[level][i].update(kv)


ORG_CASES = [
    # (id, edited organisation (dict or raw text), fragments, where it is caught: a key of CAUGHT_BY)
    ("duplicate unit keys", _variant(_set("province_units", 2, key="office")), ["org.province_units", "duplicate unit key(s) office"], None),
    ("duplicate district codes", _variant(_set("districts", 1, code="AA")), ["org.districts", "duplicate district code(s) AA"], None),
    ("unknown sector", _variant(_set("province_units", 2, sector="church")), ["unit 'board'.sector = 'church'", "party, state, front, assembly"], None),
    ("deputy_rank >= head_rank", _variant(_set("province_units", 2, deputy_rank=4)), ["unit 'board'", "deputy_rank < head_rank", "deputy_rank=4, head_rank=4"], None),
    ("negative deputy quota", _variant(_set("province_units", 1, deputies=-2)), ["unit 'office'.deputies = -2", "must be >= 0"], None),
    ("empty province_units", _variant(lambda d: d.update(province_units=[])), ["org 'tiny'", "province_units is empty"], None),
    ("unknown key in a unit", _variant(_set("province_units", 2, colour="red")), ["In 'org/bad'", "Key 'colour' not in 'UnitSpec'"], None),
    ("unknown key in the organisation", _variant(lambda d: d.update(colour="red")), ["In 'org/bad'", "Key 'colour' not in 'OrgConfig'"], None),
    ("rank given as text", _variant(_set("province_units", 1, head_rank="four")), ["In 'org/bad'", "Value 'four'", "could not be converted to Integer"], None),
    ("unit without a key", _variant(lambda d: d["province_units"][2].pop("key")), ["UnitSpec", "missing mandatory value: key"], None),
    ("district code P (the province's)", _variant(_set("districts", 1, code="P")), ["org.districts[1].code = 'P'", "reserved for the province"], "config"),
    ("YAML syntax error", "name: tiny\nprovince_units:\n  - {key: top,, [\n", ["org/bad.yaml", "line 3"], "yaml"),
]


@pytest.mark.parametrize("org,fragments,caught_by", [c[1:] for c in ORG_CASES], ids=[c[0] for c in ORG_CASES])
def test_bad_organisation_file(run, tmp_path, request, org, fragments, caught_by):
    confdir = tmp_path / "conf"
    (confdir / "org").mkdir(parents=True)
    text = org if isinstance(org, str) else yaml.safe_dump(org, sort_keys=False)
    (confdir / "org" / "bad.yaml").write_text(text)
    out = run(f"hydra.searchpath=[file://{confdir}]", "org=bad", SHORT)
    assert_user_error(out, *fragments)
    documented(request, out, tmp_path)


def test_the_tiny_organisation_itself_runs(run, tmp_path, no_figures):
    """The organisation the cases above break is valid as it stands (so each case tests
    only its own edit)."""
    confdir = tmp_path / "conf"
    (confdir / "org").mkdir(parents=True)
    (confdir / "org" / "tiny.yaml").write_text(yaml.safe_dump(TINY, sort_keys=False))
    out = run(f"hydra.searchpath=[file://{confdir}]", "org=tiny", SHORT)
    assert out.code == 0, out.stderr
    assert out.status == "complete"


# --------------------------------------------------------------------------- roster CSV
@pytest.fixture(scope="module")
def roster_frame():
    """The first 40 rows of the default synthetic roster, as text."""
    return sim.synthetic_roster(sim.load_config([])).head(40).astype(str).reset_index(drop=True)


def _edit(row: int, col: str, value: str):
    def f(df):
        df.loc[row, col] = value
        return df

    return f


def _overfill(df):
    # four heads for the one head post of the first unit (rows 0..3; line 3 is the second)
    df.loc[0:3, "unit"] = df.loc[0, "unit"]
    df.loc[0:3, "post"] = "head"
    return df


def _first_specialist(df) -> int:
    return int((df["post"] == "specialist").to_numpy().argmax())


def _csv(df) -> bytes:
    return df.to_csv(index=False).encode()


ROSTER_CASES = [
    # (id, file made from the frame, fragments besides the file name, where it is caught: a key of CAUGHT_BY)
    ("missing columns", lambda df: _csv(df.drop(columns=["sex", "post"])), ["line 1", "missing column(s) sex, post", "required: cadre_id, birth, sex, unit, post"], None),
    ("unknown column", lambda df: _csv(df.assign(salary="1")), ["line 1", "unknown column(s) salary", "valid: cadre_id"], None),
    ("unparseable date", lambda df: _csv(_edit(3, "birth", "1970/05")(df)), ["line 5", "column 'birth'", "'1970/05' is not a month in the form YYYY-MM"], None),
    ("month 13 in a date", lambda df: _csv(_edit(3, "birth", "1970-13")(df)), ["line 5", "column 'birth'", "'1970-13' has month 13"], None),
    ("unparseable entry date", lambda df: _csv(_edit(6, "entry", "soon")(df)), ["line 8", "column 'entry'", "'soon' is not a month"], None),
    ("duplicate cadre_id", lambda df: _csv(_edit(7, "cadre_id", df.loc[2, "cadre_id"])(df)), ["line 9", "column 'cadre_id'", "duplicate cadre_id 'C00002'"], None),
    ("empty cadre_id", lambda df: _csv(_edit(7, "cadre_id", "")(df)), ["line 9", "column 'cadre_id'", "empty cadre_id"], None),
    ("unknown unit id", lambda df: _csv(_edit(0, "unit", "P.ministry_of_magic")(df)), ["line 2", "column 'unit'", "unknown unit 'P.ministry_of_magic'", "valid unit ids look like: P.party_standing"], None),
    ("unknown post kind", lambda df: _csv(_edit(2, "post", "chief")(df)), ["line 4", "column 'post'", "unknown post 'chief'", "head, deputy, division_head"], None),
    ("past retirement age at the start", lambda df: _csv(_edit(5, "birth", "1950-01")(df)), ["line 7", "column 'birth'", "cadre 'C00005' reached retirement age in 2010-01, before the start (2018-09)"], None),
    ("younger than 16 at the start", lambda df: _csv(_edit(5, "birth", "2010-01")(df)), ["line 7", "column 'birth'", "younger than 16 at the start"], None),
    ("more people than posts", lambda df: _csv(_overfill(df)), ["line 3", "column 'post'", "more people than posts", "has 1 'head' post(s)"], None),
    ("empty file", lambda df: b"", ["the roster file is empty"], None),
    ("header but no rows", lambda df: (",".join(df.columns) + "\n").encode(), ["the roster has a header but no cadres"], None),
    ("UTF-16 file", lambda df: df.to_csv(index=False).encode("utf-16"), ["line 1", "not UTF-8 text; save it as UTF-8 CSV"], None),
    ("latin-1 file", lambda df: _edit(6, "cadre_id", "Jos\u00e9")(df).to_csv(index=False).encode("latin-1"), ["line 8", "not UTF-8 text"], None),
    ("unknown home district", lambda df: _csv(_edit(2, "home_district", "XX")(df)), ["line 4", "column 'home_district'", "unknown district 'XX'", "valid: TB, QP"], None),
    ("bad sex", lambda df: _csv(_edit(2, "sex", "X")(df)), ["line 4", "column 'sex'", "sex 'X' must be M or F"], None),
    ("competence not a number", lambda df: _csv(_edit(2, "competence", "high")(df)), ["line 4", "column 'competence'", "'high' is not a number"], None),
    ("negative head_terms", lambda df: _csv(_edit(2, "head_terms", "-1")(df)), ["line 4", "column 'head_terms'", "'-1' is not a whole number >= 0"], None),
    ("entry after the start", lambda df: _csv(_edit(2, "entry", "2020-01")(df)), ["line 4", "column 'entry'", "2020-01 is after the start of the run (2018-09)"], None),
    # checks in sim/params/checks.py or sim/world/roster_checks.py
    ("row with extra fields", lambda df: _csv(df) + b"C99999,1970-01,M,P.organisation,specialist,TB,1993-01,2010-01,2010-01,0.1,0,extra\n", ["line 42", "12 fields, but the header has 11"], "roster"),
    ("semicolon-separated", lambda df: df.to_csv(index=False, sep=";").encode(), ["line 1", "';' as separator"], "roster"),
    ("column named twice", lambda df: _csv(df).replace(b",entry,", b",birth,", 1), ["line 1", "column birth appears more than once in the header"], "roster"),
    ("empty line inside the data", lambda df: _csv(df).replace(b"\n", b"\n\n", 3).replace(b"\n\n", b"\n", 2), ["line 4", "empty line inside the data"], "roster"),
    ("competence nan", lambda df: _csv(_edit(2, "competence", "nan")(df)), ["line 4", "column 'competence'", "not a finite number"], "roster"),
    ("entry before the 16th birthday", lambda df: _csv(_edit(2, "entry", df.loc[2, "birth"])(df)), ["line 4", "column 'entry'", "before the 16th birthday"], "roster"),
    ("post_since before entry", lambda df: _csv(_edit(2, "post_since", "1970-01")(df)), ["line 4", "column 'post_since'", "post_since 1970-01 is before entry"], "roster"),
    ("rank_since after post_since", lambda df: _csv(_edit(2, "rank_since", "2018-09")(_edit(2, "post_since", "2010-01")(df))), ["line 4", "column 'rank_since'", "rank_since 2018-09 is after post_since 2010-01"], "roster"),
    ("head_terms on a specialist", lambda df: _csv(_edit(_first_specialist(df), "head_terms", "2")(df)), ["column 'head_terms'", "given for a 'specialist' post"], "roster"),
    # GitHub issue 16
    ("competence 1e308", lambda df: _csv(_edit(2, "competence", "1e308")(df)), ["line 4", "column 'competence'", "competence 1e+308 is outside -10..10"], "roster"),
    ("head_terms beyond int64", lambda df: _csv(_edit(0, "head_terms", "99999999999999999999999")(df)), ["line 2", "column 'head_terms'", "more than 10 consecutive 5-year terms"], None),
    ("head_terms in non-ASCII digits", lambda df: _csv(_edit(0, "head_terms", "\u0661")(df)), ["line 2", "column 'head_terms'", "is not a whole number >= 0"], None),
    ("superscript head_terms", lambda df: _csv(_edit(0, "head_terms", "\u00b2")(df)), ["line 2", "column 'head_terms'", "is not a whole number >= 0"], None),
    ("birth in full-width digits", lambda df: _csv(_edit(3, "birth", "\uff11\uff19\uff17\uff10-\uff10\uff15")(df)), ["line 5", "column 'birth'", "write it with the digits 0-9"], None),
    ("competence with an underscore", lambda df: _csv(_edit(2, "competence", "1_5")(df)), ["line 4", "column 'competence'", "'1_5' is not a number"], None),
    ("a quoted field spanning lines, then a bad sex", lambda df: _csv(_edit(5, "sex", "X")(_edit(1, "cadre_id", "C0\n0001")(df))), ["line 8", "column 'sex'", "sex 'X' must be M or F"], "roster"),
]


@pytest.mark.parametrize("make,fragments,caught_by", [c[1:] for c in ROSTER_CASES], ids=[c[0] for c in ROSTER_CASES])
def test_bad_roster(run, tmp_path, request, roster_frame, make, fragments, caught_by):
    path = tmp_path / "roster.csv"
    path.write_bytes(make(roster_frame.copy()))
    out = run(f"roster={path}", SHORT)
    assert_user_error(out, str(path), *fragments)
    assert out.status == "failed"
    documented(request, out, tmp_path)


def test_the_roster_sample_itself_runs(run, tmp_path, roster_frame, no_figures):
    path = tmp_path / "roster.csv"
    path.write_bytes(_csv(roster_frame))
    out = run(f"roster={path}", SHORT)
    assert out.code == 0, out.stderr
    assert out.status == "complete"


# --------------------------------------------------------------------------- scenario actions
def _actions(*actions: str) -> str:
    return "scenario.actions=[" + ",".join(actions) + "]"


MERGE_OFFICES = "{kind:merge,month:'2019-05',level:province,units:[pc_office,council_office]}"
SCENARIO_CASES = [
    # (id, override, fragments, where it is caught: a key of CAUGHT_BY)
    ("unknown unit key", _actions("{kind:merge,month:'2019-05',level:province,units:[pc_office,nonesuch]}"), ["scenario action 1 (merge at 2019-05)", "unknown unit key(s) nonesuch", "valid: agencies_bloc"], None),
    ("unknown function tag", _actions("{kind:merge,month:'2019-05',level:province,functions:[nonesuch]}"), ["scenario action 1 (merge at 2019-05)", "unknown function tag(s) nonesuch", "valid: agriculture"], None),
    ("unknown action kind", _actions("{kind:explode,month:'2019-05'}"), ["action.kind = 'explode'", "concurrent_head, merge, split, abolish_level"], None),
    ("unknown action field", _actions("{kind:merge,month:'2019-05',units:[pc_office,council_office],bogus:1}"), ["Key 'bogus' not in 'ActionSpec'", "valid keys of ActionSpec"], None),
    ("month outside the horizon", _actions("{kind:merge,month:'2030-05',level:province,units:[pc_office,council_office]}"), ["scenario action 1 (merge at 2030-05)", "outside the horizon 2018-09..2019-06"], None),
    ("month not YYYY-MM", _actions("{kind:merge,month:'May 2019',units:[pc_office,council_office]}"), ["scenario action 1", "month: 'May 2019' is not a month in the form YYYY-MM"], None),
    ("deadline before the action", _actions("{kind:merge,month:'2019-05',units:[pc_office,council_office],deadline:'2019-01'}"), ["scenario action 1 (merge at 2019-05)", "deadline 2019-01 is before the action's month"], None),
    ("merging a unit merged away earlier", _actions(MERGE_OFFICES, "{kind:merge,month:'2019-06',level:province,units:[pc_office,na_office]}"), ["scenario action 2 (merge at 2019-06)", "unit P.pc_office does not exist at 2019-06", "merged into P.pc_office+council_office at 2019-05"], None),
    ("splitting what was never merged", _actions("{kind:split,month:'2019-05',level:province,units:[pc_office]}"), ["scenario action 1 (split at 2019-05)", "P.pc_office was never merged", "none yet"], None),
    ("split of two keys", _actions("{kind:split,month:'2019-05',units:[a,b]}"), ["scenario action 1 (split at 2019-05)", "exactly one unit key"], None),
    ("concurrent_head with 3 units", _actions("{kind:concurrent_head,month:'2019-05',level:province,units:[pc_office,council_office,na_office]}"), ["scenario action 1 (concurrent_head at 2019-05)", "pairs exactly 2 units in P", "found P.pc_office, P.council_office, P.na_office"], None),
    ("merge of one unit", _actions("{kind:merge,month:'2019-05',level:province,units:[pc_office]}"), ["scenario action 1 (merge at 2019-05)", "needs at least 2 units in P, found P.pc_office"], None),
    ("no units selected", _actions("{kind:merge,month:'2019-05'}"), ["scenario action 1 (merge at 2019-05)", "select units with 'units' (keys) or 'functions' (tags)"], None),
    ("unknown district code", _actions("{kind:merge,month:'2019-05',level:district,districts:[XX],units:[pc_office,party_office]}"), ["scenario action 1 (merge at 2019-05)", "unknown district code(s) XX", "valid: TB, QP"], None),
    ("more districts than exist", _actions("{kind:merge,month:'2019-05',level:district,districts:20,units:[pc_office,party_office]}"), ["districts = 20 but the organisation has only 8 districts"], None),
    ("abolish the province level", _actions("{kind:abolish_level,month:'2019-05',level:province}"), ["scenario action 1 (abolish_level at 2019-05)", "applies to level 'district' only"], None),
    ("negative deputies for a merged unit", _actions("{kind:merge,month:'2019-05',units:[pc_office,council_office],deputies:-1}"), ["action.deputies = -1 must be >= 0"], None),
    # checks in sim/params/checks.py or sim/world/roster_checks.py
    ("unit listed twice", _actions("{kind:merge,month:'2019-05',units:[pc_office,pc_office]}"), ["scenario action 1 (merge at 2019-05)", "units lists pc_office more than once"], "config"),
    ("district listed twice", _actions("{kind:merge,month:'2019-05',level:district,districts:[QP,QP],units:[pc_office,party_office]}"), ["scenario action 1 (merge at 2019-05)", "districts lists QP more than once"], "config"),
    ("districts with level province", _actions("{kind:merge,month:'2019-05',level:province,districts:[QP],units:[pc_office,council_office]}"), ["scenario action 1", "only used with level 'district' or 'both'"], "config"),
    ("new_key on a concurrent_head", _actions("{kind:concurrent_head,month:'2019-05',units:[pc_office,council_office],new_key:x}"), ["scenario action 1 (concurrent_head at 2019-05)", "new_key applies only to 'merge' actions"], "config"),
    ("units on abolish_level", _actions("{kind:abolish_level,month:'2019-05',level:district,units:[pc_office]}"), ["scenario action 1 (abolish_level at 2019-05)", "remove 'units' and 'functions'"], "config"),
    ("second concurrent head for a unit", _actions("{kind:concurrent_head,month:'2019-05',units:[pc_office,council_office]}", "{kind:concurrent_head,month:'2019-06',units:[na_office,council_office]}"), ["scenario action 2 (concurrent_head at 2019-06)", "P.council_office (the second unit) has no head post of its own since scenario action 1"], "plan"),
    # GitHub issue 16
    ("districts given as a bool", _actions("{kind:merge,month:'2019-05',level:district,districts:true,units:[pc_office,party_office]}"), ["scenario action 1 (merge at 2019-05)", "districts = True is not valid"], "config"),
    ("merged id a split would restore", _actions("{kind:merge,month:'2019-01',units:[pc_office,council_office],new_key:cd}", "{kind:merge,month:'2019-03',units:[na_office,party_office],new_key:pc_office}", "{kind:split,month:'2019-05',units:[cd]}"), ["scenario action 2 (merge at 2019-03)", "the merged unit's id P.pc_office is the id of a unit merged into P.cd at 2019-01", "choose another new_key"], None),
    ("abolishing a district twice", _actions("{kind:abolish_level,month:'2019-01',level:district,districts:[QP]}", "{kind:abolish_level,month:'2019-05',level:district,districts:[QP]}"), ["scenario action 2 (abolish_level at 2019-05)", "district QP has no units left at 2019-05"], "plan"),
]


@pytest.mark.parametrize("override,fragments,caught_by", [c[1:] for c in SCENARIO_CASES], ids=[c[0] for c in SCENARIO_CASES])
def test_bad_scenario_action(run, tmp_path, request, override, fragments, caught_by):
    out = run(SHORT, override)
    assert_user_error(out, *fragments)
    documented(request, out, tmp_path)


def test_bad_scenario_file(run, tmp_path):
    """A scenario YAML of one's own (via hydra.searchpath) is checked the same way."""
    confdir = tmp_path / "conf"
    (confdir / "scenario").mkdir(parents=True)
    scenario = {
        "name": "mine",
        "actions": [{"kind": "merge", "month": "2019-05", "level": "province", "units": ["pc_office", "nonesuch"]}],
    }
    (confdir / "scenario" / "mine.yaml").write_text(yaml.safe_dump(scenario))
    out = run(f"hydra.searchpath=[file://{confdir}]", "scenario=mine", SHORT)
    assert_user_error(out, "scenario action 1 (merge at 2019-05)", "unknown unit key(s) nonesuch")


# --------------------------------------------------------------------------- the message alone
@pytest.mark.parametrize("override", ["replications=0", f"roster={ROOT / 'no_such_roster.csv'}"])
def test_stderr_holds_only_the_message(run, override):
    out = run(SHORT, override)
    assert out.code == 2
    assert out.stderr.startswith("cadresim: error:"), out.stderr


def test_traceback_on_request(run, monkeypatch):
    """CADRESIM_TRACEBACK=1 re-raises the error instead of the one-line message."""
    monkeypatch.setenv("CADRESIM_TRACEBACK", "1")
    out = run("replications=0", SHORT)
    assert out.code == "uncaught ConfigError"
    assert "replications = 0 must be >= 1" in out.stderr


def test_in_process_matches_a_real_subprocess(run, tmp_path):
    """A real `python -m experiments.run` given a bad input exits with code 2 and the one
    message, no traceback, and the in-process harness reports the same message."""
    confdir = tmp_path / "conf"
    (confdir / "org").mkdir(parents=True)
    (confdir / "org" / "bad.yaml").write_text(yaml.safe_dump(_variant(_set("districts", 1, code="AA"))))
    args = [f"hydra.searchpath=[file://{confdir}]", "org=bad", SHORT]
    run_dir = tmp_path / "sub"
    sub = Outcome.of(cli("experiments.run", f"hydra.run.dir={run_dir}", *args), run_dir)
    here = run(*args)
    assert_user_error(sub, "org.districts", "duplicate district code(s) AA")
    assert_user_error(here, "org.districts", "duplicate district code(s) AA")
    assert sub.stderr.startswith("cadresim: error:"), sub.stderr  # Hydra's own line is dropped
    assert sub.message == here.message


# --------------------------------------------------------------------------- docs/bad_inputs.md
DOC = ROOT / "docs" / "bad_inputs.md"
REFRESH = os.environ.get("CADRESIM_REFRESH_DOCS") == "1"
MESSAGE_CUT = 300  # characters of a message shown in the table
CAUGHT_BY = {
    None: "schema or loader",
    "config": "`check_config` (1)",
    "plan": "`check_plan` (2)",
    "roster": "`load_roster_checked` (3)",
    "yaml": "`run_cli` (4)",
}
# the tables of the page, in order; rows are numbered through all four
GROUPS = {
    "test_bad_config": ("config", [(c[0], f"{c[0]}: `{c[1]}`", None) for c in CONFIG_CASES]),
    "test_bad_organisation_file": ("org", [(c[0], c[0], c[3]) for c in ORG_CASES]),
    "test_bad_roster": ("roster", [(c[0], c[0], c[3]) for c in ROSTER_CASES]),
    "test_bad_scenario_action": (
        "scenario",
        [(c[0], f"{c[0]}: `{c[1].removeprefix('scenario.actions=')}`", c[3]) for c in SCENARIO_CASES],
    ),
}
NUMBERED = [(group, *case) for group, cases in GROUPS.values() for case in cases]
ROW = re.compile(r"^\| (\d+) \| ")
RECORDED: dict[int, str] = {}  # refresh mode: number -> row as the run gave it


def _doc_rows(text: str) -> dict[int, str]:
    return {int(m.group(1)): line for line in text.splitlines() if (m := ROW.match(line))}


def _shown(outcome: Outcome, tmp_path: Path) -> str:
    """The message as the page shows it: after the prefix, <tmp> for the test's folder,
    ⏎ for line breaks, cut at MESSAGE_CUT characters."""
    text = outcome.message.removeprefix("cadresim: error:").replace(str(tmp_path), "<tmp>")
    text = " ⏎ ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    text = text.replace("|", "\\|")
    return text if len(text) <= MESSAGE_CUT else text[:MESSAGE_CUT].rstrip() + " …"


def documented(request, outcome: Outcome, tmp_path: Path) -> None:
    """This case's row of docs/bad_inputs.md is what the run gave (or, when refreshing,
    becomes it)."""
    case_id = request.node.callspec.id
    group = GROUPS[request.node.originalname][0]
    i, (_, _, cell, caught) = next((k, case) for k, case in enumerate(NUMBERED) if case[0] == group and case[1] == case_id)
    folder = "not created" if outcome.status is None else f"`{outcome.status}`"
    row = f"| {i + 1} | {cell} | {_shown(outcome, tmp_path)} | {outcome.code} | {folder} | {CAUGHT_BY[caught]} |"
    if REFRESH:
        RECORDED[i + 1] = row
        return
    on_page = _doc_rows(DOC.read_text()).get(i + 1)
    assert on_page == row, (
        f"docs/bad_inputs.md row {i + 1} differs from the run:\n  page: {on_page}\n  run:  {row}\n"
        "if the change is meant, refresh the page: CADRESIM_REFRESH_DOCS=1 .venv/bin/python -m pytest -q tests/test_bad_inputs.py"
    )


def _counts() -> str:
    by_model = sum(1 for case in NUMBERED if case[3] is None)
    return f"**{len(NUMBERED)} bad inputs**: {by_model} caught by the schema and the loaders, {len(NUMBERED) - by_model} by the extra checks"


COUNTS = re.compile(r"\*\*\d+ bad inputs\*\*: \d+ caught by the schema and the loaders, \d+ by the extra checks")


MARKER = re.compile(r"^<!-- cases: (\w+) -->$")


@pytest.fixture(scope="module", autouse=True)
def _refresh_the_page():
    """In refresh mode, write the rows the cases gave into docs/bad_inputs.md once they
    have all run (a partial run would leave holes, so it writes nothing). Each group's
    rows go into the table under its ``<!-- cases: <group> -->`` line."""
    yield
    if not REFRESH:
        return
    if len(RECORDED) != len(NUMBERED):
        missing = [NUMBERED[n - 1][1] for n in range(1, len(NUMBERED) + 1) if n not in RECORDED]
        print(f"\ndocs/bad_inputs.md not refreshed: {len(missing)} case(s) did not run or failed: {missing}")
        return
    out, group = [], None
    for line in DOC.read_text().splitlines():
        if ROW.match(line):
            continue  # every row is written anew below its table's header
        out.append(COUNTS.sub(_counts(), line))
        if m := MARKER.match(line):
            group = m.group(1)
        elif group is not None and line.startswith("|---"):
            out.extend(RECORDED[n] for n in sorted(RECORDED) if NUMBERED[n - 1][0] == group)
            group = None
    DOC.write_text("\n".join(out) + "\n")


@pytest.mark.skipif(REFRESH, reason="the page is being rewritten by this run")
def test_the_page_lists_every_case_once_in_order():
    text = DOC.read_text()
    rows = _doc_rows(text)
    assert sorted(rows) == list(range(1, len(NUMBERED) + 1)), "docs/bad_inputs.md has rows missing or extra"
    for n, (_, case_id, cell, _) in enumerate(NUMBERED, start=1):
        assert rows[n].startswith(f"| {n} | {cell} | "), (n, case_id, rows[n])
    assert _counts() in text
    markers = [m.group(1) for line in text.splitlines() if (m := MARKER.match(line))]
    assert markers == [group for group, _ in GROUPS.values()], "each table needs its <!-- cases: <group> --> line"


# --------------------------------------------------------------------------- the checks called directly
def test_checks_accept_every_shipped_scenario_and_the_default_org():
    from sim.restructuring import plan
    from sim.world.org import Org

    names = scenario_names()
    assert {"baseline", "all_pilots", "merge_offices"} <= set(names)
    for name in names:
        cfg = sim.load_config([f"scenario={name}"])
        check_config(cfg)
        org = Org(cfg.org)
        check_plan(cfg, org, plan(cfg, org, np.random.default_rng(0)))


@pytest.mark.parametrize(
    "actions,fragment",
    [
        ([{"kind": "merge", "month": "2019-01", "units": ["office", "office"]}], "units lists office more than once"),
        ([{"kind": "merge", "month": "2019-01", "functions": ["office", "office"]}], "functions lists office more than once"),
        ([{"kind": "merge", "month": "2019-01", "level": "district", "districts": ["AA", "AA"], "units": ["committee", "division"]}], "districts lists AA more than once"),
        ([{"kind": "merge", "month": "2019-01", "level": "district", "districts": [], "units": ["committee", "division"]}], "districts is an empty list"),
        ([{"kind": "merge", "month": "2019-01", "districts": 1, "units": ["office", "board"]}], "only used with level 'district' or 'both'"),
        ([{"kind": "split", "month": "2019-01", "units": ["x"], "functions": ["office"]}], "'functions' is not used"),
        ([{"kind": "abolish_level", "month": "2019-01", "level": "district", "functions": ["office"]}], "remove 'units' and 'functions'"),
        ([{"kind": "concurrent_head", "month": "2019-01", "units": ["office", "board"], "deputies": 2}], "deputies applies only to 'merge'"),
    ],
)
def test_check_actions_messages(actions, fragment):
    with pytest.raises(ConfigError, match="scenario action 1") as info:
        check_actions([ActionSpec(**a) for a in actions], n_districts=2)
    assert fragment in str(info.value)


def test_check_actions_needs_districts_for_district_level():
    with pytest.raises(ConfigError, match="level 'district' but the organisation has no districts"):
        check_actions([ActionSpec(kind="abolish_level", month="2019-01", level="district")], n_districts=0)


@pytest.mark.parametrize(
    "code,fragment",
    [("P", "reserved for the province"), ("A.B", "without dots or spaces"), ("", "without dots or spaces"), ("Q P", "without dots")],
)
def test_check_org_config_district_codes(code, fragment):
    org = _tiny_org()
    org.districts[1] = DistrictSpec(code=code, name="x")
    with pytest.raises(ConfigError, match=r"org\.districts\[1\]\.code") as info:
        check_org_config(org)
    assert fragment in str(info.value)


def _plan(actions):
    from sim.restructuring import plan
    from sim.world.org import Org

    cfg = dataclasses.replace(
        sim.load_config([SHORT]),
        org=_tiny_org(),
        scenario=ScenarioConfig(actions=[ActionSpec(**a) for a in actions]),
    )
    org = Org(cfg.org)
    planned = plan(cfg, org, np.random.default_rng(0))
    check_plan(cfg, org, planned)
    return planned


def test_check_plan_messages():
    ch = {"kind": "concurrent_head", "month": "2019-01", "units": ["office", "board"]}
    with pytest.raises(ConfigError, match=r"action 2 .*P\.board \(the first unit\) has no head post of its own since scenario action 1"):
        _plan([ch, {"kind": "concurrent_head", "month": "2019-02", "units": ["board", "top"]}])
    with pytest.raises(ConfigError, match=r"action 2 .*district AA has no units left at 2019-03"):
        _plan([
            {"kind": "abolish_level", "month": "2019-01", "level": "district", "districts": ["AA"]},
            {"kind": "abolish_level", "month": "2019-03", "level": "district", "districts": ["AA"]},
        ])
    # a split gives the restored units their own head posts back: a new pairing is fine
    planned = _plan([
        ch,
        {"kind": "merge", "month": "2019-02", "units": ["office", "board"], "new_key": "ob"},
        {"kind": "split", "month": "2019-03", "units": ["ob"]},
        {"kind": "concurrent_head", "month": "2019-04", "units": ["office", "board"]},
    ])
    assert [pa.spec.kind for pa in planned] == ["concurrent_head", "merge", "split", "concurrent_head"]


def test_check_population_accepts_synthetic_rosters(tmp_path):
    """The checks never reject what the synthetic generator writes (several seeds)."""
    from sim.world.org import Org

    cfg = sim.load_config([SHORT])
    org = Org(cfg.org)
    for seed in range(3):
        path = tmp_path / f"r{seed}.csv"
        sim.synthetic_roster(cfg, seed=seed).to_csv(path, index=False)
        pop = load_roster_checked(path, Org(cfg.org), cfg, np.random.default_rng(seed))
        assert len(pop) > 3000
    assert org.n_posts > len(pop)
