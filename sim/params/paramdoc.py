"""The parameters reference (docs/parameters.md), generated from the config schema.

Every dataclass field reachable from :class:`sim.params.schema.SimConfig` becomes a row: its
dotted key, type and default (from the dataclasses at run time), its meaning, unit or
source (the trailing ``# ...`` comment on the field's line in sim/params/schema.py, read with
``ast`` and ``tokenize``), and the value the default configuration gives it with that
YAML line's comment (configs/config.yaml and the default of each config group named in
its defaults list). Nothing here is written by hand, so the page cannot drift from the
code: ``scripts/make_param_docs.py`` rewrites it and a test checks it is current.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
import typing
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG_PY = ROOT / "sim" / "params" / "schema.py"
CONFIG_DIR = ROOT / "configs"
DOC_PATH = ROOT / "docs" / "parameters.md"
_KEY_LINE = re.compile(r"^(\s*)([A-Za-z_][\w]*)\s*:(.*)$")


# --------------------------------------------------------------------------- schema source
def schema_comments(source: str) -> tuple[dict[tuple[str, str], str], dict[str, str], list[str]]:
    """Comments of the schema's source.

    Returns ``({(class, field): trailing comment}, {class: docstring}, [dataclass
    names in source order])``. A field written over several lines takes the comments of
    all its lines, joined.
    """
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    tree = ast.parse(source)
    out: dict[tuple[str, str], str] = {}
    docs: dict[str, str] = {}
    order: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not any(_is_dataclass_decorator(d) for d in node.decorator_list):
            continue
        order.append(node.name)
        doc = ast.get_docstring(node)
        if doc:
            docs[node.name] = " ".join(doc.split())
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                lines = range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
                text = " ".join(comments[i] for i in lines if i in comments)
                if text:
                    out[(node.name, stmt.target.id)] = text
    return out, docs, order


def _is_dataclass_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name == "dataclass"


# --------------------------------------------------------------------------- YAML source
def yaml_comments(text: str) -> dict[str, str]:
    """{dotted key: comment} for a YAML file of nested mappings.

    A key's comment is the one at the end of its line or, failing that, the block of
    whole-line comments right above it (the file's opening block is its header and is
    not given to the first key). Keys inside lists are not followed.
    """
    out: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    pending: list[str] = []
    seen_key = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            pending = []
            continue
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        m = _KEY_LINE.match(line)
        if stripped.startswith("-") or not m:
            pending = []
            continue
        indent, key, rest = len(m.group(1)), m.group(2), m.group(3)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        dotted = ".".join([k for _, k in stack] + [key])
        comment = _inline_comment(rest) or (" ".join(pending) if seen_key else "")
        if comment:
            out[dotted] = comment
        stack.append((indent, key))
        pending = []
        seen_key = True
    return out


def _inline_comment(rest: str) -> str:
    """The text after a ``#`` that starts a comment (outside quotes, after a space)."""
    quote = None
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or rest[i - 1].isspace()):
            return rest[i + 1 :].strip()
    return ""


def default_sources(config_dir: Path) -> dict[str, Path]:
    """{key prefix: YAML file} for the default configuration: "" -> config.yaml and
    each group in its defaults list (e.g. "policy" -> policy/default.yaml)."""
    main = config_dir / "config.yaml"
    out = {"": main}
    for entry in (yaml.safe_load(main.read_text()) or {}).get("defaults", []):
        if isinstance(entry, dict):
            for group, choice in entry.items():
                f = config_dir / group / f"{choice}.yaml"
                if "/" not in group and not group.startswith("override") and f.exists():
                    out[group] = f
    return out


def _lookup(data, dotted: str):
    node = data
    for part in dotted.split(".") if dotted else []:
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


_MISSING = object()


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
        if v and all(isinstance(x, dict) for x in v):
            return f"{len(v)} entries (below)"
        return "[" + ", ".join(fmt_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {fmt_value(x)}" for k, x in v.items()) + "}" if v else "{}"
    if dataclasses.is_dataclass(v):
        return "(section)"
    return repr(v)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


# --------------------------------------------------------------------------- the page
def _nested(tp) -> tuple[type | None, bool]:
    """(dataclass inside the annotation, is it a list of them)."""
    if dataclasses.is_dataclass(tp):
        return tp, False
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and args and dataclasses.is_dataclass(args[0]):
        return args[0], True
    for a in args:  # Optional[X], X | None
        if dataclasses.is_dataclass(a):
            return a, False
    return None, False


def _type_name(tp) -> str:
    """An annotation as written: strings (postponed annotations) as they are, classes by name."""
    if isinstance(tp, str):
        return tp
    if isinstance(tp, type) and not typing.get_args(tp):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return _MISSING


