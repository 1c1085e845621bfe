"""Every parameter is declared once: default, unit and source on the schema field; the
YAML files hold only data and what differs from those defaults."""

from __future__ import annotations

import dataclasses
import re
import sys
import typing

import pytest

from sim.core.errors import ConfigError
from sim.params import paramdoc
from sim.params.declare import NONNEG, PROBABILITY, check_declared, default_of, info, par
from sim.params.schema import ExitSpec, PolicyConfig, PoolSpec, PopulationSpec, SimConfig, UnitSpec
from sim.params.search import CONFIG_DIR


def _walk(cls, prefix=""):
    """(dotted key, class, field, is a list of sections) for every field reachable from cls."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        tp = hints[f.name]
        args = typing.get_args(tp)
        inner = args[0] if typing.get_origin(tp) is list and args else tp
        yield key, cls, f, dataclasses.is_dataclass(inner) and inner is not tp
        if dataclasses.is_dataclass(inner):
            yield from _walk(inner, f"{key}{'[]' if inner is not tp else ''}.")


ALL = list(_walk(SimConfig))
# the model's parameters (policy and the synthetic population); dated payroll cuts are data entries
PARAMETERS = [
    (k, f)
    for k, cls, f, is_list in ALL
    if k.startswith(("policy.", "org.population."))
    and not k.startswith("policy.payroll.cuts[]")
    and not is_list
    and not dataclasses.is_dataclass(default_of(f))
]


def test_every_field_is_declared():
    undeclared = [k for k, _, f, _ in ALL if not f.metadata]
    assert not undeclared, f"fields without par(...) or section(...): {undeclared}"


@pytest.mark.parametrize("key,f", PARAMETERS, ids=[k for k, _ in PARAMETERS])
def test_every_parameter_has_a_source(key, f):
    assert info(f)["source"], f"{key}: give its source (a legal text, a publication) or the word 'estimate'"


@pytest.mark.parametrize("key,f", PARAMETERS, ids=[k for k, _ in PARAMETERS])
def test_every_number_has_a_unit(key, f):
    value = default_of(f)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    numeric = numeric or (isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value))
    if numeric:
        assert info(f)["unit"], f"{key}: give its unit"


def test_sources_cite_texts_not_the_brief():
    cited = [(k, info(f)["source"]) for k, _, f, _ in ALL if re.search(r"\bbrief\b", info(f)["source"], re.I)]
    assert not cited
    in_yaml = [p for p in CONFIG_DIR.rglob("*.yaml") if re.search(r"\bBRIEF\b", p.read_text(encoding="utf-8"))]
    assert not in_yaml


def test_yaml_holds_only_what_differs_from_the_schema():
    """No YAML file outside the data groups (scenarios) repeats a schema default."""
    defaults = {k: default_of(f) for k, _, f, _ in ALL if "[]" not in k}
    repeated = [
        (where, key)
        for key, found in paramdoc.yaml_settings(CONFIG_DIR).items()
        for where, value in found
        if not where.startswith("configs/scenario/") and key in defaults and value == defaults[key]
    ]
    assert not repeated, f"these YAML values repeat the schema default: {repeated}"


def test_the_policy_file_holds_only_data():
    settings = paramdoc.yaml_settings(CONFIG_DIR)
    from_policy = sorted(k for k, found in settings.items() for w, _ in found if w == "configs/policy/default.yaml")
    assert from_policy == ["policy.payroll.cuts"]


def test_a_list_default_is_a_fresh_copy():
    a, b = PopulationSpec(), PopulationSpec()
    a.age_mean_by_rank[0] = 99
    assert b.age_mean_by_rank[0] == 40 and PopulationSpec().age_mean_by_rank[0] == 40


def test_declared_checks_keep_their_messages():
    with pytest.raises(ConfigError, match=r"^policy\.pool\.women_target = 2 is not a probability in \[0, 1\]$"):
        PoolSpec(women_target=2)
    with pytest.raises(
        ConfigError,
        match=r"^policy\.pool\.choice = 'lottery' is not valid; choose one of: merit, seniority, random, mixed$",
    ):
        PoolSpec(choice="lottery")
    with pytest.raises(ConfigError, match=r"^policy\.exits\.rank_multipliers\[2\] = -1 must be >= 0$"):
        ExitSpec(rank_multipliers=[1, 1, -1, 1, 1, 1, 1])
    with pytest.raises(
        ConfigError, match=r"^policy\.exits\.rank_multipliers needs 7 values \(one per rank 0\.\.6\), got 2$"
    ):
        ExitSpec(rank_multipliers=[1, 2])
    with pytest.raises(ConfigError, match=r"^unit 'x'\.sector = 'army' is not valid"):
        UnitSpec(key="x", sector="army")
    with pytest.raises(ConfigError, match=r"^org\.population\.women_share_by_rank\[6\] = 1\.5 is not a probability"):
        PopulationSpec(women_share_by_rank=[0.5] * 6 + [1.5])
    with pytest.raises(ConfigError, match=r"^workers = -1 must be >= 0$"):
        check_declared(_Top(-1), "")  # top level: the key alone


@dataclasses.dataclass
class _Top:
    workers: int = par(0, check=NONNEG)


def test_par_refuses_an_unknown_check():
    with pytest.raises(ValueError, match="check = 'positive'"):
        par(1, check="positive")
    assert par(0.5, check=PROBABILITY).metadata["check"] == PROBABILITY


def test_a_policy_section_is_documented_by_its_declarations():
    # the doc page and the schema read the same declaration
    f = next(f for f in dataclasses.fields(PolicyConfig) if f.name == "retirement_rule")
    assert info(f)["choices"] == ("decree_135", "labour_code_2012")
    assert "Labour Code 2019 art. 169" in info(f)["source"] and "Decree 135/2020 art. 4" in info(f)["source"]
