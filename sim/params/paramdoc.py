"""The parameters reference (docs/parameters.md), generated from the schema's declarations.

Every dataclass field reachable from :class:`sim.params.schema.SimConfig` becomes a row:
its dotted key, type, default, unit, and source and meaning, all read from the field's
declaration (``sim/params/declare.py``), and the YAML files under ``configs/`` that set
it to something else, with their value. Nothing here is written by hand and no comment
is parsed, so the page cannot drift from the code: ``scripts/make_param_docs.py``
rewrites it and a test checks that it is current.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from pathlib import Path

import yaml

from sim.core.vocabulary import N_RANKS
from sim.params.declare import default_of, info
from sim.params.search import CONFIG_DIR

ROOT = Path(__file__).resolve().parents[2]
DOC_PATH = ROOT / "docs" / "parameters.md"
_MISSING = dataclasses.MISSING


# --------------------------------------------------------------------------- the YAML side
def _package_of(path: Path, config_dir: Path) -> str | None:
    """The key prefix a config file is merged at: its group path, ``""`` for the entry
    config and ``# @package _global_`` files, None for Hydra's own groups."""
    rel = path.relative_to(config_dir)
    group = ".".join(rel.parts[:-1])
    if group.split(".")[0] == "hydra":
        return None
    first = path.read_text(encoding="utf-8").lstrip().splitlines()[:1]
    if first and first[0].replace(" ", "").startswith("#@package"):
        package = first[0].split("@package", 1)[1].strip()
        return "" if package == "_global_" else package
    return "" if rel.parts == ("config.yaml",) else group


def _leaves(data, prefix: str):
    """(dotted key, value) of every value below a mapping; lists are values."""
    for k, v in data.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict):
            yield from _leaves(v, key)
        else:
            yield key, v


def yaml_settings(config_dir: Path = CONFIG_DIR) -> dict[str, list[tuple[str, object]]]:
    """{dotted key: [(file relative to the configs' parent, value), ...]} for every value
    a YAML file under ``config_dir`` sets (the ``defaults`` list and Hydra's keys aside)."""
    out: dict[str, list[tuple[str, object]]] = {}
    for path in sorted(Path(config_dir).rglob("*.yaml")):
        package = _package_of(path, Path(config_dir))
        if package is None:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data = {k: v for k, v in data.items() if k not in ("defaults", "hydra")}
        where = path.relative_to(Path(config_dir).parent).as_posix()
        for key, value in _leaves(data, package):
            out.setdefault(key, []).append((where, value))
    return out


def default_files(config_dir: Path = CONFIG_DIR) -> list[str]:
    """The files of the default configuration: config.yaml and each group default it names."""
    main = Path(config_dir) / "config.yaml"
    out = [main]
    for entry in (yaml.safe_load(main.read_text(encoding="utf-8")) or {}).get("defaults", []):
        if isinstance(entry, dict):
            for group, choice in entry.items():
                f = Path(config_dir) / group / f"{choice}.yaml"
                if not group.startswith("override") and f.exists():
                    out.append(f)
    return [f.relative_to(Path(config_dir).parent).as_posix() for f in out]


# --------------------------------------------------------------------------- formatting
def fmt_value(v) -> str:
    """A value as it would be written in YAML, compactly."""
    if v is _MISSING:
        return ""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return "(required)" if v == "???" else v
    if isinstance(v, (list, tuple)):
        if v and all(isinstance(x, dict) or dataclasses.is_dataclass(x) for x in v):
            return f"{len(v)} entries"
        return "[" + ", ".join(fmt_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {fmt_value(x)}" for k, x in v.items()) + "}"
    return repr(v)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def _type_name(tp) -> str:
    """An annotation as written: strings (postponed annotations) as they are, classes by name."""
    if isinstance(tp, str):
        return tp
    if isinstance(tp, type) and not typing.get_args(tp):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _nested(tp) -> tuple[type | None, bool]:
    """(dataclass inside the annotation, is it a list of them)."""
    if dataclasses.is_dataclass(tp):
        return tp, False
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and args and dataclasses.is_dataclass(args[0]):
        return args[0], True
    return None, False


def _hints(cls, module) -> dict:
    """Resolved annotations of ``cls``, through its own module (the schema is split over
    several) or, for a module not in ``sys.modules``, through ``module``."""
    own = sys.modules.get(cls.__module__)
    return typing.get_type_hints(cls, vars(own) if own is not None else vars(module))


def _notes(f: dataclasses.Field) -> str:
    """The source/notes cell: the meaning, the valid values or range, the source."""
    d = info(f)
    parts = [d["doc"]] if d["doc"] else []
    if d["choices"]:
        parts.append("one of " + ", ".join(f"`{c}`" for c in d["choices"]))
    if d["check"] == "probability":
        parts.append("in [0, 1]")
    elif d["check"] == "nonneg":
        parts.append(">= 0")
    text = "; ".join(parts)
    if d["source"]:
        text = f"{text}. Source: {d['source']}" if text else f"Source: {d['source']}"
    return text


def _unit(f: dataclasses.Field) -> str:
    d = info(f)
    return ", ".join(x for x in (d["unit"], f"one per rank 0..{N_RANKS - 1}" if d["per_rank"] else "") if x)


