"""Checks of a roster file that the loader does not make itself: ragged rows,
separators, duplicate header names, blank lines inside the data, and cross-field
consistency of a row (dates, competence, head terms). Every check raises
:class:`~sim.core.errors.InputError` naming the file, line and column.

:func:`load_roster_checked` is the loader the model uses.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.core.calendar import format_month
from sim.core.errors import InputError
from sim.core.vocabulary import HEAD, NEVER, POST_KINDS
from sim.params.checks import repeated
from sim.world.roster import MIN_AGE_MONTHS as MIN_ENTRY_AGE_MONTHS
from sim.world.roster import load_roster

# latent competence is on a standard-normal scale (mean 0, sd 1, plus 0.25 sd per rank in
# the synthetic roster): a value beyond 10 sd is not a plausible score (a raw test score
# or a misplaced column, more likely)
COMPETENCE_RANGE = (-10.0, 10.0)


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
    rep = repeated(cols)
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
    lo, hi = COMPETENCE_RANGE
    bad = np.flatnonzero(((pop.competence < lo) | (pop.competence > hi)) & given("competence"))
    if len(bad):
        i = int(bad[0])
        raise fail(
            i,
            "competence",
            f"competence {pop.competence[i]:g} is outside {lo:g}..{hi:g}: latent competence is on a standard-normal "
            "scale (sd 1), so this is not a plausible score",
        )
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


class RosterWarning(UserWarning):
    """A roster row that breaks a unit rule the model applies only to later appointments."""


def check_unit_rules(pop, path: str | Path, org, start: int, text: RosterText | None = None) -> None:
    """Rows that break their unit's rules (the org file's ``leader_sex`` and age caps).

    * A head or deputy older at the start than the unit's in-office cap (Decision
      289-QĐ/TW for the Youth Union) is an **error** (:class:`InputError` naming the line,
      the cadre, the post and the cap): the run keeps every leader under the cap from its
      first month (an invariant), and a 2018 roster that breaks it most likely has a wrong
      birth month or unit; the fix is the row, or the cap in the org file.
    * A leader of the wrong sex for the unit, or one whose given ``post_since`` was taken
      above the first-appointment cap, is a **warning** (:class:`RosterWarning`): the model
      applies those rules to the appointments it makes, not to the people already in post
      (an appointment may predate the rule: Decision 289 is of 2010), so the run is valid.
    """
    name = str(path)
    n = len(pop)
    lines = text.lines if text is not None and len(text.lines) == n else [i + 2 for i in range(n)]
    posts = pop.post
    kind = org.post_kind[posts]
    uid = [u.uid for u in org.units]

    def where(i: int) -> str:
        p = int(posts[i])
        return f"cadre '{pop.cadre_id[i]}' ({POST_KINDS[kind[i]]} of {uid[int(org.post_unit[p])]})"

    age = start - pop.birth
    over = np.flatnonzero(age >= org.post_age_below[posts])
    if len(over):
        i = int(over[0])
        cap = int(org.post_age_below[posts[i]]) // 12 - 1
        raise InputError(
            f"{where(i)} is {int(age[i]) // 12} at the start, above the unit's cap of {cap} years in office "
            f"(org file: {POST_KINDS[kind[i]]}_max_age; Decision 289-QĐ/TW for the Youth Union); correct the birth "
            f"month or the unit ({len(over)} row(s) in all)",
            file=name,
            line=int(lines[i]),
            column="birth",
        )
    rule = org.post_sex_rule[posts]
    wrong = np.flatnonzero((rule >= 0) & (pop.female != (rule == 1)))
    if len(wrong):
        i = int(wrong[0])
        want = "women" if rule[i] == 1 else "men"
        warnings.warn(
            f"{name}, line {lines[i]}, column 'sex': {where(i)}: the unit's leaders are {want} (org file: leader_sex); "
            f"kept, later appointments follow the rule ({len(wrong)} row(s) in all)",
            RosterWarning,
            stacklevel=2,
        )
    given = text is not None and "post_since" in text.header
    if given:
        j = text.header.index("post_since")
        filled = np.array([bool(r[j].strip()) for r in text.rows], bool) if len(text.rows) == n else np.zeros(n, bool)
        first = org.post_first_age_below[posts]
        late = np.flatnonzero(filled & (first < NEVER) & (pop.post_since - pop.birth >= first))
        if len(late):
            i = int(late[0])
            warnings.warn(
                f"{name}, line {lines[i]}, column 'post_since': {where(i)} took the post at "
                f"{int(pop.post_since[i] - pop.birth[i]) // 12}, above the unit's first-appointment cap of "
                f"{int(first[i]) // 12 - 1} (org file: {POST_KINDS[kind[i]]}_max_age_first); kept ({len(late)} row(s) in all)",
                RosterWarning,
                stacklevel=2,
            )


def load_roster_checked(path, org, cfg, rng):
    """``sim.world.roster.load_roster`` with the checks above before and after it.

    Use in ``CadreModel.__init__`` in place of ``load_roster``; same arguments and result.
    """
    text = check_roster_file(path)
    pop = load_roster(path, org, cfg, rng, lines=text.lines if text is not None else None)
    check_population(pop, path, org, text)
    check_unit_rules(pop, path, org, cfg.start_index, text)
    return pop


__all__ = ["COMPETENCE_RANGE", "RosterText", "RosterWarning", "check_population", "check_unit_rules", "check_roster_file", "load_roster_checked"]
