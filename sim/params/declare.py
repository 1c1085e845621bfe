"""How a parameter is declared: default, unit, source and meaning in one place.

Each field of the schema dataclasses is written with :func:`par`, which stores what a
reader (and ``docs/parameters.md``) needs in the field's ``metadata``::

    fill_probability_leader: float = par(
        0.4, unit="probability per month", check=PROBABILITY,
        source="estimate: a vacant head or deputy post waits about 2.5 months",
    )

``check`` and ``choices`` are declared beside the value too, and :func:`check_declared`
applies them, so the range a doc row shows is the range the schema enforces.
Nested sections are declared with :func:`section`; lists of sections with ``par([])``.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from sim.core.vocabulary import N_RANKS
from sim.params.checks import check_choice, check_finite, check_month, check_nonneg, check_prob, check_rank_list

# metadata keys
UNIT, SOURCE, DOC, CHOICES, CHECK, PER_RANK = "unit", "source", "doc", "choices", "check", "per_rank"
# values of ``check``: applied to the value, or to each element of a list
PROBABILITY, NONNEG, MONTH = "probability", "nonneg", "month"
_CHECKS = {PROBABILITY: check_prob, NONNEG: check_nonneg, MONTH: check_month}


def par(
    default: Any = dataclasses.MISSING,
    *,
    factory: Callable[[], Any] | None = None,
    unit: str = "",
    source: str = "",
    doc: str = "",
    choices: tuple[str, ...] | None = None,
    check: str | None = None,
    per_rank: bool = False,
) -> Any:
    """A dataclass field for one parameter.

    Args:
        default: the value; a list or dict is copied for every instance.
        factory: instead of ``default``, a function that makes the default.
        unit: what one unit of the value is ("months", "probability per year", ...).
        source: a legal text by name and article, a publication, or "estimate" (with why).
        doc: what the parameter means, when the name does not say it.
        choices: the valid values of a string parameter.
        check: ``PROBABILITY`` (in [0, 1]), ``NONNEG`` (>= 0) or ``MONTH`` (a "YYYY-MM"
            month), applied to each element of a list; None values are not checked.
            Every float (and every float in a list) must be finite whatever ``check`` says.
        per_rank: a list with one value per rank 0..N_RANKS-1.
    """
    if check is not None and check not in _CHECKS:
        raise ValueError(f"check = {check!r}; use one of {', '.join(_CHECKS)}")
    meta = {UNIT: unit, SOURCE: source, DOC: doc, CHOICES: tuple(choices or ()), CHECK: check, PER_RANK: per_rank}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=functools.partial(copy.deepcopy, default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def section(cls: type, doc: str = "") -> Any:
    """A dataclass field holding a nested section (a fresh ``cls()`` by default)."""
    return dataclasses.field(default_factory=cls, metadata={DOC: doc})


def check_declared(obj: Any, prefix: str) -> None:
    """Apply the ``choices``, ``check`` and ``per_rank`` declared on ``obj``'s fields,
    and refuse NaN and infinities in every float field.

    ``prefix`` is the key the messages name, e.g. ``"policy.pool"`` ("" at the top level); raises
    :class:`~sim.core.errors.ConfigError` at the first value that fails.
    """
    for f in dataclasses.fields(obj):
        meta = f.metadata
        value = getattr(obj, f.name)
        where = f"{prefix}.{f.name}" if prefix else f.name
        if meta.get(CHOICES):
            check_choice(where, value, meta[CHOICES])
        if meta.get(PER_RANK):
            check_rank_list(where, value, N_RANKS)
        if isinstance(value, float):
            check_finite(where, value)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, float):
                    check_finite(f"{where}[{i}]", v)
        check = _CHECKS.get(meta.get(CHECK))
        if check is None or value is None:
            continue
        if isinstance(value, list):
            for i, v in enumerate(value):
                check(f"{where}[{i}]", v)
        else:
            check(where, value)


def info(f: dataclasses.Field) -> dict[str, Any]:
    """The declaration of a field: unit, source, doc, choices, check, per_rank (blank if not given)."""
    meta = f.metadata
    return {
        UNIT: meta.get(UNIT, ""),
        SOURCE: meta.get(SOURCE, ""),
        DOC: meta.get(DOC, ""),
        CHOICES: tuple(meta.get(CHOICES, ())),
        CHECK: meta.get(CHECK),
        PER_RANK: bool(meta.get(PER_RANK, False)),
    }


def default_of(f: dataclasses.Field) -> Any:
    """A field's default value (made fresh for a factory); ``dataclasses.MISSING`` if none."""
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


__all__ = [
    "CHECK",
    "CHOICES",
    "DOC",
    "MONTH",
    "NONNEG",
    "PER_RANK",
    "PROBABILITY",
    "SOURCE",
    "UNIT",
    "check_declared",
    "default_of",
    "info",
    "par",
    "section",
]
