"""docs/parameters.md is generated from the schema's field declarations and kept current."""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import sim.params.schema
from sim.params import paramdoc
from sim.params.declare import info
from sim.params.schema import SimConfig, VacancySpec
from sim.params.search import CONFIG_DIR

ROOT = Path(__file__).resolve().parent.parent


def test_parameters_doc_is_current():
    assert paramdoc.is_current(), (
        "docs/parameters.md is out of date with the schema (sim/params/schema*.py) or configs/: "
        "run `.venv/bin/python scripts/make_param_docs.py` and commit the result"
    )


def test_a_stale_page_is_caught(tmp_path):
    stale = tmp_path / "parameters.md"
    stale.write_text(paramdoc.render().replace("probability per month", "per month", 1))
    assert not paramdoc.is_current(stale)
    assert not paramdoc.is_current(tmp_path / "missing.md")
    script = ROOT / "scripts" / "make_param_docs.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--check", "--doc", str(stale)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 1 and "out of date" in proc.stderr


def _leaf_fields(cls, prefix=""):
    """(section key, field) of every non-section field reachable from cls (list entries as key[])."""
    own = sys.modules[cls.__module__]
    hints = typing.get_type_hints(cls, vars(own))
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        args = typing.get_args(tp)
        inner = args[0] if typing.get_origin(tp) is list and args else tp
        if dataclasses.is_dataclass(inner):
            suffix = "[]" if inner is not tp else ""
            if suffix:
                yield prefix.rstrip("."), f
            yield from _leaf_fields(inner, f"{prefix}{f.name}{suffix}.")
        else:
            yield prefix.rstrip("."), f


def _sections(text: str) -> dict[str, str]:
    out = {}
    for block in text.split("\n## ")[1:]:
        title = block.split("\n", 1)[0]
        out[title.split(" (")[0].strip("`")] = block
    return out


def _row(text: str, name: str) -> list[str]:
    line = next(r for r in text.splitlines() if r.startswith(f"| `{name}` |"))
    return [c.strip() for c in line.split("|")[1:-1]]


def test_every_schema_field_has_a_row():
    sections = _sections(paramdoc.render())
    for key, f in _leaf_fields(SimConfig):
        block = sections[key or "Top level"]
        if "Same fields as" in block:
            block = sections[block.split("Same fields as `")[1].split("`")[0]]
        assert f"| `{f.name}` |" in block, f"{key}.{f.name} missing from docs/parameters.md"


def test_a_row_shows_the_declared_default_unit_and_source():
    block = _sections(paramdoc.render())["policy.vacancy"]
    cells = _row(block, "fill_probability_leader")
    declared = info(next(f for f in dataclasses.fields(VacancySpec) if f.name == "fill_probability_leader"))
    assert cells[2] == f"`{VacancySpec().fill_probability_leader}`"
    assert cells[3] == declared["unit"] == "probability per month"
    assert declared["source"] in cells[4] and "estimate" in cells[4] and "in [0, 1]" in cells[4]
    assert cells[5] == ""  # no YAML sets it: the schema default applies


def test_a_yaml_override_names_its_file_and_value():
    block = _sections(paramdoc.render())["org.population"]
    cells = _row(block, "women_share_by_rank")
    assert cells[5] == "`configs/org/thai_binh_2018.yaml`: `[0.45, 0.32, 0.26, 0.209, 0.154, 0.13, 0.143]`"
    assert "one per rank 0..6" in cells[3]


def test_choices_are_listed():
    cells = _row(_sections(paramdoc.render())["policy.selection"], "rule")
    assert "one of `merit`, `seniority`, `random`" in cells[4]


def test_yaml_settings_read_packages_and_skip_hydra_groups():
    settings = paramdoc.yaml_settings(CONFIG_DIR)
    assert ("configs/experiment/sensitivity.yaml", 20) in settings["sensitivity.samples"]  # @package _global_
    assert "payroll.cuts" not in settings and "policy.payroll.cuts" in settings
    assert not any(k.startswith(("hydra", "timeout_min", "defaults")) for k in settings)


def test_a_new_section_is_documented_without_changing_the_generator(tmp_path):
    source = textwrap.dedent(
        '''\
        from __future__ import annotations

        from dataclasses import dataclass

        from sim.params.declare import PROBABILITY, par, section


        @dataclass
        class NewSpec:
            """A spec added later."""

            rate: float = par(0.1, unit="probability per year", check=PROBABILITY, source="estimate")
            ages: list[int] = par([20, 30], unit="years", doc="lower bounds")


        @dataclass
        class SimConfig:
            seed: int = par(0, doc="root seed")
            new: NewSpec = section(NewSpec)
        '''
    )
    py = tmp_path / "fake_schema.py"
    py.write_text(source)
    spec = importlib.util.spec_from_file_location("fake_schema", py)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_schema"] = module  # dataclasses resolve string annotations through it
    try:
        spec.loader.exec_module(module)
        configs = tmp_path / "configs"
        (configs / "new").mkdir(parents=True)
        (configs / "config.yaml").write_text("defaults:\n  - new: standard\n  - _self_\nseed: 4\n")
        (configs / "new" / "standard.yaml").write_text("rate: 0.2\nages: [20, 30]\n")
        text = paramdoc.render(module, configs)
    finally:
        del sys.modules["fake_schema"]
    assert "## `new` (NewSpec)" in text and "A spec added later." in text
    assert (
        "| `rate` | `float` | `0.1` | probability per year | in [0, 1]. Source: estimate | `configs/new/standard.yaml`: `0.2` |"
        in text
    )
    assert "| `ages` | `list[int]` | `[20, 30]` | years | lower bounds |  |" in text  # same as the default: not listed
    assert "| `seed` | `int` | `0` |  | root seed | `configs/config.yaml`: `4` |" in text


def test_schema_module_is_the_default():
    assert paramdoc.render() == paramdoc.render(sim.params.schema, CONFIG_DIR)