def render(config_py: Path = CONFIG_PY, config_dir: Path = CONFIG_DIR, module=None) -> str:
    """The Markdown text of docs/parameters.md."""
    if module is None:
        import sim.params.schema as module

    comments, docs, order = schema_comments(Path(config_py).read_text())
    sources = default_sources(Path(config_dir))
    yaml_data = {p: yaml.safe_load(f.read_text()) or {} for p, f in sources.items()}
    yaml_notes = {p: yaml_comments(f.read_text()) for p, f in sources.items()}

    sections: list[str] = []
    visited: dict[str, str] = {}  # class name -> the key where it was described

    def source_for(key: str) -> tuple[str, str]:
        """(prefix, key inside that prefix's YAML) for the longest matching prefix."""
        best = ""
        for p in sources:
            if p and (key == p or key.startswith(p + ".")) and len(p) > len(best):
                best = p
        return best, key[len(best) + 1 :] if best else key

    def entries_of(key: str) -> list[dict]:
        """The default configuration's entries of a list of sections (e.g. org.province_units)."""
        p, inner = source_for(key)
        found = _lookup(yaml_data[p], inner) if p in yaml_data else _MISSING
        ok = isinstance(found, list) and found and all(isinstance(e, dict) for e in found)
        return found if ok else []

    def entries_block(cls, key: str) -> list[str]:
        entries = entries_of(key[:-2]) if key.endswith("[]") and "[]" not in key[:-2] else []
        if not entries:
            return []
        p, _ = source_for(key[:-2])
        where = sources[p].relative_to(Path(config_dir).parent)
        return ["", f"Entries in the default configuration (`{where}`):", "", *_entries_table(cls, entries)]

    def walk(cls, key: str, in_list: bool) -> None:
        if cls.__name__ in visited:  # e.g. UnitSpec for province and district units
            lines = [f"## `{key}` ({cls.__name__})", "", f"Same fields as `{visited[cls.__name__]}`."]
            sections.append("\n".join(lines + entries_block(cls, key)))
            return
        visited[cls.__name__] = key
        hints = typing.get_type_hints(cls, vars(module))
        rows, later = [], []
        prefix, _ = source_for(key) if key else ("", "")
        for f in dataclasses.fields(cls):
            full = f"{key}.{f.name}" if key else f.name
            sub, is_list = _nested(hints.get(f.name))
            if sub is not None:
                later.append((sub, full + ("[]" if is_list else ""), is_list))
                if not is_list:
                    continue
            value, note = "", ""
            if not in_list:
                p, inner = source_for(full)
                value = fmt_value(_lookup(yaml_data[p], inner))
                note = yaml_notes[p].get(inner, "")
            default = _default(f)
            rows.append(
                f"| `{f.name}` | {_cell(_code(_type_name(f.type)))} | {_cell(_code(fmt_value(default)))} | "
                f"{_cell(comments.get((cls.__name__, f.name), ''))} | {_cell(_code(value))} | {_cell(note)} |"
            )
        title = f"`{key}`" if key else "Top level"
        lines = [f"## {title} ({cls.__name__})", ""]
        if docs.get(cls.__name__):
            lines += [docs[cls.__name__], ""]
        if key and not in_list:
            p, inner = source_for(key)
            if yaml_notes[p].get(inner):
                lines += [f"In `{sources[p].relative_to(config_dir.parent)}`: {yaml_notes[p][inner]}", ""]
        if in_list:
            lines += ["One entry of a list; each entry has these fields.", ""]
        if rows:
            lines += [
                "| key | type | default (schema) | meaning, unit, source (schema) | default configuration | its source (YAML comment) |",
                "|---|---|---|---|---|---|",
                *rows,
            ]
        sections.append("\n".join(lines + entries_block(cls, key)))
        for sub, sub_key, is_list in later:
            walk(sub, sub_key, in_list or is_list)

    walk(module.SimConfig, "", False)
    others = [name for name in order if name not in visited]
    files = ", ".join(f"`{f.relative_to(Path(config_dir).parent)}`" for f in sources.values())
    head = f"""# Parameters reference

<!-- Generated by scripts/make_param_docs.py from sim/params/schema.py and configs/. Do not edit:
     change the schema or the YAML and rerun the script (a test fails if this is stale). -->

Every configuration key, with its type and default in the schema (`sim/params/schema.py`), the
meaning, unit or source written beside the field there, and the value the default
configuration sets with the comment on that YAML line ({files}); a blank there means
the YAML does not set the key and the schema default applies. Override any key on the
command line or in `sim.load_config`, e.g. `policy.vacancy.fill_probability_leader=0.3`.
"(required)" marks a field that has no default and must be set in YAML; lists of
sections (units, districts, scenario actions, sensitivity parameters) are described
once per entry, followed by the entries the default configuration gives.
"""
    parts = [head, *sections]
    if others:
        parts.append(
            f"## Other schema classes\n\nDataclasses in `{Path(config_py).name}` not reachable from `SimConfig`: "
            + ", ".join(f"`{n}`" for n in others)
            + "."
        )
    return "\n\n".join(p.rstrip() for p in parts if p) + "\n"


def _entries_table(cls, entries: list[dict]) -> list[str]:
    """Markdown rows of a YAML list of sections, schema defaults filled in for absent fields."""
    defaults = {f.name: _default(f) for f in dataclasses.fields(cls)}
    cols = [n for n in defaults if any(n in e for e in entries)]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for e in entries:
        row = {**defaults, **e}
        lines.append("| " + " | ".join(_cell(fmt_value(row.get(c))) for c in cols) + " |")
    return lines
