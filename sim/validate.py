"""Checks of the inputs that the schema, the roster loader and the scenario planner do
not make themselves (GitHub issue 6, "Trustworthy runs").

Every check raises :class:`~sim.config.ConfigError` (configuration, organisation,
scenario) or :class:`~sim.errors.InputError` (roster file: file, line, column) with a
message naming what is wrong and where, so the command line reports it in one line with
exit code 2 (experiments/_cli.py).

Where they are called (one line each):

* :func:`check_config` — at the end of ``SimConfig.__post_init__`` (sim/config.py):
  district codes, and fields of scenario actions that would be ignored or repeated.
* :func:`check_plan` — at the end of ``restructuring.plan`` (before ``return out``):
  actions that would silently do nothing or act on a unit that has no head of its own.
* :func:`load_roster_checked` — in ``CadreModel.__init__`` in place of
  ``load_roster``: ragged rows, separators, duplicate header names, blank lines inside
  the data, and cross-field consistency of a row (dates, competence, head terms).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.calendar import format_month
from sim.config import ConfigError
from sim.errors import InputError
from sim.org import HEAD, POST_KINDS, PROVINCE_CODE

MIN_ENTRY_AGE_MONTHS = 16 * 12  # the roster loader's youngest age at the start


# --------------------------------------------------------------------------- config
def _action_where(i: int, spec) -> str:
    # the same prefix as restructuring.plan's messages
    return f"scenario action {i} ({spec.kind} at {spec.month})"


def _repeated(values) -> list:
    seen, out = set(), []
    for v in values:
        if v in seen and v not in out:
            out.append(v)
        seen.add(v)
    return out


def check_config(cfg) -> None:
    """Checks of a whole :class:`~sim.config.SimConfig` that need no Org.

    Call at the end of ``SimConfig.__post_init__``.
    """
    check_org_config(cfg.org)
    check_actions(cfg.scenario.actions, n_districts=len(cfg.org.districts))


def check_org_config(org) -> None:
    """District codes are used in unit ids (``<code>.<key>``): they must be non-empty,
    free of dots and spaces, and differ from the province's code ``P``."""
    for j, d in enumerate(org.districts):
        code = str(d.code)
        where = f"org.districts[{j}].code"
        if code == PROVINCE_CODE:
            raise ConfigError(f"{where} = '{code}' is reserved for the province (unit ids 'P.<key>'); choose another code")
        if not code or "." in code or code != code.strip() or " " in code:
            raise ConfigError(f"{where} = {code!r} must be a non-empty code without dots or spaces, e.g. 'QP'")
    for level in ("province_units", "district_units"):
        for j, u in enumerate(getattr(org, level)):
            if not str(u.key).strip() or " " in str(u.key):
                raise ConfigError(f"org.{level}[{j}].key = {u.key!r} must be a non-empty key without spaces")


def check_actions(actions, *, n_districts: int) -> None:
    """Fields of scenario actions that would be repeated or silently ignored."""
    for i, spec in enumerate(actions, start=1):
        where = _action_where(i, spec)
        for name in ("units", "functions"):
            rep = _repeated(getattr(spec, name))
            if rep:
                raise ConfigError(f"{where}: {name} lists {', '.join(map(str, rep))} more than once")
        if isinstance(spec.districts, list):
            rep = _repeated(spec.districts)
            if rep:
                raise ConfigError(f"{where}: districts lists {', '.join(rep)} more than once")
            if not spec.districts:
                raise ConfigError(f"{where}: districts is an empty list; use 'all', a number, or district codes")
        if spec.level == "province" and spec.districts != "all":
            raise ConfigError(
                f"{where}: districts = {spec.districts!r} is only used with level 'district' or 'both', not 'province'"
            )
        if spec.level in ("district", "both") and n_districts == 0:
            raise ConfigError(f"{where}: level '{spec.level}' but the organisation has no districts")
        if spec.kind == "split" and spec.functions:
            raise ConfigError(f"{where}: split takes the merged unit's key in 'units'; 'functions' is not used")
        if spec.kind == "abolish_level" and (spec.units or spec.functions):
            raise ConfigError(
                f"{where}: abolish_level abolishes every unit of the chosen districts; remove 'units' and 'functions'"
            )
        if spec.kind != "merge":
            unused = [n for n in ("new_key", "new_name", "deputies") if getattr(spec, n) is not None]
            if unused:
                verb = "applies" if len(unused) == 1 else "apply"
                raise ConfigError(f"{where}: {', '.join(unused)} {verb} only to 'merge' actions")