def _set_in(settings: list[tuple[str, object]], default) -> str:
    """Where YAML files set the key to something other than the default (a group's many
    files are counted, not listed)."""
    differing = [(w, v) for w, v in settings if v != default]
    if not differing:
        return ""
    by_dir: dict[str, list[tuple[str, object]]] = {}
    for w, v in differing:
        by_dir.setdefault(w.rsplit("/", 1)[0], []).append((w, v))
    out = []
    for folder, items in by_dir.items():
        if len(items) > 2:
            out.append(f"{len(items)} files in `{folder}/`")
        else:
            out += [f"`{w}`: {_code(fmt_value(v))}" for w, v in items]
    return "; ".join(out)


# --------------------------------------------------------------------------- the page
_HEAD = """# Parameters reference

<!-- Generated by scripts/make_param_docs.py from the schema (sim/params/schema*.py) and configs/.
     Do not edit: change a field's declaration or the YAML and rerun the script (a test
     fails if this page is stale). -->

Every configuration key with its type, default, unit, and meaning and source, as declared
once on the schema field (`par(default, unit=..., source=..., doc=...)` in
`sim/params/schema*.py`). The last column names the YAML files under `configs/` that set
the key to another value, and that value; the default configuration composes
{files}. Override any key on the command line or in `sim.load_config`, e.g.
`policy.vacancy.fill_probability_leader=0.3`. "(required)" marks a field without a
default that a YAML file must set; lists of sections (units, districts, scenario actions,
sensitivity parameters, payroll cuts) are described once per entry, followed by the
entries the default configuration gives.
"""
_TABLE = ["| key | type | default | unit | source, notes | set in YAML |", "|---|---|---|---|---|---|"]


def render(module=None, config_dir: Path = CONFIG_DIR) -> str:
    """The Markdown text of docs/parameters.md for the schema ``module`` (default
    :mod:`sim.params.schema`) and the YAML files under ``config_dir``."""
    if module is None:
        import sim.params.schema as module

    config_dir = Path(config_dir)
    settings = yaml_settings(config_dir)
    defaults = set(default_files(config_dir))
    sections: list[str] = []
    visited: dict[type, str] = {}

    def entries_block(cls, key: str) -> list[str]:
        """The default configuration's entries of a list of sections, schema defaults filled in."""
        found = [(w, v) for w, v in settings.get(key[:-2], []) if isinstance(v, list) and v]
        in_default = [(w, v) for w, v in found if w in defaults]
        if in_default:
            found = in_default
        if len(found) != 1 or "[]" in key[:-2]:
            return []
        where, items = found[0]
        fdefaults = {f.name: default_of(f) for f in dataclasses.fields(cls)}
        cols = [n for n in fdefaults if any(n in e for e in items)]
        label = "the default configuration" if where in defaults else "the only file that sets them"
        lines = ["", f"Entries in {label} (`{where}`):", ""]
        lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(_cell(fmt_value({**fdefaults, **e}.get(c))) for c in cols) + " |" for e in items]
        return lines

    def walk(cls, key: str, in_list: bool) -> None:
        title = f"`{key}`" if key else "Top level"
        if cls in visited:  # e.g. UnitSpec for province and district units
            lines = [f"## {title} ({cls.__name__})", "", f"Same fields as `{visited[cls]}`."]
            sections.append("\n".join(lines + entries_block(cls, key)))
            return
        visited[cls] = key
        hints = _hints(cls, module)
        rows, later = [], []
        for f in dataclasses.fields(cls):
            full = f"{key}.{f.name}" if key else f.name
            sub, is_list = _nested(hints.get(f.name))
            if sub is not None:
                later.append((sub, full + ("[]" if is_list else ""), in_list or is_list))
                if not is_list:
                    continue
            default = default_of(f)
            set_in = "" if in_list else _set_in(settings.get(full, []), default)
            rows.append(
                f"| `{f.name}` | {_cell(_code(_type_name(f.type)))} | {_cell(_code(fmt_value(default)))} | "
                f"{_cell(_unit(f))} | {_cell(_notes(f))} | {_cell(set_in)} |"
            )
        lines = [f"## {title} ({cls.__name__})", ""]
        if cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):
            lines += [" ".join(cls.__doc__.split()), ""]
        if in_list:
            lines += ["One entry of a list; each entry has these fields.", ""]
        if rows:
            lines += [*_TABLE, *rows]
        sections.append("\n".join(lines + entries_block(cls, key)))
        for sub, sub_key, sub_in_list in later:
            walk(sub, sub_key, sub_in_list)

    walk(module.SimConfig, "", False)
    files = ", ".join(f"`{f}`" for f in sorted(defaults, key=lambda f: (f != "configs/config.yaml", f)))
    return "\n\n".join(p.rstrip() for p in [_HEAD.format(files=files), *sections]) + "\n"


def is_current(path: Path = DOC_PATH) -> bool:
    """The page at ``path`` is what :func:`render` gives now."""
    return Path(path).exists() and Path(path).read_text(encoding="utf-8") == render()


__all__ = ["DOC_PATH", "default_files", "fmt_value", "is_current", "render", "yaml_settings"]
