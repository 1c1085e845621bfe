"""docs/parameters.md is generated from the schema and the default YAML and kept current."""

import dataclasses
import importlib.util
import sys
import textwrap

import yaml

import sim.params.schema
from sim.params.paramdoc import CONFIG_DIR, DOC_PATH, render, schema_comments, yaml_comments


def test_parameters_doc_is_current():
    expected = render()
    current = DOC_PATH.read_text() if DOC_PATH.exists() else ""
    assert current == expected, (
        "docs/parameters.md is out of date with sim/params/schema.py or configs/: "
        "run `.venv/bin/python scripts/make_param_docs.py` and commit the result"
    )


def _leaf_keys(cls, prefix=""):
    """Dotted keys of every field reachable from cls (list entries as key[])."""
    import typing

    hints = typing.get_type_hints(cls, vars(sim.params.schema))
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        args = typing.get_args(tp)
        inner = args[0] if typing.get_origin(tp) is list and args else tp
        if dataclasses.is_dataclass(inner):
            suffix = "[]" if inner is not tp else ""
            yield from _leaf_keys(inner, f"{prefix}{f.name}{suffix}.")
        else:
            yield prefix, f.name


def test_every_schema_field_has_a_row():
    text = render()
    sections = {}
    for block in text.split("\n## ")[1:]:
        title = block.split("\n", 1)[0]
        sections[title.split(" (")[0].strip("`")] = block
    for prefix, name in _leaf_keys(sim.params.schema.SimConfig):
        key = prefix.rstrip(".") or "Top level"
        block = sections[key]
        if "Same fields as" in block:
            block = sections[block.split("Same fields as `")[1].split("`")[0]]
        assert f"| `{name}` |" in block, f"{key}.{name} missing from docs/parameters.md"


def test_rows_carry_the_schema_comment_and_the_yaml_value_and_comment():
    text = render()
    policy = yaml.safe_load((CONFIG_DIR / "policy" / "default.yaml").read_text())
    line = next(r for r in text.splitlines() if r.startswith("| `fill_probability_leader` |"))
    cells = [c.strip() for c in line.split("|")[1:-1]]
    assert cells[2] == f"`{sim.params.schema.VacancySpec().fill_probability_leader}`"
    assert (
        cells[3]
        == schema_comments((CONFIG_DIR.parent / "sim" / "params" / "schema.py").read_text())[0][
            ("VacancySpec", "fill_probability_leader")
        ]
    )
    assert cells[4] == f"`{policy['vacancy']['fill_probability_leader']}`"
    notes = yaml_comments((CONFIG_DIR / "policy" / "default.yaml").read_text())
    assert cells[5] == notes["vacancy.fill_probability_leader"] and "estimate" in cells[5]


def test_yaml_comments_inline_quoted_and_preceding():
    text = textwrap.dedent(
        """\
        # file header, not a key's comment
        a: 1  # inline
        name: "x # not a comment"  # after the quote
        b:
          # about c, line 1
          # line 2
          c: [1, 2]
          d: 3

          e: 4
        """
    )
    notes = yaml_comments(text)
    assert notes == {"a": "inline", "name": "after the quote", "b.c": "about c, line 1 line 2"}


def test_a_new_dataclass_is_documented_without_changing_the_generator(tmp_path):
    source = textwrap.dedent(
        '''\
        from dataclasses import dataclass, field

        @dataclass
        class NewSpec:
            """A spec added later."""

            rate: float = 0.1  # per year (estimate)
            ages: list[int] = field(
                default_factory=lambda: [20, 30]
            )  # years, lower bounds

        @dataclass
        class Unused:
            x: int = 1

        @dataclass
        class SimConfig:
            seed: int = 0  # root seed
            new: NewSpec = field(default_factory=NewSpec)
        '''
    )
    py = tmp_path / "fake_config.py"
    py.write_text(source)
    spec = importlib.util.spec_from_file_location("fake_config", py)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_config"] = module  # dataclasses resolve string annotations through it
    try:
        spec.loader.exec_module(module)
        configs = tmp_path / "configs"
        (configs / "new").mkdir(parents=True)
        (configs / "config.yaml").write_text("defaults:\n  - new: standard\n  - _self_\nseed: 4\n")
        (configs / "new" / "standard.yaml").write_text("rate: 0.2  # survey 2020\n")
        text = render(py, configs, module)
    finally:
        del sys.modules["fake_config"]
    assert "## `new` (NewSpec)" in text and "A spec added later." in text
    assert "| `rate` | `float` | `0.1` | per year (estimate) | `0.2` | survey 2020 |" in text
    assert "| `ages` | `list[int]` | `[20, 30]` | years, lower bounds |" in text
    assert "| `seed` | `int` | `0` | root seed | `4` |" in text
    assert "`Unused`" in text  # not reachable from SimConfig, but listed