# --------------------------------------------------------------------------- plan
def check_plan(cfg, org, planned) -> None:
    """Checks of the resolved scenario (the output of ``restructuring.plan``).

    * ``abolish_level`` of a district that has no units left (abolished before);
    * ``concurrent_head`` where either unit has no head post of its own any more (its
      head post was removed by an earlier ``concurrent_head``).

    Call at the end of ``restructuring.plan``, before ``return out``.
    """
    headless: dict[str, int] = {}  # uid -> index of the action that removed its head post
    origins: dict[str, list[str]] = {}  # merged uid -> the uids merged into it
    for pa in planned:
        where = _action_where(pa.index, pa.spec)
        kind = pa.spec.kind
        if kind == "abolish_level":
            for a, uids in zip(pa.areas, pa.groups):
                if not uids:
                    raise ConfigError(
                        f"{where}: district {org.area_codes[a]} has no units left at {pa.spec.month} "
                        "(was it abolished by an earlier action?)"
                    )
                for u in uids:
                    headless.pop(u, None)
        elif kind == "concurrent_head":
            for uids in pa.groups:
                for role, uid in zip(("first", "second"), uids):
                    if uid in headless:
                        raise ConfigError(
                            f"{where}: {uid} (the {role} unit) has no head post of its own since scenario action "
                            f"{headless[uid]} made it share a head; a unit can be put under a concurrent head once"
                        )
                headless[uids[1]] = pa.index
        elif kind == "merge":
            for uids, new_uid in zip(pa.groups, pa.new_uids):
                for u in uids:
                    headless.pop(u, None)
                origins[new_uid] = list(uids)
        elif kind == "split":
            for (uid,) in pa.groups:
                for u in origins.pop(uid, []):
                    headless.pop(u, None)  # restored with a head post of its own


