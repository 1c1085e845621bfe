"""Checks of a configuration that its dataclasses cannot make field by field, and of a
resolved scenario plan. Each raises :class:`~sim.core.errors.ConfigError` with a message
naming what is wrong and where, so the command line reports it in one line with exit
code 2.

* :func:`check_prob`, :func:`check_nonneg`, :func:`check_choice`, :func:`check_rank_list`
  — one value, as declared on a schema field (see ``sim/params/declare.py``);
* :func:`check_config` — at the end of ``SimConfig.__post_init__``: district codes, and
  fields of scenario actions that would be ignored or repeated.
* :func:`check_plan` — at the end of ``restructuring.plan``: actions that would silently
  do nothing or act on a unit that has no head of its own.

This module reads configurations by attribute and imports no schema, so the schema can
call it without an import cycle.
"""

from __future__ import annotations

import math

from sim.core.calendar import parse_month
from sim.core.errors import ConfigError
from sim.core.vocabulary import PROVINCE_CODE


# --------------------------------------------------------------------------- one value
def check_finite(where: str, value: float) -> None:
    """``value`` is a finite number (not NaN, not an infinity)."""
    if isinstance(value, int):
        return
    if not math.isfinite(float(value)):
        raise ConfigError(f"{where} = {value} is not a finite number")


def check_month(where: str, value: str) -> None:
    """``value`` is a month written "YYYY-MM" (ASCII digits, no spaces)."""
    text = str(value)
    if not isinstance(value, str) or text != text.strip() or not text.isascii():
        raise ConfigError(f"{where} = {value!r} is not a month in the form YYYY-MM")
    try:
        parse_month(text)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from None


def check_prob(where: str, value: float) -> None:
    """``value`` is a probability in [0, 1]."""
    if not 0.0 <= float(value) <= 1.0:
        raise ConfigError(f"{where} = {value} is not a probability in [0, 1]")


def check_nonneg(where: str, value: float) -> None:
    """``value`` >= 0 (and finite)."""
    check_finite(where, value)
    if value < 0:
        raise ConfigError(f"{where} = {value} must be >= 0")


def check_choice(where: str, value: str, valid: tuple[str, ...] | list[str]) -> None:
    """``value`` is one of ``valid``."""
    if value not in valid:
        raise ConfigError(f"{where} = {value!r} is not valid; choose one of: {', '.join(valid)}")


def check_rank_list(where: str, values: list, n: int) -> None:
    """``values`` has one entry per rank 0..n-1."""
    if len(values) != n:
        raise ConfigError(f"{where} needs {n} values (one per rank 0..{n - 1}), got {len(values)}")


# --------------------------------------------------------------------------- config
def _action_where(i: int, spec) -> str:
    # the same prefix as restructuring.plan's messages
    return f"scenario action {i} ({spec.kind} at {spec.month})"


def repeated(values) -> list:
    """The values that occur more than once, in order of first repetition."""
    seen, out = set(), []
    for v in values:
        if v in seen and v not in out:
            out.append(v)
        seen.add(v)
    return out


def check_config(cfg) -> None:
    """Checks of a whole :class:`~sim.params.schema.SimConfig` that need no Org.

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
            raise ConfigError(
                f"{where} = '{code}' is reserved for the province (unit ids 'P.<key>'); choose another code"
            )
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
            rep = repeated(getattr(spec, name))
            if rep:
                raise ConfigError(f"{where}: {name} lists {', '.join(map(str, rep))} more than once")
        if isinstance(spec.districts, bool):
            raise ConfigError(
                f"{where}: districts = {spec.districts!r} is not valid; use 'all', a number of districts, "
                "or a list of district codes"
            )
        if isinstance(spec.districts, list):
            rep = repeated(spec.districts)
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

    * ``merge`` of a unit in the organisation file's standing concurrent posts
      (``org.concurrent``): the held unit has no head post, the holding post belongs to
      the holder unit, and a merger would leave the held unit without a head.

    Call at the end of ``restructuring.plan``, before ``return out``.
    """
    headless: dict[str, int | str] = {}  # uid -> index of the action that removed its head post
    standing: dict[str, str] = {}  # uid -> the org.concurrent entry it is part of
    for u in org.units:
        if u.concurrent_with is not None:
            j = next(
                (k for k, c in enumerate(cfg.org.concurrent) if u.uid.endswith("." + c.heads)), None
            )
            label = f"org.concurrent[{j}]" if j is not None else "org.concurrent"
            headless[u.uid] = label
            standing[u.uid] = standing[u.concurrent_with] = label
    origins: dict[str, list[str]] = {}  # merged uid -> the uids merged into it
    for pa in planned:
        where = _action_where(pa.index, pa.spec)
        kind = pa.spec.kind
        if kind == "merge":
            for uids in pa.groups:
                hit = [u for u in uids if u in standing]
                if hit:
                    raise ConfigError(
                        f"{where}: {hit[0]} is part of a standing concurrent post ({standing[hit[0]]}: one person "
                        "holds both posts); a merger of it is not supported: drop the org.concurrent entry or the action"
                    )
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
                        since = headless[uid]
                        why = f"scenario action {since}" if isinstance(since, int) else f"the organisation file's {since}"
                        raise ConfigError(
                            f"{where}: {uid} (the {role} unit) has no head post of its own since {why} "
                            "made it share a head; a unit can be put under a concurrent head once"
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


__all__ = [
    "check_actions",
    "check_choice",
    "check_config",
    "check_finite",
    "check_month",
    "check_nonneg",
    "check_org_config",
    "check_plan",
    "check_prob",
    "check_rank_list",
]