# --------------------------------------------------------------------------- roster
@dataclass
class RosterText:
    """The roster as text: header, data records and the line each record starts on."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def check_roster_file(path: str | Path) -> RosterText | None:
    """Structure of a roster CSV that pandas would silently misread.

    Returns None when the file cannot be read as UTF-8 text (``load_roster`` reports
    that). Raises :class:`InputError` for: a header of one column that contains ``;``
    or a tab (wrong separator), a header naming a column twice, a record with more or
    fewer fields than the header, an empty line followed by more data (line numbers in
    later messages would be wrong).
    """
    path = Path(path)
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.strip():
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        rows, lines, blank_at = [], [], None
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if len(row) <= 1 and not "".join(row).strip():
                blank_at = blank_at or start
                continue
            if blank_at is not None:
                raise InputError(
                    "empty line inside the data; remove it (line numbers in messages count every line)",
                    file=name,
                    line=blank_at,
                )
            rows.append(row)
            lines.append(start)
    except csv.Error as err:
        raise InputError(f"cannot parse the CSV ({err})", file=name, line=reader.line_num) from None
    cols = [c.strip() for c in header]
    if len(cols) == 1:
        for sep, label in ((";", "';'"), ("\t", "tabs")):
            if sep in cols[0]:
                raise InputError(
                    f"the header is one column '{cols[0][:60]}': the file seems to use {label} as separator; "
                    "save it as comma-separated CSV",
                    file=name,
                    line=1,
                )
    rep = _repeated(cols)
    if rep:
        what = f"column {rep[0]} appears" if len(rep) == 1 else f"columns {', '.join(rep)} appear"
        raise InputError(f"{what} more than once in the header", file=name, line=1)
    for row, line in zip(rows, lines):
        if len(row) != len(cols):
            raise InputError(
                f"{len(row)} fields, but the header has {len(cols)} ({', '.join(cols)}); "
                "quote values that contain commas",
                file=name,
                line=line,
            )
    return RosterText(cols, rows, lines)


def check_population(pop, path: str | Path, org, text: RosterText | None = None) -> None:
    """Cross-field checks of a loaded roster (``load_roster``'s :class:`Population`).

    Row ``i`` of ``pop`` is data record ``i`` of the file; ``text`` (from
    :func:`check_roster_file`) gives its line and which optional cells were filled in,
    so that defaults (entry at age 23, post_since = start) are never blamed.
    """
    name = str(path)
    n = len(pop)
    lines = text.lines if text is not None and len(text.lines) == n else [i + 2 for i in range(n)]

    def given(col: str) -> np.ndarray:
        if text is None or col not in text.header:
            return np.zeros(n, bool) if text is not None else np.ones(n, bool)
        j = text.header.index(col)
        return np.array([bool(r[j].strip()) for r in text.rows], bool)

    def fail(i: int, col: str, msg: str) -> InputError:
        return InputError(f"cadre '{pop.cadre_id[i]}': {msg}", file=name, line=int(lines[i]), column=col)

    bad = np.flatnonzero(~np.isfinite(pop.competence) & given("competence"))
    if len(bad):
        i = int(bad[0])
        raise fail(i, "competence", f"competence {pop.competence[i]} is not a finite number")
    g_entry, g_post, g_rank = given("entry"), given("post_since"), given("rank_since")
    # (defaults: entry = birth + 23 years, post_since = start, rank_since = post_since)
    checks = (
        ("entry", g_entry, pop.entry < pop.birth + MIN_ENTRY_AGE_MONTHS,
         lambda i: f"entry {format_month(pop.entry[i])} is before the 16th birthday (birth {format_month(pop.birth[i])})"),
        ("post_since", g_post & g_entry, pop.post_since < pop.entry,
         lambda i: f"post_since {format_month(pop.post_since[i])} is before entry {format_month(pop.entry[i])}"),
        ("rank_since", g_rank & g_entry, pop.rank_since < pop.entry,
         lambda i: f"rank_since {format_month(pop.rank_since[i])} is before entry {format_month(pop.entry[i])}"),
        ("rank_since", g_rank, pop.rank_since > pop.post_since,
         lambda i: f"rank_since {format_month(pop.rank_since[i])} is after post_since "
         f"{format_month(pop.post_since[i])}; the post's rank is reached when the post is taken, or earlier"),
    )
    for col, applies, broken, message in checks:
        hit = np.flatnonzero(applies & broken)
        if len(hit):
            i = int(hit[0])
            raise fail(i, col, message(i))
    kind = org.post_kind[pop.post]
    hit = np.flatnonzero((pop.head_terms > 0) & (kind != HEAD))
    if len(hit):
        i = int(hit[0])
        raise fail(i, "head_terms", f"head_terms {int(pop.head_terms[i])} given for a '{POST_KINDS[kind[i]]}' post; "
                   "only heads count terms (leave it empty or 0)")


def load_roster_checked(path, org, cfg, rng):
    """``sim.roster.load_roster`` with the checks above before and after it.

    Use in ``CadreModel.__init__`` in place of ``load_roster``; same arguments and result.
    """
    from sim.roster import load_roster

    text = check_roster_file(path)
    pop = load_roster(path, org, cfg, rng)
    check_population(pop, path, org, text)
    return pop


__all__ = [
    "RosterText",
    "check_actions",
    "check_config",
    "check_org_config",
    "check_plan",
    "check_population",
    "check_roster_file",
    "load_roster_checked",
]
